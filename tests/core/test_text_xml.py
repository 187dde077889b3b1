"""docgen.core.text's XML escaping: what xml.sax.saxutils does, without its imports."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from hypothesis import given
from hypothesis import strategies as st

from docgen.core.text import xml_attribute, xml_escape


@given(st.text())
def test_escaping_is_saxutils_escaping(text):
    assert xml_escape(text) == escape(text)
    assert xml_escape(text, quotes=True) == escape(text, {'"': "&quot;"})


@given(st.text().filter(lambda t: '"' not in t))
def test_an_attribute_is_saxutils_quoteattr(text):
    assert xml_attribute(text) == quoteattr(text)


def test_an_attribute_with_double_quotes_stays_double_quoted():
    assert xml_attribute('say "hi" & <go>') == '"say &quot;hi&quot; &amp; &lt;go&gt;"'
