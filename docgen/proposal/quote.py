"""报价单: the quotation workbook for a client, and the internal cost and margin sheet.

`docgen proposal quote REQUIREMENTS_FILE -o QUOTE.xlsx` prices the bill of
materials (docgen.proposal.bom) of the sections the detailed draft selects:

- QUOTE.xlsx, for the client: one block per price-book category with its
  subtotal, then total, discount, net, tax and the total including tax — all
  live Excel formulas, the discount and tax rates in their own cells so sales
  can change them; A4 landscape, header row repeated on every printed page.
- QUOTE-internal.xlsx, for us only: cost, gross margin and margin rate per
  line and in total. Cost and margin never reach the client's files.
- QUOTE.docx with --docx: the same figures as a Word table (quote_docx).

The figures Excel shows are the ones quote_totals computes (both round the
discount and the tax to the fen), so the Word table and tests can check them.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from docgen import __version__
from docgen.core.config import Settings
from docgen.core.docprops import file_digest, stamp
from docgen.core.errors import InputError, Problems
from docgen.core.output import check_writable, write_atomic
from docgen.core.text import clean_text
from docgen.proposal.bom import BomLine, bom_lines, library_bom
from docgen.proposal.pricebook import CATEGORIES

VALID_DAYS = 30
DEFAULT_TAX = Decimal("0.13")
CENT = Decimal("0.01")
# Client sheet columns: key -> (zh header, en header, width). Headers read "quantity 数量" (key first) in Chinese.
COLUMNS = {
    "no": ("序号", "No.", 9),
    "code": ("编码", "Code", 17),
    "name": ("名称", "Name", 42),
    "brand": ("品牌", "Brand", 12),
    "model": ("型号", "Model", 16),
    "unit": ("单位", "Unit", 9),
    "quantity": ("数量", "Quantity", 12),
    "unit_price": ("单价（元）", "Unit price (CNY)", 19),
    "amount": ("金额（元）", "Amount (CNY)", 19),
    "notes": ("备注", "Notes", 14),
}
LABELS = {
    "zh": {"title": "报价单", "client": "客户", "project": "项目", "date": "报价日期", "colon": "：", "paren": "（）",
           "valid": f"报价有效期：{VALID_DAYS} 天",
           "currency": "币种：人民币（元）", "subtotal": "小计", "total": "合计", "discount": "折扣", "net": "折后金额",
           "tax": "税额", "grand": "含税总价", "estimated": "数量待确认", "rate": "比例",
           "notes": ("配置与数量以最终技术方案为准；标注“数量待确认”的数量按需求估算。",
                     "价格含税率如上所示的增值税。")},
    "en": {"title": "Quotation", "client": "Client", "project": "Project", "date": "Date", "colon": ": ", "paren": "()",
           "valid": f"Valid for {VALID_DAYS} days", "currency": "Currency: CNY", "subtotal": "Subtotal",
           "total": "Total", "discount": "Discount", "net": "Net amount", "tax": "Tax", "grand": "Total including tax",
           "estimated": "quantity to confirm", "rate": "Rate",
           "notes": ("Configuration and quantities follow the final technical proposal; quantities marked "
                     "'quantity to confirm' are estimates.", "Prices include VAT at the rate shown.")},
}
def in_parens(text: str, lang: str) -> str:
    """ (text) in English, （text） with full-width parentheses and no space in Chinese."""
    opening, closing = LABELS[lang]["paren"]
    return f"{opening}{text}{closing}" if lang == "zh" else f" {opening}{text}{closing}"


def subtotal_label(category: str, lang: str) -> str:
    return LABELS[lang]["subtotal"] + in_parens(CATEGORIES[category][0 if lang == "zh" else 1], lang)


_MONEY = '#,##0.00'
_HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
_GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="7F7F7F")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass(frozen=True)
class Totals:
    subtotals: tuple[tuple[str, Decimal], ...]  # (category, subtotal) in quotation order
    total: Decimal
    discount_rate: Decimal
    discount: Decimal  # positive: the amount taken off
    net: Decimal
    tax_rate: Decimal
    tax: Decimal
    grand_total: Decimal


def parse_rate(text: str, option: str) -> Decimal:
    """'8%', '8' or '8.5 %' -> Decimal('0.08'…); InputError naming the option otherwise."""
    cleaned = str(text).strip().rstrip("%").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not 0 <= value < 100:
        raise InputError(f"{option} {text!r}: expected a percentage from 0 to below 100, e.g. 8%")
    return value / 100


def _fen(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def quote_totals(lines: list[BomLine], discount_rate: Decimal, tax_rate: Decimal) -> Totals:
    """The figures of the quotation, rounded as the workbook's formulas round them."""
    subtotals: dict[str, Decimal] = {}
    for line in lines:
        subtotals[line.item.category] = subtotals.get(line.item.category, Decimal(0)) + line.amount
    total = sum(subtotals.values(), Decimal(0))
    discount = _fen(total * discount_rate)
    net = total - discount
    tax = _fen(net * tax_rate)
    return Totals(tuple(subtotals.items()), total, discount_rate, discount, net, tax_rate, tax, net + tax)


