"""A YAML loader that keeps every scalar exactly as typed, with its line number.

PyYAML follows YAML 1.1: `id: 3.10` becomes 3.1, `010` becomes 8, `no` becomes
False and `2026-12-20` a date. For user text that is data loss, so we compose
the node tree ourselves and keep each scalar as the string the user wrote;
the caller converts the few fields that are really dates or numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from docgen.core.errors import InputError, Location, Problem

# Plain scalars that mean "nothing here" (YAML 1.1 and 1.2 agree on these).
_NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass(frozen=True)
class Node:
    """A loaded value with the 1-based line it started on.

    value is a str, None, list[Node] or dict[str, Node].
    """

    value: object
    line: int

    def plain(self) -> object:
        """The value with all Node wrappers removed (for tests and debugging)."""
        if isinstance(self.value, list):
            return [item.plain() for item in self.value]
        if isinstance(self.value, dict):
            return {key: item.plain() for key, item in self.value.items()}
        return self.value


def load_yaml(text: str, file: str = "") -> Node:
    """Parse YAML text into Nodes; raise InputError naming file, line and column.

    Duplicate keys in one mapping are reported as errors (PyYAML would keep
    the last one silently).
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise InputError([_syntax_problem(exc, file)]) from None
    if root is None:
        return Node(None, 1)
    problems: list[Problem] = []
    node = _convert(root, file, problems)
    if problems:
        raise InputError(problems)
    return node


def _syntax_problem(exc: yaml.YAMLError, file: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    reason = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return Problem(Location(file=file), f"not valid YAML: {reason}")
    where = Location(file=file, line=mark.line + 1)
    return Problem(where, f"not valid YAML (column {mark.column + 1}): {reason}")


def _convert(node: yaml.Node, file: str, problems: list[Problem]) -> Node:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        # A quoted "" or "null" is text; only a plain (unquoted) null is None.
        if node.style is None and node.value in _NULLS:
            return Node(None, line)
        return Node(node.value, line)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(item, file, problems) for item in node.value], line)
    mapping: dict[str, Node] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
        key_line = key_node.start_mark.line + 1
        if key is None:
            problems.append(Problem(Location(file=file, line=key_line), "a mapping key must be a plain name"))
            continue
        if key in mapping:
            problems.append(
                Problem(
                    Location(file=file, line=key_line, field=key),
                    f"duplicate key {key!r} (first given on line {mapping[key].line})",
                )
            )
            continue
        # Messages about a value point at its key's line, where people look.
        mapping[key] = Node(_convert(value_node, file, problems).value, key_line)
    return Node(mapping, line)
