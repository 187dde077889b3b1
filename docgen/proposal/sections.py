"""The proposal section library: reusable Markdown sections with front matter.

Each file in `templates/proposal/sections/` (bundled) or in the company's own
`<templates>/proposal/sections/` is one section:

    ---
    id: disaster-recovery-zh         # unique, file-name safe
    title: 灾备与业务连续性方案
    kind: solution                   # company | credentials | methodology | service | quality | solution
    categories: [灾备, 容灾, disaster recovery]   # requirement categories it answers
    tags: [disaster-recovery, active-active]     # requirement tags it answers
    stages: [intro, solution, detailed]
    language: zh
    summary: 一段话摘要(intro 阶段与高信任度客户使用)
    response: 需求应答矩阵中的一句话应答(可选)
    ---
    Markdown body …

Users add sections by adding files; a company section with the same id as a
bundled one replaces it. The format, field by field: docs/proposal-sections.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from docgen.core.errors import Location, Problems
from docgen.core.frontmatter import read_front_matter
from docgen.core.text import clean_text
from docgen.core.vocabulary import LANGUAGES
from docgen.core.yamlload import Node

STAGES = ("intro", "solution", "detailed")
KINDS = ("company", "credentials", "methodology", "service", "quality", "solution")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# The front-matter fields a section may use; docs/proposal-sections.md documents each.
SECTION_FIELDS = ("id", "title", "kind", "categories", "tags", "stages", "language", "summary", "response", "bom")
# A section far outside this range is a stub or a catch-all; both defeat targeting.
BODY_CHARS = (100, 1500)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    kind: str
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    stages: tuple[str, ...]
    language: str
    summary: str
    response: str
    body: str  # Markdown after the front matter
    path: str = ""
    # `bom:` items as loaded (yamlload Nodes, with their lines); docgen.proposal.bom validates them.
    bom: tuple = field(default=(), compare=False)


def load_section_file(path: Path, problems: Problems) -> Section | None:
    """One section file; problems go to `problems` (line numbers are file lines)."""
    where = Location(file=str(path))
    loaded = read_front_matter(path, problems, what="the section")
    if loaded is None:
        return None
    fields, body, _ = loaded
    return _validate(fields, body, where, problems)


def _text(fields: dict[str, Node], name: str, where: Location, problems: Problems, *, required: bool) -> str:
    node = fields.get(name)
    if node is None or node.value is None or node.value == "":
        if required:
            problems.add(where.with_(field=name, line=node.line if node else None), "is required")
        return ""
    if not isinstance(node.value, str):
        problems.add(where.with_(field=name, line=node.line), "expected a single text value")
        return ""
    return clean_text(node.value).strip()


def _list(fields: dict[str, Node], name: str, where: Location, problems: Problems) -> tuple[str, ...]:
    node = fields.get(name)
    if node is None or node.value is None:
        return ()
    if isinstance(node.value, str):  # `tags: backup` is a list of one
        return (clean_text(node.value).strip(),)
    if not isinstance(node.value, list) or not all(isinstance(item.value, str) for item in node.value):
        problems.add(where.with_(field=name, line=node.line), "expected a list of words, e.g. [backup, 备份]")
        return ()
    return tuple(clean_text(item.value).strip() for item in node.value if item.value.strip())


def _validate(fields: dict[str, Node], body: str, where: Location, problems: Problems) -> Section | None:
    before = len(problems.errors)
    for name, node in fields.items():
        if name not in SECTION_FIELDS:
            problems.warn(where.with_(field=name, line=node.line), f"unknown field; known fields: {', '.join(SECTION_FIELDS)}")
    section_id = _text(fields, "id", where, problems, required=True)
    if section_id and not _ID.match(section_id):
        problems.add(where.with_(field="id"), f"{section_id!r} must be file-name safe (letters, digits, . _ -)")
    title = _text(fields, "title", where, problems, required=True)
    kind = _text(fields, "kind", where, problems, required=False) or "solution"
    if kind not in KINDS:
        problems.add(where.with_(field="kind"), f"expected one of {', '.join(KINDS)}, got {kind!r}")
    language = _text(fields, "language", where, problems, required=True)
    if language and language not in LANGUAGES:
        problems.add(where.with_(field="language"), f"expected zh or en, got {language!r}")
    stages = _list(fields, "stages", where, problems)
    if not stages:
        problems.add(where.with_(field="stages"), f"list the stages it belongs to: {', '.join(STAGES)}")
    for stage in stages:
        if stage not in STAGES:
            problems.add(where.with_(field="stages"), f"unknown stage {stage!r}; expected {', '.join(STAGES)}")
    categories = _list(fields, "categories", where, problems)
    tags = _list(fields, "tags", where, problems)
    if kind == "solution" and not categories and not tags:
        problems.add(where.with_(field="categories"), "a solution section must list the categories or tags it answers")
    body = clean_text(body).strip()
    if not body:
        problems.add(where.with_(field="body"), "the section has no text after the front matter")
    elif not BODY_CHARS[0] <= len(body) <= BODY_CHARS[1]:
        problems.warn(where.with_(field="body"), f"{len(body)} characters; expected {BODY_CHARS[0]}–{BODY_CHARS[1]}")
    if len(problems.errors) > before:
        return None
    summary = _text(fields, "summary", where, problems, required=False) or _first_paragraph(body)
    return Section(
        id=section_id, title=title, kind=kind, categories=categories, tags=tags, stages=stages,
        language=language, summary=summary,
        response=_text(fields, "response", where, problems, required=False),
        body=body, path=where.file or "", bom=_bom(fields, where, problems),
    )


def _bom(fields: dict[str, Node], where: Location, problems: Problems) -> tuple:
    node = fields.get("bom")
    if node is None or node.value is None:
        return ()
    if not isinstance(node.value, list):
        problems.add(where.with_(field="bom", line=node.line),
                     "expected a list of items, e.g. - {code: X, quantity: 2}")
        return ()
    return tuple(node.value)


def _first_paragraph(body: str) -> str:
    return body.split("\n\n", 1)[0].strip()


def load_sections(*folders: Path | str | None) -> list[Section]:
    """Every `*.md` section in the folders (later folders override same ids), sorted by id.

    Gathers every problem in every file before raising InputError.
    """
    problems = Problems()
    by_id: dict[str, Section] = {}
    for folder in folders:
        if folder is None or not Path(folder).is_dir():
            continue
        seen_here: dict[str, str] = {}
        for path in sorted(Path(folder).glob("*.md")):
            section = load_section_file(path, problems)
            if section is None:
                continue
            if section.id in seen_here:
                problems.add(Location(file=str(path), field="id"),
                             f"id {section.id!r} is also used by {seen_here[section.id]}")
                continue
            seen_here[section.id] = str(path)
            by_id[section.id] = section
    problems.raise_if_any()
    return [by_id[key] for key in sorted(by_id)]


def library_folders(settings) -> list[Path]:
    """Bundled sections first, then the company's own (which win on equal ids)."""
    from docgen.core.config import bundled_path

    folders = [bundled_path("templates") / "proposal" / "sections"]
    if settings is not None and settings.templates_dir is not None:
        folders.append(settings.templates_dir / "proposal" / "sections")
    return folders
