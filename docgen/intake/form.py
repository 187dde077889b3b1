"""The blank intake form (`docgen requirements new`) and filled copies of it.

A presales engineer fills the form in after a client meeting; the loader in
docgen.intake.raw reads it back without any edit to its structure.
Headers are "english 中文" (the loader matches the English word); example
rows are grey and their key cell starts with "示例-"/"example-", which is how
the loader knows to skip them even after the grey fill is lost.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from docgen.core.output import write_atomic
from docgen.core.workbook_style import labeled, print_setup, style_table
from docgen.core.vocabulary import INDUSTRIES, INDUSTRY_NAMES_ZH
from docgen.intake.models import RequirementsFile

FORM_ROWS = 300  # rows prepared with formats and dropdowns
_EXAMPLE_FILL = PatternFill("solid", fgColor="EDEDED")
_EXAMPLE_FONT = Font(italic=True, color="7F7F7F")
_WRAP = Alignment(wrap_text=True, vertical="top")

INDUSTRY_CHOICES = [f"{i} {INDUSTRY_NAMES_ZH[i]}" for i in INDUSTRIES]
PRIORITY_CHOICES = ["must 必须", "should 应该", "could 可选"]
TRUST_CHOICES = ["low 低", "medium 中", "high 高"]
LANGUAGE_CHOICES = ["zh 中文", "en English"]

# field: (Chinese label, required, zh explanation, en explanation, zh example, en example)
CLIENT_ROWS = {
    "name": ("客户名称", True, "客户全称", "Client's full name", "华东某城市商业银行", "Harbor Logistics Ltd."),
    "industry": ("行业", True, "从下拉列表选择", "Pick from the list", "finance 金融", "transport 交通"),
    "language": ("文档语言", False, "生成文档的语言，默认 zh", "Language of the documents (default zh)",
                 "zh 中文", "en English"),
    "trust": ("信任度", False, "客户对我们的信任度；低 = 方案中多放案例", "How much the client trusts us; low = more cases",
              "low 低", "high 高"),
    "presales_owner": ("售前负责人", True, "只填一人：专人负责", "Exactly one person owns the client", "张伟", "Alex Chen"),
    "sales_owner": ("销售负责人", False, "", "", "李娜", "Maria Lopez"),
    "region": ("区域", False, "", "", "华东", "APAC"),
    "deadline": ("方案截止日期", False, "格式 2026-12-20", "A date such as 2026-12-20", "2026-12-20", "2026-12-20"),
    "project_name": ("项目名称", False, "印在方案封面和页眉", "On the proposal cover and in the header",
                     "同城双活数据中心建设项目", "Regional data centre consolidation"),
    "background": ("客户背景", False, "现状、痛点、项目由来；会印在方案中", "Current situation and why the project exists; "
                   "printed in the proposal", "核心系统运行在单一机房……", "Warehouses run on a 10-year-old WMS…"),
    "internal_notes": ("内部备注", False, "只给我方看：只进内部简报，不进任何客户文档",
                       "For us only: the internal brief, never a customer document",
                       "对新供应商的实施能力存疑", "Unsure we can deliver at their scale"),
}
TABLES = {
    "Contacts": (
        [("name", "姓名", 18), ("role", "职务", 24), ("email", "邮箱", 28), ("phone", "电话", 18)],
        {"zh": [["示例-王主任", "信息科技部主任", "wang@example.com", "021-12345678"]],
         "en": [["example-Jane Doe", "IT Director", "jane@example.com", "+65 6123 4567"]]},
    ),
    "Requirements": (
        [("id", "编号", 10), ("category", "类别", 14), ("text", "需求描述", 60), ("priority", "优先级", 14),
         ("tags", "标签（逗号分隔）", 28), ("notes", "备注", 36)],
        {"zh": [["示例-R1", "灾备", "同城双活数据中心，RPO=0，RTO<30分钟", "must 必须", "disaster-recovery, storage",
                 "监管检查前必须上线"],
                ["示例-R2", "安全", "满足等保2.0三级要求", "should 应该", "security, compliance", ""]],
         "en": [["example-R1", "Backup", "Nightly backup of all warehouse databases, 30-day retention",
                 "must 必须", "backup, data-protection", "Auditors asked for it"],
                ["example-R2", "Integration", "Single sign-on with the existing Azure AD", "could 可选", "sso", ""]]},
    ),
    "Competitors": (
        [("name", "名称", 20), ("strengths", "优势", 40), ("weaknesses", "劣势", 40)],
        {"zh": [["示例-某友商", "价格低", "本地服务弱"]],
         "en": [["example-Rival Co", "Low price", "No local support team"]]},
    ),
}

INSTRUCTIONS = {
    "zh": [
        "客户需求采集表（售前填写）",
        "",
        "1. 与客户交流后由售前工程师本人填写，不要由销售转述。每个客户只有一位售前负责人（专人负责）。",
        "2. Client 表：在「value 值」列填写；带 * 的为必填。行业、文档语言、信任度请用下拉列表。",
        "3. Requirements 表：每行一条需求。id 在本文件内唯一；priority 选 must/should/could（也可写 高/中/低）；"
        "tags 用逗号分隔；category 用于把需求归入方案章节。",
        "4. Contacts 表：客户方联系人。Competitors 表：竞争对手，仅内部使用，绝不会出现在给客户的文档中。",
        "5. 灰色行为示例，以「示例-」开头，读取时会被忽略；可以保留，也可以删除。",
        "6. 不要修改表名和表头（表头的英文单词用于识别，中文可改）。",
        "7. 检查：docgen requirements check 本文件.xlsx；生成方案：docgen proposal build 本文件.xlsx --stage intro -o 方案.docx",
    ],
    "en": [
        "Client requirements intake form (filled in by presales)",
        "",
        "1. Fill it in yourself after meeting the client, not from a salesperson's memory. One presales owner per client.",
        "2. Client sheet: type into the 'value' column; * marks required fields. Use the dropdowns for industry, "
        "language and trust.",
        "3. Requirements sheet: one requirement per row. ids are unique within the file; priority is must/should/could; "
        "tags are comma-separated; category groups requirements into proposal sections.",
        "4. Contacts: the client's people. Competitors: internal only, never printed in a customer document.",
        "5. Grey rows are examples; their first cell starts with 'example-' and they are ignored when reading.",
        "6. Keep sheet names and the English word of each header (the Chinese label may change).",
        "7. Check: docgen requirements check THIS.xlsx; draft: docgen proposal build THIS.xlsx --stage intro -o DRAFT.docx",
    ],
}


def build_form(lang: str = "zh") -> Workbook:
    """The blank intake form as an openpyxl Workbook."""
    book = Workbook()
    intro = book.active
    intro.title = "填写说明" if lang == "zh" else "Instructions"
    intro.column_dimensions["A"].width = 120
    for row, line in enumerate(INSTRUCTIONS[lang], start=1):
        intro.cell(row=row, column=1, value=line).alignment = Alignment(wrap_text=True)
    intro["A1"].font = Font(bold=True, size=14)
    print_setup(intro, lang=lang)
    _client_sheet(book.create_sheet("Client"), lang)
    for title, (columns, examples) in TABLES.items():
        _table_sheet(book.create_sheet(title), columns, examples[lang], lang)
    book["Requirements"].add_data_validation(_dropdown(PRIORITY_CHOICES, f"D2:D{FORM_ROWS}", "priority"))
    book.move_sheet("Contacts", offset=2)  # Client, Requirements, Competitors, Contacts
    return book


def write_form(path: str | Path, lang: str = "zh", *, force: bool = False) -> Path:
    """`docgen requirements new`: write the blank form; never overwrites without force."""
    return write_atomic(path, build_form(lang).save, force=force)


def fill_form(req: RequirementsFile, lang: str | None = None) -> Workbook:
    """The form filled with one client's requirements (how the bundled xlsx twins are made)."""
    book = build_form(lang or req.client.language)
    client = req.client
    values = {
        "name": client.name, "industry": f"{client.industry} {INDUSTRY_NAMES_ZH[client.industry]}",
        "language": client.language, "trust": client.trust, "presales_owner": client.presales_owner,
        "sales_owner": client.sales_owner, "region": client.region, "deadline": client.deadline,
        "project_name": client.project_name, "background": client.background,
        "internal_notes": client.internal_notes,
    }
    for row, field in enumerate(CLIENT_ROWS, start=2):
        book["Client"].cell(row=row, column=2, value=values[field] or None)
    _append(book["Contacts"], [[c.name, c.role, c.email, c.phone] for c in client.contacts])
    _append(book["Requirements"],
            [[r.id, r.category, r.text, r.priority, ", ".join(r.tags), r.notes] for r in req.requirements])
    _append(book["Competitors"], [[c.name, c.strengths, c.weaknesses] for c in req.competitors])
    return book


