"""The price book kept in the user cache (docgen.proposal.pricebook): read once, again after any edit, never with problems."""

from __future__ import annotations

import os
import shutil

import openpyxl
import pytest

import docgen.core.xlsxread as xlsxread
from docgen.core.config import bundled_path
from docgen.core.errors import Problems
from docgen.proposal.pricebook import load_pricebook

BUNDLED = bundled_path("templates") / "company" / "pricebook.xlsx"


@pytest.fixture
def reads(monkeypatch, tmp_path) -> list[str]:
    """Counts workbook reads; the cache lives under tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    seen: list[str] = []
    reader = xlsxread.WorkbookReader

    class Counting(reader):
        def __init__(self, path, *args, **kwargs):
            seen.append(str(path))
            super().__init__(path, *args, **kwargs)

    monkeypatch.setattr(xlsxread, "WorkbookReader", Counting)
    return seen


def test_a_second_load_reads_no_workbook(reads, tmp_path):
    path = tmp_path / "pricebook.xlsx"
    shutil.copy(BUNDLED, path)
    first = load_pricebook(path)
    assert len(reads) == 1 and first.items
    assert load_pricebook(path) == first
    assert len(reads) == 1


def test_an_edited_price_book_is_read_again(reads, tmp_path):
    path = tmp_path / "pricebook.xlsx"
    shutil.copy(BUNDLED, path)
    first = load_pricebook(path)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    headers = [str(c.value or "") for c in sheet[1]]
    price = next(i for i, h in enumerate(headers) if h.startswith("list_price")) + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == first.items[0].code)
    sheet.cell(row, price).value = 12345
    book.save(path)
    os.utime(path, ns=(1, 1))  # an old mtime: the size and ctime still tell
    again = load_pricebook(path)
    assert len(reads) == 2
    assert again.items[0].list_price == 12345 != first.items[0].list_price


def test_a_price_book_with_problems_is_never_kept(reads, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["code 编码", "name 名称", "price 价格"])
    book.save(tmp_path / "p.xlsx")
    for _ in range(2):
        problems = Problems()
        load_pricebook(tmp_path / "p.xlsx", problems)
        assert problems.errors and problems.warnings
    assert len(reads) == 2
    assert not list((tmp_path / "cache").rglob("*.pickle"))
