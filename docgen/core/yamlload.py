"""A YAML loader that keeps every scalar exactly as typed, with its line number.

PyYAML follows YAML 1.1: `id: 3.10` becomes 3.1, `010` becomes 8, `no` becomes
False and `2026-12-20` a date. For user text that is data loss, so we compose
the node tree ourselves and keep each scalar as the string the user wrote;
the caller converts the few fields that are really dates or numbers.

Every YAML file docgen reads goes through BoundedLoader, which refuses what
would make PyYAML (or our conversion) use unbounded time, memory or stack:
alias bombs ("billion laughs"), recursive aliases and deep nesting.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from docgen.core.errors import InputError, Location, Problem

# Plain scalars that mean "nothing here" (YAML 1.1 and 1.2 agree on these).
_NULLS = {"", "~", "null", "Null", "NULL"}

# Limits for hostile input (docs: PITFALLS "Hostile input"). Real files nest
# a few levels and rarely use aliases; a 1 KB alias bomb expands to 10^9 nodes.
# PyYAML is pure Python (~30 µs a value): 250 KB of "[a,a,…" took 5-10 s, so
# the size of a file is bounded too (long lists belong in an Excel form).
MAX_CHARS = 500_000
MAX_VALUES = 20_000  # scalars, mappings and sequences as written (a requirement is ~12)
MAX_DEPTH = 64  # nested mappings and sequences, after expanding aliases
MAX_ALIASES = 1_000  # *alias references in one file
MAX_ALIAS_NODES = 100_000  # nodes that expanding aliases may add to the file's own


class BoundedLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses alias bombs, recursive aliases and deep nesting.

    Composing stays cheap (an alias is a second reference to one node), so the
    depth and alias count are checked while composing — before PyYAML's
    recursive composer could overflow the stack — and the expanded size once
    the node graph is complete, before anything walks it.
    """

    def __init__(self, text: str, file: str = ""):
        self.file = file
        if len(text) > MAX_CHARS:
            raise InputError(f"is {len(text):,} characters long; docgen reads YAML of at most {MAX_CHARS:,} "
                             "characters (keep long lists in an Excel form)", where=Location(file=file))
        super().__init__(text)
        self._depth = 0
        self._aliases = 0
        self._nodes = 0

    def _refuse(self, line: int, message: str) -> None:
        raise InputError(message, where=Location(file=self.file, line=line))

    def compose_node(self, parent, index):
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                self._refuse(line, f"more than {MAX_ALIASES} aliases (*name); write the values out instead")
            return super().compose_node(parent, index)
        self._nodes += 1
        if self._nodes > MAX_VALUES:
            self._refuse(line, f"more than {MAX_VALUES:,} values in one YAML file (keep long lists in an Excel form)")
        if not isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                self._refuse(line, f"nested more than {MAX_DEPTH} levels deep; flatten the structure")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_node(self):
        node = super().get_single_node()
        if node is not None:
            self._check_expansion(node)
        return node

    def _check_expansion(self, root: yaml.Node) -> None:
        """Refuse a cycle, or aliases that expand too deep or too large (iterative: no recursion)."""
        budget = self._nodes + MAX_ALIAS_NODES
        size: dict[int, int] = {}
        depth: dict[int, int] = {}
        open_nodes: set[int] = set()
        stack: list[tuple[yaml.Node, bool]] = [(root, False)]
        while stack:
            node, children_done = stack.pop()
            key = id(node)
            line = node.start_mark.line + 1
            if children_done:
                kids = _children(node)
                size[key] = 1 + sum(size[id(kid)] for kid in kids)
                depth[key] = (1 + max((depth[id(kid)] for kid in kids), default=0)) if _is_collection(node) else 0
                open_nodes.discard(key)
                if depth[key] > MAX_DEPTH:
                    self._refuse(line, f"aliases (*name) nest this value more than {MAX_DEPTH} levels deep")
                if size[key] > budget:
                    self._refuse(line, f"aliases (*name) expand this value to more than {MAX_ALIAS_NODES:,} "
                                       "extra values (an alias bomb?); write the values out instead")
                continue
            if key in size:
                continue
            if key in open_nodes:
                self._refuse(line, "an alias (*name) refers to a value that contains it (a recursive alias)")
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((kid, False) for kid in _children(node))


def _is_collection(node: yaml.Node) -> bool:
    return isinstance(node, (yaml.SequenceNode, yaml.MappingNode))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


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
    the last one silently). Alias bombs and deep nesting are refused
    (BoundedLoader).
    """
    root = _compose_fast(text)
    if root is _SLOW:
        loader = BoundedLoader(text, file)
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise InputError([_syntax_problem(exc, file)]) from None
        finally:
            loader.dispose()
    if root is None:
        return Node(None, 1)
    problems: list[Problem] = []
    node = _convert(root, file, problems)
    if problems:
        raise InputError(problems)
    return node


_SLOW = object()
_FAST_MAX_CHARS = 20_000  # a case's front matter is ~1 KB; bigger texts take the bounded loader
_NESTING_CHARS = "[{-:?"  # every level of nesting needs one of these
_CLoader = getattr(yaml, "CSafeLoader", None)  # libyaml's parser, when PyYAML was built with it


def _compose_fast(text: str):
    """The node tree from libyaml (15× faster for front matter), or _SLOW for the bounded loader.

    Only for text that cannot hold what BoundedLoader refuses: short (so few values),
    no anchors or aliases (so no bombs, no cycles), and fewer nesting characters than
    MAX_DEPTH (so no deep nesting). A syntax error is re-read by the bounded loader,
    so its message is the same whichever parser found it.
    """
    if (_CLoader is None or len(text) > _FAST_MAX_CHARS or "&" in text or "*" in text
            or sum(text.count(c) for c in _NESTING_CHARS) >= MAX_DEPTH):
        return _SLOW
    loader = _CLoader(text)
    try:
        return loader.get_single_node()
    except yaml.YAMLError:
        return _SLOW
    finally:
        loader.dispose()


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
        # A quoted "" or "null" is text; only a plain (unquoted) null is None (plain: None, or '' from libyaml).
        if not node.style and node.value in _NULLS:
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
