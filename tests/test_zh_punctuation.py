"""Every bundled Chinese text uses full-width punctuation (，：；（）“ ”), named by file and line when not.

Bundled content is what a client or an employee reads in a generated document:
proposal sections and answers, case studies, company and credential files,
review roles, the wording in code that builders and drafts print, and the
examples in docs/ that people copy into their own files. Client text (the
example requirements files and questionnaires) is quoted as typed and is not
checked here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docgen.core.zhpunct import check_file, check_markdown, check_yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ("templates/**/*.md", "templates/**/*.yaml", "casebook/*.md", "casebook/*.yaml")
CODE = (
    "docgen/proposal/wording.py", "docgen/review/labels.py", "docgen/intake/form.py",
    "docgen/casebook/build_templates.py", "docgen/proposal/build_templates.py", "docgen/review/build_templates.py",
    # messages a draft, its quotation or its plan prints
    "docgen/proposal/compliance.py", "docgen/proposal/select.py", "docgen/proposal/respond.py",
    "docgen/proposal/complete.py", "docgen/proposal/plan.py", "docgen/proposal/quote.py",
    "docgen/proposal/quote_docx.py", "docgen/proposal/pricebook.py",
    # the presales loop: modules, plan notes, the post-project review, the demo's writers
    "docgen/proposal/split.py", "docgen/proposal/modules.py", "docgen/proposal/plan_status.py",
    "docgen/proposal/retro.py", "docgen/proposal/loop_demo.py",
)
_DOC_BLOCK = re.compile(r"^```(yaml|markdown) (?!requirements)[^\n]*\n(.*?)^```", re.S | re.M)


def bundled_files() -> list[Path]:
    files = sorted({path for pattern in CONTENT for path in ROOT.glob(pattern)})
    return files + [ROOT / name for name in CODE]


def report(name: str, findings, text: str) -> list[str]:
    lines = text.splitlines()
    return [f"{name}:{f.line}: {f} | {lines[f.line - 1].strip()[:80]}" for f in findings]


def test_the_bundled_set_is_what_we_think_it_is():
    names = {path.relative_to(ROOT).as_posix() for path in bundled_files()}
    assert {"casebook/bank-active-active-2024.md", "templates/proposal/sections/disaster-recovery-zh.md",
            "templates/company/team.yaml", "templates/review/roles/presales-engineer.yaml"} <= names
    assert sum(name.startswith("templates/proposal/answers/") for name in names) >= 50
    assert all((ROOT / name).is_file() for name in CODE)


@pytest.mark.parametrize("path", bundled_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_bundled_chinese_text_uses_full_width_punctuation(path):
    text = path.read_text(encoding="utf-8")
    problems = report(path.relative_to(ROOT).as_posix(), check_file(path, text), text)
    assert not problems, "half-width punctuation in Chinese text:\n" + "\n".join(problems)


def test_docs_examples_people_copy_use_full_width_punctuation():
    problems = []
    for page in sorted((ROOT / "docs").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for block in _DOC_BLOCK.finditer(text):
            kind, body = block.groups()
            found = check_yaml(body) if kind == "yaml" else check_markdown(body)
            first = text.count("\n", 0, block.start(2))  # lines before the block's body
            problems += [f"docs/{page.name}:{first + f.line}: {f}" for f in found]
    assert not problems, "\n".join(problems)


def test_a_finding_names_file_and_line(tmp_path):
    bad = tmp_path / "x-zh.md"
    bad.write_text("---\nid: x\nlanguage: zh\n---\n第一段。\n资产规模,核心系统\n", encoding="utf-8")
    text = bad.read_text(encoding="utf-8")
    assert report("x-zh.md", check_file(bad), text) == [
        "x-zh.md:6: line 6, column 5: ',' in Chinese text, use '，' | 资产规模,核心系统"]


def test_price_book_item_names_use_full_width_punctuation():
    from docgen.proposal.build_company import rows

    problems = [f"{row['code']}: {f}" for row in rows() for f in check_markdown(row["name"])]
    assert not problems, "\n".join(problems)