def by_category(lines: list[BomLine]) -> list[tuple[str, list[BomLine]]]:
    groups: dict[str, list[BomLine]] = {}
    for line in lines:
        groups.setdefault(line.item.category, []).append(line)
    return list(groups.items())


def category_title(index: int, category: str, lang: str) -> str:
    zh, en = CATEGORIES[category]
    numerals = "一二三四五六七八九十"
    return f"{numerals[index] if index < len(numerals) else index + 1}、{zh}" if lang == "zh" else f"{index + 1}. {en}"


@dataclass(frozen=True)
class QuoteHeader:
    client: str
    project: str
    language: str
    company: str
    date: dt.date


# --- the client's workbook ---------------------------------------------------------------------------

def client_workbook(lines: list[BomLine], header: QuoteHeader, totals: Totals) -> Workbook:
    """The quotation sheet: grouped lines, subtotals and totals as formulas; no cost anywhere."""
    lang = header.language
    text = LABELS[lang]
    book = Workbook()
    sheet = book.active
    sheet.title = "报价单" if lang == "zh" else "Quotation"
    book.properties.creator = header.company
    book.properties.title = f"{header.project or header.client} {text['title']}"
    keys = list(COLUMNS)
    col = {key: index + 1 for index, key in enumerate(keys)}
    letter = {key: get_column_letter(index) for key, index in col.items()}
    last = letter[keys[-1]]
    sheet.append([clean_text(f"{header.project or header.client} — {text['title']}" if lang == "en"
                             else f"{header.project or header.client}{text['title']}")])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=15)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([f"{text['client']}{text['colon']}{clean_text(header.client)}"] + [None] * 5
                 + [f"{text['date']}{text['colon']}{header.date.isoformat()}"])
    sheet.append([text["currency"]] + [None] * 5 + [text["valid"]])
    sheet.append([])
    sheet.append([f"{key} {COLUMNS[key][0]}" if lang == "zh" else COLUMNS[key][1] for key in keys])
    head_row = sheet.max_row
    for cell in sheet[head_row]:
        cell.font, cell.fill, cell.border = Font(bold=True), _HEAD_FILL, _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    number = 0
    subtotal_cells = []
    for index, (category, group) in enumerate(by_category(lines)):
        sheet.append([category_title(index, category, lang)])
        row = sheet.max_row
        sheet.merge_cells(f"A{row}:{last}{row}")
        sheet.cell(row=row, column=1).font = Font(bold=True)
        sheet.cell(row=row, column=1).fill = _GROUP_FILL
        first = row + 1
        for line in group:
            number += 1
            item = line.item
            sheet.append([number, item.code, clean_text(item.label(lang)), clean_text(item.brand_in(lang)),
                          clean_text(item.model), clean_text(item.unit_in(lang)), line.quantity, item.list_price, None,
                          text["estimated"] if line.estimated else None])
            row = sheet.max_row
            sheet.cell(row=row, column=col["amount"]).value = f"={letter['quantity']}{row}*{letter['unit_price']}{row}"
            sheet.cell(row=row, column=col["unit_price"]).number_format = _MONEY
            sheet.cell(row=row, column=col["name"]).alignment = Alignment(wrap_text=True, vertical="top")
        row = sheet.max_row
        sheet.append([None, None, subtotal_label(category, lang)])
        sub = sheet.max_row
        sheet.cell(row=sub, column=col["amount"]).value = f"=SUM({letter['amount']}{first}:{letter['amount']}{row})"
        for cell in sheet[sub]:
            cell.font = Font(bold=True)
        subtotal_cells.append(f"{letter['amount']}{sub}")
    amount, rate = letter["amount"], letter["unit_price"]
    total_row = sheet.max_row + 1
    rows = [
        (text["total"], None, "=" + "+".join(subtotal_cells) if subtotal_cells else "=0"),
        (text["discount"], totals.discount_rate, f"=-ROUND({amount}{total_row}*{rate}{total_row + 1},2)"),
        (text["net"], None, f"={amount}{total_row}+{amount}{total_row + 1}"),
        (text["tax"], totals.tax_rate, f"=ROUND({amount}{total_row + 2}*{rate}{total_row + 3},2)"),
        (text["grand"], None, f"={amount}{total_row + 2}+{amount}{total_row + 3}"),
    ]
    for label, value, formula in rows:
        sheet.append([None, None, label])
        row = sheet.max_row
        if value is not None:
            sheet.cell(row=row, column=col["unit"], value=text["rate"])
            sheet.cell(row=row, column=col["unit_price"], value=value).number_format = "0.00%"
        sheet.cell(row=row, column=col["amount"], value=formula)
        for cell in sheet[row]:
            cell.font = Font(bold=True)
    _grid(sheet, head_row, sheet.max_row, len(keys))
    for row in sheet.iter_rows(min_row=head_row + 1, min_col=col["amount"], max_col=col["amount"]):
        row[0].number_format = _MONEY
    sheet.append([])
    for note_number, note in enumerate(text["notes"], start=1):
        sheet.append([f"{note_number}. {note}"])
        sheet.merge_cells(f"A{sheet.max_row}:{last}{sheet.max_row}")
    for key, index in col.items():
        sheet.column_dimensions[letter[key]].width = COLUMNS[key][2]
    _print_setup(sheet, head_row, lang)
    return book


