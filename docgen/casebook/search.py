"""Ranked case search on a tantivy index: BM25 over title, tags, summary and body.

docgen's tokeniser (docgen.casebook.tokens) makes the terms; tantivy stores
them (split on spaces only, so each indexed term is exactly one of ours) and
scores them with BM25, the fields weighted BM25F-style (FIELD_WEIGHT) and each
query term by its kind (bigrams only help recall). Filters — industry, tags, language,
external — are terms of raw fields in the same query. One CaseIndex serves an
index in memory (build_index, for a list of cases) and the persistent one
beside a casebook (docgen.casebook.cache).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import tantivy

from docgen.casebook.models import Case
from docgen.casebook.tokens import BIGRAM, CONCEPT, DocumentTokenizer, QueryTokenizer, Synonyms, load_synonyms
from docgen.core.errors import InputError
from docgen.core.vocabulary import INDUSTRIES, normalize_industry

# A word in the title or tags says more about what a case is about than the same word in its body.
# BM25F-style: each field's terms are repeated this often in the one scored field, so the weighted
# term frequencies add up before BM25 saturates them (per-field BM25 scores summed ranked worse).
FIELD_WEIGHT = {"title": 3, "tags": 3, "summary": 2, "body": 1}
SCORED = "text"
FILTERS = ("industry", "tag", "language", "external")
# Query-side weights per kind of term: bigrams only help recall.
QUERY_WEIGHT = {"word": 1.0, "bigram": 0.3, "concept": 1.0}
SCHEMA_VERSION = 2  # bump when the fields or scoring change (the persistent index is rebuilt)
_SPARE = 10  # hits looked at past `top`: those tied at the cut are ordered by year and id, not by chance


@dataclass(frozen=True)
class SearchHit:
    case: Case
    score: float
    matched_terms: tuple[str, ...]


def synonyms_path(casebook_dir: str | Path | None) -> Path:
    """<casebook>/synonyms.yaml when the casebook has one, else the bundled file."""
    from docgen.core.synonyms import bundled_synonyms_path

    own = Path(casebook_dir) / "synonyms.yaml" if casebook_dir else None
    return own if own and own.is_file() else bundled_synonyms_path()


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", tokenizer_name="raw", index_option="basic")
    builder.add_text_field(SCORED, tokenizer_name="whitespace", index_option="freq")
    for name in FILTERS:
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_bytes_field("case", stored=True)
    builder.add_bytes_field("words", stored=True)  # its distinct words and concepts, for matched_terms
    return builder.build()


def case_fields(case: Case) -> dict[str, str]:
    return {"title": case.title, "tags": " ".join(case.tags), "summary": case.summary, "body": case.body}


def document(case: Case, terms: dict[str, list[str]]) -> tantivy.Document:
    """The engine's document for one case: its terms per field, its filters and the case itself."""
    record = {**vars(case), "last_reviewed": case.last_reviewed.isoformat() if case.last_reviewed else None}
    return tantivy.Document(
        id=case.id, text=" ".join(t for name, n in FIELD_WEIGHT.items() for t in terms[name] * n),
        industry=case.industry, tag=sorted({t.lower() for t in case.tags}) or [""], language=case.language,
        external="1" if case.external else "0", year=case.year,
        case=json.dumps(record, ensure_ascii=False).encode(),
        words=" ".join(sorted({t for name in FIELD_WEIGHT for t in terms[name] if not t.startswith(BIGRAM)})).encode(),
    )


def case_terms(tokenizer: DocumentTokenizer, case: Case) -> dict[str, list[str]]:
    return {name: tokenizer.terms(text) for name, text in case_fields(case).items()}


def _case_from(stored: bytes) -> Case:
    record = json.loads(stored)
    record["tags"] = tuple(record["tags"])
    if record["last_reviewed"]:
        record["last_reviewed"] = dt.date.fromisoformat(record["last_reviewed"])
    return Case(**record)


def build_index(cases: list[Case], synonyms: Synonyms | None = None, *, jieba_cache: Path | None = None) -> CaseIndex:
    """An index of `cases` held in memory (the persistent one: docgen.casebook.cache.open_index)."""
    if synonyms is None:
        synonyms = load_synonyms(synonyms_path(None))
    index = tantivy.Index(schema())
    tokenizer = DocumentTokenizer(synonyms, jieba_cache)
    writer = index.writer(heap_size=50_000_000, num_threads=1)
    for case in cases:
        writer.add_document(document(case, case_terms(tokenizer, case)))
    writer.commit()
    writer.wait_merging_threads()
    return CaseIndex(index, synonyms)


