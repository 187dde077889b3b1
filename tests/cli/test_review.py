"""`docgen review …` from the command line: outputs, exit codes, and bad input leaving nothing behind."""

from __future__ import annotations

import re

import openpyxl
import pytest
from click.testing import CliRunner
from tests.helpers.docs import docx_text, needs_libreoffice, pdf_pages
from tests.helpers.review import ENGINEER, make_workbook, typical_row

from docgen.cli import main


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def _snapshot(folder):
    return sorted((p.relative_to(folder), p.stat().st_mtime_ns) for p in folder.rglob("*")) if folder.exists() else None


def test_roles_lists_both_roles_with_weights():
    result = run("review", "roles")
    assert result.exit_code == 0
    assert "presales-engineer" in result.output and "presales-manager" in result.output
    assert "K5 支持项目赢单率 15" in result.output and "M1 部门支持签约额达成率 20" in result.output


def test_blank_scoresheet_and_fill_end_to_end(tmp_path):
    result = run("review", "blank", "--role", "presales-manager", "--lang", "en", "-o", tmp_path / "form.docx")
    assert result.exit_code == 0, result.output
    text = docx_text(tmp_path / "form.docx")
    assert "Presales Manager Performance Review" in text and "Department-supported contract value" in text

    roster = tmp_path / "roster.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["employee_id", "name", "department", "position", "manager", "period"])
    wb.active.append(["E9", "周芷若", "售前一部", "售前工程师", "王经理", "2026"])
    wb.save(roster)
    result = run("review", "scoresheet", "--role", "presales-engineer", "-o", tmp_path / "scores.xlsx", "--roster", roster)
    assert result.exit_code == 0 and "with 1 employees" in result.output
    assert openpyxl.load_workbook(tmp_path / "scores.xlsx")["Scores"]["B2"].value == "周芷若"

    scores = make_workbook(tmp_path / "filled.xlsx", ENGINEER, [typical_row(ENGINEER, n, department="售前一部") for n in (1, 2, 3)])
    result = run("review", "fill", scores, "--role", "presales-engineer", "-o", tmp_path / "out", "--jobs", "2",
                 "--top-share-min-headcount", "3")  # the S+A share of a 3-person team is checked only on request
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".docgen-run.json", "E001_员工1.docx", "E002_员工2.docx", "E003_员工3.docx", "summary.xlsx"]
    assert "packets" not in result.stderr  # no progress bar when not on a terminal
    assert "department 售前一部" in result.stderr and "above the 30% limit" in result.stderr
    book = openpyxl.load_workbook(tmp_path / "out" / "summary.xlsx")
    rows = list(book["Summary"].iter_rows(values_only=True))
    assert tuple(h.split()[0] for h in rows[0][:7]) == ("employee_id", "name", "kpi_total", "behavior_total", "adjustment",
                                                        "total", "grade")
    assert rows[1][:7] == ("E001", "员工1", 71, 15.2, 1, 87.2, "A")
    dept = list(book["Departments"].iter_rows(values_only=True))
    assert dept[1][:3] == ("售前一部", 3, round((87.2 + rows[2][5] + rows[3][5]) / 3, 2))

    again = run("review", "fill", scores, "--role", "presales-engineer", "-o", tmp_path / "out")
    assert again.exit_code == 2 and "already exists; use --force" in again.stderr
    assert run("review", "fill", scores, "--role", "presales-engineer", "-o", tmp_path / "out", "--force").exit_code == 0


