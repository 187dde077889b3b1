"""The figures a requirement asks for: RPO, retention, capacity, named standards…

`extract_figures(text)` reads the measurable promises in a client's
requirement, in Chinese and English, with full- or half-width symbols, and
never invents one: a text without a figure gives [].

Each Figure is the CLIENT's requirement, `value` in the kind's base unit:

    kind          base unit  conversions
    rpo, rto      minutes    1 h = 60 min; seconds / 60
    retention     days       1 week = 7 d, 1 month = 30 d, 1 year = 365 d
    response      seconds    1 ms = 0.001 s; minutes and hours convert up
    distance      km         公里 = 千米 = km
    availability  percent    "4个9" = 99.99
    capacity      TB         binary: 1 PB = 1024 TB, 1 TB = 1024 GB, 1 EB = 1024 PB
    bandwidth     Mbps       decimal: 1 Gbps = 1000 Mbps, 千兆 = 1000, 万兆 = 10000
    concurrency   users      2万 = 20,000
    standard      (none)     value None; `standard` holds the canonical name

`op` reads as the requirement does: "RPO<15分钟" is rpo < 15; "RPO=0" is
rpo = 0; a figure without a comparator is "<=" for the lower-is-better kinds
(rpo, rto, response; "<=" 0 is written "=") and ">=" for the others
("保留180天", "99.99%可用", "1.5PB", "300公里"). 以内/以下/within/up to are
"<=", 以上/at least/不少于 are ">=", 小于/低于/less than "<", 大于/超过/more than ">".
A range ("15~30分钟") keeps its strict side: the lower number for a
lower-is-better kind, the higher for the others.

How a number finds its kind: capacity, distance and bandwidth units say it
(GB/TB/PB, km, Mbps). A time or a percentage needs a keyword in the same
clause (RPO, 恢复时间, 保留, 响应, 可用性, latency…): the nearest one before
it that no other number has taken, else the nearest after it ("30-day
retention", "15分钟内响应"). "RPO、RTO均小于15分钟" gives both; "分别"/
"respectively" pairs keywords and numbers in order. A count of users needs a
concurrency word (并发, 同时在线, concurrent). Not figures: service hours
(7×24, 24x7, 5×8), dates, memory sizes (512GB内存), a percentage or a time
with no keyword, a number with no unit (except "RPO=0" and a concurrency
count), a bare "M"/"G" outside a bandwidth context.

Standards come from one table, STANDARDS (zh/en aliases → canonical name;
"MLPS level 3" and "等保三级" are both 等保2.0三级). In a graded family (等保
levels, CMMI levels, GB/T 20988 灾难恢复等级, ITSS where 一级 is the highest)
the same or a better level meets a requirement. A family named without a level
("等保", "国密") is dropped when the text names a level or an algorithm.

Text is folded (full-width → half-width, control characters → space) without
changing its length, so `raw` is the client's own text. Every regex is
possessive or bounded: a 100 KB input is read in linear time.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

KINDS = ("rpo", "rto", "retention", "distance", "availability", "capacity",
         "response", "bandwidth", "concurrency", "standard")
BASE_UNITS = {"rpo": "min", "rto": "min", "retention": "d", "distance": "km", "availability": "%",
              "capacity": "TB", "response": "s", "bandwidth": "Mbps", "concurrency": "users", "standard": ""}
LOWER_IS_BETTER = frozenset({"rpo", "rto", "response"})
OPS = ("<", "<=", "=", ">=", ">")


@dataclass(frozen=True)
class Figure:
    """One figure the client requires: `kind op value unit`, or a named standard."""

    kind: str
    op: str
    value: float | None
    unit: str
    raw: str
    standard: str | None = None


# ---------------------------------------------------------------- standards

@dataclass(frozen=True)
class Standard:
    """A named standard. In a graded family a higher level meets a lower one;
    level 0 is the family itself ("等保2.0", "国密"), met by any member."""

    name: str
    en: str
    family: str = ""
    level: int = 0


GRADED = frozenset({"mlps", "cmmi", "drl", "itss"})
_ZH_LEVEL = "零一二三四五六"
_ROMAN = ("", "I", "II", "III", "IV", "V")
_MLPS_ZH = r"(?:网络安全|信息安全|信息系统安全)?(?:等级保护|等保)"
_MLPS_EN = (r"(?:MLPS|DJCP|classified\s++protection(?:\s++of\s++cybersecurity)?"
            r"|multi-level\s++protection(?:\s++scheme)?)")


def _mlps(n: int) -> tuple[Standard, str]:
    zh, en = rf"(?:{_ZH_LEVEL[n]}|{n})", rf"(?:{n}|{_ROMAN[n]})(?![0-9a-z])"
    aliases = (
        rf"{_MLPS_ZH}(?:制度)?[\s(]*+(?:2\.0)?[\s)]*+(?:标准)?(?:的)?第?\s*+{zh}\s*+级",
        rf"第?{zh}\s*+级\s*+{_MLPS_ZH}",
        rf"{_MLPS_EN}\s*+(?:2\.0\s*+)?(?:level|grade|class|L)\s*+-?\s*+{en}",
        rf"(?:level|grade)\s*+-?\s*+{en}\s++(?:of\s++(?:the\s++)?)?{_MLPS_EN}",
    )
    return Standard(f"等保2.0{_ZH_LEVEL[n]}级", f"MLPS level {n}", "mlps", n), "|".join(aliases)


def _cmmi(n: int) -> tuple[Standard, str]:
    alias = (rf"CMMI[\s-]*+(?:DEV[\s-]*+)?(?:v?[0-9]\.[0-9]\s*+)?(?:ML|maturity\s++level|level|L)?"
             rf"\s*+-?\s*+(?:{n}|{_ZH_LEVEL[n]})(?![0-9.])(?:\s*+级)?")
    return Standard(f"CMMI{n}", f"CMMI level {n}", "cmmi", n), alias


def _drl(n: int) -> tuple[Standard, str]:
    """GB/T 20988 灾难恢复能力等级 1–6."""
    level = rf"(?:{n}|{_ZH_LEVEL[n]})(?![0-9])"
    aliases = (
        (rf"(?:GB/T\s*+20988(?:-2007)?\s*+)?(?:灾难恢复能力|灾难恢复|灾备能力|容灾能力)(?:等级)?(?:达到|为|不低于)?"
         rf"\s*+第?\s*+{level}\s*+级"),
        rf"GB/T\s*+20988(?:-2007)?\s*+(?:标准)?(?:的)?(?:第|level\s*+)?\s*+{level}(?:\s*+级)?",
        rf"第?{level}\s*+级\s*+(?:灾备|容灾|灾难恢复)",
        rf"disaster\s++recovery\s++(?:capability\s++)?level\s*+{level}",
    )
    return Standard(f"GB/T 20988 第{n}级", f"GB/T 20988 level {n}", "drl", n), "|".join(aliases)


def _itss(n: int) -> tuple[Standard, str]:
    """ITSS 运维服务能力成熟度: 一级 is the highest, so its rank is the largest."""
    level = rf"(?:{n}|{_ZH_LEVEL[n]})(?![0-9])"
    aliases = (rf"(?:ITSS|信息技术服务标准|运维服务能力成熟度)\s*+(?:标准)?(?:的)?(?:level\s*+|第)?\s*+{level}"
               rf"(?:\s*+级)?")
    return Standard(f"ITSS{_ZH_LEVEL[n]}级", f"ITSS level {n}", "itss", 5 - n), aliases


def _iso(number: str, suffix: str = "") -> tuple[Standard, str]:
    return Standard(f"ISO {number}", f"ISO {number}"), rf"ISO\s*+(?:/\s*+IEC\s*+)?{number}{suffix}(?![0-9])"


# Canonical name -> aliases (regex fragments on folded text, case-insensitive).
# Earlier rows win where two could start at the same place: levels before
# the bare family, 密评 before 国密.
STANDARDS: tuple[tuple[Standard, str], ...] = (
    *(_mlps(n) for n in (4, 3, 2, 1)),
    (Standard("等保2.0", "MLPS 2.0", "mlps"),
     rf"{_MLPS_ZH}(?:\s*+2\.0)?|{_MLPS_EN}(?:\s*+2\.0)?|GB/T\s*+22239(?:-2019)?"),
    *(_cmmi(n) for n in (5, 4, 3, 2, 1)),
    (Standard("CMMI", "CMMI", "cmmi"), r"CMMI"),
    *((Standard(f"SM{n}", f"SM{n}", "sm", n), rf"SM\s*+{n}(?![0-9])") for n in (2, 3, 4, 9)),
    (Standard("密评", "commercial cryptography assessment"),
     (r"密评|(?:商用)?密码应用安全性评估|商密评估"
      r"|commercial\s++cryptograph(?:y|ic)\s++(?:application\s++)?(?:security\s++)?assessment")),
    (Standard("国密", "Chinese national cryptography (SM series)", "sm"),
     r"国密|国产密码|商用密码|商密|OSCCA|(?:Chinese\s++)?national\s++(?:commercial\s++)?cryptograph(?:y|ic)"),
    *(_drl(n) for n in (6, 5, 4, 3, 2, 1)),
    (Standard("GB/T 20988", "GB/T 20988", "drl"), r"GB/T\s*+20988(?:-2007)?|信息系统灾难恢复规范"),
    *(_itss(n) for n in (1, 2, 3, 4)),
    (Standard("ITSS", "ITSS", "itss"), r"ITSS|信息技术服务标准|运维服务能力成熟度"),
    (Standard("关键信息基础设施保护", "critical information infrastructure protection"),
     r"关键信息基础设施|关基|critical\s++information\s++infrastructure|CIIP?(?![a-z])"),
    _iso("27001"), _iso("27701"), _iso("27017"), _iso("27018"), _iso("20000", "(?:-1)?"),
    _iso("9001"), _iso("14001"), _iso("22301"), _iso("45001"),
    (Standard("信创", "Xinchuang (IT application innovation)"),
     r"信创|信息技术应用创新|xinchuang|IT\s++application\s++innovation"),
    (Standard("PCI DSS", "PCI DSS"), r"PCI[\s-]*+DSS"),
    (Standard("GDPR", "GDPR"), r"GDPR|通用数据保护条例|General\s++Data\s++Protection\s++Regulation"),
    (Standard("PIPL", "PIPL"), r"PIPL|个人信息保护法|Personal\s++Information\s++Protection\s++Law"),
    (Standard("SOC 2", "SOC 2"), r"SOC\s*+2(?![0-9])(?:\s*+Type\s*+(?:II|I|2|1)(?![0-9a-z]))?"),
    (Standard("PDPA", "PDPA"), r"PDPA|Personal\s++Data\s++Protection\s++Act|个人数据保护法"),
    (Standard("MTCS SS 584", "MTCS SS 584"), r"MTCS(?:\s*+SS\s*+584)?|SS\s*+584"),
    (Standard("MAS TRM", "MAS TRM"), r"MAS\s*+TRM|MAS\s++Technology\s++Risk\s++Management"),
    (Standard("HIPAA", "HIPAA"), r"HIPAA"),
)
STANDARD_BY_NAME = {standard.name: standard for standard, _ in STANDARDS}

# "SM2/SM3/SM4" and "SM2/3/4" name three standards.
_SM_LIST = r"SM\s*+[2349](?![0-9])(?:\s*+[/、]\s*+(?:SM\s*+)?[2349](?![0-9]))++"
_STANDARD_RE = re.compile(
    # The lookahead lists every alias's first character: it rejects most positions at once.
    r"(?=[网信等第一二三四五六1-6cdghilmnopsx密商国通个关灾容运])(?<![a-z0-9])(?:(?P<smlist>" + _SM_LIST.lower() + ")|"
    + "|".join(f"(?P<s{i}>{alias.lower()})" for i, (_, alias) in enumerate(STANDARDS)) + ")")


def _find_standards(folded: str) -> list[tuple[int, int, str]]:
    found = []
    for m in _STANDARD_RE.finditer(folded):
        if m.lastgroup == "smlist":
            found += [(m.start(), m.end(), f"SM{digit}") for digit in re.findall("[2349]", m.group()[2:])]
        else:
            found.append((m.start(), m.end(), STANDARDS[int(m.lastgroup[1:])][0].name))
    # A named level or algorithm says more than the bare family.
    named = {STANDARD_BY_NAME[name].family for _, _, name in found if STANDARD_BY_NAME[name].level}
    return [f for f in found if STANDARD_BY_NAME[f[2]].level or STANDARD_BY_NAME[f[2]].family not in named]


def standard_names(text: str) -> tuple[str, ...]:
    """Canonical names of the standards named in `text`, each once, in order."""
    return tuple(dict.fromkeys(name for _, _, name in _find_standards(_fold(str(text)))))


def standard_label(name: str, lang: str) -> str:
    """How a canonical standard name reads in `lang` ("等保2.0三级" -> "MLPS level 3")."""
    standard = STANDARD_BY_NAME.get(name)
    return standard.en if standard and lang == "en" else name


# ---------------------------------------------------------------- folding

# Full-width forms to ASCII, except the full-width comma: it is never a
# thousands separator, and folding it would read "180天,5000用户" oddly.
_FOLD = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F) if c != 0xFF0C}
_FOLD.update({c: " " for c in [*range(0x20), *range(0x7F, 0xA1), 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]})
_FOLD.update({0x0A: "\n", 0x0D: "\n", 0x2028: "\n", 0x2029: "\n", 0x3000: " ", 0x2266: "≤", 0x2267: "≥",
              0xFE64: "<", 0xFE65: ">", 0x301C: "~", 0x2212: "-",
              **{c: "-" for c in range(0x2010, 0x2016)}})


# Matching runs on folded, lower-cased text: case-sensitive patterns are much faster.
_FOLD_LOWER = {**_FOLD, **{c: chr(c + 32) for c in range(0x41, 0x5B)},
               **{c: chr(c - 0xFEE0 + 32) for c in range(0xFF21, 0xFF3B)}}


def _fold(text: str) -> str:
    return text.translate(_FOLD_LOWER)


# Service hours and dates hold numbers that are not figures.
_NOT_FIGURES = re.compile(
    r"(?<![0-9.])(?:"
    r"[57]\s*+(?:天|days?)?\s*+[x×*✕]\s*+(?:24|8|12)(?![0-9])(?:\s*+(?:小时|hours?|hrs?|h(?![a-z])))?"
    r"|24\s*+(?:小时|hours?|h)?\s*+[x×*✕/]\s*+7(?![0-9])(?:\s*+(?:天|days?))?"
    r"|7\s*+天\s*+24\s*+小时|365\s*+天?\s*+[x×*✕]\s*+24(?:\s*+小时)?"
    r"|(?:19|20)[0-9]{2}\s*+年(?:\s*+[0-9]{1,2}\s*+月(?:\s*+[0-9]{1,2}\s*+[日号])?)?"
    r"|[0-9]{1,2}\s*+月\s*+[0-9]{1,2}\s*+[日号]"
    r"|(?:19|20)[0-9]{2}([-/.])[0-9]{1,2}\1[0-9]{1,2}(?![0-9])"
    r")")


def _blank(text: str, spans) -> str:
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], " " * (end - start)]
        last = end
    return "".join(parts) + text[last:]


# ---------------------------------------------------------------- tokens

# unit -> (class, factor to the class base: seconds, TB, km, Mbps, percent, users)
_UNITS = {
    **dict.fromkeys(("毫秒", "ms", "millisecond", "milliseconds"), ("time", 0.001)),
    **dict.fromkeys(("秒", "秒钟", "s", "sec", "secs", "second", "seconds"), ("time", 1)),
    **dict.fromkeys(("分钟", "分", "min", "mins", "minute", "minutes"), ("time", 60)),
    **dict.fromkeys(("小时", "个小时", "钟头", "h", "hr", "hrs", "hour", "hours"), ("time", 3600)),
    **dict.fromkeys(("天", "日", "day", "days"), ("time", 86400)),
    **dict.fromkeys(("周", "个星期", "星期", "week", "weeks"), ("time", 7 * 86400)),
    **dict.fromkeys(("个月", "month", "months"), ("time", 30 * 86400)),
    **dict.fromkeys(("年", "year", "years", "yr", "yrs"), ("time", 365 * 86400)),
    **dict.fromkeys(("公里", "千米", "km", "kms", "kilometre", "kilometres", "kilometer", "kilometers"),
                    ("distance", 1)),
    **dict.fromkeys(("%", "percent"), ("percent", 1)),
    **dict.fromkeys(("GB", "GiB", "gigabytes"), ("size", 1 / 1024)),
    **dict.fromkeys(("TB", "TiB", "T", "terabytes"), ("size", 1)),
    **dict.fromkeys(("PB", "PiB", "petabytes"), ("size", 1024)),
    **dict.fromkeys(("EB", "EiB", "exabytes"), ("size", 1024 * 1024)),
    **dict.fromkeys(("Kbps", "kbit/s", "kb/s"), ("bandwidth", 0.001)),
    **dict.fromkeys(("Mbps", "Mbit/s", "Mb/s", "兆比特", "兆"), ("bandwidth", 1)),
    **dict.fromkeys(("Gbps", "Gbit/s", "Gb/s", "GE", "GbE"), ("bandwidth", 1000)),
    **dict.fromkeys(("Tbps", "Tbit/s"), ("bandwidth", 1_000_000)),
    # "100M", "10G": bandwidth only where the clause speaks of it (带宽, 专线, link…)
    "m": ("bandwidth?", 1), "g": ("bandwidth?", 1000),
    **dict.fromkeys(("用户", "个用户", "名用户", "人", "user", "users", "session", "sessions",
                     "connection", "connections", "连接"), ("count", 1)),
}
_UNITS_OF = {" ".join(unit.lower().split()): value for unit, value in _UNITS.items()}
# Single letters count only in capitals: 500m is metres, 100t tonnes, 5g grams.
_CASED = frozenset({"m", "g", "t"})
# Units a written-out number ("三年", "seven years") may take; "十分" is "very".
_WORD_UNITS = frozenset(("秒", "秒钟", "分钟", "小时", "个小时", "天", "周", "个星期", "星期", "个月", "年",
                         "公里", "千米", "second", "seconds", "minute", "minutes", "hour", "hours", "day",
                         "days", "week", "weeks", "month", "months", "year", "years", "kilometres",
                         "kilometers"))
_BW_WORDS = {"百兆": 100, "千兆": 1000, "万兆": 10000}
_MULTIPLIERS = {"万": 10_000, "千": 1_000, "亿": 100_000_000, "k": 1_000}
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_EN_NUMBERS = {w: i for i, w in enumerate(("zero", "one", "two", "three", "four", "five", "six", "seven",
                                           "eight", "nine", "ten", "eleven", "twelve"))}
_EN_NUMBERS.update({"fifteen": 15, "eighteen": 18, "twenty": 20, "thirty": 30, "sixty": 60, "ninety": 90})

_KEYWORDS = {
    "rpo": ("RPO", "恢复点目标", "恢复点", "数据丢失", "丢失数据", "recovery point objective", "recovery point",
            "data loss"),
    "rto": ("RTO", "恢复时间目标", "恢复时间", "恢复时长", "业务恢复", "恢复", "切换时间", "切换", "接管",
            "recovery time objective", "recovery time", "recover", "recovered", "recovery", "restore",
            "restored", "failover", "fail over", "switchover"),
    "retention": ("保留期", "保留", "保存期", "保存", "留存", "存档", "归档", "保管", "retention", "retain",
                  "retained", "kept", "keep", "archive", "archived", "stored for"),
    "response": ("响应", "时延", "延迟", "延时", "调阅", "打开", "加载", "返回", "到场", "到达现场", "上门",
                 "response", "respond", "responds", "latency", "on-site", "onsite", "load", "loads",
                 "loading"),
    "availability": ("可用性", "可用率", "可用", "在线率", "SLA", "availability", "available", "uptime"),
    "concurrency": ("并发用户数", "并发用户", "并发数", "并发量", "并发连接", "并发", "同时在线", "在线用户",
                    "同时访问", "concurrent users", "concurrent sessions", "concurrent connections",
                    "concurrent", "concurrency", "simultaneous", "simultaneously"),
    "bandwidth": ("带宽", "专线", "链路", "光纤", "互联", "上联", "出口", "端口", "网卡", "吞吐",
                  "bandwidth", "link", "links", "uplink", "port", "ports", "NIC", "ethernet", "throughput"),
}
_KIND_OF = {" ".join(word.lower().split()): kind for kind, words in _KEYWORDS.items() for word in words}
_TIME_KINDS = frozenset({"rpo", "rto", "retention", "response"})

# comparator -> (op, where: "pre" before the number, "post" after its unit, "both")
_CMPS = {
    **dict.fromkeys(("<", "﹤", "小于", "低于", "少于", "短于", "less than", "lower than", "fewer than",
                     "shorter than", "under", "below"), ("<", "pre")),
    **dict.fromkeys(("<=", "=<", "≤", "小于等于", "小于或等于", "低于或等于", "不大于", "不超过", "不超出",
                     "不多于", "不高于", "不长于", "最多", "最长", "最大", "最高", "within", "no more than",
                     "not more than", "no longer than", "not longer than", "not exceeding", "not to exceed",
                     "no greater than", "up to", "less than or equal to", "maximum of"), ("<=", "pre")),
    **dict.fromkeys(("at most", "max", "maximum"), ("<=", "both")),
    **dict.fromkeys(("以内", "之内", "内", "以下", "之下", "or less", "or lower", "or fewer", "or below",
                     "or under", "or shorter"), ("<=", "post")),
    **dict.fromkeys(("=", "等于", "equal to", "equals"), ("=", "pre")),
    **dict.fromkeys((">=", "=>", "≥", "大于等于", "大于或等于", "不小于", "不少于", "不低于", "不短于", "至少",
                     "最少", "最低", "最小", "no less than", "not less than", "no fewer than", "minimum of",
                     "greater than or equal to"), (">=", "pre")),
    **dict.fromkeys(("at least", "minimum"), (">=", "both")),
    **dict.fromkeys(("以上", "及以上", "以外", "之外", "外", "or more", "or higher", "or greater", "or above",
                     "and above", "or longer", "and more"), (">=", "post")),
    **dict.fromkeys((">", "﹥", "大于", "高于", "多于", "超过", "超出", "长于", "more than", "greater than",
                     "longer than", "higher than", "over", "above", "exceeding", "in excess of"), (">", "pre")),
    **dict.fromkeys(("优于", "better than"), ("better", "pre")),  # "<" or ">" by kind
    **dict.fromkeys(("不劣于", "不差于"), ("not worse", "pre")),  # "<=" or ">=" by kind
}
_CMP_OF = {" ".join(word.lower().split()): value for word, value in _CMPS.items()}
_NINES = {"3": 3, "4": 4, "5": 5, "6": 6, "三": 3, "四": 4, "五": 5, "六": 6}
_GUARDS = {"兆": "(?![瓦焦赫字帕])", "内": "(?![存网部置容核])", "外": "(?![部包网挂])", "可用": "(?!容量|空间|资源|内存)",
           "分": "(?![别辨布级类区支配摊析])", "日": "(?![志常期])", "周": "(?![期边围末])"}


# word -> token type; where a word is in two tables the first wins.
_WORD_TYPE: dict[str, str] = {}
for _type, _table in (("zero", ("零数据丢失", "数据零丢失", "数据不丢失", "zero data loss", "no data loss")),
                      ("resp", ("分别", "各自", "respectively")), ("kw", _KIND_OF), ("bwword", _BW_WORDS),
                      ("unit", _UNITS), ("ennum", _EN_NUMBERS), ("mul", _MULTIPLIERS), ("cmp", _CMPS),
                      ("sep", ("至", "到", "to"))):
    for _word in _table:
        _WORD_TYPE.setdefault(" ".join(_word.lower().split()), _type)


def _trie(words) -> str:
    """One regex for many words, branching character by character: each alternative starts with a
    literal, so the engine rejects a position at once. Longer words are tried first."""
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = word
    return _trie_node(root, top=True)


def _trie_node(node: dict, top: bool = False) -> str:
    branches = []
    for char in sorted(c for c in node if c):
        atom = r"\s++" if char == " " else re.escape(char)
        if top and "a" <= char <= "z":
            atom += r"(?<![a-z].)"  # an English word starts at a word boundary
        branches.append(atom + _trie_node(node[char]))
    if "" in node:
        word = node[""]
        branches.append((r"(?![a-z])" if "a" <= word[-1] <= "z" else "") + _GUARDS.get(word, ""))
    return branches[0] if len(branches) == 1 and not top else "(?:" + "|".join(branches) + ")"


_CN_NUMERALS = "一二两三四五六七八九十百零〇"
_TOKEN_RE = re.compile(
    r"(?P<nines>[3-6三四五六](?<![0-9].)\s*+个\s*+[9九](?![0-9]))"
    rf"|(?P<word>{_trie(_WORD_TYPE)})"
    r"|(?P<num>[0-9](?<![0-9.第].)(?:[0-9]{0,2}(?:,[0-9]{3}(?![0-9]))++|[0-9]*+)(?:\.[0-9]++)?+)"
    rf"|(?P<cnnum>[{_CN_NUMERALS}](?<![{_CN_NUMERALS}第].)[{_CN_NUMERALS}]{{0,5}}+)"
    r"|(?P<sep>~|-(?=\s*+[0-9]))"
    r"|(?P<delim>[。;;!?!?\n,,])")
_TIME_KIND_UNIT = {"rpo": 60, "rto": 60, "retention": 86400, "response": 1}


@dataclass
class _Token:
    type: str
    start: int
    end: int
    text: str


@dataclass
class _Quantity:
    start: int
    end: int
    numbers: list[float]
    cls: str | None = None      # time, size, distance, bandwidth, bandwidth?, percent, count; None: no unit
    factor: float = 1.0
    op: str | None = None
    kind: str | None = None     # set when the token itself says the kind


def _cn_number(text: str) -> float | None:
    if "百" in text or len(text) > 3:
        return None
    if "十" not in text:
        return float(_CN_DIGITS[text]) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return float((_CN_DIGITS.get(tens, -1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, -1) if ones else 0))


def _gap(folded: str, start: int, end: int, allowed: str = " \t") -> bool:
    """True when folded[start:end] is short and holds only `allowed` characters."""
    return end - start <= 4 and all(c in allowed for c in folded[start:end])


def _number(token: _Token) -> float | None:
    if token.type == "num":
        digits = token.text.replace(",", "")
        return float(digits) if len(digits) <= 15 else None
    if token.type == "cnnum":
        value = _cn_number(token.text)
        return value if value is not None and value >= 0 else None
    return float(_EN_NUMBERS[token.text])


def _read_quantity(tokens: list[_Token], i: int, folded: str, text: str) -> tuple[_Quantity | None, int]:
    """The quantity starting at number token i (comparator, range, unit), and the next index."""
    first = tokens[i]
    value = _number(first)
    if value is None:
        return None, i + 1
    q = _Quantity(first.start, first.end, [value])
    j, unit = i + 1, None
    if j < len(tokens) and tokens[j].type == "mul" and first.type == "num" and _gap(folded, q.end, tokens[j].start):
        q.numbers[0] *= _MULTIPLIERS[tokens[j].text]
        q.end, j = tokens[j].end, j + 1
    if j < len(tokens) and tokens[j].type == "unit" and _gap(folded, q.end, tokens[j].start, " \t个名-+"):
        unit, plus = tokens[j], "+" in folded[q.end:tokens[j].start]
        q.end, j = unit.end, j + 1
        q.op = ">=" if plus else None
    if (j + 1 < len(tokens) and tokens[j].type == "sep" and tokens[j + 1].type == "num"
            and _gap(folded, q.end, tokens[j].start) and _gap(folded, tokens[j].end, tokens[j + 1].start)):
        second, k = _number(tokens[j + 1]), j + 2
        second_unit = None
        if k < len(tokens) and tokens[k].type == "unit" and _gap(folded, tokens[j + 1].end, tokens[k].start, " \t个名-"):
            second_unit, k = tokens[k], k + 1
        units = [_UNITS_OF[u.text][0] for u in (unit, second_unit) if u]
        if second is not None and (second_unit or unit) and len(set(units)) == 1:
            factor = _UNITS_OF[unit.text][1] / _UNITS_OF[(second_unit or unit).text][1] if unit else 1
            q.numbers = [q.numbers[0] * factor, second]
            unit = second_unit or unit
            q.end, j = tokens[k - 1].end, k
    cased = text[unit.start:unit.end].translate(_FOLD) if unit is not None else ""
    if cased in _CASED or cased == "G" and q.numbers[-1] in (2, 3, 4, 5, 6):
        unit = None  # 500m, 100t, 5G: metres, tonnes, a mobile generation
    if unit is not None:
        if first.type != "num" and unit.text not in _WORD_UNITS:
            return None, j
        q.cls, q.factor = _UNITS_OF[unit.text]
    elif first.type != "num":
        return None, j
    if j < len(tokens) and tokens[j].type == "cmp" and _gap(folded, q.end, tokens[j].start):
        op, where = _CMP_OF[tokens[j].text]
        if where != "pre":
            q.op, q.end, j = op, tokens[j].end, j + 1
    if i > 0 and tokens[i - 1].type == "cmp" and _gap(folded, tokens[i - 1].end, first.start, " \t::"):
        op, where = _CMP_OF[tokens[i - 1].text]
        if where != "post":
            q.op, q.start = op, tokens[i - 1].start
    return q, j


_FILLER = re.compile(r"[\s::=]*+(?:(?:为|是|要求|需要|需|应为|应|必须|达到|达|控制在|数|量|of|is|must\s++be"
                     r"|should\s++be|shall\s++be|be)[\s::]*+){0,3}+")
_CONNECTOR = re.compile(r"(?:\s|和|及|与|以及|、|/|&|或|(?<![a-z])(?:and|or)(?![a-z]))*+")


# ---------------------------------------------------------------- figures

def extract_figures(text: str) -> list[Figure]:
    """The figures `text` asks for, in the order they appear, each once ([] when none)."""
    if not text:
        return []
    text = str(text)
    folded = _fold(text)
    standards = _find_standards(folded)
    folded = _blank(folded, [(s, e) for s, e, _ in standards])
    folded = _blank(folded, [m.span() for m in _NOT_FIGURES.finditer(folded)])
    found = [(start, Figure("standard", "=", None, "", text[start:end].strip(), name))
             for start, end, name in standards]
    clause: list[_Token] = []
    for m in _TOKEN_RE.finditer(folded):
        kind = m.lastgroup
        if kind == "delim":
            if len(clause) > 1 or clause and clause[0].type != "num":
                found += _clause_figures(clause, text, folded)
            clause = []
        else:
            word = " ".join(m.group().split()) if kind == "word" else m.group()
            clause.append(_Token(_WORD_TYPE[word] if kind == "word" else kind, m.start(), m.end(), word))
    found += _clause_figures(clause, text, folded)
    figures = {}
    for _, figure in sorted(found, key=lambda pair: pair[0]):
        figures.setdefault((figure.kind, figure.op, figure.value, figure.standard), figure)
    return list(figures.values())


def _clause_quantities(tokens: list[_Token], folded: str, text: str) -> list[_Quantity]:
    quantities, i = [], 0
    while i < len(tokens):
        token = tokens[i]
        if token.type in ("num", "cnnum", "ennum"):
            q, i = _read_quantity(tokens, i, folded, text)
            if q is not None:
                quantities.append(q)
            continue
        if token.type == "bwword":
            quantities.append(_Quantity(token.start, token.end, [_BW_WORDS[token.text]], "bandwidth", 1.0))
        elif token.type == "nines":
            nines = _NINES[token.text[0]]  # "4个9" is 99.99
            quantities.append(_Quantity(token.start, token.end, [100 - 10 ** (2 - nines)], "percent",
                                        kind="availability"))
        elif token.type == "zero":
            quantities.append(_Quantity(token.start, token.end, [0.0], "time", 60.0, "=", kind="rpo"))
        i += 1
    return quantities


class _Keywords:
    """The kind keywords of one clause, searchable by position."""

    def __init__(self, tokens: list[_Token], folded: str):
        self.tokens = [t for t in tokens if t.type == "kw"]
        self.kinds = [_KIND_OF[k.text] for k in self.tokens]
        self.starts = [k.start for k in self.tokens]
        self.group = []  # "RPO、RTO" and "RPO/RTO" share a group number
        for n, k in enumerate(self.tokens):
            joined = n and k.start - self.tokens[n - 1].end <= 8 and _CONNECTOR.fullmatch(
                folded, self.tokens[n - 1].end, k.start)
            self.group.append(self.group[-1] if joined else n)
        self.members: dict[int, list[int]] = {}
        for n, g in enumerate(self.group):
            self.members.setdefault(g, []).append(n)
        for g, members in list(self.members.items()):
            if len(members) > 6:  # a list, not a group
                for n in members:
                    self.group[n], self.members[n] = n, [n]

    def of(self, kinds) -> list[int]:
        return [n for n, kind in enumerate(self.kinds) if kind in kinds]


def _clause_figures(tokens: list[_Token], text: str, folded: str) -> list[tuple[int, Figure]]:
    quantities = _clause_quantities(tokens, folded, text)
    if not quantities:
        return []
    kw = _Keywords(tokens, folded)
    out: list[tuple[int, Figure]] = []
    done: set[int] = set()
    if any(t.type == "resp" for t in tokens):
        out += _respectively(quantities, kw, done, text)
    candidates = {"time": kw.of(_TIME_KINDS), "percent": kw.of({"availability"})}
    claimed: set[int] = set()
    present = set(kw.kinds)
    for index, q in enumerate(quantities):
        if index in done:
            continue
        kind = q.kind or {"size": "capacity", "distance": "distance", "bandwidth": "bandwidth"}.get(q.cls)
        if q.cls == "bandwidth?" and "bandwidth" in present or q.cls == "count" and "concurrency" in present:
            kind = "bandwidth" if q.cls == "bandwidth?" else "concurrency"
        if kind == "capacity" and (_MEMORY_BEFORE.search(folded, max(0, q.start - 12), q.start)
                                   or _MEMORY_AFTER.match(folded, q.end, q.end + 12)):
            continue  # 512GB 内存 is not storage
        if kind:
            out.append(_figure(kind, q, None, text))
        elif q.cls in candidates:
            for n in _choose(q, kw, candidates[q.cls], claimed):
                claimed.add(n)
                out.append(_figure(kw.kinds[n], q, kw.tokens[n], text))
        elif q.cls is None:
            out += _bare(q, kw, folded, text)
    return out


_MEMORY_BEFORE = re.compile(r"(?:内存|缓存|显存|(?<![a-z])(?:memory|ram|cache))[^0-9]{0,4}$")
_MEMORY_AFTER = re.compile(r"[^0-9]{0,4}?(?:内存|缓存|显存|(?<![a-z])(?:memory|ram|cache)(?![a-z]))")


def _choose(q: _Quantity, kw: _Keywords, candidates: list[int], claimed: set[int]) -> list[int]:
    """Keywords a time or percentage takes: the nearest unclaimed before, else after, else before;
    a whole group ("RPO、RTO均…") when none of it is claimed."""
    lo, hi = 0, len(candidates)
    while lo < hi:
        mid = (lo + hi) // 2
        lo, hi = (mid + 1, hi) if kw.starts[candidates[mid]] < q.start else (lo, mid)
    before = candidates[lo - 1] if lo else None
    after = candidates[lo] if lo < len(candidates) else None
    pick = before if before is not None and before not in claimed else (after if after is not None else before)
    if pick is None:
        return []
    allowed = _TIME_KINDS if q.cls == "time" else {"availability"}
    group = [n for n in kw.members[kw.group[pick]] if kw.kinds[n] in allowed]
    return group if len(group) > 1 and not claimed.intersection(group) else [pick]


def _respectively(quantities: list[_Quantity], kw: _Keywords, done: set[int], text: str):
    """"RPO 和 RTO 分别为 0 和 30 分钟": keywords and numbers paired in order."""
    out = []
    starts = [q.start for q in quantities]
    for group, members in list(kw.members.items()):
        # the numbers between this group and the next keyword
        limit = kw.starts[members[-1] + 1] if members[-1] + 1 < len(kw.starts) else len(text)
        members = [n for n in members if kw.kinds[n] in _TIME_KINDS | {"availability"}]
        if len(members) < 2:
            continue
        following = []
        for i in range(bisect_left(starts, kw.tokens[members[-1]].end), len(quantities)):
            if len(following) == len(members) or quantities[i].start >= limit:
                break
            if i not in done and quantities[i].cls in (None, "time", "percent"):
                following.append(i)
        if len(following) < len(members) or all(quantities[i].cls is None for i in following):
            continue
        shared = next(quantities[i] for i in reversed(following) if quantities[i].cls)
        op = next((quantities[i].op for i in following if quantities[i].op), None)
        for n, i in zip(members, following):
            q = quantities[i]
            if q.cls is None:
                q.cls, q.factor = shared.cls, shared.factor
            if q.op is None and not (q.numbers[0] == 0 and kw.kinds[n] in LOWER_IS_BETTER):
                q.op = op
            if (q.cls == "time") == (kw.kinds[n] in _TIME_KINDS):
                out.append(_figure(kw.kinds[n], q, kw.tokens[n], text))
            done.add(i)
    return out


def _bare(q: _Quantity, kw: _Keywords, folded: str, text: str) -> list[tuple[int, Figure]]:
    """A number without a unit counts only right beside a concurrency word, or as "RPO=0"."""
    at = bisect_left(kw.starts, q.start)
    for n in (at - 1, at):
        if not 0 <= n < len(kw.tokens):
            continue
        k = kw.tokens[n]
        beside = (k.end <= q.start and q.start - k.end <= 12 and _FILLER.fullmatch(folded, k.end, q.start)
                  or q.end <= k.start and _gap(folded, q.end, k.start, " \t个名+"))
        if not beside:
            continue
        if kw.kinds[n] == "concurrency":
            return [_figure("concurrency", q, k, text)]
        if kw.kinds[n] in ("rpo", "rto") and q.numbers == [0.0] and q.op in (None, "=", "<="):
            q.cls, q.factor = "time", 60.0
            return [_figure(kw.kinds[n], q, k, text)]
    return []


def _figure(kind: str, q: _Quantity, keyword: _Token | None, text: str) -> tuple[int, Figure]:
    scale = q.factor / _TIME_KIND_UNIT[kind] if q.cls == "time" else q.factor
    values = [round(n * scale, 9) for n in q.numbers]
    lower = kind in LOWER_IS_BETTER
    value = min(values) if lower else max(values)
    op = q.op
    if op == "better":
        op = "<" if lower else ">"
    elif op in (None, "not worse"):
        op = ("=" if value == 0 else "<=") if lower else ">="
    start, end = q.start, q.end
    if keyword is not None:  # raw is "RPO<15分钟" when the keyword is near, never a whole sentence
        gap = text[q.end:keyword.start] if keyword.start >= q.end else text[keyword.end:q.start]
        if len(gap) <= 12 and not any(c.isdigit() for c in gap):
            start, end = min(start, keyword.start), max(end, keyword.end)
    return q.start, Figure(kind, op, value, BASE_UNITS[kind], text[start:end].strip())
