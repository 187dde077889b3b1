"""What `proposal split` and `proposal assemble` share: where a module sits in a draft, the line that
starts a module's own text, and the manifest split leaves in the modules folder.

A module is the part of the draft under one heading path ("解决方案 › 灾备"):
from that heading to the next heading of the same or a higher level. The
plan (docgen.proposal.plan.modules) names the path; the draft's headings
are found by style, so a path resolves the same way in the draft and in a
writer's returned file.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from docgen.core.errors import InputError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SEP = " › "
# The line that separates the instructions from the module's text; assemble takes what follows it.
MARKER = {"zh": "———— 以下为模块正文，请只编辑此线以下的内容（请勿删除本行）————",
          "en": "———— The module's text starts below this line; edit only below it (do not delete this line) ————"}
MANIFEST = "split.json"


@dataclass(frozen=True)
class Entry:
    """One module as split wrote it: the manifest's row."""

    id: str
    where: str
    file: str  # file name inside the modules folder
    writer: str
    due: str
    ids: tuple[str, ...]
    digest: str  # SHA-256 of the file as split wrote it: the same digest back means "not returned"


@dataclass(frozen=True)
class Manifest:
    draft: str
    draft_digest: str
    plan: str
    language: str
    modules: tuple[Entry, ...]


def write_manifest(manifest: Manifest) -> bytes:
    data = asdict(manifest)
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def read_manifest(folder: Path) -> Manifest:
    path = Path(folder) / MANIFEST
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = tuple(Entry(**{**m, "ids": tuple(m["ids"])}) for m in raw["modules"])
        return Manifest(raw["draft"], raw["draft_digest"], raw["plan"], raw["language"], entries)
    except FileNotFoundError:
        raise InputError(f"{path}: not found; MODULES_DIR must be a folder written by `docgen proposal split`") from None
    except (ValueError, KeyError, TypeError):
        raise InputError(f"{path}: not a module manifest written by `docgen proposal split`") from None


def heading_levels(document) -> dict[str, int]:
    """style id -> heading level (1…9) for the document's Heading styles."""
    levels = {}
    for style in document.styles:
        match = re.fullmatch(r"[Hh]eading (\d)", style.name or "")
        if match:
            levels[style.style_id] = int(match.group(1))
    return levels


def paragraph_text(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t")).strip()


def level_of(element, levels: dict[str, int]) -> int:
    if element.tag != f"{W}p":
        return 0
    style = element.find(f"{W}pPr/{W}pStyle")
    return levels.get(style.get(f"{W}val"), 0) if style is not None else 0


def regions(document) -> dict[str, tuple[int, int]]:
    """heading path -> (first, end) indices of the body's children, for every heading."""
    body = list(document.element.body)
    levels = heading_levels(document)
    found: dict[str, tuple[int, int]] = {}
    open_: list[tuple[int, str, int]] = []  # (level, path, start)
    path: list[str] = []
    stop = len(body) - 1 if body and body[-1].tag == f"{W}sectPr" else len(body)
    for index, element in enumerate(body[:stop]):
        level = level_of(element, levels)
        if not level:
            continue
        while open_ and open_[-1][0] >= level:
            done = open_.pop()
            found.setdefault(done[1], (done[2], index))
        path = path[:level - 1] + [paragraph_text(element)]
        open_.append((level, SEP.join(path), index))
    for level, where, start in open_:
        found.setdefault(where, (start, stop))
    return found


def mentioned(ids, text: str) -> set[str]:
    """The requirement ids written in `text` (as whole tokens: R1 is not in R12)."""
    return {i for i in ids if re.search(rf"(?<![A-Za-z0-9_]){re.escape(i)}(?![A-Za-z0-9_])", text)}
