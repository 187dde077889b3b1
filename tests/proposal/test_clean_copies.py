"""Client copies carry nothing the author did not mean to send: no comments, hidden text or template leftovers."""

from __future__ import annotations

import shutil
import zipfile

import docx

from docgen.core.config import bundled_path
from tests.helpers.docs import docx_text
from tests.proposal.test_build import REQS, run, write_client

PLANTED = ("Regional MSP is 20% cheaper - never mention", "HIDDEN-PLANTED-TEXT")


def xml_of(path) -> str:
    with zipfile.ZipFile(path) as package:
        return "\n".join(package.read(n).decode("utf-8", "replace") for n in package.namelist()
                         if n.endswith((".xml", ".rels")))


def test_release_strips_comments_and_hidden_text_added_to_the_draft(tmp_path):
    req = write_client(tmp_path, REQS)
    draft = tmp_path / "intro.docx"
    assert run("proposal", "build", req, "--stage", "intro", "-o", draft).exit_code == 0
    document = docx.Document(str(draft))
    paragraph = document.add_paragraph("我们按期交付。")
    document.add_comment(paragraph.runs, text=PLANTED[0], author="Sales")
    hidden = document.add_paragraph().add_run(PLANTED[1])
    hidden.font.hidden = True
    document.save(str(draft))
    assert all(s in xml_of(draft) for s in PLANTED)

    final = tmp_path / "final.docx"
    released = run("proposal", "release", draft, "-o", final, "--reviewer", "王审核")
    assert released.exit_code == 0, released.output
    xml = xml_of(final)
    assert not [s for s in PLANTED if s in xml]
    assert "我们按期交付。" in docx_text(final)
    assert docx.Document(str(final)).core_properties.last_modified_by == "王审核"


def test_a_company_templates_comment_never_reaches_a_draft(tmp_path):
    own = tmp_path / "templates" / "proposal"
    own.mkdir(parents=True)
    template = docx.Document(str(bundled_path("templates") / "proposal" / "intro_zh.docx"))
    first = next(p for p in template.paragraphs if p.runs)
    template.add_comment(first.runs, text=PLANTED[0], author="Marketing")
    template.core_properties.comments = "Internal template v3 - do not send"
    template.save(str(own / "intro_zh.docx"))
    (tmp_path / "docgen.toml").write_text('[docgen]\ntemplates = "templates"\n', encoding="utf-8")

    checked = run("templates", "check", own / "intro_zh.docx")
    assert checked.exit_code == 2 and "comment" in checked.output.lower()
    draft = tmp_path / "draft.docx"
    built = run("--config", tmp_path / "docgen.toml", "proposal", "build", write_client(tmp_path, REQS),
                "--stage", "intro", "-o", draft)
    assert built.exit_code == 0, built.output
    xml = xml_of(draft)
    assert PLANTED[0] not in xml and "do not send" not in xml
    shutil.rmtree(own)
