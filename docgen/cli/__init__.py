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
    """The one exit path: every failure becomes `docgen: error: …` on stderr and an exit code.

    DocgenError carries its own code (2 for bad input, 1 for a refused check);
    an OS error (permissions, no space, a name too long) and anything else that
    escapes the library are still one line with exit 2; Ctrl-C is 130.
    `docgen --debug` re-raises to show the traceback.
    """

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        # click turns Ctrl-C while parsing into "Aborted!" and exit 1; docgen says what happened, exit 130.
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except (click.exceptions.Abort, KeyboardInterrupt):
            click.echo("docgen: interrupted (Ctrl-C); nothing half-written was left", err=True)
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            if ctx.meta.get("docgen.debug"):
                raise
            click.echo("docgen: interrupted (Ctrl-C); nothing half-written was left", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 — the promise is a message, never a traceback
            if ctx.meta.get("docgen.debug"):
                raise
            click.echo(f"docgen: error: {_message(exc)}", err=True)
            sys.exit(getattr(exc, "exit_code", 2) if isinstance(exc, DocgenError) else 2)


def _message(exc: Exception) -> str:
    """One line for the user; the traceback only with --debug."""
    if isinstance(exc, DocgenError):
        return str(exc)
    if isinstance(exc, OSError):
        from docgen.core.output import os_error_message

        return os_error_message(exc)
    if isinstance(exc, MemoryError):
        return "out of memory: the input is too large for this machine"
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply"
    detail = " ".join(str(exc).split())[:300]
    return (f"internal error ({exc.__class__.__name__}: {detail}); "
            "please report it with the output of `docgen --debug …`")


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
    from docgen.cli import cases, company, demo, proposal, requirements, review, serve, templates, users

    for module in (requirements, cases, proposal, review, templates, users, company):
        main.add_command(module.group)
    main.add_command(demo.demo)
    main.add_command(serve.serve)


_register()
