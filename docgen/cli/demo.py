"""`docgen demo`: every document kind from the bundled examples."""

from __future__ import annotations

import click

from docgen.cli.common import current_settings


@click.command()
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder to write into (created if missing).")
@click.option("--pdf/--no-pdf", default=True, show_default=True,
              help="Also export PDFs when LibreOffice is installed.")
@click.option("--force", is_flag=True, help="Overwrite files left by an earlier demo run.")
def demo(out_dir: str, pdf: bool, force: bool) -> None:
    """Produce every kind of document docgen makes from the bundled examples."""
    from docgen.demo import run_demo

    written = run_demo(out_dir, current_settings(), force=force, pdf=pdf, report=click.echo)
    click.echo(f"{len(written)} files written to {out_dir}")
