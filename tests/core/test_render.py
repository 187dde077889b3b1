"""The rendering core: user text comes out exactly as typed, templates cannot escape
the sandbox, missing variables are named, and writes are atomic."""

from __future__ import annotations

import os
import zipfile

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.core.config import Fonts, Settings
from docgen.core.docstyles import new_document, new_table, set_cell_text
from docgen.core.errors import OutputError, OutputExistsError, TemplateError
from docgen.core.render import DocumentTemplate, render_many
from docgen.core.text import clean_text
from tests.helpers.docs import docx_paragraphs, docx_tables, needs_libreoffice, pdf_pages

HOSTILE = [
    "R&D <Ltd>",
    "AT&T &amp; &lt;b&gt; </w:t></w:r>",
    "\"double\" 'single' “弯引号” ‘单’",
    "emoji 😀🚀👩‍💻 and ZWJ",
    "华东某城市商业银行 同城双活 RPO=0,RTO<30分钟",
    "control\x0bchars\x01here\x1f",
    "excel_x000B_escape and _x005F_x000D_ literal",
    "{{ 7*7 }}",
    "{% if True %}yes{% endif %}",
    "{# comment #} {%p if x %}",
    "line one\nline two",
    "x" * 5000,
]


def _template(tmp_path, lang="zh", body=("{{ value }}",)):
    document = new_document(lang)
    for text in body:
        document.add_paragraph(text)
    table = new_table(document, 1, 2, [3, 12])
    set_cell_text(table.rows[0].cells[0], "值")
    set_cell_text(table.rows[0].cells[1], "{{ value }}")
    path = tmp_path / "t.docx"
    document.save(path)
    return path


def _expected(text: str) -> str:
    return clean_text(text)


def test_hostile_text_reads_back_exactly_as_typed(tmp_path):
    template = DocumentTemplate(_template(tmp_path))
    for index, text in enumerate(HOSTILE):
        out = template.render_to(tmp_path / f"out{index}.docx", {"value": text})
        paragraphs = [t for _, t in docx_paragraphs(out)]
        assert paragraphs[0] == _expected(text)
        assert docx_tables(out)[0][0][1] == _expected(text)


def test_control_characters_are_removed_and_nothing_else():
    assert clean_text("a\x0bb_x000B_c\x00d") == "abcd"
    assert clean_text("R&D <Ltd> {{ 7*7 }} 😀\tx") == "R&D <Ltd> {{ 7*7 }} 😀\tx"
    assert clean_text("a\r\nb\rc") == "a\nb\nc"


@needs_libreoffice
def test_hostile_text_survives_libreoffice(tmp_path):
    template = DocumentTemplate(_template(tmp_path))
    value = " | ".join(t for t in HOSTILE if len(t) < 100 and "\n" not in t)
    out = template.render_to(tmp_path / "hostile.docx", {"value": value})
    _, pages = pdf_pages(out)
    # pdftotext spaces out CJK/Latin boundaries; compare without white space.
    text = "".join("".join(pages).split())
    for piece in ["R&D <Ltd>", "{{ 7*7 }}", "{% if True %}yes{% endif %}", "😀", "RTO<30分钟", "controlcharshere", "“弯引号”"]:
        assert "".join(piece.split()) in text


@pytest.mark.parametrize("typed", ["{_{", "}_}", "{_%", "%_}", "R&D <Ltd> {_{ x }_} {_% if %_}", "{{_{", "a_b {_ _}"])
def test_a_value_with_docxtpls_brace_escapes_comes_out_as_typed(tmp_path, typed):
    """docxtpl turns {_{ }_} {_% %_} into {{ }} {% %} after rendering; in a value they are what the user typed
    (found by the round-trip property below: '{_{' came out as '{{')."""
    document = new_document("zh")
    document.add_paragraph("{{ value }}")
    document.add_paragraph("字面 {_{ not a tag }_}")
    document.save(tmp_path / "t.docx")
    out = tmp_path / "out.docx"
    out.write_bytes(DocumentTemplate(tmp_path / "t.docx").render({"value": typed}))
    assert [t for _, t in docx_paragraphs(out)] == [typed, "字面 {{ not a tag }}"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=200))
