"""The one cleaning function for all text that enters a document, and XML escaping for text docgen writes as XML."""

from __future__ import annotations

import html
import re

# openpyxl writes characters XML cannot hold as _xHHHH_ (and a literal
# "_x" sequence as _x005F_x...); Excel does the same.
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")

# Characters that XML 1.0 forbids: C0 controls except tab, LF and CR, lone
# surrogates, and U+FFFE/U+FFFF. A Word document that contains one is corrupt.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: object) -> str:
    """Return `value` as text that is safe in a Word document and reads as typed.

    Undoes Excel's `_xHHHH_` escapes, normalises line ends to `\\n` (which the
    renderer turns into a line break), drops characters illegal in XML 1.0, and
    keeps everything else exactly: `R&D <Ltd>`, quotes, emoji, `{{ 7*7 }}`.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if "_x" in text:
        text = _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub("", text)


def xml_escape(text: str, quotes: bool = False) -> str:
    """`&`, `<`, `>` (and `"` with quotes=True, for a double-quoted attribute) escaped for XML.

    What xml.sax.saxutils.escape does; that module imports urllib.request, http.client and
    email (35 ms on every command), so docgen uses html.escape without its quote handling.
    """
    escaped = html.escape(text, quote=False)
    return escaped.replace('"', "&quot;") if quotes else escaped


def xml_attribute(text: str) -> str:
    """`text` as a double-quoted XML attribute value, tabs and line ends kept (xml.sax.saxutils.quoteattr)."""
    escaped = xml_escape(text, quotes=True)
    return '"' + escaped.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'
