"""Honest compliance: what a requirement's figures say about a matched answer.

`assess(requirement_text, entry_compliance, capabilities)` extracts the
requirement's figures (docgen.proposal.figures) and compares each with the
capability the answer entry declares (`rpo_minutes`, `retention_days`,
`standards`, …; see CAPABILITY_KEYS). The rules, in the order they decide:

1. No matched entry (entry_compliance is None)          -> unanswered (待应答)
2. A figure the entry declares and misses               -> not_met (不满足) when the entry
                                                            is full, partial (部分满足) when partial
3. A figure the entry does not declare                  -> to_confirm (待确认)
4. The entry is partial                                 -> partial (部分满足)
5. Otherwise: the entry is full and every figure is met -> full (满足)

So 满足 needs a `full` entry AND every extracted figure met by a declared
capability; a requirement without figures takes the entry's own word. An
undeclared figure outranks a partial entry: someone must check it.

A figure is met when the declared value satisfies the client's comparison:
- lower is better (rpo, rto, response; our value is a guaranteed maximum):
  "<" needs declared < value; "<=" and "=" need declared <= value
  ("RPO<15 分钟" is missed by 15, "RPO≤15 分钟" is met by 15; "RPO=0" needs 0).
  A floor on these (">", ">=") has no clear direction: to confirm.
- higher is better (retention, distance, availability, capacity, bandwidth,
  concurrency; our value is the most we deliver): ">" needs declared > value,
  every other comparison declared >= value (sites "within 50 km" need
  support for 50 km).
- standards: declared by canonical name (aliases in figures.STANDARDS, so
  "MLPS level 3" declares 等保2.0三级). In a graded family (等保, CMMI,
  GB/T 20988, ITSS) a better declared level meets the requirement and a worse
  one misses it; a family declared without a level leaves a required level to
  confirm; "等保2.0"/"国密" required without a level are met by any member.
  A standard not in the declared list is undeclared, never missed.
Values are compared in base units (figures.BASE_UNITS), so 1.5 PB is 1536 TB
and 7 years is 2555 days. A declared value that is not a number (or a bool)
counts as undeclared.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from docgen.proposal.figures import (
    GRADED,
    LOWER_IS_BETTER,
    STANDARD_BY_NAME,
    Figure,
    extract_figures,
    standard_label,
    standard_names,
)

FULL, PARTIAL, NOT_MET, TO_CONFIRM, UNANSWERED = "full", "partial", "not_met", "to_confirm", "unanswered"
STATUSES = (FULL, PARTIAL, NOT_MET, TO_CONFIRM, UNANSWERED)
LABELS = {
    "zh": {FULL: "满足", PARTIAL: "部分满足", NOT_MET: "不满足", TO_CONFIRM: "待确认", UNANSWERED: "待应答"},
    "en": {FULL: "Full", PARTIAL: "Partial", NOT_MET: "Not met", TO_CONFIRM: "To confirm", UNANSWERED: "To answer"},
}
CAPABILITY_KEYS = {
    "rpo": "rpo_minutes", "rto": "rto_minutes", "retention": "retention_days", "distance": "distance_km",
    "availability": "availability_percent", "capacity": "capacity_tb", "response": "response_seconds",
    "bandwidth": "bandwidth_mbps", "concurrency": "concurrent_users", "standard": "standards",
}
MET, MISSED, UNDECLARED = "met", "missed", "undeclared"

_NAMES = {
    "zh": {"rpo": "RPO", "rto": "RTO", "retention": "保留期", "distance": "距离", "availability": "可用性",
           "capacity": "容量", "response": "响应时间", "bandwidth": "带宽", "concurrency": "并发用户数"},
    "en": {"rpo": "RPO", "rto": "RTO", "retention": "retention", "distance": "distance",
           "availability": "availability", "capacity": "capacity", "response": "response time",
           "bandwidth": "bandwidth", "concurrency": "concurrent users"},
}
_SIGNS = {"<": "<", "<=": "≤", "=": "=", ">=": "≥", ">": ">"}
_WORDS = {
    "zh": {MET: "{figure}：方案声明 {declared}，满足", MISSED: "{figure}：方案声明 {declared}，不满足",
           UNDECLARED: "{figure}：答案未声明，待确认",
           "unclear": "{figure}：要求的方向不明确，待人工确认",
           "sentence": "{figure}：本方案声明 {declared}",
           UNANSWERED: "库中没有匹配的答案，待应答",
           FULL: "答案声明满足", PARTIAL: "答案声明部分满足", "none": "需求中没有可核对的指标",
           "sep": "；"},
    "en": {MET: "{figure}: the solution declares {declared}, met",
           MISSED: "{figure}: the solution declares {declared}, not met",
           UNDECLARED: "{figure}: not declared by the answer, to confirm",
           "unclear": "{figure}: the requirement's direction is unclear, confirm by hand",
           "sentence": "{figure}: this solution declares {declared}",
           UNANSWERED: "no answer in the library matches, to answer",
           FULL: "the answer declares full compliance", PARTIAL: "the answer declares partial compliance",
           "none": "the requirement has no figure to check", "sep": "; "},
}


def status_label(status: str, lang: str) -> str:
    """满足 / Full … for a status constant."""
    return LABELS[_lang(lang)][status]


@dataclass(frozen=True)
class Assessment:
    """The status of one requirement against one answer entry, and why."""

    status: str
    figures: tuple[Figure, ...]
    met: tuple[tuple[Figure, object], ...]
    missed: tuple[tuple[Figure, object], ...]
    undeclared: tuple[Figure, ...]

    def label(self, lang: str) -> str:
        return status_label(self.status, lang)

    def reason(self, lang: str) -> str:
        """One short sentence a reviewer can check, figure by figure."""
        words = _WORDS[_lang(lang)]
        if self.status == UNANSWERED:
            return words[UNANSWERED]
        met, missed = dict(self.met), dict(self.missed)
        parts = []
        for figure in self.figures:
            described = describe(figure, lang)
            if figure in missed or figure in met:
                bucket, declared = (MISSED, missed[figure]) if figure in missed else (MET, met[figure])
                parts.append(words[bucket].format(figure=described, declared=declared_text(figure, declared, lang)))
            elif figure.kind in LOWER_IS_BETTER and figure.op in (">", ">="):
                parts.append(words["unclear"].format(figure=described))
            else:
                parts.append(words[UNDECLARED].format(figure=described))
        if not self.figures:
            parts.append(words["none"])
        if self.status == PARTIAL and not self.missed or not self.figures:
            parts.append(words[PARTIAL if self.status == PARTIAL else FULL])
        return words["sep"].join(parts)


def assess(requirement_text: str, entry_compliance: str | None,
           capabilities: Mapping[str, object] | None) -> Assessment:
    """Judge `requirement_text` against the matched entry (None: nothing matched)."""
    figures = tuple(extract_figures(requirement_text or ""))
    if entry_compliance is None:
        return Assessment(UNANSWERED, figures, (), (), ())
    compliance = str(entry_compliance).strip().lower()
    if compliance not in (FULL, PARTIAL):
        raise ValueError(f"entry compliance must be 'full' or 'partial', not {entry_compliance!r}")
    met, missed, undeclared = [], [], []
    for figure in figures:
        bucket, declared = judge(figure, capabilities or {})
        if bucket == MET:
            met.append((figure, declared))
        elif bucket == MISSED:
            missed.append((figure, declared))
        else:
            undeclared.append(figure)
    if missed:
        status = NOT_MET if compliance == FULL else PARTIAL
    elif undeclared:
        status = TO_CONFIRM
    else:
        status = compliance
    return Assessment(status, figures, tuple(met), tuple(missed), tuple(undeclared))


def judge(figure: Figure, capabilities: Mapping[str, object]) -> tuple[str, object]:
    """(MET | MISSED | UNDECLARED, the declared value it was compared with, or None)."""
    declared = capabilities.get(CAPABILITY_KEYS[figure.kind])
    if figure.kind == "standard":
        return _judge_standard(figure, declared)
    value = _number(declared)
    if value is None or figure.value is None:
        return UNDECLARED, None
    if figure.kind in LOWER_IS_BETTER:
        if figure.op in (">", ">="):
            return UNDECLARED, None
        ok = value < figure.value if figure.op == "<" else value <= figure.value
    else:
        ok = value > figure.value if figure.op == ">" else value >= figure.value
    return (MET if ok else MISSED), declared


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return round(number, 9) if math.isfinite(number) else None


def _declared_standards(declared: object) -> list[str]:
    if declared is None:
        return []
    items = [declared] if isinstance(declared, str) else declared if isinstance(declared, Iterable) else []
    names = []
    for item in items:
        if isinstance(item, str):
            names += standard_names(item) or [" ".join(item.split())]
    return list(dict.fromkeys(names))


def _judge_standard(figure: Figure, declared: object) -> tuple[str, object]:
    names = _declared_standards(declared)
    if figure.standard in names:
        return MET, figure.standard
    wanted = STANDARD_BY_NAME.get(figure.standard or "")
    family = [STANDARD_BY_NAME[n] for n in names if n in STANDARD_BY_NAME and wanted and wanted.family
              and STANDARD_BY_NAME[n].family == wanted.family]
    if wanted and family and not wanted.level:
        return MET, family[0].name
    levels = [s for s in family if s.level]
    if wanted and levels and wanted.family in GRADED:
        best = max(levels, key=lambda s: s.level)
        return (MET if best.level >= wanted.level else MISSED), best.name
    return UNDECLARED, None


# ---------------------------------------------------------------- wording

def describe(figure: Figure, lang: str) -> str:
    """The client's figure as a reviewer reads it: "RPO < 15 分钟", "retention ≥ 7 years", "SM4"."""
    lang = _lang(lang)
    if figure.kind == "standard":
        return standard_label(figure.standard or figure.raw, lang)
    return f"{_NAMES[lang][figure.kind]} {_SIGNS[figure.op]} {_amount(figure.kind, figure.value, lang)}"