def write_filled_form(req: RequirementsFile, path: str | Path, *, force: bool = False) -> Path:
    return write_atomic(path, fill_form(req).save, force=force)


def _client_sheet(sheet: Worksheet, lang: str) -> None:
    for col, text in enumerate(["field 字段", "value 值", "example 示例", "explanation 说明"], start=1):
        sheet.cell(row=1, column=col, value=text)
    for row, (field, (label, required, note_zh, note_en, example_zh, example_en)) in enumerate(
        CLIENT_ROWS.items(), start=2
    ):
        sheet.cell(row=row, column=1, value=f"{field} {label}" + (" *" if required else "")).font = Font(bold=required)
        value = sheet.cell(row=row, column=2)
        value.number_format = "yyyy-mm-dd" if field == "deadline" else "@"
        value.alignment = _WRAP
        example = sheet.cell(row=row, column=3, value=example_zh if lang == "zh" else example_en)
        example.font, example.fill = _EXAMPLE_FONT, _EXAMPLE_FILL
        sheet.cell(row=row, column=4, value=note_zh if lang == "zh" else note_en).alignment = _WRAP
    rows = {field: row for row, field in enumerate(CLIENT_ROWS, start=2)}
    for field, choices in (("industry", INDUSTRY_CHOICES), ("language", LANGUAGE_CHOICES), ("trust", TRUST_CHOICES)):
        sheet.add_data_validation(_dropdown(choices, f"B{rows[field]}", field))
    sheet.row_dimensions[rows["background"]].height = 120
    sheet.row_dimensions[rows["internal_notes"]].height = 60
    style_table(sheet, lang=lang, widths=[22, 40, 30, 44], landscape=True, last_row=len(CLIENT_ROWS) + 1)


