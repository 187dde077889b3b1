"""Compiled Jinja templates kept between runs, as Python keeps .pyc files.

Compiling a proposal template's body (parse, docgen's bounds, code generation,
Python's compile, and the facts docgen reads from the tree) takes ~0.1 s on
every command that renders it; loading the compiled code takes a millisecond.
An entry is keyed by the template text and by everything that shapes its code
(Python's bytecode version, jinja2's version, the bounds and render code of docgen.core.sandbox and
docgen.core.render, this module, the environment's class and its module), so an edited template or another docgen
compiles afresh. Only text that compiled without error is ever stored.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import sys
from pathlib import Path
from types import CodeType

import jinja2

from docgen.core.usercache import cache_dir, read_own, write_replacing

_MAGIC = b"docgen-template-1\n"
_versions: dict[type, str] = {}


def _code_version(env: jinja2.Environment) -> str:
    """What shapes the code besides the text: Python, jinja2, docgen's render code and the environment's class."""
    kind = type(env)
    if kind not in _versions:
        from docgen.core import render, sandbox

        # marshal's format and code objects belong to one Python: its bytecode magic is part of the key
        digest = hashlib.sha256(importlib.util.MAGIC_NUMBER + jinja2.__version__.encode())
        digest.update(f"{kind.__module__}.{kind.__qualname__}".encode())
        sources = {Path(render.__file__), Path(sandbox.__file__), Path(__file__)}
        defined_in = getattr(sys.modules.get(kind.__module__), "__file__", None)
        if defined_in:
            sources.add(Path(defined_in))
        for source in sorted(sources):
            digest.update(source.read_bytes())
        _versions[kind] = digest.hexdigest()
    return _versions[kind]


def _path(env: jinja2.Environment, text: str) -> Path:
    key = hashlib.sha256(f"{_code_version(env)}\0{text}".encode()).hexdigest()
    return cache_dir() / "templates" / key[:2] / f"{key[2:]}.bin"


def load(env: jinja2.Environment, text: str) -> tuple[CodeType, frozenset[str], bool, bool] | None:
    """(code, undeclared variables, fragment_free, captures) of `text` in `env` when compiled before; else None."""
    data = read_own(_path(env, text))
    if not data or not data.startswith(_MAGIC):
        return None
    try:
        code, variables, fragment_free, captures = marshal.loads(data[len(_MAGIC):])
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(code, CodeType):
        return None
    return code, frozenset(variables), bool(fragment_free), bool(captures)


def store(env: jinja2.Environment, text: str, code: CodeType, variables: frozenset[str], fragment_free: bool,
          captures: bool) -> None:
    try:
        write_replacing(_path(env, text), _MAGIC + marshal.dumps((code, sorted(variables), fragment_free, captures)))
    except OSError:
        pass  # a read-only home only costs time
