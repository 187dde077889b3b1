"""Client requirements files (docs/requirements-file.md): load, validate, summarise.

`load_requirements(path)` reads YAML or xlsx (docgen.intake.raw) and
turns the raw records into frozen models, gathering every problem with its
place before failing with InputError.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from docgen.core.errors import Location, Problem
from docgen.core.text import clean_text
from docgen.core.vocabulary import (
    INDUSTRIES,
    INDUSTRY_ALIASES,
    LANGUAGES,
    normalize_industry,
)
from docgen.intake.models import (
    PRIORITIES,
    TRUST_LEVELS,
    Client,
    Competitor,
    Contact,
    Requirement,
    RequirementsFile,
)
from docgen.intake.raw import (
    CLIENT_FIELDS,
    COMPETITOR_FIELDS,
    CONTACT_FIELDS,
    REQUIREMENT_FIELDS,
    Raw,
    RawFile,
    read_raw,
)

PRIORITY_ALIASES = {"高": "must", "中": "should", "低": "could", "必须": "must", "应该": "should", "可选": "could"}
TRUST_ALIASES = {"低": "low", "中": "medium", "高": "high"}
LANGUAGE_ALIASES = {"中文": "zh", "english": "en", "英文": "en", "chinese": "zh"}
# Separators between names in one cell: "张伟, 李强", "张伟/李强", "张伟、李强".
_NAME_SEPARATORS = re.compile(r"\s*(?:[,，、/;；&]|\s+and\s+)\s*")
_TAG_SEPARATORS = re.compile(r"\s*[,，、;；]\s*")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00)?)?")


def load_requirements(path: str | Path) -> RequirementsFile:
    """The validated requirements of one client; InputError listing every problem."""
    return check_requirements(path)[0]


def check_requirements(path: str | Path) -> tuple[RequirementsFile, list[Problem]]:
    """Like load_requirements, but also returns the warnings (ignored columns, defaults taken)."""
    raw = read_raw(path)
    req = _Validator(raw).build()
    raw.problems.raise_if_any()
    return req, raw.problems.warnings


class _Validator:
    def __init__(self, raw: RawFile):
        self.raw = raw
        self.problems = raw.problems
        self.file_where = Location(file=raw.source)

    # --- small converters; each reports its own problems ---------------------

    def text(self, raw: Raw | None) -> str:
        if raw is None or raw.value is None:
            return ""
        if not isinstance(raw.value, str):
            self.problems.add(raw.where, "expected text, got a list or mapping")
            return ""
        return clean_text(raw.value).strip()

    def required(self, record: Raw, name: str, what: str) -> str:
        value = self.text(record.value.get(name))
        if not value:
            self.problems.add(_field_where(record, name), f"{name} is required ({what})")
        return value

    def choice(self, raw: Raw | None, allowed: tuple[str, ...], aliases: dict[str, str], default: str) -> str:
        value = self.text(raw)
        if not value:
            return default
        found = _choice(value, allowed, aliases)
        if found is None:
            shown = ", ".join(allowed) + (f" (or {'/'.join(aliases)})" if aliases else "")
            self.problems.add(raw.where, f"{value!r} is not allowed; expected one of {shown}")
            return default
        return found

    def date(self, raw: Raw | None) -> dt.date | None:
        value = self.text(raw)
        if not value:
            return None
        match = _DATE.fullmatch(value)
        try:
            if match:
                return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
        self.problems.add(raw.where, f"{value!r} is not a date; expected a date like 2026-12-20")
        return None

    def records(self, raw: Raw | None, section: str, known: tuple[str, ...]) -> list[Raw]:
        """A list section's mappings (unknown fields warned about).

        Plain text items become {'name': text}: `contacts: [王主任]` is fine.
        """
        if raw is None or raw.value is None:
            return []
        if not isinstance(raw.value, list):
            self.problems.add(raw.where, f"{section} must be a list")
            return []
        items = []
        for item in raw.value:
            if isinstance(item.value, str):
                item = Raw({"name": item}, item.where)
            if not isinstance(item.value, dict):
                self.problems.add(item.where, f"each entry of {section} must be a mapping of fields")
                continue
            self.unknown_fields(item, known)
            items.append(item)
        return items

    def unknown_fields(self, record: Raw, known: tuple[str, ...]) -> None:
        for key, value in record.value.items():
            if key not in known:
                self.problems.warn(value.where, f"unknown field {key!r} ignored; expected one of {', '.join(known)}")

    # --- sections ---------------------------------------------------------------

    def build(self) -> RequirementsFile:
        client = self.client()
        requirements = self.requirements()
        competitors = tuple(
            Competitor(
                name=self.required(item, "name", "the competitor's name"),
                strengths=self.text(item.value.get("strengths")),
                weaknesses=self.text(item.value.get("weaknesses")),
            )
            for item in self.records(self.raw.competitors, "competitors", COMPETITOR_FIELDS)
        )
        return RequirementsFile(client=client, requirements=requirements, competitors=competitors,
                                source=self.raw.source)

    def client(self) -> Client | None:
        raw = self.raw.client
        if raw is None and "client" in self.raw.reported_missing:
            return None
        if raw is None or not isinstance(raw.value, dict):
            where = raw.where if raw is not None else self.file_where.with_(field="client")
            self.problems.add(where, "client section is missing; it needs at least name, industry and presales_owner")
            return None
        self.unknown_fields(raw, CLIENT_FIELDS)
        fields = raw.value
        name = self.required(raw, "name", "the client's name")
        industry = self.industry(raw)
        contacts = tuple(
            Contact(
                name=self.required(item, "name", "the contact's name"),
                role=self.text(item.value.get("role")),
                email=self.text(item.value.get("email")),
                phone=self.text(item.value.get("phone")),
            )
            for item in self.records(fields.get("contacts"), "contacts", CONTACT_FIELDS)
        )
        return Client(
            name=name,
            industry=industry,
            presales_owner=self.presales_owner(raw),
            language=self.choice(fields.get("language"), LANGUAGES, LANGUAGE_ALIASES, "zh"),
            trust=self.choice(fields.get("trust"), TRUST_LEVELS, TRUST_ALIASES, "medium"),
            sales_owner=self.text(fields.get("sales_owner")),
            region=self.text(fields.get("region")),
            deadline=self.date(fields.get("deadline")),
            background=self.text(fields.get("background")),
            internal_notes=self.text(fields.get("internal_notes")),
            project_name=self.text(fields.get("project_name")),
            contacts=contacts,
        )

    def industry(self, client: Raw) -> str:
        value = self.required(client, "industry", f"one of {', '.join(INDUSTRIES)}")
        if not value:
            return ""
        found = normalize_industry(value) or normalize_industry(value.split()[0])
        if found is None:
            self.problems.add(client.value["industry"].where,
                              f"unknown industry {value!r}; expected one of {', '.join(INDUSTRIES)} "
                              f"(or {', '.join(INDUSTRY_ALIASES)})")
            return ""
        return found

    def presales_owner(self, client: Raw) -> str:
        raw = client.value.get("presales_owner")
        if raw is not None and isinstance(raw.value, list):
            names = [self.text(item) for item in raw.value if self.text(item)]
        else:
            value = self.required(client, "presales_owner", "exactly one presales engineer owns each client")
            names = [n for n in _NAME_SEPARATORS.split(value) if n] if value else []
        if len(names) > 1:
            self.problems.add(raw.where, f"one presales owner per client (专人负责), found {len(names)}: "
                                         f"{', '.join(names)}; name one owner and put others in notes")
        elif not names and raw is not None and isinstance(raw.value, list):
            self.problems.add(raw.where, "presales_owner is required (exactly one presales engineer owns each client)")
        return names[0] if names else ""

    def requirements(self) -> tuple[Requirement, ...]:
        raw = self.raw.requirements
        if raw is None and "requirements" in self.raw.reported_missing:
            return ()
        if raw is None:
            self.problems.add(self.file_where.with_(field="requirements"),
                              "requirements are missing; at least one requirement is needed")
            return ()
        records = self.records(raw, "requirements", REQUIREMENT_FIELDS)
        if not raw.value:
            self.problems.add(raw.where, "requirements is empty; at least one requirement is needed")
        seen: dict[str, Raw] = {}
        result = []
        for record in records:
            ident = self.required(record, "id", "a unique id such as R1")
            if ident and ident.casefold() in seen:
                first = seen[ident.casefold()].where
                self.problems.add(record.value["id"].where,
                                  f"duplicate id {ident!r}; ids must be unique (first used at {_short(first)})")
            elif ident:
                seen[ident.casefold()] = record.value["id"]
            priority_raw = record.value.get("priority")
            if not self.text(priority_raw):
                self.problems.warn(_field_where(record, "priority"), "priority is empty; taken as should")
            result.append(Requirement(
                id=ident,
                text=self.required(record, "text", "what the client asked for"),
                category=self.required(record, "category", "groups requirements into proposal sections"),
                priority=self.choice(priority_raw, PRIORITIES, PRIORITY_ALIASES, "should"),
                tags=self.tags(record.value.get("tags")),
                notes=self.text(record.value.get("notes")),
                where=record.where,
            ))
        return tuple(result)

    def tags(self, raw: Raw | None) -> tuple[str, ...]:
        if raw is None or raw.value is None:
            return ()
        parts = [self.text(item) for item in raw.value] if isinstance(raw.value, list) else [self.text(raw)]
        tags = [tag for part in parts for tag in _TAG_SEPARATORS.split(part) if tag]
        return tuple(dict.fromkeys(tags))


def _choice(value: str, allowed: tuple[str, ...], aliases: dict[str, str]) -> str | None:
    # "must", "MUST", "必须", and dropdown labels such as "must 必须" all count.
    for candidate in (value, value.split()[0]):
        if candidate.lower() in allowed:
            return candidate.lower()
        if candidate in aliases or candidate.lower() in aliases:
            return aliases.get(candidate) or aliases[candidate.lower()]
    return None


def _field_where(record: Raw, name: str) -> Location:
    if name in record.value:
        return record.value[name].where
    parent = record.where.field
    return record.where.with_(field=f"{parent}.{name}" if parent else name)


def _short(where: Location) -> str:
    return f"row {where.row}" if where.row is not None else f"line {where.line}"


# --- summary ----------------------------------------------------------------

@dataclass(frozen=True)
class RequirementsSummary:
    client: str
    industry: str
    presales_owner: str
    sales_owner: str
    language: str
    trust: str
    deadline: dt.date | None
    requirement_count: int
    by_priority: tuple[tuple[str, int], ...]  # must, should, could
    by_category: tuple[tuple[str, int, int], ...]  # category, requirements, must-haves
    contact_count: int
    competitor_count: int
    warnings: tuple[str, ...]


# Words that usually mark a note for us, not for the client (checked in `background`).
INTERNAL_WORDS = ("存疑", "竞争", "友商", "报价", "毛利", "利润", "内部", "不要提", "doubt", "competitor",
                  "margin", "internal", "pricing", "do not mention")


def internal_words(text: str) -> list[str]:
    folded = text.casefold()
    return [word for word in INTERNAL_WORDS if word in folded]


def summarize(req: RequirementsFile, today: dt.date | None = None) -> RequirementsSummary:
    today = today or dt.date.today()
    client = req.client
    priorities = Counter(r.priority for r in req.requirements)
    categories = Counter(r.category for r in req.requirements)
    musts = Counter(r.category for r in req.must_haves)
    warnings = []
    if not req.must_haves:
        warnings.append("no must-have requirement: ask the client what they cannot do without")
    if client.deadline is not None and client.deadline < today:
        warnings.append(f"deadline {client.deadline.isoformat()} has passed")
    if not client.contacts:
        warnings.append("no client contact: add who we talk to (name, role)")
    if not req.competitors:
        warnings.append("no competitors listed: the internal brief will have no competitor analysis")
    internal = internal_words(client.background)
    if internal:
        warnings.append(f"background mentions {', '.join(internal)}: background is printed in the proposal; "
                        "move notes meant for us to internal_notes")
    return RequirementsSummary(
        client=client.name, industry=client.industry, presales_owner=client.presales_owner,
        sales_owner=client.sales_owner, language=client.language, trust=client.trust,
        deadline=client.deadline, requirement_count=len(req.requirements),
        by_priority=tuple((p, priorities.get(p, 0)) for p in PRIORITIES),
        by_category=tuple((c, n, musts.get(c, 0)) for c, n in categories.items()),
        contact_count=len(client.contacts), competitor_count=len(req.competitors),
        warnings=tuple(warnings),
    )


def format_summary(summary: RequirementsSummary, extra_warnings: list[Problem] = ()) -> str:
    """The text `docgen requirements check` prints."""
    lines = [
        f"client:         {summary.client} ({summary.industry}, language {summary.language}, trust {summary.trust})",
        f"presales owner: {summary.presales_owner}" + (f"; sales: {summary.sales_owner}" if summary.sales_owner else ""),
        f"deadline:       {summary.deadline.isoformat() if summary.deadline else '-'}",
        f"requirements:   {summary.requirement_count} ("
        + ", ".join(f"{p} {n}" for p, n in summary.by_priority) + ")",
        "by category:",
    ]
    width = max((_display_width(c) for c, _, _ in summary.by_category), default=0)
    lines += [f"  {c}{' ' * (width - _display_width(c))}  {n:>3}  (must {m})" for c, n, m in summary.by_category]
    lines.append(f"contacts: {summary.contact_count}; competitors: {summary.competitor_count}")
    warnings = [f"warning: {w}" for w in summary.warnings] + [f"warning: {p}" for p in extra_warnings]
    return "\n".join(lines + warnings)


def _display_width(text: str) -> int:
    # Chinese characters take two terminal columns.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
