"""`docgen requirements import`: a client's own questionnaire, whatever its layout, into a requirements file.

The client workbooks are built here with openpyxl the way clients make them:
title rows, a two-row header with merged cells, section rows, a ★ column,
ids typed as numbers; an English RFP sheet; one re-saved by LibreOffice Calc.
tests/proposal/test_respond.py answers the same workbooks.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

from docgen.cli import main
from docgen.core.errors import InputError
from docgen.core.text import clean_text
from docgen.intake.questionnaire import (
    ImportedRequirement,
    Layout,
    Questionnaire,
    classify,
    heading_category,
    priority_of,
    questionnaire_yaml,
    read_import_record,
    read_questionnaire,
)
from docgen.intake.requirements import load_requirements
from tests.helpers.review import resave_with_libreoffice

HOSTILE = 'He said "yes": {{ 7*7 }} & <b>R&D</b> 🚀 — \'quoted\' # not a comment, - [x] {a: b}'
CLIENT = {"zh": ("华东某城市商业银行", "finance", "张伟"), "en": ("Harbor Logistics", "transport", "Alex Chen")}


def chinese_workbook(path: Path) -> Path:
    """技术规格响应表 as a bank's tender sends it: titles, a merged two-row header, sections, ★, a dropdown."""
    wb = openpyxl.Workbook()
    wb.active.title = "填写说明"
    wb.active["A1"] = "请在《技术规格响应表》中逐条应答,带★号条款为实质性条款。"
    ws = wb.create_sheet("技术规格响应表")
    ws["A1"] = "华东某城市商业银行数据中心项目 技术规格响应表"
    ws["A2"] = "招标编号:ZB-2026-018"
    for ref in ("A1:G1", "A2:G2", "A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:G4"):
        ws.merge_cells(ref)
    for ref, text in [("A3", "序号"), ("B3", "技术要求"), ("C3", "是否★"), ("D3", "投标人响应"), ("G3", "备注"),
                      ("D4", "响应内容"), ("E4", "是否满足"), ("F4", "偏离说明")]:
        ws[ref] = text
    side = Side(style="thin")
    for row in ws.iter_rows(min_row=3, max_row=4, max_col=7):
        for cell in row:
            cell.font = Font(bold=True, color="FFFFFF", name="宋体")
            cell.fill = PatternFill("solid", fgColor="1F4E78")
            cell.border = Border(left=side, right=side, top=side, bottom=side)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    rows = [
        ("一、存储系统",),
        (1.1, "★同城双活存储,RPO=0,RTO<30分钟", "★", "General"),
        (1.2, "存储容量不少于 500TB 可用,三年增长 40%", None, "General"),
        ("二、网络",),
        (2.1, "核心交换机双机冗余", "是", "General"),
        (2.2, "支持 SD-WAN 组网", "否", "General"),
        ("三、安全",),
        (3.1, "满足等保2.0三级要求", "★", "0.0"),
        (3.1, HOSTILE, None, "0.00"),  # typed as 3.10: the cell's format says so
    ]
    for r, item in enumerate(rows, start=5):
        if len(item) == 1:
            ws.cell(r, 1, item[0])
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
            continue
        ws.cell(r, 1, item[0]).number_format = item[3]
        ws.cell(r, 2, item[1]).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(r, 3, item[2])
        ws.cell(r, 7, f'=IF(C{r}="★","实质性条款","")')
    ws.cell(14, 1, "注:带★号的条款为实质性条款,不满足将导致废标。")
    ws.merge_cells("A14:G14")
    dropdown = DataValidation(type="list", formula1='"正偏离,无偏离,负偏离"', allow_blank=True)
    ws.add_data_validation(dropdown)
    dropdown.add("E5:E13")
    for col, width in zip("ABCDEFG", (8, 50, 8, 40, 10, 30, 12)):
        ws.column_dimensions[col].width = width
    wb.active = 1
    wb.save(path)
    return path


