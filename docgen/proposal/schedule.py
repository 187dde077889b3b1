"""实施计划: phases laid out on the calendar, with milestones and a week-by-week Gantt table.

    plan = schedule([("项目启动与调研", 2), ("方案设计", 3), ("实施部署", 6)], start=None,
                    deadline=dt.date(2026, 12, 20), today=dt.date(2026, 12, 2))
    table = gantt_rows(plan)   # week columns and shaded cells for a Word table

Rules:
- The project starts on `start`; without one, on the first Monday after the
  client's deadline (the proposal is decided by then), and without a deadline
  on the next Monday after `today`. A start on a Saturday or Sunday moves to
  the Monday after.
- Phases follow each other; a phase of N weeks ends N weeks after it starts,
  on the last working day (a phase that would end on a weekend ends on the
  Friday before). The next phase starts on the next working day. The end of
  each phase is its milestone.
- Weeks are ISO weeks (Monday to Sunday) labelled with their ISO week-year:
  29 December 2025 is 2026-W01, and a plan starting in late December runs on
  into the next year's weeks. Public holidays are not modelled (China's
  holidays move every year with their make-up working days).
- A long plan groups weeks so the table stays within MAX_COLUMNS columns,
  readable on a printed page.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from docgen.core.errors import InputError

MAX_COLUMNS = 26
MAX_WEEKS = 520  # ten years: anything longer is a typo
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Phase:
    name: str
    weeks: int
    start: dt.date
    end: dt.date  # the milestone: the last working day of the phase


@dataclass(frozen=True)
class Schedule:
    start: dt.date
    end: dt.date
    phases: tuple[Phase, ...]

    @property
    def milestones(self) -> tuple[tuple[str, dt.date], ...]:
        return tuple((phase.name, phase.end) for phase in self.phases)

    @property
    def mondays(self) -> tuple[dt.date, ...]:
        """The Monday of every week the plan touches."""
        first = monday_of(self.start)
        count = (monday_of(self.end) - first).days // 7 + 1
        return tuple(first + dt.timedelta(weeks=i) for i in range(count))


@dataclass(frozen=True)
class WeekColumn:
    label: str  # "W49" or "W49–50"; "2027-W01" where a new ISO year begins
    first_monday: dt.date
    last_sunday: dt.date

    @property
    def date_label(self) -> str:
        return f"{self.first_monday.month}/{self.first_monday.day}"


@dataclass(frozen=True)
class GanttRow:
    name: str
    start: dt.date
    end: dt.date
    cells: tuple[bool, ...]  # one per column: shaded when the phase runs in that column's weeks


@dataclass(frozen=True)
class Gantt:
    columns: tuple[WeekColumn, ...]
    rows: tuple[GanttRow, ...]
    weeks_per_column: int


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def next_monday(day: dt.date) -> dt.date:
    """The Monday after `day` (a week later when `day` is a Monday)."""
    return day + dt.timedelta(days=7 - day.weekday())


def working_day_on_or_after(day: dt.date) -> dt.date:
    return day if day.weekday() < 5 else next_monday(day)


def _working_day_on_or_before(day: dt.date) -> dt.date:
    return day if day.weekday() < 5 else day - dt.timedelta(days=day.weekday() - 4)


def project_start(start: dt.date | None, deadline: dt.date | None, today: dt.date) -> dt.date:
    """The first day of work: `start` (off a weekend), else the Monday after the deadline, else after today."""
    if start is not None:
        return working_day_on_or_after(start)
    return next_monday(deadline if deadline is not None else today)


def schedule(phases: list[tuple[str, int]], start: dt.date | None = None, deadline: dt.date | None = None,
             today: dt.date | None = None) -> Schedule:
    """Lay the phases out one after another from the project start (see the module's rules)."""
    if not phases:
        raise InputError("a schedule needs at least one phase")
    bad = [f"{name!r}: {weeks!r}" for name, weeks in phases if not isinstance(weeks, int) or weeks < 1]
    if bad:
        raise InputError(f"every phase lasts a whole number of weeks, at least 1; not {', '.join(bad)}")
    if sum(weeks for _, weeks in phases) > MAX_WEEKS:
        raise InputError(f"the phases add up to more than {MAX_WEEKS} weeks")
    first = project_start(start, deadline, today or dt.date.today())
    laid_out = []
    begin = first
    for name, weeks in phases:
        end = _working_day_on_or_before(begin + dt.timedelta(weeks=weeks) - _DAY)
        laid_out.append(Phase(name, weeks, begin, end))
        begin = working_day_on_or_after(end + _DAY)
    return Schedule(first, laid_out[-1].end, tuple(laid_out))


def week_label(monday: dt.date, *, with_year: bool) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}" if with_year else f"W{week:02d}"


def gantt_rows(plan: Schedule, max_columns: int = MAX_COLUMNS) -> Gantt:
    """Week columns (grouped by 2, 3 … weeks when the plan is long) and each phase's shaded cells."""
    mondays = plan.mondays
    per = max(1, math.ceil(len(mondays) / max_columns))
    columns = []
    for index in range(0, len(mondays), per):
        group = mondays[index:index + per]
        new_year = index == 0 or group[0].isocalendar()[0] != mondays[index - 1].isocalendar()[0]
        label = week_label(group[0], with_year=new_year)
        if len(group) > 1:
            label += f"–{group[-1].isocalendar()[1]:02d}"
        columns.append(WeekColumn(label, group[0], group[-1] + dt.timedelta(days=6)))
    rows = tuple(
        GanttRow(phase.name, phase.start, phase.end,
                 tuple(phase.start <= column.last_sunday and phase.end >= column.first_monday for column in columns))
        for phase in plan.phases
    )
    return Gantt(tuple(columns), rows, per)
