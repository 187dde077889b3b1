"""The typed, frozen model of one case study (docs/case-study.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    """A reference case study from casebook/*.md (docs/case-study.md)."""

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
