"""Hostile input through the real CLI: invalid requirement files, impossible outputs, a damaged logo, leaks.

Every case runs `python -m docgen` in a fresh process under the time and
memory caps of tests/helpers/hostile.py: exit 2 (1 for a refused release), one
message, no traceback, nothing written.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from docgen.core.config import bundled_path
from tests.helpers.docs import needs_libreoffice, pdf_pages
from tests.helpers.hostile import assert_refused, files_under, run_docgen

BANK = bundled_path("requirements_forms") / "example-bank-zh.yaml"

VALID_HEAD = "client:\n  name: 测试客户\n  industry: finance\n  presales_owner: 张伟\n"
INVALID_REQUIREMENTS = {
    "no-requirements.yaml": VALID_HEAD + "requirements: []\n",
    "no-owner.yaml": "client:\n  name: 测试客户\n  industry: finance\nrequirements:\n  - {id: R1, category: 灾备, text: 双活}\n",
    "bad-industry.yaml": VALID_HEAD.replace("finance", "astrology") + "requirements:\n  - {id: R1, category: 灾备, text: 双活}\n",
    "bad-priority.yaml": VALID_HEAD + "requirements:\n  - {id: R1, category: 灾备, text: 双活, priority: urgent}\n",
    "duplicate-ids.yaml": VALID_HEAD + "requirements:\n  - {id: R1, category: 灾备, text: 双活}\n  - {id: R1, category: 备份, text: 备份}\n",
    "syntax.yaml": VALID_HEAD + "requirements:\n  - {id: R1, category: [灾备\n",
    "renamed-docx.yaml": None,  # a Word file renamed .yaml
    "binary.xlsx": None,  # random bytes named .xlsx
}


def _write_invalid(folder: Path, name: str) -> Path:
    path = folder / name
    content = INVALID_REQUIREMENTS[name]
    if content is not None:
        path.write_text(content, encoding="utf-8")
    elif name == "renamed-docx.yaml":
        path.write_bytes((bundled_path("templates") / "proposal" / "intro_zh.docx").read_bytes())
    else:
        path.write_bytes(bytes(range(256)) * 64)
    return path


@pytest.mark.parametrize("name", sorted(INVALID_REQUIREMENTS))
def test_invalid_requirement_files_are_refused_by_every_command(tmp_path, name):
    source = _write_invalid(tmp_path, name)
    before = files_under(tmp_path)
    for args in (("requirements", "check", source),
                 ("proposal", "build", source, "--stage", "intro", "-o", tmp_path / "d.docx"),
                 ("proposal", "brief", source, "-o", tmp_path / "b.docx"),
                 ("proposal", "plan", source, "-o", tmp_path / "p.xlsx"),
                 ("cases", "match", source)):
        assert_refused(run_docgen(*map(str, args), cwd=tmp_path), says=name)
    assert files_under(tmp_path) == before


def test_any_legal_output_name_works_and_an_illegal_one_is_a_message(tmp_path):
    legal = tmp_path / ("方" * 80 + ".docx")  # 245 bytes
    done = run_docgen("review", "blank", "--role", "presales-engineer", "-o", str(legal), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    too_long = tmp_path / ("a" * 251 + ".docx")
    assert_refused(run_docgen("review", "blank", "--role", "presales-engineer", "-o", str(too_long), cwd=tmp_path),
                   says="longer than 255 bytes")
    assert files_under(tmp_path) == {legal.name}


@pytest.mark.parametrize("target", ["/proc/x.docx", "{tmp}/plain/x.docx"])
def test_an_output_that_cannot_be_written_is_a_message(tmp_path, target):
    (tmp_path / "plain").write_text("a file, not a folder")
    out = target.format(tmp=tmp_path)
    assert_refused(run_docgen("proposal", "build", str(BANK), "--stage", "intro", "-o", out, cwd=tmp_path),
                   says="cannot write")
    assert files_under(tmp_path) == {"plain"}


def test_a_dangling_symlink_is_not_replaced_without_force(tmp_path):
    link = tmp_path / "draft.docx"
    link.symlink_to(tmp_path / "elsewhere.docx")
    assert_refused(run_docgen("proposal", "build", str(BANK), "--stage", "intro", "-o", str(link), cwd=tmp_path),
                   says="already exists")
    assert link.is_symlink()


def test_a_damaged_logo_is_a_message_before_any_document(tmp_path):
    (tmp_path / "logo.png").write_bytes((bundled_path("templates") / "common" / "logo.png").read_bytes()[:200])
    (tmp_path / "docgen.toml").write_text('[company]\nlogo = "logo.png"\n', encoding="utf-8")
    before = files_under(tmp_path)
    assert_refused(run_docgen("review", "blank", "--role", "presales-engineer", "-o", "x.docx", cwd=tmp_path),
                   says="company.logo")
    assert files_under(tmp_path) == before


PLANTED = ("某友商甲PLANTED", "内部备注PLANTED", "对我方交付能力存疑PLANTED")


def _client_with_secrets(folder: Path) -> Path:
    path = folder / "secret-client.yaml"
    path.write_text(
        VALID_HEAD + "  trust: low\n"
        "requirements:\n"
        "  - {id: R1, category: 灾备, text: 同城双活 RPO=0, priority: must, tags: [disaster-recovery], "
        f"notes: {PLANTED[1]}}}\n"
        f"competitors:\n  - {{name: {PLANTED[0]}, strengths: 价格低, weaknesses: {PLANTED[2]}}}\n",
        encoding="utf-8")
    return path


def _xml_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "\n".join(package.read(n).decode("utf-8", "replace") for n in package.namelist()
                         if n.endswith((".xml", ".rels")))


def test_the_client_copy_leaks_nothing_internal(tmp_path):
    client = _client_with_secrets(tmp_path)
    for stage in ("intro", "solution", "detailed"):
        draft = tmp_path / f"{stage}.docx"
        assert run_docgen("proposal", "build", str(client), "--stage", stage, "-o", str(draft), cwd=tmp_path).returncode == 0
        final = tmp_path / f"{stage}-final.docx"
        released = run_docgen("proposal", "release", str(draft), "-o", str(final), "--reviewer", "王审核", cwd=tmp_path)
        if released.returncode == 0:
            xml = _xml_text(final)
            assert not [s for s in PLANTED if s in xml], stage
            assert str(tmp_path) not in xml  # no internal paths in the client copy's properties
        else:
            assert_refused(released, 1)
        assert not [s for s in PLANTED if s in _xml_text(draft)], stage
    brief = tmp_path / "brief.docx"
    assert run_docgen("proposal", "brief", str(client), "-o", str(brief), cwd=tmp_path).returncode == 0
    assert PLANTED[0] in _xml_text(brief)  # the brief does hold them, which is why it never goes out
    assert_refused(run_docgen("proposal", "release", str(brief), "-o", "x.docx", "--reviewer", "王", cwd=tmp_path), 1,
                   says="never released")
    assert not (tmp_path / "x.docx").exists()


@needs_libreoffice
def test_the_draft_pdf_leaks_nothing_internal(tmp_path):
    client = _client_with_secrets(tmp_path)
    draft = tmp_path / "detailed.docx"
    done = run_docgen("proposal", "build", str(client), "--stage", "detailed", "-o", str(draft), "--pdf", cwd=tmp_path,
                      timeout=120)
    assert done.returncode == 0, done.stderr
    _, pages = pdf_pages(draft.with_suffix(".pdf"))
    text = re.sub(r"\s+", "", "".join(pages))
    assert not [s for s in PLANTED if s in text]


@pytest.mark.parametrize("delay", [0.1, 0.3, 0.6, 1.0])
def test_ctrl_c_in_the_first_second_is_one_line(tmp_path, delay):
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "docgen", "demo", "-o", str(out), "--no-pdf"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    if process.returncode == 0:  # finished before the signal: nothing to check
        return
    # 130 from docgen's own exit; -2 when Python ends itself by SIGINT after handling it (a shell shows 130 for both)
    assert process.returncode in (130, -signal.SIGINT), stderr
    assert "Traceback" not in stdout + stderr and "interrupted" in stderr
