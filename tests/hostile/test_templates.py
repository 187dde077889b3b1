"""Hostile Word templates: each attack is refused with a message (exit 2), in time, within memory.

`docgen templates check` meets the attacks in a fresh, capped process
(tests/helpers/hostile.py); the render path meets them through the library
and through `docgen review blank` with a company templates folder.
"""

from __future__ import annotations

import re
import shutil
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docx
import pytest

from docgen.core.config import bundled_path
from docgen.core.errors import TemplateError
from docgen.core.render import DocumentTemplate
from docgen.core.sandbox import Limits
from tests.helpers.hostile import assert_refused, files_under, run_docgen


def _template(folder: Path, *paragraphs: str, name: str = "T.docx") -> Path:
    document = docx.Document()
    document.add_paragraph("客户:{{ company }}")
    for text in paragraphs:
        document.add_paragraph(text)
    path = folder / name
    document.save(path)
    return path


def _replace_part(path: Path, part: str, data: bytes) -> Path:
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts[part] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, blob in parts.items():
            package.writestr(name, blob)
    return path


# --- docgen templates check, one fresh capped process per attack -----------------------------------

ATTACKS = {
    "huge constant": ("{{ 'a'*10**9 }}", "1,000,000,000 characters"),
    "huge constant list in a loop": ("{% for a in [0]*10**8 %}x{% endfor %}", "100,000,000"),
    "huge value from a variable": ("{{ company*10**8 }}", "at most 1,000,000"),
    "nested loops": ("{% for a in 'x'*30000 %}{% for b in 'y'*30000 %}{{ a }}{% endfor %}{% endfor %}",
                     "loops ran more than 200,000 times"),
    "100 MB of output": ("{{ 'a'*10**8 }}", "at most 1,000,000"),
    "output budget": ("{% for i in range(10000) %}{{ 'x'*5000 }}{% endfor %}", "20,000,000 characters of XML"),
    "include": ("{% include 'other.docx' %}", "{% include %} is not allowed"),
    "import": ("{% import 'macros' as m %}", "{% import %} is not allowed"),
    "extends": ("{% extends 'base.docx' %}", "{% extends %} is not allowed"),
    "huge range": ("{% for i in range(10**9) %}{{ i }}{% endfor %}", "range() of 1,000,000,000 numbers"),
    "division by zero": ("{{ 1/0 }}", "ZeroDivisionError"),
    "recursive macro": ("{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}", "calls nested more than 50 deep"),
    "format width": ("{{ '%0999999999d' % 1 }}", "%-formatted text"),
    "doubling string": (("{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
                         "{% endfor %}{{ ns.s }}"), "`~` result"),
}


@pytest.mark.parametrize("payload, says", list(ATTACKS.values()), ids=list(ATTACKS))
def test_templates_check_refuses(tmp_path, payload, says):
    _template(tmp_path, payload)
    run = run_docgen("templates", "check", "T.docx", cwd=tmp_path)
    assert_refused(run, says=says)
    assert "T.docx" in run.stderr and "word/document.xml" in run.stderr
    # The message shows the offending tag, so the author can find it.
    assert payload[:12] in run.stderr


MALFORMED = {
    "malformed document.xml": ("word/document.xml", b"<w:document><w:body><w:p></w:body>", "not well-formed XML"),
    "UTF-16 document.xml": ("word/document.xml", None, "UTF-16"),
    "entity bomb in styles.xml": ("word/styles.xml", (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                   for i in range(1, 10))
        + b']><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&lol9;</w:styles>'),
        "entity"),
    "external entity in styles.xml": ("word/styles.xml", (
        b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&e;</w:styles>'),
        "DTD"),
}


@pytest.mark.parametrize("part, data, says", list(MALFORMED.values()), ids=list(MALFORMED))
def test_broken_xml_is_a_message_from_check_and_prepare(tmp_path, part, data, says):
    path = _template(tmp_path, "{{ company }}")
    if data is None:  # the template's own document.xml, re-encoded
        with zipfile.ZipFile(path) as package:
            text = package.read(part).decode("utf-8").replace("encoding='UTF-8'", "encoding='UTF-16'")
        data = text.encode("utf-16")
    _replace_part(path, part, data)
    run = run_docgen("templates", "check", "T.docx", cwd=tmp_path)
    assert_refused(run, says=says)
    assert part in run.stderr
    with pytest.raises(TemplateError) as info:
        DocumentTemplate(path)
    assert part in str(info.value) and says in str(info.value)


def test_bundled_templates_pass_the_check(tmp_path):
    for path in sorted(bundled_path("templates").rglob("*.docx")):
        run = run_docgen("templates", "check", str(path), cwd=tmp_path)
        assert run.returncode == 0, run.stderr


# --- rendering: the library -------------------------------------------------------------------------

