"""模块撰写分配: the module assignment sheet for one client's proposal.

One row per section of the draft (the detailed stage, the most complete):
the requirement ids it covers, where its text comes from (library section,
case, or placeholder still to write), the owner (default: the presales
owner, the single point of contact who distributes the modules), a due date
before the client's deadline, and a status chosen from a dropdown.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from docgen.core.docprops import stamp
from docgen.core.output import check_writable, write_atomic
from docgen.core.text import clean_text
from docgen.core.workbook_style import style_table
from docgen.proposal.select import Selection

HEADERS = {
    "zh": ("序号", "章节", "对应需求", "内容来源", "来源说明", "负责人", "截止日期", "状态", "备注"),
    "en": ("No.", "Section", "Requirements", "Source", "Source detail", "Owner", "Due", "Status", "Notes"),
}
STATUSES = {"zh": ("未开始", "撰写中", "待审核", "已完成"), "en": ("Not started", "Writing", "In review", "Done")}
SOURCES = {"zh": {"library": "方案库", "case": "案例", "placeholder": "待补充", "generated": "自动生成",
                  "answer": "待应答/待确认"},
           "en": {"library": "library", "case": "case", "placeholder": "to write", "generated": "generated",
                  "answer": "to answer/confirm"}}
# Modules are due this many days before the client deadline, leaving time for 项目审核.
REVIEW_DAYS = 3
_DEFAULT_DAYS = 10  # without a client deadline: due this many days from today


def plan_rows(sel: Selection, *, today: dt.date, deadline: dt.date | None) -> list[tuple]:
    """(section, requirement ids, source key, source detail, owner, due date) per draft section."""
    lang = sel.language
    sep = "、" if lang == "zh" else ", "
    due = due_date(today, deadline)
    rows = []
    for category in sel.categories:
        ids = sep.join(r.id for r in category.requirements)
        for section in category.sections + category.referenced:
            covered = [r.id for r in category.requirements if r not in [p.requirement for p in category.placeholders]]
            rows.append((f"{category.category} — {section.title}", sep.join(covered), "library", section.id, sel.owner, due))
        for placeholder in category.placeholders:
            rows.append((f"{category.category} — {placeholder.requirement.id}", placeholder.requirement.id,
                         "placeholder", placeholder.requirement.text, placeholder.owner, due))
        if not category.sections and not category.referenced and not category.placeholders:
            rows.append((category.category, ids, "placeholder", "", sel.owner, due))
    matrix = "需求应答矩阵" if lang == "zh" else "Requirement response matrix"
    rows.append((matrix, sep.join(a.requirement.id for a in sel.answers), "generated", "", sel.owner, due))
    for answer in sel.answers:  # every row the response library could not answer (or earn) is work to do
        if answer.compliance not in ("full", "partial"):
            detail = answer.assessment.reason(lang) if answer.assessment else answer.requirement.text
            rows.append((f"{matrix} — {answer.requirement.id}", answer.requirement.id, "answer", detail,
                         sel.owner, due))
    for match in sel.cases:
        title = ("案例：" if lang == "zh" else "Case: ") + match.case.title
        rows.append((title, sep.join(match.supports), "case", match.case.id, sel.owner, due))
    return rows


def due_date(today: dt.date, deadline: dt.date | None) -> dt.date:
    if deadline is None:
        return today + dt.timedelta(days=_DEFAULT_DAYS)
    return max(today, deadline - dt.timedelta(days=REVIEW_DAYS))


def write_plan(sel: Selection, out, *, client_name: str, deadline: dt.date | None,
               today: dt.date | None = None, force: bool = False, properties: Mapping[str, str] | None = None,
               phases: list[tuple[str, dt.date, dt.date]] | None = None) -> Path:
    """The assignment workbook; `properties` are recorded as its docgen.* custom properties.

    `phases` (name, start, milestone) add a sheet with the implementation schedule the
    detailed draft prints, so both carry the same dates.
    """
    check_writable(out, force)
    lang = sel.language
    rows = plan_rows(sel, today=today or dt.date.today(), deadline=deadline)
    book = Workbook()
    sheet = book.active
    sheet.title = "模块分配" if lang == "zh" else "Assignments"
    title = f"{client_name} — " + ("方案模块撰写分配" if lang == "zh" else "proposal module assignments")
    sheet.append([clean_text(title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(HEADERS[lang]))
    for number, (section, ids, source, detail, owner, due) in enumerate(rows, start=1):
        sheet.append([number, clean_text(section), clean_text(ids), SOURCES[lang][source], clean_text(detail),
                      clean_text(owner), due, STATUSES[lang][0], ""])
    last = sheet.max_row
    status = DataValidation(type="list", formula1='"' + ",".join(STATUSES[lang]) + '"', allow_blank=False)
    status.add(f"H3:H{max(3, last)}")
    sheet.add_data_validation(status)
    for row in sheet.iter_rows(min_row=3, max_row=last):
        row[6].number_format = "yyyy-mm-dd"
    # Borders, the header kept on screen and on every printed page, one landscape page wide.
    style_table(sheet, lang=lang, widths=(6, 36, 18, 10, 30, 12, 12, 10, 20), header_row=2, landscape=True)
    if phases:
        plan = book.create_sheet("实施计划" if lang == "zh" else "Schedule")
        plan.append(["阶段", "开始", "里程碑（完成）"] if lang == "zh" else ["Phase", "Start", "Milestone (done)"])
        for name, start, end in phases:
            plan.append([clean_text(name), start, end])
        for row in plan.iter_rows(min_row=2):
            row[1].number_format = row[2].number_format = "yyyy-mm-dd"
        style_table(plan, lang=lang, widths=(20, 14, 16))
    buffer = io.BytesIO()
    book.save(buffer)
    return write_atomic(out, stamp(buffer.getvalue(), properties or {"kind": "plan"}), force=force)
