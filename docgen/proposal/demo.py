"""The proposal part of `docgen demo`: every stage, the brief and the plan for each bundled example client,
then a client's own response sheet imported, answered, and a draft put through the review gate."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from docgen.core.config import Settings, bundled_path
from docgen.core.output import write_atomic
from docgen.proposal.build import prepare, render_brief, render_draft, render_plan
from docgen.proposal.quote import build_quote
from docgen.proposal.select import STAGES

# A city commercial bank's 技术规格响应表, as such sheets come with a tender: a title row, the
# bidder's columns to fill, ★ for substantive clauses, section rows for categories.
QUESTIONNAIRE_TITLE = "华东某城市商业银行数据中心灾备建设项目 技术规格响应表"
QUESTIONNAIRE_HEADER = ("序号", "技术要求", "是否★", "投标人响应", "是否满足", "偏离说明")
QUESTIONNAIRE_ROWS = (
    ("一、灾备",),
    ("1.1", "建设同城双活数据中心,核心系统 RPO=0,RTO≤30分钟", "★"),
    ("1.2", "异地灾备中心距主中心不少于300公里,异地 RPO<15分钟", "★"),
    ("1.3", "每年至少组织两次真实业务切换演练,并提供演练报告", ""),
    ("二、备份与数据保护",),
    ("2.1", "核心数据库每日全量、每小时增量备份,备份数据保留期不少于180天", "★"),
    ("2.2", "备份数据保留一份不可篡改副本,防范勒索软件", ""),
    ("三、安全合规",),
    ("3.1", "系统满足等保2.0三级要求", "★"),
    ("3.2", "重要数据传输和存储采用国密SM2/SM3/SM4算法", ""),
    ("3.3", "网点视频监控录像集中存储与智能分析", ""),
)
# What the presales owner types into the imported file before anything else runs.
CLIENT_FIELDS = {"name": "华东某城市商业银行", "industry": "finance", "presales_owner": "张伟"}


def demo(out_dir: Path, *, settings: Settings | None = None, force: bool = False) -> list[Path]:
    """Write `<out_dir>/proposal/<example>/{intro,solution,detailed,brief}.docx`, `plan.xlsx`, the check
    of the detailed draft, and `<out_dir>/proposal/client-sheet/` (the client's sheet, imported and answered)."""
    written: list[Path] = []
    for example in sorted(bundled_path("requirements_forms").glob("example-*.yaml")):
        folder = Path(out_dir) / "proposal" / example.stem
        prepared = prepare(example, settings=settings)
        for stage in STAGES:
            written.append(render_draft(prepared, stage, folder / f"{stage}.docx", force=force))
        written.append(render_brief(prepared, folder / "brief.docx", force=force))
        written.append(render_plan(prepared, folder / "plan.xlsx", force=force))
        written.append(_check(folder / "detailed.docx", folder / "check-detailed.txt", force))
        written += build_quote(example, folder / "quote.xlsx", settings=settings, discount=Decimal("0.05"),
                               docx=True, force=force)
    written += _client_sheet(Path(out_dir) / "proposal" / "client-sheet", settings, force)
    return written


def _check(draft: Path, out: Path, force: bool) -> Path:
    """What `docgen proposal check` prints for the draft (it exits 1 while anything is open)."""
    from docgen.proposal.check import format_findings, gate_findings

    findings = gate_findings(draft)
    text = f"$ docgen proposal check {draft.name}\n{format_findings(findings)}\n(exit {1 if findings else 0})\n"
    return write_atomic(out, text.encode("utf-8"), force=force)


def _client_sheet(folder: Path, settings: Settings | None, force: bool) -> list[Path]:
    """The client's sheet → requirements import → the owner fills the client fields → respond."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from docgen.intake.questionnaire import import_questionnaire
    from docgen.proposal.respond import respond

    book = Workbook()
    sheet = book.active
    sheet.title = "技术规格响应表"
    sheet.append([QUESTIONNAIRE_TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(QUESTIONNAIRE_HEADER))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(QUESTIONNAIRE_HEADER))
    for cell in sheet[2]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="FCE4D6")
    for row in QUESTIONNAIRE_ROWS:
        sheet.append(list(row))
        if len(row) == 1:
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    for letter, width in zip("ABCDEF", (8, 52, 8, 40, 10, 30)):
        sheet.column_dimensions[letter].width = width
        for cell in sheet[letter]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    client_sheet = write_atomic(folder / "client-sheet.xlsx", buffer.getvalue(), force=force)

    imported, _ = import_questionnaire(client_sheet, folder / "requirements.yaml", force=force)
    text = imported.read_text(encoding="utf-8")
    for field, value in CLIENT_FIELDS.items():
        text = text.replace(f"\n  {field}:\n", f"\n  {field}: {value}\n", 1)
    write_atomic(imported, text.encode("utf-8"), force=True)
    answered = respond(client_sheet, imported, folder / "client-sheet-answered.xlsx", force=force, settings=settings)
    return [client_sheet, imported, answered.path]
