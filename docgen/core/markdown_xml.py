"""The block model of converted Markdown and its WordprocessingML.

Built per rendered document with lxml (never by pasting strings): style ids,
numbering ids and hyperlink relationship ids come from the document being
rendered, through a PartEdits object (docgen.core.render.current_parts()).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from docx.oxml.ns import nsmap, qn
from lxml import etree

# Text width of docgen's base templates (A4, 2.2 cm margins = 16.6 cm): the
# default fixed width of a table, split over its columns.
DEFAULT_TABLE_WIDTH_CM = 16.6
TWIPS_PER_CM = 1440 / 2.54  # Word measures in twentieths of a point
_MIN_COLUMN_WEIGHT, _MAX_COLUMN_WEIGHT = 6, 40
_NSMAP = {"w": nsmap["w"], "r": nsmap["r"]}
# docxtpl turns these escaped tag markers back into "{{" etc. after rendering,
# so a user typing "{_{" would see "{{": never keep one inside a single w:t.
_DOCXTPL_MARKERS = re.compile(r"(?<=\{_)(?=\{|%)|(?<=%_)(?=\})|(?<=\}_)(?=\})")
_TEXT_SPLIT = re.compile(r"(\n|\t)")


@dataclass(frozen=True)
class Inline:
    """A piece of text with its formatting; text "\\n" means a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    strike: bool = False
    code: bool = False
    href: str | None = None


@dataclass(frozen=True)
class Para:
    style: str  # a Word style name, e.g. "List Number 2"
    inlines: tuple[Inline, ...]
    list_key: int | None = None  # numbered-list identity: same key, same numbering
    rule: bool = False  # a horizontal rule: an empty paragraph with a bottom border


