"""`docgen requirements …` commands: the intake form, checking a file, the industry analysis table.

Each command imports docgen.intake when it runs, so help and other groups stay fast.
"""

from __future__ import annotations

import click


@click.group(name="requirements")
def group() -> None:
    """Client requirements files: intake form, check, import of a client's sheet, industry analysis."""


@group.command()
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False), help="The .xlsx form to write.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the instructions and example rows (headers are always bilingual).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(out: str, lang: str, force: bool) -> None:
    """Write a blank intake form (Excel) to fill in after a client meeting."""
    from docgen.intake.form import write_form

    path = write_form(out, lang, force=force)
    click.echo(f"wrote {path}")


@group.command()
@click.argument("file", type=click.Path(dir_okay=False))
def check(file: str) -> None:
    """Validate a requirements file (.yaml/.yml/.xlsx) and print a summary.

    Exit code 0 when valid (warnings are printed), 2 with every problem listed when not.
    """
    from docgen.intake.requirements import check_requirements, format_summary, summarize

    req, warnings = check_requirements(file)
    click.echo(format_summary(summarize(req), warnings))


@group.command(name="import")
@click.argument("client_workbook", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False),
              help="The requirements .yaml to write, for the presales owner to complete.")
@click.option("--sheet", help="The sheet holding the requirements (default: the one with the most requirement rows).")
@click.option("--columns", help="Columns by letter when detection fails, e.g. id=A,text=C,priority=D "
                                "(fields: id, text, priority, category, notes).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def import_(client_workbook: str, out: str, sheet: str | None, columns: str | None, force: bool) -> None:
    """Read the client's own questionnaire (.xlsx) into a requirements file.

    Finds the header under title rows and merged cells, maps ★/必须/mandatory to must, and leaves
    the client fields (name, industry, presales_owner) for you to fill in.
    """
    from docgen.intake.questionnaire import import_questionnaire

    path, found = import_questionnaire(client_workbook, out, sheet=sheet, columns=columns, force=force)
    for warning in found.warnings:
        click.echo(f"warning: {warning}", err=True)
    layout = found.layout
    shown = ", ".join(f"{name}={layout.letter(name)}" for name in ("id", "text", "priority", "category", "notes")
                      if name in layout.columns)
    click.echo(f"wrote {path}: {len(found.requirements)} requirements from sheet {layout.sheet} "
               f"(header row {layout.header_row or '-'}; columns {shown})")
    click.echo(f"next: fill in client name, industry and presales_owner, then run: docgen requirements check {path}")


@group.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False), help="The .xlsx table to write.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the category and tag names when a synonym group merges several (灾备 or Disaster recovery).")
@click.option("--synonyms", type=click.Path(dir_okay=False),
              help="A synonyms.yaml grouping names that mean one need (default: the bundled casebook's).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def analyze(files: tuple[str, ...], out: str, lang: str, synonyms: str | None, force: bool) -> None:
    """Write the 行业客户需求分析表 (industry requirement analysis table) for many clients.

    Categories and tags that a synonym group names alike (灾备 = 容灾 = Disaster recovery) are counted as one.
    """
    from docgen.intake.analysis import write_analysis

    path, analysis = write_analysis(files, out, force=force, language=lang, synonyms=synonyms)
    for source in analysis.duplicates:
        click.echo(f"note: {source} holds the same client data as an earlier file; counted once", err=True)
    clients = sum(len(item.clients) for item in analysis.industries)
    click.echo(f"wrote {path}: {clients} clients in {len(analysis.industries)} industries")
