"""The last pass over a rendered document: print-ready layout and honest properties.

Whatever a template or a Markdown fragment produced, finish_document() makes
the .docx keep its table rows whole and with their neighbours
(docgen.core.pagination), draws ambiguous punctuation in the Chinese font in
a Chinese document (docgen.core.typography), lists the headings in the table of
contents (docgen.core.toc) and records who wrote the document, when, and
under which title (docgen.core.docprops), with nothing of python-docx's
defaults left.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from docgen.core.docprops import core_parts, property_parts
from docgen.core.docx_zip import Entry, make_entry, write_zip
from docgen.core.hygiene import parse_xml, read_package
from docgen.core.pagination import keep_tables_together
from docgen.core.toc import list_headings
from docgen.core.typography import EastAsianFonts, east_asian_punctuation

_MAIN = "word/document.xml"
_STORY = re.compile(r"word/(header|footer)\d*\.xml")


@dataclass(frozen=True)
class DocumentInfo:
    """What Word shows in File › Info: the title and author; created/modified default to now."""

    title: str
    author: str
    language: str = "zh"
    created: dt.datetime | None = None
    # docgen.* custom properties (docgen.core.docprops.stamp), written in the same pass: one zip, not two
    properties: Mapping[str, str] | None = None


def finish_document(data: bytes, info: DocumentInfo) -> bytes:
    names, blobs = read_package(data)
    changed: dict[str, bytes] = {}
    fonts = None
    if info.language == "zh" and "word/styles.xml" in blobs:
        fonts = EastAsianFonts(parse_xml(blobs["word/styles.xml"], "word/styles.xml"))
    if _MAIN in blobs:
        root = parse_xml(blobs[_MAIN], _MAIN)
        body = root.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body")
        if body is not None:
            keep_tables_together(body)
            list_headings(body)
        if fonts is not None:
            east_asian_punctuation(root, fonts)
        changed[_MAIN] = _serialize(root)
    if fonts is not None:
        for name in names:
            if _STORY.fullmatch(name) and any(ch.encode() in blobs[name] for ch in "—…“”‘’·※"):
                root = parse_xml(blobs[name], name)
                if east_asian_punctuation(root, fonts):
                    changed[name] = _serialize(root)
    changed.update(core_parts(title=info.title, creator=info.author, created=info.created,
                              modified=info.created))
    if info.properties is not None:
        changed.update(property_parts(blobs["[Content_Types].xml"], blobs["_rels/.rels"], info.properties))
    raw = _compressed_entries(data)
    return write_zip([make_entry(name, changed[name], level=1) if name in changed else raw[name] for name in names]
                     + [make_entry(name, blob) for name, blob in changed.items() if name not in blobs])


def _compressed_entries(data: bytes) -> dict[str, Entry]:
    """The package's parts as they are stored (deflated or not): unchanged parts are copied, not recompressed."""
    entries = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for info in package.infolist():
            name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
            start = info.header_offset + 30 + name_length + extra_length
            entries[info.filename] = Entry(info.filename.encode("utf-8"), info.compress_type, info.CRC,
                                           info.file_size, data[start:start + info.compress_size])
    return entries


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
