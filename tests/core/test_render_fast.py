"""The fast template (DocumentTemplate._compile) makes byte for byte the document docxtpl's
classic template makes: with plain values, with markup values (where it falls back), and
for templates it must not touch (comments, whitespace control, macros, captured output)."""

from __future__ import annotations

import re
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from docgen.core import render
from docgen.core.docstyles import new_document, new_table, set_cell_text
from docgen.core.errors import TemplateError
from docgen.core.markdown_docx import markdown_to_word
from docgen.core.render import DocumentTemplate
from docgen.core.sandbox import Limits
from tests.helpers.docs import docx_paragraphs, docx_tables

PLAIN_BODY = (
    "标题 {{ title }}",
    "{%p if show %}",
    "显示 {{ value }} 结尾",
    "{%p endif %}",
    "{%p for item in items %}",
    "项目 {{ item }}\t制表",
    "{%p endfor %}",
    "字面 {_{ not a tag }_} {_% neither %_}",
)
# Each of these makes the classic template the only one (see render._FAST_UNSAFE and _CAPTURES).
CLASSIC_ONLY = {
    "comment": ("{# a note #}{{ value }}",),
    "whitespace control": ("{{ value -}}", "{%p if show -%}", "x", "{%p endif %}"),
    "macro": ("{% macro m(x) %}<{{ x }}>{% endmacro %}{{ m(value) }}",),
    "set block": ("{% set held %}{{ value }}{% endset %}{{ held|length }}",),
    "filter block": ("{% filter upper %}{{ value }}{% endfilter %}",),
    "raw": ("{% raw %}{{ value }}{% endraw %}",),
    "backslash": ('{{ value ~ "\\n" }}',),
}


def _template(path, body) -> DocumentTemplate:
    document = new_document("zh")
    for text in body:
        document.add_paragraph(text)
    table = new_table(document, 3, 2, [3, 12])
    set_cell_text(table.rows[0].cells[0], "{%tr for row in rows %}")
    set_cell_text(table.rows[1].cells[0], "{{ row.a }}")
    set_cell_text(table.rows[1].cells[1], "{{ row.b }}")
    set_cell_text(table.rows[2].cells[0], "{%tr endfor %}")
    document.save(path)
    return DocumentTemplate(path)


def _context(**extra) -> dict:
    return {"title": "R&D <Ltd>", "show": True, "value": "末尾换行\n", "items": ["a\n", "b\tc", "{_{ x }_}"],
            "rows": [{"a": "一\n二", "b": 3}, {"a": "", "b": None}], "held": "", **extra}


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist() if name != "docProps/core.xml"}


def _classic(path, monkeypatch) -> DocumentTemplate:
    with monkeypatch.context() as patch:
        patch.setattr(render, "_fast_safe", lambda patched: False)
        return DocumentTemplate(path)


def _body_is_fast(template: DocumentTemplate) -> bool:
    return template._parts[0].classic is not None


def test_plain_values_make_the_classic_document_without_its_passes(tmp_path, monkeypatch):
    fast = _template(tmp_path / "t.docx", PLAIN_BODY)
    classic = _classic(tmp_path / "t.docx", monkeypatch)
    assert _body_is_fast(fast) and not _body_is_fast(classic)
    for show in (True, False):
        context = _context(show=show)
        assert _parts(fast.render(context)) == _parts(classic.render(context))
    assert _body_is_fast(fast)  # plain values never need the classic template
    out = fast.render_to(tmp_path / "out.docx", _context())
    texts = [text for _, text in docx_paragraphs(out)]
    assert texts[0] == "标题 R&D <Ltd>" and "显示 末尾换行\n 结尾" in texts and "项目 b\tc\t制表" in texts
    assert "字面 {{ not a tag }} {% neither %}" in texts and "项目 {_{ x }_}\t制表" in texts  # a value as typed
    assert docx_tables(out)[0] == [["一\n二", "3"], ["", "None"]]


