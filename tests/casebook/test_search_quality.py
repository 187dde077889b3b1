"""Retrieval quality over the bundled casebook, on a judged query set."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from docgen.casebook.cache import open_index
from docgen.cli import main
from docgen.core.config import bundled_path
from tests.helpers.casebook import JUDGED, precision_at, reciprocal_rank

CASEBOOK = bundled_path("casebook")
INTERNAL_QUERIES = ["AGV 工厂无线网络", "NOC alarm correlation", "发电集团 等级保护", "内部复盘 报价"]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield open_index(CASEBOOK)


def test_judged_queries_precision_and_mrr(index):
    assert len(JUDGED) >= 15
    precisions, reciprocal = [], []
    for query, industry, relevant in JUDGED:
        ranked = [h.case.id for h in index.search(query, industry=industry, top=10)]
        precisions.append(precision_at(ranked, relevant, 3))
        reciprocal.append(reciprocal_rank(ranked, relevant))
        assert reciprocal[-1] >= 0.5, (query, ranked[:3])  # a relevant case in the top 2, always
    p3, mrr = sum(precisions) / len(precisions), sum(reciprocal) / len(reciprocal)
    print(f"\njudged queries: {len(JUDGED)}  precision@3 = {p3:.3f}  MRR = {mrr:.3f}")
    assert p3 >= 0.8
    assert mrr >= 0.8


def test_internal_cases_only_with_include_internal(index):
    internal = {c.id for c in index.cases if not c.external}
    assert internal
    for query in [q for q, _, _ in JUDGED] + INTERNAL_QUERIES:
        assert not internal & {h.case.id for h in index.search(query, top=50)}, query
    found = {h.case.id for q in INTERNAL_QUERIES for h in index.search(q, top=3, include_internal=True)}
    assert internal <= found


def test_cli_all_flag_and_json_contract(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    runner = CliRunner()
    result = runner.invoke(main, ["cases", "search", "等级保护", "--json", "--top", "30"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert records and all(r["external"] for r in records)
    assert "power-group-dengbao-2023" not in {r["id"] for r in records}
    for record in records:
        assert {"id", "title", "industry", "tags", "year", "external", "score"} <= set(record)
    scores = [r["score"] for r in records]
    assert scores == sorted(scores, reverse=True)

    result = runner.invoke(main, ["cases", "search", "等级保护", "--all", "--json"])
    assert "power-group-dengbao-2023" in {r["id"] for r in json.loads(result.output)}
