"""Compiled templates kept between runs (docgen.core.template_cache): the same documents, no compile when warm."""

from __future__ import annotations

import pytest

from docgen.core import render, template_cache
from docgen.core.errors import TemplateError
from docgen.core.sandbox import BoundedEnvironment
from tests.core.test_render_fast import CLASSIC_ONLY, PLAIN_BODY, _body_is_fast, _context, _parts, _template


@pytest.fixture
def parses(monkeypatch, tmp_path) -> list[str]:
    """Counts template parses; the cache lives under tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    seen: list[str] = []
    parse = BoundedEnvironment.parse_bounded

    def counting(self, source):
        seen.append(source)
        return parse(self, source)

    monkeypatch.setattr(BoundedEnvironment, "parse_bounded", counting)
    return seen


@pytest.mark.parametrize("body", [PLAIN_BODY, CLASSIC_ONLY["macro"], CLASSIC_ONLY["set block"]],
                         ids=["fast", "macro", "set block"])
def test_a_second_template_compiles_nothing_and_renders_the_same_document(parses, tmp_path, body):
    cold = _template(tmp_path / "t.docx", body)
    compiled = len(parses)
    assert compiled >= 1
    warm = render.DocumentTemplate(tmp_path / "t.docx")
    assert len(parses) == compiled  # everything came from the cache
    assert warm.variables == cold.variables and _body_is_fast(warm) == _body_is_fast(cold)
    for show in (True, False):
        assert _parts(warm.render(_context(show=show))) == _parts(cold.render(_context(show=show)))


def test_an_edited_template_compiles_afresh(parses, tmp_path):
    _template(tmp_path / "t.docx", PLAIN_BODY)
    compiled = len(parses)
    edited = _template(tmp_path / "t.docx", (*PLAIN_BODY, "新段落 {{ extra }}"))
    assert len(parses) > compiled and "extra" in edited.variables


@pytest.mark.parametrize("damage", [b"", b"garbage", b"docgen-template-1\nnot marshal", None])
def test_a_damaged_entry_is_compiled_again(parses, tmp_path, damage):
    cold = _template(tmp_path / "t.docx", PLAIN_BODY)
    entries = list((tmp_path / "cache" / "docgen" / "templates").rglob("*.bin"))
    assert entries
    for entry in entries:
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2] if damage is None else damage)
    compiled = len(parses)
    warm = render.DocumentTemplate(tmp_path / "t.docx")
    assert len(parses) > compiled
    assert _parts(warm.render(_context())) == _parts(cold.render(_context()))


def test_a_template_that_does_not_compile_is_never_stored(parses, tmp_path):
    with pytest.raises(TemplateError) as first:
        _template(tmp_path / "t.docx", ("{% if %}",))
    with pytest.raises(TemplateError) as second:
        render.DocumentTemplate(tmp_path / "t.docx")
    assert str(first.value) == str(second.value) and "template syntax error" in str(first.value)
    assert not list((tmp_path / "cache").rglob("*.bin"))


def test_the_key_follows_the_code_that_shapes_the_template(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    env = render.make_environment()
    before = template_cache._path(env, "{{ x }}")
    monkeypatch.setitem(template_cache._versions, type(env), "another docgen")
    assert template_cache._path(env, "{{ x }}") != before


def test_another_environment_never_gets_this_ones_code(parses, tmp_path, monkeypatch):
    """Code compiled for docgen's bounded environment calls its loop and size filters: another
    environment (the benchmark's one without limits) compiles its own."""

    class Plain(BoundedEnvironment):
        def parse_bounded(self, source):
            tree = self.parse(source)
            tree.set_environment(self)
            return tree

    body = ("{%p for item in items %}", "项目 {{ item }}", "{%p endfor %}")
    bounded = _template(tmp_path / "t.docx", body)
    entries = set((tmp_path / "cache").rglob("*.bin"))
    monkeypatch.setattr(render, "make_environment", Plain)
    plain = render.DocumentTemplate(tmp_path / "t.docx")
    assert set((tmp_path / "cache").rglob("*.bin")) > entries  # compiled and kept apart
    assert _parts(plain.render(_context())) == _parts(bounded.render(_context()))