class CaseIndex:
    """Searches one tantivy index; its searcher is fixed when it is made (a consistent snapshot)."""

    def __init__(self, index: tantivy.Index, synonyms: Synonyms) -> None:
        index.reload()
        self.synonyms = synonyms
        self._searcher = index.searcher()
        self._query_tokenizer = QueryTokenizer(synonyms, self._known)
        self._decoded: dict[tuple[int, int], Case] = {}
        self._words: dict[str, bytes | frozenset[str]] = {}  # case id -> its stored words, read with the case
        self._cases: list[Case] | None = None

    @property
    def cases(self) -> list[Case]:
        """Every case, sorted by id (read from the index on first use)."""
        if self._cases is None:
            searcher = self._searcher
            hits = searcher.search(tantivy.Query.all_query(), limit=max(1, searcher.num_docs), count=False).hits
            self._cases = sorted((self._case(address) for _, address in hits), key=lambda c: c.id)
        return self._cases

    def __len__(self) -> int:
        return self._searcher.num_docs

    def search(self, query: str = "", industry: str | None = None, tags: tuple[str, ...] | list[str] = (),
               top: int | None = 10, include_internal: bool = False, matched: bool = True,
               language: str | None = None) -> list[SearchHit]:
        """Best cases first (ties: newer, then by id). No words: every case passing the filters, newest first.

        Internal (external: false) cases only with include_internal. matched=False leaves
        matched_terms empty (the same ranking, without the per-hit lookups).
        """
        filters = self._filters(industry, tags, include_internal, language)
        terms = [(t, s) for t, s in self._query_tokenizer.terms(query or "") if self._known(t)]
        if not terms and (query or "").strip():
            return []  # words were typed but none can match (only punctuation or stop words, or unknown)
        limit = self._searcher.num_docs if top is None else top + _SPARE
        if not terms:
            found = self._run(_all_of(filters or [tantivy.Query.all_query()]), limit, top, order_by_field="year")
            ranked = sorted(((0.0, case) for _, case in found), key=lambda h: (-h[1].year, h[1].id))
        else:
            scoring = tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in self._term_queries(terms)])
            found = self._run(_all_of([scoring, *(tantivy.Query.const_score_query(f, 0.0) for f in filters)]),
                              limit, top)
            ranked = sorted(found, key=lambda h: (-h[0], -h[1].year, h[1].id))
        ranked = ranked if top is None else ranked[:top]
        seen = self._matched([case for _, case in ranked], terms) if matched and terms else {}
        return [SearchHit(case, score, seen.get(case.id, ())) for score, case in ranked]

    def over_share(self, query: str, share: float, *, window: int = 100,
                   include_internal: bool = False) -> list[SearchHit]:
        """The hits scoring at least `share` of the best hit's score (as `search` scores), best first.

        Hits under the share are never read from the index, and none are ranked by year and id:
        for matching requirements, which cases clear the share is all that counts.
        """
        terms = [(t, s) for t, s in self._query_tokenizer.terms(query or "") if self._known(t)]
        if not terms:
            return []
        filters = self._filters(None, (), include_internal, None)
        scoring = tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in self._term_queries(terms)])
        engine_query = _all_of([scoring, *(tantivy.Query.const_score_query(f, 0.0) for f in filters)])
        while True:  # growing windows: most queries need the first
            hits = self._searcher.search(engine_query, limit=window, count=False).hits
            best = round(hits[0][0], 4) if hits else 0.0
            if best <= 0:
                return []
            if len(hits) < window or round(hits[-1][0], 4) / best < share:
                break
            window *= 4
        found = []
        for score, address in hits:
            score = round(score, 4)
            if score / best < share:
                break
            found.append(SearchHit(self._case(address), score, ()))
        return found

    def _run(self, query: tantivy.Query, limit: int, top: int | None = None, **order) -> list[tuple[float, Case]]:
        """(score rounded to 4 places, case) of the best `limit` hits; past `top`, only those tied with the last."""
        if limit < 1:
            return []
        hits = [(round(score, 4), address) for score, address in
                self._searcher.search(query, limit=limit, count=False, **order).hits]
        if top is not None and len(hits) > top:
            edge = hits[top - 1][0]
            hits = [hit for hit in hits if hit[0] >= edge]  # the ties at the cut, for year and id to order
        return [(score, self._case(address)) for score, address in hits]

    def _case(self, address: tantivy.DocAddress) -> Case:
        slot = (address.segment_ord, address.doc)
        case = self._decoded.get(slot)
        if case is None:
            stored = self._searcher.doc(address)
            case = self._decoded[slot] = _case_from(stored["case"][0])
            self._words[case.id] = stored["words"][0]  # split when matched terms are asked for
        return case

    def _known(self, term: str) -> bool:
        return self._searcher.doc_freq(SCORED, term) > 0

    def _term_queries(self, terms: list[tuple[str, str]]) -> list[tantivy.Query]:
        return [tantivy.Query.boost_query(tantivy.Query.term_query(_SCHEMA, SCORED, term, index_option="freq"),
                                          _query_weight(term)) for term, _ in terms]

    def _filters(self, industry: str | None, tags, include_internal: bool, language: str | None) -> list[tantivy.Query]:
        wanted = []
        if industry:
            code = normalize_industry(industry)
            if code is None:
                raise InputError(f"unknown industry {industry!r}; expected one of {', '.join(INDUSTRIES)} (or 金融, 医疗, …)")
            wanted.append(("industry", code))
        wanted += [("tag", t.strip().lower()) for t in tags if t.strip()]
        if language:
            wanted.append(("language", language))
        if not include_internal:
            wanted.append(("external", "1"))
        return [tantivy.Query.term_query(_SCHEMA, name, value, index_option="basic") for name, value in wanted]

    def _matched(self, cases: list[Case], terms: list[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
        """What a person would call the matching words of each hit (bigrams left out).

        From each hit's stored words (read with the case): no search per query term.
        """
        wanted = [(term, surface) for term, surface in terms if not term.startswith(BIGRAM)]
        found = {}
        for case in cases:
            words = self._words[case.id]
            if isinstance(words, bytes):
                words = self._words[case.id] = frozenset(words.decode().split())
            hits = list(dict.fromkeys(surface for term, surface in wanted if term in words))
            # "影像" and "存储" say nothing more once "影像存储" is listed.
            found[case.id] = tuple(s for s in hits if not any(s != t and s in t for t in hits))
        return found


_SCHEMA = schema()


def _all_of(queries: list[tantivy.Query]) -> tantivy.Query:
    return queries[0] if len(queries) == 1 else tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in queries])


def _query_weight(term: str) -> float:
    if term.startswith(BIGRAM):
        return QUERY_WEIGHT["bigram"]
    if term.startswith(CONCEPT):
        return QUERY_WEIGHT["concept"]
    return QUERY_WEIGHT["word"]
