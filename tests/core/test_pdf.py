"""PDF export through real headless LibreOffice (docgen.core.pdf) and the shared helpers."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from tests.helpers.docs import (
    docx_paragraphs,
    docx_tables,
    docx_text,
    needs_libreoffice,
    pdf_fonts,
    pdf_pages,
)
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from docgen.core import pdf
from docgen.core.errors import DocgenError, ExternalToolError, OutputExistsError


def _doc(path: Path, *pages: str) -> Path:
    """A .docx with one page per text, separated by page breaks."""
    document = docx.Document()
    for n, text in enumerate(pages):
        if n:
            document.add_page_break()
        document.add_paragraph(text)
    document.save(path)
    return path


def _cjk_run(paragraph, text: str, font: str, lang: str = "zh-CN"):
    """A run whose every font slot (East Asian included) names `font`."""
    run = paragraph.add_run(text)
    rpr = run._r.get_or_add_rPr()
    fonts = OxmlElement("w:rFonts")
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), font)
    rpr.append(fonts)
    language = OxmlElement("w:lang")
    language.set(qn("w:eastAsia"), lang)
    rpr.append(language)
    return run


def _field(paragraph, instruction: str, placeholder: str) -> None:
    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


# --- helpers (tests/docs.py) -------------------------------------------------


def test_docx_helpers_read_paragraphs_tables_headers(tmp_path):
    document = docx.Document()
    document.add_heading("标题 R&D <Ltd>", 1)
    document.add_paragraph("第一段\n第二行")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text = "甲"
    table.rows[1].cells[1].text = "乙 \"quoted\""
    document.sections[0].header.paragraphs[0].text = "页眉 HEADER"
    document.sections[0].footer.paragraphs[0].text = "页脚 FOOTER"
    path = tmp_path / "helpers.docx"
    document.save(path)

    assert docx_paragraphs(path) == [("Heading 1", "标题 R&D <Ltd>"), ("Normal", "第一段\n第二行")]
    assert docx_tables(path) == [[["甲", ""], ["", "乙 \"quoted\""]]]
    text = docx_text(path)
    for expected in ("标题 R&D <Ltd>", "第一段", "甲", "乙 \"quoted\"", "页眉 HEADER", "页脚 FOOTER"):
        assert expected in text


def test_needs_libreoffice_skips_locally_and_fails_on_ci(pytester, monkeypatch, tmp_path):
    pytester.makeconftest((Path(__file__).parents[1] / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(
        "import pytest\n"
        "@pytest.mark.libreoffice\n"
        "def test_uses_lo():\n"
        "    pass\n"
    )
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice anywhere
    monkeypatch.delenv("CI", raising=False)
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(skipped=1)
    monkeypatch.setenv("CI", "true")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)  # fails in setup: the run is red, never skipped
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*CI is set*libreoffice-writer-nogui*"])


# --- finding LibreOffice -------------------------------------------------------


def test_missing_soffice_names_the_debian_package(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    source = _doc(tmp_path / "a.docx", "text")
    assert pdf.libreoffice_available() is False
    with pytest.raises(ExternalToolError, match="libreoffice-writer-nogui"):
        pdf.find_soffice()
    with pytest.raises(ExternalToolError, match="apt-get install libreoffice-writer-nogui"):
        pdf.convert_to_pdf([source], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_existing_pdf_is_kept_without_force_and_nothing_starts(tmp_path):
    source = _doc(tmp_path / "a.docx", "new text")
    (tmp_path / "out").mkdir()
    existing = tmp_path / "out" / "a.pdf"
    existing.write_bytes(b"previous")
    before = pdf.stats.starts
    with pytest.raises(OutputExistsError, match=r"a\.pdf already exists; use --force"):
        pdf.convert_to_pdf([source], tmp_path / "out")
    assert existing.read_bytes() == b"previous"
    assert pdf.stats.starts == before


def test_two_inputs_becoming_one_pdf_are_refused(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    first = _doc(tmp_path / "x" / "same.docx", "one")
    second = _doc(tmp_path / "y" / "same.docx", "two")
    with pytest.raises(DocgenError, match="would both become .*same.pdf"):
        pdf.convert_to_pdf([first, second], tmp_path / "out")


def test_fontconfig_maps_windows_chinese_fonts_by_style(tmp_path):
    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig tools (fc-match) not installed")
    config = pdf._write_fontconfig(tmp_path / "fonts.conf")

    def family(name: str) -> str:
        return subprocess.run(
            ["fc-match", "-f", "%{family[0]}", name],
            env={"FONTCONFIG_FILE": str(config), "PATH": "/usr/bin:/bin"},
            capture_output=True, text=True, check=True,
        ).stdout

    for serif in ("宋体", "SimSun", "仿宋", "楷体", "KaiTi", "FangSong"):
        assert family(serif) == "Noto Serif CJK SC", serif
    for sans in ("黑体", "SimHei", "微软雅黑", "Microsoft YaHei"):
        assert family(sans) == "Noto Sans CJK SC", sans
    assert family("Calibri") == "Carlito"
    assert family("Cambria") == "Caladea"


# --- real conversions ----------------------------------------------------------


@needs_libreoffice
@pytest.mark.parametrize("jobs", [1, 2])
def test_batch_of_20_uses_at_most_one_process_per_job(tmp_path, jobs):
    names = [f"员工 {n:02d} R&D #{n} %20" if n % 5 == 0 else f"doc{n:02d}" for n in range(20)]
    sources = [_doc(tmp_path / f"{name}.docx", f"Document marker {n:02d} 文档") for n, name in enumerate(names)]
    before = pdf.stats.starts

    pdfs = pdf.convert_to_pdf(sources, tmp_path / "pdf", jobs=jobs)

    assert pdf.stats.starts - before == jobs
    assert [p.name for p in pdfs] == [f"{name}.pdf" for name in names]
    for n, result in enumerate(pdfs):
        count, pages = pdf_pages(result)
        assert count == 1
        assert f"Document marker {n:02d} 文档" in pages[0]
    assert sorted(p.name for p in (tmp_path / "pdf").iterdir()) == sorted(p.name for p in pdfs)


@needs_libreoffice
def test_pdf_next_to_each_docx_when_no_out_dir(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    first = _doc(tmp_path / "x" / "same.docx", "first folder")
    second = _doc(tmp_path / "y" / "same.docx", "second folder", "page two")
    before = pdf.stats.starts
    assert pdf.convert_to_pdf([first, second]) == [tmp_path / "x" / "same.pdf", tmp_path / "y" / "same.pdf"]
    assert pdf.stats.starts - before == 1
    assert "first folder" in pdf_pages(tmp_path / "x" / "same.pdf")[1][0]
    assert pdf_pages(tmp_path / "y" / "same.pdf")[0] == 2


@needs_libreoffice
def test_table_of_contents_is_filled_with_page_numbers(tmp_path):
    document = docx.Document()
    document.add_paragraph("Contents")
    _field(document.add_paragraph(), 'TOC \\o "1-3" \\h \\z \\u', "STALE TOC PLACEHOLDER")
    for n in range(1, 4):
        document.add_page_break()
        document.add_heading(f"第{n}章 Chapter{n}Title", 1)
        document.add_paragraph("body")
    source = tmp_path / "toc.docx"
    document.save(source)

    count, pages = pdf_pages(source)

    assert count == 4
    assert "STALE TOC PLACEHOLDER" not in pages[0]
    toc_lines = [line for line in pages[0].splitlines() if "Chapter" in line]
    assert len(toc_lines) == 3
    for n, line in enumerate(toc_lines, start=1):
        assert f"Chapter{n}Title" in line
        assert line.rstrip().endswith(str(n + 1))  # chapter n starts on page n+1


@needs_libreoffice
def test_song_maps_to_serif_cjk_and_hei_to_sans(tmp_path):
    sources = []
    for font in ("宋体", "黑体"):
        document = docx.Document()
        _cjk_run(document.add_paragraph(), "直骨今令 宋黑对照", font)
        sources.append(tmp_path / f"{font}.docx")
        document.save(sources[-1])

    song, hei = (pdf_fonts(p) for p in pdf.convert_to_pdf(sources, tmp_path / "pdf"))

    assert any(name.startswith("NotoSerifCJK") for name in song), song
    assert not any(name.startswith("NotoSansCJK") for name in song), song
    assert any(name.startswith("NotoSansCJK") for name in hei), hei
    assert not any(name.startswith("NotoSerifCJK") for name in hei), hei


@needs_libreoffice
def test_chinese_language_tag_gives_different_glyphs_than_japanese(tmp_path):
    # 直骨今令 differ between Simplified Chinese and Japanese forms of the same
    # Noto face; pdffonts can't tell (…CJKjp… for both), so compare pixels.
    sources = []
    for lang in ("zh-CN", "ja-JP"):
        document = docx.Document()
        run = _cjk_run(document.add_paragraph(), "直骨今令", "宋体", lang)
        run.font.size = docx.shared.Pt(48)
        sources.append(tmp_path / f"{lang}.docx")
        document.save(sources[-1])
    rasters = []
    for result in pdf.convert_to_pdf(sources, tmp_path / "pdf"):
        prefix = result.with_suffix("")
        subprocess.run(["pdftoppm", "-gray", "-r", "40", "-singlefile", str(result), str(prefix)], check=True)
        rasters.append(prefix.with_suffix(".pgm").read_bytes())
    assert rasters[0] != rasters[1]


def test_file_that_is_not_a_docx_is_refused_before_libreoffice_starts(tmp_path):
    good = _doc(tmp_path / "good.docx", "fine")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"this is not a zip file")
    before = pdf.stats.starts
    with pytest.raises(DocgenError, match=r"broken\.docx: not a Word \.docx file"):
        pdf.convert_to_pdf([good, broken], tmp_path / "pdf")
    assert pdf.stats.starts == before
    assert not (tmp_path / "pdf").exists()


def _fake_soffice(folder: Path, script: str) -> None:
    """A stand-in `soffice` on PATH: LibreOffice failing in ways a real one rarely does on demand."""
    folder.mkdir()
    fake = folder / "soffice"
    fake.write_text("#!/bin/sh\n" + script)
    fake.chmod(0o755)


def test_document_libreoffice_rejects_is_named_and_no_pdf_is_left(tmp_path, monkeypatch):
    # Converts the first document, reports an error for the second.
    _fake_soffice(tmp_path / "bin", (
        'first=$(head -n1 "$DOCGEN_PDF_JOBS"); second=$(sed -n 2p "$DOCGEN_PDF_JOBS")\n'
        'printf %s "fake" > "$(printf %s "$first" | cut -f2 | sed s,^file://,,)"\n'
        'printf "ok\\t%s\\nerror 1: General Error\\t%s\\n" "$(printf %s "$first" | cut -f1)"'
        ' "$(printf %s "$second" | cut -f1)" > "$DOCGEN_PDF_LOG"\n'
    ))
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    good = _doc(tmp_path / "good.docx", "fine")
    bad = _doc(tmp_path / "bad.docx", "rejected")
    with pytest.raises(ExternalToolError, match=r"could not convert .*bad\.docx \(error 1: General Error\)$"):
        pdf.convert_to_pdf([good, bad], tmp_path / "pdf", jobs=1)
    assert not (tmp_path / "pdf").exists()


def test_libreoffice_that_never_runs_the_macro_is_reported(tmp_path, monkeypatch):
    _fake_soffice(tmp_path / "bin", "echo 'javaldx: could not start'; exit 81\n")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    source = _doc(tmp_path / "a.docx", "text")
    with pytest.raises(ExternalToolError, match=r"did not run docgen's PDF conversion macro \(exit code 81\): javaldx"):
        pdf.convert_to_pdf([source], tmp_path / "pdf")


@needs_libreoffice
def test_timeout_is_a_clear_error(tmp_path):
    source = _doc(tmp_path / "a.docx", "slow")
    with pytest.raises(ExternalToolError, match=r"did not finish converting 1 document\(s\) within 0\.05 s \(first: .*a\.docx\)"):
        pdf.convert_to_pdf([source], tmp_path / "pdf", timeout=0.05)
    assert not (tmp_path / "pdf" / "a.pdf").exists()


@needs_libreoffice
def test_merged_pdf_has_every_page_in_order(tmp_path, libreoffice):
    sources = [
        _doc(tmp_path / "one.docx", "ONE-1"),
        _doc(tmp_path / "two.docx", "TWO-1", "TWO-2"),
        _doc(tmp_path / "three.docx", "THREE-1", "THREE-2", "THREE-3"),
    ]
    pdfs = libreoffice(sources)
    merged = pdf.merge_pdfs(pdfs, tmp_path / "all" / "merged.pdf")

    count, pages = pdf_pages(merged)
    assert count == sum(pdf_pages(p)[0] for p in pdfs) == 6
    assert [page.strip() for page in pages] == ["ONE-1", "TWO-1", "TWO-2", "THREE-1", "THREE-2", "THREE-3"]
    with pytest.raises(OutputExistsError):
        pdf.merge_pdfs(pdfs[:1], merged)
    assert pdf_pages(merged)[0] == 6
    pdf.merge_pdfs(pdfs[:1], merged, force=True)
    assert pdf_pages(merged)[0] == 1


@needs_libreoffice
def test_throughput_bench_counts_starts_per_mode(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from pdf_throughput import measure

    source = _doc(tmp_path / "a.docx", "bench")
    result = measure([source, source], tmp_path / "bench")  # the same file twice is fine
    assert result["documents"] == 2
    assert {mode: result[mode]["starts"] for mode in ("naive", "one", "two")} == {"naive": 2, "one": 1, "two": 2}
    assert all(result[mode]["s_per_doc"] > 0 for mode in ("naive", "one", "two"))
    assert len(list((tmp_path / "bench" / "two").glob("*.pdf"))) == 2
