"""Which case studies back a client's requirements (also used inside proposals).

Each requirement becomes a search (its text, category and tags). A case's
support for a requirement is its score relative to the best case for that
requirement (0…1), so a long requirement text cannot drown out a short one.
The case's total weighs must-haves over should- and could-haves, then favours
the client's industry and, slightly, recent cases and — when outcomes are
recorded (docgen.casebook.stats) — cases that won more often.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from docgen.casebook.models import Case
from docgen.casebook.search import CaseIndex, SearchHit, build_index
from docgen.intake.models import RequirementsFile

PRIORITY_WEIGHT = {"must": 3.0, "should": 1.5, "could": 1.0}
SAME_INDUSTRY = 1.5      # a bank wants to hear about banks
RECENT_BONUS = 0.03      # per year newer, up to RECENT_YEARS: "slightly higher"
RECENT_YEARS = 5
SUPPORT_FLOOR = 0.35     # a case "supports" a requirement at ≥ 35 % of the best case's score
_WINDOW = 100            # hits fetched per search at first (most requirements need fewer)


@dataclass(frozen=True)
class CaseMatch:
    case: Case
    score: float
    supports: tuple[str, ...]  # requirement ids, in the file's order


def match_cases(req_file: RequirementsFile, cases: list[Case] | None, *, top: int | None = 5,
                external_only: bool = True, index: CaseIndex | None = None,
                today: dt.date | None = None, win_rates: dict[str, float] | None = None) -> list[CaseMatch]:
    """The `top` cases that best back `req_file`, best first (only cases that support something).

    `win_rates` (case id -> won/decided, docgen.casebook.stats.win_rates) add a small weight
    (stats.WIN_RATE_WEIGHT) that orders near-equal cases by how often they won.
    cases=None with an index: every case in it (not a list of 2,000 cases read only to name them all).
    """
    from docgen.casebook.stats import WIN_RATE_WEIGHT

    if index is None:
        index = build_index(cases or [])
    wanted = None if cases is None else {c.id for c in cases}
    this_year = (today or dt.date.today()).year
    relevance: dict[str, float] = {}
    supports: dict[str, list[str]] = {}
    by_id: dict[str, Case] = {}
    for req in req_file.requirements:
        query = " ".join((req.text, req.category, *req.tags))
        hits = _supporting(index, query, wanted, include_internal=not external_only)
        if not hits:
            continue
        best = hits[0].score
        for hit in hits:
            share = hit.score / best
            if share < SUPPORT_FLOOR:
                break  # hits are sorted: the rest support even less
            by_id[hit.case.id] = hit.case
            relevance[hit.case.id] = relevance.get(hit.case.id, 0.0) + PRIORITY_WEIGHT.get(req.priority, 1.0) * share
            supports.setdefault(hit.case.id, []).append(req.id)
    ranked = []
    for case_id, value in relevance.items():
        case = by_id[case_id]
        if case.industry == req_file.client.industry:
            value *= SAME_INDUSTRY
        age = max(0, min(RECENT_YEARS, this_year - case.year))
        value *= 1 + RECENT_BONUS * (RECENT_YEARS - age)
        if win_rates and case_id in win_rates:
            value *= 1 + WIN_RATE_WEIGHT * (win_rates[case_id] - 0.5)
        ranked.append(CaseMatch(case, round(value, 4), tuple(supports[case_id])))
    ranked.sort(key=lambda m: (-m.score, -m.case.year, m.case.id))
    return ranked if top is None else ranked[:top]


def _supporting(index: CaseIndex, query: str, wanted: set[str] | None, *, include_internal: bool) -> list[SearchHit]:
    """The hits that can reach SUPPORT_FLOOR, best first: fetched in growing windows, not all ~1,800."""
    if wanted is None:  # every case counts: only those over the floor are read from the index
        return index.over_share(query, SUPPORT_FLOOR, window=_WINDOW, include_internal=include_internal)
    window = _WINDOW
    while True:
        found = index.search(query, top=window, include_internal=include_internal, matched=False)
        hits = [h for h in found if h.case.id in wanted]
        if len(found) < window or (hits and found[-1].score < SUPPORT_FLOOR * hits[0].score):
            return hits
        window *= 4
