"""The casebook's persistent search index: kept beside the casebook, updated file by file.

The index lives in <casebook>/.docgen-index/ (for the bundled casebook, or a
casebook folder docgen may not write to, under $XDG_CACHE_HOME/docgen/index/).
It holds the tantivy index (docgen.casebook.search, in engine-*/), files.json
(for each case file its size, mtime, content digest and case id) and
state.json: the version of everything terms are made from (the engine code,
the tokeniser's rules, the segmenter, the synonyms: tokens.tokenizer_digest)
and one digest of all names, sizes and mtimes, so a search that finds nothing
changed reads neither files.json nor any case. Opening it:

- a file whose size or mtime changed, or that was written too close to the
  last update for its mtime to be trusted, is re-read; only when its content
  digest changed is it re-tokenised (a touched file is not);
- new, changed and deleted files update only their own documents;
- another version, or a damaged or foreign folder, means a full rebuild (with
  a message for the damaged one).

An update holds an exclusive lock (a second updater waits, then finds nothing
left to do). Readers take no lock: tantivy publishes a commit atomically and
state.json is replaced by rename, so a reader sees the old index or the new
one, never half of one. A full rebuild writes a new engine folder and switches
state.json to it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import tantivy

from docgen.casebook.cases import case_files
from docgen.casebook import search
from docgen.casebook.search import SCHEMA_VERSION, CaseIndex, build_index, schema, synonyms_path
from docgen.casebook.tokens import Synonyms, load_synonyms, tokenizer_digest
from docgen.core.errors import InputError, Location, Problem
from docgen.core.usercache import cache_dir, write_replacing  # noqa: F401 — cache_dir re-exported

log = logging.getLogger("docgen.casebook")
FOLDER = ".docgen-index"
_FORMAT = "docgen casebook index"
_RACY_NS = 3_000_000_000  # a file modified this close to the last update may change again unseen (same mtime)
Progress = Callable[[int, int], None]


def fingerprint(casebook_dir: str | Path) -> str:
    """A cheap digest of the casebook's files (names, sizes, times): the web workspace polls it."""
    digest = hashlib.sha256(f"v{SCHEMA_VERSION}\0{Path(casebook_dir).resolve()}".encode())
    for path in (synonyms_path(casebook_dir), *case_files(casebook_dir)):
        st = path.stat()
        digest.update(f"\0{path.name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}".encode())
    return digest.hexdigest()


def index_dir(casebook_dir: str | Path) -> Path:
    """Where the index of a casebook lives: beside it, or in the cache when that is not ours to write."""
    from docgen.core.config import bundled_path

    folder = Path(casebook_dir).resolve()
    inside_package = folder.is_relative_to(bundled_path("casebook").resolve().parent)
    if not inside_package and os.access(folder, os.W_OK):
        return folder / FOLDER
    return cache_dir() / "index" / hashlib.sha256(str(folder).encode()).hexdigest()[:16]


@dataclass
class UpdateReport:
    """What an update did (tests and `cases reindex` read it)."""

    tokenised: int = 0
    removed: int = 0
    rebuilt: bool = False
    total: int = 0


def open_index(casebook_dir: str | Path, *, use_cache: bool = True, jobs: int = 1,
               progress: Progress | None = None, report: UpdateReport | None = None) -> CaseIndex:
    """The current index of a casebook folder, updated for whatever changed since it was last opened."""
    casebook_dir = Path(casebook_dir)
    files = scan(casebook_dir)
    synonyms = load_synonyms(synonyms_path(casebook_dir))
    if use_cache:
        store = _Store(index_dir(casebook_dir), synonyms)
        try:
            return store.open(casebook_dir, files, jobs=jobs, progress=progress, report=report or UpdateReport())
        except OSError as exc:  # a read-only disk only costs speed
            log.warning("casebook index %s not writable (%s); searching without it", store.folder, exc.strerror)
    from docgen.casebook.cases import load_casebook

    return build_index(load_casebook(casebook_dir), synonyms)


