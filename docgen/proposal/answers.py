"""The response library (应答库): reusable answers to single requirements, with declared figures.

Each file in `templates/proposal/answers/` (bundled) or in the company's own
`<templates>/proposal/answers/` is one answer (docs/answers.md):

    ---
    id: dr-active-active-zh
    language: zh
    categories: [灾备, 容灾]
    tags: [disaster-recovery, active-active]
    questions: [同城双活数据中心建设, 核心系统RPO=0的双活架构]
    compliance: full                  # full | partial
    capabilities: {rpo_minutes: 0, rto_minutes: 30, standards: [等保2.0三级]}
    owner: 张伟
    last_reviewed: 2026-06-30
    evidence: [bank-active-active-2024]
    ---
    The answer text (Markdown) …

`capabilities` are what we can deliver, never more: compliance decisions
compare a client's figures against them, so their keys are a fixed vocabulary.
An answers folder may also hold a `synonyms.yaml` (the casebook's format) whose
groups are added to the casebook's synonyms for matching.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from docgen.casebook.tokens import Synonyms, load_synonyms
from docgen.core import zhpunct
from docgen.core.errors import Location, Problem, Problems
from docgen.core.frontmatter import read_front_matter
from docgen.core.text import clean_text
from docgen.core.vocabulary import LANGUAGES
from docgen.core.yamlload import Node

# The front-matter fields of an answer; docs/answers.md documents each (tests/test_docs.py checks it).
ANSWER_FIELDS = ("id", "language", "categories", "tags", "questions", "compliance", "capabilities",
                 "owner", "last_reviewed", "evidence")
COMPLIANCE_LEVELS = ("full", "partial")
# Numeric capabilities and which way is better: a client asking RPO < 15 is met by 5;
# one asking retention ≥ 180 days is met by 3650.
LOWER_IS_BETTER = ("rpo_minutes", "rto_minutes", "response_seconds")
HIGHER_IS_BETTER = ("retention_days", "distance_km", "availability_percent", "capacity_tb", "bandwidth_mbps",
                    "concurrent_users")
NUMERIC_CAPABILITIES = {**{key: "lower" for key in LOWER_IS_BETTER}, **{key: "higher" for key in HIGHER_IS_BETTER}}
CAPABILITY_KEYS = (*NUMERIC_CAPABILITIES, "standards")
# The names `standards` accepts, spelled as stored (matching ignores case, spaces, '-', '.' and full width).
# The canonical names of docgen.proposal.figures (which compares them with a client's), plus a few it
# does not extract; a family without its level or algorithm (等保2.0, 国密, CMMI) is too vague to declare.
STANDARDS = (
    "等保2.0一级", "等保2.0二级", "等保2.0三级", "等保2.0四级",
    "MLPS level 1", "MLPS level 2", "MLPS level 3", "MLPS level 4",
    "SM2", "SM3", "SM4", "SM9", "密评", "关键信息基础设施保护", "GB/T 20988", "信创",
    "ISO 27001", "ISO 27701", "ISO 27017", "ISO 27018", "ISO 20000", "ISO 9001", "ISO 14001", "ISO 22301",
    "ISO 45001", "CMMI3", "CMMI4", "CMMI5", "ITSS",
    "PCI DSS", "GDPR", "PIPL", "PDPA", "SOC 2", "HIPAA", "MTCS SS 584", "MAS TRM",
)
STALE_AFTER_DAYS = 365
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_NAME_NOISE = re.compile(r"[\s\-_.]+")


class Capabilities(Mapping[str, object]):
    """Declared figures, read-only (and hashable and picklable, unlike a mappingproxy)."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, object] | None = None) -> None:
        self._items = dict(items or {})

    def __getitem__(self, key: str) -> object:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._items.items())))

    def __repr__(self) -> str:
        return f"Capabilities({self._items!r})"


