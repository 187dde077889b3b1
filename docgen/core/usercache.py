"""docgen's per-user cache folder ($XDG_CACHE_HOME/docgen) and safe reads and writes in it.

Everything kept there can be made again from the inputs (search indexes, the
response library, compiled templates): a missing, damaged or foreign file only
costs time. A file is only trusted when this user owns it (it may hold pickled
or marshalled data), and is replaced by rename, so a reader sees the old file
or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "docgen"


def read_own(path: Path) -> bytes | None:
    """The file's bytes when it exists and this user owns it; else None."""
    try:
        with open(path, "rb") as fh:
            if hasattr(os, "getuid") and os.fstat(fh.fileno()).st_uid != os.getuid():
                return None
            return fh.read()
    except OSError:
        return None


def write_replacing(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path` and rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
