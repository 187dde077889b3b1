"""Loading and validating the casebook (contract 2), and `docgen cases lint`."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from docgen.casebook.cases import lint, load_casebook
from docgen.cli import main
from docgen.core.config import bundled_path
from docgen.core.errors import InputError
from tests.helpers.casebook import case_file

CASEBOOK = bundled_path("casebook")


def test_bundled_casebook_is_broad_bilingual_and_realistic():
    cases = load_casebook(CASEBOOK)
    assert len(cases) >= 24
    assert len({c.industry for c in cases}) >= 8
    zh = sum(c.language == "zh" for c in cases)
    assert 0.55 <= zh / len(cases) <= 0.75 and zh < len(cases)
    assert any(not c.external for c in cases)
    for case in cases:
        assert 300 <= len(case.body.strip()) <= 900, case.id
        headings = ("## 客户挑战", "## 解决方案", "## 项目成效") if case.language == "zh" else \
            ("## Challenge", "## Solution", "## Results")
        assert all(h in case.body for h in headings), case.id
    assert sum("|---|" in c.body for c in cases) >= 5  # key-figure tables


def test_chinese_industry_alias_and_optional_fields(tmp_path):
    case_file(tmp_path, "pacs-1", industry="医疗",
              extra="owner: 赵敏\nlast_reviewed: 2026-03-01\noutcome: 调阅2秒内\n")
    (case,) = load_casebook(tmp_path)
    assert case.industry == "healthcare"
    assert (case.owner, case.last_reviewed, case.outcome) == ("赵敏", dt.date(2026, 3, 1), "调阅2秒内")


def test_text_stays_as_typed(tmp_path):
    case_file(tmp_path, "c1", title="'R&D <Ltd> {{ 7*7 }} 😀'", tags="[3.10, 'no']")
    (case,) = load_casebook(tmp_path)
    assert case.title == "R&D <Ltd> {{ 7*7 }} 😀"
    assert case.tags == ("3.10", "no")


def test_every_problem_is_reported_with_file_line_and_field(tmp_path):
    case_file(tmp_path, "a", industry="aerospace")                              # unknown industry
    (tmp_path / "b.md").write_text("---\nid: b\ntitle: x\n---\nbody\n", encoding="utf-8")  # missing fields
    case_file(tmp_path, "a", name="a-copy")                                      # duplicate id
    (tmp_path / "c.md").write_text("---\nid: c\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")  # bad YAML
    (tmp_path / "d.md").write_text("# just markdown\n", encoding="utf-8")       # no front matter
    case_file(tmp_path, "e", year="last year", external="maybe")
    with pytest.raises(InputError) as err:
        load_casebook(tmp_path)
    text = str(err.value)
    assert "a.md, line 5, field industry: unknown industry 'aerospace'" in text
    assert "finance" in text  # says what is expected
    for missing in ("client", "industry", "tags", "year", "language", "external", "summary"):
        assert f"b.md, field {missing}: missing required field '{missing}'" in text
    assert "a.md, line 2, field id: duplicate id 'a': already used by " + str(tmp_path / "a-copy.md") in text
    assert "c.md, line 4: not valid YAML" in text
    assert "d.md, line 1: no front matter" in text
    assert "e.md, line 7, field year: year 'last year' must be a four-digit year" in text
    assert "e.md, line 9, field external: external 'maybe' must be true" in text


def test_lint_flags_stale_and_ownerless_cases(tmp_path):
    case_file(tmp_path, "fresh", extra="owner: 张伟\nlast_reviewed: 2026-06-01\n")
    case_file(tmp_path, "stale", extra="owner: 张伟\nlast_reviewed: 2025-06-01\n")
    case_file(tmp_path, "orphan", extra="last_reviewed: 2026-06-01\n")
    case_file(tmp_path, "never", extra="owner: 李娜\n")
    findings = [str(p) for p in lint(load_casebook(tmp_path), dt.date(2026, 11, 27))]
    assert len(findings) == 3
    assert any("stale.md" in f and "stale, last reviewed 2025-06-01" in f for f in findings)
    assert any("orphan.md, field owner" in f and "no owner" in f for f in findings)
    assert any("never.md, field last_reviewed" in f and "never reviewed" in f for f in findings)


def test_lint_warns_of_half_width_punctuation_in_chinese_text_by_line(tmp_path):
    ok = "owner: 张伟\nlast_reviewed: 2026-06-01\n"
    case_file(tmp_path, "typed", summary="建设双活数据中心,顺利通过检查", extra=ok,
              body="## 客户挑战\n资产规模(约两千亿元),核心系统集中部署。\n\nThe English note (as typed), stays.\n")
    case_file(tmp_path, "clean", summary="建设双活数据中心，顺利通过检查", extra=ok)
    findings = lint(load_casebook(tmp_path), dt.date(2026, 11, 27))
    assert all(p.warning for p in findings)
    assert [(p.where.file, p.where.line) for p in findings] == [(str(tmp_path / "typed.md"), 10),
                                                               (str(tmp_path / "typed.md"), 15)]
    assert str(findings[1]).endswith("typed: half-width ( ) , in Chinese text (column 5); use （ ） ，")
    assert "建设双活数据中心,顺利" in (tmp_path / "typed.md").read_text(encoding="utf-8")  # reported, never changed


def test_cli_lint_exit_codes(tmp_path):
    runner = CliRunner()
    good = tmp_path / "good"
    good.mkdir()
    case_file(good, "ok", extra=f"owner: 张伟\nlast_reviewed: {dt.date.today().isoformat()}\n")
    result = runner.invoke(main, ["cases", "lint", "--casebook", str(good)])
    assert result.exit_code == 0 and "1 cases, 0 warnings" in result.output

    case_file(good, "old", extra="last_reviewed: 2020-01-01\n")
    result = runner.invoke(main, ["cases", "lint", "--casebook", str(good)])
    assert result.exit_code == 1
    assert "old.md, field owner" in result.output and "2020-01-01" in result.output

    case_file(good, "bad", industry="太空")
    result = runner.invoke(main, ["cases", "lint", "--casebook", str(good)])
    assert result.exit_code == 2
    assert "docgen: error:" in result.output and "bad.md" in result.output and "太空" in result.output