def _table_sheet(sheet: Worksheet, columns: list[tuple[str, str, int]], examples: list[list[str]], lang: str) -> None:
    for col, (name, label, _) in enumerate(columns, start=1):
        sheet.cell(row=1, column=col, value=labeled(name, label))
    # Borders reach the examples; the 300 prepared rows stay borderless so a printout is not 300 empty rows.
    style_table(sheet, lang=lang, widths=[width for _, _, width in columns], landscape=True, last_row=1 + len(examples))
    for row, example in enumerate(examples, start=2):
        for col, value in enumerate(example, start=1):
            cell = sheet.cell(row=row, column=col, value=value)
            cell.font, cell.fill, cell.alignment = _EXAMPLE_FONT, _EXAMPLE_FILL, _WRAP
    # Text format keeps ids like 3.10 or 010 exactly as typed.
    for row in range(2, FORM_ROWS + 1):
        for col in range(1, len(columns) + 1):
            sheet.cell(row=row, column=col).number_format = "@"


def _dropdown(choices: list[str], cells: str, field: str) -> DataValidation:
    # A warning (not a stop) lets people type an accepted alias such as 金融 or 高.
    check = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                           showDropDown=False, showErrorMessage=True, errorStyle="warning",
                           errorTitle=field, error=f"{field}: choose one of the list",
                           promptTitle=field, prompt=", ".join(choices), showInputMessage=True)
    check.add(cells)
    return check


def _append(sheet: Worksheet, rows: list[list[object]]) -> None:
    # max_row counts the pre-formatted empty rows, so find the last row with a value.
    start = 1 + max((c.row for line in sheet.iter_rows() for c in line if c.value is not None), default=1)
    for offset, values in enumerate(rows):
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=start + offset, column=col, value=value if value != "" else None)
            cell.alignment = _WRAP
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"


def rebuild_bundled(folder: Path) -> list[Path]:
    """Regenerate requirements_forms/: both blank forms and the xlsx twin of every example YAML.

    Run `python -m docgen.intake.form` after editing an example; tests check the twins still match.
    """
    from docgen.intake.requirements import (
        load_requirements,  # only this maintenance path needs the loader
    )

    written = [write_form(folder / f"intake-form-{lang}.xlsx", lang, force=True) for lang in ("zh", "en")]
    for source in sorted(folder.glob("example-*.yaml")):
        written.append(write_filled_form(load_requirements(source), source.with_suffix(".xlsx"), force=True))
    return written


if __name__ == "__main__":
    from docgen.core.config import bundled_path

    for path in rebuild_bundled(bundled_path("requirements_forms")):
        print(f"wrote {path}")
