"""Internal notes stay internal: client.internal_notes and requirement notes reach the brief, never a client document."""

from __future__ import annotations

import re

from docgen.core.config import bundled_path
from docgen.intake.requirements import load_requirements, summarize
from tests.helpers.docs import docx_text, needs_libreoffice, pdf_pages
from tests.proposal.test_build import REQS, run

EXAMPLES = sorted(bundled_path("requirements_forms").glob("example-*.yaml"))


def _client(folder, *, background="该行核心系统运行在单一机房。", internal="对我方交付能力存疑,报价需压低。"):
    path = folder / "c.yaml"
    path.write_text(
        "client:\n  name: 测试银行\n  industry: finance\n  presales_owner: 张伟\n"
        f"  background: {background}\n  internal_notes: {internal}\n"
        "requirements:\n" + REQS.replace("tags: [backup]}", "tags: [backup], notes: 客户预算只有一半}"),
        encoding="utf-8")
    return path


def test_notes_reach_the_brief_and_no_draft(tmp_path):
    client = _client(tmp_path)
    brief = tmp_path / "brief.docx"
    assert run("proposal", "brief", client, "-o", brief).exit_code == 0
    text = docx_text(brief)
    assert "对我方交付能力存疑,报价需压低。" in text and "客户预算只有一半" in text
    for stage in ("intro", "solution", "detailed"):
        draft = tmp_path / f"{stage}.docx"
        assert run("proposal", "build", client, "--stage", stage, "-o", draft).exit_code == 0
        text = docx_text(draft)
        assert "存疑" not in text and "客户预算只有一半" not in text, stage
    assert "该行核心系统运行在单一机房。" in docx_text(tmp_path / "solution.docx")


def test_bundled_examples_keep_their_internal_notes_out_of_background():
    for example in EXAMPLES:
        req = load_requirements(example)
        assert req.client.internal_notes, example.name
        assert not [w for w in summarize(req).warnings if "internal_notes" in w], example.name
        assert load_requirements(example.with_suffix(".xlsx")) == req  # the xlsx twin carries the field too


def test_requirements_check_warns_about_internal_words_in_background(tmp_path):
    client = _client(tmp_path, background="信息科技部对新供应商存疑,友商报价更低。", internal="")
    result = run("requirements", "check", client)
    assert result.exit_code == 0
    assert "internal_notes" in result.output and "存疑" in result.output


@needs_libreoffice
def test_the_bank_draft_pdf_has_no_internal_notes(tmp_path):
    bank = bundled_path("requirements_forms") / "example-bank-zh.yaml"
    draft = tmp_path / "solution.docx"
    assert run("proposal", "build", bank, "--stage", "solution", "-o", draft).exit_code == 0
    _, pages = pdf_pages(draft)
    text = re.sub(r"\s+", "", "".join(pages))
    assert "存疑" not in text and "同业案例" not in text
    assert "单一机房" in text