@dataclass(frozen=True)
class Table:
    header: tuple[tuple[tuple[Inline, ...], ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    aligns: tuple[str | None, ...]  # "left" | "center" | "right" | None per column
    width: int  # total width in twips


@dataclass(frozen=True)
class Figure:
    """A picture from a local PNG (`![caption](images/x.png)` in a section), with its caption."""

    png: bytes
    caption: str
    width_cm: float


Block = Para | Table | Figure


def fragment_xml(blocks: tuple[Block, ...], parts) -> str:
    """Serialized w:p / w:tbl elements for `blocks` in the document behind `parts`."""
    writer = _Writer(parts)
    elements = []
    for index, block in enumerate(blocks):
        if isinstance(block, Figure):
            from docgen.core.picture import Picture

            elements.append(Picture(block.png, block.width_cm, block.caption).to_xml(parts))
            continue
        elements.append(writer.block(block))
        if isinstance(block, Table) and not isinstance(_at(blocks, index + 1), Para):
            # Word glues adjacent tables into one, and a table cell must end
            # with a paragraph: an empty one after a table keeps both right.
            elements.append(_el("w:p"))
    elements = elements or [_el("w:p")]
    return "".join(el if isinstance(el, str) else etree.tostring(el, encoding="unicode") for el in elements)


def _at(blocks: tuple[Block, ...], index: int) -> Block | None:
    return blocks[index] if index < len(blocks) else None


def _el(tag: str, parent=None, **attrs):
    """A w: element (attributes given without prefix are in the w: namespace)."""
    el = etree.Element(qn(tag), nsmap=_NSMAP) if parent is None else etree.SubElement(parent, qn(tag))
    for key, value in attrs.items():
        el.set(qn(key if ":" in key else f"w:{key}"), str(value))
    return el


class _Writer:
    def __init__(self, parts):
        self.parts = parts
        self.num_ids: dict[int, int] = {}  # list key -> w:numId in this document

    def block(self, block: Block):
        return self.table(block) if isinstance(block, Table) else self.paragraph(block)

    # -- paragraphs --------------------------------------------------------------

    def paragraph(self, para: Para, parent=None, align: str | None = None, bold: bool = False):
        p = _el("w:p", parent)
        ppr = _el("w:pPr", p)
        if para.style != "Normal":
            _el("w:pStyle", ppr, val=self.parts.style_id(para.style))
        if para.list_key is not None:
            # Each Markdown list gets its own numbering instance starting at 1;
            # ilvl 0 because each List Number n style has a one-level list of its own.
            if para.list_key not in self.num_ids:
                self.num_ids[para.list_key] = self.parts.restart_numbering(para.style)
            numpr = _el("w:numPr", ppr)
            _el("w:ilvl", numpr, val=0)
            _el("w:numId", numpr, val=self.num_ids[para.list_key])
        if para.rule:
            borders = _el("w:pBdr", ppr)
            _el("w:bottom", borders, val="single", sz=6, space=1, color="auto")
        if align:
            _el("w:jc", ppr, val=align)
        if len(ppr) == 0:
            p.remove(ppr)
        self.inlines(p, para.inlines, bold)
        return p

    def inlines(self, p, inlines: tuple[Inline, ...], bold: bool) -> None:
        link, link_url = None, None
        for inline in inlines:
            if inline.href is None:
                link, link_url = None, None
                container = p
            else:
                if link is None or link_url != inline.href:
                    link = _el("w:hyperlink", p)
                    link.set(qn("r:id"), self.parts.hyperlink(inline.href))
                    link.set(qn("w:history"), "1")
                    link_url = inline.href
                container = link
            self.run(container, inline, bold)

    def run(self, parent, inline: Inline, bold: bool) -> None:
        r = _el("w:r", parent)
        rpr = _el("w:rPr", r)
        style = "Inline Code" if inline.code else "Hyperlink" if inline.href else None
        if style:
            _el("w:rStyle", rpr, val=self.parts.style_id(style))
        if bold or inline.bold:
            _el("w:b", rpr)
        if inline.italic:
            _el("w:i", rpr)
        if inline.strike:
            _el("w:strike", rpr)
        if len(rpr) == 0:
            r.remove(rpr)
        _add_text(r, inline.text)

    # -- tables ------------------------------------------------------------------

    def table(self, table: Table):
        widths = _column_widths(table)
        tbl = _el("w:tbl")
        tblpr = _el("w:tblPr", tbl)
        _el("w:tblStyle", tblpr, val=self.parts.style_id("Docgen Table"))
        _el("w:tblW", tblpr, w=sum(widths), type="dxa")
        _el("w:tblLayout", tblpr, type="fixed")  # never auto-fit (PITFALLS)
        _el("w:tblLook", tblpr, val="04A0", firstRow=1, lastRow=0, firstColumn=0,
            lastColumn=0, noHBand=0, noVBand=1)
        grid = _el("w:tblGrid", tbl)
        for width in widths:
            _el("w:gridCol", grid, w=width)
        for row in table.header:
            self.row(tbl, row, widths, table.aligns, header=True)
        for row in table.rows:
            self.row(tbl, row, widths, table.aligns, header=False)
        return tbl

    def row(self, tbl, cells, widths, aligns, header: bool):
        tr = _el("w:tr", tbl)
        if header:  # repeated at the top of every page the table spans
            _el("w:tblHeader", _el("w:trPr", tr), val="true")
        for cell, width, align in zip(cells, widths, aligns):
            tc = _el("w:tc", tr)
            _el("w:tcW", _el("w:tcPr", tc), w=width, type="dxa")
            self.paragraph(Para("Normal", cell), tc, align=align, bold=header)
        return tr


def _add_text(run, text: str) -> None:
    """Text as w:t pieces, with w:br for line breaks and w:tab for tabs."""
    for piece in _TEXT_SPLIT.split(text):
        if piece == "\n":
            _el("w:br", run)
        elif piece == "\t":
            _el("w:tab", run)
        else:
            for part in _DOCXTPL_MARKERS.split(piece):
                if part:
                    t = _el("w:t", run)
                    t.text = part
                    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _display_width(text: str) -> int:
    """Width in Latin-character units: CJK and other wide characters count 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _column_widths(table: Table) -> list[int]:
    """Fixed widths that add up to the table's width, in proportion to the content."""
    columns = len(table.aligns)
    weights = [_MIN_COLUMN_WEIGHT] * columns
    for row in table.header + table.rows:
        for index, cell in enumerate(row[:columns]):
            width = _display_width("".join(inline.text for inline in cell))
            weights[index] = max(weights[index], min(width, _MAX_COLUMN_WEIGHT))
    total = sum(weights)
    widths = [table.width * weight // total for weight in weights]
    widths[-1] += table.width - sum(widths)
    return widths
