"""`docgen templates …` commands."""

from __future__ import annotations

import click


@click.group(name="templates")
def group() -> None:
    """templates commands."""
