"""Reading and tokenising case files for the index, in parallel when asked (`--jobs`).

Each worker process parses a share of the files (front matter, validation)
and turns each case into its terms per field; the parent only hands the terms
to the engine. A file with problems yields its problems and no case, so all
of them can be reported at once.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import tantivy

from docgen.casebook.models import Case
from docgen.casebook.search import case_terms, document
from docgen.casebook.tokens import DocumentTokenizer, Synonyms
from docgen.core.errors import InputError, Problem

_CHUNK = 50  # files per task: small enough for a smooth progress bar, big enough to keep workers busy
_tokenizer: DocumentTokenizer | None = None


@dataclass
class Loaded:
    name: str
    case: Case | None
    problems: list[Problem]
    terms: dict[str, list[str]] | None

    @property
    def document(self) -> tantivy.Document:
        assert self.case is not None and self.terms is not None
        return document(self.case, self.terms)


def tokenise_files(paths: list[Path], synonyms: Synonyms, *, jobs: int = 1,
                   progress: Callable[[int, int], None] | None = None) -> Iterator[Loaded]:
    """Each file loaded and tokenised, in the order given, yielded as soon as it is ready.

    A generator, so the caller hands each case to the engine and lets its terms go:
    100,000 cases' terms are never all in memory at once.
    """
    if not paths:
        return  # nothing to cut: the segmenter is not even loaded
    chunks = [paths[i:i + _CHUNK] for i in range(0, len(paths), _CHUNK)]
    done = 0
    if progress:
        progress(0, len(paths))
    if jobs > 1 and len(chunks) > 1:
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with context.Pool(jobs, initializer=_start, initargs=(synonyms,)) as pool:
            parts = pool.imap(_load_chunk, chunks)
            for part in parts:
                yield from part
                done += len(part)
                if progress:
                    progress(done, len(paths))
        return
    _start(synonyms)
    for chunk in chunks:
        yield from _load_chunk(chunk)
        done += len(chunk)
        if progress:
            progress(done, len(paths))


def _start(synonyms: Synonyms) -> None:
    global _tokenizer
    if _tokenizer is None or _tokenizer.synonyms != synonyms:
        _tokenizer = DocumentTokenizer(synonyms)


def _load_chunk(paths: list[Path]) -> list[Loaded]:
    from docgen.casebook.cases import load_case_file

    assert _tokenizer is not None
    out = []
    for path in paths:
        try:
            case = load_case_file(path)
        except InputError as exc:
            out.append(Loaded(path.name, None, list(exc.problems), None))
            continue
        out.append(Loaded(path.name, case, [], case_terms(_tokenizer, case)))
    return out
