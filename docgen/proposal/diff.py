"""`proposal diff`: what changed between two versions of a proposal, by section, for people.

Both documents are read as a sequence of items — headings, paragraphs (a
picture counts as "[图片]"/"[picture]" text), table rows — each under the
heading path it sits in. difflib aligns the two sequences; a replaced
paragraph is reported as changed (old → new), a replaced table row cell by
cell. The document-control table and the cover's version line are left out:
the report's first line gives the two versions instead.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from docgen.core.docprops import read_stamp
from docgen.core.errors import InputError
from docgen.core.finish import DocumentInfo, finish_document
from docgen.core.output import check_writable, write_atomic
from docgen.proposal.modules import heading_levels, level_of
from docgen.proposal.versions import COVER_LABELS, is_control_table

_PICTURE = {"zh": "[图片]", "en": "[picture]"}
_LABELS = {
    "zh": {"added": "新增", "removed": "删除", "changed": "修改", "title": "方案版本差异", "cover": "封面",
           "head": ("变化", "对象", "原内容", "新内容"), "none": "两个版本的正文和表格没有差异。",
           "versions": "版本 {old} → {new}", "row": "表格行", "cell": "单元格", "paragraph": "段落",
           "heading": "标题"},
    "en": {"added": "added", "removed": "removed", "changed": "changed", "title": "Proposal version differences",
           "cover": "Cover", "head": ("Change", "What", "Before", "After"),
           "none": "No difference in the text or tables of the two versions.",
           "versions": "Version {old} → {new}", "row": "table row", "cell": "cell", "paragraph": "paragraph",
           "heading": "heading"},
}


@dataclass(frozen=True)
class Item:
    section: str
    kind: str  # heading | paragraph | row
    text: str
    cells: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()  # the header row of the row's table


@dataclass(frozen=True)
class Change:
    section: str
    change: str  # added | removed | changed
    kind: str  # heading | paragraph | row | cell
    where: str  # for a cell: its column's header
    old: str
    new: str


@dataclass(frozen=True)
class Report:
    old_version: str
    new_version: str
    language: str
    changes: list[Change]

    def by_section(self) -> dict[str, list[Change]]:
        grouped: dict[str, list[Change]] = {}
        for change in self.changes:
            grouped.setdefault(change.section, []).append(change)
        return grouped


def read_items(document, lang: str) -> list[Item]:
    """Headings, non-empty paragraphs and table rows of the body, each with its heading path."""
    items: list[Item] = []
    path: list[str] = []
    cover = _LABELS[lang]["cover"]
    levels = heading_levels(document)
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if block._p.xpath(".//w:drawing"):
                text = f"{text} {_PICTURE[lang]}".strip()
            level = level_of(block._p, levels)
            if level and text:
                path = path[:level - 1] + [text]
                items.append(Item(" › ".join(path[:-1]) or cover, "heading", text))
            elif text:
                items.append(Item(" › ".join(path) or cover, "paragraph", text))
        elif isinstance(block, Table) and not is_control_table(block):
            rows = [tuple(cell.text.strip() for cell in row.cells) for row in block.rows]
            header = rows[0] if rows else ()
            for cells in rows:
                if len(cells) == 2 and cells[0] in COVER_LABELS:
                    continue  # the version line: reported once, at the top
                items.append(Item(" › ".join(path) or cover, "row", " | ".join(cells), cells, header))
    return items


def _open(path) -> tuple[object, dict]:
    try:
        return docx.Document(str(path)), read_stamp(path)
    except InputError:
        raise
    except Exception as exc:  # python-docx raises several kinds for a bad package
        raise InputError(f"{path}: not a readable Word document ({exc.__class__.__name__})") from None


def compare(old_path, new_path) -> Report:
    """The changes from OLD to NEW, in document order."""
    old_doc, old_record = _open(old_path)
    new_doc, new_record = _open(new_path)
    lang = new_record.get("language") or old_record.get("language") or "zh"
    old, new = read_items(old_doc, lang), read_items(new_doc, lang)
    matcher = difflib.SequenceMatcher(None, [(i.kind, i.text) for i in old], [(i.kind, i.text) for i in new],
                                      autojunk=False)
    changes: list[Change] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        removed, added = old[a1:a2], new[b1:b2]
        while removed and added and removed[0].kind == added[0].kind:
            changes += _changed(removed.pop(0), added.pop(0))
        changes += [Change(i.section, "removed", i.kind, "", i.text, "") for i in removed]
        changes += [Change(i.section, "added", i.kind, "", "", i.text) for i in added]
    return Report(old_record.get("version", "?"), new_record.get("version", "?"), lang, changes)


def _changed(before: Item, after: Item) -> list[Change]:
    if before.kind == "row" and len(before.cells) == len(after.cells):
        return [Change(after.section, "changed", "cell", after.columns[n] if n < len(after.columns) else str(n + 1),
                       a, b)
                for n, (a, b) in enumerate(zip(before.cells, after.cells)) if a != b]
    return [Change(after.section, "changed", after.kind, "", before.text, after.text)]


def format_report(report: Report) -> str:
    """The plain-text report `proposal diff` prints."""
    t = _LABELS[report.language]
    lines = [t["versions"].format(old=report.old_version, new=report.new_version)]
    if not report.changes:
        return "\n".join(lines + [t["none"]])
    for section, changes in report.by_section().items():
        lines.append(f"\n## {section}")
        for c in changes:
            where = t[c.kind] + (f" [{c.where}]" if c.where else "")
            if c.change == "changed":
                lines.append(f"  {t['changed']} {where}: {c.old!r} → {c.new!r}")
            else:
                lines.append(f"  {t[c.change]} {where}: {(c.new or c.old)!r}")
    counts = {k: sum(c.change == k for c in report.changes) for k in ("added", "removed", "changed")}
    lines.append("\n" + ", ".join(f"{t[k]} {n}" for k, n in counts.items()))
    return "\n".join(lines)


def write_report(report: Report, out, *, force: bool = False) -> Path:
    """The same report as a Word document: one heading per section, one table of its changes."""
    from docgen.core import docstyles as ds

    check_writable(out, force)
    t = _LABELS[report.language]
    document = ds.new_document(report.language)
    document.add_paragraph(t["title"], style="Title")
    document.add_paragraph(t["versions"].format(old=report.old_version, new=report.new_version), style="Subtitle")
    if not report.changes:
        document.add_paragraph(t["none"])
    for section, changes in report.by_section().items():
        document.add_paragraph(section, style="Heading 1")
        table = ds.new_table(document, len(changes) + 1, 4, (2.0, 3.4, 5.6, 5.6))
        for cell, text in zip(table.rows[0].cells, t["head"]):
            ds.set_cell_text(cell, text, bold=True, size=9.5)
        ds.set_repeat_table_header(table.rows[0])
        for row, c in zip(table.rows[1:], changes):
            where = t[c.kind] + (f" [{c.where}]" if c.where else "")
            for cell, text in zip(row.cells, (t[c.change], where, c.old, c.new)):
                ds.set_cell_text(cell, text, size=9.5)
    buffer = io.BytesIO()
    document.save(buffer)
    props = {"kind": "diff", "language": report.language, "old_version": report.old_version,
             "new_version": report.new_version}
    info = DocumentInfo(title=f"{t['title']} {report.old_version} → {report.new_version}", author="",
                        language=report.language, properties=props)
    return write_atomic(out, finish_document(buffer.getvalue(), info), force=force)
