"""Markdown files that start with YAML front matter: case studies, proposal sections, library answers.

    ---
    id: bank-active-active-2024
    title: …
    ---
    The Markdown body.

`read_front_matter` reads one such file into its fields (yamlload Nodes,
with file line numbers) and its body, adding every problem to a Problems
collector instead of raising, so a folder's problems are reported at once.
"""

from __future__ import annotations

from pathlib import Path

from docgen.core.errors import InputError, Location, Problems
from docgen.core.yamlload import Node, load_yaml


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, file line where the body starts), or None without front matter."""
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    return None


def read_front_matter(path: Path, problems: Problems, *,
                      missing: str = "expected front matter between two '---' lines at the top",
                      what: str = "the file") -> tuple[dict[str, Node], str, int] | None:
    """(fields, body, body line) of one file, or None with its problems added (file and line named)."""
    where = Location(file=str(path))
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        problems.add(where, f"not UTF-8 text; save {what} as UTF-8 Markdown")
        return None
    parts = split_front_matter(text)
    if parts is None:
        problems.add(where.with_(line=1), missing)
        return None
    front, body, body_line = parts
    try:
        root = load_yaml("\n" + front, str(path))  # front-matter line n is file line n + 1
    except InputError as exc:
        for problem in exc.problems:
            problems.add(problem.where, problem.message)
        return None
    if not isinstance(root.value, dict):
        problems.add(where.with_(line=2), "front matter must be 'field: value' lines")
        return None
    return root.value, body, body_line
