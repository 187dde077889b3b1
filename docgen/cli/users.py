"""`docgen users …`: accounts of the web workspace (`docgen serve`), stored in its data folder."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from docgen.cli.serve import DEFAULT_DATA

_DATA = click.option("--data", "data", default=DEFAULT_DATA, show_default=True, type=click.Path(file_okay=False),
                     help="The workspace's data folder (as given to `docgen serve --data`).")


def _db(data: str):
    from docgen.web.db import open_db

    return open_db(Path(data))


@click.group(name="users")
def group() -> None:
    """Accounts of the web workspace: admin, hr, presales, sales."""


@group.command()
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["admin", "hr", "presales", "sales"]),
              help="admin: everything; hr: review packets; presales: proposals and internal cases; sales: external cases.")
@_DATA
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def add(name: str, role: str, data: str, password_stdin: bool) -> None:
    """Create an account; the password is asked for (twice) unless --password-stdin."""
    from docgen.web.accounts import add_user, check_new_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
    check_new_user(name, role, password)
    user = add_user(_db(data), name, role, password)
    click.echo(f"added {user.name} ({user.role}) to {Path(data).resolve()}")


@group.command(name="list")
@_DATA
def list_(data: str) -> None:
    """List the accounts with their role and state."""
    from docgen.web.accounts import list_users

    for user in list_users(_db(data)):
        click.echo(f"{user.name}\t{user.role}\t{'disabled' if user.disabled else 'active'}")


@group.command()
@click.argument("name")
@_DATA
def disable(name: str, data: str) -> None:
    """Disable an account and end its sessions (its jobs and audit entries stay)."""
    from docgen.web.accounts import set_disabled

    set_disabled(_db(data), name)
    click.echo(f"disabled {name}")
