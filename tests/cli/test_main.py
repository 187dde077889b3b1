"""The command line: every command documented, bad input is a message and exit 2."""

from __future__ import annotations

import re
from pathlib import Path

import click
from click.testing import CliRunner

from docgen import __version__
from docgen.cli import main

ROOT = Path(__file__).resolve().parents[2]
GROUPS = {"requirements", "cases", "proposal", "review", "templates"}


def _commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


def test_help_lists_every_group_and_version():
    runner = CliRunner()
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for group in GROUPS | {"demo"}:
        assert re.search(rf"^\s+{group}\s+\S", result.output, re.M), group
    assert __version__ in runner.invoke(main, ["--version"]).output


def test_every_command_has_help_text():
    runner = CliRunner()
    for path, command in _commands(main):
        assert command.help, f"docgen {' '.join(path)} has no help text"
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Usage:" in result.output


def test_contract_commands_exist():
    design = {
        ("requirements", "new"), ("requirements", "check"), ("requirements", "analyze"),
        ("cases", "search"), ("cases", "match"), ("cases", "lint"), ("cases", "pack"),
        ("proposal", "build"), ("proposal", "brief"), ("proposal", "plan"), ("proposal", "check"),
        ("proposal", "release"), ("review", "roles"), ("review", "blank"), ("review", "scoresheet"),
        ("review", "fill"), ("templates", "check"), ("demo",),
    }
    assert design <= {path for path, _ in _commands(main)}


def test_bad_template_is_a_message_not_a_traceback(tmp_path):
    bad = tmp_path / "not-a-docx.docx"
    bad.write_text("plain text, not a Word file")
    result = CliRunner().invoke(main, ["templates", "check", str(bad)])
    assert result.exit_code == 2
    assert "not-a-docx.docx" in result.output and "Traceback" not in result.output


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"test command, which is, verbatim:\s*```bash\n(.+?)\n```", readme, re.S).group(1)
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert "docgen demo -o" in readme
