"""Page breaks a typographer accepts: no row split, no row stranded, no heading alone.

Applied to a rendered document body (whatever the template or a Markdown
fragment made):
* every table row is cantSplit (a split row leaves a stub under a repeated header);
* a header row (tblHeader) keeps with the first two data rows, and the row
  before the last keeps with the last, so no page holds a table's single first
  or last row: done as Word does it, keepNext on the row's paragraphs;
* a row of one cell spanning the table (a group title) keeps with the next row;
* the paragraph right before a body table (its heading or introduction) keeps with it.
"""

from __future__ import annotations

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
# Property order inside w:trPr and w:pPr matters to Word's schema validation.
_TRPR_FIRST = ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter")
_PPR_BEFORE_KEEP = ("pStyle",)


def keep_tables_together(body: etree._Element) -> None:
    for table in body.iter(f"{_W}tbl"):
        before = table.getprevious()
        if before is not None and before.tag == f"{_W}p" and table.getparent() is body:
            keep_with_next(before)  # the heading or sentence that introduces the table
        rows = table.findall(f"{_W}tr")
        for index, row in enumerate(rows):
            _cant_split(row)
            cells = row.findall(f"{_W}tc")
            if len(cells) == 1 and cells[0].find(f"{_W}tcPr/{_W}gridSpan") is not None and index < len(rows) - 1:
                _keep_row_with_next(row)  # a group title spanning the table (a quotation's 一、存储设备)
        if len(rows) < 3:
            continue
        header = sum(1 for row in rows if row.find(f"{_W}trPr/{_W}tblHeader") is not None)
        data = len(rows) - header
        if header and data >= 1:
            _keep_row_with_next(rows[header - 1])
        if data >= 3:  # the first two data rows start the table together, the last two end it
            _keep_row_with_next(rows[header])
        if data >= 2:
            _keep_row_with_next(rows[-2])


def _cant_split(row: etree._Element) -> None:
    trpr = row.find(f"{_W}trPr")
    if trpr is None:
        trpr = etree.Element(f"{_W}trPr")
        row.insert(1 if row.find(f"{_W}tblPrEx") is not None else 0, trpr)
    if trpr.find(f"{_W}cantSplit") is not None:
        return
    position = sum(1 for child in trpr if etree.QName(child).localname in _TRPR_FIRST)
    trpr.insert(position, etree.Element(f"{_W}cantSplit"))


def _keep_row_with_next(row: etree._Element) -> None:
    for cell in row.findall(f"{_W}tc"):
        for paragraph in cell.findall(f"{_W}p"):
            keep_with_next(paragraph)


def keep_with_next(paragraph: etree._Element) -> None:
    ppr = paragraph.find(f"{_W}pPr")
    if ppr is None:
        ppr = etree.Element(f"{_W}pPr")
        paragraph.insert(0, ppr)
    if ppr.find(f"{_W}keepNext") is not None:
        return
    position = sum(1 for child in ppr if etree.QName(child).localname in _PPR_BEFORE_KEEP)
    ppr.insert(position, etree.Element(f"{_W}keepNext"))
