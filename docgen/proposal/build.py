"""`proposal build` and `proposal brief` end to end: load → match → select → context → render → write.

Timings are kept per stage so bench/proposal.py can show where the time goes.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from docgen import __version__
from docgen.core.config import Settings, bundled_path
from docgen.core.docprops import file_digest
from docgen.core.errors import InputError
from docgen.core.finish import DocumentInfo, finish_document
from docgen.core.output import check_writable, write_atomic
from docgen.core.render import DocumentTemplate
from docgen.proposal.context import brief_context, draft_context
from docgen.proposal.sections import library_folders, load_sections
from docgen.proposal.select import STAGES, Selection, select
from docgen.proposal.versions import history_json

# Ask the casebook for more than a stage shows, so cases in the client's language can come first.
_CANDIDATES = 20


@dataclass
class Timings:
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, since: float) -> float:
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - since
        return now


@dataclass(frozen=True)
class Prepared:
    """A loaded client with its library and ranked cases, ready for any stage."""

    requirements: object  # RequirementsFile
    library: list
    matches: list
    settings: Settings
    casebook: Path = field(default_factory=lambda: bundled_path("casebook"))
    responses: dict = field(default_factory=dict)  # requirement id -> AnswerEntry | None


def prepare(requirements_path, *, casebook=None, settings: Settings | None = None,
            timings: Timings | None = None) -> Prepared:
    """Load the requirements and the section library; rank the casebook's external cases."""
    from docgen.casebook.cache import open_index
    from docgen.casebook.match import match_cases
    from docgen.intake.requirements import load_requirements

    timings = timings or Timings()
    settings = settings or Settings()
    start = time.perf_counter()
    req = load_requirements(requirements_path)
    library = load_sections(*library_folders(settings))
    start = timings.add("load", start)
    # The casebook index is cached on disk (docgen.casebook.cache): a 2,000-case casebook is read once.
    casebook_dir = Path(casebook) if casebook else bundled_path("casebook")
    index = open_index(casebook_dir)
    start = timings.add("index", start)
    matches = match_cases(req, None, top=_CANDIDATES, external_only=True, index=index)
    start = timings.add("match", start)
    responses = match_responses(req, settings)
    timings.add("answers", start)
    return Prepared(req, library, matches, settings, casebook_dir.resolve(), responses)


def match_responses(req, settings: Settings) -> dict:
    """requirement id -> the response-library entry that answers it, or None (unanswered)."""
    from docgen.proposal.answer_cache import open_library
    from docgen.proposal.answer_match import match_answers
    from docgen.proposal.answers import library_folders

    answers = open_library(library_folders(settings))
    language = req.client.language
    found = {}
    for requirement in req.requirements:
        best = match_answers(requirement, answers, language=language, top=1)
        found[requirement.id] = best[0].entry if best else None
    return found


def stage_selection(prepared: Prepared, stage: str) -> Selection:
    if stage not in STAGES:
        raise InputError(f"unknown stage {stage!r}; expected one of {', '.join(STAGES)}")
    return select(prepared.requirements, prepared.library, prepared.matches, stage, prepared.responses)


def _template(settings: Settings, name: str) -> DocumentTemplate:
    # clean: a company template's comments, revisions, hidden text and external links never reach a draft
    return DocumentTemplate(settings.template_path(f"proposal/{name}.docx"), settings=settings, clean=True)


def render_draft(prepared: Prepared, stage: str, out, *, force: bool = False, today: dt.date | None = None,
                 timings: Timings | None = None, project_start: dt.date | None = None) -> Path:
    """Write the stage's draft to `out` (never over an existing file without force)."""
    timings = timings or Timings()
    check_writable(out, force)
    start = time.perf_counter()
    selection = stage_selection(prepared, stage)
    lang = prepared.requirements.client.language
    today = today or dt.date.today()
    parts = None
    if stage != "intro":  # a first-contact brief carries no price list, schedule or team
        from docgen.proposal.complete import complete_parts

        start = timings.add("select", start)
        parts = complete_parts(prepared.requirements, selection, prepared.library, prepared.settings, today,
                               timings=timings, project_start=project_start)
        start = time.perf_counter()
    history = _history(prepared, selection, out, force, today)
    context = draft_context(prepared.requirements, selection, company=prepared.settings.company(lang),
                            today=today, parts=parts, version=history[-1].version)
    start = timings.add("context", start)
    data = _template(prepared.settings, f"{stage}_{lang}").render(context)
    start = timings.add("render", start)
    if len(history) > 1:  # a rebuild over an earlier version of this client's draft continues its history
        data = _with_history(data, history, lang)
    data = finish_document(data, _info(context, prepared, context["doc"]["header"], {
        **provenance(prepared, selection, "draft"), "owner": selection.owner,
        "version": history[-1].version, "history": history_json(history)}))
    start = timings.add("finish", start)
    path = write_atomic(out, data, force=force)
    timings.add("write", start)
    return path


