"""Turning case text and queries into search terms (Chinese, English, mixed).

Three kinds of term, kept apart by a prefix so each can carry its own weight:
- words: jieba search-mode words for Chinese (domain dictionary added),
  lower-cased, lightly stemmed English words;
- "2:" character bigrams of Chinese runs, for recall when jieba splits a
  document differently from the way a user types a query;
- "=" concepts, one per synonym group (容灾≈灾备≈disaster recovery), found by
  phrase matching, so a query for one word finds cases using another.

Documents are segmented by rjieba (jieba's Rust port: the same words, faster).
Queries are not: a query's Chinese words are the substrings of it that the
index already knows as words (that is what jieba's search mode would give for
them), so a warm search never loads a segmenter.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path
from typing import Callable, Iterable

# The synonym groups are read in core (the requirements analysis uses them too); re-exported here.
from docgen.core.synonyms import CJK_CLASS as _CJK_CLASS
from docgen.core.synonyms import CJK_RUN as _CJK_RUN
from docgen.core.synonyms import CONCEPT, Synonyms, load_synonyms, normalize  # noqa: F401
from docgen.core.synonyms import SEPARATORS as _SEPARATORS

SEGMENTER = "rjieba"  # its installed build is part of the index version
BIGRAM = "2:"
_RUNS = re.compile(rf"[{_CJK_CLASS}]+|[a-z0-9]+")
_MAX_QUERY_WORD = 8  # longest Chinese word looked up in a query

# Words jieba's general dictionary cuts apart; our cases and clients use them whole.
DOMAIN_WORDS = (
    "信创", "等保", "等保三级", "等保二级", "等级保护", "城商行", "农商行", "双活", "同城双活", "异地灾备",
    "灾备", "容灾", "单点登录", "统一身份认证", "多因素认证", "超融合", "政务云", "私有云", "公有云",
    "数据中台", "数据平台", "影像存储", "运维监控", "国产化", "国产化替代", "三甲医院", "电子病历",
    "堡垒机", "勒索病毒", "纠删码", "分布式存储", "对象存储", "全闪存", "备份一体机", "重复数据删除",
    "零信任", "工业互联网", "数据治理", "边缘计算", "日志审计", "云管平台", "智慧校园", "实时风控",
)

_EN_STOPWORDS = frozenset(
    "a an and are as at be by for from has have in into is it its of on or our over per so that the their "
    "then this to was we were which with within without".split()
)
_ZH_STOPWORDS = frozenset("的 了 和 与 及 等 在 是 为 对 将 并 或 也 由 从 把 被 一 个 中 上 下 其".split())


def stem(word: str) -> str:
    """A light English stemmer: plurals and -ing/-ed, nothing that merges unrelated words."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    if word.endswith("ing") and len(word) > 5:
        return word[:-3]
    if word.endswith("ed") and len(word) > 4 and not word.endswith("eed"):
        return word[:-2]
    return word


def _english(run: str) -> list[str]:
    return [] if run in _EN_STOPWORDS else [stem(run)]


def bigrams(run: str) -> list[str]:
    return [BIGRAM + run[i:i + 2] for i in range(len(run) - 1)]


def trie_matcher(synonyms: Synonyms) -> Callable[[str], list[tuple[str, str]]]:
    """text -> [(concept term, surface)]: the longest phrase at each place, English ones only as whole words.

    One trie-shaped pattern instead of an alternation of every phrase: the
    regex engine no longer tries each phrase at each position (5.3× faster,
    the same matches: tests/casebook/test_tokens.py compares them).
    """
    owner: dict[str, int] = {}
    for i, group in enumerate(synonyms.groups):
        for term in group:
            owner.setdefault(term, i)
    if not owner:
        return lambda text: []
    chinese = [t for t in owner if _CJK_RUN.fullmatch(t)]
    english = [t for t in owner if not _CJK_RUN.fullmatch(t)]
    # An English phrase and a Chinese one cannot both match at one place with the Chinese one
    # longer (the English one holds a character the Chinese one cannot), so English goes first.
    alternatives = []
    if english:
        alternatives.append(f"(?<![a-z0-9]){_trie(english, '(?![a-z0-9])')}")
    if chinese:
        alternatives.append(_trie(chinese, ""))
    pattern = re.compile("|".join(alternatives))
    concepts = {term: synonyms.concept(index) for term, index in owner.items()}

    def find(text: str) -> list[tuple[str, str]]:
        flat = _SEPARATORS.sub(" ", normalize(text))
        return [(concepts[m.group()], m.group()) for m in pattern.finditer(flat)]

    return find