def _bad_workbooks(tmp_path):
    """(name, path, text the error must contain) for each kind of bad input of the issue."""
    cases = []
    rows = [typical_row(ENGINEER, 1, **{"K1.score": 11}), typical_row(ENGINEER, 2, **{"K2.score": -2}),
            typical_row(ENGINEER, 3, **{"B1.level": 0}), typical_row(ENGINEER, 4, **{"K3.score": "优"}),
            typical_row(ENGINEER, 1), typical_row(ENGINEER, 6, name="")]
    path = make_workbook(tmp_path / "bad.xlsx", ENGINEER, rows)
    cases.append(("cells", path, [
        "sheet Scores, row 2, column J (K1.score): expected points from 0 to 10",
        "sheet Scores, row 3, column N (K2.score): expected points from 0 to 10 (the weight of K2), got -2",
        "sheet Scores, row 4, column AN (B1.level): expected a level from 1 to 5, got 0",
        "sheet Scores, row 5, column R (K3.score): expected points from 0 to 10 (the weight of K3), got text '优'",
        "sheet Scores, row 6, column A (employee_id): duplicate employee_id 'E001' (also row 2)",
        "sheet Scores, row 7, column B (name): missing name",
    ]))
    columns = make_workbook(tmp_path / "columns.xlsx", ENGINEER, [typical_row(ENGINEER, 1)])
    wb = openpyxl.load_workbook(columns)
    wb["Scores"]["C1"].value = "dept"
    wb.save(columns)
    cases.append(("columns", columns, ["row 1, column C (dept): unknown column 'dept'", "missing column(s): department"]))
    empty = tmp_path / "empty.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Scores"
    wb.save(empty)
    cases.append(("empty", empty, ["sheet Scores, row 1: the sheet is empty"]))
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    cases.append(("not xlsx", fake, ["not an Excel .xlsx workbook"]))
    return cases


def test_every_bad_input_exits_2_names_the_cell_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("HR's own file", encoding="utf-8")
    before = _snapshot(out)
    for name, path, expected in _bad_workbooks(tmp_path):
        result = run("review", "fill", path, "--role", "presales-engineer", "-o", out, "--pdf")
        assert result.exit_code == 2, name
        assert result.stderr.startswith("docgen: error: "), name
        assert "Traceback" not in result.output + result.stderr
        for text in expected:
            assert text in result.stderr, (name, text, result.stderr)
        assert _snapshot(out) == before, name
    missing = run("review", "fill", tmp_path / "bad.xlsx", "--role", "presales-engineer", "-o", tmp_path / "new")
    assert missing.exit_code == 2 and not (tmp_path / "new").exists()


@pytest.mark.parametrize("args, message", [
    (("review", "blank", "--role", "nobody", "-o", "x.docx"), "unknown role 'nobody'"),
    (("review", "scoresheet", "--role", "presales-engineer"), "Missing option '-o'"),
])
def test_usage_errors(tmp_path, args, message):
    result = run(*args)
    assert result.exit_code == 2 and message in result.output + result.stderr


def test_every_review_command_has_help():
    for command in ("roles", "blank", "scoresheet", "fill"):
        result = run("review", command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


@needs_libreoffice
def test_fill_with_pdf_writes_a_pdf_per_packet_and_print_all(tmp_path):
    scores = make_workbook(tmp_path / "s.xlsx", ENGINEER, [typical_row(ENGINEER, 1), typical_row(ENGINEER, 2)])
    result = run("review", "fill", scores, "--role", "presales-engineer", "-o", tmp_path / "out", "--pdf", "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [".docgen-run.json", "E001_员工1.docx", "E001_员工1.pdf", "E002_员工2.docx", "E002_员工2.pdf", "print-all.pdf", "summary.xlsx"]
    count, pages = pdf_pages(tmp_path / "out" / "print-all.pdf")
    squash = [re.sub(r"\s+", "", page) for page in pages]  # LibreOffice spaces CJK from digits
    assert count == 28 and "员工1" in squash[0] and "员工2" in squash[14]


def test_demo_writes_blank_and_filled_packets(tmp_path):
    from docgen.review.batch import demo

    written = demo(tmp_path)
    names = [p.name for p in written]
    assert names[:3] == ["review-blank-presales-engineer-zh.docx", "review-blank-presales-engineer-en.docx",
                         "review-blank-presales-manager-zh.docx"]
    assert "E1004_欧阳志远.docx" in names and names[-1] == "summary.xlsx"
    assert all(p.exists() for p in written)
    book = openpyxl.load_workbook(written[-1])
    # The example's long comment fits its box at a smaller font: nothing continued, nothing flagged.
    assert list(book["Comments"].iter_rows(min_row=2, values_only=True)) == []
    assert list(book["Warnings"].iter_rows(min_row=2, values_only=True)) == []
    assert {r[9] for r in book["Summary"].iter_rows(min_row=2, values_only=True)} == {14}
