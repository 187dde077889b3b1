"""Which library answer (docgen.proposal.answers) answers one requirement, or none.

The casebook's search engine, applied to answers: the same tokenisers and
synonyms (docgen.casebook.tokens) and BM25F with Lucene's IDF, over three
fields — the answer's `questions` (what it answers, weighed most), its
categories and tags, and its text. One index per language, built once per
library and kept on the AnswerLibrary (`answer_index`).

A requirement (its text, category and tags) becomes words: the words the
library knows that occur in it, plus jieba's words for it, so that a word no
answer uses (卫星) is seen as a word and not lost. Left out are numbers
(whether 15 minutes is met is for the compliance rules and the answer's
declared capabilities), words every requirement uses (建设, 提供, must …) and
a word inside a longer word of the requirement the library also knows (分支 in
分支机构 is not counted twice). Each answer's score is what these words
contribute to it, divided by the most they could ever contribute:

    relevance = Σ weight·impact(word, answer) / Σ weight·idf(word)·unseen(word)     (0…1)

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
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

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

# Field weight and length normalisation b (BM25F), as in docgen.casebook.search.
FIELDS = {"questions": (3.0, 0.5), "labels": (2.0, 0.3), "text": (1.0, 0.75)}
K1 = 1.2
# Below this best relevance a requirement is unanswered. Calibrated on the judged pairs of
# tests/proposal/test_answer_match.py: right answers score 0.275–0.9, requirements nothing in
# the bundled library answers 0.035–0.249 (分支机构卫星回传链路, the nearest, 0.249 against SD-WAN:
# measured 2026-12, a margin of 0.001 under the threshold — any change to the scoring must recheck it).
THRESHOLD = 0.25
ANSWER_INDEX_VERSION = 3  # bump when the index layout or scoring changes (invalidates docgen.proposal.answer_cache)
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


class _LanguageIndex:
    """BM25F impacts of one language's answers: word -> (answer numbers, impacts)."""

    def __init__(self, entries: list[AnswerEntry], tokenizer: _Tokenizer, synonyms: Synonyms) -> None:
        self.entries = entries
        self.synonyms, self.jieba_cache = synonyms, tokenizer.jieba_cache
        self._tokenizer: _Tokenizer | None = tokenizer
        per_doc = [{name: Counter(t for t in tokenizer.terms(text) if not t.startswith(BIGRAM))
                    for name, text in _entry_fields(e).items()} for e in entries]
        n = len(entries)
        avg_len = {f: (sum(sum(d[f].values()) for d in per_doc) / n if n else 0.0) or 1.0 for f in FIELDS}
        pseudo_tf: dict[str, dict[int, float]] = {}
        for doc_id, doc in enumerate(per_doc):
            for name, (weight, b) in FIELDS.items():
                norm = weight / (1 - b + b * sum(doc[name].values()) / avg_len[name])
                for term, tf in doc[name].items():
                    slot = pseudo_tf.setdefault(term, {})
                    slot[doc_id] = slot.get(doc_id, 0.0) + tf * norm
        self.idf_unseen = math.log(1 + (n + 0.5) / 0.5)
        self.idf: dict[str, float] = {}
        self.postings: dict[str, tuple[array, array]] = {}
        for term, tfs in pseudo_tf.items():
            idf = math.log(1 + (n - len(tfs) + 0.5) / (len(tfs) + 0.5))
            docs = sorted(tfs)
            self.idf[term] = idf
            self.postings[term] = (array("i", docs), array("f", (idf * tfs[d] / (K1 + tfs[d]) for d in docs)))
        self._known: QueryTokenizer | None = None
        self._labels: dict[int, frozenset[str]] = {}

    def labels(self, i: int) -> frozenset[str]:
        """Answer i's categories and tags as comparable words, worked out once (every query's candidates ask)."""
        found = self._labels.get(i)
        if found is None:
            entry = self.entries[i]
            found = self._labels[i] = frozenset(_word(label) for label in (*entry.categories, *entry.tags))
        return found

    def __getstate__(self) -> dict:
        # The tokenizers hold compiled patterns and jieba's cutter: rebuilt on first use after unpickling.
        return {**self.__dict__, "_tokenizer": None, "_known": None}

    def query_words(self, query: str) -> list[str]:
        """The words of a requirement that count (see the module docstring)."""
        if self._known is None:
            self._known = QueryTokenizer(self.synonyms, self.idf.__contains__)
        found = [term for term, _ in self._known.terms(query)]
        if _CJK_RUN.search(normalize(query)):
            # jieba sees the words no answer knows (卫星); loading it costs ~0.5–1 s once per process,
            # so its words for a requirement text are remembered on disk (a client is built many times)
            found += _remembered_terms(self, query)
        # else jieba would add nothing: the query's English words and concepts are in `found` already
        words = [t for t in dict.fromkeys(found)
                 if not t.startswith(BIGRAM) and not _DIGITS.match(t) and t not in GENERIC_WORDS]
        known_long = [w for w in words if _CJK.match(w) and w in self.idf]
        return [w for w in words if not _CJK.match(w) or not any(w != long and w in long for long in known_long)]

    def relevance(self, query: str) -> list[float]:
        """Each answer's relevance (0…1) to the query, in entry order."""
        scores = [0.0] * len(self.entries)
        ceiling = 0.0
        for word in self.query_words(query):
            ceiling += self.idf[word] if word in self.idf else self.idf_unseen * UNSEEN_WEIGHT
            docs, impacts = self.postings.get(word, ((), ()))
            for d, impact in zip(docs, impacts):
                scores[d] += impact
        return [s / ceiling for s in scores] if ceiling else scores


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
    """The search index of a set of answers, one part per language."""

    def __init__(self, entries: Iterable[AnswerEntry], synonyms: Synonyms, *, jieba_cache: Path | None = None) -> None:
        entries = sorted(entries, key=lambda e: e.id)  # ties break the same way every run
        tokenizer = _Tokenizer(synonyms, jieba_cache)
        self.languages = {
            language: _LanguageIndex([e for e in entries if e.language == language], tokenizer, synonyms)
            for language in sorted({e.language for e in entries})
        }

    def match(self, requirement: Requirement | str, language: str, top: int = 3) -> list[AnswerMatch]:
        """See match_answers."""
        part = self.languages.get(language)
        if part is None or top < 1:
            return []
        if isinstance(requirement, str):
            requirement = Requirement(id="", text=requirement, category="")
        relevance = part.relevance(" ".join((requirement.text, requirement.category, *requirement.tags)))
        answered = [i for i, value in enumerate(relevance) if value >= THRESHOLD]
        scores = {i: relevance[i] + _bonus(part.labels(i), requirement) for i in answered}
        best = heapq.nlargest(top, answered, key=lambda i: (round(scores[i], 9), -i))
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


def _bonus(labels: frozenset[str], requirement: Requirement) -> float:
    """The category/tag bonus of an answer with these label words (_LanguageIndex.labels)."""
    bonus = CATEGORY_BONUS if requirement.category and _word(requirement.category) in labels else 0.0
    tags = sum(TAG_BONUS for tag in {_word(t) for t in requirement.tags} if tag in labels)
    return bonus + min(tags, MAX_TAG_BONUS)