def declared_text(figure: Figure, declared: object, lang: str) -> str:
    """What the entry declares for `figure`'s kind: "RPO 5 分钟", "等保2.0三级"."""
    lang = _lang(lang)
    if figure.kind == "standard":
        names = _declared_standards(declared)
        if not names:
            raise ValueError(f"no declared standard for {figure.standard}: a response is never invented")
        relevant = [name for name in names if _judge_standard(figure, [name])[0] != UNDECLARED]
        listed = [figure.standard] if figure.standard in names else relevant or names
        return ("、" if lang == "zh" else ", ").join(standard_label(name, lang) for name in listed)
    value = _number(declared)
    if value is None:
        raise ValueError(f"no declared {CAPABILITY_KEYS[figure.kind]} for {figure.raw!r}: "
                         "a response is never invented")
    return f"{_NAMES[lang][figure.kind]} {_amount(figure.kind, value, lang)}"


def response_sentence(figure: Figure, capability_value: object, lang: str) -> str:
    """"RPO ≤ 15 分钟:本方案声明 RPO 5 分钟" — the client's figure, then only what the entry declares."""
    return _WORDS[_lang(lang)]["sentence"].format(
        figure=describe(figure, lang), declared=declared_text(figure, capability_value, lang))


# kind -> ((factor from the base unit, zh unit, en unit), …) largest first; a value takes the
# first unit it divides into evenly (at least 1), else the last.
_LADDERS = {
    "rpo": ((1440, " 天", " days"), (60, " 小时", " h"), (1, " 分钟", " min"), (1 / 60, " 秒", " s")),
    "response": ((3600, " 小时", " h"), (60, " 分钟", " min"), (1, " 秒", " s"), (0.001, " 毫秒", " ms")),
    "retention": ((365, " 年", " years"), (1, " 天", " days")),
    "distance": ((1, " 公里", " km"),),
    "availability": ((1, "%", "%"),),
    "capacity": ((1024, " PB", " PB"), (1, " TB", " TB"), (1 / 1024, " GB", " GB")),
    "bandwidth": ((1000, " Gbps", " Gbps"), (1, " Mbps", " Mbps")),
    "concurrency": ((1, "", ""),),
}
_LADDERS["rto"] = _LADDERS["rpo"]


def _amount(kind: str, value: float | None, lang: str) -> str:
    if value is None:
        return "?"
    if value == 0 and kind in ("rpo", "rto"):
        return "0"
    ladder = _LADDERS[kind]
    for factor, zh, en in ladder:
        scaled = value / factor
        if scaled >= 1 and (abs(scaled - round(scaled)) < 1e-9 or kind in ("capacity", "bandwidth")):
            break
    else:
        factor, zh, en = ladder[-1]
        scaled = value / factor
    unit = zh if lang == "zh" else en
    if lang == "en" and abs(scaled - 1) < 1e-9 and unit in (" days", " years"):
        unit = unit[:-1]
    return _format(scaled) + unit


def _format(number: float) -> str:
    if abs(number - round(number)) < 1e-9:
        return str(round(number))
    return f"{number:.4f}".rstrip("0").rstrip(".")


def _lang(lang: str) -> str:
    if lang not in LABELS:
        raise ValueError(f"language must be one of {', '.join(LABELS)}, not {lang!r}")
    return lang
