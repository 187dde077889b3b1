"""Synonym groups (synonyms.yaml): words that name one thing, in Chinese and English.

Read here, in core, because more than one domain groups words by them: the
casebook and the answer library search by them, the requirements analysis
counts 灾备, 容灾 and Disaster recovery as one category.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from docgen.core.errors import InputError, Location
from docgen.core.yamlload import load_yaml

CONCEPT = "="
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(rf"[{CJK_CLASS}]+")
SEPARATORS = re.compile(r"[\s\-_/]+")


def normalize(text: str) -> str:
    """Full-width → half-width, lower case: the form every term is made from."""
    return unicodedata.normalize("NFKC", text).lower()


def phrase_key(text: str) -> str:
    """The form a synonym word is stored in: normalized, separators as single spaces."""
    return SEPARATORS.sub(" ", normalize(text)).strip()


@dataclass(frozen=True)
class Synonyms:
    """Synonym groups; each group becomes one concept term."""

    groups: tuple[tuple[str, ...], ...] = ()

    def concept(self, index: int) -> str:
        return CONCEPT + self.groups[index][0]

    @property
    def digest(self) -> str:
        return hashlib.sha256(repr(self.groups).encode()).hexdigest()

    def cjk_words(self) -> list[str]:
        return [t for g in self.groups for t in g if CJK_RUN.fullmatch(t)]

    def group_of(self, name: str) -> int | None:
        """The index of the group holding `name` as a whole word (any case, - or _ as space), else None."""
        key = phrase_key(name)
        return next((i for i, group in enumerate(self.groups) if key in group), None)

    def matcher(self) -> Callable[[str], list[tuple[str, str]]]:
        """A function text -> [(concept term, surface text found)] (compiled once)."""
        owner: dict[str, int] = {}
        for i, group in enumerate(self.groups):
            for term in group:
                owner.setdefault(term, i)
        if not owner:
            return lambda text: []
        parts = []
        for term in sorted(owner, key=len, reverse=True):  # longest phrase wins
            escaped = re.escape(term)
            parts.append(escaped if CJK_RUN.fullmatch(term) else rf"(?<![a-z0-9]){escaped}(?![a-z0-9])")
        pattern = re.compile("|".join(parts))

        def find(text: str) -> list[tuple[str, str]]:
            flat = SEPARATORS.sub(" ", normalize(text))
            return [(self.concept(owner[m.group()]), m.group()) for m in pattern.finditer(flat)]

        return find


def bundled_synonyms_path() -> Path:
    """The synonyms.yaml shipped with the bundled casebook."""
    from docgen.core.config import bundled_path

    return bundled_path("casebook") / "synonyms.yaml"


def load_synonyms(path: str | Path | None) -> Synonyms:
    """Read synonyms.yaml (`groups: [[容灾, 灾备, …], …]`); a missing file means none."""
    if path is None or not Path(path).is_file():
        return Synonyms()
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text; save it as UTF-8", where=Location(file=file)) from None
    data = load_yaml(text, file).plain() or {}
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list) or not all(isinstance(g, list) for g in groups):
        raise InputError("expected 'groups:' followed by lists of words, e.g. - [容灾, 灾备]",
                         where=Location(file=file, field="groups"))
    clean = []
    for group in groups:
        words = tuple(dict.fromkeys(phrase_key(str(w)) for w in group if str(w).strip()))
        if len(words) >= 2:
            clean.append(words)
    return Synonyms(tuple(clean))
