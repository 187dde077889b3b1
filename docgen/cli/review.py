"""`docgen review …` commands: HR's 14-page KPI review packets (walk-through: docs/hr.md)."""

from __future__ import annotations

import sys

import click

from docgen.cli.common import current_settings

_ROLE = click.option("--role", required=True, help="Role id (see `docgen review roles`) or the path of a role .yaml file.")
_LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
                     help="Language of the packet (default: docgen.toml, else zh).")
_FORCE = click.option("--force", is_flag=True, help="Overwrite existing output files.")


@click.group(name="review")
def group() -> None:
    """KPI review packets (绩效考核): role catalog, blank forms, score workbooks, filled packets."""


@group.command()
def roles() -> None:
    """List the roles (KPI catalogs) with their indicators and weights."""
    from docgen.review.roles import list_roles

    for role in list_roles(current_settings()):
        kpis = ", ".join(f"{k.code} {k.name_zh} {k.weight:g}" for k in role.kpis)
        items = ", ".join(f"{b.code} {b.name_zh} {b.weight:g}" for b in role.behaviors)
        click.echo(f"{role.id}\t{role.name_zh} / {role.name_en}\t{role.path}")
        click.echo(f"  KPI (80): {kpis}")
        click.echo(f"  work performance (20): {items}")


@group.command()
@_ROLE
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False), help="The .docx to write.")
@_LANG
@click.option("--pdf", is_flag=True, help="Also write a PDF next to it (headless LibreOffice).")
@_FORCE
def blank(role: str, out: str, lang: str | None, pdf: bool, force: bool) -> None:
    """A blank 14-page packet to print and fill in by pen."""
    from docgen.review.batch import blank as make_blank
    from docgen.review.roles import load_role

    settings = current_settings()
    for path in make_blank(load_role(role, settings), out, lang=lang or settings.language, pdf=pdf, force=force, settings=settings):
        click.echo(f"wrote {path}")


@group.command()
@_ROLE
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False), help="The score workbook (.xlsx) to write.")
@click.option("--roster", type=click.Path(dir_okay=False, exists=True),
              help="Workbook with employee_id, name, department, position, manager, period to pre-fill the rows.")
@_FORCE
def scoresheet(role: str, out: str, roster: str | None, force: bool) -> None:
    """The score workbook (.xlsx) HR fills in for a role: one row per employee, with validation and indicator notes."""
    from docgen.review.roles import load_role
    from docgen.review.scoresheet import read_roster, write_scoresheet

    people = read_roster(roster) if roster else None
    path = write_scoresheet(load_role(role, current_settings()), out, people, force=force)
    click.echo(f"wrote {path}" + (f" with {len(people)} employees" if people else ""))


@group.command()
@click.argument("scores", type=click.Path(dir_okay=False))
@_ROLE
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for the packets.")
@_LANG
@click.option("--pdf", is_flag=True, help="Also a PDF per packet and print-all.pdf (headless LibreOffice).")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Processes rendering in parallel.")
@click.option("--top-share-limit", type=click.FloatRange(0, 1), default=None,
              help="Warn when a department's S+A share exceeds this (default: the role's, 0.30).")
@click.option("--top-share-min-headcount", type=click.IntRange(1), default=None,
              help="Check the S+A share only in departments of at least this many people (default: the role's, 5).")
@_FORCE
def fill(scores: str, role: str, out_dir: str, lang: str | None, pdf: bool, jobs: int,
         top_share_limit: float | None, top_share_min_headcount: int | None, force: bool) -> None:
    """One filled packet per employee of SCORES, plus summary.xlsx; validated before anything is written."""
    from docgen.review.batch import FillOptions
    from docgen.review.batch import fill as fill_packets
    from docgen.review.roles import load_role
    from docgen.review.scoresheet import read_scoresheet

    settings = current_settings()
    the_role = load_role(role, settings)
    options = FillOptions(lang=lang or settings.language, pdf=pdf, jobs=jobs, force=force,
                          top_share_limit=top_share_limit, top_share_min_headcount=top_share_min_headcount,
                          settings=settings)
    sheet = read_scoresheet(scores, the_role) if sys.stderr.isatty() else None  # read once: fill reuses it
    if sheet is not None:
        with click.progressbar(length=len(sheet.employees), label="packets", file=sys.stderr) as bar:
            result = fill_packets(scores, the_role, out_dir, options, progress=bar.update, sheet=sheet)
    else:
        result = fill_packets(scores, the_role, out_dir, options)
    for warning in result.warnings:
        click.echo(f"docgen: warning: {warning}", err=True)
    click.echo(f"wrote {len(result.packets)} packets and {result.summary} to {out_dir}")
    if result.merged_pdf:
        click.echo(f"wrote {len(result.pdfs)} PDFs and {result.merged_pdf}")
