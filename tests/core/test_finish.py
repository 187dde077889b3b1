"""The finishing pass (docgen.core.finish) on small documents built inline: what Word and LibreOffice read."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import docx
from docx.oxml.ns import qn

from docgen.core import docstyles as ds
from docgen.core.docprops import read_core
from docgen.core.finish import DocumentInfo, finish_document
from docgen.core.toc import laid_out_entries, refresh_toc_pages
from docgen.core.watermark import add_watermark, has_watermark, remove_watermarks

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _save(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _open(data: bytes):
    return docx.Document(io.BytesIO(data))


def test_dashes_and_quotes_get_east_asian_runs_in_chinese_text_only():
    doc = ds.new_document("zh")
    doc.add_paragraph("最关键的是 R1——建设同城双活,“两地三中心”。The client’s view")
    doc.add_paragraph("R1——标题", style="Heading 1")
    finished = _open(finish_document(_save(doc), DocumentInfo(title="t", author="张伟", language="zh")))
    body, heading = finished.paragraphs[0], finished.paragraphs[1]
    assert body.text == "最关键的是 R1——建设同城双活,“两地三中心”。The client’s view"  # text unchanged
    for paragraph, font in ((body, "宋体"), (heading, "黑体")):
        dashes = [run for run in paragraph.runs if "——" in run.text]
        assert dashes and all(run.text == "——" for run in dashes)
        fonts = dashes[0]._r.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:hint")) == "eastAsia"
        # every slot names the paragraph's Chinese font, so no reader can pick a Latin one
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == fonts.get(qn("w:eastAsia")) == font
    quotes = [run.text for run in body.runs if run.text in ("“", "”。", "”")]
    assert quotes, [run.text for run in body.runs]
    assert any(run.text.endswith("client’s view") for run in body.runs)  # a Latin apostrophe stays Latin

    english = ds.new_document("en")
    english.add_paragraph("R1—fast “quotes”")
    finished = _open(finish_document(_save(english), DocumentInfo(title="t", author="a", language="en")))
    assert len(finished.paragraphs[0].runs) == 1


def test_every_row_cant_split_and_header_and_last_rows_keep_with_neighbours():
    doc = ds.new_document("zh")
    doc.add_paragraph("下表列出需求:")
    table = ds.new_table(doc, 6, 2, (3, 10))
    ds.set_repeat_table_header(table.rows[0])
    pair = ds.new_table(doc, 2, 2, (3, 10))
    del pair
    finished = _open(finish_document(_save(doc), DocumentInfo(title="t", author="a")))
    rows = [row for table in finished.tables for row in table.rows]
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)

    def keeps(row):
        return all(p.paragraph_format.keep_with_next for cell in row.cells for p in cell.paragraphs)

    first = finished.tables[0].rows
    assert [keeps(row) for row in first] == [True, True, False, False, True, False]
    assert finished.paragraphs[0].paragraph_format.keep_with_next  # the sentence introducing the table


def test_toc_lists_headings_then_takes_the_laid_out_page_numbers():
    doc = ds.new_document("zh")
    ds.add_toc(doc, "zh", levels="1-2")
    for text, level in (("关于我们", 1), ("资质", 2), ("细节", 3), ("方案", 1)):
        doc.add_paragraph(text, style=f"Heading {level}")
    data = finish_document(_save(doc), DocumentInfo(title="t", author="a"))
    document = _open(data)
    entries = [p for p in document.paragraphs if p.style.name.startswith("toc")]
    assert [(p.style.name, p.text) for p in entries] == [("toc 1", "关于我们\t"), ("toc 2", "资质\t"),
                                                         ("toc 1", "方案\t")]
    assert "打开文档时更新目录" not in "".join(p.text for p in document.paragraphs)
    bookmarks = {b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))}
    links = {h.get(qn("w:anchor")) for h in document.element.body.iter(qn("w:hyperlink"))}
    assert links and links <= bookmarks

    again = _open(finish_document(data, DocumentInfo(title="t", author="a")))  # release finishes a draft again
    assert [p.text for p in again.paragraphs if p.style.name.startswith("toc")] == [p.text for p in entries]

    laid_out = "关于我们\t3\n资质\t3\n方案\t5\n"
    assert laid_out_entries(laid_out) == [("关于我们", "3"), ("资质", "3"), ("方案", "5")]
    refreshed = refresh_toc_pages(data, laid_out)
    document = _open(refreshed)
    assert [p.text for p in document.paragraphs if p.style.name.startswith("toc")] == \
        ["关于我们\t3", "资质\t3", "方案\t5"]
    settings = zipfile.ZipFile(io.BytesIO(refreshed)).read("word/settings.xml")
    assert b"updateFields" not in settings  # complete: Word need not ask to update on open
    assert refresh_toc_pages(data, "别的标题\t3\n") is None  # a layout of another document is not used


def test_core_properties_are_docgens_and_read_right_in_a_fresh_process(tmp_path):
    doc = ds.new_document("zh")
    doc.add_paragraph("正文")
    path = tmp_path / "d.docx"
    path.write_bytes(finish_document(_save(doc), DocumentInfo(title="同城双活 · 解决方案建议书", author="张伟")))
    package = zipfile.ZipFile(path)
    for part in ("docProps/core.xml", "docProps/app.xml"):
        assert b"python-docx" not in package.read(part) and b"Macintosh" not in package.read(part)
    # python-docx in a process that imported docxtpl (docxcompose rebinds the cp prefix) and then docgen
    code = ("import json,sys,docxtpl,docx,docgen.core.render\n"
            "p=docx.Document(sys.argv[1]).core_properties\n"
            "print(json.dumps([p.title,p.author,p.last_modified_by,p.created.date().isoformat()]))")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    import datetime as dt

    assert json.loads(out.stdout) == ["同城双活 · 解决方案建议书", "张伟", "张伟", dt.date.today().isoformat()]
    assert read_core(path)["creator"] == "张伟"


def test_python_docx_writes_core_properties_in_the_right_namespace_after_docxtpl(tmp_path):
    """The clash itself: with docgen.core.render imported, python-docx's own writer is right again."""
    path = tmp_path / "p.docx"
    code = ("import sys,docxtpl,docgen.core.render,docx\n"
            "d=docx.Document(); d.core_properties.last_modified_by='王工'; d.core_properties.keywords='k'\n"
            "d.save(sys.argv[1])")
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)
    reader = "import sys,docx;p=docx.Document(sys.argv[1]).core_properties;print(p.last_modified_by,p.keywords)"
    out = subprocess.run([sys.executable, "-c", reader, str(path)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["王工", "k"]


def test_watermark_shape_goes_in_and_comes_out():
    doc = ds.new_document("zh")
    add_watermark(doc.sections[0].header, "草稿", "黑体", 1)
    header = _open(_save(doc)).sections[0].header._element
    assert has_watermark(header)
    strings = [t.get("string") for t in header.iter("{urn:schemas-microsoft-com:vml}textpath") if t.get("string")]
    assert strings == ["草稿"]
    assert remove_watermarks(header) == 1 and not has_watermark(header)


def test_a_group_title_row_keeps_with_the_row_after_it():
    doc = ds.new_document("zh")
    table = ds.new_table(doc, 8, 3, (3, 5, 5))
    ds.set_repeat_table_header(table.rows[0])
    for row in (4, 7):  # mid-table (not the first or last rows, which keep anyway) and the last
        merged = table.rows[row].cells[0].merge(table.rows[row].cells[2])
        merged.text = "一、存储设备"
    finished = _open(finish_document(_save(doc), DocumentInfo(title="t", author="a")))
    rows = finished.tables[0].rows
    title_rows = [row for row in rows if len(row._tr.tc_lst) == 1]
    assert len(title_rows) == 2
    keeps = [all(p.paragraph_format.keep_with_next for p in row.cells[0].paragraphs) for row in title_rows]
    assert keeps == [True, False]  # the last row has nothing to keep with
