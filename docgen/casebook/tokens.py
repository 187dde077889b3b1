"""Turning case text and queries into search terms (Chinese, English, mixed).

Three kinds of term, kept apart by a prefix so each can carry its own weight:
- words: jieba search-mode words for Chinese (domain dictionary added),
  lower-cased, lightly stemmed English words;
- "2:" character bigrams of Chinese runs, for recall when jieba splits a
  document differently from the way a user types a query;
- "=" concepts, one per synonym group (容灾≈灾备≈disaster recovery), found by
  phrase matching, so a query for one word finds cases using another.

Documents are segmented by jieba. Queries are not: a query's Chinese words are
the substrings of it that the index already knows as words (that is what
jieba's search mode would give for them), so a warm search never loads jieba.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Callable, Iterable

# The synonym groups are read in core (the requirements analysis uses them too); re-exported here.
from docgen.core.synonyms import CJK_CLASS as _CJK_CLASS
from docgen.core.synonyms import CJK_RUN as _CJK_RUN
from docgen.core.synonyms import CONCEPT, Synonyms, load_synonyms, normalize  # noqa: F401

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


class DocumentTokenizer:
    """Segments case text with jieba (loaded on first use; building an index only)."""

    def __init__(self, synonyms: Synonyms, jieba_cache: Path | None = None) -> None:
        self.synonyms = synonyms
        self._concepts = synonyms.matcher()
        self._cut = _load_jieba(jieba_cache, synonyms.cjk_words())

    def terms(self, text: str) -> list[str]:
        flat = normalize(text)
        out: list[str] = []
        for run in _RUNS.findall(flat):
            if _CJK_RUN.match(run):
                out += [w for w in self._cut(run) if w not in _ZH_STOPWORDS]
                out += bigrams(run)
            else:
                out += _english(run)
        out += [concept for concept, _ in self._concepts(text)]
        return out


class QueryTokenizer:
    """Query → [(term, surface)] without jieba, using the index's known words."""

    def __init__(self, synonyms: Synonyms, known: Callable[[str], bool]) -> None:
        self._concepts = synonyms.matcher()
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
        out += self._concepts(text)
        return list(dict.fromkeys(out))


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


def _load_jieba(cache_dir: Path | None, extra_words: list[str]) -> Callable[[str], list[str]]:
    import jieba  # ~1 s to build its dictionary the first time: only when indexing

    jieba.setLogLevel(logging.WARNING)
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        jieba.dt.tmp_dir = str(cache_dir)  # a writable, stable place: built once, not every run
    for word in (*DOMAIN_WORDS, *extra_words):
        jieba.add_word(word)
    return lambda run: jieba.lcut_for_search(run, HMM=False)