def english_workbook(path: Path) -> Path:
    """An RFP questionnaire: a title line, No./Category/Requirement/Mandatory, a Yes/No/Partial dropdown."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Technical Questionnaire"
    ws["A1"] = "Harbor Logistics RFP 2026 - Technical Questionnaire"
    ws.append([])
    ws.append(["No.", "Category", "Requirement", "Mandatory (Y/N)", "Vendor Response", "Compliance", "Remarks"])
    ws.append(["A-01", "Network", "SD-WAN for all 42 warehouses with dual links", "Y", None, None, "Board priority"])
    ws.append(["A-02", "Network", "Central policy management for branch firewalls", "N"])
    ws.append(["B-01", "Backup", "Nightly backup of all warehouse databases, 30-day retention", "Mandatory"])
    ws.append(["B-02", "Satellite", "Satellite backhaul for remote depots", "Nice to have"])
    ws.append(["B-03", "Backup", HOSTILE, "Yes"])
    for cell in ws[3]:
        cell.font = Font(bold=True, color="1F1F1F")
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    dropdown = DataValidation(type="list", formula1='"Yes,No,Partial"')
    ws.add_data_validation(dropdown)
    dropdown.add("F4:F8")
    ws.column_dimensions["C"].width = 60
    wb.save(path)
    return path


def restarting_workbook(path: Path) -> Path:
    """Numbering restarts under each heading (1, 2 / 1, 2); ★ typed in front of the text, no ★ column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["编号", "需求描述", "备注"])
    ws.append(["一", "存储"])
    ws.append([1, "★全闪存阵列,双控制器"])
    ws.append([2, "支持在线扩容"])
    ws.append(["二", "网络"])
    ws.append([1, "★万兆接入"])
    ws.append([2, "支持 IPv6", "客户信息科提出"])
    wb.save(path)
    return path


def fill_client(yaml_path: Path, language: str) -> Path:
    """What the presales owner does after import: the three client fields."""
    name, industry, owner = CLIENT[language]
    text = yaml_path.read_text(encoding="utf-8")
    for field, value in (("name", name), ("industry", industry), ("presales_owner", owner)):
        assert f"\n  {field}:\n" in text
        text = text.replace(f"\n  {field}:\n", f"\n  {field}: {value}\n")
    yaml_path.write_text(text, encoding="utf-8")
    return yaml_path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# --- detection ----------------------------------------------------------------------------------

def test_header_is_found_under_the_title_rows_and_the_merged_two_row_header(tmp_path):
    q = read_questionnaire(chinese_workbook(tmp_path / "client.xlsx"))
    layout = q.layout
    assert (layout.sheet, layout.header_row, layout.first_row) == ("技术规格响应表", 3, 5)
    letters = {name: layout.letter(name) for name in layout.columns}
    assert letters == {"id": "A", "text": "B", "priority": "C", "response": "D", "compliance": "E", "note": "F",
                       "notes": "G"}
    assert layout.star_column and q.language == "zh"


def test_requirements_are_read_exactly_as_typed_with_sections_as_categories(tmp_path):
    q = read_questionnaire(chinese_workbook(tmp_path / "client.xlsx"))
    got = [(r.id, r.category, r.priority, r.row) for r in q.requirements]
    assert got == [("1.1", "存储系统", "must", 6), ("1.2", "存储系统", "should", 7), ("2.1", "网络", "must", 9),
                   ("2.2", "网络", "should", 10), ("3.1", "安全", "must", 12), ("3.10", "安全", "should", 13)]
    assert q.requirements[0].text == "★同城双活存储,RPO=0,RTO<30分钟"
    assert q.requirements[-1].text == HOSTILE
    # 备注 holds formulas openpyxl saved without a result: read as empty, said once per cell.
    assert all(r.notes == "" for r in q.requirements)
    assert len(q.warnings) == 6 and "row 6, column G, field notes: formula =IF(" in q.warnings[0]


