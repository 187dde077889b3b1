"""版本管理: the version number and history of a proposal, in its properties and on its pages.

Every build, assemble and release writes the next version: a build starts at
V0.1, each assemble adds 0.1 (V0.2, V0.3 …), a release makes the next whole
number (V1.0, then V2.0 after V1.x). The history (version, date, who, what
changed) is kept in the document's docgen.* properties as JSON, so the next
step reads it back without parsing pages; the same history is printed in the
document-control table (文档信息) and the version on the cover.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from dataclasses import asdict, dataclass

from docgen.core.errors import InputError
from docgen.proposal.build_templates import L

FIRST = "V0.1"
_VERSION = re.compile(r"V(\d+)\.(\d+)")
COVER_LABELS = {L[lang]["cover"][4] for lang in L}  # the cover table's "版本" / "Version" row
HISTORY_HEADS = {L[lang]["history_head"] for lang in L}


@dataclass(frozen=True)
class Entry:
    version: str
    date: str  # ISO date
    who: str
    what: str


def next_version(current: str, *, release: bool = False) -> str:
    """V0.1 → V0.2; with `release` V0.x → V1.0 and V1.x → V2.0."""
    match = _VERSION.fullmatch((current or "").strip())
    if not match:
        return "V1.0" if release else FIRST
    major, minor = int(match.group(1)), int(match.group(2))
    return f"V{major + 1}.0" if release else f"V{major}.{minor + 1}"


def read_history(record: dict[str, str]) -> list[Entry]:
    """The history recorded in a document's docgen.* properties (docgen.core.docprops.read_stamp)."""
    raw = record.get("history", "")
    if not raw:
        return []
    try:
        return [Entry(**{k: str(item.get(k, "")) for k in ("version", "date", "who", "what")}) for item in json.loads(raw)]
    except (ValueError, TypeError, AttributeError):
        raise InputError(f"docgen.history property is not a version history: {raw[:60]!r}") from None


def history_json(entries: list[Entry]) -> str:
    return json.dumps([asdict(e) for e in entries], ensure_ascii=False)


def add_entry(record: dict[str, str], *, who: str, what: str, today: dt.date, release: bool = False) -> list[Entry]:
    """The record's history with the next version appended."""
    history = read_history(record)
    current = record.get("version") or (history[-1].version if history else "")
    version = next_version(current, release=release) if current else FIRST
    return [*history, Entry(version, today.isoformat(), who, what)]


def show(document, entries: list[Entry], lang: str) -> None:
    """Print the last version on the cover and the whole history in the document-control table."""
    from docgen.proposal.context import format_date

    version = entries[-1].version
    for table in document.tables:
        if is_control_table(table):
            _fill_history(table, [(e.version, format_date(dt.date.fromisoformat(e.date), lang), e.who, e.what)
                                  for e in entries])
        elif len(table._tbl.tblGrid.gridCol_lst) == 2:  # label tables only: reading every cell is slow
            for row in table.rows:
                cells = row.cells
                if len(cells) == 2 and cells[0].text.strip() in COVER_LABELS:
                    _set_text(cells[1], version)


def is_control_table(table) -> bool:
    """The document-control (history) table: the diff leaves it out, the version line says it all."""
    if len(table._tbl.tblGrid.gridCol_lst) != 4 or not table.rows:
        return False
    return tuple(c.text.strip() for c in table.rows[0].cells) in HISTORY_HEADS


def _fill_history(table, rows: list[tuple[str, ...]]) -> None:
    body = table.rows[1:]
    if not body:
        return
    model = body[-1]._tr
    for row in body:
        row._tr.getparent().remove(row._tr)
    parent = table._tbl
    for values in rows:
        tr = copy.deepcopy(model)
        parent.append(tr)
        row = table.rows[-1]
        for cell, value in zip(row.cells, values):
            _set_text(cell, value)


def _set_text(cell, text: str) -> None:
    """Replace a cell's text keeping its first run's formatting."""
    paragraphs = cell.paragraphs
    for extra in paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    paragraph = paragraphs[0]
    runs = paragraph.runs
    if runs:
        runs[0].text = text
        for run in runs[1:]:
            run._r.getparent().remove(run._r)
    else:
        paragraph.add_run(text)
