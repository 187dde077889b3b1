"""What every command group shares: the settings from docgen.toml / --config."""

from __future__ import annotations

import click

from docgen.config import Settings, load_settings


def current_settings() -> Settings:
    """Settings for this invocation (docgen --config FILE, else ./docgen.toml, else defaults)."""
    ctx = click.get_current_context()
    return load_settings(ctx.meta.get("docgen.config_path"))