def test_an_english_rfp_sheet(tmp_path):
    q = read_questionnaire(english_workbook(tmp_path / "rfp.xlsx"))
    assert q.language == "en" and q.layout.header_row == 3
    assert [(r.id, r.category, r.priority) for r in q.requirements] == [
        ("A-01", "Network", "must"), ("A-02", "Network", "could"), ("B-01", "Backup", "must"),
        ("B-02", "Satellite", "could"), ("B-03", "Backup", "must")]
    assert q.requirements[0].notes == "Board priority"
    assert {name: q.layout.letter(name) for name in ("response", "compliance", "notes")} == {
        "response": "E", "compliance": "F", "notes": "G"}


def test_restarting_numbers_are_qualified_by_their_heading_and_star_in_text_is_must(tmp_path):
    q = read_questionnaire(restarting_workbook(tmp_path / "client.xlsx"))
    assert [(r.id, r.category, r.priority, r.row) for r in q.requirements] == [
        ("1-1", "存储", "must", 3), ("1-2", "存储", "should", 4), ("2-1", "网络", "must", 6),
        ("2-2", "网络", "should", 7)]
    assert q.requirements[-1].notes == "客户信息科提出"
    assert any("repeat under each section heading" in w for w in q.warnings)


def test_the_sheet_with_most_requirement_rows_wins_and_sheet_picks_another(tmp_path):
    path = chinese_workbook(tmp_path / "client.xlsx")
    wb = openpyxl.load_workbook(path)
    small = wb.create_sheet("商务要求", 0)
    small.append(["序号", "商务要求"])
    small.append([1, "交货期 60 天"])
    wb.save(path)
    assert read_questionnaire(path).layout.sheet == "技术规格响应表"
    only = read_questionnaire(path, sheet="商务要求")
    assert [(r.id, r.text) for r in only.requirements] == [("1", "交货期 60 天")]


