"""Typed, frozen models shared by every stage after loading (contracts 1 and 2).

Loaders build these from files; nothing past the loaders passes raw dicts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from docgen.errors import Location

INDUSTRIES = (
    "finance", "government", "manufacturing", "energy", "healthcare", "education",
    "telecom", "retail", "transport", "internet", "other",
)
INDUSTRY_ALIASES = {
    "金融": "finance", "政府": "government", "制造": "manufacturing", "能源": "energy",
    "医疗": "healthcare", "教育": "education", "运营商": "telecom", "零售": "retail",
    "交通": "transport", "互联网": "internet", "其他": "other",
}
INDUSTRY_NAMES_ZH = {v: k for k, v in INDUSTRY_ALIASES.items()}

PRIORITIES = ("must", "should", "could")
PRIORITY_RANK = {"must": 0, "should": 1, "could": 2}
TRUST_LEVELS = ("low", "medium", "high")
LANGUAGES = ("zh", "en")


def normalize_industry(value: str) -> str | None:
    """'金融' or 'Finance' -> 'finance'; None when unknown."""
    text = str(value).strip()
    if text.lower() in INDUSTRIES:
        return text.lower()
    return INDUSTRY_ALIASES.get(text)


@dataclass(frozen=True)
class Contact:
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Client:
    name: str
    industry: str
    presales_owner: str
    language: str = "zh"
    trust: str = "medium"
    sales_owner: str = ""
    region: str = ""
    deadline: dt.date | None = None
    background: str = ""
    contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class Requirement:
    id: str
    text: str
    category: str
    priority: str = "should"
    tags: tuple[str, ...] = ()
    notes: str = ""
    where: Location = field(default_factory=Location, compare=False, repr=False)


@dataclass(frozen=True)
class Competitor:
    name: str
    strengths: str = ""
    weaknesses: str = ""


@dataclass(frozen=True)
class RequirementsFile:
    """One client's requirements, as loaded from YAML or xlsx."""

    client: Client
    requirements: tuple[Requirement, ...]
    competitors: tuple[Competitor, ...] = ()
    source: str = field(default="", compare=False)

    @property
    def must_haves(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.priority == "must")


@dataclass(frozen=True)
class Case:
    """A reference case study from casebook/*.md (contract 2)."""

    id: str
    title: str
    client: str
    industry: str
    tags: tuple[str, ...]
    year: int
    language: str
    external: bool
    summary: str
    body: str  # Markdown after the front matter
    path: str = field(default="", compare=False)
    owner: str = ""
    last_reviewed: dt.date | None = None
    outcome: str = ""