@dataclass(frozen=True)
class AnswerEntry:
    """One reusable answer (docs/answers.md)."""

    id: str
    language: str
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    questions: tuple[str, ...]
    compliance: str  # "full" | "partial"
    # key -> int | float (NUMERIC_CAPABILITIES), or "standards" -> tuple of STANDARDS names; read-only
    capabilities: Capabilities
    owner: str
    last_reviewed: dt.date | None
    evidence: tuple[str, ...]  # case ids in the casebook
    text: str  # Markdown after the front matter
    path: str = field(default="", compare=False)


class AnswerLibrary:
    """The loaded entries (sorted by id) and the synonyms matching uses.

    A sequence of AnswerEntry. docgen.proposal.answer_match builds its search
    index once per library and keeps it here (`cached_index`).
    """

    def __init__(self, entries: list[AnswerEntry] | tuple[AnswerEntry, ...], synonyms: Synonyms | None = None) -> None:
        self.entries = tuple(sorted(entries, key=lambda e: e.id))
        self.synonyms = synonyms or Synonyms()
        self._index: object | None = None

    def __iter__(self) -> Iterator[AnswerEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, index: int) -> AnswerEntry:
        return self.entries[index]

    def __getstate__(self) -> dict:
        # The index holds jieba's cutter: a copy sent to another process builds its own.
        return {**self.__dict__, "_index": None}

    def by_id(self, entry_id: str) -> AnswerEntry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def cached_index(self, build: Callable[[AnswerLibrary], object]) -> object:
        """The index `build(self)` made the first time it was asked for."""
        if self._index is None:
            self._index = build(self)
        return self._index


# --- loading -----------------------------------------------------------------------------------------

def load_answer_file(path: Path | str, problems: Problems) -> AnswerEntry | None:
    """One answer file; every problem goes to `problems` with file, line and field."""
    path = Path(path)
    where = Location(file=str(path))
    loaded = read_front_matter(path, problems, what="the answer")
    if loaded is None:
        return None
    fields, body, body_line = loaded
    return _Validator(fields, where, problems).entry(body, body_line)


