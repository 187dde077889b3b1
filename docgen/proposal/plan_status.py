"""The plan's status and notes columns after `proposal assemble`: what became of each module."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docgen.core.docprops import read_stamp, stamp
from docgen.core.output import write_atomic
from docgen.proposal.plan import STATUSES

_NOTES = {
    "zh": {"merged": "{day} 已合并入 {version}", "deleted": "{day} 已合并入 {version}；删除了需求 {ids} 的回答，请补回",
           "missing": "{day} 未交回，{version} 沿用上一版内容"},
    "en": {"merged": "{day} merged into {version}", "deleted": "{day} merged into {version}; the answer to {ids} was removed, put it back",
           "missing": "{day} not returned; {version} keeps the previous text"},
}


def update_status(plan: Path, manifest, result, lang: str, day: dt.date) -> Path:
    """Done for a merged module, In review when it lost an answer, Writing when not returned."""
    from docgen.proposal.split import open_plan

    book = open_plan(plan)
    sheet = book.worksheets[0]
    statuses, notes = STATUSES[lang], _NOTES[lang]
    sep = "、" if lang == "zh" else ", "
    modules = {e.id for e in manifest.modules}
    for row in sheet.iter_rows(min_row=3):
        module = str(row[9].value or "").strip() if len(row) > 9 else ""
        if module not in modules:
            continue
        values = {"day": day.isoformat(), "version": result.version}
        if module in result.deleted:
            status, note = statuses[2], notes["deleted"].format(ids=sep.join(result.deleted[module]), **values)
        elif module in result.merged:
            status, note = statuses[3], notes["merged"].format(**values)
        elif module in result.not_returned:
            status, note = statuses[1], notes["missing"].format(**values)
        else:
            continue
        row[7].value, row[8].value = status, note
    buffer = io.BytesIO()
    book.save(buffer)
    return write_atomic(plan, stamp(buffer.getvalue(), read_stamp(plan)), force=True)
