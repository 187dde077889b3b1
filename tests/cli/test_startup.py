"""`docgen --help` starts at once: help and version load click and docgen's CLI modules, nothing heavy.

Each case runs `python -X importtime -m docgen …` in a fresh process and reads
the modules it imported from the import-time report.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

HEAVY = ("openpyxl", "docxtpl", "lxml", "jieba", "docx", "jinja2", "yaml", "markdown_it", "docxcompose",
         "starlette", "uvicorn", "argon2")


def imported_modules(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "docgen", *args],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return {m.group(1).strip() for m in re.finditer(r"^import time:\s*\d+ \|\s*\d+ \|\s*(.+)$", done.stderr, re.M)}


def heavy_among(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


@pytest.mark.parametrize("args", [("--help",), ("review", "--help"), ("--version",), ("proposal", "build", "--help"),
                                  ("cases", "--help"), ("requirements", "--help"),
                                  ("serve", "--help"), ("users", "--help"), ("users", "add", "--help")])
def test_help_and_version_import_nothing_heavy(args):
    modules = imported_modules(*args)
    assert "click" in modules and "docgen.cli" in modules  # the report was read
    assert not heavy_among(modules), f"docgen {' '.join(args)} imported {heavy_among(modules)}"


def test_the_check_can_fail():
    # A command that really works loads the libraries it needs, and the same reading sees them.
    from docgen.core.config import bundled_path

    example = bundled_path("requirements_forms") / "example-bank-zh.yaml"
    assert "yaml" in heavy_among(imported_modules("requirements", "check", str(example)))


def test_a_warm_proposal_build_loads_neither_openpyxl_nor_the_web_stack(tmp_path):
    """The price book comes from the cache and XML is escaped without xml.sax.saxutils (which loads
    urllib.request, http.client and email): 0.15 s and 0.035 s of every build, issue 14."""
    from docgen.core.config import bundled_path

    example = bundled_path("requirements_forms") / "example-bank-zh.yaml"
    args = ("proposal", "build", str(example), "--stage", "detailed", "-o", str(tmp_path / "d.docx"), "--force")
    imported_modules(*args)  # fills the caches, if this user's were empty
    warm = imported_modules(*args)
    assert "docxtpl" in warm  # it did build
    assert not {"openpyxl", "urllib.request", "http.client", "email.parser"} & warm, \
        sorted({"openpyxl", "urllib.request", "http.client", "email.parser"} & warm)
