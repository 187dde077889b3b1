"""Scoring: hand-computed totals, machine rules, clamps and every grade boundary."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.review.roles import Band, MachineRule, load_role
from docgen.review.scoring import (
    ScoringError,
    grade_for,
    level_points,
    machine_score,
    totals,
)

ENGINEER = load_role("presales-engineer")
GRADES = ENGINEER.grades


@pytest.mark.parametrize(
    "total, grade",
    [(100, "S"), (95, "S"), (94.99, "A"), (85, "A"), (84.99, "B"), (70, "B"), (69.99, "C"), (60, "C"), (59.99, "D"), (0, "D")],
)
def test_each_grade_boundary(total, grade):
    assert grade_for(total, GRADES) == grade


def test_float_sums_do_not_fall_below_a_boundary():
    # 0.1 + 0.2 style error: these KPI scores add up to exactly 95 by hand.
    kpis = {"K1": 9.1, "K2": 9.2, "K3": 9.3, "K4": 4.7, "K5": 14.6, "K6": 14.3, "K7": 9.9, "K8": 3.9}
    levels = {"B1": 5, "B2": 5, "B3": 4, "B4": 4, "B5": 4}  # 4+4+3.2+3.2+3.2 = 17.6
    result = totals(ENGINEER, kpis, levels, adjustment=-0.6)
    assert result.kpi_total == Decimal("75.00")
    assert result.behavior_total == Decimal("17.60")
    assert result.total == Decimal("92.00")
    assert result.grade == "A"
    result = totals(ENGINEER, kpis, levels, adjustment=2.4)
    assert result.total == Decimal("95.00") and result.grade == "S"


def test_hand_computed_total_with_machine_rules():
    m = {k.code: k for k in ENGINEER.kpis}
    # K1 ratio floor 0.6: 45 of 50 person-days -> 10 * 0.9 = 9
    k1 = machine_score(m["K1"].machine, 10, 50, 45)
    # K2 deduction 1 point per % short: 96.5 % of 100 % -> 10 - 3.5 = 6.5
    k2 = machine_score(m["K2"].machine, 10, 100, 96.5)
    # K3 bands on the ratio: 72 / 80 = 0.9 -> 8
    k3 = machine_score(m["K3"].machine, 10, 80, 72)
    # K7 bands on the actual value: 4.2 -> 8 (no target needed)
    k7 = machine_score(m["K7"].machine, 10, None, 4.2)
    assert (k1, k2, k3, k7) == (Decimal("9.00"), Decimal("6.50"), Decimal("8.00"), Decimal("8.00"))
    scores = {"K1": k1, "K2": k2, "K3": k3, "K4": 5, "K5": 12, "K6": 13.5, "K7": k7, "K8": 4}
    result = totals(ENGINEER, scores, {"B1": 4, "B2": 3, "B3": 5, "B4": 4, "B5": 2}, adjustment=1.5)
    # KPI 9+6.5+8+5+12+13.5+8+4 = 66; behaviour 3.2+2.4+4+3.2+1.6 = 14.4; total 81.9
    assert (result.kpi_total, result.behavior_total, result.total, result.grade) == (
        Decimal("66.00"), Decimal("14.40"), Decimal("81.90"), "B"
    )


def test_ratio_rule_floor_cap_and_zero_target():
    rule = MachineRule("ratio", floor=0.5, cap=1.0)
    assert machine_score(rule, 15, 100, 49.99) == 0
    assert machine_score(rule, 15, 100, 50) == Decimal("7.50")
    assert machine_score(rule, 15, 100, 180) == 15
    with pytest.raises(ScoringError):
        machine_score(rule, 15, 0, 10)


def test_deduction_never_below_zero_and_lower_is_better():
    rule = MachineRule("deduction", step=1, points=2, better="lower")
    assert machine_score(rule, 10, 0, 0) == 10
    assert machine_score(rule, 10, 0, 2) == 6
    assert machine_score(rule, 10, 0, 9) == 0


def test_bands_below_every_band_scores_zero():
    rule = MachineRule("bands", basis="actual", bands=(Band(4.5, 10), Band(3.0, 4)))
    assert machine_score(rule, 10, None, 4.5) == 10
    assert machine_score(rule, 10, None, 2.99) == 0


def test_levels_are_shares_of_the_weight():
    assert [level_points(level, 4) for level in (5, 4, 3, 2, 1)] == [4, Decimal("3.2"), Decimal("2.4"), Decimal("1.6"), Decimal("0.8")]
    with pytest.raises(ScoringError):
        level_points(6, 4)


def test_adjustment_clamped_to_plus_minus_five_and_total_to_0_100():
    full = {k.code: k.weight for k in ENGINEER.kpis}
    top = {b.code: 5 for b in ENGINEER.behaviors}
    result = totals(ENGINEER, full, top, adjustment=8)
    assert result.adjustment == 5 and result.adjustment_clamped and result.total == 100 and result.grade == "S"
    result = totals(ENGINEER, {}, {}, adjustment=-7)
    assert result.adjustment == -5 and result.total == 0 and result.grade == "D"
    result = totals(ENGINEER, full, {b.code: 1 for b in ENGINEER.behaviors}, adjustment=-5)
    assert result.total == Decimal("79.00") and not result.adjustment_clamped


@given(
    st.lists(st.decimals(min_value=0, max_value=10, places=2), min_size=8, max_size=8),
    st.lists(st.integers(min_value=1, max_value=5), min_size=5, max_size=5),
    st.decimals(min_value=-20, max_value=20, places=2),
)
def test_total_is_always_within_0_100_and_matches_its_grade(kpi, levels, adjustment):
    scores = {k.code: min(v, Decimal(k.weight)) for k, v in zip(ENGINEER.kpis, kpi)}
    result = totals(ENGINEER, scores, {b.code: lv for b, lv in zip(ENGINEER.behaviors, levels)}, adjustment)
    assert 0 <= result.total <= 100
    assert -5 <= result.adjustment <= 5
    assert result.grade == grade_for(result.total, GRADES)
    assert result.total == max(0, min(100, result.kpi_total + result.behavior_total + result.adjustment))
