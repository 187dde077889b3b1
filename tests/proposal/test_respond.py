"""`docgen proposal respond`: our answers in a copy of the client's own sheet, nothing else touched.

The client workbooks come from tests/intake/test_questionnaire.py (title rows,
merged two-row header, section rows, ★ column, dropdowns, formulas); each test
imports one, fills the client fields as the presales owner would, responds,
and compares the answered copy with the original cell by cell.
"""

from __future__ import annotations

from copy import copy
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter

from docgen.cli import main
from docgen.proposal.respond import (
    FULL,
    NOT_MET,
    PARTIAL,
    TO_CONFIRM,
    Response,
    choose_word,
    respond,
    responses_for,
)
from tests.helpers.review import resave_with_libreoffice
from tests.intake.test_questionnaire import (
    HOSTILE,
    chinese_workbook,
    english_workbook,
    fill_client,
    restarting_workbook,
)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def imported(client: Path, language: str) -> Path:
    out = client.with_suffix(".yaml")
    result = run("requirements", "import", client, "-o", out)
    assert result.exit_code == 0, result.output
    return fill_client(out, language)


def _style(cell) -> tuple:
    # copy() unwraps openpyxl's style proxies, which compare by identity.
    return (cell.number_format, *(copy(getattr(cell, name)) for name in ("font", "fill", "border", "alignment")))


def assert_unchanged(before: Path, after: Path, written: set[tuple[str, int, int]]) -> None:
    """Every cell (value, formula, style), merge, column width and dropdown of `before` is in `after`,
    except the cells in `written` (sheet, row, column) and what lies right of the original columns."""
    old, new = openpyxl.load_workbook(before), openpyxl.load_workbook(after)
    assert new.sheetnames == old.sheetnames
    for ws in old.worksheets:
        out = new[ws.title]
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column):
            for cell in row:
                if (ws.title, cell.row, cell.column) in written:
                    continue
                other = out.cell(cell.row, cell.column)
                assert (other.value, _style(other)) == (cell.value, _style(cell)), f"{ws.title}!{cell.coordinate}"
        merges = {str(r) for r in ws.merged_cells.ranges}
        added = {str(r) for r in out.merged_cells.ranges} - merges
        assert merges <= {str(r) for r in out.merged_cells.ranges}
        assert all(out[r].min_col > ws.max_column for r in added), added
        for col in range(1, ws.max_column + 1):
            letter = get_column_letter(col)
            assert out.column_dimensions[letter].width == ws.column_dimensions[letter].width, letter
        assert _rules(out) == _rules(ws)


def _rules(ws) -> set[tuple]:
    return {(str(dv.sqref), dv.type, dv.formula1) for dv in ws.data_validations.dataValidation}


def answer_cells(path: Path, sheet: str, rows: list[int], columns: str) -> list[tuple]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [tuple(ws[f"{c}{r}"].value for c in columns) for r in rows]


# --- the Chinese tender sheet ----------------------------------------------------------------------

def test_every_requirement_is_answered_in_the_clients_columns_and_nothing_else_changes(tmp_path):
    client = chinese_workbook(tmp_path / "技术规格响应表.xlsx")
    requirements = imported(client, "zh")
    out = tmp_path / "应答.xlsx"
    result = run("proposal", "respond", client, "--requirements", requirements, "-o", out)
    assert result.exit_code == 0, result.output
    assert "6 requirements answered in sheet 技术规格响应表" in result.output and "added columns" not in result.output

    rows = [6, 7, 9, 10, 12, 13]
    answers = answer_cells(out, "技术规格响应表", rows, "DEF")
    assert all(response for response, _, _ in answers)
    # Their dropdown says 正偏离/无偏离/负偏离: a full answer is 无偏离, never 正偏离 (we claim no more than we have).
    assert {compliance for _, compliance, _ in answers} <= {"无偏离", "负偏离", None}
    written = {("技术规格响应表", r, c) for r in rows for c in (4, 5, 6)}
    assert_unchanged(client, out, written)
    ws = openpyxl.load_workbook(out)["技术规格响应表"]
    assert ws["G6"].value == '=IF(C6="★","实质性条款","")'  # formulas stay formulas
    assert ws["B13"].value == HOSTILE
    assert openpyxl.load_workbook(client)["技术规格响应表"]["D6"].value is None  # the original is untouched


