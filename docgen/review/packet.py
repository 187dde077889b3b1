"""The review packet's template context: the one place that knows its variable names.

blank_context() gives an empty packet for printing; filled_context() one
employee's packet from a validated score row. Both return a PacketContext.
A comment too long for its fixed-height box first gets a smaller font (down
to FONT_FLOOR); when even that does not fit, the box shows the start and
points to the 附页 / Continuation page after page 14, which prints the full
text. `overflows` lists what went there, for summary.xlsx's warnings.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from docgen.core.config import Settings
from docgen.review.build_templates import COMMENT_BOX, CONTINUATION_PT, PORTRAIT_WIDTH, REASON_BOX
from docgen.review.labels import zh_punct
from docgen.review.roles import LEVEL_NAMES, LEVELS, Indicator, Role
from docgen.review.scoresheet import EmployeeScores
from docgen.review.scoring import dec, format_points, level_points, round2, rule_gaps

TEMPLATE_VARIABLES = frozenset({
    "company",            # company name in the packet's language (docgen.toml)
    "form_title",         # role title, e.g. 售前工程师绩效考核表
    "period",             # review period for the cover
    "header_period",      # the period cut to fit the running header
    "compact",            # True when long employee details need the room of optional blocks (pages 1, 3)
    "employee",           # {employee_id, name, department, position, manager, period}
    "kpis",               # [{code, name, weight, unit, definition, source, rule, method, target, actual, rate, self_score, score, rule_note}]
    "kpi_weight",         # 80
    "behaviors",          # [{code, name, definition, weight, levels: [{level, label, descriptor, self_box, box}] (5…1), points}]
    "summary",            # {kpi_self, kpi, behavior_self, behavior, adjustment, self_total, total, total_or_blank, grade}
    "grades",             # [{grade, box}] — ☑ on the employee's grade
    "grade_bands",        # [{grade, range, meaning}]
    "manager_comment",    # {text, note, size} fitted to its box on page 10 (size: the font, "10", "9" or "8")
    "adjustment_reason",  # {text, note, size} fitted to its box on page 11
    "continuation",       # [{title, text}] full texts printed on the 附页 after page 14; [] = no such page
    "page_total",         # "14", or more with a continuation
})

EMPTY, TICKED = "☐", "☑"
WRITE_HERE = "____________"
GRADE_MEANING = {
    "zh": {g: zh_punct(m) for g, m in {
        "S": "卓越:远超目标,贡献突出", "A": "优秀:全面超出目标", "B": "良好:达成目标", "C": "合格:基本达成目标,需改进",
        "D": "待改进:未达成目标,须制定改进计划"}.items()},
    "en": {"S": "Outstanding: far above goals", "A": "Excellent: above goals throughout", "B": "Good: goals met",
           "C": "Meets: goals mostly met, some improvement needed", "D": "Below: goals missed; improvement plan required"},
}
METHOD = {"zh": ("规则计算", "上级评定"), "en": ("by rule", "by manager")}
OVERFLOW_NOTE = {
    "zh": zh_punct("(此栏只印开头;全文共 {n} 字,见第 {page} 页附页)"),
    "en": "(Only the start fits here; the full text, {n} characters, is on page {page}, Continuation.)",
}
# Where each field that can overflow is printed, for the continuation page's headings.
CONTINUED_FIELDS = {
    "manager_comment": ("一、直接上级综合评价(第 10 页)", "1. Line manager's assessment (page 10)"),
    "adjustment_reason": ("加减分事由(第 11 页)", "Reason for the adjustment (page 11)"),
    "employee.employee_id": ("工号(封面、第 3 页)", "Employee ID (cover, page 3)"),
    "employee.name": ("姓名(封面、第 3 页)", "Name (cover, page 3)"),
    "employee.department": ("部门(封面、第 3 页)", "Department (cover, page 3)"),
    "employee.position": ("职位(封面、第 3 页)", "Position (cover, page 3)"),
    "employee.manager": ("直接上级(封面、第 3 页)", "Line manager (cover, page 3)"),
    "employee.period": ("考核周期(封面、第 3 页)", "Review period (cover, page 3)"),
}
RULE_NOTE = {"zh": "按规则为 {}", "en": "rule gives {}"}
RULE_MARK = "※"
PAGES = 14
FONT_FLOOR = 8.0  # pt: a box's font shrinks this far before its text moves to the continuation page
CONTINUATION_LINES = 46  # text lines of a continuation page (exact line spacing, headings counted as 3)
_CM_PER_PT = 2.54 / 72
COMPACT_UNITS = 30  # an employee detail wider than this (half-ems) makes the packet compact
FIELD_UNITS = 120  # cover and page 3 hold this much per detail; longer is cut (the full text on the continuation page)
HEADER_UNITS = 40


@dataclass(frozen=True)
class Overflow:
    field: str
    text: str  # the full text, which the box could not hold


@dataclass(frozen=True)
class PacketContext:
    context: dict
    overflows: tuple[Overflow, ...] = ()


# --- fitting text into a fixed box ------------------------------------------------------

def _char_units(ch: str) -> float:
    """Width in half-ems: CJK is a full em; Latin capitals and m/w run wide."""
    if ch.isascii():
        return 1.4 if ch.isupper() or ch in "mwMW@%&" else 1.0
    return 2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.3


def box_capacity(width_cm: float, height_cm: float, font_pt: float) -> tuple[float, int]:
    """(half-em units per line, text lines) for a box; one line is kept for the note."""
    per_line = width_cm / (font_pt * _CM_PER_PT / 2) * 0.88  # word wrap wastes some of each line
    lines = int((height_cm - 0.25) // (font_pt * 1.4 * _CM_PER_PT)) - 1
    return per_line, lines


def _lines_needed(text: str, per_line: float) -> int:
    lines = 0
    for paragraph in text.split("\n"):
        lines += max(1, math.ceil(sum(_char_units(c) for c in paragraph) / per_line))
    return lines


def fit_box(text: str, width_cm: float, height_cm: float, font_pt: float, ellipsis: str = "……") -> tuple[str, bool]:
    """The part of `text` that fits the box (ending in `ellipsis` when cut), and whether it was cut."""
    per_line, lines = box_capacity(width_cm, height_cm, font_pt)
    if _lines_needed(text, per_line) <= lines:
        return text, False
    reserve = sum(_char_units(c) for c in ellipsis)
    used_lines, used = 1, 0.0
    for i, ch in enumerate(text):
        if ch == "\n":
            used_lines, used = used_lines + 1, 0.0
        else:
            width = _char_units(ch)
            if used + width > per_line:
                used_lines, used = used_lines + 1, 0.0
            used += width
        if used_lines > lines or (used_lines == lines and used + reserve > per_line):
            return text[:i].rstrip() + ellipsis, True
    return text, True


def size_key(font_pt: float) -> str:
    """How the template names a font size variant of a box: 10.0 -> "10"."""
    return f"{font_pt:g}"


def _boxed(text: str, box: dict, lang: str, field: str, overflows: list[Overflow]) -> dict[str, str]:
    """The box's text at the largest font that holds it; else its start at the floor and a note."""
    for font_pt in box["sizes"]:
        shown, cut = fit_box(text, box["width_cm"], box["height_cm"], font_pt, "……" if lang == "zh" else "…")
        if not cut:
            return {"text": text, "note": "", "size": size_key(font_pt)}
    overflows.append(Overflow(field, text))
    return {"text": shown, "note": OVERFLOW_NOTE[lang].format(n=len(text), page=PAGES + 1), "size": size_key(font_pt)}


