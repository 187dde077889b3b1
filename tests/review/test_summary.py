"""summary.xlsx and what it warns about: scores that contradict their rule, S+A shares of real departments."""

from __future__ import annotations

import openpyxl
from tests.helpers.docs import docx_tables
from tests.helpers.review import ENGINEER, make_workbook, typical_row

from docgen.review.batch import FillOptions, fill


def _warnings(book) -> list[str]:
    return [r[0] for r in book["Warnings"].iter_rows(min_row=2, values_only=True)]


def _kpi_scores(packet) -> dict[str, str]:
    table = next(t for t in docx_tables(packet) if t[0][:2] in (["编号", "关键指标"], ["Code", "KPI"]) and len(t[0]) == 10)
    return {row[0]: row[7] for row in table[1:9]}


def _agreeing(n: int, **overrides):
    """An employee whose K1–K7 scores are blank (computed by the rules, so they agree), then `overrides`."""
    row = typical_row(ENGINEER, n)
    for k in ENGINEER.kpis:
        if k.machine is not None:
            row[f"{k.code}.score"] = None
    return row | overrides


def test_a_typed_score_the_rule_puts_elsewhere_is_flagged_in_the_packet_and_the_summary(tmp_path):
    flagged = _agreeing(1, **{"K1.target": 120, "K1.actual": 110, "K1.score": 10})  # rule: 10 x 110/120 = 9.17
    close = _agreeing(2, **{"K1.target": 120, "K1.actual": 110, "K1.score": 9.5})  # 0.33 from the rule: fine
    scores = make_workbook(tmp_path / "s.xlsx", ENGINEER, [flagged, close])
    result = fill(scores, ENGINEER, tmp_path / "zh")
    first, second = (_kpi_scores(p) for p in result.packets)
    assert first["K1"].split("\n") == ["10 ※", "按规则为 9.17"]
    assert "※" not in first["K2"] and "按规则" not in "".join(first.values()).replace(first["K1"], "")
    assert second["K1"] == "9.5"
    zh = _warnings(openpyxl.load_workbook(result.summary))
    assert [w for w in zh if "K1" in w] == [
        "E001 员工1：K1 上级评分 10 与按规则计算的 9.17 相差 0.83 分（超过 0.5 分），已在考核表中以 ※ 标出，请人力资源部核定"]
    assert any("E001" in w and "K1 manager score 10" in w and "9.17" in w for w in result.warnings)

    english = fill(scores, ENGINEER, tmp_path / "en", FillOptions(lang="en"))
    assert _kpi_scores(english.packets[0])["K1"].split("\n") == ["10 ※", "rule gives 9.17"]
    en = _warnings(openpyxl.load_workbook(english.summary))
    assert any(w.startswith("E001 员工1: K1 manager score 10 differs from the 9.17 its rule gives") for w in en)


def test_the_top_share_is_checked_only_in_departments_of_five_or_more(tmp_path):
    # typical_row grades everyone A: 100 % S+A in a team of three says nothing, in a department of five it does.
    small = [typical_row(ENGINEER, n, department="小组") for n in (1, 2, 3)]
    large = [typical_row(ENGINEER, n, department="大部门") for n in range(4, 9)]
    scores = make_workbook(tmp_path / "s.xlsx", ENGINEER, small + large)
    result = fill(scores, ENGINEER, tmp_path / "out")
    book = openpyxl.load_workbook(result.summary)
    departments = {r[0]: r for r in book["Departments"].iter_rows(min_row=2, values_only=True)}
    assert departments["小组"][1] == 3 and departments["小组"][8] > 0.3  # reported …
    assert departments["小组"][9] == "不足 5 人，不做比例校验"
    assert not any("小组" in w for w in _warnings(book) + list(result.warnings))  # … not flagged
    large_share = departments["大部门"][8]
    assert large_share > 0.3 and any("大部门" in w and "超过 30% 的上限" in w for w in _warnings(book))

    # The headcount is configurable (role file `top_share_min_headcount`, option --top-share-min-headcount).
    three = fill(scores, ENGINEER, tmp_path / "three", FillOptions(top_share_min_headcount=3))
    assert any(w.startswith("department 小组: 3 of 3 graded S or A") for w in three.warnings)