def _sheet(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize("rows, expected", [
    # No id column: numbered rows are headings, each requirement gets R<row>.
    ([["Vendor questionnaire"], ["Requirement", "Priority", "Vendor response"], ["1 Network"],
      ["Dual ISP links at each site with automatic failover", "High"], ["Central firewall policy", "Low"],
      ["2 Security"], ["SSO with Azure AD for all admin consoles", "Medium"]],
     [("R4", "Network", "must"), ("R5", "Network", "could"), ("R7", "Security", "should")]),
    # "3 | Network" over 3.1, 3.2 is a heading; M/O is the priority.
    ([["Ref", "Requirement", "M/O"], ["3", "Network"], ["3.1", "Redundant core switches", "M"],
      ["3.2", "NetFlow export to SIEM", "O"], ["4", "Backup"], ["4.1", "Immutable backup copies", "M"]],
     [("3.1", "Network", "must"), ("3.2", "Network", "could"), ("4.1", "Backup", "must")]),
    # No. is the id, Item a short name: the category.
    ([["No.", "Item", "Description", "Priority", "Comments"], [1, "WAN", "SD-WAN with dual links", "Must"],
      [2, "LAN", "Wi-Fi 6 in warehouses", "Should"]],
     [("1", "WAN", "must"), ("2", "LAN", "should")]),
])
def test_other_layouts(tmp_path, rows, expected):
    q = read_questionnaire(_sheet(tmp_path / "rfp.xlsx", rows))
    assert [(r.id, r.category, r.priority) for r in q.requirements] == expected


@pytest.mark.parametrize("label, field", [
    ("序号", "id"), ("条款号", "id"), ("No.", "id"), ("Item No.", "id"), ("技术要求", "text"), ("参数要求", "text"),
    ("规格要求", "text"), ("Requirement Description", "text"), ("是否★", "priority"), ("★", "priority"),
    ("重要性", "priority"), ("Mandatory (Y/N)", "priority"), ("类别", "category"), ("Category", "category"),
    ("备注", "notes"), ("Remarks", "notes"), ("投标响应", "response"), ("Vendor Response", "response"),
    ("是否满足", "compliance"), ("偏离", "compliance"), ("Compliance", "compliance"), ("偏离说明", "note"),
])
def test_header_words(label, field):
    scores = classify(label)
    assert max(scores, key=scores.get) == field


@pytest.mark.parametrize("value, expected", [
    ("★", "must"), ("必须", "must"), ("是", "must"), ("Mandatory", "must"), ("M", "must"), ("yes", "must"),
    ("must 必须", "must"), ("否", "could"), ("可选", "could"), ("Optional", "could"), ("Nice to have", "could"),
    ("▲", "should"), ("一般", "should"), ("", "should"), (None, "should"),
])
def test_priority_words(value, expected):
    assert priority_of(value) == expected


def test_no_in_a_star_column_is_an_ordinary_requirement():
    assert priority_of("否", star_column=True) == "should"
    assert priority_of(None, marked=True) == "must"


@pytest.mark.parametrize("heading, category", [
    ("一、存储系统", "存储系统"), ("（二）网络", "网络"), ("第三部分 安全", "安全"), ("3 Network", "Network"),
    ("3.2 Storage", "Storage"), ("II. Security", "Security"), ("1、存储", "存储"),
    ("IT Infrastructure", "IT Infrastructure"),
])
def test_heading_numbers_are_dropped_from_categories(heading, category):
    assert heading_category(heading) == category


# --- the requirements file ----------------------------------------------------------------------

def test_import_writes_a_file_check_refuses_until_the_client_fields_are_filled(tmp_path):
    client = chinese_workbook(tmp_path / "client.xlsx")
    out = tmp_path / "需求.yaml"
    result = run("requirements", "import", client, "-o", out)
    assert result.exit_code == 0, result.output
    assert "6 requirements from sheet 技术规格响应表" in result.output
    text = out.read_text(encoding="utf-8")
    assert text.count("待填写 / TO FILL") == 3 and "# row 13" in text

    refused = run("requirements", "check", out)
    assert refused.exit_code == 2
    for field in ("name", "industry", "presales_owner"):
        assert f"field client.{field}: {field} is required" in refused.output

    req = load_requirements(fill_client(out, "zh"))
    assert [(r.id, r.category, r.priority) for r in req.requirements][-1] == ("3.10", "安全", "should")
    assert req.requirements[-1].text == HOSTILE
    assert req.client.language == "zh" and run("requirements", "check", out).exit_code == 0

    record = read_import_record(out)
    assert record.sheet == "技术规格响应表" and record.columns["text"] == "B"
    assert sorted(record.rows.values()) == [6, 7, 9, 10, 12, 13]
    assert record.rows[req.requirements[0].where.line] == 6


def test_english_import_round_trips_hostile_text(tmp_path):
    out = tmp_path / "rfp.yaml"
    assert run("requirements", "import", english_workbook(tmp_path / "rfp.xlsx"), "-o", out).exit_code == 0
    req = load_requirements(fill_client(out, "en"))
    assert req.client.language == "en"
    assert [r.text for r in req.requirements][-1] == HOSTILE
    assert req.requirements[0].notes == "Board priority"


def _one(text: str, ident: str = "R1") -> Questionnaire:
    layout = Layout("Sheet1", 1, 2, {"id": 1, "text": 2})
    return Questionnaire("c.xlsx", layout, "zh", (ImportedRequirement(ident, text, "存储", "must", text, 2),))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(min_size=1, max_size=60), ident=st.text(min_size=1, max_size=12))
def test_any_text_round_trips_through_the_written_yaml(text, ident):
    text, ident = clean_text(text).strip(), clean_text(ident).strip()
    if not text or not ident:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "req.yaml"
        path.write_text(questionnaire_yaml(_one(text, ident)), encoding="utf-8")
        req = load_requirements(fill_client(path, "zh"))
    [requirement] = req.requirements
    assert (requirement.id, requirement.text, requirement.notes) == (ident, text, text)


