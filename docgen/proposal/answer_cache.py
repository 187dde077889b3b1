"""The response library and its match index, cached on disk so every proposal build need not rebuild them.

Loading 2,000 answers (YAML front matter, validated) and indexing them takes
seconds; reading them back from a pickle takes a fraction of one. The cache
is keyed by ANSWER_INDEX_VERSION, the answers folders, the synonyms files and
every answer file's (path, size, mtime_ns, ctime_ns): any edit, new or
deleted file gives a new key, and a rebuild that validates every file again
(raising the same InputError as docgen.proposal.answers.load_answers). It
lives beside the casebook's cache (docgen.casebook.cache.cache_dir, per user).

The key is written in front of the pickle and compared before unpickling, so
a cache file for other inputs is never unpickled; a missing, damaged or
foreign file is rebuilt without a word. Writes go to a temporary file
renamed over the old one, so two builds racing leave one whole file.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from docgen.proposal.answers import AnswerLibrary, load_answers

_MAGIC = b"docgen-answers\n"


def fingerprint(folders: list[Path]) -> str:
    """A digest that changes whenever anything the library or its index is built from changes."""
    from docgen.casebook.search import synonyms_path
    from docgen.proposal.answer_match import ANSWER_INDEX_VERSION

    digest = hashlib.sha256(f"v{ANSWER_INDEX_VERSION}".encode())
    files = [synonyms_path(None)]
    for folder in folders:
        digest.update(f"\0folder\0{Path(folder).resolve()}\0{Path(folder).is_dir()}".encode())
        if Path(folder).is_dir():
            files += [*sorted(Path(folder).glob("*.md")), Path(folder) / "synonyms.yaml"]
    for path in files:
        try:
            st = path.stat()
            digest.update(f"\0{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}".encode())
        except OSError:
            digest.update(f"\0{path}\0missing".encode())
    return digest.hexdigest()


def open_library(folders: list[Path], *, use_cache: bool = True) -> AnswerLibrary:
    """The answers in `folders` (as load_answers) with their match index attached: cached when current."""
    from docgen.casebook.cache import cache_dir
    from docgen.proposal.answer_match import answer_index

    key = fingerprint(folders)  # before reading: an edit during the build changes the key
    folder_ids = "\0".join(str(Path(f).resolve()) for f in folders)
    cache_file = cache_dir() / f"answers-{hashlib.sha256(folder_ids.encode()).hexdigest()[:16]}.pickle"
    if use_cache:
        cached = _read(cache_file, key)
        if cached is not None:
            return cached
    library = load_answers(*folders)
    index = answer_index(library)
    if use_cache:
        _write(cache_file, key, (library, index))
    return library


def _read(cache_file: Path, key: str) -> AnswerLibrary | None:
    from docgen.proposal.answer_match import AnswerIndex

    try:
        with open(cache_file, "rb") as fh:
            if hasattr(os, "getuid") and os.fstat(fh.fileno()).st_uid != os.getuid():
                return None  # only our own files are unpickled
            if fh.readline() != _MAGIC or fh.readline() != f"{key}\n".encode():
                return None  # other inputs, or not ours: never unpickled
            library, index = pickle.load(fh)
    except Exception:  # noqa: BLE001 — missing, from an older docgen, or damaged: rebuild
        return None
    if not isinstance(library, AnswerLibrary) or not isinstance(index, AnswerIndex):
        return None
    library.cached_index(lambda _: index)
    return library


def _write(cache_file: Path, key: str, value: tuple) -> None:
    tmp = None
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_file.parent, prefix=".answers-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(_MAGIC + f"{key}\n".encode())
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache_file)  # readers see the old file or the new one, never half
        tmp = None
    except OSError:
        pass  # a read-only home only costs speed
    finally:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
