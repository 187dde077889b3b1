"""The case-study pack: chosen cases → one Word booklet (`docgen cases pack`).

Select (pure: which cases, refusing internal ones unless allowed) → context
(the one place that knows the pack template's variable names) → render with
the prepared template (templates/cases/pack_{lang}.docx).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from docgen.casebook.models import Case
from docgen.core.config import Settings, bundled_path, load_settings
from docgen.core.docprops import stamp
from docgen.core.errors import InputError, Location, Problem
from docgen.core.finish import DocumentInfo, finish_document
from docgen.core.markdown_docx import markdown_to_word
from docgen.core.output import check_writable, write_atomic
from docgen.core.render import DocumentTemplate
from docgen.core.vocabulary import INDUSTRY_NAMES_ZH

# Variables the pack templates may use (docgen templates check --kind cases).
TEMPLATE_VARIABLES = frozenset({"pack", "cases"})
TITLES = {"zh": "参考案例集", "en": "Reference Case Studies"}
INTERNAL_MARKS = {"zh": "内部资料", "en": "INTERNAL"}


@dataclass(frozen=True)
class PackOptions:
    lang: str = "zh"
    internal: bool = False   # allow external: false cases; marks every page
    client: str = ""         # who the pack is for (cover)
    today: dt.date | None = None


def select_cases(cases: list[Case], ids: list[str], *, internal: bool = False) -> list[Case]:
    """The cases named by `ids`, in that order; every unknown or internal id reported at once."""
    by_id = {c.id: c for c in cases}
    problems = []
    for case_id in dict.fromkeys(ids):
        case = by_id.get(case_id)
        if case is None:
            close = difflib.get_close_matches(case_id, list(by_id), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else "; `docgen cases search` lists the ids"
            problems.append(Problem(Location(field="id"), f"no case with id {case_id!r}{hint}"))
        elif not case.external and not internal:
            problems.append(Problem(Location(file=case.path, field="external"),
                                    f"case {case_id!r} is internal (external: false) and must not go to a client; "
                                    "use --internal for an internal pack, marked 内部资料 / INTERNAL on every page"))
    if problems:
        raise InputError(problems)
    return [by_id[i] for i in dict.fromkeys(ids)]


def build_context(chosen: list[Case], options: PackOptions, settings: Settings) -> dict:
    lang = options.lang
    company = settings.company(lang)
    return {
        "pack": {
            "title": TITLES[lang],
            "subtitle": options.client or company,
            "client": options.client or "—",
            "company": company,
            "date": (options.today or dt.date.today()).isoformat(),
            "count": str(len(chosen)),
            "mark": INTERNAL_MARKS[lang] if options.internal else "",
        },
        "cases": [
            {
                "id": c.id, "title": c.title, "client": c.client, "year": str(c.year),
                "industry": INDUSTRY_NAMES_ZH.get(c.industry, c.industry) if lang == "zh" else c.industry.capitalize(),
                "tags": ("、" if lang == "zh" else ", ").join(c.tags),
                "summary": c.summary, "outcome": c.outcome,
                "body": _body(c),
            }
            for c in chosen
        ],
    }


def _body(case: Case):
    """The case text for Word; a problem in it (Markdown nested too deeply) names the case file."""
    try:
        return markdown_to_word(case.body)
    except InputError as exc:
        raise InputError([Problem(p.where.with_(file=case.path), p.message) for p in exc.problems]) from None


def build_pack(cases: list[Case], ids: list[str], output: str | Path, options: PackOptions, *,
               settings: Settings | None = None, force: bool = False) -> Path:
    """Write the pack for `ids` to `output` (never over an existing file without force)."""
    if options.lang not in TITLES:
        raise InputError(f"language {options.lang!r} must be zh or en", where=Location(field="lang"))
    settings = settings or load_settings()
    check_writable(output, force)
    chosen = select_cases(cases, ids, internal=options.internal)
    template = DocumentTemplate(settings.template_path(f"cases/pack_{options.lang}.docx"), settings=settings,
                                clean=True)
    context = build_context(chosen, options, settings)
    data = finish_document(template.render(context), DocumentInfo(
        title=f"{context['pack']['title']} · {context['pack']['subtitle']}", author=context["pack"]["company"],
        language=options.lang))
    properties = {"kind": "pack", "client": options.client or "", "language": options.lang,
                  "cases": ",".join(c.id for c in chosen), "internal": "yes" if options.internal else "no"}
    return write_atomic(output, stamp(data, properties), force=force)


def demo(out_dir: Path, *, settings: Settings | None = None, force: bool = False) -> list[Path]:
    """For `docgen demo`: a search result (JSON and a text table) and a case pack."""
    from docgen.casebook.cases import load_casebook
    from docgen.casebook.results import SEARCH_COLUMNS, hit_records, text_table
    from docgen.casebook.search import build_index, synonyms_path
    from docgen.casebook.tokens import load_synonyms

    folder = bundled_path("casebook")
    cases = load_casebook(folder)
    index = build_index(cases, load_synonyms(synonyms_path(folder)))
    records = hit_records(index.search("容灾 备份", top=5))
    out = Path(out_dir)
    json_path = write_atomic(out / "cases-search.json",
                             json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8"), force=force)
    table_path = write_atomic(out / "cases-search.txt",
                              (text_table(records, SEARCH_COLUMNS) + "\n").encode("utf-8"), force=force)
    pack = build_pack(cases, [r["id"] for r in records[:3]], out / "case-pack.docx",
                      PackOptions(lang="zh", client="华东某城市商业银行"), settings=settings, force=force)
    return [json_path, table_path, pack]
