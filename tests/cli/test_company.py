"""`docgen company check` as a user runs it: OK, expired certificates (exit 1), problems (exit 2)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from docgen.cli import main
from docgen.core.config import bundled_path

IMAGE = bundled_path("templates") / "company" / "credentials" / "images" / "iso9001.png"


def run(*args):
    return CliRunner().invoke(main, list(args))


def company_folder(tmp_path: Path) -> Path:
    """A templates folder whose docgen.toml the commands read; returns its company/ folder."""
    (tmp_path / "docgen.toml").write_text('[docgen]\ntemplates = "templates"\n', encoding="utf-8")
    folder = tmp_path / "templates" / "company"
    (folder / "credentials" / "images").mkdir(parents=True)
    shutil.copy(IMAGE, folder / "credentials" / "images" / "cert.png")
    return folder


def test_company_check_has_help():
    result = run("company", "check", "--help")
    assert result.exit_code == 0 and "Usage:" in result.output
    assert "company" in run("--help").output


def test_the_bundled_company_is_ok_and_says_it_is_fictional():
    result = run("company", "check")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 14 people, 12 credentials, 43 price book items, 4 service levels")
    assert "fictional" in result.output


def test_an_expired_certificate_exits_1_and_is_named(tmp_path):
    folder = company_folder(tmp_path)
    (folder / "credentials" / "old.yaml").write_text(
        "name: ISO 9001 质量管理体系认证证书\nnumber: Q-2019\nissuer: 某机构\nvalid_until: 2022-05-31\n"
        "image: images/cert.png\n", encoding="utf-8")
    result = run("--config", str(tmp_path / "docgen.toml"), "company", "check")
    assert result.exit_code == 1, result.output
    assert "EXPIRED ISO 9001 质量管理体系认证证书 (Q-2019) on 2022-05-31" in result.output
    assert "old.yaml, field valid_until" in result.output and "OK:" not in result.output


def test_problems_exit_2_with_every_place(tmp_path):
    folder = company_folder(tmp_path)
    (folder / "credentials" / "bad.yaml").write_text("name: X\nissuer: Y\nimage: images/none.png\n", encoding="utf-8")
    (folder / "service.yaml").write_text("service_hours: 7×24\nwarranty_years: many\nlevels: []\n", encoding="utf-8")
    result = run("--config", str(tmp_path / "docgen.toml"), "company", "check")
    assert result.exit_code == 2, result.output
    assert "bad.yaml, line 1, field number: is required" in result.output
    assert "bad.yaml, line 3, field image: image file" in result.output
    assert ("service.yaml, line 2, field warranty_years: expected a whole number from 0 to 20, got 'many'"
            in result.output)
    assert "Traceback" not in result.output


def test_a_section_bom_code_missing_from_the_pricebook_is_a_problem(tmp_path):
    company_folder(tmp_path)
    sections = tmp_path / "templates" / "proposal" / "sections"
    sections.mkdir(parents=True)
    (sections / "extra-zh.md").write_text(
        "---\nid: extra-zh\ntitle: 扩展\ncategories: [扩展]\nstages: [detailed]\nlanguage: zh\n"
        "bom:\n  - {code: NOPE-1, quantity: 2}\n---\n" + "正文。" * 40 + "\n", encoding="utf-8")
    result = run("--config", str(tmp_path / "docgen.toml"), "company", "check")
    assert result.exit_code == 2
    assert "extra-zh.md, line 8, field bom[0].code: NOPE-1 is not in the price book" in result.output


def test_unknown_cases_in_the_team_are_warnings(tmp_path):
    folder = company_folder(tmp_path)
    (folder / "team.yaml").write_text("people:\n  - {name: 李雷, title: 经理, roles: [project_manager], years: 5, "
                                      "cases: [no-such-case]}\n", encoding="utf-8")
    result = run("--config", str(tmp_path / "docgen.toml"), "company", "check")
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "case 'no-such-case' is not in the casebook" in result.output
    assert "no credentials (*.yaml) in this folder" in result.output  # the empty folder replaces the bundled one
    assert "note: pricebook, service are docgen's fictional examples" in result.output


def test_help_imports_nothing_heavy():
    from tests.cli.test_startup import heavy_among, imported_modules

    for args in (("company", "check", "--help"), ("proposal", "quote", "--help")):
        modules = imported_modules(*args)
        assert "docgen.cli.company" in modules and not heavy_among(modules), args
