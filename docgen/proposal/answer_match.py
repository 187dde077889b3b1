"""Which library answer (docgen.proposal.answers) answers one requirement, or none.

The casebook's search engine, applied to answers: the same tokenisers and
synonyms (docgen.casebook.tokens) and the same engine, tantivy's BM25, over
three fields weighted BM25F-style by repeating their words (FIELD_WEIGHT) —
the answer's `questions` (what it answers, weighed most), its categories and
tags, and its text. One tantivy index per language, so each language's words
are weighed against that language's answers. The persistent copy beside the
library, updated answer by answer, is docgen.proposal.answer_cache's.

A requirement (its text, category and tags) becomes words: the words the
library knows that occur in it, plus jieba's words for it, so that a word no
answer uses (卫星) is seen as a word and not lost. Left out are numbers
(whether 15 minutes is met is for the compliance rules and the answer's
declared capabilities), words every requirement uses (建设, 提供, must …) and
a word inside a longer word of the requirement the library also knows (分支 in
分支机构 is not counted twice). Each answer's score is what these words
contribute to it, divided by the most they could ever contribute:

    relevance = Σ bm25(word, answer) / ((K1 + 1) · Σ idf(word)·unseen(word))     (0…1)

where unseen(word) is UNSEEN_WEIGHT for a word no answer in the language uses
(most likely what the requirement is about, and what we have never written
about) and 1 otherwise. A requirement whose best relevance is below THRESHOLD
is unanswered: `match_answers` returns [] and a presales engineer writes the
answer. Among answers over the threshold, one naming the requirement's
category or tags gets a small bonus (CATEGORY_BONUS, TAG_BONUS) that orders
close answers; it never lifts an answer over the threshold.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import tantivy

from docgen.casebook.tokens import (
    _CJK_RUN,
    BIGRAM,
    DocumentTokenizer,
    QueryTokenizer,
    Synonyms,
    normalize,
    stem,
    trie_matcher,  # noqa: F401 — re-exported: the answer tests compare it with the synonyms' matcher
)
from docgen.intake.models import Requirement
from docgen.proposal.answers import AnswerEntry, AnswerLibrary

# Field weights (BM25F-style, as the casebook's search.FIELD_WEIGHT): each field's words are repeated this
# often in the one scored field, so the weighted term frequencies add up before BM25 saturates them.
FIELD_WEIGHT = {"questions": 3, "labels": 2, "text": 1}
SCORED = "text"
# tantivy's BM25 (Lucene's, b = 0.75): idf · tf·(K1+1) / (tf + K1·(1 − b + b·len/avg_len)). A word's score
# approaches idf·(K1+1) however often an answer repeats it: relevance divides by that.
K1 = 1.2
# Below this best relevance a requirement is unanswered. Calibrated on the judged pairs of
# tests/proposal/test_answer_match.py (measured 2026-12 on the bundled library): right answers
# score 0.277–0.9; requirements nothing in it answers score 0.105–0.250 (分支机构卫星回传链路
# against SD-WAN, the nearest). 0.26 sits 0.010 above the one and 0.017 below the other; any
# change to the scoring must recheck both margins.
THRESHOLD = 0.26
ANSWER_INDEX_VERSION = 4  # bump when the engine's documents or the scoring change (the cached engine is rebuilt)
_FIRST_LOOK = 64  # hits read before checking whether more are over the threshold
UNSEEN_WEIGHT = 2.0
CATEGORY_BONUS = 0.05  # the requirement's category is one of the answer's categories or tags
TAG_BONUS = 0.02  # per requirement tag the answer lists, up to MAX_TAG_BONUS
MAX_TAG_BONUS = 0.06

# Words of requirement phrasing that say nothing about what is asked.
GENERIC_WORDS = frozenset((
    *"建设 建立 提供 需要 需 支持 要求 满足 实现 能够 可以 进行 通过 采用 现有 所有 全部 相关 具备 保证 确保 "
     "至少 使用 希望 借助 发生 单个 另一 以上 以内 不超过 不少于 之间 以及 包括 其中 用于 我方 贵方 时 可 内 且 "
     "不 由 另 在 有 无 个 于 各".split(),
    *(stem(word) for word in "all must should shall provide need require any each every can will able ensure "
                             "include including existing our us we".split()),
))
_DIGITS = re.compile(r"^[0-9]+$")
_CJK = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
_SEPARATORS = re.compile(r"[\s\-_/·.、]+")


@dataclass(frozen=True)
class AnswerMatch:
    entry: AnswerEntry
    score: float  # relevance (0…1) plus the category/tag bonus


def _entry_fields(entry: AnswerEntry) -> dict[str, str]:
    return {"questions": "\n".join(entry.questions), "labels": " ".join((*entry.categories, *entry.tags)),
            "text": entry.text}


class _Tokenizer(DocumentTokenizer):
    """The casebook's DocumentTokenizer (trie-compiled synonyms, cached rjieba cuts), remembering its jieba_cache."""


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field(SCORED, tokenizer_name="whitespace", index_option="freq")
    return builder.build()


