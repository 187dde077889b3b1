"""`docgen demo`: every document kind from the bundled examples."""

from __future__ import annotations

import click


@click.command()
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder to write into.")
def demo(out_dir: str) -> None:
    """Produce every kind of document docgen makes from the bundled examples."""
