"""`docgen company …`: the company knowledge behind proposals (team, credentials, price book, service levels)."""

from __future__ import annotations

import sys

import click

from docgen.cli.common import current_settings


@click.group(name="company")
def group() -> None:
    """Team, credentials, price book and service levels that proposals and quotes use."""


@group.command()
@click.option("--casebook", type=click.Path(file_okay=False, exists=True),
              help="Casebook the team's case ids must exist in (default: the bundled casebook).")
def check(casebook: str | None) -> None:
    """Check team.yaml, credentials, pricebook.xlsx and service.yaml. Exit 2 on problems, 1 on expired certificates."""
    import datetime as dt

    from docgen.proposal.company_check import check_company, format_report

    report = check_company(current_settings(), dt.date.today(), casebook=casebook)
    click.echo(format_report(report))
    sys.exit(1 if report.expired else 0)
