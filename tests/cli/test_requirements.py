"""`docgen requirements new|check|analyze` as a user runs them."""

from __future__ import annotations

import openpyxl
from click.testing import CliRunner

from docgen.cli import main
from docgen.intake.analysis import example_files


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_every_requirements_command_has_help():
    for command in ("new", "check", "analyze"):
        result = run("requirements", command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


def test_new_writes_a_bilingual_form_with_dropdowns(tmp_path):
    out = tmp_path / "form.xlsx"
    result = run("requirements", "new", "-o", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Instructions", "Client", "Requirements", "Competitors", "Contacts"]
    assert [c.value for c in book["Requirements"][1]] == [
        "id 编号", "category 类别", "text 需求描述", "priority 优先级", "tags 标签（逗号分隔）", "notes 备注"]
    lists = {str(dv.sqref): dv.formula1 for dv in book["Client"].data_validations.dataValidation}
    assert any("finance 金融" in f for f in lists.values())
    assert any("low 低" in f for f in lists.values()) and any("en English" in f for f in lists.values())
    priority = book["Requirements"].data_validations.dataValidation[0]
    assert "must 必须" in priority.formula1 and "D2" in str(priority.sqref)
    grey = book["Requirements"]["A2"]
    assert grey.value == "example-R1" and grey.fill.fgColor.rgb.endswith("EDEDED")


def test_new_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "form.xlsx"
    out.write_bytes(b"mine")
    result = run("requirements", "new", "-o", str(out))
    assert result.exit_code == 2 and "already exists; use --force" in result.output
    assert out.read_bytes() == b"mine"
    assert run("requirements", "new", "-o", str(out), "--force").exit_code == 0


def test_blank_form_fails_check_naming_the_cells_to_fill(tmp_path):
    out = tmp_path / "form.xlsx"
    run("requirements", "new", "-o", str(out))
    result = run("requirements", "check", str(out))
    assert result.exit_code == 2
    assert "sheet Client, row 2, column B, field name: name is required" in result.output
    assert "sheet Requirements: requirements is empty" in result.output
    assert "Traceback" not in result.output


def test_check_prints_the_summary(tmp_path):
    bank = next(p for p in example_files() if "bank" in p.name)
    result = run("requirements", "check", str(bank))
    assert result.exit_code == 0, result.output
    assert "华东某城市商业银行 (finance, language zh, trust low)" in result.output
    assert "presales owner: 张伟" in result.output
    assert "requirements:   12 (must 5, should 5, could 2)" in result.output
    assert "灾备" in result.output


def test_check_bad_file_exits_2(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("client: {name: A, industry: banking, presales_owner: 张伟}\nrequirements: []\n", encoding="utf-8")
    result = run("requirements", "check", str(path))
    assert result.exit_code == 2
    assert f"{path}, line 1, field client.industry: unknown industry 'banking'" in result.output
    assert "line 2, field requirements: requirements is empty" in result.output


def test_analyze_writes_the_table(tmp_path):
    out = tmp_path / "table.xlsx"
    result = run("requirements", "analyze", *map(str, example_files()), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "3 clients in 3 industries" in result.output
    assert openpyxl.load_workbook(out).sheetnames[0] == "Overview 总览"