_SCHEMA = schema()


def document(entry: AnswerEntry, tokenizer: DocumentTokenizer) -> tantivy.Document:
    """The engine's document for one answer: its words (no bigrams), each field's as often as it weighs."""
    fields = _entry_fields(entry)
    words = [t for name, n in FIELD_WEIGHT.items() for t in
             [t for t in tokenizer.terms(fields[name]) if not t.startswith(BIGRAM)] * n]
    return tantivy.Document(id=entry.id, text=" ".join(words))


def engine_digest(entry: AnswerEntry) -> str:
    """Changes whenever the answer's document in the engine would (an edit elsewhere in the file does not)."""
    fields = _entry_fields(entry)
    return hashlib.sha256("\0".join((entry.language, *fields.values())).encode()).hexdigest()


def write_engine(entries: Iterable[AnswerEntry], tokenizer: DocumentTokenizer, path: Path | None = None,
                 *, removed: Iterable[str] = ()) -> tantivy.Index:
    """Add `entries` to the engine at `path` (a new one in memory when None), deleting `removed` ids first.

    An entry already there is replaced (deleted by id, added again). One commit: a reader sees
    the engine before or after, never between.
    """
    index = tantivy.Index(_SCHEMA, path=None if path is None else str(path), reuse=path is not None)
    entries = list(entries)
    writer = index.writer(heap_size=50_000_000, num_threads=1)
    for entry_id in (*removed, *(e.id for e in entries)):
        writer.delete_documents_by_term("id", entry_id)
    for entry in entries:
        writer.add_document(document(entry, tokenizer))
    writer.commit()
    writer.wait_merging_threads()
    return index


