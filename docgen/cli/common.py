"""What every command group shares: the settings from docgen.toml / --config."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from docgen.core.config import Settings


def current_settings() -> Settings:
    """Settings for this invocation (docgen --config FILE, else ./docgen.toml, else defaults)."""
    from docgen.core.config import load_settings

    ctx = click.get_current_context()
    return load_settings(ctx.meta.get("docgen.config_path"))
