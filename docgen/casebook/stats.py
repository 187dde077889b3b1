"""What the recorded outcomes teach the casebook: per case, per industry, per competitor.

Win rate = won / (won + lost): a proposal still pending or not bid says
nothing about a case either way, so it counts among the proposals a case
went into but not in the rate (None when nothing is decided). `since` keeps
the proposals decided on or after a date. A case's "last used" is the latest
release (or decision) date of a proposal that carried it.

The same figures feed `cases match` (a small tie-breaking weight, see
WIN_RATE_WEIGHT) and `cases lint` (cases not used for two years, cases used
in many losses).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import asdict, dataclass

# `cases match`: a case's score is multiplied by 1 + WIN_RATE_WEIGHT × (win rate − 0.5), so a case that
# always wins gains 2.5 % and one that always loses gives up 2.5 %: enough to order near-equal cases,
# never enough to put a less relevant case first. Only with MIN_DECIDED decided proposals.
WIN_RATE_WEIGHT = 0.05
MIN_DECIDED = 3
# `cases lint`: not in any proposal for UNUSED_DAYS; in at least MANY_LOSSES losses and more losses than wins.
UNUSED_DAYS = 730
MANY_LOSSES = 3


@dataclass(frozen=True)
class Tally:
    key: str  # case id, industry or competitor
    proposals: int
    won: int
    lost: int
    last_used: str = ""  # ISO date; cases only

    @property
    def win_rate(self) -> float | None:
        decided = self.won + self.lost
        return round(self.won / decided, 4) if decided else None

    def as_dict(self) -> dict:
        return {**asdict(self), "win_rate": self.win_rate}


@dataclass(frozen=True)
class Stats:
    proposals: int
    won: int
    lost: int
    cases: list[Tally]
    industries: list[Tally]
    competitors: list[Tally]
    first: str = ""  # the earliest decision date recorded (ISO): how far back the record goes

    def as_dict(self) -> dict:
        return {"proposals": self.proposals, "won": self.won, "lost": self.lost,
                "win_rate": Tally("", self.proposals, self.won, self.lost).win_rate,
                "cases": [t.as_dict() for t in self.cases],
                "industries": [t.as_dict() for t in self.industries],
                "competitors": [t.as_dict() for t in self.competitors]}


_COUNTS = "COUNT(*), SUM(p.result = 'won'), SUM(p.result = 'lost')"


def compute(connection: sqlite3.Connection, since: dt.date | None = None) -> Stats:
    """Every figure of `cases stats`, each list most used first."""
    where, args = ("WHERE p.decided >= ?", (since.isoformat(),)) if since else ("", ())
    total = connection.execute(f"SELECT {_COUNTS}, MIN(p.decided) FROM proposals p {where}", args).fetchone()
    cases = [Tally(key, n, won or 0, lost or 0, last or "") for key, n, won, lost, last in connection.execute(
        f"SELECT c.case_id, {_COUNTS}, MAX(CASE WHEN p.released != '' THEN p.released ELSE p.decided END)"
        f" FROM proposal_cases c JOIN proposals p ON p.id = c.proposal_id {where}"
        " GROUP BY c.case_id ORDER BY COUNT(*) DESC, c.case_id", args)]
    industries = _group(connection, "p.industry", where, args)
    competitor_where = f"{where} {'AND' if where else 'WHERE'} p.competitor != ''"
    competitors = _group(connection, "p.competitor", competitor_where, args)
    return Stats(total[0], total[1] or 0, total[2] or 0, cases, industries, competitors, total[3] or "")


def _group(connection, column: str, where: str, args) -> list[Tally]:
    return [Tally(key, n, won or 0, lost or 0) for key, n, won, lost in connection.execute(
        f"SELECT {column}, {_COUNTS} FROM proposals p {where} GROUP BY {column} ORDER BY COUNT(*) DESC, {column}",
        args)]


def win_rates(stats: Stats) -> dict[str, float]:
    """case id -> win rate, for cases with at least MIN_DECIDED decided proposals (for `cases match`)."""
    return {t.key: t.win_rate for t in stats.cases if t.won + t.lost >= MIN_DECIDED and t.win_rate is not None}


def usage_findings(stats: Stats, cases, today: dt.date) -> list[tuple[str, str]]:
    """(case id, what) for `cases lint`: unused for two years, or used in many losses.

    Unused is only said when the record goes back two years, and never of a case of the last two
    years: it has not had its chance.
    """
    by_id = {t.key: t for t in stats.cases}
    found = []
    cutoff = (today - dt.timedelta(days=UNUSED_DAYS)).isoformat()
    long_enough = bool(stats.first) and stats.first <= cutoff
    for case in cases:
        case_id, tally = case.id, by_id.get(case.id)
        unused = tally is None or tally.last_used < cutoff
        if unused and (not long_enough or case.year > today.year - UNUSED_DAYS // 365):
            continue
        if unused:
            last = f"last used {tally.last_used}" if tally else "never used"
            found.append((case_id, f"not in any proposal for two years ({last}); still worth keeping?"))
        elif tally.lost >= MANY_LOSSES and tally.lost > tally.won:
            found.append((case_id, f"used in {tally.lost} lost proposals (won {tally.won}); review what it claims"))
    return found


def format_stats(stats: Stats) -> str:
    """The tables `cases stats` prints."""
    def rate(t: Tally) -> str:
        return "—" if t.win_rate is None else f"{t.win_rate:.0%}"

    lines = [f"{stats.proposals} proposals: won {stats.won}, lost {stats.lost}, win rate "
             f"{rate(Tally('', stats.proposals, stats.won, stats.lost))}", "", "case | proposals | won | lost | win rate | last used"]
    lines += [f"{t.key} | {t.proposals} | {t.won} | {t.lost} | {rate(t)} | {t.last_used}" for t in stats.cases]
    lines += ["", "industry | proposals | won | lost | win rate"]
    lines += [f"{t.key or '—'} | {t.proposals} | {t.won} | {t.lost} | {rate(t)}" for t in stats.industries]
    lines += ["", "competitor | proposals | we won | we lost"]
    lines += [f"{t.key} | {t.proposals} | {t.won} | {t.lost}" for t in stats.competitors]
    return "\n".join(lines)
