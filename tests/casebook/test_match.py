"""Matching cases to a client's requirements (docgen.casebook.match, `docgen cases match`)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from docgen.casebook.cases import load_casebook
from docgen.casebook.match import match_cases
from docgen.casebook.search import build_index
from docgen.casebook.tokens import Synonyms
from docgen.cli import main
from docgen.core.config import bundled_path
from docgen.intake.models import Client, Requirement, RequirementsFile
from tests.helpers.casebook import make_case

TODAY = dt.date(2026, 11, 27)


def client_file(industry: str, *requirements: tuple[str, str, str]) -> RequirementsFile:
    reqs = tuple(Requirement(id=i, text=text, category="", priority=prio) for i, text, prio in requirements)
    return RequirementsFile(Client(name="某客户", industry=industry, presales_owner="张伟"), reqs)


@pytest.fixture(scope="module")
def bundled():
    cases = load_casebook(bundled_path("casebook"))
    return cases, build_index(cases)


def test_bank_client_gets_bank_disaster_recovery_first(bundled):
    cases, index = bundled
    req = client_file("finance", ("R1", "同城双活数据中心,RPO=0,RTO<30分钟", "must"),
                      ("R2", "统一身份认证和单点登录", "could"))
    matches = match_cases(req, cases, index=index, today=TODAY)
    assert matches[0].case.id == "bank-active-active-2024" and matches[0].supports == ("R1",)
    assert any("R2" in m.supports for m in match_cases(req, cases, index=index, top=None, today=TODAY))
    assert all(m.case.external for m in matches)


def test_must_haves_outweigh_could_haves():
    cases = [make_case("backup", title="集中备份平台", body="备份平台建设。"),
             make_case("network", title="园区网络改造", body="网络改造建设。")]
    index = build_index(cases, Synonyms())
    must_backup = client_file("other", ("R1", "备份平台", "must"), ("R2", "网络改造", "could"))
    must_network = client_file("other", ("R1", "备份平台", "could"), ("R2", "网络改造", "must"))
    assert [m.case.id for m in match_cases(must_backup, cases, index=index)] == ["backup", "network"]
    assert [m.case.id for m in match_cases(must_network, cases, index=index)] == ["network", "backup"]


def test_same_industry_ranks_higher_and_recent_slightly_higher():
    cases = [make_case("bank", body="灾备中心建设", industry="finance", year=2022),
             make_case("hospital", body="灾备中心建设", industry="healthcare", year=2022),
             make_case("hospital-new", body="灾备中心建设", industry="healthcare", year=2025)]
    index = build_index(cases, Synonyms())
    matches = match_cases(client_file("finance", ("R1", "灾备中心", "must")), cases, index=index, today=TODAY)
    assert [m.case.id for m in matches] == ["bank", "hospital-new", "hospital"]
    newer, older = matches[1].score, matches[2].score
    assert 1.0 < newer / older < 1.2  # recency nudges, it does not dominate


def test_internal_cases_only_when_asked():
    cases = [make_case("secret", body="灾备中心建设", external=False), make_case("open", body="网络改造")]
    index = build_index(cases, Synonyms())
    req = client_file("finance", ("R1", "灾备中心", "must"))
    assert match_cases(req, cases, index=index) == []
    assert [m.case.id for m in match_cases(req, cases, index=index, external_only=False)] == ["secret"]


def test_cli_match_json(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    yaml_file = tmp_path / "client.yaml"
    yaml_file.write_text(
        "client:\n  name: 华北某三甲医院\n  industry: 医疗\n  presales_owner: 赵敏\n"
        "requirements:\n"
        "  - {id: R1, category: 存储, text: 影像存储扩容2PB, priority: must, tags: [storage]}\n"
        "  - {id: R2, category: 灾备, text: HIS系统灾备, priority: should}\n",
        encoding="utf-8")
    result = CliRunner().invoke(main, ["cases", "match", str(yaml_file), "--json", "--top", "3"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert [r["id"] for r in records[:2]] == ["hospital-pacs-2024", "hospital-his-dr-2023"]
    assert records[0]["supports"] == ["R1"] and "R2" in records[1]["supports"]
    assert {"id", "title", "industry", "tags", "year", "external", "score"} <= set(records[0])


def test_searching_without_matched_terms_ranks_the_same(bundled):
    cases, index = bundled
    for query in ("同城双活数据中心,RPO=0", "统一身份认证和单点登录", "backup retention", "影像存储扩容"):
        full = index.search(query, top=None, include_internal=True)
        bare = index.search(query, top=None, include_internal=True, matched=False)
        assert [(h.case.id, h.score) for h in bare] == [(h.case.id, h.score) for h in full]
        assert all(h.matched_terms == () for h in bare) and any(h.matched_terms for h in full)
