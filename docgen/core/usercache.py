"""docgen's per-user cache folder ($XDG_CACHE_HOME/docgen) and safe reads and writes in it.

Everything kept there can be made again from the inputs (search indexes, the
response library, compiled templates, the price book, diagrams): a missing, damaged or foreign file only
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


def file_key(path: Path, *code: Path) -> str:
    """A key that changes when the file (its path, size, times) or the source files `code` that read it change."""
    import hashlib

    st = path.stat()
    digest = hashlib.sha256(f"{path.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}".encode())
    for source in code:
        digest.update(source.read_bytes())
    return digest.hexdigest()


def load_pickled(kind: str, key: str) -> object | None:
    """What store_pickled kept under `key`, or None (missing, damaged, not ours)."""
    import pickle

    data = read_own(cache_dir() / kind / f"{key}.pickle")
    if not data:
        return None
    try:
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 — damaged or from another docgen: made again
        return None


def store_pickled(kind: str, key: str, value: object) -> None:
    import pickle

    try:
        write_replacing(cache_dir() / kind / f"{key}.pickle", pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a read-only home only costs time