class _Validator:
    """Turns one file's front-matter nodes into an AnswerEntry, reporting every problem."""

    def __init__(self, fields: dict[str, Node], where: Location, problems: Problems) -> None:
        self.fields, self.where, self.problems = fields, where, problems

    def at(self, name: str) -> Location:
        node = self.fields.get(name)
        return self.where.with_(field=name, line=node.line if node else None)

    def entry(self, body: str, body_line: int) -> AnswerEntry | None:
        before = len(self.problems.errors)
        for name in self.fields:
            if name not in ANSWER_FIELDS:
                hint = "; the answer text goes after the front matter" if name in ("answer", "text", "body") else ""
                self.problems.add(self.at(name), f"unknown field; known fields: {', '.join(ANSWER_FIELDS)}{hint}")
        entry_id = self.text("id", required=True)
        if entry_id and not _ID.match(entry_id):
            self.problems.add(self.at("id"), f"{entry_id!r} must be file-name safe (letters, digits, . _ -)")
        language = self.text("language", required=True)
        if language and language not in LANGUAGES:
            self.problems.add(self.at("language"), f"expected zh or en, got {language!r}")
        shape_errors = len(self.problems.errors)
        categories, tags = self.words("categories"), self.words("tags")
        if not categories and not tags and len(self.problems.errors) == shape_errors:
            self.problems.add(self.at("categories"), "list the requirement categories or tags the answer is for, e.g. [灾备, 容灾]")
        shape_errors = len(self.problems.errors)
        questions = self.words("questions")
        if not questions and len(self.problems.errors) == shape_errors:
            self.problems.add(self.at("questions"), "list a few phrasings of what the answer answers")
        compliance = self.text("compliance", required=True)
        if compliance and compliance not in COMPLIANCE_LEVELS:
            self.problems.add(self.at("compliance"), f"expected full or partial, got {compliance!r}")
        capabilities = self.capabilities()
        owner, last_reviewed, evidence = self.text("owner"), self.date("last_reviewed"), self.words("evidence")
        text = clean_text(body).strip()
        if not text:
            self.problems.add(self.where.with_(line=body_line, field="text"), "the answer has no text after the front matter")
        if len(self.problems.errors) > before:
            return None
        return AnswerEntry(
            id=entry_id, language=language, categories=categories, tags=tags, questions=questions,
            compliance=compliance, capabilities=Capabilities(capabilities), owner=owner,
            last_reviewed=last_reviewed, evidence=evidence, text=text, path=self.where.file or "",
        )

    def text(self, name: str, *, required: bool = False) -> str:
        node = self.fields.get(name)
        if node is None or node.value is None or (isinstance(node.value, str) and not node.value.strip()):
            if required:
                self.problems.add(self.at(name), "is required")
            return ""
        if not isinstance(node.value, str):
            self.problems.add(self.at(name), "expected a single text value")
            return ""
        return clean_text(node.value).strip()

    def words(self, name: str) -> tuple[str, ...]:
        node = self.fields.get(name)
        if node is None or node.value is None:
            return ()
        if isinstance(node.value, str):  # `tags: backup` is a list of one
            value = clean_text(node.value).strip()
            return (value,) if value else ()
        if not isinstance(node.value, list) or not all(isinstance(item.value, str) for item in node.value):
            self.problems.add(self.at(name), "expected a list of texts, e.g. [backup, 备份]")
            return ()
        return tuple(clean_text(item.value).strip() for item in node.value if item.value.strip())

    def date(self, name: str) -> dt.date | None:
        value = self.text(name)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.problems.add(self.at(name), f"date {value!r} must be written YYYY-MM-DD")
            return None

    def capabilities(self) -> dict[str, object]:
        node = self.fields.get("capabilities")
        if node is None or node.value is None:
            return {}
        if not isinstance(node.value, dict):
            self.problems.add(self.at("capabilities"), "expected 'key: value' lines such as rpo_minutes: 0")
            return {}
        found: dict[str, object] = {}
        for key, value in node.value.items():
            where = self.where.with_(field=f"capabilities.{key}", line=value.line)
            if key == "standards":
                found[key] = self._standards(value, where)
            elif key in NUMERIC_CAPABILITIES:
                number = self._number(key, value, where)
                if number is not None:
                    found[key] = number
            else:
                self.problems.add(where, f"unknown capability; known: {', '.join(CAPABILITY_KEYS)}")
        return found

    def _number(self, key: str, node: Node, where: Location) -> int | float | None:
        raw = node.value.strip() if isinstance(node.value, str) else None
        if raw is None or not _NUMBER.match(raw):
            self.problems.add(where, f"expected a number ≥ 0 such as 30 or 99.99, got {node.plain()!r}")
            return None
        number = float(raw) if "." in raw else int(raw)
        if key == "availability_percent" and not 0 < number <= 100:
            self.problems.add(where, f"a percentage must be above 0 and at most 100, got {raw}")
            return None
        return number

    def _standards(self, node: Node, where: Location) -> tuple[str, ...]:
        items = [node] if isinstance(node.value, str) else node.value if isinstance(node.value, list) else None
        if items is None or not all(isinstance(item.value, str) for item in items):
            self.problems.add(where, "expected a list of standard names, e.g. [等保2.0三级, SM4]")
            return ()
        names = []
        for item in items:
            name = canonical_standard(item.value)
            if name is None:
                self.problems.add(where, f"unknown standard {item.value!r}; known: {', '.join(STANDARDS)}")
            else:
                names.append(name)
        return tuple(dict.fromkeys(names))


def _name_key(name: str) -> str:
    return _NAME_NOISE.sub("", unicodedata.normalize("NFKC", name).lower())


_STANDARD_KEYS = {_name_key(name): name for name in STANDARDS}


