"""The search index: tokenizing, BM25 scoring, synonyms, filters, the cache, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from docgen.casebook.cache import open_index
from docgen.casebook.search import build_index, synonyms_path
from docgen.casebook.tokens import Synonyms, load_synonyms
from docgen.cli import main
from docgen.core.errors import InputError
from tests.helpers.casebook import case_file, make_case


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


def ids(hits):
    return [h.case.id for h in hits]


def test_term_in_half_the_cases_still_scores():
    # rank-bm25's Okapi IDF is log((N-n+0.5)/(n+0.5)) = 0 here: the match would score 0.
    index = build_index([make_case("a", body="备份平台建设"), make_case("b", body="网络改造")], Synonyms())
    hits = index.search("备份")
    assert ids(hits) == ["a"] and hits[0].score > 0


def test_chinese_without_spaces_english_and_mixed():
    cases = [
        make_case("pacs", title="某医院影像存储扩容", body="为医院扩容PACS影像存储。"),
        make_case("net", title="某银行网络改造", body="核心交换机替换。"),
        make_case("en", title="Backups for a clinic", body="Nightly backups to disk.", language="en"),
    ]
    index = build_index(cases, Synonyms())
    assert ids(index.search("医院影像存储扩容"))[0] == "pacs"
    assert ids(index.search("存储扩容")) == ["pacs"]       # a different cut of the same words
    assert ids(index.search("BACKUP")) == ["en"]          # case and plural folded
    assert ids(index.search("PACS 影像"))[0] == "pacs"
    assert "影像存储" in index.search("影像存储")[0].matched_terms


def test_title_outweighs_body():
    cases = [make_case("body", title="数据中心建设", body="包含少量监控内容。"),
             make_case("title", title="运维监控平台", body="包含少量数据内容。")]
    assert ids(build_index(cases, Synonyms()).search("监控")) == ["title", "body"]


def test_synonyms_file_users_extend(tmp_path):
    case_file(tmp_path, "jump", title="某券商运维安全建设", body="## 解决方案\n部署堡垒机,统一运维入口。\n")
    case_file(tmp_path, "other", title="某券商网络建设", body="## 解决方案\n核心网络改造。\n")
    assert open_index(tmp_path).search("jump server") == []
    (tmp_path / "synonyms.yaml").write_text("groups:\n  - [堡垒机, Jump Server, bastion host]\n", encoding="utf-8")
    hits = open_index(tmp_path).search("jump server")  # the new synonyms file invalidates the cache
    assert ids(hits) == ["jump"] and hits[0].matched_terms == ("jump server",)


def test_bundled_synonyms_cover_the_usual_pairs():
    syn = load_synonyms(synonyms_path(None))
    groups = [set(g) for g in syn.groups]
    for a, b in [("容灾", "灾备"), ("等保", "等级保护"), ("backup", "data protection"), ("sso", "单点登录")]:
        assert any({a, b} <= g for g in groups), (a, b)


def test_filters_industry_alias_tags_and_internal():
    cases = [make_case("bank", body="灾备建设", industry="finance", tags=("dr", "storage")),
             make_case("hosp", body="灾备建设", industry="healthcare", tags=("dr",)),
             make_case("secret", body="灾备建设", industry="finance", tags=("dr",), external=False)]
    index = build_index(cases, Synonyms())
    assert ids(index.search("灾备", industry="医疗")) == ["hosp"]
    assert ids(index.search("灾备", tags=["DR", "storage"])) == ["bank"]
    assert "secret" not in ids(index.search("灾备"))
    assert "secret" in ids(index.search("灾备", include_internal=True))
    assert ids(index.search("", industry="finance")) == ["bank"]  # no words: filter only
    assert index.search("的 ,") == []  # words that cannot match list nothing, not everything
    with pytest.raises(InputError, match="unknown industry 'space'; expected one of finance"):
        index.search("灾备", industry="space")


def test_cache_never_serves_stale_results(tmp_path):
    path = case_file(tmp_path, "one", title="某银行备份平台")
    assert ids(open_index(tmp_path).search("备份")) == ["one"]
    path.write_text(path.read_text(encoding="utf-8").replace("备份", "监控"), encoding="utf-8")  # same size
    assert open_index(tmp_path).search("备份") == []
    case_file(tmp_path, "two", title="某医院备份建设")
    assert ids(open_index(tmp_path).search("备份")) == ["two"]
    (tmp_path / "two.md").unlink()
    assert open_index(tmp_path).search("备份") == []


def test_warm_search_does_not_load_the_segmenter(tmp_path):
    case_file(tmp_path, "one", title="某银行同城双活数据中心")
    code = ("import sys; from docgen.casebook.cache import open_index; "
            f"hits = open_index({str(tmp_path)!r}).search('双活数据中心'); "
            "print(len(hits), 'rjieba' in sys.modules)")
    env = {**os.environ}
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    again = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.split() == ["1", "True"]   # cold: builds the index with rjieba
    assert again.stdout.split() == ["1", "False"]  # warm: the cached index only
    assert first.stderr == ""                      # jieba's "Building prefix dict" chatter is silenced


def test_cli_table_and_errors(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["cases", "search", "医院影像存储扩容", "--top", "2"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["rank", "id", "title", "industry", "year", "score", "matched"]
    assert lines[2].split()[:2] == ["1", "hospital-pacs-2024"] and len(lines) == 4

    result = runner.invoke(main, ["cases", "search", "SD-WAN", "--tag", "store", "--json"])
    assert [r["id"] for r in json.loads(result.output)] == ["retail-store-sdwan-2023"]

    result = runner.invoke(main, ["cases", "search", "x", "--industry", "航天"])
    assert result.exit_code == 2 and "unknown industry '航天'" in result.output

    result = runner.invoke(main, ["cases", "search", "x", "--casebook", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "casebook folder not found" in result.output