def test_ids_that_restart_under_headings_are_found_by_their_recorded_row(tmp_path):
    client = restarting_workbook(tmp_path / "client.xlsx")
    requirements = imported(client, "zh")
    responses = {rid: Response(f"应答{rid}", "满足") for rid in ("1-1", "1-2", "2-1", "2-2")}
    answered = respond(client, requirements, tmp_path / "out.xlsx", responses=responses)
    assert answered.filled == ("1-1", "1-2", "2-1", "2-2") and not answered.warnings
    # No response column: added at the right (D, E); 备注 (C) is empty in rows 3, 4, 6 but not 7: a new note column.
    assert answered.added == ("应答", "是否满足")
    assert answer_cells(tmp_path / "out.xlsx", "Sheet1", [3, 4, 6, 7], "DE") == [
        ("应答1-1", "满足"), ("应答1-2", "满足"), ("应答2-1", "满足"), ("应答2-2", "满足")]
    assert_unchanged(client, tmp_path / "out.xlsx", set())


# --- the English RFP sheet and its Yes/No/Partial dropdown --------------------------------------------

def test_english_sheet_gets_a_note_column_in_their_header_style_and_their_words(tmp_path):
    client = english_workbook(tmp_path / "rfp.xlsx")
    requirements = imported(client, "en")
    responses = {
        "A-01": Response("Dual-link SD-WAN with central orchestration.", "Full"),
        "A-02": Response("Policies pushed from the SD-WAN controller; firewall rules reviewed yearly.", "Partial",
                         "Firewall policies of third-party devices are imported, not managed."),
        "B-01": Response("=cmd|' /C calc'!A0", "Not met", "Retention is 14 days."),
        "B-02": Response("[TO WRITE B-02: Satellite backhaul (owner: Alex Chen)]", "To confirm", "No answer yet"),
        "B-03": Response(HOSTILE + "\x0b", "Full"),
    }
    out = tmp_path / "answered.xlsx"
    answered = respond(client, requirements, out, responses=responses)
    assert answered.added == ("Deviation note",)  # Remarks holds the client's own text in row 4
    ws = openpyxl.load_workbook(out)["Technical Questionnaire"]
    assert ws["H3"].value == "Deviation note"
    assert _style(ws["H3"])[1:] == _style(ws["C3"])[1:]
    assert [ws[f"F{r}"].value for r in range(4, 9)] == ["Yes", "Partial", "No", None, "Yes"]
    assert ws["H6"].value == "Retention is 14 days."
    assert ws["H7"].value == "To confirm: No answer yet"  # no honest word in Yes/No/Partial: blank, said in the note
    assert ws["E6"].value == "=cmd|' /C calc'!A0" and ws["E6"].data_type == "s"  # text, never a formula
    assert ws["E8"].value == HOSTILE
    assert ws.column_dimensions["H"].width > 20
    written = {("Technical Questionnaire", r, c) for r in range(4, 9) for c in (5, 6)}
    assert_unchanged(client, out, written)


@pytest.mark.parametrize("status, choices, word", [
    (FULL, ["正偏离", "无偏离", "负偏离"], "无偏离"),
    (PARTIAL, ["正偏离", "无偏离", "负偏离"], "负偏离"),
    (NOT_MET, ["正偏离", "无偏离", "负偏离"], "负偏离"),
    (TO_CONFIRM, ["正偏离", "无偏离", "负偏离"], None),
    (FULL, ["满足", "不满足"], "满足"),
    (PARTIAL, ["满足", "不满足"], "不满足"),
    (PARTIAL, ["满足", "部分满足", "不满足", "待确认"], "部分满足"),
    (TO_CONFIRM, ["满足", "部分满足", "不满足", "待确认"], "待确认"),
    (FULL, ["Yes", "No", "Partial"], "Yes"),
    (PARTIAL, ["Yes", "No", "Partial"], "Partial"),
    (NOT_MET, ["Fully compliant", "Partially compliant", "Non-compliant"], "Non-compliant"),
    (FULL, ["Fully compliant", "Partially compliant", "Non-compliant"], "Fully compliant"),
    (FULL, ["正偏离", "负偏离"], None),
])
def test_our_status_in_the_clients_vocabulary(status, choices, word):
    assert choose_word(status, choices) == word


def test_a_dropdown_read_from_a_list_on_another_sheet(tmp_path):
    client = english_workbook(tmp_path / "rfp.xlsx")
    wb = openpyxl.load_workbook(client)
    lists = wb.create_sheet("Lists")
    for value in ("Comply", "Partially comply", "Does not comply"):
        lists.append([value])
    ws = wb["Technical Questionnaire"]
    ws.data_validations.dataValidation[0].formula1 = "Lists!$A$1:$A$3"
    wb.save(client)
    requirements = imported(client, "en")
    responses = {rid: Response("x", word) for rid, word in
                 zip(("A-01", "A-02", "B-01", "B-02", "B-03"), ("Full", "Partial", "Not met", "Full", "Full"))}
    respond(client, requirements, tmp_path / "out.xlsx", responses=responses)
    assert [c for (c,) in answer_cells(tmp_path / "out.xlsx", "Technical Questionnaire", [4, 5, 6], "F")] == [
        "Comply", "Partially comply", "Does not comply"]