def _grid(sheet, first: int, last: int, columns: int) -> None:
    for row in sheet.iter_rows(min_row=first, max_row=last, max_col=columns):
        for cell in row:
            cell.border = _BOX


def _print_setup(sheet, head_row: int, lang: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.7
    sheet.print_title_rows = f"{head_row}:{head_row}"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页" if lang == "zh" else "Page &P of &N"
    sheet.freeze_panes = f"A{head_row + 1}"


# --- the internal workbook ---------------------------------------------------------------------------

INTERNAL_COLUMNS = ("no", "code", "name", "quantity", "unit_price", "amount", "unit_cost", "cost_amount", "margin",
                    "margin_rate", "sections", "basis")
_INTERNAL_HEADERS = {"no": "序号", "code": "编码", "name": "名称", "quantity": "数量", "unit_price": "单价（元）",
                     "amount": "金额（元）", "unit_cost": "成本单价（元）", "cost_amount": "成本金额（元）",
                     "margin": "毛利（元）",
                     "margin_rate": "毛利率", "sections": "来源章节", "basis": "数量依据"}


def internal_workbook(lines: list[BomLine], header: QuoteHeader, totals: Totals) -> Workbook:
    """Cost, margin and how each quantity came about: for our side only."""
    book = Workbook()
    sheet = book.active
    sheet.title = "成本与毛利 internal"
    book.properties.creator = header.company
    sheet.append(["内部资料 · 严禁外发 / INTERNAL · DO NOT SEND TO THE CLIENT"])
    sheet["A1"].font = Font(bold=True, size=13, color="C00000")
    sheet.append([f"{header.project or header.client} — {header.date.isoformat()}"])
    sheet.append([f"{key} {_INTERNAL_HEADERS[key]}" for key in INTERNAL_COLUMNS])
    head = sheet.max_row
    for cell in sheet[head]:
        cell.font, cell.fill = Font(bold=True), _HEAD_FILL
    L = {key: get_column_letter(i + 1) for i, key in enumerate(INTERNAL_COLUMNS)}
    for number, line in enumerate(lines, start=1):
        r = head + number
        sheet.append([number, line.item.code, clean_text(line.item.name), line.quantity, line.item.list_price,
                      f"={L['quantity']}{r}*{L['unit_price']}{r}", line.item.cost,
                      f"={L['quantity']}{r}*{L['unit_cost']}{r}", f"={L['amount']}{r}-{L['cost_amount']}{r}",
                      f"=IF({L['amount']}{r}=0,0,{L['margin']}{r}/{L['amount']}{r})",
                      ", ".join(line.sections), "; ".join(line.basis)])
    end = head + len(lines)
    span = lambda key: f"{L[key]}{head + 1}:{L[key]}{max(end, head + 1)}"  # noqa: E731
    for row in sheet.iter_rows(min_row=head + 1):
        for key in ("unit_price", "amount", "unit_cost", "cost_amount", "margin"):
            row[INTERNAL_COLUMNS.index(key)].number_format = _MONEY
        row[INTERNAL_COLUMNS.index("margin_rate")].number_format = "0.0%"
    # The summary: labels under `name`, figures under `amount`.
    t, v = end + 2, L["amount"]
    summary = [
        ("合计 total (list)", f"=SUM({span('amount')})", _MONEY),
        ("折扣率 discount rate", totals.discount_rate, "0.00%"),
        ("折后收入 net revenue (excl. tax)", f"={v}{t}-ROUND({v}{t}*{v}{t + 1},2)", _MONEY),
        ("成本合计 total cost", f"=SUM({span('cost_amount')})", _MONEY),
        ("毛利 gross margin", f"={v}{t + 2}-{v}{t + 3}", _MONEY),
        ("毛利率 margin rate", f"=IF({v}{t + 2}=0,0,{v}{t + 4}/{v}{t + 2})", "0.0%"),
    ]
    for row, (label, value, fmt) in enumerate(summary, start=t):
        sheet.cell(row=row, column=3, value=label).font = Font(bold=True)
        sheet.cell(row=row, column=INTERNAL_COLUMNS.index("amount") + 1, value=value).number_format = fmt
    for key, width in zip(INTERNAL_COLUMNS, (6, 17, 40, 9, 14, 15, 14, 15, 14, 9, 24, 48)):
        sheet.column_dimensions[L[key]].width = width
    sheet.freeze_panes = f"A{head + 1}"
    return book


# --- end to end --------------------------------------------------------------------------------------

def internal_path(out: str | Path) -> Path:
    out = Path(out)
    return out.with_name(f"{out.stem}-internal{out.suffix or '.xlsx'}")


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def build_quote(requirements_path: str | Path, out: str | Path, *, settings: Settings | None = None,
                discount: Decimal = Decimal(0), tax: Decimal = DEFAULT_TAX, docx: bool = False,
                force: bool = False, today: dt.date | None = None) -> list[Path]:
    """Write the quotation (and its internal sheet, and with docx the Word 报价单); returns the paths."""
    from docgen.intake.requirements import load_requirements
    from docgen.proposal.company import company_paths
    from docgen.proposal.pricebook import load_pricebook
    from docgen.proposal.sections import library_folders, load_sections
    from docgen.proposal.select import select, selected_section_ids

    settings = settings or Settings()
    out = Path(out)
    targets = [out, internal_path(out)] + ([out.with_suffix(".docx")] if docx else [])
    for target in targets:
        check_writable(target, force)
    req = load_requirements(requirements_path)
    library = load_sections(*library_folders(settings))
    pricebook = load_pricebook(company_paths(settings)["pricebook"][0])
    ids = selected_section_ids(select(req, library, [], "detailed"))
    problems = Problems()
    boms = library_bom([s for s in library if s.id in ids], pricebook, problems)
    problems.raise_if_any()
    lines = bom_lines(ids, boms, req.requirements, pricebook)
    if not lines:
        raise InputError(f"none of the sections selected for {req.client.name} ({', '.join(ids) or 'none'}) lists "
                         "items under bom:, so there is nothing to price; see docs/proposal-sections.md")
    client = req.client
    header = QuoteHeader(client=client.name, project=client.project_name, language=client.language,
                         company=settings.company(client.language), date=today or dt.date.today())
    totals = quote_totals(lines, discount, tax)
    props = _properties(req, ids)
    written = [write_atomic(out, stamp(_save(client_workbook(lines, header, totals)), {**props, "kind": "quote"}),
                            force=force),
               write_atomic(targets[1], stamp(_save(internal_workbook(lines, header, totals)),
                                              {**props, "kind": "quote-internal"}), force=force)]
    if docx:
        from docgen.proposal.quote_docx import quote_docx

        data = quote_docx(lines, header, totals, settings=settings)
        written.append(write_atomic(targets[2], stamp(data, {**props, "kind": "quote"}), force=force))
    return written


def _properties(req, section_ids: list[str]) -> Mapping[str, str]:
    source = Path(req.source).resolve() if req.source else None
    return {"stage": "detailed", "client": req.client.name, "language": req.client.language,
            "requirements": str(source or ""),
            "requirements_digest": file_digest(source) if source and source.is_file() else "",
            "sections": ",".join(sorted(section_ids)), "generator": f"docgen {__version__}"}