@pytest.mark.libreoffice
def test_a_sheet_resaved_by_libreoffice_imports_the_same(tmp_path):
    original = chinese_workbook(tmp_path / "client.xlsx")
    resaved = resave_with_libreoffice(original, tmp_path / "lo")
    before, after = read_questionnaire(original), read_questionnaire(resaved)
    assert after.layout == before.layout
    assert [(r.id, r.text, r.category, r.priority, r.row) for r in after.requirements] == [
        (r.id, r.text, r.category, r.priority, r.row) for r in before.requirements]
    # LibreOffice saved the results of the 备注 formulas: now they are read.
    assert [r.notes for r in after.requirements] == ["实质性条款", "", "", "", "实质性条款", ""]


# --- bad input --------------------------------------------------------------------------------

def test_columns_option_reads_a_sheet_detection_cannot(tmp_path):
    path = tmp_path / "odd.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "清单"
    ws.append(["甲", "乙", "丙"])
    ws.append(["R1", "双活", "★"])
    ws.append(["R2", "备份", ""])
    wb.save(path)
    out = tmp_path / "req.yaml"
    failed = run("requirements", "import", path, "-o", out)
    assert failed.exit_code == 2 and "odd.xlsx" in failed.output and "清单" in failed.output
    assert "--columns" in failed.output and not out.exists()

    result = run("requirements", "import", path, "-o", out, "--columns", "id=A,text=B,priority=C")
    assert result.exit_code == 0, result.output
    req = load_requirements(fill_client(out, "zh"))
    assert [(r.id, r.text, r.priority) for r in req.requirements] == [("R1", "双活", "must"), ("R2", "备份", "should")]


@pytest.mark.parametrize("columns, message", [
    ("id=A,text=K", "--columns text=K: the sheet's last used column is G"),
    ("text=B,colour=C", "expected FIELD=LETTER with FIELD one of id, text, priority, category, notes"),
    ("text=7", "7 is not a column letter"),
])
def test_bad_columns_are_refused_naming_file_and_sheet(tmp_path, columns, message):
    client = chinese_workbook(tmp_path / "client.xlsx")
    out = tmp_path / "req.yaml"
    result = run("requirements", "import", client, "-o", out, "--columns", columns)
    assert result.exit_code == 2 and message in result.output, result.output
    assert "Traceback" not in result.output and not out.exists()
    if "last used column" in message:
        assert "client.xlsx, sheet 技术规格响应表, column K" in result.output


def test_inputs_that_are_not_a_questionnaire(tmp_path):
    out = tmp_path / "req.yaml"
    text = tmp_path / "client.xlsx"
    text.write_text("序号,技术要求\n1,双活\n", encoding="utf-8")
    result = run("requirements", "import", text, "-o", out)
    assert result.exit_code == 2 and "client.xlsx: is not an Excel workbook" in result.output

    docx = tmp_path / "tender.xlsx"
    with __import__("zipfile").ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "not an Excel workbook" in run("requirements", "import", docx, "-o", out).output

    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    result = run("requirements", "import", empty, "-o", out)
    assert result.exit_code == 2 and "empty.xlsx" in result.output and "no header row found" in result.output

    client = chinese_workbook(tmp_path / "c.xlsx")
    result = run("requirements", "import", client, "-o", out, "--sheet", "偏离表")
    assert result.exit_code == 2 and "no sheet '偏离表'; the workbook has 填写说明, 技术规格响应表" in result.output
    assert not out.exists()


def test_an_existing_file_is_kept_without_force(tmp_path):
    client = chinese_workbook(tmp_path / "client.xlsx")
    out = tmp_path / "req.yaml"
    out.write_text("mine", encoding="utf-8")
    result = run("requirements", "import", client, "-o", out)
    assert result.exit_code == 2 and "already exists; use --force" in result.output
    assert out.read_text(encoding="utf-8") == "mine"
    assert run("requirements", "import", client, "-o", out, "--force").exit_code == 0


def test_a_sheet_claiming_a_million_rows_is_refused_before_parsing(tmp_path):
    pytest.importorskip("docgen.core.xlsxguard")
    path = tmp_path / "huge.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "技术要求"])
    wb.active.cell(1_048_576, 1, "x")
    wb.save(path)
    with pytest.raises(InputError, match="huge.xlsx.*row"):
        read_questionnaire(path)
