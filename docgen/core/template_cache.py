"""Compiled Jinja templates kept between runs, as Python keeps .pyc files.

Compiling a proposal template's body (parse, docgen's bounds, code generation,
Python's compile, and the facts docgen reads from the tree) takes ~0.1 s on
every command that renders it; loading the compiled code takes a millisecond.
An entry is keyed by the template text and by everything that shapes its code
(Python's bytecode version, jinja2's version, the bounds and render code of docgen.core.sandbox and
docgen.core.render, this module), so an edited template or another docgen
compiles afresh. Only text that compiled without error is ever stored.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
from pathlib import Path
from types import CodeType

import jinja2

from docgen.core.usercache import cache_dir, read_own, write_replacing

_MAGIC = b"docgen-template-1\n"
_version: str | None = None


def _code_version() -> str:
    global _version
    if _version is None:
        from docgen.core import render, sandbox

        # marshal's format and code objects belong to one Python: its bytecode magic is part of the key
        digest = hashlib.sha256(importlib.util.MAGIC_NUMBER + jinja2.__version__.encode())
        for module in (render, sandbox):
            digest.update(Path(module.__file__).read_bytes())
        digest.update(Path(__file__).read_bytes())
        _version = digest.hexdigest()
    return _version


def _path(text: str) -> Path:
    key = hashlib.sha256(f"{_code_version()}\0{text}".encode()).hexdigest()
    return cache_dir() / "templates" / key[:2] / f"{key[2:]}.bin"


def load(text: str) -> tuple[CodeType, frozenset[str], bool, bool] | None:
    """(code, undeclared variables, fragment_free, captures) of `text` when compiled before; else None."""
    data = read_own(_path(text))
    if not data or not data.startswith(_MAGIC):
        return None
    try:
        code, variables, fragment_free, captures = marshal.loads(data[len(_MAGIC):])
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(code, CodeType):
        return None
    return code, frozenset(variables), bool(fragment_free), bool(captures)


def store(text: str, code: CodeType, variables: frozenset[str], fragment_free: bool, captures: bool) -> None:
    try:
        write_replacing(_path(text), _MAGIC + marshal.dumps((code, sorted(variables), fragment_free, captures)))
    except OSError:
        pass  # a read-only home only costs time