def _continuation(overflows, lang: str) -> list[dict[str, str]]:
    """The continuation page's entries: where each text starts, and all of it."""
    entries = []
    for o in overflows:
        zh, en = CONTINUED_FIELDS[o.field]
        entries.append({"title": zh_punct(zh) if lang == "zh" else en, "text": o.text})
    return entries


def packet_pages(overflows) -> int:
    """Pages of a filled packet: 14, plus the continuation pages its overflows need."""
    if not overflows:
        return PAGES
    per_line, _ = box_capacity(PORTRAIT_WIDTH, 1.0, CONTINUATION_PT)
    lines = sum(3 + _lines_needed(o.text, per_line) for o in overflows) + 3  # a heading takes ~3 lines
    return PAGES + math.ceil(lines / CONTINUATION_LINES)


# --- pieces of the context -----------------------------------------------------------------

def _grade_bands(role: Role, lang: str) -> list[dict[str, str]]:
    bands = []
    upper = None
    for grade, bound in role.grades:
        low = format_points(bound)
        text = f"≥ {low}" if upper is None else f"{low} – {format_points(round2(dec(upper) - Decimal('0.01')))}"
        bands.append({"grade": grade, "range": text, "meaning": GRADE_MEANING[lang][grade]})
        upper = bound
    bands.append({"grade": "D", "range": f"< {format_points(upper)}", "meaning": GRADE_MEANING[lang]["D"]})
    return bands


