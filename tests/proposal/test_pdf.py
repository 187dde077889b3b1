"""What a reader sees: the three stages of each bundled example rendered by LibreOffice."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from docgen.casebook.cases import load_casebook
from docgen.cli import main
from docgen.core.config import bundled_path
from docgen.intake.requirements import load_requirements
from tests.helpers.docs import needs_libreoffice, pdf_pages

EXAMPLES = sorted(bundled_path("requirements_forms").glob("example-*.yaml"))
STAGES = ("intro", "solution", "detailed")

pytestmark = needs_libreoffice


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, libreoffice):
    folder = tmp_path_factory.mktemp("proposal-pdf")
    sources = []
    for req in EXAMPLES:
        for stage in STAGES:
            out = folder / f"{req.stem}-{stage}.docx"
            result = CliRunner().invoke(main, ["proposal", "build", str(req), "--stage", stage, "-o", str(out)])
            assert result.exit_code == 0, result.output
            sources.append(out)
        brief = folder / f"{req.stem}-brief.docx"
        assert CliRunner().invoke(main, ["proposal", "brief", str(req), "-o", str(brief)]).exit_code == 0
        sources.append(brief)
    converted = libreoffice(sources, jobs=2)
    return {src.stem: pdf_pages(pdf) for src, pdf in zip(sources, converted)}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_pages_grow_from_intro_to_detailed(pdfs, example):
    counts = [pdfs[f"{example.stem}-{stage}"][0] for stage in STAGES]
    assert counts[0] < counts[1] < counts[2], counts
    assert counts[0] <= 8  # intro is "a few pages"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_page_is_marked_draft_and_brief_internal(pdfs, example):
    lang = load_requirements(example).client.language
    mark = "草稿 · 未审核" if lang == "zh" else "DRAFT · NOT REVIEWED"
    for stage in STAGES:
        count, pages = pdfs[f"{example.stem}-{stage}"]
        assert all(mark in page for page in pages), stage
    internal = "内部资料" if lang == "zh" else "INTERNAL"
    assert all(internal in page for page in pdfs[f"{example.stem}-brief"][1])


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_no_competitor_or_internal_case_in_customer_pdfs_but_brief_has_competitors(pdfs, example):
    req = load_requirements(example)
    internal = [c.title for c in load_casebook(bundled_path("casebook")) if not c.external]
    names = [c.name for c in req.competitors]
    assert names and internal
    for stage in STAGES:
        text = "".join(pdfs[f"{example.stem}-{stage}"][1])
        flat = "".join(text.split())  # pdftotext may wrap a long name
        for name in names + internal:
            assert "".join(name.split()) not in flat
    brief = "".join("".join(pdfs[f"{example.stem}-brief"][1]).split())
    assert all("".join(name.split()) in brief for name in names)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_table_of_contents_is_filled_in(pdfs, example):
    lang = load_requirements(example).client.language
    toc_page = pdfs[f"{example.stem}-detailed"][1][1]
    first_chapter = "关于我们" if lang == "zh" else "About Us"
    assert first_chapter in toc_page and "..." in toc_page


def test_requirements_resaved_by_libreoffice_calc_build_the_same_matrix(tmp_path):
    import subprocess

    from docgen.core.pdf import find_soffice
    from tests.helpers.docs import docx_tables

    source = bundled_path("requirements_forms") / "example-hospital-zh.xlsx"
    resaved_dir = tmp_path / "resaved"
    subprocess.run([find_soffice(), f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(resaved_dir), str(source)],
                   check=True, capture_output=True, timeout=120)
    drafts = []
    for req in (source, resaved_dir / source.name):
        out = tmp_path / f"{req.parent.name}.docx"
        result = CliRunner().invoke(main, ["proposal", "build", str(req), "--stage", "detailed", "-o", str(out)])
        assert result.exit_code == 0, result.output
        drafts.append(out)
    matrices = [[t for t in docx_tables(d) if t[0][0] == "编号"][0] for d in drafts]
    assert matrices[0] == matrices[1] and len(matrices[0]) > 5


def test_build_with_pdf_writes_a_pdf_next_to_the_draft(tmp_path):
    req = bundled_path("requirements_forms") / "example-logistics-en.yaml"
    out = tmp_path / "intro.docx"
    result = CliRunner().invoke(main, ["proposal", "build", str(req), "--stage", "intro", "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    count, pages = pdf_pages(tmp_path / "intro.pdf")
    assert 2 <= count <= 8 and "Introductory Proposal" in pages[0]