def test_any_unicode_text_round_trips(tmp_path, text):
    path = tmp_path / "prop.docx"
    if not path.exists():
        document = new_document("zh")
        document.add_paragraph("{{ value }}")
        document.save(path)
    data = DocumentTemplate(path).render({"value": text})
    out = tmp_path / "prop-out.docx"
    out.write_bytes(data)
    (got,) = [t for _, t in docx_paragraphs(out)]
    # python-docx reads <w:br/> as \n and <w:tab/> as \t: exactly what was typed, minus illegal chars.
    assert got == clean_text(text)


@pytest.mark.parametrize("payload", [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "{{ value.__class__.__base__.__subclasses__() }}",
    "{{ self._TemplateReference__context }}",
])
def test_template_cannot_reach_python_internals(tmp_path, payload):
    path = _template(tmp_path, body=(payload,))
    os.chdir(tmp_path)
    with pytest.raises(TemplateError) as info:
        DocumentTemplate(path).render({"value": "x"})
    assert "t.docx" in str(info.value)
    assert not (tmp_path / "PWNED").exists()


def test_missing_variable_is_named_before_rendering(tmp_path):
    path = _template(tmp_path, body=("{{ client.name }} {{ deadline }}",))
    with pytest.raises(TemplateError) as info:
        DocumentTemplate(path).render({"value": "x", "client": {"name": "A"}})
    assert "deadline" in str(info.value) and "t.docx" in str(info.value)


def test_syntax_error_names_template_and_shows_surrounding_text(tmp_path):
    path = _template(tmp_path, body=("客户名称 {{ client.name }", "after"))
    with pytest.raises(TemplateError) as info:
        DocumentTemplate(path)
    assert "t.docx" in str(info.value) and "客户名称" in str(info.value)


def test_dict_key_named_items_reads_the_key(tmp_path):
    path = _template(tmp_path, body=("{{ g.items }}|{{ g.keys }}",))
    out = tmp_path / "o.docx"
    DocumentTemplate(path).render_to(out, {"value": "", "g": {"items": "条目", "keys": "钥匙"}})
    assert docx_paragraphs(out)[0][1] == "条目|钥匙"


def test_batch_has_no_state_leaking_between_documents(tmp_path):
    document = new_document("en")
    document.add_paragraph("{% for r in rows %}{{ r }};{% endfor %}{{ value }}")
    path = tmp_path / "loop.docx"
    document.save(path)
    outs = render_many(path, [
        (tmp_path / "a.docx", {"rows": ["1", "2", "3"], "value": "A"}),
        (tmp_path / "b.docx", {"rows": [], "value": "B"}),
    ])
    assert [docx_paragraphs(p)[0][1] for p in outs] == ["1;2;3;A", "B"]


def test_never_overwrites_without_force(tmp_path):
    template = DocumentTemplate(_template(tmp_path))
    out = template.render_to(tmp_path / "o.docx", {"value": "first"})
    with pytest.raises(OutputExistsError):
        template.render_to(out, {"value": "second"})
    assert docx_paragraphs(out)[0][1] == "first"
    template.render_to(out, {"value": "second"}, force=True)
    assert docx_paragraphs(out)[0][1] == "second"


class _Explodes:
    def __str__(self):
        raise RuntimeError("disk pulled mid-render")


def test_failure_mid_render_leaves_previous_file_and_no_temp(tmp_path):
    template = DocumentTemplate(_template(tmp_path, body=("{{ value }}", "{{ later }}")))
    out = template.render_to(tmp_path / "o.docx", {"value": "kept", "later": "x"})
    with pytest.raises(RuntimeError):
        template.render_to(out, {"value": "new", "later": _Explodes()}, force=True)
    assert docx_paragraphs(out)[0][1] == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.docx", "t.docx"]


def test_failure_while_writing_leaves_no_file(tmp_path, monkeypatch):
    template = DocumentTemplate(_template(tmp_path))

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OutputError, match="No space left on device"):
        template.render_to(tmp_path / "new" / "o.docx", {"value": "x"})
    assert list((tmp_path / "new").iterdir()) == []


