"""项目审核: check a proposal draft before it goes out, and release the client copy.

The gate knows the document: every draft records what it is and what it was
made from (docgen.core.docprops). gate_findings() reads that record, loads the
client's requirements and the casebook it names (or the ones given, which must
be the same client's), and lists what must not reach the client: a document
that is not a draft (a brief, a plan, a pack, an unknown file), a draft for
another client, placeholders, must-haves not addressed, competitor names,
internal case titles, unrendered template tags, empty headings.
`proposal check` prints exactly these findings and `release` refuses on any
of them; the client copy is written without the draft marking, with the
reviewer and date recorded.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from docgen.core.docprops import core_parts, read_core, read_stamp, replace_parts
from docgen.core.finish import DocumentInfo, finish_document
from docgen.core.hygiene import clean_package
from docgen.core.errors import DocgenError, InputError
from docgen.core.output import check_writable, write_atomic
from docgen.core.watermark import remove_watermarks
from docgen.proposal.build_templates import DRAFT_MARKS
from docgen.proposal.context import TEMPLATE_VARIABLES
from docgen.proposal.modules import heading_levels, level_of
from docgen.proposal.versions import history_json

PLACEHOLDER = re.compile(r"【待(?:补充|确认|应答|指定)[^】]*】|\[TO (?:WRITE|CONFIRM|ANSWER|ASSIGN)[^\]]*\]")
# A response-matrix cell holding one of these is a compliance docgen could not earn (docgen.proposal.compliance).
UNEARNED = {"不满足", "待确认", "待应答", "Not met", "To confirm", "To answer"}
# Template syntax that survived rendering: a tag naming one of our template
# variables (or loop variables), or a docxtpl paragraph/row tag. Any other
# braces are text: a client may well write "{{ 7*7 }}" or "{% if x %}".
_LOOP_NAMES = ("row", "item", "s", "block", "case", "group", "ph")
_ROOTS = "|".join(sorted(TEMPLATE_VARIABLES | set(_LOOP_NAMES), key=len, reverse=True))
TEMPLATE_TAG = re.compile(
    rf"\{{\{{-?\s*[pr]?\s*(?:{_ROOTS})\b[^}}]*\}}\}}"
    r"|\{%-?\s*(?:p|tr|tc)\s[^%]*%\}"
    r"|\{%-?\s*end(?:for|if)\s*-?%\}"
)
_COMPLIANCE_NONE = {"不满足", "None"}

KIND_LABELS = {
    "not_draft": "not a docgen draft",
    "internal_document": "internal document",
    "wrong_client": "draft is for another client",
    "requirements_missing": "requirements file not found",
    "placeholder": "placeholder left",
    "must_have": "must-have not addressed",
    "compliance": "compliance not earned",
    "competitor": "competitor name leaked",
    "internal_case": "internal case leaked",
    "template_tag": "unrendered template tag",
    "empty_section": "empty section",
}


@dataclass(frozen=True)
class Finding:
    kind: str  # a key of KIND_LABELS
    where: str  # the heading the text is under, or "header"/"cover"
    detail: str


@dataclass(frozen=True)
class _Block:
    text: str
    where: str
    heading_level: int  # 0 = not a heading


def _blocks(document) -> list[_Block]:
    """Every paragraph and table row of body and headers, with the heading it is under."""
    blocks: list[_Block] = []
    current = "cover"
    levels = heading_levels(document)  # once: paragraph.style looks the style up among all of them each time
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            level = level_of(item._p, levels)
            if level:
                current = item.text.strip() or current
            blocks.append(_Block(item.text, current, level))
        elif isinstance(item, Table):
            for row in item.rows:
                blocks.append(_Block(" | ".join(cell.text for cell in row.cells), current, 0))
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.footer):
            if not part.is_linked_to_previous:
                blocks += [_Block(p.text, "header/footer", 0) for p in part.paragraphs]
    return blocks


def gate_findings(draft, *, requirements_file=None, casebook=None) -> list[Finding]:
    """What `proposal check` reports and `release` refuses on; [] means the draft may go out.

    Without options the client's requirements and the casebook come from the
    draft's own record; `requirements_file`/`casebook` override them, and a
    requirements file of another client is reported as such.
    """
    from docgen.casebook.cases import load_casebook
    from docgen.core.config import bundled_path
    from docgen.intake.requirements import load_requirements

    record = read_stamp(draft)
    kind = record.get("kind")
    findings: list[Finding] = []
    if kind is None:
        findings.append(Finding("not_draft", "document",
                                "no docgen record (docgen.kind) in its properties: only a draft built by "
                                "`docgen proposal build` can be checked and released"))
    elif kind != "draft":
        what = {"brief": "the internal strategy brief", "plan": "the internal assignment sheet",
                "pack": "a case-study pack", "final": "an already released client copy",
                "module": "a writer's module split from a draft", "retro": "the internal post-project review",
                "diff": "a version comparison report"}.get(kind, kind)
        findings.append(Finding("internal_document", "document",
                                f"this is {what} (docgen.kind = {kind}), not a proposal draft: it is never released"))
    if findings:
        return findings  # nothing else matters: this document does not go out
    requirements = None
    recorded = record.get("requirements", "")
    if requirements_file:
        requirements = load_requirements(requirements_file)
        owner = record.get("client")
        if owner and owner != requirements.client.name:
            findings.append(Finding("wrong_client", "document",
                                    f"this draft is for {owner}, not {requirements.client.name} ({requirements_file})"))
            requirements = None  # its must-haves say nothing about this draft
    elif recorded:
        if Path(recorded).is_file():
            requirements = load_requirements(recorded)
        else:
            findings.append(Finding("requirements_missing", "document",
                                    f"{recorded} (recorded in the draft) is gone; pass --requirements FILE"))
    casebook_dir = Path(casebook or record.get("casebook") or bundled_path("casebook"))
    cases = load_casebook(casebook_dir if casebook_dir.is_dir() else bundled_path("casebook"))
    return findings + check_draft(draft, requirements=requirements, cases=cases)


def company_notes(settings, today: dt.date | None = None) -> list[str]:
    """What the reviewer should know about the company folder: expired certificates were left out of the draft."""
    from docgen.proposal.company import expired, load_company

    day = today or dt.date.today()
    return [f"{e.holder + ': ' if e.holder else ''}{e.name} ({e.number}) expired on {e.valid_until.isoformat()}; "
            f"it is not printed in any draft ({e.where.file})" for e in expired(load_company(settings), day)]


def check_draft(draft, *, requirements=None, cases=None) -> list[Finding]:
    """Everything that stops the draft from going out; an empty list means it may be released.

    `requirements` (a RequirementsFile) adds must-have and competitor checks;
    `cases` (the casebook) adds the internal-case check.
    """
    try:
        document = docx.Document(str(draft))
    except Exception as exc:  # python-docx raises several kinds for a bad package
        raise InputError(f"{draft}: not a readable Word document ({exc.__class__.__name__})") from None
    blocks = _blocks(document)
    findings: list[Finding] = []
    client_text = _client_strings(requirements)
    for block in blocks:
        for match in PLACEHOLDER.finditer(block.text):
            findings.append(Finding("placeholder", block.where, match.group(0)))
        for match in TEMPLATE_TAG.finditer(block.text):
            if not any(match.group(0) in s for s in client_text):
                findings.append(Finding("template_tag", block.where, match.group(0)))
    findings += _empty_sections(blocks)
    findings += _unearned(blocks)
    text = "\n".join(b.text for b in blocks)
    if requirements is not None:
        findings += _must_haves(requirements, blocks, text)
        for competitor in requirements.competitors:
            for block in blocks:
                if competitor.name and competitor.name in block.text:
                    findings.append(Finding("competitor", block.where, competitor.name))
    for case in cases or ():
        if not case.external:
            for block in blocks:
                if case.title and case.title in block.text:
                    findings.append(Finding("internal_case", block.where, f"{case.title} ({case.id})"))
    return findings


def _unearned(blocks: list[_Block]) -> list[Finding]:
    """Matrix rows whose compliance is 不满足, 待确认 or 待应答: a client scores these line by line."""
    findings = []
    for block in blocks:
        cells = [c.strip() for c in block.text.split(" | ")]
        if len(cells) > 2:
            for label in UNEARNED.intersection(cells[2:]):
                findings.append(Finding("compliance", block.where, f"{cells[0]} {label}"))
    return findings


def _client_strings(requirements) -> list[str]:
    if requirements is None:
        return []
    client = requirements.client
    strings = [client.name, client.background]
    for r in requirements.requirements:
        strings += [r.text, r.category, r.notes]
    return [s for s in strings if s]


def _empty_sections(blocks: list[_Block]) -> list[Finding]:
    findings = []
    for index, block in enumerate(blocks):
        if not block.heading_level or block.where == "header/footer":
            continue
        for following in blocks[index + 1:]:
            if following.where == "header/footer" or (following.heading_level and following.heading_level <= block.heading_level):
                findings.append(Finding("empty_section", block.text.strip(), "nothing under this heading"))
                break
            if following.text.strip():
                break
    return findings


def _must_haves(requirements, blocks: list[_Block], text: str) -> list[Finding]:
    findings = []
    for r in requirements.must_haves:
        token = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(r.id)}(?![A-Za-z0-9_])")
        if not token.search(text):
            findings.append(Finding("must_have", "—", f"{r.id} {r.text[:60]} (not mentioned)"))
            continue
        for block in blocks:
            cells = [c.strip() for c in block.text.split(" | ")]
            if cells and cells[0] == r.id and _COMPLIANCE_NONE & set(cells[1:]):
                findings.append(Finding("must_have", block.where, f"{r.id} answered as not met"))
    return findings


def format_findings(findings: list[Finding]) -> str:
    """The table `proposal check` prints."""
    if not findings:
        return "OK: no placeholders, leaks, unrendered tags or empty sections; the draft may be released."
    rows = [("problem", "where", "detail")] + [(KIND_LABELS[f.kind], f.where, f.detail) for f in findings]
    widths = [min(40, max(_width(row[i]) for row in rows)) for i in range(2)]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(_pad(row[i], widths[i]) for i in range(2)) + "  " + row[2])
        if n == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 6)
    lines.append(f"{len(findings)} problem(s): the draft must not go out.")
    return "\n".join(lines)


def _width(text: str) -> int:
    # CJK characters take two terminal columns.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    while _width(text) > width:
        text = text[:-2] + "…"
    return text + " " * (width - _width(text))


class ReleaseBlocked(DocgenError):
    """The check found problems; the client copy is not written."""

    exit_code = 1


def release(draft, out, *, reviewer: str, findings: list[Finding], force: bool = False,
            today: dt.date | None = None) -> Path:
    """Write the client copy of a clean draft: no draft marking; reviewer and date recorded.

    `findings` are gate_findings() for this draft: any finding refuses.
    """
    if not reviewer.strip():
        raise InputError("--reviewer: give the name of the person who reviewed the draft")
    if findings:
        listed = "; ".join(f"{KIND_LABELS[f.kind]}: {f.detail}" for f in findings[:3])
        more = f"; and {len(findings) - 3} more" if len(findings) > 3 else ""
        raise ReleaseBlocked(f"{draft} did not pass the check ({len(findings)} problem(s)): {listed}{more}; "
                             f"see `docgen proposal check {draft}`")
    check_writable(out, force)
    source = Path(draft).read_bytes()
    drafted = read_core(source)
    # Whatever happened to the draft since it was built (comments, tracked changes, hidden text, a
    # linked picture pasted in), the client copy carries none of it.
    document = docx.Document(io.BytesIO(clean_package(source)))
    marks = set(DRAFT_MARKS.values())
    for paragraph in _all_paragraphs(document):
        _remove_marks(paragraph, marks)
    for section in document.sections:  # the diagonal 草稿 / DRAFT shape in every header
        for header in (section.header, section.first_page_header, section.even_page_header):
            if not header.is_linked_to_previous:
                remove_watermarks(header._element)
    day = today or dt.date.today()
    record = read_stamp(draft)
    history = _release_history(document, record, reviewer, day)
    buffer = io.BytesIO()
    document.save(buffer)
    reviewed = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
    # File › Info: the author and title the draft was made with; the reviewer as last modified by, on the review date.
    core = core_parts(title=drafted.get("title", ""), creator=drafted.get("creator", ""),
                      created=_parse_w3cdtf(drafted.get("created", "")), modified=reviewed,
                      last_modified_by=reviewer, status="Reviewed",
                      description=f"Reviewed by {reviewer} on {day.isoformat()}")
    # What went out, for `proposal outcome` and `cases stats`: the cases, answers and sections used (ids and
    # the requirements file's digest, never our paths: the client gets this copy).
    kept = ("stage", "client", "language", "requirements_digest", "cases", "sections", "answers", "owner",
            "generator")
    final = {**{key: record.get(key, "") for key in kept}, "kind": "final", "reviewer": reviewer,
             "reviewed": day.isoformat(), "version": history[-1].version, "history": history_json(history)}
    # Tables and text added to the draft since it was built (by people, or assembled from modules) get
    # the same page-break and typography rules as the generated ones.
    data = finish_document(buffer.getvalue(), DocumentInfo(title=drafted.get("title", ""),
                                                           author=drafted.get("creator", ""),
                                                           language=record.get("language") or "zh",
                                                           properties=final))
    return write_atomic(out, replace_parts(data, core), force=force)


def _remove_marks(paragraph, marks: set[str]) -> None:
    """Remove the runs that together spell a draft mark (a Chinese document splits "·" into a run of its own)."""
    runs = paragraph.runs
    start = 0
    while start < len(runs):
        text = ""
        for end in range(start, len(runs)):
            text += runs[end].text
            if text.strip() in marks:
                for run in runs[start:end + 1]:
                    run._r.getparent().remove(run._r)
                start = end
                break
            if len(text.strip()) >= max(map(len, marks)):
                break
        start += 1


def _parse_w3cdtf(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None


def _release_history(document, record: dict, reviewer: str, day: dt.date) -> list:
    """The next whole version (V1.0 …) on the cover and in the history table."""
    from docgen.proposal.versions import add_entry, show

    lang = record.get("language") or "zh"
    what = f"审核通过，正式发布（审核人：{reviewer}）" if lang == "zh" else f"Reviewed and released (reviewer: {reviewer})"
    history = add_entry(record, who=reviewer, what=what, today=day, release=True)
    show(document, history, lang)
    return history


def _all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.even_page_header,
                     section.footer, section.first_page_footer, section.even_page_footer):
            if not part.is_linked_to_previous:
                yield from part.paragraphs