class _LanguageIndex:
    """One language's answers and the tantivy index of their words."""

    def __init__(self, entries: list[AnswerEntry], engine: tantivy.Index, synonyms: Synonyms,
                 tokenizer: _Tokenizer | None = None, jieba_cache: Path | None = None) -> None:
        self.entries = entries
        self.synonyms, self.jieba_cache = synonyms, jieba_cache
        self._tokenizer = tokenizer
        engine.reload()
        self._searcher = engine.searcher()  # a fixed snapshot: an update elsewhere never shows half
        self._position = {e.id: i for i, e in enumerate(entries)}
        self._positions: dict[tuple[int, int], int | None] = {}
        self._count = self._searcher.num_docs
        self._df: dict[str, int] = {}
        self._known = QueryTokenizer(synonyms, self.knows)
        self._labels: dict[int, frozenset[str]] = {}

    def __len__(self) -> int:
        """How many answers the engine holds (the library's own count, unless it was changed under us)."""
        return self._count

    def knows(self, word: str) -> bool:
        return self.doc_freq(word) > 0

    def doc_freq(self, word: str) -> int:
        found = self._df.get(word)
        if found is None:
            found = self._df[word] = self._searcher.doc_freq(SCORED, word)
        return found

    def _address_position(self, address: tantivy.DocAddress) -> int | None:
        """The entry a hit is, read from the engine once per document (the searcher never changes)."""
        slot = (address.segment_ord, address.doc)
        if slot not in self._positions:
            self._positions[slot] = self._position.get(self._searcher.doc(address)["id"][0])
        return self._positions[slot]

    def idf(self, word: str) -> float:
        """tantivy's idf: the weight BM25 gives a word; for a word no answer uses, the largest there is."""
        return math.log(1 + (self._count - self.doc_freq(word) + 0.5) / (self.doc_freq(word) + 0.5))

    def labels(self, i: int) -> frozenset[str]:
        """Answer i's categories and tags as comparable words, worked out once (every query's candidates ask)."""
        found = self._labels.get(i)
        if found is None:
            entry = self.entries[i]
            found = self._labels[i] = frozenset(_word(label) for label in (*entry.categories, *entry.tags))
        return found

    def query_words(self, query: str) -> list[str]:
        """The words of a requirement that count (see the module docstring)."""
        found = [term for term, _ in self._known.terms(query)]
        if _CJK_RUN.search(normalize(query)):
            # jieba sees the words no answer knows (卫星); loading it costs ~0.5–1 s once per process,
            # so its words for a requirement text are remembered on disk (a client is built many times)
            found += _remembered_terms(self, query)
        # else jieba would add nothing: the query's English words and concepts are in `found` already
        words = [t for t in dict.fromkeys(found)
                 if not t.startswith(BIGRAM) and not _DIGITS.match(t) and t not in GENERIC_WORDS]
        known_long = [w for w in words if _CJK.match(w) and self.knows(w)]
        return [w for w in words if not _CJK.match(w) or not any(w != long and w in long for long in known_long)]

    def relevance(self, query: str, floor: float = 0.0) -> dict[int, float]:
        """Answer position -> relevance (0…1) to the query, for every answer at `floor` or above (> 0)."""
        words = self.query_words(query)
        ceiling = (K1 + 1) * sum(self.idf(w) * (1.0 if self.knows(w) else UNSEEN_WEIGHT) for w in words)
        terms = [(tantivy.Occur.Should, tantivy.Query.term_query(_SCHEMA, SCORED, w, index_option="freq"))
                 for w in words if self.knows(w)]
        if not terms or not ceiling:
            return {}
        query_ = tantivy.Query.boolean_query(terms)
        window = min(_FIRST_LOOK, self._count)
        while True:  # growing windows until the last hit is under the floor
            hits = self._searcher.search(query_, limit=window, count=False).hits
            if len(hits) < window or window >= self._count or hits[-1][0] / ceiling < floor:
                break
            window = min(4 * window, self._count)
        found = {}
        for score, address in hits:
            value = score / ceiling
            if value < floor or value <= 0:
                break  # best first
            position = self._address_position(address)
            if position is not None:  # None: an engine updated after this library was read
                found[position] = value
        return found


_TERMS_FILE = "answer-query-terms.json"
_TERMS_LIMIT = 50_000  # remembered requirement texts; the file starts afresh past it
_remembered: dict[str, list[str]] | None = None


