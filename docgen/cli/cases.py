"""`docgen cases …`: search the casebook, match a client, lint, export a case pack.

Library imports happen inside the commands: `docgen --help` and commands of
other groups never pay for the search engine or the segmenter.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

_CASEBOOK_HELP = "Casebook folder (default: the bundled casebook)."


def _casebook(value: str | None) -> Path:
    from docgen.core.config import bundled_path

    return Path(value) if value else bundled_path("casebook")


def _print_json(records: list[dict]) -> None:
    click.echo(json.dumps(records, ensure_ascii=False, indent=2))


# --- what the recorded proposal outcomes teach (docgen.casebook.outcomes/stats) ------------------------

_DATA = click.option("--data", type=click.Path(file_okay=False),
                     help="The data folder holding outcomes.sqlite3 (default: [docgen] data in docgen.toml, "
                          "else ./docgen-data).")


def _stats(data: str | None, since: dt.date | None = None):
    """The outcome statistics, or None when nothing was recorded yet (the store file is absent)."""
    from docgen.casebook.outcomes import connect, store_path
    from docgen.casebook.stats import compute
    from docgen.cli.common import current_settings

    store = store_path(data, current_settings())
    if not store.is_file():
        return None
    with connect(store) as db:
        return compute(db, since)


@click.group(name="cases")
def group() -> None:
    """Find case studies for a client and export a case-study pack."""


@group.command()
@click.argument("words", nargs=-1)
@click.option("--industry", help="Only this industry (finance, healthcare, … or 金融, 医疗, …).")
@click.option("--tag", "tags", multiple=True, help="Only cases with this tag; repeat for several (all must match).")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1), help="How many cases to list.")
@click.option("--all", "include_internal", is_flag=True, help="Include internal cases (external: false).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, best first.")
@click.option("--casebook", type=click.Path(file_okay=False), help=_CASEBOOK_HELP)
def search(words, industry, tags, top, include_internal, as_json, casebook) -> None:
    """Ranked search: Chinese (no spaces needed), English or mixed WORDS.

    \b
    docgen cases search 医院影像存储扩容
    docgen cases search 容灾 --industry 金融
    docgen cases search SD-WAN --tag network --json
    """
    from docgen.casebook.cache import open_index
    from docgen.casebook.results import SEARCH_COLUMNS, hit_records, text_table

    index = open_index(_casebook(casebook))
    hits = index.search(" ".join(words), industry=industry, tags=tags, top=top, include_internal=include_internal)
    records = hit_records(hits)
    if as_json:
        _print_json(records)
    elif records:
        click.echo(text_table(records, SEARCH_COLUMNS))
    else:
        click.echo("No case matches.", err=True)


@group.command()
@click.argument("requirements_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--top", default=5, show_default=True, type=click.IntRange(min=1), help="How many cases to list.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, best first.")
@click.option("--casebook", type=click.Path(file_okay=False), help=_CASEBOOK_HELP)
@_DATA
def match(requirements_file, top, as_json, casebook, data) -> None:
    """Rank external cases against a client's requirements and say which each supports.

    With recorded outcomes, near-equal cases are ordered by win rate (a small weight, docs/sales.md).
    """
    from docgen.casebook.cache import open_index
    from docgen.casebook.match import match_cases
    from docgen.casebook.results import MATCH_COLUMNS, match_records, text_table
    from docgen.intake.requirements import load_requirements

    req_file = load_requirements(requirements_file)
    index = open_index(_casebook(casebook))
    stats = _stats(data)
    rates = None
    if stats is not None:
        from docgen.casebook.stats import win_rates

        rates = win_rates(stats)
    records = match_records(match_cases(req_file, None, top=top, index=index, win_rates=rates))
    if as_json:
        _print_json(records)
    elif records:
        click.echo(text_table(records, MATCH_COLUMNS))
    else:
        click.echo("No case supports these requirements.", err=True)


@group.command()
@click.option("--casebook", type=click.Path(file_okay=False), help=_CASEBOOK_HELP)
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(min=1),
              help="Processes that read and tokenise cases in parallel.")
def reindex(casebook, jobs) -> None:
    """Rebuild the casebook's search index from scratch.

    Searches keep the index current by themselves (only changed case files are
    re-read); this is for a forced rebuild, e.g. after copying a casebook.
    """
    from docgen.casebook.cache import index_dir, reindex as rebuild

    folder = _casebook(casebook)
    if sys.stderr.isatty():
        with click.progressbar(length=1, label="indexing cases", file=sys.stderr) as bar:
            def progress(done: int, total: int) -> None:
                bar.length = max(total, 1)
                bar.update(done - bar.pos)

            report = rebuild(folder, jobs=jobs, progress=progress)
    else:
        report = rebuild(folder, jobs=jobs)
    click.echo(f"indexed {report.total} cases into {index_dir(folder)}")


@group.command()
@click.option("--casebook", type=click.Path(file_okay=False), help=_CASEBOOK_HELP)
@_DATA
def lint(casebook, data) -> None:
    """Check every case; list stale (not reviewed for a year) and ownerless ones, and, with recorded
    outcomes, cases not used for two years and cases used in many losses.

    Exit 0 when all is well, 1 when a case needs attention, 2 when a file is invalid.
    """
    from docgen.casebook.cases import lint as lint_cases
    from docgen.casebook.cases import load_casebook

    cases = load_casebook(_casebook(casebook))
    findings = [str(p) for p in lint_cases(cases, dt.date.today())]
    stats = _stats(data)
    if stats is not None and stats.proposals:
        from docgen.casebook.stats import usage_findings

        findings += [f"{case_id}: {what}" for case_id, what in usage_findings(stats, cases, dt.date.today())]
    for problem in findings:
        click.echo(f"warning: {problem}")
    click.echo(f"{len(cases)} cases, {len(findings)} warnings")
    if findings:
        sys.exit(1)


@group.command()
@click.argument("ids", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The .docx to write.")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of the pack (default: from settings).")
@click.option("--client", default="", help="Who the pack is for (shown on the cover).")
@click.option("--internal", is_flag=True, help="Allow internal cases; every page is marked 内部资料 / INTERNAL.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@click.option("--casebook", type=click.Path(file_okay=False), help=_CASEBOOK_HELP)
@click.pass_context
def pack(ctx, ids, output, lang, client, internal, force, casebook) -> None:
    """A case-study booklet (cover, contents, one section per case) for the given IDS."""
    from docgen.casebook.cases import load_casebook
    from docgen.casebook.pack import PackOptions, build_pack
    from docgen.core.config import load_settings

    settings = load_settings(ctx.meta.get("docgen.config_path"))
    cases = load_casebook(_casebook(casebook))
    options = PackOptions(lang=lang or settings.language, internal=internal, client=client)
    path = build_pack(cases, list(ids), output, options, settings=settings, force=force)
    click.echo(f"wrote {path}")


@group.command()
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Only proposals decided on or after this date, e.g. 2026-01-01.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@_DATA
def stats(since, as_json, data) -> None:
    """Per case: proposals it went into, won, lost, win rate, last used; per industry and per competitor."""
    from docgen.casebook.stats import format_stats

    figures = _stats(data, since.date() if since else None)
    if figures is None:
        from docgen.casebook.outcomes import store_path
        from docgen.cli.common import current_settings
        from docgen.core.errors import InputError

        raise InputError(f"{store_path(data, current_settings())}: no outcomes recorded yet "
                         "(record one with `docgen proposal outcome`)")
    click.echo(json.dumps(figures.as_dict(), ensure_ascii=False, indent=2) if as_json else format_stats(figures))