def test_a_markup_value_falls_back_to_the_classic_template_once_and_for_good(tmp_path, monkeypatch):
    body = ("{{p notes }}", "{%p for item in items %}", "项目 {{ item }}", "{%p endfor %}")
    fast = _template(tmp_path / "t.docx", body)
    classic = _classic(tmp_path / "t.docx", monkeypatch)
    notes = markdown_to_word("1. 第一\n2. 第二\n\n[链接](https://example.com)\n\n1. 重新编号")
    context = _context(notes=notes)
    assert _body_is_fast(fast)
    # numbering and hyperlinks the fragment asked for during the first attempt are not asked twice
    assert _parts(fast.render(context)) == _parts(classic.render(context))
    assert not _body_is_fast(fast)
    assert _parts(fast.render(_context(notes=Markup("<w:p><w:r><w:t>x</w:t></w:r></w:p>\n")))) == \
        _parts(classic.render(_context(notes=Markup("<w:p><w:r><w:t>x</w:t></w:r></w:p>\n"))))


def test_the_fallback_does_not_charge_the_loop_budget_twice(tmp_path):
    body = ("{{p notes }}", "{%p for item in items %}", "项目 {{ item }}", "{%p endfor %}")
    template = _template(tmp_path / "t.docx", body)
    template.limits = Limits(iterations=7)
    context = _context(notes=markdown_to_word("正文"), items=["x"] * 5)  # 5 + 2 table rows = the limit
    assert docx_paragraphs(template.render_to(tmp_path / "ok.docx", context))
    with pytest.raises(TemplateError, match="loops ran more than 7 times"):
        template.render(_context(notes=markdown_to_word("正文"), items=["x"] * 6))


@pytest.mark.parametrize("name", sorted(CLASSIC_ONLY))
def test_templates_the_fast_path_could_change_use_the_classic_one(tmp_path, monkeypatch, name):
    fast = _template(tmp_path / "t.docx", CLASSIC_ONLY[name])
    classic = _classic(tmp_path / "t.docx", monkeypatch)
    assert not _body_is_fast(fast)
    context = _context()
    assert _parts(fast.render(context)) == _parts(classic.render(context))


def test_a_failing_tag_is_still_named_from_the_fast_template(tmp_path):
    template = _template(tmp_path / "t.docx", ("第一段", "第二段 {{ 1 / zero }}", "第三段"))
    assert _body_is_fast(template)
    with pytest.raises(TemplateError) as error:
        template.render({**_context(), "zero": 0})
    assert "in: {{ 1 / zero }}" in str(error.value)


def test_the_fragment_search_is_skipped_only_where_the_templates_own_xml_cannot_need_it(tmp_path, monkeypatch):
    plain = _template(tmp_path / "plain.docx", PLAIN_BODY)
    assert plain._parts[0].template.docgen_fragment_free
    # an inline {% if %} closed by a paragraph-level {%p endif %}: when false, a paragraph starts inside a line
    mixed = _template(tmp_path / "mixed.docx", ("前文 {% if show %}内文", "{%p endif %}", "后文"))
    assert _body_is_fast(mixed) and not mixed._parts[0].template.docgen_fragment_free
    classic = _classic(tmp_path / "mixed.docx", monkeypatch)
    for template in (mixed, classic):
        with pytest.raises(TemplateError, match="placed inside a line"):
            template.render(_context(show=False))
        assert _parts(template.render(_context(show=True)))


def test_pictures_copied_by_a_loop_still_get_unique_ids(tmp_path, monkeypatch):
    from PIL import Image

    Image.new("RGB", (4, 4), "red").save(tmp_path / "dot.png")
    document = new_document("zh")
    document.add_paragraph("{%p for item in items %}")
    document.add_paragraph("图 {{ item }}").add_run().add_picture(str(tmp_path / "dot.png"))
    document.add_paragraph("{%p endfor %}")
    document.save(tmp_path / "pictures.docx")
    fast, classic = DocumentTemplate(tmp_path / "pictures.docx"), _classic(tmp_path / "pictures.docx", monkeypatch)
    assert _body_is_fast(fast) and not fast._parts[0].template.docgen_no_drawings
    context = {"items": ["一", "二", "三"]}
    data = fast.render(context)
    assert _parts(data) == _parts(classic.render(context))
    ids = re.findall(r'<wp:docPr id="(\d+)"', _parts(data)["word/document.xml"].decode())
    assert ids == ["1001", "1002", "1003"]


@given(st.text(alphabet="{}_%a", max_size=40), st.integers(min_value=0, max_value=5))
def test_the_brace_escape_test_answers_as_a_search_would(text, most):
    assert render._has_brace_escape(text, most) == ("{_" in text or "_}" in text)
