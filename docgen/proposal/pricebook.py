"""The price book (产品与服务价目表): what a bill of materials and a quotation are made of.

`company/pricebook.xlsx` in the templates folder (docs/company.md): one sheet,
a header row with the column keys (`code 编码`, `list_price 单价` …), one row
per product or service. `cost` is internal: it reaches the internal margin
sheet of a quotation and nothing a client sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from docgen.core.errors import InputError, Location, Problems

SHEET = "Pricebook"
# Column key -> (Chinese label, required). Headers read "code 编码": the English key first.
COLUMNS = {
    "code": ("编码", True),
    "name": ("名称", True),
    "name_en": ("英文名称", False),
    "brand": ("品牌", False),
    "brand_en": ("英文品牌", False),
    "model": ("型号", False),
    "unit": ("单位", True),
    "unit_en": ("英文单位", False),
    "list_price": ("单价（元）", True),
    "cost": ("成本（元，内部）", True),
    "category": ("类别", True),
    "tags": ("标签（逗号分隔）", False),
}
# Quotation order of the categories, with their names in a quotation (zh, en).
CATEGORIES = {
    "storage": ("存储设备", "Storage"),
    "backup": ("备份与容灾", "Backup and disaster recovery"),
    "compute": ("服务器与计算", "Servers and compute"),
    "network": ("网络设备", "Network"),
    "security": ("安全设备", "Security"),
    "software": ("软件许可", "Software licences"),
    "service": ("实施服务", "Implementation services"),
    "training": ("培训", "Training"),
    "warranty": ("维保服务", "Warranty and support"),
}
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9.-]*$")
_TAG_SPLIT = re.compile(r"[,,、;;]")
MAX_PRICE = Decimal("1000000000")


@dataclass(frozen=True)
class PriceItem:
    code: str
    name: str
    unit: str
    list_price: Decimal
    cost: Decimal  # internal: never in a client's document
    category: str
    brand: str = ""
    model: str = ""
    name_en: str = ""
    brand_en: str = ""
    unit_en: str = ""
    tags: tuple[str, ...] = ()
    where: Location = field(default_factory=Location, compare=False, repr=False)

    def label(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name

    def brand_in(self, lang: str) -> str:
        return self.brand_en if lang == "en" and self.brand_en else self.brand

    def unit_in(self, lang: str) -> str:
        return self.unit_en if lang == "en" and self.unit_en else self.unit


@dataclass(frozen=True)
class Pricebook:
    items: tuple[PriceItem, ...]  # in the order of the sheet
    source: str = ""

    def get(self, code: str) -> PriceItem | None:
        return next((item for item in self.items if item.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)


def load_pricebook(path: str | Path, problems: Problems | None = None) -> Pricebook:
    """The price book at `path`; every problem names sheet, row, column and field.

    With `problems` given, problems are added there (the caller raises);
    otherwise InputError lists them all.
    """
    from docgen.core.usercache import file_key, load_pickled, store_pickled

    own = problems is None
    problems = Problems() if own else problems
    file = str(path)
    # A price book read without a single problem is kept in the user cache: openpyxl (0.15 s to
    # import) and reading the sheet twice (formulas and values) cost every detailed build 0.2 s.
    try:
        # this module's code and the reader's (not imported: that is the time saved)
        core = Path(__file__).parents[1] / "core"
        key = file_key(Path(path), Path(__file__), core / "xlsxread.py", core / "xlsxguard.py")
    except OSError:
        key = None
    cached = load_pickled("pricebook", key) if key else None
    if isinstance(cached, Pricebook) and cached.source == file:
        return cached
    from docgen.core.xlsxread import WorkbookReader

    before = len(problems.errors) + len(problems.warnings)
    try:
        book = WorkbookReader(Path(path), file)
    except InputError as exc:
        for problem in exc.problems:
            problems.add(problem.where, problem.message)
        if own:
            problems.raise_if_any()
        return Pricebook((), file)
    sheet = book.sheet(SHEET.lower()) or (book.sheet(book.sheet_names[0]) if book.sheet_names else None)
    items = _read_items(sheet, problems) if sheet is not None else []
    for problem in book.problems:
        problems.add(problem.where, problem.message)
    if sheet is not None and not items and not problems.errors:
        problems.add(Location(file=file, sheet=sheet.title), "the price book has no items")
    if own:
        problems.raise_if_any()
    pricebook = Pricebook(tuple(items), file)
    if key and len(problems.errors) + len(problems.warnings) == before:
        store_pickled("pricebook", key, pricebook)
    return pricebook


def _read_items(sheet, problems: Problems) -> list[PriceItem]:
    from docgen.core.xlsxread import header_key, is_example

    columns: dict[str, int] = {}
    for col in range(1, sheet.max_column + 1):
        text, where = sheet.text(1, col)
        key = header_key(text)
        if not text:
            continue
        if key not in COLUMNS:
            problems.warn(where, f"unknown column {text!r} is ignored; known columns: {', '.join(COLUMNS)}")
        elif key in columns:
            problems.add(where, f"column {key} appears twice")
        else:
            columns[key] = col
    missing = [key for key, (_, required) in COLUMNS.items() if required and key not in columns]
    if missing:
        problems.add(sheet.where(1, 1).with_(column=None),
                     f"missing column(s) {', '.join(missing)}; the header row names each column like 'code 编码'")
        return []
    items: list[PriceItem] = []
    first_row: dict[str, int] = {}
    for row in range(2, sheet.max_row + 1):
        values = {key: sheet.text(row, col, key) for key, col in columns.items()}
        if all(text is None for text, _ in values.values()) or is_example(values["code"][0]):
            continue
        item = _item(values, problems)
        if item is None:
            continue
        if item.code in first_row:
            problems.add(item.where, f"code {item.code} is also used in row {first_row[item.code]}")
            continue
        first_row[item.code] = row
        items.append(item)
    return items


def _item(values: dict, problems: Problems) -> PriceItem | None:
    before = len(problems.errors)
    text = {key: (value or "") for key, (value, _) in values.items()}
    where = {key: loc for key, (_, loc) in values.items()}
    for key in values:
        if COLUMNS[key][1] and key not in ("list_price", "cost") and not text[key]:
            problems.add(where[key], f"{key} is required")
    code = text["code"]
    if code and not _CODE.match(code):
        problems.add(where["code"],
                     f"{code!r}: a code is upper-case letters, digits, '.' and '-' (e.g. STOR-AFA-H5000)")
    category = text["category"].split()[0].lower() if text["category"] else ""
    if category and category not in CATEGORIES:
        problems.add(where["category"],
                     f"unknown category {text['category']!r}; expected one of {', '.join(CATEGORIES)}")
    prices = {key: _money(text[key], where[key], problems) for key in ("list_price", "cost")}
    if len(problems.errors) > before:
        return None
    if prices["cost"] > prices["list_price"]:
        problems.warn(where["cost"], f"cost {prices['cost']} is above the list price {prices['list_price']}")
    tags = tuple(t.strip() for t in _TAG_SPLIT.split(text.get("tags", "")) if t.strip())
    return PriceItem(code=code, name=text["name"], unit=text["unit"], list_price=prices["list_price"],
                     cost=prices["cost"], category=category, brand=text.get("brand", ""),
                     model=text.get("model", ""), name_en=text.get("name_en", ""),
                     brand_en=text.get("brand_en", ""), unit_en=text.get("unit_en", ""), tags=tags,
                     where=where["code"])


def _money(text: str, where: Location, problems: Problems) -> Decimal:
    if not text:
        problems.add(where, f"{where.field} is required (a price in yuan, e.g. 12800)")
        return Decimal(0)
    try:
        value = Decimal(text.replace(",", "").replace("¥", "").replace("￥", "").strip())
    except InvalidOperation:
        problems.add(where, f"{text!r} is not a number; expected a price in yuan, e.g. 12800")
        return Decimal(0)
    if not value.is_finite() or value < 0 or value > MAX_PRICE:
        problems.add(where, f"{text!r}: expected a price from 0 to {MAX_PRICE:,} yuan")
        return Decimal(0)
    if value != value.quantize(Decimal("0.01")):
        problems.add(where, f"{text!r}: a price has at most two decimals (fen)")
        return Decimal(0)
    return value