def _grade_boxes(role: Role, chosen: str | None) -> list[dict[str, str]]:
    grades = [g for g, _ in role.grades] + ["D"]
    return [{"grade": g, "box": TICKED if g == chosen else EMPTY} for g in grades]


def _kpi_row(k: Indicator, lang: str) -> dict[str, str]:
    return {
        "code": k.code, "name": k.text("name", lang), "weight": format_points(k.weight), "unit": k.text("unit", lang),
        "definition": k.text("definition", lang), "source": k.text("source", lang), "rule": k.text("rule", lang),
        "method": METHOD[lang][0] if k.machine else METHOD[lang][1],
        "target": "", "actual": "", "rate": "", "self_score": "", "score": "", "rule_note": "",
    }


def _behavior_row(b: Indicator, lang: str, self_level: int | None = None, level: int | None = None) -> dict:
    descriptors = b.text("levels", lang)
    return {
        "code": b.code, "name": b.text("name", lang), "definition": b.text("definition", lang),
        "weight": format_points(b.weight),
        "levels": [
            {"level": lv, "label": LEVEL_NAMES[lang][lv], "descriptor": d,
             "self_box": TICKED if lv == self_level else EMPTY, "box": TICKED if lv == level else EMPTY}
            for lv, d in zip(LEVELS, descriptors)
        ],
        "points": format_points(level_points(level, b.weight)) if level else "",
    }


def _width(text: str) -> float:
    return sum(_char_units(c) for c in text)


def _cut(text: str, units: float, ellipsis: str = "…") -> str:
    """`text` cut to `units` half-ems (ending in `ellipsis` when cut)."""
    if _width(text) <= units:
        return text
    used, kept = _width(ellipsis), []
    for ch in text:
        used += _char_units(ch)
        if used > units:
            break
        kept.append(ch)
    return "".join(kept).rstrip() + ellipsis


def _base(role: Role, lang: str, settings: Settings | None, period: str) -> dict:
    settings = settings or Settings()
    return {
        "company": settings.company(lang), "form_title": role.text("title", lang), "period": period,
        "header_period": _cut(period.replace("\n", " "), HEADER_UNITS), "compact": False,
        "kpi_weight": "80", "grade_bands": _grade_bands(role, lang), "continuation": [], "page_total": str(PAGES),
    }


def _employee(person: EmployeeScores, overflows: list[Overflow]) -> tuple[dict[str, str], bool]:
    """Employee details for the cover and page 3; over-long ones are cut and recorded."""
    details = {}
    for key in ("employee_id", "name", "department", "position", "manager", "period"):
        full = getattr(person, key).replace("\n", " ")
        details[key] = _cut(full, FIELD_UNITS)
        if details[key] != full:
            overflows.append(Overflow(f"employee.{key}", full))
    return details, any(_width(v) > COMPACT_UNITS for v in details.values())


