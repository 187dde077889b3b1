"""The review gate holds with no options: the draft's own record says whose it is and what it was made from.

Each refused document goes through `proposal release` exactly as a presales
engineer would type it (no --requirements, no --casebook): exit 1, no client
copy written.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from docgen.core.config import bundled_path
from docgen.core.docprops import read_stamp
from docgen.intake.requirements import load_requirements
from tests.helpers.docs import docx_text
from tests.proposal.test_build import REQS, run, write_client

EXAMPLES = bundled_path("requirements_forms")
COMPETITORS = "competitors:\n  - {name: 某友商甲, strengths: 价格低, weaknesses: 本地服务弱}\n"


def release(draft: Path, out: Path, *extra):
    return run("proposal", "release", draft, "-o", out, "--reviewer", "王审核", *extra)


def build(req: Path, stage: str, out: Path, command: str = "build") -> Path:
    args = ("proposal", command, req, "-o", out) + (("--stage", stage) if command == "build" else ())
    result = run(*args)
    assert result.exit_code == 0, result.output
    return out


def internal_case_title() -> str:
    from docgen.casebook.cases import load_casebook

    return next(c.title for c in load_casebook(bundled_path("casebook")) if not c.external)


def test_every_document_records_what_it_is(tmp_path):
    bank = EXAMPLES / "example-bank-zh.yaml"
    draft = build(bank, "solution", tmp_path / "s.docx")
    record = read_stamp(draft)
    assert record["kind"] == "draft" and record["stage"] == "solution"
    assert record["client"] == load_requirements(bank).client.name
    assert Path(record["requirements"]) == bank.resolve() and len(record["requirements_digest"]) == 64
    assert record["cases"].split(",")[0] == "bank-active-active-2024"
    assert "disaster-recovery-zh" in record["sections"].split(",")
    assert read_stamp(build(bank, "", tmp_path / "b.docx", "brief"))["kind"] == "brief"
    assert read_stamp(build(bank, "", tmp_path / "p.xlsx", "plan"))["kind"] == "plan"
    assert run("cases", "pack", "bank-active-active-2024", "-o", tmp_path / "pack.docx").exit_code == 0
    assert read_stamp(tmp_path / "pack.docx") == {"kind": "pack", "client": "", "language": "zh",
                                                  "cases": "bank-active-active-2024", "internal": "no"}
    # A fresh process sees them too (python-docx keeps the part when a user edits and saves the draft).
    document = docx.Document(str(draft))
    document.add_paragraph("编辑后保存")
    document.save(str(draft))
    code = f"from docgen.core.docprops import read_stamp; print(read_stamp({str(draft)!r})['kind'])"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "draft"


def test_leaks_are_refused_without_any_option(tmp_path):
    req = write_client(tmp_path, REQS, competitors=COMPETITORS)
    draft = build(req, "intro", tmp_path / "intro.docx")
    assert run("proposal", "check", draft).exit_code == 0
    document = docx.Document(str(draft))
    document.add_paragraph("相比某友商甲,我们的交付更快。")
    document.add_paragraph(f"参见{internal_case_title()}。")
    document.save(str(draft))

    checked = run("proposal", "check", draft)
    assert checked.exit_code == 1
    assert "competitor name leaked" in checked.output and "internal case leaked" in checked.output
    refused = release(draft, tmp_path / "final.docx")
    assert refused.exit_code == 1 and not (tmp_path / "final.docx").exists()


@pytest.mark.parametrize("command, suffix", [("brief", ".docx"), ("plan", ".xlsx")])
def test_internal_documents_are_never_released(tmp_path, command, suffix):
    internal = build(EXAMPLES / "example-bank-zh.yaml", "", tmp_path / f"internal{suffix}", command)
    checked = run("proposal", "check", internal)
    assert checked.exit_code == 1 and "internal document" in checked.output and "never released" in checked.output
    assert release(internal, tmp_path / "final.docx").exit_code == 1
    assert not (tmp_path / "final.docx").exists()


def test_a_document_docgen_did_not_build_is_refused(tmp_path):
    stranger = tmp_path / "handmade.docx"
    document = docx.Document()
    document.add_paragraph("一份手写的方案")
    document.save(str(stranger))
    checked = run("proposal", "check", stranger)
    assert checked.exit_code == 1 and "not a docgen draft" in checked.output
    assert release(stranger, tmp_path / "final.docx").exit_code == 1


def test_another_clients_requirements_are_named_as_such(tmp_path):
    draft = build(EXAMPLES / "example-bank-zh.yaml", "detailed", tmp_path / "bank.docx")
    checked = run("proposal", "check", draft, "--requirements", EXAMPLES / "example-hospital-zh.yaml")
    assert checked.exit_code == 1
    assert "this draft is for 华东某城市商业银行" in checked.output
    assert "must-have not addressed" not in checked.output
    refused = release(draft, tmp_path / "final.docx", "--requirements", EXAMPLES / "example-hospital-zh.yaml")
    assert refused.exit_code == 1 and not (tmp_path / "final.docx").exists()


def test_a_deleted_must_have_answer_is_refused(tmp_path):
    req = write_client(tmp_path, REQS)
    draft = build(req, "solution", tmp_path / "s.docx")
    assert run("proposal", "check", draft).exit_code == 0
    document = docx.Document(str(draft))
    for paragraph in list(document.paragraphs):
        if "R3" in paragraph.text or "等保三级测评" in paragraph.text:
            paragraph._p.getparent().remove(paragraph._p)
    for table in document.tables:
        for row in list(table.rows):
            if any("R3" in cell.text for cell in row.cells):
                row._tr.getparent().remove(row._tr)
    document.save(str(draft))
    refused = release(draft, tmp_path / "final.docx")
    assert refused.exit_code == 1 and not (tmp_path / "final.docx").exists()
    assert "R3" in run("proposal", "check", draft).output


def test_a_moved_requirements_file_must_be_named(tmp_path):
    req = write_client(tmp_path, REQS)
    draft = build(req, "intro", tmp_path / "intro.docx")
    moved = shutil.move(req, tmp_path / "moved.yaml")
    checked = run("proposal", "check", draft)
    assert checked.exit_code == 1 and "requirements file not found" in checked.output
    assert run("proposal", "check", draft, "--requirements", moved).exit_code == 0
    released = release(draft, tmp_path / "final.docx", "--requirements", moved)
    assert released.exit_code == 0, released.output


def test_the_client_copy_records_the_review_and_no_internal_paths(tmp_path):
    req = write_client(tmp_path, REQS)
    draft = build(req, "intro", tmp_path / "intro.docx")
    final = tmp_path / "final.docx"
    assert release(draft, final).exit_code == 0
    record = read_stamp(final)
    assert record["kind"] == "final" and record["reviewer"] == "王审核" and record["client"] == "测试客户"
    assert "requirements" not in record and "casebook" not in record
    assert str(tmp_path) not in docx_text(final)
    again = release(final, tmp_path / "again.docx")
    assert again.exit_code == 1 and "already released" in run("proposal", "check", final).output
