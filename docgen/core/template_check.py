"""`docgen templates check`: what is wrong with a Word template, before anyone renders it.

Reports Jinja syntax errors with the text around them, tags that Word split
across runs (spell-check or revision marks landing inside a tag), and
variables the template uses that docgen does not provide for its kind.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from docgen.core.errors import Location, Problem, TemplateError
from docgen.core.render import DocumentTemplate

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.DOTALL)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>(.*?)</w:t>", re.DOTALL)


def check_template(path: str | Path, kind: str | None = None,
                   provided: frozenset[str] | None = None) -> list[Problem]:
    """Every problem found in the template (an empty list when it is clean).

    `provided` is what docgen's context gives templates of this `kind` (the
    domain's TEMPLATE_VARIABLES); without it, variables are not compared.
    """
    path = Path(path)
    where = Location(file=str(path))
    problems = [Problem(where.with_(field=part), message) for part, message in _split_tags(path)]
    try:
        template = DocumentTemplate(path)
    except TemplateError as exc:
        return problems + [Problem(where, str(exc).replace(f"{path}", "").lstrip(" :"))]
    if provided is not None:
        unknown = sorted(template.variables - provided)
        problems += [
            Problem(where, f"uses {{{{ {name} }}}}, which docgen does not provide for {kind} templates")
            for name in unknown
        ]
    return problems


def _split_tags(path: Path) -> list[tuple[str, str]]:
    """Tags whose characters sit in more than one Word run (w:t)."""
    found = []
    try:
        with zipfile.ZipFile(path) as package:
            names = [n for n in package.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
            parts = {name: package.read(name).decode("utf-8") for name in names}
    except (OSError, zipfile.BadZipFile):
        return []  # DocumentTemplate reports an unreadable file
    for name, xml in parts.items():
        for paragraph in _PARAGRAPH.findall(xml):
            pieces = _TEXT.findall(paragraph)
            text = "".join(pieces)
            if "{" not in text:
                continue
            bounds, offset = [], 0
            for piece in pieces:
                bounds.append((offset, offset + len(piece)))
                offset += len(piece)
            for match in _TAG.finditer(text):
                inside_one = any(start <= match.start() and match.end() <= end for start, end in bounds)
                if not inside_one:
                    tag = re.sub(r"\s+", " ", match.group(0))
                    found.append((name, f"tag {tag} is split across Word runs; retype it in one go "
                                        "(spell-check or revision marks landed inside it)"))
    return found
