"""The case-study pack (`docgen cases pack`), read back as a person would."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from docgen.casebook.cases import load_casebook
from docgen.casebook.pack import PackOptions, build_pack, demo
from docgen.cli import main
from docgen.core.config import bundled_path
from docgen.core.errors import InputError, OutputExistsError
from tests.helpers.docs import (
    docx_paragraphs,
    docx_tables,
    docx_text,
    needs_libreoffice,
    pdf_pages,
)

CASEBOOK = bundled_path("casebook")
IDS = ["bank-active-active-2024", "hospital-pacs-2024", "fintech-sso-2024"]


@pytest.fixture(scope="module")
def cases():
    return load_casebook(CASEBOOK)


@pytest.fixture(scope="module")
def packs(cases, tmp_path_factory, libreoffice):
    """A client pack (zh) and an internal pack (en), converted in one LibreOffice run."""
    out = tmp_path_factory.mktemp("packs")
    client = build_pack(cases, IDS, out / "client.docx", PackOptions(lang="zh", client="R&D <Ltd> {{ 7*7 }}"))
    internal = build_pack(cases, ["telco-noc-2025", "port-sdwan-2024"], out / "internal.docx",
                          PackOptions(lang="en", internal=True))
    return {"client": client, "internal": internal, "pdf": dict(zip(("client", "internal"),
                                                                     libreoffice([client, internal])))}


@needs_libreoffice
def test_one_heading_per_case_and_tables_intact(packs, cases):
    by_id = {c.id: c for c in cases}
    headings = [text for style, text in docx_paragraphs(packs["client"]) if style == "Heading 1"]
    assert headings == [by_id[i].title for i in IDS]
    rows = [row for table in docx_tables(packs["client"]) for row in table]
    assert ["RPO", "4小时", "0"] in rows                       # bank key figures
    assert ["可用容量", "800TB", "2.8PB"] in rows              # hospital key figures
    assert ["Applications behind SSO", "22", "140"] in rows   # English case in a Chinese pack
    assert ["客户", "R&D <Ltd> {{ 7*7 }}"] in rows              # cover: typed text, never executed

    count, pages = pdf_pages(packs["pdf"]["client"])
    assert count >= 2 + len(IDS)  # cover, contents, at least a page per case
    text = "".join(pages)
    for case_id in IDS:
        assert by_id[case_id].title.replace(" ", "")[:8] in text.replace(" ", "")
    assert "2.8PB" in text and "客户挑战" in text
    assert "内部资料" not in text and "INTERNAL" not in text


@needs_libreoffice
def test_internal_pack_marks_every_page(packs):
    count, pages = pdf_pages(packs["pdf"]["internal"])
    assert count >= 4
    assert all("INTERNAL" in page for page in pages)
    assert "NOC modernisation for a mobile operator" in docx_text(packs["internal"])


def test_internal_case_refused_without_internal(cases, tmp_path):
    out = tmp_path / "pack.docx"
    with pytest.raises(InputError) as err:
        build_pack(cases, ["hospital-pacs-2024", "telco-noc-2025", "appliance-factory-network-2023"], out,
                   PackOptions(lang="zh"))
    message = str(err.value)
    assert "telco-noc-2025.md, field external: case 'telco-noc-2025' is internal" in message
    assert "appliance-factory-network-2023" in message and "--internal" in message
    assert not out.exists()


def test_cli_pack_errors_and_force(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["cases", "pack", "hospital-pacs", "-o", "p.docx"])
    assert result.exit_code == 2
    assert "no case with id 'hospital-pacs'; did you mean hospital-pacs-2024" in result.output

    result = runner.invoke(main, ["cases", "pack", "telco-noc-2025", "-o", "p.docx"])
    assert result.exit_code == 2 and "is internal" in result.output and not (tmp_path / "p.docx").exists()

    assert runner.invoke(main, ["cases", "pack", "gov-cloud-2024", "-o", "p.docx", "--lang", "en"]).exit_code == 0
    assert "Government" in docx_text(tmp_path / "p.docx")
    result = runner.invoke(main, ["cases", "pack", "gov-cloud-2024", "-o", "p.docx"])
    assert result.exit_code == 2 and "--force" in result.output
    assert runner.invoke(main, ["cases", "pack", "gov-cloud-2024", "-o", "p.docx", "--force"]).exit_code == 0
    assert "政府" in docx_text(tmp_path / "p.docx")


def test_overwrite_refused_before_any_work(cases, tmp_path):
    out = tmp_path / "p.docx"
    out.write_bytes(b"keep me")
    with pytest.raises(OutputExistsError):
        build_pack(cases, ["gov-cloud-2024"], out, PackOptions())
    assert out.read_bytes() == b"keep me"


def test_demo_writes_search_result_and_pack(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    written = demo(tmp_path / "cases")
    assert [p.name for p in written] == ["cases-search.json", "cases-search.txt", "case-pack.docx"]
    records = json.loads(written[0].read_text(encoding="utf-8"))
    assert records and all(r["external"] for r in records)
    assert records[0]["id"] in written[1].read_text(encoding="utf-8")
    headings = [t for s, t in docx_paragraphs(written[2]) if s == "Heading 1"]
    assert headings == [r["title"] for r in records[:3]]
