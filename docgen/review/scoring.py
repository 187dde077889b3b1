"""Pure scoring arithmetic for review packets (docs/review-role.md, docs/score-workbook.md).

Everything is computed in Decimal and rounded half-up to 2 decimals at each
step a person would see (a KPI score, a subtotal, the total), so that a
total typed as 94.99 is graded A and 95 is S — no binary float surprises
such as 0.1 + 0.2 landing just below a grade boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from docgen.review.roles import LEVELS, MachineRule, Role

ADJUSTMENT_LIMIT = Decimal(5)
LEVEL_SHARE = {5: Decimal("1.0"), 4: Decimal("0.8"), 3: Decimal("0.6"), 2: Decimal("0.4"), 1: Decimal("0.2")}
_CENT = Decimal("0.01")


class ScoringError(ValueError):
    """A machine rule cannot be applied (e.g. a ratio against a target of 0)."""


def dec(value: float | int | str | Decimal) -> Decimal:
    """A number as Decimal via its shortest text, so 0.1 stays 0.1."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def round2(value: float | Decimal) -> Decimal:
    return dec(value).quantize(_CENT, rounding=ROUND_HALF_UP)


def machine_score(rule: MachineRule, weight: float, target: float | None, actual: float) -> Decimal:
    """Points in [0, weight] for a KPI from its target and actual value."""
    w, a = dec(weight), dec(actual)
    if rule.needs_target:
        if target is None:
            raise ScoringError("needs a target")
        t = dec(target)
    if rule.type == "ratio":
        if t <= 0:
            raise ScoringError("a ratio rule needs a target above 0")
        ratio = a / t
        if ratio < dec(rule.floor):
            return Decimal("0.00")
        return round2(w * min(ratio, dec(rule.cap)))
    if rule.type == "bands":
        if rule.basis == "ratio":
            if t <= 0:
                raise ScoringError("a ratio band needs a target above 0")
            value = a / t
        else:
            value = a
        for band in rule.bands:
            if value >= dec(band.min):
                return round2(band.points)
        return Decimal("0.00")
    # deduction: `points` per `step` short of target, pro rata (2.5 % short at 1/% costs 2.5)
    short = (t - a) if rule.better == "higher" else (a - t)
    if short <= 0:
        return round2(w)
    return round2(max(Decimal(0), w - short / dec(rule.step) * dec(rule.points)))


def level_points(level: int, weight: float) -> Decimal:
    """Work-performance points: levels 5…1 are worth 100/80/60/40/20 % of the weight."""
    if level not in LEVEL_SHARE:
        raise ScoringError(f"level must be one of {', '.join(map(str, LEVELS))}")
    return round2(dec(weight) * LEVEL_SHARE[level])


def clamp_adjustment(value: float | Decimal | None) -> Decimal:
    if value is None:
        return Decimal("0.00")
    return round2(max(-ADJUSTMENT_LIMIT, min(ADJUSTMENT_LIMIT, dec(value))))


def grade_for(total: float | Decimal, grades: tuple[tuple[str, float], ...]) -> str:
    """The first grade whose lower bound the (2-decimal) total reaches; D below all."""
    value = round2(total)
    for grade, bound in grades:
        if value >= dec(bound):
            return grade
    return "D"


@dataclass(frozen=True)
class Totals:
    kpi_total: Decimal
    behavior_total: Decimal
    adjustment: Decimal  # after the ±5 clamp
    total: Decimal  # after the 0…100 clamp
    grade: str
    adjustment_clamped: bool = False


def totals(
    role: Role,
    kpi_scores: dict[str, float | Decimal | None],
    levels: dict[str, int | None],
    adjustment: float | Decimal | None = None,
) -> Totals:
    """Subtotals, total and grade. Missing scores or levels count as 0 points."""
    kpi_total = round2(sum((dec(kpi_scores.get(k.code) or 0) for k in role.kpis), Decimal(0)))
    behavior_total = round2(
        sum((level_points(levels[b.code], b.weight) for b in role.behaviors if levels.get(b.code)), Decimal(0))
    )
    adj = clamp_adjustment(adjustment)
    total = round2(max(Decimal(0), min(Decimal(100), kpi_total + behavior_total + adj)))
    clamped = adjustment is not None and adj != round2(adjustment)
    return Totals(kpi_total, behavior_total, adj, total, grade_for(total, role.grades), clamped)


def format_points(value: Decimal | float | None) -> str:
    """Points as people write them: 8, 7.5, 7.25 (no trailing zeros)."""
    if value is None:
        return ""
    text = f"{round2(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# A typed K*.score further than this from what the KPI's machine rule gives is flagged for HR.
RULE_TOLERANCE = Decimal("0.5")


@dataclass(frozen=True)
class RuleGap:
    code: str
    score: Decimal  # as the manager typed it
    rule_score: Decimal  # what the machine rule gives for the same target and actual


def rule_gaps(role: Role, entries) -> tuple[RuleGap, ...]:
    """Typed KPI scores that differ from their machine rule by more than RULE_TOLERANCE.

    `entries` are the employee's KPI entries in role order (code, target, actual, score, computed).
    """
    gaps = []
    for ind, entry in zip(role.kpis, entries):
        rule = ind.machine
        if rule is None or entry.computed or entry.actual is None or (rule.needs_target and entry.target is None):
            continue
        try:
            expected = machine_score(rule, ind.weight, entry.target, entry.actual)
        except ScoringError:
            continue  # a rule that cannot apply (target 0) has nothing to compare with
        if abs(round2(entry.score) - expected) > RULE_TOLERANCE:
            gaps.append(RuleGap(ind.code, round2(entry.score), expected))
    return tuple(gaps)
