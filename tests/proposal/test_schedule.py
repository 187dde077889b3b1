"""The dated schedule (docgen.proposal.schedule): start dates, milestones, week columns, the turn of the year."""

from __future__ import annotations

import datetime as dt

import pytest

from docgen.core.errors import InputError
from docgen.proposal.schedule import MAX_COLUMNS, gantt_rows, project_start, schedule

D = dt.date
PHASES = [("启动与调研", 2), ("方案设计", 3), ("实施部署", 6), ("测试与验收", 2)]


def test_phases_follow_each_other_and_end_on_a_friday():
    plan = schedule(PHASES, start=D(2027, 3, 1))
    assert [(p.name, p.start, p.end) for p in plan.phases] == [
        ("启动与调研", D(2027, 3, 1), D(2027, 3, 12)),
        ("方案设计", D(2027, 3, 15), D(2027, 4, 2)),
        ("实施部署", D(2027, 4, 5), D(2027, 5, 14)),
        ("测试与验收", D(2027, 5, 17), D(2027, 5, 28)),
    ]
    assert plan.milestones[-1] == ("测试与验收", D(2027, 5, 28)) and plan.end == D(2027, 5, 28)


def test_week_columns_and_shaded_cells():
    table = gantt_rows(schedule(PHASES, start=D(2027, 3, 1)))
    assert [c.label for c in table.columns] == ["2027-W09"] + [f"W{n}" for n in range(10, 22)]
    assert table.columns[0].date_label == "3/1" and table.columns[-1].first_monday == D(2027, 5, 24)
    shaded = [[i for i, on in enumerate(row.cells) if on] for row in table.rows]
    assert shaded == [[0, 1], [2, 3, 4], [5, 6, 7, 8, 9, 10], [11, 12]]
    assert table.weeks_per_column == 1


def test_a_weekend_start_moves_to_monday():
    assert schedule(PHASES, start=D(2027, 2, 27)) == schedule(PHASES, start=D(2027, 3, 1))  # Saturday
    assert schedule(PHASES, start=D(2027, 2, 28)).start == D(2027, 3, 1)  # Sunday


def test_a_midweek_start_keeps_its_day():
    plan = schedule([("a", 1), ("b", 1)], start=D(2027, 3, 3))  # a Wednesday
    assert [(p.start, p.end) for p in plan.phases] == [(D(2027, 3, 3), D(2027, 3, 9)), (D(2027, 3, 10), D(2027, 3, 16))]
    assert [c.label for c in gantt_rows(plan).columns] == ["2027-W09", "W10", "W11"]


def test_default_start_is_the_monday_after_the_deadline_else_after_today():
    today = D(2026, 12, 2)  # a Wednesday
    assert project_start(None, D(2026, 12, 20), today) == D(2026, 12, 21)  # deadline on a Sunday
    assert project_start(None, D(2026, 12, 21), today) == D(2026, 12, 28)  # deadline on a Monday: the next one
    assert project_start(None, None, today) == D(2026, 12, 7)
    assert schedule(PHASES, deadline=D(2026, 12, 20), today=today).start == D(2026, 12, 21)
    assert schedule(PHASES, today=today).start == D(2026, 12, 7)


def test_a_start_in_late_december_runs_into_the_next_iso_year():
    plan = schedule([("部署", 2), ("验收", 2)], start=D(2026, 12, 21))
    assert [(p.start, p.end) for p in plan.phases] == [(D(2026, 12, 21), D(2027, 1, 1)),
                                                      (D(2027, 1, 4), D(2027, 1, 15))]
    table = gantt_rows(plan)
    assert [c.label for c in table.columns] == ["2026-W52", "W53", "2027-W01", "W02"]  # 2026 has 53 ISO weeks
    assert [row.cells for row in table.rows] == [(True, True, False, False), (False, False, True, True)]


def test_iso_week_year_is_not_the_calendar_year():
    table = gantt_rows(schedule([("a", 2)], start=D(2025, 12, 29)))
    assert [c.label for c in table.columns] == ["2026-W01", "W02"]  # 29 December 2025 is in week 1 of 2026


def test_long_plans_group_weeks_to_fit_the_page():
    table = gantt_rows(schedule([("a", 20), ("b", 40)], start=D(2027, 1, 4)))
    assert len(table.columns) <= MAX_COLUMNS and table.weeks_per_column == 3
    assert table.columns[0].label == "2027-W01–03" and table.columns[1].label == "W04–06"
    assert sum(table.rows[0].cells) == 7 and sum(table.rows[1].cells) == 14  # week 20 shares a column with b


@pytest.mark.parametrize("phases", [[], [("a", 0)], [("a", -1)], [("a", 1.5)], [("a", 600)]])
def test_bad_phases_are_refused(phases):
    with pytest.raises(InputError):
        schedule(phases, start=D(2027, 1, 4))
