"""The tokeniser's fast parts give exactly what the slow ones gave: rjieba = jieba, trie = alternation."""

from __future__ import annotations

import logging
import re

import pytest

from docgen.casebook.cases import load_casebook
from docgen.casebook.search import case_fields, synonyms_path
from docgen.casebook.tokens import (
    _CJK_RUN,
    _RUNS,
    _SEPARATORS,
    DOMAIN_WORDS,
    Synonyms,
    load_segmenter,
    load_synonyms,
    normalize,
    trie_matcher,
)
from docgen.core.config import bundled_path


@pytest.fixture(scope="module")
def synonyms() -> Synonyms:
    return load_synonyms(synonyms_path(None))


@pytest.fixture(scope="module")
def runs() -> list[str]:
    """Every run of Chinese in the bundled casebook (title, tags, summary, body)."""
    cases = load_casebook(bundled_path("casebook"))
    texts = [text for case in cases for text in case_fields(case).values()]
    found = [run for text in texts for run in _RUNS.findall(normalize(text)) if _CJK_RUN.match(run)]
    assert len(found) > 500
    return found


def test_rjieba_cuts_the_bundled_casebook_as_jieba_does(synonyms, runs, tmp_path):
    jieba = pytest.importorskip("jieba")
    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(tmp_path)
    for word in (*DOMAIN_WORDS, *synonyms.cjk_words()):
        jieba.add_word(word)
    fast = load_segmenter(synonyms.cjk_words())
    differ = [(run, jieba.lcut_for_search(run, HMM=False), fast(run)) for run in runs
              if jieba.lcut_for_search(run, HMM=False) != fast(run)]
    assert not differ, differ[:5]


def _alternation(synonyms: Synonyms):
    """The matcher the trie replaced: one alternation of every phrase, longest first."""
    owner = {}
    for i, group in enumerate(synonyms.groups):
        for term in group:
            owner.setdefault(term, i)
    parts = [re.escape(t) if _CJK_RUN.fullmatch(t) else rf"(?<![a-z0-9]){re.escape(t)}(?![a-z0-9])"
             for t in sorted(owner, key=len, reverse=True)]
    pattern = re.compile("|".join(parts))
    return lambda text: [(synonyms.concept(owner[m.group()]), m.group())
                         for m in pattern.finditer(_SEPARATORS.sub(" ", normalize(text)))]


def test_the_trie_finds_what_the_alternation_found(synonyms):
    cases = load_casebook(bundled_path("casebook"))
    texts = [text for case in cases for text in case_fields(case).values()] + [
        "sso-x sso2 ssox 等保2.0三级 7x24 disaster  recovery DR-test Ａｚｕｒｅ ＡＤ, 异地灾备演练 同城双活 双活", ""]
    slow, fast = _alternation(synonyms), trie_matcher(synonyms)
    assert sum(len(fast(t)) for t in texts) > 100  # the comparison is not between two empty lists
    assert [fast(t) for t in texts] == [slow(t) for t in texts]


def test_a_second_tokeniser_in_a_process_cuts_like_the_first():
    # rjieba's dictionary is per process and add_word raises a word's frequency on every call:
    # each tokeniser adding the words again made the second cut differently ("医学影像" lost).
    # A fresh process, so the first tokeniser really starts from rjieba's own dictionary.
    import subprocess
    import sys

    script = """
from docgen.casebook.search import synonyms_path
from docgen.casebook.tokens import DocumentTokenizer, load_synonyms
from docgen.core.config import bundled_path
texts = [p.read_text(encoding="utf-8") for folder in ("casebook", "templates/proposal/answers")
         for p in sorted(bundled_path(folder).rglob("*.md"))]
assert len(texts) > 100, len(texts)
synonyms = load_synonyms(synonyms_path(None))
first = DocumentTokenizer(synonyms)
before = [first.terms(t) for t in texts]  # cut before the second tokeniser exists
second = DocumentTokenizer(synonyms)
differ = [t[:40] for t, terms in zip(texts, before) if second.terms(t) != terms]
print(len(differ), differ[:3])
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("0 "), done.stdout
