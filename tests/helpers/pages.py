"""Where a document's headings and table rows land on the pages LibreOffice renders.

A typographer's two checks, made on the PDF's text (poppler's pdftotext, page by page):
* stranded_headings: pages whose last line of body text is a heading (the heading
  is left alone at the foot of the page, its text on the next);
* lone_rows: pages that hold exactly one data row of a table whose other rows are
  elsewhere (a single row carried over, or left behind).

Headings and table rows are read from the .docx with python-docx; rows are found
in the PDF in document order (text compared without whitespace, so wrapped cells
still match).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

_FOOTER = re.compile(r"^(第\s*\d+\s*页\s*共\s*\d+\s*页|Page \d+ of \d+)$")
_SPACE = re.compile(r"\s+")


def page_texts(pdf: str | Path) -> list[str]:
    """The text of each page (pdftotext, reading order)."""
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True).stdout
    pages = out.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _body_lines(page: str, header_lines: set[str]) -> list[str]:
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    return [line for line in lines if not _FOOTER.match(line) and line not in header_lines]


def _headers(document) -> set[str]:
    found = set()
    for section in document.sections:
        for part in (section.header, section.first_page_header):
            for paragraph in part.paragraphs:
                found |= {piece.strip() for piece in paragraph.text.split("\t") if piece.strip()}
                found.add(paragraph.text.strip())
    return found


def headings(document) -> list[str]:
    return [p.text.strip() for p in document.paragraphs
            if p.style is not None and p.style.name.startswith(("Heading", "Title")) and p.text.strip()]


def stranded_headings(docx_path: str | Path, pdf: str | Path) -> list[tuple[int, str]]:
    """(page number, heading) for every page whose last body line is a heading's text (or its end)."""
    document = docx.Document(str(docx_path))
    titles = headings(document)
    header_lines = _headers(document)
    found = []
    pages = page_texts(pdf)
    for number, page in enumerate(pages[:-1], start=1):  # the last page may well end anywhere
        lines = _body_lines(page, header_lines)
        if not lines:
            continue
        last = lines[-1]
        for title in titles:
            # a wrapped heading ends the page with its last line
            if last == title or (len(last) >= 4 and title.endswith(last) and last not in page.split(title)[0]):
                found.append((number, title))
                break
    return found


def _rows(table: Table) -> list[str]:
    keys = []
    for row in table.rows:
        # each w:tc once (python-docx repeats a merged cell for every grid column it spans)
        texts = ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in row._tr.tc_lst]
        # the first cell and the start of the second: pdftotext reads a wrapped row line by line across cells
        texts = [_SPACE.sub("", t) for t in texts] + ["", ""]
        keys.append(texts[0][:8] if len(texts[0]) > 8 else texts[0] + texts[1][:4])
    return keys


def _body_tables(document) -> list[Table]:
    body = document.element.body
    return [Table(el, document) for el in body.iterchildren() if el.tag.endswith("}tbl")]


def lone_rows(docx_path: str | Path, pdf: str | Path) -> list[tuple[int, int, str]]:
    """(page, table number, row text) for each page holding exactly one data row of a table that spans pages."""
    document = docx.Document(str(docx_path))
    pages = [_SPACE.sub("", page) for page in page_texts(pdf)]
    text = "".join(pages)
    starts, offset = [], 0
    for page in pages:
        starts.append(offset)
        offset += len(page)

    def page_at(position: int) -> int:
        return max(i for i, start in enumerate(starts) if start <= position) + 1

    found, cursor = [], 0
    for number, table in enumerate(_body_tables(document), start=1):
        keys = _rows(table)
        if len(keys) < 3:
            continue
        header, data = keys[0], keys[1:]
        located = []
        for key in data:
            probe = key
            if not probe:
                continue
            at = text.find(probe, cursor)
            if at < 0:
                continue
            located.append((page_at(at), key))
            cursor = at + len(probe)
        pages_used = {page for page, _ in located}
        if len(pages_used) < 2:
            continue
        for page in pages_used:
            on_page = [key for p, key in located if p == page]
            if len(on_page) == 1:
                found.append((page, number, on_page[0][:40]))
        del header
    return found


def paragraph_texts(document) -> list[str]:
    return [Paragraph(p, document).text for p in document.element.body.iter(docx.oxml.ns.qn("w:p"))]
