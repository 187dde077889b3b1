"""`docgen requirements …` commands."""

from __future__ import annotations

import click


@click.group(name="requirements")
def group() -> None:
    """requirements commands."""
