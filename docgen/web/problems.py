"""A DocgenError as rows of a table: file, sheet, row, column, line, field, message."""

from __future__ import annotations

from docgen.core.errors import DocgenError, InputError


def problem_records(exc: DocgenError, upload: str = "", name: str = "") -> list[dict]:
    """Every problem of an error with its place; the stored upload's path shown as the user's file name."""
    def clean(text):
        return text.replace(upload, name) if upload and text else text

    if not isinstance(exc, InputError):
        return [{"file": "", "sheet": "", "row": "", "column": "", "line": "", "field": "", "message": clean(str(exc))}]
    records = []
    for p in exc.problems:
        w = p.where
        records.append({"file": clean(w.file or ""), "sheet": w.sheet or "", "row": w.row if w.row is not None else "",
                        "column": w.column or "", "line": w.line if w.line is not None else "",
                        "field": w.field or "", "message": clean(p.message)})
    return records