def _trie(terms: list[str], end: str) -> str:
    """A pattern matching the longest of `terms` at a place (each followed by `end`)."""
    root: dict = {}
    for term in terms:
        node = root
        for char in term:
            node = node.setdefault(char, {})
        node[""] = True

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in node.items() if char]
        if "" in node:
            branches.append(end)  # tried last: a longer phrase through this one wins
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"

    return build(root)


class DocumentTokenizer:
    """Segments case text with rjieba (loaded on first use; building an index only).

    A run of Chinese is cut once per process (lru_cache): cases repeat phrases.
    """

    def __init__(self, synonyms: Synonyms, jieba_cache: Path | None = None) -> None:
        self.synonyms = synonyms
        self.jieba_cache = jieba_cache  # unused by rjieba; kept for callers that pass it
        self._concepts = trie_matcher(synonyms)
        self._cut = functools.lru_cache(maxsize=200_000)(load_segmenter(synonyms.cjk_words()))

    def terms(self, text: str) -> list[str]:
        flat = normalize(text)
        out: list[str] = []
        for run in _RUNS.findall(flat):
            if _CJK_RUN.match(run):
                out += [w for w in self._cut(run) if w not in _ZH_STOPWORDS]
                out += bigrams(run)
            else:
                out += _english(run)
        out += [_one_term(concept) for concept, _ in self._concepts(text)]
        return out


class QueryTokenizer:
    """Query → [(term, surface)] without jieba, using the index's known words."""

    def __init__(self, synonyms: Synonyms, known: Callable[[str], bool]) -> None:
        self._concepts = trie_matcher(synonyms)
        self._known = known

    def terms(self, text: str) -> list[tuple[str, str]]:
        flat = normalize(text)
        out: list[tuple[str, str]] = []
        for run in _RUNS.findall(flat):
            if _CJK_RUN.match(run):
                out += [(w, w) for w in _known_substrings(run, self._known)]
                out += [(b, b[len(BIGRAM):]) for b in bigrams(run)]
            else:
                out += [(t, run) for t in _english(run)]
        out += [(_one_term(concept), surface) for concept, surface in self._concepts(text)]
        return list(dict.fromkeys(out))


def _one_term(concept: str) -> str:
    """A concept as one term without spaces (=disaster_recovery): the index splits documents on spaces."""
    return concept.replace(" ", "_")


def _known_substrings(run: str, known: Callable[[str], bool]) -> Iterable[str]:
    if len(run) == 1:
        return [run] if known(run) and run not in _ZH_STOPWORDS else []
    found = []
    for size in range(2, min(len(run), _MAX_QUERY_WORD) + 1):
        for start in range(len(run) - size + 1):
            word = run[start:start + size]
            if known(word):
                found.append(word)
    return found


def tokenizer_digest(synonyms: Synonyms) -> str:
    """Changes whenever the terms a text gives could change: this module's rules, the segmenter, the synonyms."""
    from importlib.util import find_spec

    from docgen.core import synonyms as synonyms_module

    rules = Path(__file__).read_bytes() + Path(synonyms_module.__file__).read_bytes()  # stop words, stemming, …
    spec = find_spec(SEGMENTER)  # the installed build, without importing it (that loads its dictionary)
    build = [f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
             for p in sorted(Path(spec.origin).parent.iterdir()) if p.is_file()] if spec and spec.origin else []
    parts = (rules, SEGMENTER.encode(), "|".join(build).encode(), synonyms.digest.encode())
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


def load_segmenter(extra_words: list[str]) -> Callable[[str], list[str]]:
    """Chinese run -> search-mode words: rjieba with DOMAIN_WORDS and the synonyms' words added.

    rjieba (Rust) cuts ~15× faster than jieba and gives the same words with our
    dictionary (tests/casebook/test_tokens.py compares them on the bundled casebook).
    add_word(word, None, None) is jieba's add_word(word): a frequency that keeps the word whole.
    """
    import rjieba

    # rjieba's dictionary is one per process and add_word is not idempotent (each call raises the
    # word's frequency, which changes later cuts): add every word once, or the second tokeniser
    # made in a process would cut differently from the first.
    for word in (*DOMAIN_WORDS, *extra_words):
        if word not in _ADDED_WORDS:
            rjieba.add_word(word, None, None)
            _ADDED_WORDS.add(word)
    return lambda run: rjieba.cut_for_search(run, False)


_ADDED_WORDS: set[str] = set()