def _remembered_terms(index: _LanguageIndex, query: str) -> list[str]:
    """jieba's terms for `query`, from the on-disk memory when this text (with these synonyms) was seen before."""
    global _remembered
    from docgen.casebook.cache import cache_dir

    path = cache_dir() / _TERMS_FILE
    if _remembered is None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            _remembered = data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            _remembered = {}
    groups = "|".join(",".join(sorted(g)) for g in index.synonyms.groups)
    key = hashlib.sha256(f"{ANSWER_INDEX_VERSION}\n{groups}\n{query}".encode("utf-8")).hexdigest()
    terms = _remembered.get(key)
    if isinstance(terms, list) and all(isinstance(t, str) for t in terms):
        return terms
    if index._tokenizer is None:
        index._tokenizer = _Tokenizer(index.synonyms, index.jieba_cache)
    terms = list(index._tokenizer.terms(query))
    if len(_remembered) >= _TERMS_LIMIT:
        _remembered = {}
    _remembered[key] = terms
    try:  # a temp file and a rename: a reader never sees half a file; losing a race loses only a memory
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps(_remembered, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
    return terms


class AnswerIndex:
    """The search index of a set of answers, one tantivy index per language."""

    def __init__(self, entries: Iterable[AnswerEntry], synonyms: Synonyms, *, jieba_cache: Path | None = None,
                 engines: dict[str, tantivy.Index] | None = None) -> None:
        """Index `entries` in memory, or, with `engines` (language -> its index of exactly these entries), use those."""
        entries = sorted(entries, key=lambda e: e.id)  # ties break the same way every run
        tokenizer = None if engines is not None else _Tokenizer(synonyms, jieba_cache)
        self.languages = {}
        for language in sorted({e.language for e in entries}):
            part = [e for e in entries if e.language == language]
            engine = engines[language] if engines is not None else write_engine(part, tokenizer)
            self.languages[language] = _LanguageIndex(part, engine, synonyms, tokenizer, jieba_cache)

    def match(self, requirement: Requirement | str, language: str, top: int = 3) -> list[AnswerMatch]:
        """See match_answers."""
        part = self.languages.get(language)
        if part is None or top < 1:
            return []
        if isinstance(requirement, str):
            requirement = Requirement(id="", text=requirement, category="")
        relevance = part.relevance(" ".join((requirement.text, requirement.category, *requirement.tags)), THRESHOLD)
        category, tags = _word(requirement.category) if requirement.category else None, {_word(t) for t in requirement.tags}
        scores = {i: value + _bonus(part.labels(i), category, tags) for i, value in relevance.items()}
        best = heapq.nlargest(top, scores, key=lambda i: (round(scores[i], 9), -i))
        return [AnswerMatch(part.entries[i], round(scores[i], 4)) for i in best]


def build_index(entries: Iterable[AnswerEntry], synonyms: Synonyms | None = None) -> AnswerIndex:
    """An index over `entries`; jieba's dictionary cache is shared with the casebook's."""
    from docgen.casebook.cache import cache_dir

    if synonyms is None:
        from docgen.casebook.search import synonyms_path
        from docgen.casebook.tokens import load_synonyms

        synonyms = load_synonyms(synonyms_path(None))
    return AnswerIndex(entries, synonyms, jieba_cache=cache_dir() / "jieba")


def answer_index(entries: AnswerLibrary | AnswerIndex | Iterable[AnswerEntry]) -> AnswerIndex:
    """The library's index (built on first use and kept on it); a plain list is indexed on every call."""
    if isinstance(entries, AnswerIndex):
        return entries
    if isinstance(entries, AnswerLibrary):
        return entries.cached_index(lambda library: build_index(library.entries, library.synonyms))
    return build_index(list(entries))


def match_answers(requirement: Requirement | str, entries: AnswerLibrary | AnswerIndex | Iterable[AnswerEntry], *,
                  language: str, top: int = 3) -> list[AnswerMatch]:
    """The best `top` answers in `language` for one requirement, best first; [] when it is unanswered.

    Pass the AnswerLibrary (docgen.proposal.answers.load_library) so its index is
    built once; a requirement may also be plain text.
    """
    return answer_index(entries).match(requirement, language, top)


def _word(text: str) -> str:
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).lower())


def _bonus(labels: frozenset[str], category: str | None, tags: set[str]) -> float:
    """The bonus of an answer with these label words (_LanguageIndex.labels) for a requirement's category and tags (_word)."""
    bonus = CATEGORY_BONUS if category and category in labels else 0.0
    return bonus + min(sum(TAG_BONUS for tag in tags if tag in labels), MAX_TAG_BONUS)
