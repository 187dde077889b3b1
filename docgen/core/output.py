"""The writer: every file docgen produces goes through here.

Writes are atomic (a temp file in the target folder, then a rename), so a
crash never leaves a half-written document; an existing file is never
replaced unless the caller passes force=True.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

from docgen.core.errors import DocgenError, OutputExistsError

_UNSAFE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(text: str, *, fallback: str = "document", max_length: int = 120) -> str:
    """A file name made from user data: no folders, no reserved names, no control chars.

    `../../x` becomes `x`, `A/B` becomes `A_B`; CJK and other letters are kept.
    """
    name = unicodedata.normalize("NFC", str(text))
    name = _UNSAFE_CHARS.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" ._")
    name = re.sub(r"_+", "_", name)
    name = name.lstrip(".")
    if name.upper().split(".")[0] in _WINDOWS_RESERVED:
        name = f"_{name}"
    if len(name.encode("utf-8")) > max_length:
        encoded = name.encode("utf-8")[:max_length]
        name = encoded.decode("utf-8", errors="ignore").rstrip(" ._")
    return name or fallback


def check_writable(path: str | os.PathLike, force: bool = False) -> Path:
    """Fail early, before any work, if `path` exists and force is off."""
    target = Path(path)
    if target.exists() and not force:
        raise OutputExistsError(f"{target} already exists; use --force to overwrite it")
    if target.exists() and target.is_dir():
        raise OutputExistsError(f"{target} is a folder; expected a file path")
    return target


def write_atomic(path: str | os.PathLike, data: bytes | Callable[[Path], None], *, force: bool = False) -> Path:
    """Write `data` (bytes, or a function that writes to the temp path) to `path`.

    The file appears complete or not at all; an existing file stays untouched
    when anything fails on the way.
    """
    target = check_writable(path, force)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DocgenError(f"cannot create folder {target.parent}: {exc.strerror}") from exc
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        if callable(data):
            os.close(fd)
            data(tmp)
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        if target.exists() and not force:  # appeared while we were writing
            raise OutputExistsError(f"{target} already exists; use --force to overwrite it")
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
