"""The `docgen` command: a thin click layer over the library.

Each command group lives in its own module (requirements, cases, proposal,
review, templates, demo); this module wires them together and is the one
place that turns library errors into a message and an exit code.

May import: every domain, but only inside a command's body, so `docgen --help`
loads click and these modules, nothing heavy. Nothing imports cli.
"""

from __future__ import annotations

import sys

import click

from docgen import __version__
from docgen.core.errors import DocgenError


class _DocgenGroup(click.Group):
    """Turns a DocgenError into `docgen: error: …` on stderr and its exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DocgenError as exc:
            if ctx.meta.get("docgen.debug"):
                raise
            click.echo(f"docgen: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("docgen: interrupted; no partial output was left behind", err=True)
            sys.exit(130)


@click.group(cls=_DocgenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docgen")
@click.option("--debug", is_flag=True, help="Show the full traceback of an error.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="docgen.toml to use (default: ./docgen.toml when present).",
)
@click.pass_context
def main(ctx: click.Context, debug: bool, config_path: str | None) -> None:
    """docgen — proposal drafts, KPI review packets and case-study packs in Word.

    \b
    Presales: requirements → proposal (staged, targeted drafts, reviewed before release)
    HR:       review (14-page appraisal packets, blank or filled, in batches)
    Sales:    cases (search the casebook, match a client, export a case pack)
    """
    ctx.meta["docgen.debug"] = debug
    ctx.meta["docgen.config_path"] = config_path


def _register() -> None:
    # Imported here so each group module can import `main`-level helpers freely.
    from docgen.cli import cases, demo, proposal, requirements, review, templates

    for module in (requirements, cases, proposal, review, templates):
        main.add_command(module.group)
    main.add_command(demo.demo)


_register()