def blank_context(role: Role, lang: str = "zh", settings: Settings | None = None) -> PacketContext:
    """An empty packet for printing and filling by pen."""
    ctx = _base(role, lang, settings, WRITE_HERE)
    ctx.update(
        employee={k: "" for k in ("employee_id", "name", "department", "position", "manager", "period")},
        kpis=[_kpi_row(k, lang) for k in role.kpis],
        behaviors=[_behavior_row(b, lang) for b in role.behaviors],
        summary={k: "" for k in ("kpi_self", "kpi", "behavior_self", "behavior", "adjustment", "self_total", "total", "grade")}
        | {"total_or_blank": WRITE_HERE},
        grades=_grade_boxes(role, None),
        manager_comment={"text": "", "note": "", "size": size_key(COMMENT_BOX["sizes"][0])},
        adjustment_reason={"text": "", "note": "", "size": size_key(REASON_BOX["sizes"][0])},
    )
    return PacketContext(ctx)


def _two(value: Decimal) -> str:
    return f"{round2(value):.2f}"


def _rate(target: Decimal | None, actual: Decimal | None) -> str:
    if target is None or actual is None or target <= 0:
        return ""
    rate = actual / target * 100
    # quantize needs all digits within Decimal's 28: a rate like 1E+34 (target 1E-20) stays in E notation.
    return f"{rate.quantize(Decimal('0.1'))}%" if rate.adjusted() < 25 else f"{rate:.1E}%"


def filled_context(role: Role, person: EmployeeScores, lang: str = "zh", settings: Settings | None = None) -> PacketContext:
    """One employee's packet from a validated score row."""
    ctx = _base(role, lang, settings, person.period or WRITE_HERE)
    kpis = []
    gaps = {g.code: g for g in rule_gaps(role, person.kpis)}
    for k, entry in zip(role.kpis, person.kpis):
        row = _kpi_row(k, lang)
        gap = gaps.get(k.code)
        row.update(
            target=format_points(entry.target) if entry.target is not None else "",
            actual=format_points(entry.actual) if entry.actual is not None else "",
            rate=_rate(entry.target, entry.actual),
            self_score=format_points(entry.self_score) if entry.self_score is not None else "",
            score=format_points(entry.score) + (" *" if entry.computed else "") + (f" {RULE_MARK}" if gap else ""),
            rule_note=RULE_NOTE[lang].format(format_points(gap.rule_score)) if gap else "",
        )
        kpis.append(row)
    self_kpi = [e.self_score for e in person.kpis if e.self_score is not None]
    self_levels = {c: lv for c, lv in person.self_levels.items() if lv}
    kpi_self = round2(sum(self_kpi, Decimal(0))) if self_kpi else None
    behavior_self = (round2(sum((level_points(self_levels[b.code], b.weight) for b in role.behaviors if b.code in self_levels), Decimal(0)))
                     if self_levels else None)
    self_total = None
    if kpi_self is not None or behavior_self is not None:
        self_total = max(Decimal(0), min(Decimal(100), (kpi_self or 0) + (behavior_self or 0)))
    t = person.totals
    overflows: list[Overflow] = []
    employee, compact = _employee(person, overflows)
    ctx.update(
        employee=employee,
        compact=compact,
        period=employee["period"] or WRITE_HERE,
        kpis=kpis,
        behaviors=[_behavior_row(b, lang, person.self_levels.get(b.code), person.levels.get(b.code)) for b in role.behaviors],
        summary={
            "kpi_self": _two(kpi_self) if kpi_self is not None else "", "kpi": _two(t.kpi_total),
            "behavior_self": _two(behavior_self) if behavior_self is not None else "", "behavior": _two(t.behavior_total),
            "adjustment": (f"+{format_points(t.adjustment)}" if t.adjustment > 0 else format_points(t.adjustment)),
            "self_total": _two(self_total) if self_total is not None else "",
            "total": _two(t.total), "total_or_blank": _two(t.total), "grade": t.grade,
        },
        grades=_grade_boxes(role, t.grade),
        manager_comment=_boxed(person.manager_comment, COMMENT_BOX, lang, "manager_comment", overflows),
        adjustment_reason=_boxed(person.adjustment_reason, REASON_BOX, lang, "adjustment_reason", overflows),
    )
    ctx.update(continuation=_continuation(overflows, lang), page_total=str(packet_pages(overflows)))
    return PacketContext(ctx, tuple(overflows))
