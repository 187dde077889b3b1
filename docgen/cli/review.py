"""`docgen review …` commands."""

from __future__ import annotations

import click


@click.group(name="review")
def group() -> None:
    """review commands."""
