"""Search and match results as records (for --json) and as a terminal table."""

from __future__ import annotations

import unicodedata

from docgen.casebook.match import CaseMatch
from docgen.casebook.models import Case
from docgen.casebook.search import SearchHit

SEARCH_COLUMNS = ("rank", "id", "title", "industry", "year", "score", "matched")
MATCH_COLUMNS = ("rank", "id", "title", "industry", "year", "score", "supports")
_MAX_WIDTH = {"title": 34, "matched": 30, "supports": 24, "id": 32}


def case_record(case: Case, score: float) -> dict:
    return {
        "id": case.id, "title": case.title, "industry": case.industry, "tags": list(case.tags),
        "year": case.year, "external": case.external, "score": score, "language": case.language,
        "client": case.client, "summary": case.summary,
    }


def hit_records(hits: list[SearchHit]) -> list[dict]:
    return [{**case_record(h.case, h.score), "rank": n, "matched_terms": list(h.matched_terms)}
            for n, h in enumerate(hits, 1)]


def match_records(matches: list[CaseMatch]) -> list[dict]:
    return [{**case_record(m.case, m.score), "rank": n, "supports": list(m.supports)}
            for n, m in enumerate(matches, 1)]


def text_table(records: list[dict], columns: tuple[str, ...]) -> str:
    """A plain-text table that lines up with Chinese (double-width) characters."""
    rows = [[_cell(r, c) for c in columns] for r in records]
    widths = [max([_width(c)] + [_width(row[i]) for row in rows]) for i, c in enumerate(columns)]
    lines = [_line(columns, widths), _line(["-" * w for w in widths], widths)]
    lines += [_line(row, widths) for row in rows]
    return "\n".join(lines)


def _cell(record: dict, column: str) -> str:
    value = record.get("matched_terms" if column == "matched" else column, "")
    if isinstance(value, list):
        value = " ".join(value)
    text = f"{value:.2f}" if isinstance(value, float) else str(value)
    return _truncate(text, _MAX_WIDTH.get(column, 40))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _truncate(text: str, limit: int) -> str:
    if _width(text) <= limit:
        return text
    out = ""
    for ch in text:
        if _width(out + ch) > limit - 1:
            break
        out += ch
    return out + "…"


def _line(cells, widths) -> str:
    return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()
