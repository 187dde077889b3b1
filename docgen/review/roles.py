"""Review roles: the KPI catalog of one job (format: docs/review-role.md).

A role is a YAML file in templates/review/roles/ (or the company's own
templates folder, which wins file by file). Loading validates everything at
once — weights summing to 80 and 20, unique codes, well-formed machine rules —
and every problem names the file, the YAML line and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

from docgen.core.config import Settings, bundled_path
from docgen.core.errors import InputError, Location, Problems
from docgen.core.text import clean_text
from docgen.core.yamlload import BoundedLoader

KPI_TOTAL = 80
BEHAVIOR_TOTAL = 20
LEVELS = (5, 4, 3, 2, 1)
LEVEL_NAMES = {
    "zh": {5: "优秀", 4: "良好", 3: "合格", 2: "待改进", 1: "不合格"},
    "en": {5: "Excellent", 4: "Good", 3: "Meets", 2: "Needs improvement", 1: "Unsatisfactory"},
}
DEFAULT_GRADES = (("S", 95.0), ("A", 85.0), ("B", 70.0), ("C", 60.0))
DEFAULT_TOP_SHARE_LIMIT = 0.30
# A share of one or two people in a small team says nothing: the S+A check starts at this headcount.
DEFAULT_TOP_SHARE_MIN_HEADCOUNT = 5
RULE_TYPES = ("ratio", "bands", "deduction")
# Codes become column names such as K1.score, so no dots or spaces.
_CODE = re.compile(r"^[A-Z][A-Za-z0-9_]{0,9}$")


@dataclass(frozen=True)
class Band:
    min: float
    points: float


@dataclass(frozen=True)
class MachineRule:
    """How to compute a KPI score from target and actual (see the YAML header)."""

    type: str
    floor: float = 0.0
    cap: float = 1.0
    basis: str = "ratio"
    bands: tuple[Band, ...] = ()
    step: float = 1.0
    points: float = 1.0
    better: str = "higher"

    @property
    def needs_target(self) -> bool:
        return not (self.type == "bands" and self.basis == "actual")


@dataclass(frozen=True)
class Indicator:
    code: str
    section: str  # "kpi" or "behavior"
    name_zh: str
    name_en: str
    weight: float
    definition_zh: str = ""
    definition_en: str = ""
    source_zh: str = ""
    source_en: str = ""
    rule_zh: str = ""
    rule_en: str = ""
    unit_zh: str = ""
    unit_en: str = ""
    machine: MachineRule | None = None
    levels_zh: tuple[str, ...] = ()  # descriptors for levels 5, 4, 3, 2, 1
    levels_en: tuple[str, ...] = ()

    def text(self, name: str, lang: str) -> str:
        """`ind.text("definition", "en")` -> definition_en."""
        return getattr(self, f"{name}_{lang}")


@dataclass(frozen=True)
class Role:
    id: str
    name_zh: str
    name_en: str
    title_zh: str
    title_en: str
    kpis: tuple[Indicator, ...]
    behaviors: tuple[Indicator, ...]
    grades: tuple[tuple[str, float], ...] = DEFAULT_GRADES  # (grade, lower bound), best first; D below
    top_share_limit: float = DEFAULT_TOP_SHARE_LIMIT
    top_share_min_headcount: int = DEFAULT_TOP_SHARE_MIN_HEADCOUNT
    path: str = ""

    def text(self, name: str, lang: str) -> str:
        return getattr(self, f"{name}_{lang}")

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return self.kpis + self.behaviors


# --- YAML with line numbers ---------------------------------------------------

def _plain(loader: yaml.SafeLoader, node: yaml.Node, path: str, lines: dict[str, int]):
    """Python values from a composed YAML node, recording each path's line."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            out[key] = _plain(loader, value_node, f"{path}.{key}" if path else key, lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(loader, item, f"{path}[{i}]", lines) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def _read_yaml(path: Path) -> tuple[object, dict[str, int]]:
    where = Location(file=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read role file: {exc}", where=where) from None
    loader = BoundedLoader(text, str(path))  # refuses alias bombs and deep nesting
    try:
        node = loader.get_single_node()
        lines: dict[str, int] = {}
        return (_plain(loader, node, "", lines) if node is not None else None), lines
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', exc)}", where=where.with_(line=line)) from None
    finally:
        loader.dispose()


# --- validation ---------------------------------------------------------------

# The keys a role file may use; docs/review-role.md documents each (tests/test_docs.py checks).
ROLE_FIELDS = ("id", "name_zh", "name_en", "title_zh", "title_en", "grades", "top_share_limit",
               "top_share_min_headcount", "kpi", "behavior")
_TEXT_KEYS = ("definition", "source", "rule", "unit")
INDICATOR_FIELDS = ("code", "name_zh", "name_en", "weight", "machine", "levels_zh", "levels_en") + tuple(
    f"{k}_{lang}" for k in _TEXT_KEYS for lang in ("zh", "en")
)
RULE_FIELDS = {
    "ratio": ("type", "floor", "cap"),
    "bands": ("type", "basis", "bands"),
    "deduction": ("type", "step", "points", "better"),
}
BAND_FIELDS = ("min", "points")
BAND_BASES = ("ratio", "actual")  # bands.basis: compare actual/target, or the actual value itself
BETTER = ("higher", "lower")  # deduction.better: which direction of the actual value is good
GRADE_NAMES = ("S", "A", "B", "C")  # grades: lower bounds, best first; D is below C


class _Checker:
    """Validates one role file, collecting problems with file, line and field."""

    def __init__(self, path: Path, lines: dict[str, int]):
        self.path, self.lines, self.problems = path, lines, Problems()

    def where(self, key: str) -> Location:
        line = self.lines.get(key)
        probe = key
        while line is None and probe:  # a missing key: point at its parent
            probe = probe.rpartition(".")[0] if "." in probe else probe.rpartition("[")[0]
            line = self.lines.get(probe)
        return Location(file=str(self.path), line=line, field=key)

    def add(self, key: str, message: str) -> None:
        self.problems.add(self.where(key), message)

    def text(self, data: dict, key: str, path: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.add(path, "missing; expected text")
            return ""
        if not isinstance(value, str):
            self.add(path, f"expected text, got {value!r}; put it in quotes")
            return str(value)
        return clean_text(value).strip()

    def number(self, data: dict, key: str, path: str, default=None, low=None, high=None) -> float:
        value = data.get(key, default)
        if value is None:
            self.add(path, "missing; expected a number")
            return 0.0
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(path, f"expected a number, got {value!r}")
            return 0.0
        if (low is not None and value < low) or (high is not None and value > high):
            self.add(path, f"expected a number from {low} to {high}, got {value}")
        return float(value)

    def unknown(self, data: dict, allowed: set[str], path: str) -> None:
        for key in data:
            if key not in allowed:
                self.add(f"{path}.{key}" if path else key, f"unknown key; expected one of {', '.join(sorted(allowed))}")


def _rule(ck: _Checker, raw, path: str, weight: float) -> MachineRule | None:
    if not isinstance(raw, dict):
        ck.add(path, f"expected a mapping with type: {' | '.join(RULE_TYPES)}")
        return None
    kind = raw.get("type")
    if kind not in RULE_TYPES:
        ck.add(f"{path}.type", f"expected one of {', '.join(RULE_TYPES)}, got {kind!r}")
        return None
    ck.unknown(raw, RULE_FIELDS[kind], path)
    if kind == "ratio":
        cap = ck.number(raw, "cap", f"{path}.cap", default=1.0, low=0.01, high=1.0)
        floor = ck.number(raw, "floor", f"{path}.floor", default=0.0, low=0.0, high=1.0)
        if floor > cap:
            ck.add(f"{path}.floor", f"floor {floor} is above cap {cap}")
        return MachineRule("ratio", floor=floor, cap=cap)
    if kind == "deduction":
        step = ck.number(raw, "step", f"{path}.step", default=1.0, low=1e-9)
        points = ck.number(raw, "points", f"{path}.points", low=1e-9, high=weight)
        better = raw.get("better", BETTER[0])
        if better not in BETTER:
            ck.add(f"{path}.better", f"expected {' or '.join(BETTER)}, got {better!r}")
        return MachineRule("deduction", step=step, points=points, better=better)
    basis = raw.get("basis", BAND_BASES[0])
    if basis not in BAND_BASES:
        ck.add(f"{path}.basis", f"expected {' or '.join(BAND_BASES)}, got {basis!r}")
    bands_raw = raw.get("bands")
    if not isinstance(bands_raw, list) or not bands_raw:
        ck.add(f"{path}.bands", "expected a list of {min: …, points: …}, highest min first")
        return None
    bands = []
    for i, item in enumerate(bands_raw):
        bpath = f"{path}.bands[{i}]"
        if not isinstance(item, dict):
            ck.add(bpath, "expected {min: …, points: …}")
            continue
        ck.unknown(item, BAND_FIELDS, bpath)
        low = ck.number(item, "min", f"{bpath}.min")
        points = ck.number(item, "points", f"{bpath}.points", low=0, high=weight)
        if bands and low >= bands[-1].min:
            ck.add(f"{bpath}.min", f"bands must go from the highest min down; {low} follows {bands[-1].min}")
        bands.append(Band(low, points))
    return MachineRule("bands", basis=basis, bands=tuple(bands))


def _indicator(ck: _Checker, raw, path: str, section: str) -> Indicator | None:
    if not isinstance(raw, dict):
        ck.add(path, "expected a mapping with code, name_zh, name_en, weight, …")
        return None
    ck.unknown(raw, INDICATOR_FIELDS, path)
    code = ck.text(raw, "code", f"{path}.code")
    if code and not _CODE.match(code):
        ck.add(f"{path}.code", f"expected a short code such as K1 or B2 (letters, digits, _), got {code!r}")
    weight = ck.number(raw, "weight", f"{path}.weight", low=0.5, high=KPI_TOTAL)
    fields = {
        f"{k}_{lang}": ck.text(raw, f"{k}_{lang}", f"{path}.{k}_{lang}", required=(k == "rule" and section == "kpi"))
        for k in _TEXT_KEYS
        for lang in ("zh", "en")
    }
    machine = None
    if "machine" in raw:
        if section != "kpi":
            ck.add(f"{path}.machine", "machine rules apply to KPIs only; work performance is scored by level")
        else:
            machine = _rule(ck, raw["machine"], f"{path}.machine", weight)
    levels = {}
    for lang in ("zh", "en"):
        key = f"levels_{lang}"
        value = raw.get(key)
        if section == "kpi":
            if value is not None:
                ck.add(f"{path}.{key}", "level descriptors belong to work-performance items only")
            continue
        if not isinstance(value, list) or len(value) != 5 or not all(isinstance(v, str) and v.strip() for v in value):
            ck.add(f"{path}.{key}", "expected a list of 5 descriptors, for levels 5 (best) down to 1")
            value = []
        levels[key] = tuple(clean_text(v).strip() for v in value)
    return Indicator(
        code=code, section=section, weight=weight,
        name_zh=ck.text(raw, "name_zh", f"{path}.name_zh"), name_en=ck.text(raw, "name_en", f"{path}.name_en"),
        machine=machine, **fields, **levels,
    )


def _section(ck: _Checker, data: dict, key: str, total: int) -> tuple[Indicator, ...]:
    raw = data.get(key)
    if not isinstance(raw, list) or not raw:
        ck.add(key, f"expected a list of indicators with weights summing to {total}")
        return ()
    items = tuple(i for n, r in enumerate(raw) if (i := _indicator(ck, r, f"{key}[{n}]", key)) is not None)
    weight_sum = sum(Decimal(str(i.weight)) for i in items)
    if weight_sum != total:
        ck.add(key, f"weights sum to {weight_sum.normalize():f}; expected {total}")
    return items


def _grades(ck: _Checker, raw) -> tuple[tuple[str, float], ...]:
    if raw is None:
        return DEFAULT_GRADES
    if not isinstance(raw, dict) or set(raw) != set(GRADE_NAMES):
        ck.add("grades", "expected {S: …, A: …, B: …, C: …} (lower bounds; D is below C)")
        return DEFAULT_GRADES
    bounds = tuple((g, ck.number(raw, g, f"grades.{g}", low=0, high=100)) for g in GRADE_NAMES)
    if any(a[1] <= b[1] for a, b in zip(bounds, bounds[1:])):
        ck.add("grades", "expected S > A > B > C")
    return bounds


def parse_role(path: Path) -> Role:
    """Load and validate one role file; raises InputError with every problem."""
    data, lines = _read_yaml(path)
    ck = _Checker(path, lines)
    if not isinstance(data, dict):
        raise InputError("expected a role: a mapping with id, name_zh, name_en, kpi, behavior", where=Location(file=str(path)))
    ck.unknown(data, ROLE_FIELDS, "")
    role_id = ck.text(data, "id", "id")
    if role_id and role_id != path.stem:
        ck.add("id", f"expected {path.stem!r}, the file name without .yaml")
    kpis = _section(ck, data, "kpi", KPI_TOTAL)
    behaviors = _section(ck, data, "behavior", BEHAVIOR_TOTAL)
    seen: dict[str, str] = {}
    for section, items in (("kpi", kpis), ("behavior", behaviors)):
        for n, ind in enumerate(items):
            if ind.code and ind.code in seen:
                ck.add(f"{section}[{n}].code", f"code {ind.code} is used twice (also in {seen[ind.code]})")
            seen.setdefault(ind.code, section)
    name_zh, name_en = ck.text(data, "name_zh", "name_zh"), ck.text(data, "name_en", "name_en")
    role = Role(
        id=role_id, name_zh=name_zh, name_en=name_en,
        title_zh=ck.text(data, "title_zh", "title_zh", required=False) or f"{name_zh}绩效考核表",
        title_en=ck.text(data, "title_en", "title_en", required=False) or f"{name_en} Performance Review",
        kpis=kpis, behaviors=behaviors, grades=_grades(ck, data.get("grades")),
        top_share_limit=ck.number(data, "top_share_limit", "top_share_limit", default=DEFAULT_TOP_SHARE_LIMIT, low=0, high=1),
        top_share_min_headcount=int(ck.number(data, "top_share_min_headcount", "top_share_min_headcount",
                                              default=DEFAULT_TOP_SHARE_MIN_HEADCOUNT, low=1, high=100_000)),
        path=str(path),
    )
    ck.problems.raise_if_any()
    return role


# --- finding roles --------------------------------------------------------------

def role_dirs(settings: Settings | None = None) -> list[Path]:
    """Folders holding role files, the company's first."""
    dirs = []
    if settings is not None and settings.templates_dir is not None:
        dirs.append(settings.templates_dir / "review" / "roles")
    dirs.append(bundled_path("templates") / "review" / "roles")
    return [d for d in dirs if d.is_dir()]


def role_files(settings: Settings | None = None) -> dict[str, Path]:
    """Role id -> file; a company file replaces a bundled one of the same name."""
    found: dict[str, Path] = {}
    for folder in role_dirs(settings):
        for path in sorted(folder.glob("*.y*ml")):
            found.setdefault(path.stem, path)
    return dict(sorted(found.items()))


def load_role(name: str, settings: Settings | None = None) -> Role:
    """A role by id (presales-engineer) or by the path of a YAML file."""
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
        return parse_role(candidate)
    files = role_files(settings)
    if name not in files:
        known = ", ".join(files) or "none"
        raise InputError(f"unknown role {name!r}; expected one of: {known} (or the path of a role .yaml file)")
    return parse_role(files[name])


def list_roles(settings: Settings | None = None) -> list[Role]:
    """Every role, validated; one bad file fails with all its problems."""
    return [parse_role(path) for path in role_files(settings).values()]
