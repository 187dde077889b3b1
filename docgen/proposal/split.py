"""`proposal split`: one .docx per module of the draft, for the writer the plan names.

Each module file is the draft itself cut down to the module's part, so it
carries the draft's styles, numbering and theme: a writer's paragraphs,
tables and lists look like the draft's and go back into it unchanged. Before
the module's text come a title, who writes it and by when, the requirements
it must answer (id, text, priority — nothing else from the requirements
file: no notes, no competitors), a short instruction block, and the line
after which assemble takes the text back (docgen.proposal.modules.MARKER).
The page header names the module, the writer and the due date. The folder
gets a manifest (split.json) so assemble knows what was sent out.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.shared import Pt

from docgen.core.docprops import file_digest, read_stamp, stamp
from docgen.core.errors import InputError
from docgen.core.output import StagedFolder, check_writable, safe_filename
from docgen.core.text import clean_text
from docgen.proposal.modules import MANIFEST, MARKER, SEP, W, Entry, Manifest, regions, write_manifest

_RELS_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_R_ATTRS = ("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed",
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}link")
_T = {
    "zh": {"title": "方案模块 {id}：{where}", "labels": ("客户", "撰写人", "截止日期", "草稿版本", "交回给"),
           "reqs": "本模块须回答的需求", "head": ("编号", "需求", "优先级"),
           "how": "撰写说明",
           "steps": ("只修改分隔线以下的内容；章节标题保持不变，可在其下增加段落、表格、列表和图片。",
                     "每条需求都要有回答，并在回答中写出需求编号（如 {example}），合并时据此核对。",
                     "使用文档已有的样式（标题、正文、列表），不要另建样式；合并时以方案的样式为准。",
                     "截止日期前把本文件（文件名不变）交回 {owner}，由其合并、统稿并提交项目审核。"),
           "header": "模块 {id} · {where} · 撰写：{writer} · 截止：{due}",
           "priority": {"must": "必须", "should": "应当", "could": "可选"}},
    "en": {"title": "Proposal module {id}: {where}", "labels": ("Client", "Writer", "Due", "Draft version", "Return to"),
           "reqs": "Requirements this module must answer", "head": ("ID", "Requirement", "Priority"),
           "how": "How to write it",
           "steps": ("Edit only below the line; keep the section heading, add paragraphs, tables, lists and pictures under it.",
                     "Answer every requirement and write its id in the answer (e.g. {example}): the merge checks them.",
                     "Use the document's own styles (headings, body, lists), no new ones: the proposal's styles win when merged.",
                     "Return this file (same name) by the due date to {owner}, who merges it and takes the draft to review."),
           "header": "Module {id} · {where} · writer: {writer} · due: {due}",
           "priority": {"must": "Must", "should": "Should", "could": "Could"}},
}


@dataclass(frozen=True)
class PlanRow:
    module: str
    where: str
    ids: tuple[str, ...]
    writer: str
    due: dt.date | None
    row: int  # row number in the sheet, for updating its status


def read_plan(path) -> list[PlanRow]:
    """The module rows of a plan written by `proposal plan` (rows without a module id are steps)."""
    record = read_stamp(path)
    if record.get("kind") != "plan":
        raise InputError(f"{path}: not a module plan written by `docgen proposal plan` (docgen.kind is "
                         f"{record.get('kind') or 'missing'})")
    sheet = open_plan(path).worksheets[0]
    rows = []
    for number, values in enumerate(sheet.iter_rows(min_row=3, values_only=True), start=3):
        values = list(values) + [None] * 10
        module = str(values[9] or "").strip()
        if not module:
            continue
        ids = tuple(i.strip() for i in str(values[2] or "").replace("、", ",").split(",") if i.strip())
        due = values[6].date() if isinstance(values[6], dt.datetime) else values[6] if isinstance(values[6], dt.date) else None
        rows.append(PlanRow(module, str(values[1] or ""), ids, str(values[5] or "").strip(), due, number))
    if not rows:
        raise InputError(f"{path}, sheet {sheet.title}: no module rows (column J 模块/Module is empty); "
                         "write the plan again with `docgen proposal plan`")
    return rows


def open_plan(path):
    """The plan workbook, size-checked before openpyxl reads it (docgen.core.xlsxguard)."""
    import zipfile

    import openpyxl

    from docgen.core.xlsxguard import check_xlsx, limits_from_env

    check_xlsx(path, str(path), limits_from_env())
    try:
        return openpyxl.load_workbook(path)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise InputError(f"{path}: cannot read this Excel file ({exc.__class__.__name__})") from None


def split(draft, plan, out_dir, *, force: bool = False) -> list[Path]:
    """Write one module file per plan row found in the draft, and the manifest; returns the paths."""
    record = read_stamp(draft)
    if record.get("kind") != "draft":
        raise InputError(f"{draft}: not a proposal draft (docgen.kind is {record.get('kind') or 'missing'}); "
                         "split the draft built by `docgen proposal build`")
    lang = record.get("language") or "zh"
    rows = read_plan(plan)
    plan_client = read_stamp(plan).get("client")
    if plan_client and plan_client != record.get("client"):
        raise InputError(f"{plan}: the plan is for {plan_client}, the draft for {record.get('client')}")
    requirements = _requirements(record)
    source = Path(draft).read_bytes()
    where_found = regions(docx.Document(io.BytesIO(source)))
    missing = [r for r in rows if r.where not in where_found]
    if missing:
        listed = ", ".join(f"{r.module} {r.where}" for r in missing)
        raise InputError(f"{plan}: module(s) not found in {draft}: {listed} (a plan of another stage or draft?)")
    entries, blobs = [], {}
    for row in rows:
        name = safe_filename(f"{row.module}-{row.where.split(SEP)[-1]}") + ".docx"
        data = _module(source, row, record, requirements, lang)
        blobs[name] = data
        entries.append(Entry(row.module, row.where, name, row.writer, row.due.isoformat() if row.due else "",
                             row.ids, _digest(data)))
    manifest = Manifest(str(Path(draft).resolve()), file_digest(draft), str(Path(plan).resolve()), lang,
                        tuple(entries))
    for name in [*blobs, MANIFEST]:
        check_writable(Path(out_dir) / name, force)
    with StagedFolder(out_dir, force=force) as folder:
        for name, data in blobs.items():
            folder.path(name).write_bytes(data)
        folder.path(MANIFEST).write_bytes(write_manifest(manifest))
        return folder.commit()


def _digest(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _requirements(record: dict) -> dict:
    """id -> Requirement from the requirements file the draft records (empty when it is gone)."""
    path = record.get("requirements", "")
    if not path or not Path(path).is_file():
        return {}
    from docgen.intake.requirements import load_requirements

    return {r.id: r for r in load_requirements(path).requirements}


def _module(source: bytes, row: PlanRow, record: dict, requirements: dict, lang: str) -> bytes:
    from docgen.core import docstyles as ds

    t = _T[lang]
    document = docx.Document(io.BytesIO(source))
    body = document.element.body
    first, end = regions(document)[row.where]
    children = list(body)
    kept = children[first:end]
    for element in children:
        if element not in kept and element.tag != f"{W}sectPr":
            body.remove(element)
    owner = record.get("owner") or ""
    document.add_paragraph(t["title"].format(id=row.module, where=row.where), style="Title")
    values = (record.get("client", ""), row.writer, row.due.isoformat() if row.due else "—",
              record.get("version", ""), owner)
    ds.add_label_table(document, t["labels"], [clean_text(v) for v in values], (4.0, 12.6))
    document.add_paragraph(t["reqs"], style="Subtitle")
    table = ds.new_table(document, len(row.ids) + 1, 3, (2.0, 12.0, 2.6))
    for cell, text in zip(table.rows[0].cells, t["head"]):
        ds.set_cell_text(cell, text, bold=True, size=9.5)
    for table_row, rid in zip(table.rows[1:], row.ids):
        requirement = requirements.get(rid)
        cells = (rid, requirement.text if requirement else "", t["priority"].get(requirement.priority, "")
                 if requirement else "")
        for cell, text in zip(table_row.cells, cells):
            ds.set_cell_text(cell, clean_text(text), size=9.5)
    document.add_paragraph(t["how"], style="Subtitle")
    for step in t["steps"]:
        document.add_paragraph(step.format(example=row.ids[0] if row.ids else "R1", owner=owner), style="List Bullet")
    document.add_paragraph(MARKER[lang])
    for element in kept:  # the module's text after the instructions
        body.remove(element)
        body.insert(len(body) - 1, element)
    _drop_unused_pictures(document)
    header = t["header"].format(id=row.module, where=row.where, writer=row.writer,
                                due=row.due.isoformat() if row.due else "—")
    for section in document.sections:
        for part in (section.header, section.first_page_header):
            if part.is_linked_to_previous:
                continue
            paragraphs = part.paragraphs
            for paragraph in paragraphs[1:]:
                paragraph._p.getparent().remove(paragraph._p)
            for run in paragraphs[0].runs:
                run._r.getparent().remove(run._r)
            paragraphs[0].add_run(clean_text(header)).font.size = Pt(9)
    buffer = io.BytesIO()
    document.save(buffer)
    props = {"kind": "module", "module": row.module, "where": row.where, "client": record.get("client", ""),
             "language": lang, "writer": row.writer, "due": row.due.isoformat() if row.due else "",
             "requirement_ids": ",".join(row.ids), "draft_version": record.get("version", "")}
    return stamp(buffer.getvalue(), props)


def _drop_unused_pictures(document) -> None:
    """Pictures of the rest of the draft stay out of the module (smaller files, nothing else to see)."""
    used = {value for element in document.element.body.iter() for attr in _R_ATTRS
            if (value := element.get(attr))}
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype == _RELS_IMAGE and rid not in used:
            part.drop_rel(rid)
