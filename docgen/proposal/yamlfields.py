"""Reading the fields of a YAML mapping with messages that name file, line and field.

Shared by the company knowledge loaders (docgen.proposal.company): text,
lists of words, whole numbers in a range, ISO dates and lists of mappings,
each problem added to a Problems collector instead of raised, so a file's
problems are all reported at once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docgen.core.errors import InputError, Location, Problems
from docgen.core.text import clean_text
from docgen.core.yamlload import Node, load_yaml


def read_yaml(path: Path, problems: Problems) -> Node | None:
    """The YAML file at `path` as Nodes, or None with its problems (missing, not UTF-8, bad YAML) added."""
    if not path.is_file():
        problems.add(Location(file=str(path)), "not found" if not path.exists() else "expected a file, found a folder")
        return None
    try:
        return load_yaml(path.read_text(encoding="utf-8-sig"), str(path))
    except UnicodeDecodeError:
        problems.add(Location(file=str(path)), "not UTF-8 text")
    except InputError as exc:
        for problem in exc.problems:
            problems.add(problem.where, problem.message)
    return None


class Fields:
    """The fields of one YAML mapping, read with messages naming file, line and field."""

    def __init__(self, node: Node, where: Location, known: tuple[str, ...], problems: Problems, prefix: str = ""):
        self.values: dict[str, Node] = node.value if isinstance(node.value, dict) else {}
        self.where = where.with_(line=node.line)
        self.problems = problems
        self.prefix = prefix
        if not isinstance(node.value, dict):
            problems.add(self.where.with_(field=prefix.rstrip(".") or None), "expected a mapping of field: value")
        for name, value in self.values.items():
            if name not in known:
                problems.warn(self.at(name), f"unknown field; known fields: {', '.join(known)}")

    def at(self, name: str) -> Location:
        node = self.values.get(name)
        return self.where.with_(field=self.prefix + name, line=node.line if node else self.where.line)

    def text(self, name: str, *, required: bool = False) -> str:
        node = self.values.get(name)
        if node is None or node.value in (None, ""):
            if required:
                self.problems.add(self.at(name), "is required")
            return ""
        if not isinstance(node.value, str):
            self.problems.add(self.at(name), "expected a single text value")
            return ""
        return clean_text(node.value).strip()

    def words(self, name: str) -> tuple[str, ...]:
        node = self.values.get(name)
        if node is None or node.value is None:
            return ()
        if isinstance(node.value, str):
            return (clean_text(node.value).strip(),)
        if not isinstance(node.value, list) or not all(isinstance(i.value, str) for i in node.value):
            self.problems.add(self.at(name), "expected a list of words, e.g. [a, b]")
            return ()
        return tuple(clean_text(i.value).strip() for i in node.value if i.value.strip())

    def number(self, name: str, low: int, high: int, *, required: bool = True) -> int | None:
        text = self.text(name, required=required)
        if not text:
            return None
        if not text.isdigit() or not low <= int(text) <= high:
            self.problems.add(self.at(name), f"expected a whole number from {low} to {high}, got {text!r}")
            return None
        return int(text)

    def date(self, name: str) -> dt.date | None:
        text = self.text(name)
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.problems.add(self.at(name), f"expected a date such as 2028-06-30, got {text!r}")
            return None

    def items(self, name: str) -> list[Node]:
        node = self.values.get(name)
        if node is None or node.value is None:
            return []
        if not isinstance(node.value, list):
            self.problems.add(self.at(name), "expected a list (each item starting with '- ')")
            return []
        return node.value
