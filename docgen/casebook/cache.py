"""The casebook index, cached on disk so `docgen cases search` stays fast.

The cache is keyed by the casebook folder, the synonyms file and every case
file's (name, size, mtime_ns, ctime_ns): any edit, new or deleted file gives a
new key and a rebuild, so a stale index is never served. It lives under
$XDG_CACHE_HOME/docgen (default ~/.cache/docgen); when that is not writable
the index is simply rebuilt each time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from docgen.casebook.cases import case_files, load_casebook
from docgen.casebook.search import INDEX_VERSION, CaseIndex, build_index, synonyms_path
from docgen.casebook.tokens import load_synonyms


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "docgen"


def fingerprint(casebook_dir: str | Path) -> str:
    """A digest that changes whenever anything the index is built from changes."""
    digest = hashlib.sha256(f"v{INDEX_VERSION}\0{Path(casebook_dir).resolve()}".encode())
    for path in (synonyms_path(casebook_dir), *case_files(casebook_dir)):
        st = path.stat()
        digest.update(f"\0{path.name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}".encode())
    return digest.hexdigest()


def open_index(casebook_dir: str | Path, *, use_cache: bool = True) -> CaseIndex:
    """The index of a casebook folder: from the cache when it is current, else built."""
    key = fingerprint(casebook_dir)  # before reading: an edit during the build changes the key
    folder = cache_dir()
    cache_file = folder / f"casebook-{hashlib.sha256(str(Path(casebook_dir).resolve()).encode()).hexdigest()[:16]}.pickle"
    if use_cache:
        cached = _read(cache_file, key)
        if cached is not None:
            return cached
    index = build_index(load_casebook(casebook_dir), load_synonyms(synonyms_path(casebook_dir)),
                        jieba_cache=folder / "jieba")
    if use_cache:
        _write(cache_file, key, index)
    return index


def _read(cache_file: Path, key: str) -> CaseIndex | None:
    try:
        with open(cache_file, "rb") as fh:
            stored_key, index = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return None  # missing, from an older docgen, or damaged: rebuild
    return index if stored_key == key and isinstance(index, CaseIndex) else None


def _write(cache_file: Path, key: str, index: CaseIndex) -> None:
    tmp = None
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_file.parent, prefix=".casebook-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((key, index), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache_file)  # readers see the old file or the new one, never half
        tmp = None
    except OSError:
        pass  # a read-only home only costs speed
    finally:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
