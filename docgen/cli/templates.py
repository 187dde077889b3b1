"""`docgen templates …`: check Word templates before anyone renders them."""

from __future__ import annotations

import sys
from pathlib import Path

import click

# kind -> module whose TEMPLATE_VARIABLES lists what its context provides
# (the context builders are the one place that knows the variable names).
KIND_MODULES = {
    "proposal": "docgen.proposal.context",
    "review": "docgen.review.packet",
    "cases": "docgen.casebook.pack",
}


def guess_kind(path: str | Path) -> str | None:
    """The kind from the folder a template sits in (templates/proposal/… → proposal)."""
    for part in reversed(Path(path).resolve().parts[:-1]):
        if part in KIND_MODULES:
            return part
    return None


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
    import importlib

    from docgen.core.template_check import check_template

    kind = kind or guess_kind(template)
    provided = frozenset(importlib.import_module(KIND_MODULES[kind]).TEMPLATE_VARIABLES) if kind else None
    problems = check_template(template, kind, provided)
    if not problems:
        click.echo(f"{template}: OK")
        return
    for problem in problems:
        click.echo(f"{problem}", err=True)
    click.echo(f"{template}: {len(problems)} problem(s)", err=True)
    sys.exit(2)