# --- the answers --------------------------------------------------------------------------------

def test_responses_come_from_the_library_and_an_unanswerable_one_is_to_confirm(tmp_path):
    requirements = imported(english_workbook(tmp_path / "rfp.xlsx"), "en")
    responses = responses_for(requirements)
    assert set(responses) == {"A-01", "A-02", "B-01", "B-02", "B-03"}
    satellite = responses["B-02"]
    assert (satellite.compliance, satellite.note) == ("To confirm", "No answer yet")
    assert satellite.text.startswith("[TO ANSWER B-02")
    assert responses["B-01"].compliance in ("Full", "Partial", "To confirm", "Not met") and responses["B-01"].text
    # a row short of Full says why, figure by figure, in the deviation note
    assert all(r.note for r in responses.values() if r.compliance in ("To confirm", "Not met"))


# --- LibreOffice ------------------------------------------------------------------------------------

@pytest.mark.libreoffice
def test_a_sheet_resaved_by_libreoffice_keeps_everything_but_the_answers(tmp_path):
    client = resave_with_libreoffice(chinese_workbook(tmp_path / "client.xlsx"), tmp_path / "lo")
    requirements = imported(client, "zh")
    out = tmp_path / "answered.xlsx"
    answered = respond(client, requirements, out)
    assert len(answered.filled) == 6 and not answered.added
    rows = [6, 7, 9, 10, 12, 13]
    assert all(response for response, in answer_cells(out, "技术规格响应表", rows, "D"))
    assert_unchanged(client, out, {("技术规格响应表", r, c) for r in rows for c in (4, 5, 6)})


@pytest.mark.libreoffice
def test_added_columns_split_a_width_group_libreoffice_wrote(tmp_path):
    client = tmp_path / "client.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "技术要求"])
    ws.append(["1", "双活"])
    ws.column_dimensions["C"].width = 17  # a width group from C to the right edge, as Calc writes it
    ws.column_dimensions["C"].min, ws.column_dimensions["C"].max = 3, 1024
    wb.save(client)
    client = resave_with_libreoffice(client, tmp_path / "lo")
    requirements = imported(client, "zh")
    respond(client, requirements, tmp_path / "out.xlsx", responses={"1": Response("应答", "满足")})
    out = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    assert (out["C1"].value, out["D1"].value) == ("应答", "是否满足")
    assert [out.column_dimensions[c].width for c in "CD"] == [48, 12]
    before = openpyxl.load_workbook(client).active
    assert out.column_dimensions["B"].width == before.column_dimensions["B"].width
    # Columns right of ours keep the group's width.
    soffice_width = {d.width for d in before.column_dimensions.values() if (d.max or 0) >= 5}
    assert {d.width for d in out.column_dimensions.values() if (d.min or 0) >= 5} <= soffice_width


# --- bad input --------------------------------------------------------------------------------------

def test_bad_input_is_one_line_exit_2_and_no_output(tmp_path):
    client = chinese_workbook(tmp_path / "client.xlsx")
    requirements = imported(client, "zh")
    out = tmp_path / "answered.xlsx"

    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    result = run("proposal", "respond", text, "--requirements", requirements, "-o", out)
    assert result.exit_code == 2 and "notes.xlsx: is not an Excel workbook" in result.output

    blank = client.with_name("blank.yaml")
    assert run("requirements", "import", client, "-o", blank).exit_code == 0
    result = run("proposal", "respond", client, "--requirements", blank, "-o", out)
    assert result.exit_code == 2 and "blank.yaml" in result.output and "name is required" in result.output

    result = run("proposal", "respond", client, "--requirements", requirements, "-o", client, "--force")
    assert result.exit_code == 2 and "client's own workbook" in result.output

    other = english_workbook(tmp_path / "other.xlsx")  # ids of another sheet: said, never guessed by row
    result = run("proposal", "respond", other, "--requirements", requirements, "-o", out)
    assert result.exit_code == 2 and "none of the 6 requirements" in result.output
    assert "other.xlsx, sheet Technical Questionnaire" in result.output
    assert "Traceback" not in result.output and not out.exists()

    out.write_bytes(b"mine")
    result = run("proposal", "respond", client, "--requirements", requirements, "-o", out)
    assert result.exit_code == 2 and "already exists; use --force" in result.output and out.read_bytes() == b"mine"
