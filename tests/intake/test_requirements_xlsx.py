"""Loading requirements from Excel: the values people see, whatever program saved the file."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from tests.helpers.docs import needs_libreoffice

from docgen.core.config import bundled_path
from docgen.core.errors import InputError
from docgen.intake.form import build_form
from docgen.intake.requirements import check_requirements, load_requirements

EXAMPLES = sorted(bundled_path("requirements_forms").glob("example-*.yaml"))


def minimal_book(requirements_rows, *, headers=("id 编号", "category 类别", "text 需求描述", "priority 优先级", "tags")):
    book = openpyxl.Workbook()
    client = book.active
    client.title = "Client"
    for row in [("field 字段", "value 值"), ("name 客户名称", "某公司"), ("industry", "制造"), ("presales_owner", "张伟")]:
        client.append(row)
    sheet = book.create_sheet("Requirements")
    sheet.append(list(headers))
    for row in requirements_rows:
        sheet.append(list(row))
    return book


def save(book, path):
    book.save(path)
    return path


def problems_of(path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_requirements(path)
    return [str(p) for p in info.value.problems]


def libreoffice_resave(paths, out_dir, profile):
    """Open and save each workbook in LibreOffice Calc, as a user would."""
    out_dir.mkdir()
    subprocess.run(
        [shutil.which("soffice") or "soffice", f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out_dir), *map(str, paths)],
        check=True, capture_output=True, timeout=180,
    )
    return [out_dir / p.name for p in paths]


# --- the bundled examples ----------------------------------------------------

def test_at_least_three_examples_of_the_kinds_asked_for():
    loaded = [load_requirements(p) for p in EXAMPLES]
    kinds = {(r.client.industry, r.client.language, r.client.trust) for r in loaded}
    assert ("finance", "zh", "low") in kinds
    assert any(ind in ("healthcare", "manufacturing") and lang == "zh" for ind, lang, _ in kinds)
    assert any(lang == "en" for _, lang, _ in kinds)
    for req in loaded:
        assert 8 <= len(req.requirements) <= 15, req.source
        assert len({r.category for r in req.requirements}) >= 3, req.source
        assert req.competitors and req.must_haves, req.source


@pytest.mark.parametrize("yaml_path", EXAMPLES, ids=lambda p: p.stem)
def test_xlsx_twin_loads_to_the_same_model(yaml_path):
    twin = yaml_path.with_suffix(".xlsx")
    assert load_requirements(twin) == load_requirements(yaml_path)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bundled_blank_form_matches_what_new_writes(lang):
    bundled = openpyxl.load_workbook(bundled_path("requirements_forms") / f"intake-form-{lang}.xlsx")
    fresh = build_form(lang)
    assert bundled.sheetnames == fresh.sheetnames
    for name in ("Client", "Requirements", "Competitors", "Contacts"):
        assert [c.value for c in bundled[name][1]] == [c.value for c in fresh[name][1]]


# --- what openpyxl hands back vs what the user typed --------------------------

def test_headers_with_labels_in_any_order_and_renamed_sheet(tmp_path):
    book = minimal_book([], headers=("Priority (优先级)", "text/需求", "ID", "category 类别", "Notes 备注"))
    book["Requirements"].title = "Requirements 需求"
    book["Requirements 需求"].append(["高", "双活", "R1", "灾备", "急"])
    req = load_requirements(save(book, tmp_path / "f.xlsx"))
    assert req.requirements[0].id == "R1" and req.requirements[0].priority == "must"
    assert req.requirements[0].notes == "急"


def test_numbers_typed_as_ids_keep_their_digits(tmp_path):
    book = minimal_book([(3.1, "a", "x"), (3.0, "a", "y"), (10, "a", "z"), (3.25, "a", "w")])
    sheet = book["Requirements"]
    sheet["A2"].number_format = "0.00"
    sheet["A4"].number_format = "000"
    req = load_requirements(save(book, tmp_path / "ids.xlsx"))
    assert [r.id for r in req.requirements] == ["3.10", "3", "010", "3.25"]


def test_merged_category_cells_fill_every_row(tmp_path):
    book = minimal_book([("R1", "灾备", "双活"), ("R2", None, "异地"), ("R3", None, "演练"), ("R4", "备份", "每日")])
    book["Requirements"].merge_cells("B2:B4")
    req = load_requirements(save(book, tmp_path / "merged.xlsx"))
    assert [r.category for r in req.requirements] == ["灾备", "灾备", "灾备", "备份"]


def test_formulas_without_saved_values(tmp_path):
    book = minimal_book([("R1", "灾备", '="双活"'), ("R2", "=B2", "=Client!B2"), ("R3", "灾备", '="R"&1')])
    problems = problems_of(save(book, tmp_path / "formulas.xlsx"))
    assert problems == [
        f"{tmp_path / 'formulas.xlsx'}, sheet Requirements, row 4, column C, field text: formula =\"R\"&1 has no "
        "saved result (the file was saved by a program that does not calculate formulas); open and save it in "
        "Excel or LibreOffice, or type the value",
        f"{tmp_path / 'formulas.xlsx'}, sheet Requirements, row 4, column C, field text: text is required "
        "(what the client asked for)",
    ]
    book["Requirements"]["C4"] = "演练"
    req = load_requirements(save(book, tmp_path / "formulas.xlsx"))
    assert [(r.category, r.text) for r in req.requirements] == [("灾备", "双活"), ("灾备", "某公司"), ("灾备", "演练")]


def test_excel_escapes_are_undone_and_tags_split(tmp_path):
    book = minimal_book([("R1", "安全", "R&D <Ltd>_x0009_{{ 7*7 }} 😀", "should", "a, b,c、d")])
    req = load_requirements(save(book, tmp_path / "escapes.xlsx"))
    assert req.requirements[0].text == "R&D <Ltd>\t{{ 7*7 }} 😀"
    assert req.requirements[0].tags == ("a", "b", "c", "d")


def test_date_cells_and_dropdown_labels(tmp_path):
    book = minimal_book([("R1", "灾备", "双活", "must 必须")])
    book["Client"].append(["deadline", dt.datetime(2026, 12, 20)])
    book["Client"].append(["trust 信任度", "low 低"])
    book["Client"]["B3"] = "finance 金融"
    req = load_requirements(save(book, tmp_path / "dates.xlsx"))
    assert req.client.deadline == dt.date(2026, 12, 20)
    assert (req.client.trust, req.client.industry, req.requirements[0].priority) == ("low", "finance", "must")


def test_example_rows_are_skipped_even_without_grey(tmp_path):
    book = minimal_book([("示例-R1", "灾备", "示例"), ("example-R2", "x", "y"), ("R1", "备份", "每日备份")])
    competitors = book.create_sheet("Competitors")
    competitors.append(["name", "strengths"])
    competitors.append(["示例-某友商", "价格低"])
    competitors.append(["Example Corp", "real competitor"])
    req = load_requirements(save(book, tmp_path / "examples.xlsx"))
    assert [r.id for r in req.requirements] == ["R1"]
    assert [c.name for c in req.competitors] == ["Example Corp"]


def test_every_problem_names_sheet_row_and_column(tmp_path):
    book = minimal_book([("R1", "灾备", "双活", "urgent"), ("R1", "备份", "每日", "must"), ("R3", "", "x", "could")])
    book["Client"]["B3"] = "banking"
    book["Client"]["B4"] = "张伟/李强"
    path = save(book, tmp_path / "bad.xlsx")
    prefix = f"{path}, sheet "
    assert problems_of(path) == [
        prefix + "Client, row 3, column B, field industry: unknown industry 'banking'; expected one of finance, "
        "government, manufacturing, energy, healthcare, education, telecom, retail, transport, internet, other "
        "(or 金融, 政府, 制造, 能源, 医疗, 教育, 运营商, 零售, 交通, 互联网, 其他)",
        prefix + "Client, row 4, column B, field presales_owner: one presales owner per client (专人负责), found 2: "
        "张伟, 李强; name one owner and put others in notes",
        prefix + "Requirements, row 2, column D, field priority: 'urgent' is not allowed; expected one of must, "
        "should, could (or 高/中/低/必须/应该/可选)",
        prefix + "Requirements, row 3, column A, field id: duplicate id 'R1'; ids must be unique (first used at row 2)",
        prefix + "Requirements, row 4, column B, field category: category is required (groups requirements into "
        "proposal sections)",
    ]


def test_missing_sheets(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    problems = problems_of(save(book, tmp_path / "empty.xlsx"))
    assert problems == [
        f"{tmp_path / 'empty.xlsx'}, sheet Client: sheet Client is missing; the workbook has Sheet1",
        f"{tmp_path / 'empty.xlsx'}, sheet Requirements: sheet Requirements is missing; the workbook has Sheet1",
    ]


def test_word_document_renamed_to_xlsx(tmp_path):
    path = tmp_path / "proposal.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert problems_of(path) == [
        f"{path}: is a Word document (.docx), not an Excel workbook; expected a .yaml, .yml or .xlsx requirements file"
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel 97-2003 (.xls)"),
        (b"client:\n  name: x\n", "is not an Excel workbook"),
        (b"PK\x03\x04garbage", "damaged zip/xlsx file"),
    ],
)
def test_other_non_workbooks_named_xlsx(tmp_path, content, expected):
    path = tmp_path / "form.xlsx"
    path.write_bytes(content)
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}: ") and expected in problem


# --- files saved by LibreOffice Calc -------------------------------------------

@needs_libreoffice
def test_filled_form_and_formulas_after_libreoffice_resave(tmp_path):
    form = build_form("zh")
    client = form["Client"]
    for field, value in {"name": "西南某三甲医院", "industry": "healthcare 医疗", "trust": "medium 中",
                         "presales_owner": "刘洋", "deadline": "2027-01-15"}.items():
        row = next(r for r in range(2, 12) if str(client.cell(row=r, column=1).value).startswith(field + " "))
        client.cell(row=row, column=2, value=value)
    reqs = form["Requirements"]
    reqs.append(["1.10", "存储", "PACS 影像存储扩容至 1.5PB", "must 必须", "storage, pacs", ""])
    reqs.append(["2.1", "备份", "R&D <Ltd> {{ 7*7 }}", "中", "backup", "注意"])
    form["Contacts"].append(["孙科长", "信息科科长"])
    form["Competitors"].append(["某 PACS 厂商", "原厂", "服务慢"])
    filled = save(form, tmp_path / "filled.xlsx")
    formulas = save(minimal_book([("R1", "灾备", '="R"&1')]), tmp_path / "formulas.xlsx")
    broken = save(minimal_book([("R1", "灾备", "=1/0")]), tmp_path / "broken.xlsx")

    resaved_form, resaved_formulas, resaved_broken = libreoffice_resave(
        [filled, formulas, broken], tmp_path / "out", tmp_path / "profile")

    req, _ = check_requirements(resaved_form)
    assert req == load_requirements(filled)
    assert (req.client.name, req.client.industry, req.client.deadline) == ("西南某三甲医院", "healthcare",
                                                                          dt.date(2027, 1, 15))
    assert [(r.id, r.priority) for r in req.requirements] == [("1.10", "must"), ("2.1", "should")]
    assert req.requirements[1].text == "R&D <Ltd> {{ 7*7 }}"
    assert req.client.contacts[0].role == "信息科科长" and req.competitors[0].weaknesses == "服务慢"
    # LibreOffice stores the computed value, so the formula now reads as its result.
    assert load_requirements(resaved_formulas).requirements[0].text == "R1"
    assert problems_of(resaved_broken)[0] == (
        f"{resaved_broken}, sheet Requirements, row 2, column C, field text: formula =1/0 gives the error #DIV/0!; "
        "fix the formula or type the value")


# --- strict reading: a missing column is an error, never another column ---------------------------

def _without_column(source, sheet_name: str, header_key: str, out):
    book = openpyxl.load_workbook(source)
    sheet = book[sheet_name]
    [column] = [c.column for c in sheet[1] if str(c.value or "").split(" ")[0] == header_key]
    sheet.delete_cols(column)
    book.save(out)
    return out


def test_a_deleted_value_column_is_an_error_not_the_example_column(tmp_path):
    hospital = bundled_path("requirements_forms") / "example-hospital-zh.xlsx"
    broken = _without_column(hospital, "Client", "value", tmp_path / "no-value.xlsx")
    problems = problems_of(broken)
    assert any("Client" in p and "column value is missing" in p for p in problems), problems
    assert not any("华东某城市商业银行" in p for p in problems)


@pytest.mark.parametrize("column", ["priority", "id", "text", "category"])
def test_a_deleted_required_requirements_column_is_one_error(tmp_path, column):
    bank = bundled_path("requirements_forms") / "example-bank-zh.xlsx"
    broken = _without_column(bank, "Requirements", column, tmp_path / f"no-{column}.xlsx")
    problems = problems_of(broken)
    named = [p for p in problems if f"column {column} is missing" in p]
    assert len(named) == 1 and "Requirements" in named[0], problems
    assert len(problems) == 1, problems  # not one message per row


def test_only_the_key_column_marks_an_example_row(tmp_path):
    book = minimal_book([("R1", "灾备", "示例-这是客户真实需求的原文", "must", "")])
    path = save(book, tmp_path / "f.xlsx")
    req = load_requirements(path)
    assert [r.text for r in req.requirements] == ["示例-这是客户真实需求的原文"]
    book = minimal_book([(None, "灾备", "示例-无编号", "must", "")])
    path = save(book, tmp_path / "g.xlsx")
    problems = problems_of(path)
    assert any("id" in p for p in problems), problems


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_blank_form_prints_a4_one_page_wide_with_its_header_repeated(lang):
    book = openpyxl.load_workbook(bundled_path("requirements_forms") / f"intake-form-{lang}.xlsx")
    footer = "第 &P 页 共 &N 页" if lang == "zh" else "Page &P of &N"
    for name in ("Client", "Requirements", "Competitors", "Contacts"):
        sheet = book[name]
        setup = sheet.page_setup
        assert (str(setup.paperSize), setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("9", "landscape", 1, 0)
        assert sheet.print_title_rows == "$1:$1" and sheet.freeze_panes == "A2" and sheet.oddFooter.center.text == footer
        assert sheet["A1"].border.bottom.style == "thin" and " " in sheet["A1"].value  # "id 编号": key, then label
    assert book["Requirements"]["A2"].border.left.style == "thin"  # the example rows
    assert book["Requirements"]["A40"].border.left.style is None  # not the prepared blank rows
