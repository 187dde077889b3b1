"""`docgen cases …` commands."""

from __future__ import annotations

import click


@click.group(name="cases")
def group() -> None:
    """cases commands."""