def _history(prepared: Prepared, selection: Selection, out, force: bool, today: dt.date) -> list:
    """V0.1 for a new draft; the next version when --force rebuilds this client's earlier draft."""
    from docgen.core.docprops import read_stamp
    from docgen.proposal.versions import add_entry
    from docgen.proposal.wording import T

    what = T[selection.language]["history_note"][selection.stage]
    record = {}
    if force and Path(out).is_file():
        try:
            record = read_stamp(out)
        except InputError:
            record = {}  # not a document: written over, as --force says
        if record.get("kind") != "draft" or record.get("client") != prepared.requirements.client.name:
            record = {}
    if record:
        what = "按需求文件重新生成" if selection.language == "zh" else "Rebuilt from the requirements file"
    return add_entry(record, who=selection.owner, what=what, today=today)


def _with_history(data: bytes, history: list, lang: str) -> bytes:
    import io

    import docx

    from docgen.proposal.versions import show

    document = docx.Document(io.BytesIO(data))
    show(document, history, lang)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_brief(prepared: Prepared, out, *, force: bool = False, today: dt.date | None = None) -> Path:
    """The internal strategy brief; it describes the most complete (detailed) draft."""
    check_writable(out, force)
    selection = stage_selection(prepared, "detailed")
    lang = prepared.requirements.client.language
    context = brief_context(prepared.requirements, selection, company=prepared.settings.company(lang),
                            today=today or dt.date.today())
    data = _template(prepared.settings, f"brief_{lang}").render(context)
    from docgen.proposal.build_templates import L

    data = finish_document(data, _info(context, prepared, f"{context['doc']['client']} · {L[lang]['brief_title']}",
                                       provenance(prepared, selection, "brief")))
    return write_atomic(out, data, force=force)


def _info(context: dict, prepared: Prepared, title: str, properties: dict[str, str]) -> DocumentInfo:
    """File › Info: the document's title, and the presales owner as its author; docgen's record of it
    (the custom properties stamp() writes, added in the same pass: one zip written, not two)."""
    client = prepared.requirements.client
    return DocumentInfo(title=title, author=client.presales_owner or context["doc"]["company"],
                        language=client.language, properties=properties)


def render_plan(prepared: Prepared, out, *, force: bool = False, today: dt.date | None = None,
                project_start: dt.date | None = None, writers: list[str] | None = None) -> Path:
    """The module assignment sheet (internal) for the detailed stage."""
    from docgen.proposal.plan import write_plan

    from docgen.proposal.complete import PHASES, phase_weeks
    from docgen.proposal.schedule import schedule

    selection = stage_selection(prepared, "detailed")
    client = prepared.requirements.client
    today = today or dt.date.today()
    laid_out = schedule(list(zip(PHASES[selection.language], phase_weeks(len(selection.categories)))),
                        start=project_start, deadline=client.deadline, today=today)
    from docgen.proposal.company import load_company

    return write_plan(selection, out, client_name=client.name, deadline=client.deadline, today=today,
                      force=force, properties=provenance(prepared, selection, "plan"),
                      phases=[(p.name, p.start, p.end) for p in laid_out.phases],
                      team=load_company(prepared.settings).team, writers=writers)


def provenance(prepared: Prepared, selection: Selection, kind: str) -> dict[str, str]:
    """What the document is and what it was made from, for the review gate (docgen.core.docprops)."""
    req = prepared.requirements
    source = Path(req.source).resolve() if req.source else None
    sections = {s.id for c in selection.categories for s in c.sections}
    sections |= {s.id for s in (selection.company, selection.credentials, *selection.general.values()) if s}
    return {
        "kind": kind,
        "stage": selection.stage,
        "client": req.client.name,
        "language": selection.language,
        "requirements": str(source or ""),
        "requirements_digest": file_digest(source) if source and source.is_file() else "",
        "casebook": str(prepared.casebook),
        "cases": ",".join(m.case.id for m in selection.cases),
        "sections": ",".join(sorted(sections)),
        "answers": ",".join(sorted({a.entry.id for a in selection.answers if a.entry})),
        "generator": f"docgen {__version__}",
    }


def to_pdf(docx_path: Path, *, force: bool = False) -> Path:
    from docgen.core.pdf import convert_to_pdf

    return convert_to_pdf([docx_path], docx_path.parent, force=force, refresh_toc=True)[0]


def refresh_toc(docx_path: Path) -> Path:
    """The draft's TOC page numbers from a LibreOffice layout (the PDF made for it is discarded)."""
    import tempfile

    from docgen.core.pdf import convert_to_pdf

    with tempfile.TemporaryDirectory(prefix="docgen-toc-") as folder:
        convert_to_pdf([docx_path], folder, refresh_toc=True)
    return docx_path
