"""模块撰写分配: the module assignment sheet for one client's proposal.

One row per module of the draft (the detailed stage, the most complete): a
solution category, the response matrix, a case — where it sits in the draft,
the requirement ids it answers, where its text comes from (library section,
case, or placeholder still to write), its writer (docgen.proposal.assign: by
role and load), a due date staggered back from the client's deadline, a status
chosen from a dropdown and the module id `proposal split` and `assemble` use.
Two last rows keep the merge and the review (项目审核) with the presales owner,
the single point of contact for the client.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
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
    "zh": ("序号", "章节", "对应需求", "内容来源", "来源说明", "负责人", "截止日期", "状态", "备注", "模块"),
    "en": ("No.", "Section", "Requirements", "Source", "Source detail", "Owner", "Due", "Status", "Notes", "Module"),
}
STATUSES = {"zh": ("未开始", "撰写中", "待审核", "已完成"), "en": ("Not started", "Writing", "In review", "Done")}
SOURCES = {"zh": {"library": "方案库", "case": "案例", "placeholder": "待补充", "generated": "自动生成",
                  "answer": "待应答/待确认", "step": "流程"},
           "en": {"library": "library", "case": "case", "placeholder": "to write", "generated": "generated",
                  "answer": "to answer/confirm", "step": "process"}}
STEPS = {"zh": ("合并与统稿", "项目审核"), "en": ("Merge the modules", "Review before sending")}
# Staggered back from the client deadline: 项目审核 REVIEW_DAYS before it, the merge MERGE_DAYS before
# the review, every writer's last module MODULE_DAYS before the merge and each earlier one
# STAGGER_DAYS before the next, so nobody has all their modules due on one day.
REVIEW_DAYS = 3
MERGE_DAYS = 2
MODULE_DAYS = 2
STAGGER_DAYS = 2
_DEFAULT_DAYS = 14  # without a client deadline: the review this many days from today


@dataclass(frozen=True)
class Module:
    """One piece of the draft a writer gets (`proposal split`) and returns (`proposal assemble`)."""

    id: str  # M01 …
    where: str  # the heading path in the draft: "解决方案 › 灾备"
    ids: tuple[str, ...]  # the requirements it must answer
    source: str  # a key of SOURCES
    detail: str
    role: str  # the team role that writes it (docgen.proposal.company.ROLES)


def modules(sel: Selection) -> list[Module]:
    """The draft's modules: one per solution category, the response matrix, one per case."""
    from docgen.proposal.build_templates import L
    from docgen.proposal.complete import AREA_ROLES

    lang = sel.language
    sep = "、" if lang == "zh" else ", "
    found: list[Module] = []
    for category in sel.categories:
        todo = [p.requirement.id for p in category.placeholders]
        sources = [s.id for s in category.sections + category.referenced]
        detail = sep.join(sources)
        if todo:
            detail = (detail + "; " if detail else "") + SOURCES[lang]["placeholder"] + ": " + sep.join(todo)
        words = f"{category.category} {' '.join(t for r in category.requirements for t in r.tags)}".casefold()
        role = next((role for keys, role in AREA_ROLES if any(k in words for k in keys)), "solution_architect")
        found.append(Module("", f"{L[lang]['solution']} › {category.category}",
                            tuple(r.id for r in category.requirements), "library" if sources else "placeholder",
                            detail, role))
    if sel.stage == "detailed":
        open_rows = [a.requirement.id for a in sel.answers if a.compliance not in ("full", "partial")]
        found.append(Module("", L[lang]["matrix"], tuple(a.requirement.id for a in sel.answers),
                            "answer" if open_rows else "generated", sep.join(open_rows), "solution_architect"))
    for match in sel.cases:
        found.append(Module("", f"{L[lang]['cases']} › {match.case.title}", tuple(match.supports), "case",
                            match.case.id, "case"))
    return [Module(f"M{n:02d}", m.where, m.ids, m.source, m.detail, m.role) for n, m in enumerate(found, start=1)]


def plan_rows(sel: Selection, *, today: dt.date, deadline: dt.date | None, team=(),
              writers: list[str] | None = None) -> list[tuple]:
    """(section, requirement ids, source key, source detail, owner, due date, module id) per module,
    then the merge and review steps, which the presales owner keeps."""
    from docgen.proposal.assign import assign

    lang = sel.language
    sep = "、" if lang == "zh" else ", "
    found = modules(sel)
    review = review_date(today, deadline)
    merge = max(today, review - dt.timedelta(days=MERGE_DAYS))
    last_due = max(today, merge - dt.timedelta(days=MODULE_DAYS))
    owners = assign(found, team=team, writers=writers, owner=sel.owner, language=lang)
    dues = staggered(owners, last_due, today)
    rows = [(m.where, sep.join(m.ids), m.source, m.detail, owners[m.id], dues[m.id], m.id) for m in found]
    rows.append((STEPS[lang][0], "", "step", "", sel.owner, merge, ""))
    rows.append((STEPS[lang][1], "", "step", "", sel.owner, review, ""))
    return rows


def staggered(owners: dict[str, str], last_due: dt.date, today: dt.date) -> dict[str, dt.date]:
    """Each writer's modules due STAGGER_DAYS apart, the last on `last_due` (never before today)."""
    dues: dict[str, dt.date] = {}
    for writer in set(owners.values()):
        mine = [module for module, who in owners.items() if who == writer]
        for back, module in enumerate(reversed(mine)):
            dues[module] = max(today, last_due - dt.timedelta(days=STAGGER_DAYS * back))
    return dues


def review_date(today: dt.date, deadline: dt.date | None) -> dt.date:
    if deadline is None:
        return today + dt.timedelta(days=_DEFAULT_DAYS)
    return max(today, deadline - dt.timedelta(days=REVIEW_DAYS))


def write_plan(sel: Selection, out, *, client_name: str, deadline: dt.date | None,
               today: dt.date | None = None, force: bool = False, properties: Mapping[str, str] | None = None,
               phases: list[tuple[str, dt.date, dt.date]] | None = None, team=(),
               writers: list[str] | None = None) -> Path:
    """The assignment workbook; `properties` are recorded as its docgen.* custom properties.

    `phases` (name, start, milestone) add a sheet with the implementation schedule the
    detailed draft prints, so both carry the same dates.
    """
    check_writable(out, force)
    lang = sel.language
    rows = plan_rows(sel, today=today or dt.date.today(), deadline=deadline, team=team, writers=writers)
    book = Workbook()
    sheet = book.active
    sheet.title = "模块分配" if lang == "zh" else "Assignments"
    title = f"{client_name} — " + ("方案模块撰写分配" if lang == "zh" else "proposal module assignments")
    sheet.append([clean_text(title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(HEADERS[lang]))
    for number, (section, ids, source, detail, owner, due, module) in enumerate(rows, start=1):
        sheet.append([number, clean_text(section), clean_text(ids), SOURCES[lang][source], clean_text(detail),
                      clean_text(owner), due, STATUSES[lang][0], "", module])
    last = sheet.max_row
    status = DataValidation(type="list", formula1='"' + ",".join(STATUSES[lang]) + '"', allow_blank=False)
    status.add(f"H3:H{max(3, last)}")
    sheet.add_data_validation(status)
    for row in sheet.iter_rows(min_row=3, max_row=last):
        row[6].number_format = "yyyy-mm-dd"
    # Borders, the header kept on screen and on every printed page, one landscape page wide.
    style_table(sheet, lang=lang, widths=(6, 36, 18, 10, 30, 12, 12, 10, 20, 8), header_row=2, landscape=True)
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
