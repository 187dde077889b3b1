"""docgen.api and README's "Use it from Python" examples: they run, and do what they say."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from docgen.api import build_proposal, fill_review_packets, load_requirements, search_cases
from docgen.core.config import bundled_path
from docgen.core.errors import InputError
from tests.helpers.docs import docx_text

ROOT = Path(__file__).resolve().parents[1]


def readme_python_examples() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use it from Python", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.+?)\n```", section, re.S)


def test_readme_examples_run(tmp_path, capsys, monkeypatch):
    examples = readme_python_examples()
    assert examples, "README has a Use it from Python section with code"
    monkeypatch.chdir(tmp_path)
    for code in examples:
        exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "华东某城市商业银行" in printed and "bank-active-active" in printed
    assert (tmp_path / "bank-intro.docx").exists() and (tmp_path / "packets" / "summary.xlsx").exists()
    assert "6 packets" in printed


def test_api_calls_do_what_the_commands_do(tmp_path):
    bank = bundled_path("requirements_forms") / "example-bank-zh.yaml"
    req = load_requirements(bank)
    draft = build_proposal(bank, "solution", tmp_path / "s.docx")
    text = docx_text(draft)
    assert req.client.name in text and all(r.text[:8] in text for r in req.must_haves)
    hits = search_cases("hospital imaging", top=2)
    assert hits and all(hit.case.external for hit in hits)
    result = fill_review_packets(bundled_path("templates") / "review" / "example-scores.xlsx",
                                 "presales-engineer", tmp_path / "out")
    assert len(result.packets) == 6 and result.summary.exists()


def test_api_errors_are_docgen_errors(tmp_path):
    with pytest.raises(InputError, match="stage"):
        build_proposal(bundled_path("requirements_forms") / "example-bank-zh.yaml", "final", tmp_path / "x.docx")
    with pytest.raises(InputError):
        load_requirements(tmp_path / "missing.yaml")
    assert not os.listdir(tmp_path)
