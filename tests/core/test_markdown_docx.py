"""Markdown → Word: rendered through the real core, read back as a user would.

The fixture tests/core/fixtures/markdown/all_constructs.md covers every construct;
its golden file holds the extracted structure (style names, text, formatting,
list grouping, table cells) — never .docx bytes. Regenerate the golden after a
deliberate change with DOCGEN_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from tests.helpers.docs import docx_paragraphs, docx_tables, needs_libreoffice, pdf_pages
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from docgen.core.docstyles import new_document
from docgen.core.markdown_docx import markdown_to_word
from docgen.core.render import DocumentTemplate
from docgen.core.text import clean_text

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
ALL = FIXTURES / "all_constructs.md"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# --- helpers -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> DocumentTemplate:
    """docgen's base document with one `{{p body }}` paragraph between two fixed ones."""
    path = tmp_path_factory.mktemp("tpl") / "body.docx"
    doc = new_document("zh")
    doc.add_paragraph("开头")
    doc.add_paragraph("{{p body }}")
    doc.add_paragraph("结尾")
    doc.save(path)
    return DocumentTemplate(path)


def render(template: DocumentTemplate, markdown: str, out: Path, **options) -> Path:
    return template.render_to(out, {"body": markdown_to_word(markdown, **options)})


def structure(path: Path) -> list[dict]:
    """What a reader of the document sees, block by block, between 开头 and 结尾."""
    document = docx.Document(str(path))
    list_names: dict[int, str] = {}
    blocks: list[dict] = []
    for block in document.iter_inner_content():
        if not isinstance(block, Paragraph):
            blocks.append(_table_structure(block))
            continue
        entry: dict = {"style": block.style.name, "text": block.text}
        ppr = block._p.pPr
        if ppr is not None and ppr.numPr is not None:
            num_id = ppr.numPr.numId.val
            entry["list"] = list_names.setdefault(num_id, f"list {len(list_names) + 1}")
        if ppr is not None and ppr.find(f"{W}pBdr/{W}bottom") is not None:
            entry["rule"] = True
        marks = _marks(block)
        if marks:
            entry["marks"] = marks
        blocks.append(entry)
    assert blocks[0]["text"] == "开头" and blocks[-1]["text"] == "结尾"
    return blocks[1:-1]


def _marks(paragraph: Paragraph) -> list[list[str]]:
    """Formatted runs as [text, "bold italic Inline Code …", url?]."""
    marks = []
    for item in paragraph.iter_inner_content():
        runs, url = ((item.runs, item.url) if hasattr(item, "url") else ([item], None))
        for run in runs:
            flags = [name for name, on in (("bold", run.bold), ("italic", run.italic),
                                           ("strike", run.font.strike)) if on]
            if run.style is not None and run.style.name != "Default Paragraph Font":
                flags.append(run.style.name)
            if flags or url:
                marks.append([run.text, " ".join(flags)] + ([url] if url else []))
    return marks


def _table_structure(table) -> dict:
    header_rows = sum(1 for row in table.rows if row._tr.find(f"{W}trPr/{W}tblHeader") is not None)
    bold_header = all(run.bold for cell in table.rows[0].cells for p in cell.paragraphs for run in p.runs)
    return {
        "table_style": table.style.name,
        "header_rows": header_rows,
        "header_bold": bold_header,
        "align": [cell.paragraphs[0].alignment.name.lower() if cell.paragraphs[0].alignment is not None else None
                  for cell in table.rows[-1].cells],
        "cells": [[cell.text for cell in row.cells] for row in table.rows],
    }


class StandInParts:
    """A PartEdits stand-in for XML-level tests: odd style ids, counting numIds."""

    def __init__(self):
        self.num_ids: list[tuple[int, str]] = []
        self.urls: list[str] = []

    def style_id(self, style_name: str) -> str:
        return "s-" + style_name.replace(" ", "_")

    def restart_numbering(self, style_name: str = "List Number") -> int:
        self.num_ids.append((100 + len(self.num_ids), style_name))
        return self.num_ids[-1][0]

    def hyperlink(self, url: str) -> str:
        self.urls.append(url)
        return f"rIdX{len(self.urls)}"


