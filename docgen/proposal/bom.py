"""Bill of materials (配置清单): what the selected sections need, from the price book.

A section declares its items in front matter (docs/proposal-sections.md, `bom`):

    bom:
      - {code: STOR-AFA-H5000, quantity: 2}                  # a fixed quantity
      - {code: STOR-CAP-50T, figure: capacity, per: 50}      # one per 50 TB of the client's capacity
      - {code: NET-SDWAN-E200, figure: sites, per: 1, min: 2}

A rule's figure is read from the client's requirement texts (FIGURES): the
largest capacity in TB/PB, the largest number of sites, the largest number
of users. The quantity is the figure divided by `per`, rounded up, and at
least `min` (default 1). Without the figure in any requirement the quantity
is `min` and the line is marked `estimated` for the presales owner to confirm.

Several sections naming one code make one line: fixed quantities add up, and
the rules give the largest of their quantities (two sections sizing storage
from one capacity figure need it once).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from docgen.core.errors import Location, Problems
from docgen.intake.models import Requirement
from docgen.proposal.pricebook import CATEGORIES, Pricebook, PriceItem

BOM_FIELDS = ("code", "quantity", "figure", "per", "min")
MAX_QUANTITY = 100_000

_NUMBER = r"(\d[\d,]*(?:\.\d+)?)"
# figure -> (unit, pattern whose group 1 is the number, factor per unit written)
FIGURES = {
    "capacity": ("TB", re.compile(_NUMBER + r"\s*(TB|TiB|T|PB|PiB)(?![A-Za-z])", re.IGNORECASE)),
    "sites": ("sites", re.compile(_NUMBER + r"\s*(?:个|家|处)?\s*(?:sites?|branch(?:es)?|branch offices?|"
                                  r"warehouses?|stores?|depots?|offices?|网点|营业网点|分行|支行|门店|站点|仓库|"
                                  r"分支机构|分公司|场站|厂区|园区|院区)", re.IGNORECASE)),
    "users": ("users", re.compile(_NUMBER + r"\s*(?:个|名|位)?\s*(?:users?|staff|employees|drivers|"
                                  r"用户|员工|终端用户|人(?![天次日月年]))", re.IGNORECASE)),
}
_PETA = {"pb", "pib"}


@dataclass(frozen=True)
class BomItem:
    """One `bom:` entry of a section, validated against the price book."""

    section_id: str
    code: str
    quantity: int | None = None  # a fixed quantity, or None for a rule
    figure: str | None = None
    per: Decimal | None = None
    minimum: int = 1
    where: Location = field(default_factory=Location, compare=False, repr=False)


@dataclass(frozen=True)
class Figure:
    name: str
    value: Decimal
    unit: str
    requirement_id: str  # the requirement it was read from


@dataclass(frozen=True)
class BomLine:
    item: PriceItem  # item.cost is internal: client documents print only the other fields
    quantity: int
    sections: tuple[str, ...]  # ids of the sections that asked for it
    basis: tuple[str, ...]  # how the quantity came about, one note per section rule ("capacity 1500 TB (R1) ÷ 50")
    estimated: bool = False  # a rule found no figure: the quantity is its minimum, to be confirmed

    @property
    def amount(self) -> Decimal:
        return self.item.list_price * self.quantity


def section_bom(section, pricebook: Pricebook, problems: Problems) -> tuple[BomItem, ...]:
    """The validated `bom:` items of a section (docgen.proposal.sections.Section); problems name file, line, field."""
    items = []
    where = Location(file=section.path or None)
    for index, node in enumerate(section.bom):
        at = where.with_(line=node.line, field=f"bom[{index}]")
        item = _item(section.id, node, at, pricebook, problems)
        if item is not None:
            items.append(item)
    return tuple(items)


def library_bom(sections: Iterable, pricebook: Pricebook, problems: Problems) -> dict[str, tuple[BomItem, ...]]:
    """section id -> its items, for every section that declares any."""
    found = {}
    for section in sections:
        items = section_bom(section, pricebook, problems)
        if items:
            found[section.id] = items
    return found


def _item(section_id: str, node, where: Location, pricebook: Pricebook, problems: Problems) -> BomItem | None:
    if not isinstance(node.value, dict):
        problems.add(where, "expected {code: …, quantity: …} or {code: …, figure: …, per: …}")
        return None
    values = node.value
    before = len(problems.errors)
    for name in values:
        if name not in BOM_FIELDS:
            problems.add(where.with_(field=f"{where.field}.{name}"), f"unknown key; expected {', '.join(BOM_FIELDS)}")
    text = {name: values[name].value for name in BOM_FIELDS if name in values}
    code = text.get("code")
    if not isinstance(code, str) or not code:
        problems.add(where.with_(field=f"{where.field}.code"), "code is required (a code of the price book)")
    elif pricebook.get(code) is None:
        problems.add(where.with_(field=f"{where.field}.code"), f"{code} is not in the price book ({pricebook.source})")
    quantity = _whole(text.get("quantity"), "quantity", where, problems)
    minimum = _whole(text.get("min"), "min", where, problems)
    figure = text.get("figure")
    per = None
    if "quantity" in text and (figure is not None or "per" in text):
        problems.add(where, "give either quantity, or figure and per — not both")
    elif "quantity" not in text and figure is None:
        problems.add(where, "give a quantity, or a figure and per (e.g. figure: capacity, per: 50)")
    elif figure is not None:
        if not isinstance(figure, str) or figure not in FIGURES:
            problems.add(where.with_(field=f"{where.field}.figure"), f"unknown figure {figure!r}; expected one of "
                                                                      f"{', '.join(FIGURES)}")
        per = _positive(text.get("per"), where, problems)
    if len(problems.errors) > before:
        return None
    return BomItem(section_id, code, quantity=quantity, figure=figure, per=per,
                   minimum=minimum if minimum is not None else 1, where=where)


def _whole(value, name: str, where: Location, problems: Problems) -> int | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.isdigit() or not 1 <= int(value) <= MAX_QUANTITY:
        problems.add(where.with_(field=f"{where.field}.{name}"), f"expected a whole number from 1 to {MAX_QUANTITY:,}")
        return None
    return int(value)


def _positive(value, where: Location, problems: Problems) -> Decimal | None:
    at = where.with_(field=f"{where.field}.per")
    try:
        number = Decimal(value) if isinstance(value, str) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number <= 0:
        problems.add(at, "per is required with a figure: a number above 0 (e.g. per: 50 for one per 50 TB)")
        return None
    return number


def requirement_figures(requirements: Iterable[Requirement]) -> dict[str, Figure]:
    """figure name -> the largest such figure in the requirement texts (capacity in TB)."""
    found: dict[str, Figure] = {}
    for requirement in requirements:
        for name, (unit, pattern) in FIGURES.items():
            for match in pattern.finditer(requirement.text):
                value = Decimal(match.group(1).replace(",", ""))
                if name == "capacity" and match.group(2).lower() in _PETA:
                    value *= 1000
                if name not in found or value > found[name].value:
                    found[name] = Figure(name, value, unit, requirement.id)
    return found


def bom_lines(selected_section_ids: Iterable[str], sections_bom: Mapping[str, tuple[BomItem, ...]],
              requirements: Iterable[Requirement], pricebook: Pricebook) -> list[BomLine]:
    """The bill of materials of the selected sections: one line per code, in category then price book order."""
    figures = requirement_figures(requirements)
    fixed: dict[str, int] = {}
    ruled: dict[str, int] = {}
    sections: dict[str, list[str]] = {}
    basis: dict[str, list[str]] = {}
    estimated: set[str] = set()
    for section_id in dict.fromkeys(selected_section_ids):
        for item in sections_bom.get(section_id, ()):
            sections.setdefault(item.code, [])
            if section_id not in sections[item.code]:
                sections[item.code].append(section_id)
            if item.quantity is not None:
                fixed[item.code] = fixed.get(item.code, 0) + item.quantity
                basis.setdefault(item.code, []).append(f"{item.quantity} ({section_id})")
                continue
            quantity, note, missing = _rule_quantity(item, figures.get(item.figure))
            ruled[item.code] = max(ruled.get(item.code, 0), quantity)
            basis.setdefault(item.code, []).append(f"{note} ({section_id})")
            if missing:
                estimated.add(item.code)
    order = {key: index for index, key in enumerate(CATEGORIES)}
    position = {code: index for index, code in enumerate(pricebook.codes)}
    lines = []
    for code in sorted(sections, key=lambda c: (order.get(pricebook.get(c).category, len(order)), position[c])):
        lines.append(BomLine(item=pricebook.get(code), quantity=fixed.get(code, 0) + ruled.get(code, 0),
                             sections=tuple(sections[code]), basis=tuple(basis[code]),
                             estimated=code in estimated))
    return lines


def _rule_quantity(item: BomItem, figure: Figure | None) -> tuple[int, str, bool]:
    """(quantity, how it was computed, figure missing)."""
    if figure is None:
        return item.minimum, f"no {item.figure} figure in the requirements: min {item.minimum}", True
    quantity = max(item.minimum, math.ceil(figure.value / item.per))
    return quantity, f"{item.figure} {figure.value.normalize():f} {figure.unit} ({figure.requirement_id}) ÷ " \
                     f"{item.per.normalize():f} → {quantity}", False
