"""Test helpers every area reuses: read a .docx the way a person would.

`pdf_pages` goes through the real headless LibreOffice (docgen.core.pdf), the same
path `--pdf` uses, so a page count or a missing word in a test is what a user
would see. Mark such tests with `@needs_libreoffice`: they skip when soffice is
absent on a developer machine, and FAIL when it is absent on CI (env CI set).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph

# Registered in pyproject.toml; tests/conftest.py turns it into skip-or-fail.
needs_libreoffice = pytest.mark.libreoffice


def docx_paragraphs(path: str | os.PathLike) -> list[tuple[str, str]]:
    """Body paragraphs in document order as (style name, text); tables excluded.

    Text includes line breaks as "\\n" and tabs as "\\t" (python-docx 1.2).
    """
    document = docx.Document(str(path))
    return [(p.style.name if p.style is not None else "", p.text) for p in document.paragraphs]


def docx_tables(path: str | os.PathLike) -> list[list[list[str]]]:
    """Every top-level body table as rows of cell texts, in document order.

    Uses `row.cells` (PITFALLS: `table.cell(r, c)` rebuilds the grid per call).
    A merged cell repeats its text in each grid position it spans, as
    python-docx reports it.
    """
    document = docx.Document(str(path))
    return [_table_cells(table) for table in document.tables]


def _table_cells(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def docx_text(path: str | os.PathLike) -> str:
    """All text a reader sees: body paragraphs and tables (nested too) in order,
    then every section's headers and footers. One block per line."""
    document = docx.Document(str(path))
    lines: list[str] = []
    _collect(document, lines)
    for section in document.sections:
        for part in (
            section.header,
            section.first_page_header,
            section.even_page_header,
            section.footer,
            section.first_page_footer,
            section.even_page_footer,
        ):
            if not part.is_linked_to_previous:
                _collect(part, lines)
    return "\n".join(lines)


def _collect(container, lines: list[str]) -> None:
    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            for row in block.rows:
                for cell in row.cells:
                    _collect(cell, lines)


def pdf_pages(path: str | os.PathLike) -> tuple[int, list[str]]:
    """(page count, text of each page) of a .pdf, or of a .docx converted by
    LibreOffice through docgen.core.pdf. Text comes from `pdftotext -layout`."""
    source = Path(path)
    if source.suffix.lower() == ".pdf":
        return _read_pdf(source)
    from docgen.core.pdf import convert_to_pdf

    with tempfile.TemporaryDirectory(prefix="docgen-test-pdf-") as out:
        (pdf,) = convert_to_pdf([source], out)
        return _read_pdf(pdf)


def _read_pdf(pdf: Path) -> tuple[int, list[str]]:
    for tool in ("pdfinfo", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: install poppler-utils")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    # pdftotext ends every page (even an empty one) with a form feed.
    pages = text.split("\f")[:count]
    return count, pages


def pdf_fonts(pdf: str | os.PathLike) -> list[str]:
    """Names of the fonts embedded in a PDF, from `pdffonts` (subset prefix removed)."""
    result = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    names = []
    for line in result.stdout.splitlines()[2:]:
        name = line.split()[0] if line.strip() else ""
        names.append(name.split("+", 1)[-1])
    return [n for n in names if n]