def reindex(casebook_dir: str | Path, *, jobs: int = 1, progress: Progress | None = None) -> UpdateReport:
    """Rebuild the index of a casebook from scratch (`docgen cases reindex`)."""
    casebook_dir = Path(casebook_dir)
    files = scan(casebook_dir)
    report = UpdateReport()
    store = _Store(index_dir(casebook_dir), load_synonyms(synonyms_path(casebook_dir)))
    store.open(casebook_dir, files, jobs=jobs, progress=progress, report=report, force=True)
    return report


def scan(casebook_dir: Path) -> dict[str, tuple[int, int]]:
    """Case file name -> (size, mtime_ns), the files case_files lists, in one pass over the folder."""
    if not casebook_dir.is_dir():
        case_files(casebook_dir)  # raises "casebook folder not found"
    found = {}
    with os.scandir(casebook_dir) as entries:
        for entry in entries:
            if entry.name.endswith(".md") and entry.is_file():
                st = entry.stat()
                found[entry.name] = (st.st_size, st.st_mtime_ns)
    return found


class _Store:
    def __init__(self, folder: Path, synonyms: Synonyms) -> None:
        self.folder = folder
        self.synonyms = synonyms
        # search.py's own text too: a change to the schema or the scoring can never meet an old index
        engine = hashlib.sha256(Path(search.__file__).read_bytes()).hexdigest()[:16]
        self.version = f"{SCHEMA_VERSION}:{engine}:{tokenizer_digest(synonyms)}"

    def open(self, casebook_dir: Path, files: dict[str, tuple[int, int]], *, jobs: int,
             progress: Progress | None, report: UpdateReport, force: bool = False) -> CaseIndex:
        state = self._state(quiet=True)
        if not force and state is not None and not _changes(state, files):
            try:
                return CaseIndex(tantivy.Index.open(str(self.folder / state["engine"])), self.synonyms)
            except Exception:  # noqa: BLE001 — switched or damaged under us: update under the lock below
                pass
        created = not self.folder.exists()
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            with _Lock(self.folder / "lock"):
                state = self._state(quiet=False)  # another process may have updated it meanwhile
                known = None if force or state is None else self._files()
                if known is None:
                    state, known = {"engine": None}, {}
                    report.rebuilt = True
                index = self._update(state, known, casebook_dir, files, jobs, progress, report)
        except BaseException:
            if created:  # a refused first build leaves nothing behind
                shutil.rmtree(self.folder, ignore_errors=True)
            raise
        return CaseIndex(index, self.synonyms)

    def _state(self, quiet: bool) -> dict | None:
        """The index's state when it is ours, whole and of this version; else None (a rebuild follows)."""
        path = self.folder / "state.json"
        if not path.exists():
            return None  # a new index, or a first build that did not finish
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != _FORMAT or not isinstance(data.get("scan"), str):
                raise ValueError("not a docgen casebook index")
            if data.get("version") != self.version:
                return None  # made by other rules, words or synonyms: rebuilt without fuss
            if not quiet:  # the quiet caller opens the engine itself, and comes here if that fails
                tantivy.Index.open(str(self.folder / data["engine"]))
            return data
        except Exception as exc:  # noqa: BLE001 — damaged or foreign: rebuilt, said once
            self._damaged(quiet, exc)
            return None

    def _files(self) -> dict[str, list] | None:
        """name -> [size, mtime_ns, sha256, case id] of every indexed file (read only to update)."""
        try:
            data = json.loads((self.folder / "files.json").read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not all(isinstance(v, list) and len(v) == 4 for v in data.values()):
                raise ValueError("files.json is not a list of indexed files")
            return data
        except Exception as exc:  # noqa: BLE001
            self._damaged(False, exc)
            return None

    def _damaged(self, quiet: bool, exc: Exception) -> None:
        if not quiet:
            log.warning("casebook index %s is damaged or not docgen's (%s); rebuilding it",
                        self.folder, str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__)

    def _update(self, state: dict, known: dict[str, list], casebook_dir: Path, stats: dict[str, tuple[int, int]],
                jobs: int, progress: Progress | None, report: UpdateReport) -> tantivy.Index:
        from docgen.casebook.indexing import tokenise_files

        on_disk = {name: casebook_dir / name for name in sorted(stats)}
        removed = [name for name in known if name not in on_disk]
        suspect = [name for name in on_disk if name not in known or _changed(known[name], stats[name], state)]
        digests = {name: _digest(on_disk[name]) for name in suspect}
        changed = [name for name in suspect if name not in known or known[name][2] != digests[name]]
        engine = state["engine"]
        fresh = engine is None
        if fresh:
            engine = f"engine-{uuid.uuid4().hex[:12]}"
        index = tantivy.Index(schema(), path=str(_mkdir(self.folder / engine)), reuse=not fresh)
        owners = {entry[3]: name for name, entry in known.items() if name not in removed and name not in changed}
        new_ids: dict[str, str] = {}
        if fresh or removed or changed:
            problems: list[Problem] = []
            writer = index.writer(heap_size=100_000_000, num_threads=max(1, min(jobs, 4)))
            for name in (*removed, *changed):
                if name in known:
                    writer.delete_documents_by_term("id", known[name][3])
            # each case goes to the engine as it comes; a problem anywhere rolls the whole update back
            for item in tokenise_files([on_disk[n] for n in changed], self.synonyms, jobs=jobs, progress=progress):
                problems += item.problems
                if item.case is None:
                    continue
                if item.case.id in owners:
                    problems.append(Problem(Location(file=str(on_disk[item.name]), field="id"),
                                            f"duplicate id {item.case.id!r}: already used by {on_disk[owners[item.case.id]]}"))
                    continue
                owners[item.case.id], new_ids[item.name] = item.name, item.case.id
                writer.add_document(item.document)
            if problems:
                writer.rollback()
                del writer
                if fresh:
                    shutil.rmtree(self.folder / engine, ignore_errors=True)
                raise InputError(problems)
            writer.commit()
            writer.wait_merging_threads()
        files_now = {name: entry for name, entry in known.items() if name not in removed}
        for name in suspect:
            files_now[name] = [*stats[name], digests[name], new_ids.get(name) or known[name][3]]
        # files.json first: a crash between the two leaves an old state, so the next open checks again
        _write_json(self.folder / "files.json", files_now)
        _write_json(self.folder / "state.json", {
            "format": _FORMAT, "version": self.version, "engine": engine, "scan": _scan_digest(stats),
            "written_ns": time.time_ns()})
        (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
        if fresh:
            self._remove_engines_but(engine)
        report.tokenised += len(changed)
        report.removed += len(removed)
        report.total = len(files_now)
        return index

    def _remove_engines_but(self, engine: str) -> None:
        for path in self.folder.iterdir():
            if path.is_dir() and path.name != engine:
                shutil.rmtree(path, ignore_errors=True)  # a reader with it open keeps its files (POSIX)


def _changes(state: dict, files: dict[str, tuple[int, int]]) -> bool:
    """Whether any file may differ from the index: another set of names, sizes or mtimes, or a racy mtime."""
    return state["scan"] != _scan_digest(files) or any(
        mtime >= state.get("written_ns", 0) - _RACY_NS for _, mtime in files.values())


def _changed(entry: list, stat: tuple[int, int], state: dict) -> bool:
    """Size or mtime differ, or the mtime is too close to the last update to prove nothing changed."""
    return (entry[0], entry[1]) != tuple(stat) or stat[1] >= state.get("written_ns", 0) - _RACY_NS


def _scan_digest(files: dict[str, tuple[int, int]]) -> str:
    """One digest of every file's name, size and mtime: a search compares it instead of reading files.json.

    In the folder's listing order, not sorted (a third of the time at 100,000 files): an unchanged
    folder lists in the same order, and a different order only costs one careful update.
    """
    listing = "\n".join([f"{name}\0{size}\0{mtime}" for name, (size, mtime) in files.items()])
    return hashlib.sha256(listing.encode()).hexdigest()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write_json(path: Path, data: dict) -> None:  # readers see the old file or the new one
    write_replacing(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


class _Lock:
    """An exclusive lock on a file (flock): one updater at a time, across processes."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> _Lock:
        import fcntl

        self._fh = open(self.path, "a")  # noqa: SIM115 — held until __exit__
        fcntl.flock(self._fh, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc) -> None:
        self._fh.close()  # releases the lock
