"""The response library and its search engine, kept on disk and updated answer by answer.

Loading 2,000 answers (YAML front matter, validated) takes seconds; reading
them back from a pickle takes a fraction of one. The search engine is the
casebook's (tantivy, docgen.proposal.answer_match), one index per language,
persistent like the casebook's index. Everything lives in one folder per set
of answers folders, beside the casebook's cache (docgen.casebook.cache.cache_dir):

- library.pickle: the validated library, behind a key (ANSWER_INDEX_VERSION,
  the answers folders, the synonyms files and every answer file's path, size,
  mtime_ns and ctime_ns) compared before unpickling, so a file for other
  inputs is never unpickled;
- engine-*/<language>/: the tantivy indexes;
- state.json: the key, the version of everything the engine's words are made
  from (answer_match's code, the tokeniser's rules and segmenter, the
  synonyms) and, per answer, its language and the digest of what the engine
  holds of it; "updating" while the engine is changed in place (an update cut
  short leaves it, and the next one writes a new engine).

Any edit, new or deleted file changes the key: the library is read and
validated again (raising the same InputError as load_answers), and only the
answers whose indexed text changed are re-tokenised and replaced in the
engine. Another version, or a missing or damaged engine, means a new engine.
An update holds an exclusive lock; the pickle and state.json are replaced by
rename and tantivy commits atomically, so a reader sees the old library or
the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import uuid
from pathlib import Path

from docgen.core.usercache import cache_dir, read_own, write_replacing
from docgen.proposal.answers import AnswerLibrary, load_answers

_MAGIC = b"docgen-answers\n"
_FORMAT = "docgen answer index"


def fingerprint(folders: list[Path]) -> str:
    """A digest that changes whenever anything the library or its index is built from changes."""
    from docgen.casebook.search import synonyms_path
    from docgen.proposal.answer_match import ANSWER_INDEX_VERSION

    digest = hashlib.sha256(f"v{ANSWER_INDEX_VERSION}".encode())
    _stat_line(digest, synonyms_path(None))
    for folder in folders:
        digest.update(f"\0folder\0{Path(folder).resolve()}\0{Path(folder).is_dir()}".encode())
        if Path(folder).is_dir():
            with os.scandir(folder) as entries:  # names and stats in one pass (a build reads 2,000 of them)
                found = sorted((e.name, e) for e in entries if e.name.endswith(".md") and e.is_file())
            lines = []
            for _, entry in found:
                st = entry.stat()
                lines.append(f"\0{entry.path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}")
            digest.update("".join(lines).encode())
            _stat_line(digest, Path(folder) / "synonyms.yaml")
    return digest.hexdigest()


def _stat_line(digest, path: Path) -> None:
    try:
        st = path.stat()
        digest.update(f"\0{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}".encode())
    except OSError:
        digest.update(f"\0{path}\0missing".encode())


def cache_folder(folders: list[Path]) -> Path:
    folder_ids = "\0".join(str(Path(f).resolve()) for f in folders)
    return cache_dir() / f"answers-{hashlib.sha256(folder_ids.encode()).hexdigest()[:16]}"


def open_library(folders: list[Path], *, use_cache: bool = True) -> AnswerLibrary:
    """The answers in `folders` (as load_answers) with their match index attached: cached when current."""
    from docgen.proposal.answer_match import answer_index

    key = fingerprint(folders)  # before reading: an edit during the build changes the key
    if not use_cache:
        library = load_answers(*folders)
        answer_index(library)
        return library
    store = _Store(cache_folder(folders))
    library = store.read(key)
    if library is not None:
        return library
    library = load_answers(*folders)
    try:
        return store.update(key, library)
    except OSError:
        answer_index(library)  # a read-only home only costs speed
        return library


class _Store:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def read(self, key: str) -> AnswerLibrary | None:
        """The cached library with its engines attached, when both are for `key` and this version; else None."""
        state = self._state()
        if state is None or state.get("key") != key or state.get("updating"):
            return None
        header = _MAGIC + f"{key}\n".encode()
        data = read_own(self.folder / "library.pickle")  # only our own files are unpickled
        if not data or not data.startswith(header):
            return None  # missing, other inputs, or not ours: never unpickled
        try:
            library = pickle.loads(memoryview(data)[len(header):])
            if not isinstance(library, AnswerLibrary) or state.get("version") != _version(library):
                return None
            return self._attach(library, state)
        except Exception:  # noqa: BLE001 — missing, from an older docgen, or damaged: updated under the lock
            return None

    def update(self, key: str, library: AnswerLibrary) -> AnswerLibrary:
        """Bring the engine up to `library` (only changed answers re-tokenised), then record it for `key`."""
        from docgen.casebook.cache import _Lock

        self.folder.mkdir(parents=True, exist_ok=True)
        with _Lock(self.folder / "lock"):
            done = self.read(key)
            if done is not None:
                return done  # another process did it meanwhile
            state, version = self._state(), _version(library)
            if state and state.get("version") == version and not state.get("updating"):
                # changed in place: marked first, so an update cut short is never trusted or built on
                write_replacing(self.folder / "state.json", json.dumps({**state, "updating": True}).encode())
            else:
                state = None  # another version, or an update cut short: a new engine
            try:
                state = self._write_engine(library, state)
                self._attach(library, state)
            except Exception:  # noqa: BLE001 — a damaged or incomplete engine: a new one
                state = self._write_engine(library, None)
                self._attach(library, state)
            state.update(format=_FORMAT, version=version, key=key)
            write_replacing(self.folder / "library.pickle", _MAGIC + f"{key}\n".encode() + pickle.dumps(
                library, protocol=pickle.HIGHEST_PROTOCOL))
            write_replacing(self.folder / "state.json", json.dumps(state, ensure_ascii=False).encode())
            for path in self.folder.iterdir():
                if path.is_dir() and path.name != state["engine"]:
                    shutil.rmtree(path, ignore_errors=True)  # a reader with it open keeps its files (POSIX)
        return library

    def _write_engine(self, library: AnswerLibrary, state: dict | None) -> dict:
        """Update the engine of `state` (None: write a new one); the new state's engine and entries."""
        from docgen.proposal.answer_match import _Tokenizer, engine_digest, write_engine

        entries = {e.id: [e.language, engine_digest(e)] for e in library}
        known = state["entries"] if state else {}
        engine = state["engine"] if state else f"engine-{uuid.uuid4().hex[:12]}"
        tokenizer = None
        for language in sorted({e.language for e in library} | {lang for lang, _ in known.values()}):
            changed = [e for e in library if e.language == language and known.get(e.id) != entries[e.id]]
            removed = [i for i, (lang, _) in known.items() if lang == language and entries.get(i, [None])[0] != language]
            path = self.folder / engine / language
            if changed or removed or not path.is_dir():
                path.mkdir(parents=True, exist_ok=True)
                tokenizer = tokenizer or _Tokenizer(library.synonyms)
                write_engine(changed, tokenizer, path, removed=removed)
        return {"engine": engine, "entries": entries}

    def _attach(self, library: AnswerLibrary, state: dict) -> AnswerLibrary:
        import tantivy

        from docgen.proposal.answer_match import AnswerIndex

        languages = sorted({e.language for e in library})
        engines = {lang: tantivy.Index.open(str(self.folder / state["engine"] / lang)) for lang in languages}
        index = AnswerIndex(library.entries, library.synonyms, engines=engines)
        for language, part in index.languages.items():
            if len(part) != len(part.entries):
                raise ValueError(f"the {language} engine holds another set of answers")
        library.cached_index(lambda _: index)
        return library

    def _state(self) -> dict | None:
        try:
            data = json.loads((self.folder / "state.json").read_text(encoding="utf-8"))
            return data if isinstance(data, dict) and data.get("format") == _FORMAT else None
        except (OSError, ValueError):
            return None


def _version(library: AnswerLibrary) -> str:
    """The version of everything the engine's words and scores are made from."""
    from docgen.casebook.tokens import tokenizer_digest
    from docgen.proposal import answer_match

    code = hashlib.sha256(Path(answer_match.__file__).read_bytes()).hexdigest()[:16]
    return f"{answer_match.ANSWER_INDEX_VERSION}:{code}:{tokenizer_digest(library.synonyms)}"


