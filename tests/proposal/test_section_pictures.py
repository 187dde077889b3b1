"""A section may carry its own pictures (images/ beside its file); nothing else is ever fetched or read."""

from __future__ import annotations

import zipfile

import pytest

from docgen.core.config import bundled_path
from tests.helpers.docs import docx_text
from tests.proposal.test_build import REQS, run, write_client

LOGO = (bundled_path("templates") / "common" / "logo.png").read_bytes()


def company_with_picture(tmp_path, src: str):
    sections = tmp_path / "templates" / "proposal" / "sections"
    (sections / "images").mkdir(parents=True)
    (sections / "images" / "topo.png").write_bytes(LOGO)
    bundled = (bundled_path("templates") / "proposal" / "sections" / "disaster-recovery-zh.md").read_text(encoding="utf-8")
    (sections / "disaster-recovery-zh.md").write_text(bundled + f"\n\n![两中心网络拓扑]({src})\n", encoding="utf-8")
    (tmp_path / "docgen.toml").write_text('[docgen]\ntemplates = "templates"\n', encoding="utf-8")
    return tmp_path / "docgen.toml"


def test_a_sections_own_picture_is_placed_with_its_caption(tmp_path):
    config = company_with_picture(tmp_path, "images/topo.png")
    draft = tmp_path / "s.docx"
    result = run("--config", config, "proposal", "build", write_client(tmp_path, REQS), "--stage", "solution", "-o", draft)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(draft) as package:
        pictures = [package.read(n) for n in package.namelist() if n.startswith("word/media/docgen-")]
    assert LOGO in pictures and "两中心网络拓扑" in docx_text(draft)


@pytest.mark.parametrize("src, says", [
    ("http://127.0.0.1:9/pixel.png", "never a URL"),
    ("../../../docgen.toml", "leaves the section's folder"),
    ("images/missing.png", "no such file"),
    ("/etc/hostname", "never a URL or an absolute path"),
])
def test_anything_else_is_refused_naming_the_section(tmp_path, src, says):
    config = company_with_picture(tmp_path, src)
    result = run("--config", config, "proposal", "build", write_client(tmp_path, REQS), "--stage", "solution",
                 "-o", tmp_path / "s.docx")
    assert result.exit_code == 2 and says in result.output and "disaster-recovery-zh.md" in result.output
    assert not (tmp_path / "s.docx").exists()