def canonical_standard(name: str) -> str | None:
    """'iso27001', 'ＳＭ４' or 'pci-dss' -> the STANDARDS spelling; None when unknown."""
    return _STANDARD_KEYS.get(_name_key(name))


def load_answers(*folders: Path | str | None, synonyms: Synonyms | None = None) -> AnswerLibrary:
    """Every `*.md` answer in the folders (later folders replace same ids), validated.

    Gathers every problem in every file before raising InputError. Matching uses
    `synonyms` (default: the bundled casebook's) plus each folder's own
    `synonyms.yaml`.
    """
    from docgen.casebook.search import synonyms_path

    problems = Problems()
    by_id: dict[str, AnswerEntry] = {}
    groups = list((synonyms or load_synonyms(synonyms_path(None))).groups)
    for folder in folders:
        if folder is None or not Path(folder).is_dir():
            continue
        seen_here: dict[str, str] = {}
        for path in sorted(Path(folder).glob("*.md")):
            entry = load_answer_file(path, problems)
            if entry is None:
                continue
            if entry.id in seen_here:
                problems.add(Location(file=str(path), field="id"), f"id {entry.id!r} is also used by {seen_here[entry.id]}")
                continue
            seen_here[entry.id] = str(path)
            by_id[entry.id] = entry
        groups += load_synonyms(Path(folder) / "synonyms.yaml").groups
    problems.raise_if_any()
    return AnswerLibrary(list(by_id.values()), merge_synonym_groups(groups))


def merge_synonym_groups(groups: list[tuple[str, ...]]) -> Synonyms:
    """Groups sharing a word become one group (a word belongs to one concept)."""
    merged: list[list[str]] = []
    for group in groups:
        joined = [g for g in merged if set(g) & set(group)]
        target = joined[0] if joined else []
        for other in joined[1:]:
            target += [w for w in other if w not in target]
            merged.remove(other)
        target += [w for w in group if w not in target]
        if not joined:
            merged.append(target)
    return Synonyms(tuple(tuple(g) for g in merged))


def library_folders(settings) -> list[Path]:
    """Bundled answers first, then the company's own (which win on equal ids)."""
    from docgen.core.config import bundled_path

    folders = [bundled_path("templates") / "proposal" / "answers"]
    if settings is not None and settings.templates_dir is not None:
        folders.append(settings.templates_dir / "proposal" / "answers")
    return folders


def load_library(settings=None) -> AnswerLibrary:
    """The bundled library with the company's own answers (from settings.templates_dir) over it."""
    return load_answers(*library_folders(settings))


# --- lint -----------------------------------------------------------------------------------------

def lint(entries, today: dt.date, case_ids: set[str] | frozenset[str] | None = None) -> list[Problem]:
    """Answers that need a person: no owner, never or long not reviewed, evidence not in the casebook,
    half-width punctuation in Chinese text.

    `case_ids`: the casebook's ids; None skips the evidence check.
    """
    found: list[Problem] = []
    for entry in entries:
        where = Location(file=entry.path)
        if not entry.owner:
            found.append(Problem(where.with_(field="owner"), f"{entry.id}: no owner; add 'owner:' so someone keeps it true", True))
        if entry.last_reviewed is None:
            found.append(Problem(where.with_(field="last_reviewed"),
                                 f"{entry.id}: never reviewed; add 'last_reviewed: YYYY-MM-DD'", True))
        elif (today - entry.last_reviewed).days > STALE_AFTER_DAYS:
            found.append(Problem(where.with_(field="last_reviewed"),
                                 f"{entry.id}: stale, last reviewed {entry.last_reviewed.isoformat()} (more than a year ago)",
                                 True))
        if case_ids is not None:
            for case_id in entry.evidence:
                if case_id not in case_ids:
                    found.append(Problem(where.with_(field="evidence"),
                                         f"{entry.id}: evidence {case_id!r} is not a case in the casebook", True))
        if entry.path:
            found += zhpunct.warnings(entry.path, entry.id)
    return found