def test_summary_workbook_is_labelled_bordered_and_prints_on_a4_one_page_wide(tmp_path):
    scores = make_workbook(tmp_path / "s.xlsx", ENGINEER, [typical_row(ENGINEER, n) for n in (1, 2)])
    book = openpyxl.load_workbook(fill(scores, ENGINEER, tmp_path / "out").summary)
    assert book.sheetnames == ["Summary", "Departments", "Comments", "Warnings"]  # contract names, read by programs
    ws = book["Summary"]
    assert [c.value for c in ws[1]][:7] == ["employee_id 工号", "name 姓名", "kpi_total 关键指标得分",
                                            "behavior_total 工作表现得分", "adjustment 加减分", "total 综合得分", "grade 绩效等级"]
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (str(setup.paperSize), setup.orientation) == (str(sheet.PAPERSIZE_A4), "landscape"), sheet.title
        assert (setup.fitToWidth, setup.fitToHeight, sheet.sheet_properties.pageSetUpPr.fitToPage) == (1, 0, True)
        assert sheet.print_title_rows == "$1:$1" and sheet.freeze_panes == "A2"
        assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
        assert sheet["A1"].border.bottom.style == "thin"
    assert ws["B3"].border.left.style == "thin"
    english = openpyxl.load_workbook(fill(scores, ENGINEER, tmp_path / "en", FillOptions(lang="en")).summary)
    assert english["Summary"]["A1"].value == "employee_id ID"
    assert english["Summary"].oddFooter.center.text == "Page &P of &N"


def test_a_workbook_warning_is_in_the_summarys_language(tmp_path):
    scores = make_workbook(tmp_path / "s.xlsx", ENGINEER, [_agreeing(1, adjustment=8, adjustment_reason="重大贡献")])
    zh = _warnings(openpyxl.load_workbook(fill(scores, ENGINEER, tmp_path / "zh").summary))
    assert [w for w in zh if "调整分" in w] == [f"{scores}，Scores 表，第 2 行，{_column(scores, 'adjustment')} 列：调整分 8 超出 ±5，按 5 计"]
    en = fill(scores, ENGINEER, tmp_path / "en", FillOptions(lang="en"))
    assert any("adjustment 8 is outside ±5; counted as 5" in w for w in _warnings(openpyxl.load_workbook(en.summary)))
    assert any("adjustment 8 is outside ±5" in w for w in en.warnings)  # the terminal stays English


def _column(path, key: str) -> str:
    sheet = openpyxl.load_workbook(path)["Scores"]
    cell = next(c for c in sheet[1] if str(c.value).split(" ")[0] == key)
    return f"{cell.column_letter} ({key})"


def test_contract_sheets_keep_their_names_and_print_a_title_in_the_readers_language(tmp_path):
    scores = make_workbook(tmp_path / "s.xlsx", ENGINEER, [_agreeing(1)])
    for lang, title in (("zh", "考核结果汇总"), ("en", "Appraisal results")):
        book = openpyxl.load_workbook(fill(scores, ENGINEER, tmp_path / lang, FillOptions(lang=lang)).summary)
        assert book.sheetnames == ["Summary", "Departments", "Comments", "Warnings"]  # contract 4: programs read these
        assert book["Summary"].oddHeader.center.text == title  # what a person sees on every printed page


def test_summary_cells_wrap_and_a_long_comment_gets_the_rows_it_needs(tmp_path):
    # Written row by row in write-only mode (issue 14): widths, wrapping and row heights must survive it.
    long = "方案质量高，客户认可。" * 150
    scores = make_workbook(tmp_path / "s.xlsx", ENGINEER, [typical_row(ENGINEER, 1) | {"manager_comment": long}])
    book = openpyxl.load_workbook(fill(scores, ENGINEER, tmp_path / "out").summary)
    comments = book["Comments"]
    row = next(r for r in comments.iter_rows(min_row=2) if r[3].value == long)  # the full text, as typed
    assert comments.column_dimensions["D"].width == 100
    assert row[3].alignment.wrap_text and row[3].alignment.vertical == "top" and row[3].border.left.style == "thin"
    assert comments.row_dimensions[row[0].row].height == 400  # 34 lines of 16 pt, capped below Excel's 409 pt
    assert comments.row_dimensions[1].height == 32  # "employee_id 工号" takes two lines in a 12-wide column
    assert comments["A1"].font.b and comments["A1"].fill.fgColor.rgb.endswith("DDE4EE")
    summary = book["Summary"]
    assert summary.column_dimensions["I"].width == 30 and summary["A2"].value == "E001"
    assert summary["A2"].border.bottom.style == "thin" and summary["A2"].alignment.wrap_text