def xml_paragraphs(fragment) -> list[etree._Element]:
    wrapped = ('<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
               + fragment.to_xml(StandInParts()) + "</w:body>")
    return list(etree.fromstring(wrapped))


def xml_text(paragraph) -> str:
    """Text as python-docx reads it: w:br is a newline, w:tab a tab."""
    pieces = []
    for el in paragraph.iter(f"{W}t", f"{W}br", f"{W}tab"):
        pieces.append({f"{W}br": "\n", f"{W}tab": "\t"}.get(el.tag, el.text or ""))
    return "".join(pieces)


# --- the fixture against its golden structure ---------------------------------------


def test_every_construct_matches_golden_structure(template, tmp_path):
    out = render(template, ALL.read_text(encoding="utf-8"), tmp_path / "all.docx")
    actual = structure(out)
    golden = FIXTURES / "all_constructs.golden.json"
    if os.environ.get("DOCGEN_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert actual == json.loads(golden.read_text(encoding="utf-8"))


def test_numbered_lists_get_their_own_numbering_and_nested_levels_their_styles(template, tmp_path):
    blocks = structure(render(template, ALL.read_text(encoding="utf-8"), tmp_path / "all.docx"))
    by_text = {b["text"]: b for b in blocks if "text" in b}
    steps = [by_text[t]["list"] for t in ("现状调研", "方案设计", "部署上线")]
    assert len(set(steps)) == 1  # one list, continued after its nested list
    assert by_text["架构设计"]["list"] == by_text["容量规划"]["list"] != steps[0]
    assert by_text["功能验收"]["list"] not in (steps[0], by_text["架构设计"]["list"])
    assert [by_text[t]["style"] for t in ("数据零丢失 RPO=0", "二级要点", "三级要点", "四级要点仍为三级")] == [
        "List Bullet", "List Bullet 2", "List Bullet 3", "List Bullet 3"]
    assert by_text["架构设计"]["style"] == "List Number 2"


def test_table_has_fixed_widths_on_grid_and_cells(template, tmp_path):
    out = render(template, ALL.read_text(encoding="utf-8"), tmp_path / "all.docx")
    (table,) = docx.Document(str(out)).tables
    tbl = table._tbl
    assert tbl.tblPr.find(f"{W}tblLayout").get(f"{W}type") == "fixed"
    grid = [int(col.get(f"{W}w")) for col in tbl.tblGrid.findall(f"{W}gridCol")]
    assert sum(grid) == round(16.6 * 1440 / 2.54) and min(grid) > 0  # the base templates' text width
    for row in table.rows:
        cell_widths = [int(tc.tcPr.find(f"{W}tcW").get(f"{W}w")) for tc in row._tr.tc_lst]
        assert cell_widths == grid


def test_links_are_external_relationships_with_the_exact_url(template, tmp_path):
    out = render(template, "见 [官网](https://example.com/a?x=1&y=2) 与 [相对](docs/x.md)。",
                 tmp_path / "links.docx")
    document = docx.Document(str(out))
    (paragraph,) = [p for p in document.paragraphs if p.text.startswith("见")]
    links = [item for item in paragraph.iter_inner_content() if hasattr(item, "url")]
    assert [(link.text, link.url) for link in links] == [("官网", "https://example.com/a?x=1&y=2")]
    rel = document.part.rels[links[0]._hyperlink.rId]
    assert rel.is_external
    assert paragraph.text == "见 官网 与 相对。"  # a relative link keeps its text, without a dead link


# --- what a user sees in the PDF ------------------------------------------------------


@needs_libreoffice
def test_each_numbered_list_restarts_at_one_in_the_pdf(tmp_path):
    # The same fragment twice in one document, and docxtpl's own pitfall (#425)
    # case: lists produced in a loop. Every list must start at "1.".
    path = tmp_path / "twice.docx"
    doc = new_document("zh")
    doc.add_paragraph("{{p body }}")
    doc.add_paragraph("{{p body }}")
    doc.save(path)
    out = DocumentTemplate(path).render_to(tmp_path / "out.docx",
                                           {"body": markdown_to_word(ALL.read_text(encoding="utf-8"))})
    pages, texts = pdf_pages(out)
    lines = "\n".join(texts).splitlines()

    def numbers(word):
        return [re.match(r"\s*(\S+)\s+" + word, line).group(1) for line in lines
                if re.match(r"\s*\S+\s+" + word, line)]

    assert numbers("现状调研") == ["1.", "1."]
    assert numbers("部署上线") == ["3.", "3."]  # continues after the nested list
    assert numbers("架构设计") == ["1.", "1."]
    assert numbers("功能验收") == ["1.", "1."]  # a second list restarts
    assert numbers("性能验收") == ["2.", "2."]


# --- pandoc as a peer ---------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_same_headings_list_grouping_and_table_as_pandoc(template, tmp_path):
    peer = tmp_path / "pandoc.docx"
    subprocess.run(["pandoc", "-f", "gfm", "-t", "docx", str(ALL), "-o", str(peer)],
                   check=True, capture_output=True)
    ours = structure(render(template, ALL.read_text(encoding="utf-8"), tmp_path / "ours.docx"))
    theirs = docx.Document(str(peer))

    def heading_texts(pairs):
        return [text for style, text in pairs if style.startswith("Heading")]

    assert heading_texts((b["style"], b["text"]) for b in ours if "style" in b) == \
        heading_texts(docx_paragraphs(peer))
    # Numbered items: pandoc also gives every list its own numbering; the partition must agree.
    our_lists = {b["text"]: b["list"] for b in ours if "list" in b}
    their_lists = {p.text: p._p.pPr.numPr.numId.val for p in theirs.paragraphs
                   if p.text in our_lists}
    assert set(their_lists) == set(our_lists)
    assert _partition(our_lists) == _partition(their_lists)
    their_items = [p.text for p in theirs.paragraphs if p.style.name == "Compact"]
    assert [b["text"] for b in ours if b.get("style", "").startswith("List")] == their_items
    # Pandoc drops raw HTML (<Ltd>); we keep it as typed. Everything else agrees.
    (their_table,) = docx_tables(peer)
    (our_table,) = [b["cells"] for b in ours if "cells" in b]
    assert [[c.replace("<Ltd>", "") for c in row] for row in our_table] == their_table


def _partition(groups: dict) -> set[frozenset]:
    by_group: dict = {}
    for text, group in groups.items():
        by_group.setdefault(group, set()).add(text)
    return {frozenset(texts) for texts in by_group.values()}


# --- hostile text --------------------------------------------------------------------------

# (typed, text as read in a paragraph or cell, text of the same line as a code block)
HOSTILE = [
    ("R&D <Ltd>", "R&D <Ltd>", "R&D <Ltd>"),
    ('"双引号" \'single\' “弯引号”', '"双引号" \'single\' “弯引号”', '"双引号" \'single\' “弯引号”'),
    ("emoji 😀👍🏽 and 中文 漢字", "emoji 😀👍🏽 and 中文 漢字", "emoji 😀👍🏽 and 中文 漢字"),
    ("{{ 7*7 }} {% if x %}{% endif %} {# c #}", "{{ 7*7 }} {% if x %}{% endif %} {# c #}",
     "{{ 7*7 }} {% if x %}{% endif %} {# c #}"),
    # docxtpl's own tag-escape markers must not turn into "{{" (underscores escaped: not emphasis)
    (r"{\_{ a }\_} {\_% b %\_}", "{_{ a }_} {_% b %_}", r"{\_{ a }\_} {\_% b %\_}"),
    ("ctrl\x01\x07\x1bchars\x0b", "ctrlchars", "ctrlchars"),
    ("excel _x000B_ escape", "excel  escape", "excel  escape"),
    ("x <script>alert(1)</script> <w:p/> ]]> &lt;", "x <script>alert(1)</script> <w:p/> ]]> <",
     "x <script>alert(1)</script> <w:p/> ]]> &lt;"),
    ("长" * 5000, "长" * 5000, "长" * 5000),
]


@pytest.mark.parametrize("typed, text, code", HOSTILE, ids=[f"hostile{i}" for i in range(len(HOSTILE))])
def test_hostile_text_reads_as_typed_in_paragraph_table_and_code(template, tmp_path, typed, text, code):
    markdown = f"{typed}\n\n| 列 |\n|---|\n| {typed} |\n\n    {typed}\n"
    out = render(template, markdown, tmp_path / "hostile.docx")
    assert docx_paragraphs(out)[1:-1] == [("Normal", text), ("Code Block", code)]
    assert docx_tables(out) == [[["列"], [text]]]


@pytest.mark.parametrize("markdown, expected", [
    ("a &amp; b &lt;x&gt; &copy; &#x4E2D;", "a & b <x> © 中"),
    ("<span>hi</span> 与 <b>粗</b>", "<span>hi</span> 与 <b>粗</b>"),  # shown as typed, not applied
    ("\\*not em\\* \\`x\\`", "*not em* `x`"),
    ("第一行\n第二行\nthird\nline", "第一行第二行 third line"),  # no space between CJK lines
    ("hard  \nbreak", "hard\nbreak"),
])
def test_entities_inline_html_escapes_and_line_breaks(markdown, expected):
    (paragraph,) = xml_paragraphs(markdown_to_word(markdown))
    assert xml_text(paragraph) == expected


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_in_a_code_block_comes_out_exactly(raw):
    text = clean_text(raw)
    assume(clean_text(text) == text)  # already-clean text (clean_text undoes _xHHHH_ once)
    text = re.sub(r"(?m)^[ \t]*`{3,}", "", text)  # only a backtick line could close the fence
    paragraphs = xml_paragraphs(markdown_to_word("````\n" + text + "\n````\n"))
    assert len(paragraphs) == 1
    assert xml_text(paragraphs[0]) == text


# --- the API ---------------------------------------------------------------------------------


def test_heading_offset_shifts_levels_and_caps_at_three():
    fragment = markdown_to_word("# 案例标题\n\n## 客户挑战\n\n#### 细节", heading_offset=1)
    assert [b.style for b in fragment.blocks] == ["Heading 2", "Heading 3", "Heading 3"]
    with pytest.raises(ValueError, match="heading_offset"):
        markdown_to_word("# x", heading_offset=3)


def test_xml_uses_the_documents_style_ids_and_one_numbering_per_list():
    parts = StandInParts()
    fragment = markdown_to_word("1. a\n2. b\n\n段落\n\n1. c\n   1. d\n\n- e\n\n`code` [x](https://x.org)")
    wrapped = etree.fromstring('<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                               + fragment.to_xml(parts) + "</w:body>")
    styles = [p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") if p.find(f"{W}pPr/{W}pStyle") is not None
              else None for p in wrapped]
    assert styles == ["s-List_Number", "s-List_Number", None, "s-List_Number", "s-List_Number_2",
                      "s-List_Bullet", None]
    assert parts.num_ids == [(100, "List Number"), (101, "List Number"), (102, "List Number 2")]
    nums = [p.find(f"{W}pPr/{W}numPr/{W}numId") for p in wrapped]
    assert [n.get(f"{W}val") if n is not None else None for n in nums] == \
        ["100", "100", None, "101", "102", None, None]
    run_styles = [r.get(f"{W}val") for r in wrapped[-1].iter(f"{W}rStyle")]
    assert run_styles == ["s-Inline_Code", "s-Hyperlink"]
    assert not list(wrapped.iter(f"{W}rFonts"))  # no Latin-only font forced on CJK text


def test_str_is_plain_text_never_xml():
    fragment = markdown_to_word("# 标题\n\n**粗体** R&D <Ltd>\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert str(fragment) == fragment.plain_text == "标题\n粗体 R&D <Ltd>\na\tb\n1\t2"
    assert "<w:" not in str(fragment)


def test_empty_markdown_renders_an_empty_paragraph(template, tmp_path):
    out = render(template, "", tmp_path / "empty.docx")
    assert docx_paragraphs(out) == [("Normal", "开头"), ("Normal", ""), ("Normal", "结尾")]


def test_one_fragment_renders_into_many_documents(template, tmp_path):
    fragment = markdown_to_word(ALL.read_text(encoding="utf-8"))
    first = template.render_to(tmp_path / "1.docx", {"body": fragment})
    second = template.render_to(tmp_path / "2.docx", {"body": fragment})
    assert structure(first) == structure(second)
    numbering = docx.Document(str(second)).part.numbering_part.element
    defined = {num.get(qn("w:numId")) for num in numbering.findall(qn("w:num"))}
    used = {b["list"] for b in structure(second) if "list" in b}
    assert len(used) == 3
    body = docx.Document(str(second)).element.body
    assert {n.get(qn("w:val")) for n in body.iter(qn("w:numId"))} <= defined


def test_table_width_can_be_narrowed_for_a_cell():
    table = "| 名称 | 说明 |\n|---|---|\n| 服务器 | 一段较长的说明文字 |\n"
    (tbl, _) = xml_paragraphs(markdown_to_word(table, table_width_cm=8))
    grid = [int(col.get(f"{W}w")) for col in tbl.iter(f"{W}gridCol")]
    assert sum(grid) == round(8 * 1440 / 2.54)
    assert grid[1] > grid[0]  # the longer column gets more room
    with pytest.raises(ValueError, match="table_width_cm"):
        markdown_to_word(table, table_width_cm=0)


def test_adjacent_and_trailing_tables_are_kept_apart_by_a_paragraph():
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n"
    wrapped = etree.fromstring('<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                               + markdown_to_word(f"{table}\n{table}").to_xml(StandInParts()) + "</w:body>")
    # Word would merge two adjacent tables; a table cell must end with a paragraph.
    assert [el.tag[len(W):] for el in wrapped] == ["tbl", "p", "tbl", "p"]


def test_a_list_items_second_paragraph_stays_with_its_own_item():
    fragment = markdown_to_word("1. 第一项\n\n   补充说明\n   - 子项\n\n   子项之后\n2. 第二项\n")
    assert [(b.style, "".join(i.text for i in b.inlines)) for b in fragment.blocks] == [
        ("List Number", "第一项\n补充说明"),
        ("List Bullet 2", "子项"),
        ("Normal", "子项之后"),
        ("List Number", "第二项"),
    ]
    assert fragment.blocks[0].list_key == fragment.blocks[3].list_key


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n")))
def test_any_single_line_of_escaped_text_reads_as_typed(raw):
    typed = clean_text(raw).strip()
    assume(clean_text(typed) == typed and typed)
    # Backslash-escaping ASCII punctuation is how a Markdown author writes literal text.
    markdown = re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", typed)
    (paragraph,) = xml_paragraphs(markdown_to_word(markdown))
    assert xml_text(paragraph) == typed


def test_string_filter_puts_the_plain_text_inside_a_line(tmp_path):
    path = tmp_path / "inline.docx"
    doc = new_document("zh")
    doc.add_paragraph("摘要：{{ body|string }}")
    doc.save(path)
    out = DocumentTemplate(path).render_to(tmp_path / "out.docx",
                                           {"body": markdown_to_word("**R&D** <Ltd> {{ 7*7 }}\n\n- 要点")})
    assert docx_paragraphs(out) == [("Normal", "摘要：R&D <Ltd> {{ 7*7 }}\n要点")]
