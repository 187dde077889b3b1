"""Score workbook: written for HR, read back, every bad cell named with sheet/row/column."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from tests.helpers.docs import needs_libreoffice
from tests.helpers.review import (
    ENGINEER,
    MANAGER,
    make_workbook,
    resave_with_libreoffice,
    typical_row,
)

from docgen.core.errors import InputError
from docgen.review.scoresheet import (
    columns_for,
    read_roster,
    read_scoresheet,
    write_scoresheet,
)


def test_written_workbook_has_contract_columns_validation_comments_and_roster(tmp_path):
    roster = tmp_path / "roster.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["employee_id 工号", "name 姓名", "department", "position", "manager", "period", "phone"])
    wb.active.append(["0012", "张三", "售前一部", "售前工程师", "王经理", "2026H2", "123"])
    wb.active.append(["0013", "R&D <Ltd> 李四", "售前二部", "售前工程师", "王经理", "2026H2", ""])
    wb.save(roster)
    out = write_scoresheet(MANAGER, tmp_path / "scores.xlsx", read_roster(roster))

    book = openpyxl.load_workbook(out)
    ws = book["Scores"]
    labeled = [c.value for c in ws[1]]
    assert labeled[:10] == ["employee_id 工号", "name 姓名", "department 部门", "position 职位", "manager 直接上级",
                            "period 考核周期", "M1.target 目标值", "M1.actual 实际完成", "M1.self 自评分", "M1.score 上级评分"]
    header = [v.split()[0] for v in labeled]  # contract 4: the key before the first space
    assert header == columns_for(MANAGER)
    assert header[-3:] == ["adjustment", "adjustment_reason", "manager_comment"]
    assert [ws.cell(row=r, column=1).value for r in (2, 3)] == ["0012", "0013"]
    assert ws.cell(row=3, column=2).value == "R&D <Ltd> 李四"
    assert ws.freeze_panes == "C2"
    # Printed: landscape A4 pages at full size (50 columns on one page width would be unreadable),
    # each repeating the header row and the id and name columns, with a page footer.
    assert (str(ws.page_setup.paperSize), ws.page_setup.orientation) == ("9", "landscape")
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$B"
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    m1_score = header.index("M1.score") + 1
    assert "部门支持签约额达成率" in ws.cell(row=1, column=m1_score).comment.text
    rules = {str(dv.sqref).split(":")[0]: (dv.type, dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}
    assert rules["J2"] == ("decimal", "0", "20")  # M1.score within its weight
    b1_level = openpyxl.utils.get_column_letter(header.index("B1.level") + 1)
    assert rules[f"{b1_level}2"] == ("whole", "1", "5")
    ref = book["Indicators"]
    assert [c.value.split()[0] for c in ref[1]] == ["code", "section", "name_zh", "name_en", "weight", "rule"]
    assert ref["F1"].value == "rule 评分规则"
    assert ref.cell(row=2, column=1).value == "M1" and ref.protection.sheet


def test_reads_scores_computes_blank_scores_from_machine_rules(tmp_path):
    rows = [typical_row(ENGINEER, 1), typical_row(ENGINEER, 2, **{"K1.score": None, "K1.target": 50, "K1.actual": 45})]
    sheet = read_scoresheet(make_workbook(tmp_path / "s.xlsx", ENGINEER, rows), ENGINEER)
    assert [e.employee_id for e in sheet.employees] == ["E001", "E002"]
    k1 = sheet.employees[1].kpis[0]
    assert (k1.score, k1.computed) == (Decimal("9.00"), True)
    first = sheet.employees[0]
    # hand computed: K scores = weight - (1+i) % 3 for i = 0..7 -> 80 - (1+2+0+1+2+0+1+2) = 71
    assert first.totals.kpi_total == Decimal("71.00")
    # levels 5 - (1+i) % 3 -> 4,3,5,4,3 -> 3.2+2.4+4+3.2+2.4 = 15.2
    assert first.totals.behavior_total == Decimal("15.20")
    assert first.totals.total == Decimal("87.20") and first.totals.grade == "A"


def test_every_bad_cell_is_reported_with_sheet_row_and_column(tmp_path):
    rows = [
        typical_row(ENGINEER, 1, **{"K1.score": 12}),  # above weight 10
        typical_row(ENGINEER, 2, **{"K2.score": -1, "B1.level": 6}),
        typical_row(ENGINEER, 3, **{"K3.score": "九十", "name": None}),
        typical_row(ENGINEER, 1),  # duplicate E001 on row 5
        typical_row(ENGINEER, 5, **{"B2.level": 3.5, "K8.score": None}),
    ]
    path = make_workbook(tmp_path / "bad.xlsx", ENGINEER, rows)
    with pytest.raises(InputError) as err:
        read_scoresheet(path, ENGINEER)
    text = str(err.value)
    at = f"{path}, sheet Scores"
    assert f"{at}, row 2, column J (K1.score): expected points from 0 to 10 (the weight of K1), got 12" in text
    assert f"{at}, row 3, column N (K2.score): expected points from 0 to 10 (the weight of K2), got -1" in text
    assert f"{at}, row 3, column AN (B1.level): expected a level from 1 to 5, got 6" in text
    assert f"{at}, row 4, column R (K3.score): expected points from 0 to 10 (the weight of K3), got text '九十'" in text
    assert f"{at}, row 4, column B (name): missing name" in text
    assert f"{at}, row 5, column A (employee_id): duplicate employee_id 'E001' (also row 2)" in text
    assert f"{at}, row 6, column AP (B2.level): expected a whole level from 1 to 5, got 3.5" in text
    assert f"{at}, row 6, column AL (K8.score): missing score" in text
    assert len(err.value.problems) == 8


def test_unknown_and_missing_columns(tmp_path):
    path = make_workbook(tmp_path / "s.xlsx", ENGINEER, [typical_row(ENGINEER, 1)])
    wb = openpyxl.load_workbook(path)
    ws = wb["Scores"]
    ws.cell(row=1, column=10).value = "K1.points"  # instead of K1.score
    wb.save(path)
    with pytest.raises(InputError) as err:
        read_scoresheet(path, ENGINEER)
    text = str(err.value)
    assert "sheet Scores, row 1, column J (K1.points): unknown column 'K1.points'" in text
    assert "sheet Scores, row 1: missing column(s): K1.score" in text


def test_manager_workbook_does_not_fit_the_engineer_role(tmp_path):
    path = make_workbook(tmp_path / "m.xlsx", MANAGER, [typical_row(MANAGER, 1)])
    with pytest.raises(InputError, match=r"unknown column 'M1.target' for role presales-engineer"):
        read_scoresheet(path, ENGINEER)


def test_empty_sheet_header_only_and_not_an_xlsx(tmp_path):
    empty = tmp_path / "empty.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Scores"
    wb.save(empty)
    with pytest.raises(InputError, match=r"empty.xlsx, sheet Scores, row 1: the sheet is empty"):
        read_scoresheet(empty, ENGINEER)
    header_only = write_scoresheet(ENGINEER, tmp_path / "blank.xlsx")
    with pytest.raises(InputError, match=r"sheet Scores, row 2: no employees"):
        read_scoresheet(header_only, ENGINEER)
    fake = tmp_path / "scores.xlsx"
    fake.write_text("employee_id,name\n1,a\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"scores.xlsx: not an Excel .xlsx workbook"):
        read_scoresheet(fake, ENGINEER)


def test_adjustment_outside_five_is_a_warning_and_clamped(tmp_path):
    path = make_workbook(tmp_path / "s.xlsx", ENGINEER, [typical_row(ENGINEER, 1, adjustment=8)])
    sheet = read_scoresheet(path, ENGINEER)
    assert sheet.employees[0].totals.adjustment == 5
    assert "row 2, column" in str(sheet.warnings[0]) and "outside ±5; counted as 5" in str(sheet.warnings[0])


@needs_libreoffice
def test_workbook_resaved_by_libreoffice_reads_the_same(tmp_path):
    rows = [
        typical_row(ENGINEER, 1, employee_id="0012", manager_comment="第一行\n第二行 R&D <Ltd> \"引号\" 😀"),
        typical_row(ENGINEER, 2, **{"K1.score": None, "K1.target": 50, "K1.actual": 45, "K2.score": 7.25}),
        typical_row(ENGINEER, 3, adjustment=-2.5, adjustment_reason=None),
    ]
    original = make_workbook(tmp_path / "scores.xlsx", ENGINEER, rows)
    resaved = resave_with_libreoffice(original, tmp_path / "lo")
    a, b = read_scoresheet(original, ENGINEER), read_scoresheet(resaved, ENGINEER)
    assert [e.employee_id for e in b.employees] == ["0012", "E002", "E003"]
    assert openpyxl.load_workbook(resaved)["Scores"]["G1"].value == "K1.target 目标值"  # labels survive Calc
    for x, y in zip(a.employees, b.employees):
        assert (x.name, x.manager_comment, x.kpis, x.levels, x.totals) == (y.name, y.manager_comment, y.kpis, y.levels, y.totals)


def test_headers_read_the_same_with_and_without_their_labels(tmp_path):
    labeled = make_workbook(tmp_path / "labeled.xlsx", ENGINEER, [typical_row(ENGINEER, 1), typical_row(ENGINEER, 2)])
    book = openpyxl.load_workbook(labeled)
    for cell in book["Scores"][1]:
        assert " " in cell.value  # "employee_id 工号", "K1.target 目标值", …
        cell.value = cell.value.split()[0]
    book.save(tmp_path / "keys.xlsx")
    a, b = read_scoresheet(labeled, ENGINEER), read_scoresheet(tmp_path / "keys.xlsx", ENGINEER)
    assert [(e.employee_id, e.kpis, e.levels, e.totals) for e in a.employees] == \
           [(e.employee_id, e.kpis, e.levels, e.totals) for e in b.employees]