def _styles_xml(path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/styles.xml").decode("utf-8")


def test_chinese_documents_declare_zh_cn_and_east_asian_fonts(tmp_path):
    out = tmp_path / "o.docx"
    DocumentTemplate(_template(tmp_path)).render_to(out, {"value": "直骨今令"})
    styles = _styles_xml(out)
    assert 'w:eastAsia="zh-CN"' in styles and "ja-JP" not in styles
    with zipfile.ZipFile(out) as package:
        settings_xml = package.read("word/settings.xml").decode("utf-8")
    assert 'w:eastAsia="zh-CN"' in settings_xml and "ja-JP" not in settings_xml
    document = docx.Document(str(out))
    for name, east_asian in [("Heading 1", "黑体"), ("Heading 2", "黑体"), ("Title", "黑体")]:
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == east_asian
        assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}asciiTheme") is None
    assert 'w:eastAsia="宋体"' in styles.split("</w:docDefaults>")[0]


def test_configured_fonts_replace_the_bundled_ones(tmp_path):
    settings_ = Settings(fonts=Fonts(east_asian="仿宋", east_asian_heading="楷体", latin="Arial"))
    out = tmp_path / "o.docx"
    DocumentTemplate(_template(tmp_path), settings=settings_).render_to(out, {"value": "x"})
    styles = _styles_xml(out)
    assert 'w:eastAsia="仿宋"' in styles and 'w:eastAsia="楷体"' in styles and 'w:ascii="Arial"' in styles
    assert "宋体" not in styles.replace("仿宋", "")


def test_tables_have_fixed_grid_and_cell_widths(tmp_path):
    path = _template(tmp_path)
    table = docx.Document(str(path)).tables[0]
    assert [round(c.width.cm, 1) for c in table.columns] == [3.0, 12.0]
    assert [round(c.width.cm, 1) for c in table.rows[0].cells] == [3.0, 12.0]
    assert 'w:type="fixed"' in table._tbl.xml


@needs_libreoffice
def test_chinese_is_drawn_with_simplified_song_glyphs(tmp_path, libreoffice):
    """宋体 maps to Noto Serif CJK; a zh-CN tagged paragraph gets SC glyph forms.

    pdffonts names every Noto CJK face ...CJKjp..., so compare renderings: the
    same characters tagged ja-JP must draw differently (骨 and 直 differ in form).
    """
    import subprocess

    outs = []
    for lang in ("zh-CN", "ja-JP"):
        document = new_document("zh")
        styles = document.styles.element
        styles.xpath("//w:docDefaults//w:lang")[0].set(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", lang)
        run = document.add_paragraph().add_run("直骨今令")
        run.font.size = docx.shared.Pt(48)
        path = tmp_path / f"glyphs-{lang}.docx"
        document.save(path)
        outs.append(path)
    pdfs = libreoffice(outs)
    pictures = []
    for pdf in pdfs:
        subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(pdf.with_suffix(""))], check=True)
        pictures.append(next(pdf.parent.glob(pdf.stem + "*.png")).read_bytes())
    fonts = subprocess.run(["pdffonts", str(pdfs[0])], capture_output=True, text=True).stdout
    assert "Serif" in fonts  # a Song-style (serif) face, not the sans fallback
    assert pictures[0] != pictures[1]


def test_markdown_fragment_inside_a_line_is_an_error_not_lost_text(tmp_path):
    from docgen.core.markdown_docx import markdown_to_word

    path = _template(tmp_path, body=("前言 {{ body }}",))
    with pytest.raises(TemplateError, match=r"\{\{p name \}\}"):
        DocumentTemplate(path).render({"value": "x", "body": markdown_to_word("# 标题\n\n正文")})
    fine = _template(tmp_path, body=("{{p body }}",))
    out = DocumentTemplate(fine).render_to(tmp_path / "ok.docx", {"value": "x", "body": markdown_to_word("# 标题\n\n正文")})
    assert ("Heading 1", "标题") in docx_paragraphs(out)


def test_written_package_is_a_valid_zip_with_every_template_part(tmp_path):
    path = _template(tmp_path)
    out = DocumentTemplate(path).render_to(tmp_path / "o.docx", {"value": "x"})
    with zipfile.ZipFile(out) as package, zipfile.ZipFile(path) as original:
        assert package.testzip() is None
        assert package.namelist() == original.namelist()
        assert package.read("word/styles.xml") == original.read("word/styles.xml")