RENDER_ATTACKS = {
    "huge value from a variable": ("{{ company*10**8 }}", "at most 1,000,000"),
    "nested loops over data": (("{% for a in company*5000 %}{% for b in company*5000 %}{{ b }}{% endfor %}"
                                "{% endfor %}"), "loops ran more than"),
    "recursive macro": ("{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}", "nested more than"),
    "division by zero": ("{{ 1/(company|length - 4) }}", "ZeroDivisionError"),
    "type error": ("{{ company + 1 }}", "TypeError"),
    "overflow": ("{{ 10.0 ** 1000 }}", "OverflowError"),
    "huge integer": ("{{ 7 ** 100000 }}", "bits"),
    "join amplifies": ("{{ ([company*200000]*10)|join }}", "join() result"),
    "replace amplifies": ("{{ (company*200000)|replace('A', 'AAAAAAAAAA') }}", "replace() result"),
    "str.format width": ("{{ '{:>999999999}'.format(company) }}", "too large"),
    "center": ("{{ company|center(10**9) }}", "center() width"),
    "ljust": ("{{ company.ljust(10**9) }}", "ljust() width"),
    "list doubling": ("{% set l = [company] %}{% for i in range(40) %}{% set _ = l.extend(l) %}{% endfor %}",
                      "after extend()"),
    "a list printed": ("{% set big = [company*200000]*100 %}{{ big }}", "characters of XML"),
    "python internals": ("{{ company.__class__.__mro__ }}", "Python internals"),
}


@pytest.mark.parametrize("payload, says", list(RENDER_ATTACKS.values()), ids=list(RENDER_ATTACKS))
def test_render_refuses(tmp_path, payload, says):
    path = _template(tmp_path, payload)
    template = DocumentTemplate(path)
    with pytest.raises(TemplateError) as info:
        template.render_to(tmp_path / "out.docx", {"company": "ACME"})
    message = str(info.value)
    assert says in message and "T.docx" in message and "word/document.xml" in message
    assert not (tmp_path / "out.docx").exists()


def test_wall_clock_stops_a_slow_template(tmp_path):
    # 10**8 loop passes: no other limit would stop it soon; the clock does.
    path = _template(tmp_path, "{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}")
    template = DocumentTemplate(path, limits=Limits(iterations=10**9, seconds=0.5))
    with pytest.raises(TemplateError, match=r"ran for more than 0.5 s"):
        template.render({"company": "ACME"})


def test_limits_work_in_threads_without_signals(tmp_path):
    path = _template(tmp_path, "{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}")
    template = DocumentTemplate(path, limits=Limits(iterations=10**9, seconds=0.5))

    def render(_):
        assert threading.current_thread() is not threading.main_thread()
        with pytest.raises(TemplateError, match="ran for more than"):
            template.render({"company": "ACME"})

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(render, range(2)))


def test_each_document_has_its_own_budget(tmp_path):
    # 150,000 passes per document: under the budget every time, however many documents.
    path = _template(tmp_path, "{% for a in range(10000) %}{% for b in 'x'*15 %}{% endfor %}{% endfor %}")
    template = DocumentTemplate(path)
    for _ in range(3):
        template.render({"company": "ACME"})


def test_ordinary_template_code_still_works(tmp_path):
    path = _template(tmp_path, "{% for i in range(3) %}{{ i ~ '-' ~ company|lower }}{% endfor %}|"
                               "{{ '%.1f' % 2.25 }}|{{ '{:>4}'.format(7) }}|{{ ['a', 'b']|join(', ') }}|"
                               "{{ company * 2 }}|{{ 2 ** 10 }}|{{ (company + '!')|center(9) }}|{{ [1, 2]|sum }}"
                               "{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}|{{ twice(company) }}")
    out = DocumentTemplate(path).render_to(tmp_path / "o.docx", {"company": "ACME"})
    text = [p.text for p in docx.Document(out).paragraphs]
    assert text[1] == "0-acme1-acme2-acme|2.2|   7|a, b|ACMEACME|1024|  ACME!  |3|ACMEACME"


# --- rendering: the CLI with a company templates folder ----------------------------------------------------

@pytest.mark.parametrize("payload, says", [
    ("{{ 'a'*10**8 }}", "at most 1,000,000"),
    ("{% for a in 'x'*30000 %}{% for b in 'y'*30000 %}{{ a }}{% endfor %}{% endfor %}", "loops ran more than"),
    ("{% include 'x' %}", "not allowed"),
], ids=["huge value", "nested loops", "include"])
def test_review_blank_refuses_a_hostile_company_template(tmp_path, payload, says):
    own = tmp_path / "mine" / "review"
    own.mkdir(parents=True)
    document = docx.Document(bundled_path("templates") / "review" / "packet_zh.docx")
    document.add_paragraph(payload)
    document.save(own / "packet_zh.docx")
    (tmp_path / "docgen.toml").write_text('[docgen]\ntemplates = "mine"\n', encoding="utf-8")
    before = files_under(tmp_path)
    run = run_docgen("review", "blank", "--role", "presales-engineer", "-o", "x.docx", cwd=tmp_path)
    assert_refused(run, says=says)
    assert "packet_zh.docx" in run.stderr
    assert files_under(tmp_path) == before


def test_review_blank_with_a_clean_company_template_works(tmp_path):
    own = tmp_path / "mine" / "review"
    own.mkdir(parents=True)
    shutil.copy(bundled_path("templates") / "review" / "packet_zh.docx", own / "packet_zh.docx")
    (tmp_path / "docgen.toml").write_text('[docgen]\ntemplates = "mine"\n', encoding="utf-8")
    run = run_docgen("review", "blank", "--role", "presales-engineer", "-o", "x.docx", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert re.search(r"wrote .*x\.docx", run.stdout)
