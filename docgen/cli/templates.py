"""`docgen templates …`: check Word templates before anyone renders them."""

from __future__ import annotations

import sys

import click

from docgen.template_check import KIND_MODULES, check_template


@click.group(name="templates")
def group() -> None:
    """Check docxtpl Word templates (yours or the bundled ones)."""


@group.command("check")
@click.argument("template", type=click.Path(exists=True, dir_okay=False))
@click.option("--kind", type=click.Choice(sorted(KIND_MODULES)), default=None,
              help="What the template is for; compares its variables with what docgen provides. "
                   "Default: guessed from its folder (templates/proposal, review, cases).")
def check(template: str, kind: str | None) -> None:
    """List syntax errors, tags split across Word runs and unknown variables.

    Exit 0 when the template is clean, 2 otherwise.
    """
    problems = check_template(template, kind)
    if not problems:
        click.echo(f"{template}: OK")
        return
    for problem in problems:
        click.echo(f"{problem}", err=True)
    click.echo(f"{template}: {len(problems)} problem(s)", err=True)
    sys.exit(2)
