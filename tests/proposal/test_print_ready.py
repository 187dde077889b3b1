"""Print-ready proposal documents: every demo draft, brief, quotation and the case pack, checked in the
generated XML and in the PDF LibreOffice lays out (pages read back with pdftotext)."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml import etree

from docgen.core.config import Settings, bundled_path
from docgen.core.watermark import has_watermark
from docgen.intake.requirements import load_requirements
from docgen.proposal.build import prepare, render_brief, render_draft
from docgen.proposal.quote import build_quote
from docgen.proposal.select import STAGES
from tests.helpers.docs import needs_libreoffice
from tests.helpers.pages import lone_rows, page_texts, stranded_headings

EXAMPLES = sorted(bundled_path("requirements_forms").glob("example-*.yaml"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, Path]:
    """Every proposal-side document `docgen demo` makes, by "<example>/<name>"."""
    from docgen.casebook.cases import load_casebook
    from docgen.casebook.pack import PackOptions, build_pack

    root = tmp_path_factory.mktemp("print-ready")
    made = {}
    for example in EXAMPLES:
        folder = root / example.stem
        prepared = prepare(example)
        for stage in STAGES:
            made[f"{example.stem}/{stage}"] = render_draft(prepared, stage, folder / f"{stage}.docx")
        made[f"{example.stem}/brief"] = render_brief(prepared, folder / "brief.docx")
        quote = build_quote(example, folder / "quote.xlsx", discount=Decimal("0.05"), docx=True)
        made[f"{example.stem}/quote"] = quote[-1]
    cases = load_casebook(bundled_path("casebook"))
    made["pack"] = build_pack(cases, ["bank-active-active-2024", "rural-bank-backup-2023", "hospital-his-dr-2023"],
                              root / "pack.docx", PackOptions(lang="zh", client="华东某城市商业银行"))
    return made


def _part(path: Path, name: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(path).read(name))


def _headers(path: Path) -> dict[str, etree._Element]:
    package = zipfile.ZipFile(path)
    return {n: etree.fromstring(package.read(n)) for n in package.namelist() if n.startswith("word/header")}


def _lang(key: str) -> str:
    return "en" if "-en" in key else "zh"


def test_rows_never_split_and_tables_with_a_header_repeat_it(documents):
    for key, path in documents.items():
        document = docx.Document(str(path))
        for number, table in enumerate(document.tables, start=1):
            rows = table.rows
            assert all(row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
                       for row in rows), (key, number)
            first = rows[0]._tr
            if len(rows) >= 3 and len(first.tc_lst) > 2:  # two columns: a cover's label table, no header row
                assert first.trPr.find(qn("w:tblHeader")) is not None, (key, number)


def test_headings_keep_with_next_and_a_case_meta_line_with_its_text(documents):
    for key, path in documents.items():
        styles = docx.Document(str(path)).styles
        for level in (1, 2, 3):
            assert styles[f"Heading {level}"].paragraph_format.keep_with_next, (key, level)
    document = docx.Document(str(documents["example-bank-zh/solution"]))
    metas = [p for p in document.paragraphs if p.style.name == "Caption" and "·" in p.text]
    assert metas and all(p.paragraph_format.keep_with_next for p in metas)


def test_drafts_have_a_plain_cover_and_a_watermark_in_every_header(documents):
    for key, path in documents.items():
        if key.rsplit("/", 1)[-1] not in STAGES:
            continue
        body = _part(path, "word/document.xml")
        assert body.find(f"{W}body/{W}sectPr/{W}titlePg") is not None, key
        headers = _headers(path)
        assert len(headers) >= 2 and all(has_watermark(h) for h in headers.values()), key
        strings = {t.get("string") for h in headers.values()
                   for t in h.iter("{urn:schemas-microsoft-com:vml}textpath") if t.get("string")}
        assert strings == {"草稿" if _lang(key) == "zh" else "DRAFT"}
        document = docx.Document(str(path))
        section = document.sections[0]
        assert not section.first_page_header.paragraphs[0].text.strip()  # the cover: no running header
        assert not "".join(p.text for p in section.first_page_footer.paragraphs).strip()
        mark = next(run for run in section.header.paragraphs[0].runs if run.text.strip())
        assert mark.text.strip() in ("草稿", "DRAFT · NOT REVIEWED") and mark.bold
        assert str(mark.font.color.rgb) == "C00000"
    for key in ("pack",):
        assert _part(documents[key], "word/document.xml").find(f"{W}body/{W}sectPr/{W}titlePg") is not None
        assert not any(has_watermark(h) for h in _headers(documents[key]).values())


def test_chinese_dashes_are_east_asian_runs_and_autospace_is_on(documents):
    dashes = 0
    for key, path in documents.items():
        root = _part(path, "word/document.xml")
        for t in root.iter(f"{W}t"):
            if "——" not in (t.text or ""):
                continue
            fonts = t.getparent().find(f"{W}rPr/{W}rFonts")
            if _lang(key) == "zh":
                dashes += 1
                assert t.text.strip("—") == "" and fonts is not None and fonts.get(f"{W}hint") == "eastAsia", key
                assert fonts.get(f"{W}ascii") == fonts.get(f"{W}eastAsia"), key
            else:
                assert fonts is None or fonts.get(f"{W}hint") != "eastAsia", key
        defaults = _part(path, "word/styles.xml").find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")
        assert defaults.find(f"{W}autoSpaceDE") is not None and defaults.find(f"{W}autoSpaceDN") is not None
    assert dashes > 3  # the bank's drafts say "R1——建设…"


def test_document_properties_read_in_a_fresh_process(documents):
    paths = {key: str(path) for key, path in documents.items() if key.endswith(("/solution", "/brief", "/quote"))}
    code = ("import json,sys,docx\nout={}\nfor k,p in json.loads(sys.argv[1]).items():\n"
            " c=docx.Document(p).core_properties\n"
            " out[k]=[c.author,c.title,c.last_modified_by,c.created.date().isoformat(),c.comments]\n"
            "print(json.dumps(out))")
    read = json.loads(subprocess.run([sys.executable, "-c", code, json.dumps(paths)], capture_output=True,
                                     text=True, check=True).stdout)
    today = dt.date.today().isoformat()
    for key, (author, title, modified_by, created, comments) in read.items():
        example = key.split("/")[0]
        if key.endswith("/quote"):
            assert author == Settings().company(_lang(key)), key  # a quotation is the company's
        else:
            owner = load_requirements(bundled_path("requirements_forms") / f"{example}.yaml").client.presales_owner
            assert author == modified_by == owner, key
        assert title and created == today and "python-docx" not in comments, key
    for path in documents.values():
        package = zipfile.ZipFile(path)
        assert b"python-docx" not in package.read("docProps/core.xml") + package.read("docProps/app.xml")


def test_toc_lists_the_headings_before_any_layout(documents):
    document = docx.Document(str(documents["example-bank-zh/detailed"]))
    entries = [p.text.split("\t")[0] for p in document.paragraphs if p.style.name.startswith("toc")]
    headings = [p.text for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert entries == headings and len(entries) > 10


@needs_libreoffice
def test_libreoffice_pages_strand_no_heading_and_no_single_row_and_toc_gets_numbers(documents):
    from docgen.core.pdf import convert_to_pdf

    keys = list(documents)
    pdfs = dict(zip(keys, convert_to_pdf([documents[k] for k in keys], None, jobs=2, refresh_toc=True)))
    problems = {}
    for key in keys:
        stranded = stranded_headings(documents[key], pdfs[key])
        alone = lone_rows(documents[key], pdfs[key])
        if stranded or alone:
            problems[key] = (stranded, alone)
    assert not problems
    # a list of requirement ids wraps between ids, never inside one ("R" / "1、R2…" seen before)
    for key in keys:
        lines = [line.strip() for page in page_texts(pdfs[key]) for line in page.splitlines()]
        assert not [line for line in lines if re.fullmatch(r"R|\d+\.|\.\d+", line)], key
    # the refreshed TOC: every entry has the page LibreOffice put its heading on
    detailed = documents["example-bank-zh/detailed"]
    document = docx.Document(str(detailed))
    entries = [p.text.split("\t") for p in document.paragraphs if p.style.name.startswith("toc")]
    assert entries and all(page.isdigit() for _, page in entries)
    pages = page_texts(pdfs["example-bank-zh/detailed"])
    for title, page in entries:
        assert title in pages[int(page) - 1].replace("\n", ""), (title, page)
    settings = zipfile.ZipFile(detailed).read("word/settings.xml")
    assert b"updateFields" not in settings
    # File › Info survives LibreOffice: the PDF says the title and the presales owner
    info = subprocess.run(["pdfinfo", str(pdfs["example-bank-zh/solution"])], capture_output=True, text=True).stdout
    assert "Author:          张伟" in info and "解决方案建议书" in info
    # the covers carry no running header or footer, body pages do
    solution = page_texts(pdfs["example-bank-zh/solution"])
    assert "第" not in solution[0] and "草稿 · 未审核" in solution[1] and "第 2 页 共" in solution[1]


@needs_libreoffice
def test_refresh_toc_option_writes_page_numbers_without_a_pdf(tmp_path):
    from click.testing import CliRunner

    from docgen.cli import main

    out = tmp_path / "draft.docx"
    example = bundled_path("requirements_forms") / "example-logistics-en.yaml"
    result = CliRunner().invoke(main, ["proposal", "build", str(example), "--stage", "intro", "-o", str(out),
                                       "--refresh-toc"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.docx"]  # no PDF left behind
    entries = [p.text.split("\t") for p in docx.Document(str(out)).paragraphs if p.style.name.startswith("toc")]
    assert entries and all(page.isdigit() for _, page in entries)
    assert entries[0][1] == "3"  # cover, contents, then the first chapter


def test_a_quotation_keeps_each_subtotal_with_its_items_and_the_totals_together(documents):
    def keeps(row) -> bool:
        return all(p.paragraph_format.keep_with_next for cell in row.cells for p in cell.paragraphs)

    for key in [k for k in documents if k.endswith("/quote")]:
        rows = docx.Document(str(documents[key])).tables[0].rows
        subtotals = [i for i, row in enumerate(rows) if row.cells[0].text.startswith(("小计", "Subtotal"))]
        assert subtotals and all(keeps(rows[i - 1]) for i in subtotals), key
        assert all(keeps(row) for row in rows[subtotals[-1]:-1]) and not keeps(rows[-1]), key
        # units such as "person-day" / "人天" fit their column (seen as "person / -day")
        assert docx.Document(str(documents[key])).tables[0].columns[3].width >= Cm(2.1)
