"""报价单 as a Word document: the quotation's lines, subtotals and totals, figures computed in Python.

The figures equal what the quotation workbook's formulas give (quote_totals
rounds as they do). Like the workbook, it has no cost and no margin.
"""

from __future__ import annotations

import datetime as dt
import io

from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt

from docgen.core.config import Settings
from docgen.core.docstyles import (
    HEADER_FILL,
    add_page_number_footer,
    new_document,
    new_table,
    set_cell_text,
    set_repeat_table_header,
    shade_cell,
)
from docgen.core.finish import DocumentInfo, finish_document
from docgen.core.text import clean_text
from docgen.proposal.bom import BomLine
from docgen.proposal.quote import LABELS, QuoteHeader, Totals, by_category, category_title, in_parens, subtotal_label

_HEADERS = {"zh": ("序号", "名称", "品牌 / 型号", "单位", "数量", "单价（元）", "金额（元）"),
            "en": ("No.", "Name", "Brand / model", "Unit", "Qty", "Unit price (CNY)", "Amount (CNY)")}
_WIDTHS = (1.2, 8.6, 4.6, 2.2, 1.5, 3.2, 3.6)  # A4 landscape, 2 cm margins: 25.7 cm; "person-day" unbroken


def money(value) -> str:
    return f"{value:,.2f}"


def percent(rate) -> str:
    return f"{(rate * 100).normalize():f}%"


def quote_docx(lines: list[BomLine], header: QuoteHeader, totals: Totals, *, settings: Settings | None = None) -> bytes:
    lang = header.language
    text = LABELS[lang]
    doc = new_document(lang, settings)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(1.8)
    add_page_number_footer(section, lang)

    doc.add_heading(clean_text(f"{header.project or header.client}{text['title']}" if lang == "zh"
                               else f"{text['title']}: {header.project or header.client}"), level=1)
    facts = [f"{text['client']}{text['colon']}{header.client}", f"{text['date']}{text['colon']}{header.date.isoformat()}",
             text["currency"], text["valid"]]
    doc.add_paragraph(clean_text("    ".join(facts)))

    table = new_table(doc, 1, len(_WIDTHS), _WIDTHS)
    for cell, title in zip(table.rows[0].cells, _HEADERS[lang]):
        set_cell_text(cell, title, bold=True, align="center")
    set_repeat_table_header(table.rows[0])
    number = 0
    subtotals = dict(totals.subtotals)
    for index, (category, group) in enumerate(by_category(lines)):
        _merged_row(table, category_title(index, category, lang), shade=True)
        for line in group:
            number += 1
            item = line.item
            name = item.label(lang) + (in_parens(text["estimated"], lang) if line.estimated else "")
            brand = " / ".join(part for part in (item.brand_in(lang), item.model) if part)
            values = (str(number), name, brand, item.unit_in(lang), str(line.quantity), money(item.list_price),
                      money(line.amount))
            cells = table.add_row().cells
            for cell, value, align in zip(cells, values, ("center", None, None, "center", "right", "right", "right")):
                set_cell_text(cell, clean_text(value), align=align, size=9.5)
        _keep_with_next(cells)  # the group's last item stays with its subtotal (never a subtotal alone on a page)
        last_subtotal = _sum_row(table, subtotal_label(category, lang), money(subtotals[category]))
    _keep_with_next(last_subtotal)  # the totals stay together, with the last group
    rows = _total_rows(totals, lang)
    for index, (label, value) in enumerate(rows):
        cells = _sum_row(table, label, value)
        if index < len(rows) - 1:
            _keep_with_next(cells)
    doc.add_paragraph()
    for note_number, note in enumerate(text["notes"], start=1):
        paragraph = doc.add_paragraph(f"{note_number}. {note}")
        paragraph.runs[0].font.size = Pt(9)
    buffer = io.BytesIO()
    doc.save(buffer)
    return finish_document(buffer.getvalue(), DocumentInfo(
        title=f"{header.project or header.client} {text['title']}", author=header.company, language=lang))


def _total_rows(totals: Totals, lang: str) -> list[tuple[str, str]]:
    text = LABELS[lang]
    return [
        (text["total"], money(totals.total)),
        (text["discount"] + in_parens(percent(totals.discount_rate), lang), "-" + money(totals.discount)),
        (text["net"], money(totals.net)),
        (text["tax"] + in_parens(percent(totals.tax_rate), lang), money(totals.tax)),
        (text["grand"], money(totals.grand_total)),
    ]


def _merged_row(table, text: str, *, shade: bool) -> None:
    cells = table.add_row().cells
    merged = cells[0].merge(cells[-1])
    set_cell_text(merged, text, bold=True)
    if shade:
        shade_cell(merged, "F2F2F2")


def _sum_row(table, label: str, value: str) -> list:
    cells = table.add_row().cells
    left = cells[0].merge(cells[-2])
    set_cell_text(left, label, bold=True, align="right")
    set_cell_text(cells[-1], value, bold=True, align="right")
    shade_cell(cells[-1], HEADER_FILL)
    return [left, cells[-1]]


def _keep_with_next(cells) -> None:
    for cell in cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True
