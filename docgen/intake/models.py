"""Typed, frozen models of one client's requirements file (docs/requirements-file.md).

Loaders build these from YAML or xlsx; nothing past the loaders passes raw dicts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from docgen.core.errors import Location

PRIORITIES = ("must", "should", "could")
PRIORITY_RANK = {"must": 0, "should": 1, "could": 2}
TRUST_LEVELS = ("low", "medium", "high")


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
    project_name: str = ""  # on the cover and in the running header
    background: str = ""  # customer-facing: printed in the proposal
    internal_notes: str = ""  # for us only: the brief, never a customer document
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
