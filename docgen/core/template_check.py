"""`docgen templates check`: what is wrong with a Word template, before anyone renders it.

Reports what the file carries that a client must not see (comments, tracked
changes, hidden text, personal properties, linked pictures, an attached
template, macros, custom XML: docgen.core.hygiene.audit_package), Jinja
syntax errors with the text around them, tags that Word split across runs
(spell-check or revision marks landing inside a tag), variables the template
uses that docgen does not provide for its kind, and what fails when the
template runs: a trial render with sample values (docgen.core.sandbox.Sample)
under the same limits as a real one catches `1/0`, `range(10**9)`, a macro
calling itself, runaway loops and oversized values.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from docgen.core.errors import InputError, Location, Problem, TemplateError
from docgen.core.hygiene import audit_package
from docgen.core.render import DocumentTemplate
from docgen.core.sandbox import Limits, sample_context

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.DOTALL)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>(.*?)</w:t>", re.DOTALL)
# A check should answer quickly; a legitimate template's trial render takes milliseconds.
CHECK_LIMITS = Limits(seconds=5.0)


def check_template(path: str | Path, kind: str | None = None,
                   provided: frozenset[str] | None = None) -> list[Problem]:
    """Every problem found in the template (an empty list when it is clean).

    `provided` is what docgen's context gives templates of this `kind` (the
    domain's TEMPLATE_VARIABLES); without it, variables are not compared.
    """
    path = Path(path)
    where = Location(file=str(path))
    try:
        problems = audit_package(path)
    except InputError as exc:  # not a zip, or a part that is not XML: nothing further can be read
        return exc.problems
    problems += [Problem(where.with_(field=part), message) for part, message in _split_tags(path)]
    try:
        template = DocumentTemplate(path, limits=CHECK_LIMITS)
    except TemplateError as exc:
        return problems + [_problem(exc, where)]
    if provided is not None:
        unknown = sorted(template.variables - provided)
        problems += [
            Problem(where, f"uses {{{{ {name} }}}}, which docgen does not provide for {kind} templates")
            for name in unknown
        ]
    try:
        template.trial_render(sample_context(template.variables))
    except TemplateError as exc:
        problems.append(_problem(exc, where, "fails in a trial render with sample values: "))
    return problems


def _problem(exc: TemplateError, where: Location, prefix: str = "") -> Problem:
    """A TemplateError ("PATH (PART): message") as a Problem at file and part."""
    text = str(exc).removeprefix(str(where.file)).lstrip(" :")
    part = re.match(r"\(([^)]+)\):\s*", text)
    if part:
        return Problem(where.with_(field=part.group(1)), prefix + text[part.end():])
    return Problem(where, prefix + text)


def _split_tags(path: Path) -> list[tuple[str, str]]:
    """Tags whose characters sit in more than one Word run (w:t)."""
    found = []
    try:
        with zipfile.ZipFile(path) as package:
            names = [n for n in package.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
            parts = {name: package.read(name).decode("utf-8") for name in names}
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError):
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
