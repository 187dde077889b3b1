"""`docgen proposal …` commands."""

from __future__ import annotations

import click


@click.group(name="proposal")
def group() -> None:
    """proposal commands."""
