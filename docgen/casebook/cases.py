"""Load and validate the casebook: one Markdown file per case study (docs/case-study.md).

Every problem in every file is gathered before failing, each naming the file,
the front-matter line and the field. `lint` adds the softer checks sales
managers care about: cases nobody owns, cases nobody has reviewed for a year.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from docgen.casebook.models import Case
from docgen.core.errors import InputError, Location, Problem, Problems
from docgen.core.frontmatter import read_front_matter
from docgen.core.text import clean_text
from docgen.core.vocabulary import INDUSTRIES, LANGUAGES, normalize_industry
from docgen.core.yamlload import Node

# The front-matter fields of a case; docs/case-study.md documents each (tests/test_docs.py checks it does).
REQUIRED = ("id", "title", "client", "industry", "tags", "year", "language", "external", "summary")
OPTIONAL = ("owner", "last_reviewed", "outcome")
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_TRUE = {"true", "yes", "on", "是"}
_FALSE = {"false", "no", "off", "否"}
STALE_AFTER_DAYS = 365


def case_files(directory: str | Path) -> list[Path]:
    """The case files of a casebook folder, in a stable order."""
    folder = Path(directory)
    if not folder.is_dir():
        raise InputError(f"casebook folder not found: {folder}")
    return sorted(p for p in folder.glob("*.md") if p.is_file())


def load_casebook(directory: str | Path) -> list[Case]:
    """Every case in `directory`, validated; InputError lists all problems at once."""
    problems = Problems()
    cases: list[Case] = []
    first_use: dict[str, Path] = {}
    for path in case_files(directory):
        case = _load_case(path, problems, first_use)
        if case is not None:
            cases.append(case)
    problems.raise_if_any()
    return cases


def load_case_file(path: str | Path) -> Case:
    """One case file, validated."""
    problems = Problems()
    case = _load_case(Path(path), problems, {})
    problems.raise_if_any()
    assert case is not None  # no errors means a case was built
    return case


def _load_case(path: Path, problems: Problems, first_use: dict[str, Path]) -> Case | None:
    loaded = read_front_matter(path, problems, what="the case", missing=(
        "no front matter: a case starts with '---', the fields (id, title, …), then '---'"))
    if loaded is None:
        return None
    fields, body, _ = loaded
    return _build_case(path, fields, body, problems, first_use)


def _build_case(path: Path, fields: dict[str, Node], body: str, problems: Problems,
                first_use: dict[str, Path]) -> Case | None:
    file = str(path)
    before = len(problems.errors)

    def where(name: str) -> Location:
        node = fields.get(name)
        return Location(file=file, line=node.line if node else None, field=name)  # file lines

    def text(name: str) -> str:
        node = fields.get(name)
        if node is None or node.value is None or (isinstance(node.value, str) and not node.value.strip()):
            if name in REQUIRED:
                problems.add(where(name), f"missing required field '{name}'")
            return ""
        if not isinstance(node.value, str):
            problems.add(where(name), f"'{name}' must be a single text value")
            return ""
        return clean_text(node.value).strip()

    case_id, title, client, summary = text("id"), text("title"), text("client"), text("summary")
    if case_id and not _SAFE_ID.match(case_id):
        problems.add(where("id"), f"id {case_id!r} must be file-name safe: letters, digits, '-', '_' or '.'")
    if case_id in first_use:
        problems.add(where("id"), f"duplicate id {case_id!r}: already used by {first_use[case_id]}")
    elif case_id:
        first_use[case_id] = path
    industry_raw = text("industry")
    industry = normalize_industry(industry_raw) if industry_raw else None
    if industry_raw and industry is None:
        problems.add(where("industry"),
                     f"unknown industry {industry_raw!r}; expected one of {', '.join(INDUSTRIES)} (or 金融, 政府, 制造, …)")
    language = text("language").lower()
    if language and language not in LANGUAGES:
        problems.add(where("language"), f"language {language!r} must be zh or en")
    year = _year(text("year"), where("year"), problems)
    external = _bool(text("external"), where("external"), problems)
    tags = _tags(fields.get("tags"), where("tags"), problems)
    last_reviewed = _date(text("last_reviewed"), where("last_reviewed"), problems)
    if not body.strip():
        problems.add(Location(file=file), "the case has no text after the front matter")
    if len(problems.errors) > before:
        return None
    return Case(
        id=case_id, title=title, client=client, industry=industry, tags=tags, year=year,
        language=language, external=external, summary=summary, body=clean_text(body).strip() + "\n",
        path=file, owner=text("owner"), last_reviewed=last_reviewed, outcome=text("outcome"),
    )


def _year(value: str, where: Location, problems: Problems) -> int:
    if not value:
        return 0
    if not value.isdigit() or not 1980 <= int(value) <= 2100:
        problems.add(where, f"year {value!r} must be a four-digit year such as 2024")
        return 0
    return int(value)


def _bool(value: str, where: Location, problems: Problems) -> bool:
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    if value:
        problems.add(where, f"external {value!r} must be true (may be shown to clients) or false (internal only)")
    return False


def _tags(node: Node | None, where: Location, problems: Problems) -> tuple[str, ...]:
    if node is None or node.value is None:
        problems.add(where, "missing required field 'tags' (a list such as [storage, backup])")
        return ()
    if isinstance(node.value, str):  # "storage, backup" is forgiven
        items = node.value.split(",")
    elif isinstance(node.value, list) and all(isinstance(i.value, str) for i in node.value):
        items = [i.value for i in node.value]
    else:
        problems.add(where, "tags must be a list of words such as [storage, backup]")
        return ()
    tags = tuple(clean_text(i).strip() for i in items)
    return tuple(t for t in tags if t)


def _date(value: str, where: Location, problems: Problems) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.add(where, f"date {value!r} must be written YYYY-MM-DD")
        return None


def lint(cases: list[Case], today: dt.date) -> list[Problem]:
    """Cases that need a person's attention: no owner, never or long not reviewed, half-width punctuation in Chinese text."""
    from docgen.core import zhpunct  # its patterns cost every search 10-40 ms to import; only lint needs them

    found: list[Problem] = []
    for case in cases:
        where = Location(file=case.path)
        if not case.owner:
            found.append(Problem(where.with_(field="owner"), f"{case.id}: no owner; add 'owner:' so someone keeps it current", True))
        if case.last_reviewed is None:
            found.append(Problem(where.with_(field="last_reviewed"), f"{case.id}: never reviewed; add 'last_reviewed: YYYY-MM-DD'", True))
        elif (today - case.last_reviewed).days > STALE_AFTER_DAYS:
            found.append(Problem(where.with_(field="last_reviewed"),
                                 f"{case.id}: stale, last reviewed {case.last_reviewed.isoformat()} (more than a year ago)", True))
        if case.path:
            found += zhpunct.warnings(case.path, case.id)
    return found
