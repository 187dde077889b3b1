"""Honest compliance: 满足 only when a full answer meets every figure the client wrote."""

from __future__ import annotations

import pytest

from docgen.proposal import compliance
from docgen.proposal.compliance import (
    FULL,
    LABELS,
    MET,
    MISSED,
    NOT_MET,
    PARTIAL,
    STATUSES,
    TO_CONFIRM,
    UNANSWERED,
    UNDECLARED,
    Assessment,
    assess,
    judge,
    response_sentence,
    status_label,
)
from docgen.proposal.figures import extract_figures

# A two-site DR answer as the response library would declare it.
DR = {"rpo_minutes": 5, "rto_minutes": 30, "retention_days": 3650, "distance_km": 1000,
      "availability_percent": 99.99, "capacity_tb": 2048, "standards": ["等保2.0三级", "SM2", "SM3", "SM4"]}


def _figure(text):
    [figure] = extract_figures(text)
    return figure


@pytest.mark.parametrize("requirement, capabilities, status", [
    # "<" is strict, "≤" is not
    ("RPO<15分钟", {"rpo_minutes": 15}, NOT_MET),
    ("RPO<15分钟", {"rpo_minutes": 14.9}, FULL),
    ("RPO≤15分钟", {"rpo_minutes": 15}, FULL),
    ("RPO ≤ 15 min", {"rpo_minutes": 15.01}, NOT_MET),
    ("RPO 15 分钟以内", {"rpo_minutes": 15}, FULL),
    ("RPO=0", {"rpo_minutes": 0}, FULL),
    ("RPO=0", {"rpo_minutes": 1}, NOT_MET),
    ("RTO<30分钟", {"rto_minutes": 30}, NOT_MET),
    ("RTO<0.5小时", {"rto_minutes": 29}, FULL),
    ("响应时间小于2秒", {"response_seconds": 2}, NOT_MET),
    ("响应时间不超过2秒", {"response_seconds": 2}, FULL),
    ("故障15分钟内响应", {"response_seconds": 900}, FULL),
    ("故障15分钟内响应", {"response_seconds": 901}, NOT_MET),
    # PB vs TB (1 PB = 1024 TB)
    ("存储容量1.5PB", {"capacity_tb": 1536}, FULL),
    ("存储容量1.5PB", {"capacity_tb": 1535}, NOT_MET),
    ("Usable capacity of 1.5 PB", {"capacity_tb": "1536"}, FULL),
    ("扩容 500GB", {"capacity_tb": 0.5}, FULL),
    # 天 vs 年 (1 year = 365 days, 1 month = 30 days)
    ("保留期不少于180天", {"retention_days": 180}, FULL),
    ("保留期不少于180天", {"retention_days": 179}, NOT_MET),
    ("保留期>180天", {"retention_days": 180}, NOT_MET),
    ("retention of at least 7 years", {"retention_days": 2555}, FULL),
    ("retention of at least 7 years", {"retention_days": 2554}, NOT_MET),
    ("日志留存不少于6个月", {"retention_days": 180}, FULL),
    # the others: higher is better
    ("异地灾备距离不少于300公里", {"distance_km": 300}, FULL),
    ("两中心距离在 50 公里以内", {"distance_km": 100}, FULL),  # sites within 50 km: we must reach 50 km
    ("两中心距离在 50 公里以内", {"distance_km": 40}, NOT_MET),
    ("核心业务可用性99.99%", {"availability_percent": 99.95}, NOT_MET),
    ("availability of 99.95%", {"availability_percent": 99.95}, FULL),
    ("uptime better than 99.9%", {"availability_percent": 99.9}, NOT_MET),
    ("10 Gbps links", {"bandwidth_mbps": 10000}, FULL),
    ("万兆上联", {"bandwidth_mbps": 1000}, NOT_MET),
    ("5,000 concurrent users", {"concurrent_users": 5000}, FULL),
    ("支持 2 万并发", {"concurrent_users": 10000}, NOT_MET),
])
def test_boundaries(requirement, capabilities, status):
    assert assess(requirement, "full", capabilities).status == status


@pytest.mark.parametrize("requirement, required, declared, status", [
    ("满足等保三级", "等保2.0三级", ["等保2.0三级"], FULL),
    ("满足等保三级", "等保2.0三级", ["MLPS level 3"], FULL),  # an English alias is the same standard
    ("满足等保二级", "等保2.0二级", ["等保2.0三级"], FULL),  # a higher level meets a lower one
    ("满足等保四级", "等保2.0四级", ["等保2.0三级"], NOT_MET),
    ("MLPS level 3", "等保2.0三级", "等保三级", FULL),
    ("满足等保要求", "等保2.0", ["等保2.0三级"], FULL),
    ("采用国密算法", "国密", ["SM4"], FULL),
    ("CMMI 3 级及以上", "CMMI3", ["CMMI5"], FULL),
    ("CMMI5", "CMMI5", ["CMMI3", "ISO 9001"], NOT_MET),
    ("ISO 27001 certified", "ISO 27001", ["ISO/IEC 27001:2022"], FULL),
    ("ISO 27001 certified", "ISO 27001", ["ISO 20000"], TO_CONFIRM),
    ("满足等保三级", "等保2.0三级", ["等保2.0"], TO_CONFIRM),  # the level is not declared
    ("灾难恢复能力达到第5级", "GB/T 20988 第5级", ["GB/T 20988 第6级"], FULL),
    ("灾难恢复能力达到第5级", "GB/T 20988 第5级", ["GB/T 20988"], TO_CONFIRM),
    ("ITSS 二级", "ITSS二级", ["ITSS一级"], FULL),  # ITSS 一级 is the highest
    ("ITSS 二级", "ITSS二级", ["ITSS三级"], NOT_MET),
    ("Comply with MAS TRM", "MAS TRM", ["MAS TRM", "PDPA"], FULL),
])
def test_standards(requirement, required, declared, status):
    result = assess(requirement, "full", {"standards": declared})
    assert [f.standard for f in result.figures] == [required]
    assert result.status == status


def test_every_algorithm_must_be_declared():
    result = assess("采用国密SM2/SM3/SM4算法", "full", {"standards": ["SM2", "SM4"]})
    assert result.status == TO_CONFIRM
    assert [f.standard for f in result.undeclared] == ["SM3"]
    assert [(f.standard, declared) for f, declared in result.met] == [("SM2", "SM2"), ("SM4", "SM4")]


def test_each_status_is_reachable():
    requirement = "异地灾备距离不少于300公里,RPO<15分钟"
    assert assess(requirement, "full", DR).status == FULL
    assert assess(requirement, "partial", DR).status == PARTIAL
    assert assess(requirement, "full", {**DR, "rpo_minutes": 15}).status == NOT_MET
    assert assess(requirement, "partial", {**DR, "rpo_minutes": 15}).status == PARTIAL
    assert assess(requirement, "full", {"rpo_minutes": 5}).status == TO_CONFIRM
    assert assess(requirement, None, DR).status == UNANSWERED
    assert set(STATUSES) == {FULL, PARTIAL, NOT_MET, TO_CONFIRM, UNANSWERED}


def test_an_undeclared_figure_is_to_confirm_never_full():
    result = assess("备份数据保留期不少于180天,RPO<15分钟", "full", {"rpo_minutes": 5})
    assert result.status == TO_CONFIRM
    assert [f.kind for f in result.undeclared] == ["retention"]
    assert [(f.kind, declared) for f, declared in result.met] == [("rpo", 5)]
    assert assess("备份数据保留期不少于180天", "full", None).status == TO_CONFIRM
    assert assess("备份数据保留期不少于180天", "full", {}).status == TO_CONFIRM


def test_a_miss_outranks_an_undeclared_figure():
    result = assess("保留期不少于180天,RPO<15分钟", "full", {"rpo_minutes": 30})
    assert result.status == NOT_MET
    assert [(f.kind, declared) for f, declared in result.missed] == [("rpo", 30)]
    assert [f.kind for f in result.undeclared] == ["retention"]


def test_a_partial_entry_is_never_full_and_an_undeclared_figure_still_needs_confirming():
    assert assess("RPO<15分钟", "partial", {"rpo_minutes": 5}).status == PARTIAL
    assert assess("SSO with Azure AD", "partial", {}).status == PARTIAL
    assert assess("RPO<15分钟,保留 30 天", "partial", {"rpo_minutes": 5}).status == TO_CONFIRM


def test_without_figures_the_entry_decides_and_without_an_entry_nothing_is_met():
    assert assess("SSO with Azure AD", "full", {}).status == FULL
    unanswered = assess("RPO<15分钟", None, DR)
    assert unanswered == Assessment(UNANSWERED, unanswered.figures, (), (), ())
    assert [f.kind for f in unanswered.figures] == ["rpo"]


@pytest.mark.parametrize("declared", [None, "5 分钟", True, float("nan"), float("inf"), [5], {"v": 5}])
def test_a_declared_value_that_is_not_a_number_is_undeclared(declared):
    assert judge(_figure("RPO<15分钟"), {"rpo_minutes": declared}) == (UNDECLARED, None)


def test_a_floor_on_a_lower_is_better_figure_is_to_confirm():
    result = assess("RPO 不低于 15 分钟", "full", {"rpo_minutes": 5})
    assert result.status == TO_CONFIRM
    assert result.reason("zh") == "RPO ≥ 15 分钟：要求的方向不明确，待人工确认"


def test_judge_returns_the_declared_value():
    assert judge(_figure("RPO<15分钟"), {"rpo_minutes": 5}) == (MET, 5)
    assert judge(_figure("RPO<15分钟"), {"rpo_minutes": "15"}) == (MISSED, "15")
    assert judge(_figure("等保二级"), {"standards": ["ISO 27001", "等保2.0三级"]}) == (MET, "等保2.0三级")


@pytest.mark.parametrize("value", ["Full", " full ", "FULL"])
def test_entry_compliance_is_read_loosely(value):
    assert assess("RPO<15分钟", value, {"rpo_minutes": 5}).status == FULL


@pytest.mark.parametrize("value", ["yes", "满足", "not_met", ""])
def test_an_unknown_entry_compliance_is_an_error_not_a_guess(value):
    with pytest.raises(ValueError, match="full' or 'partial"):
        assess("RPO<15分钟", value, {"rpo_minutes": 5})


def test_reasons_name_each_figure_and_the_declared_value():
    result = assess("异地灾备距离不少于300公里,RPO<15分钟,备份数据保留期不少于180天", "full",
                    {"rpo_minutes": 5, "distance_km": 200})
    assert result.reason("zh") == ("距离 ≥ 300 公里：方案声明 距离 200 公里，不满足；"
                                   "RPO < 15 分钟：方案声明 RPO 5 分钟，满足；"
                                   "保留期 ≥ 180 天：答案未声明，待确认")
    assert result.reason("en") == ("distance ≥ 300 km: the solution declares distance 200 km, not met; "
                                   "RPO < 15 min: the solution declares RPO 5 min, met; "
                                   "retention ≥ 180 days: not declared by the answer, to confirm")


def test_reasons_for_the_other_statuses():
    assert assess("RPO<15分钟", None, DR).reason("zh") == "库中没有匹配的答案，待应答"
    assert assess("RPO<15分钟", None, DR).reason("en") == "no answer in the library matches, to answer"
    assert assess("RPO=0", "partial", DR | {"rpo_minutes": 0}).reason("zh") == \
        "RPO = 0：方案声明 RPO 0，满足；答案声明部分满足"
    assert assess("SSO with Azure AD", "full", {}).reason("en") == \
        "the requirement has no figure to check; the answer declares full compliance"
    assert assess("满足等保四级", "full", DR).reason("en") == \
        "MLPS level 4: the solution declares MLPS level 3, not met"
    assert assess("存储容量1.5PB可扩展至3PB", "full", DR).reason("zh") == \
        "容量 ≥ 1.5 PB：方案声明 容量 2 PB，满足；容量 ≥ 3 PB：方案声明 容量 2 PB，不满足"


def test_labels_in_both_languages():
    assert [status_label(s, "zh") for s in STATUSES] == ["满足", "部分满足", "不满足", "待确认", "待应答"]
    assert [status_label(s, "en") for s in STATUSES] == ["Full", "Partial", "Not met", "To confirm", "To answer"]
    assert assess("RPO<15分钟", None, DR).label("zh") == "待应答"
    assert set(LABELS) == {"zh", "en"}
    with pytest.raises(ValueError, match="language"):
        status_label(FULL, "fr")


@pytest.mark.parametrize("requirement, declared, zh, en", [
    ("RPO ≤ 15 min", 5, "RPO ≤ 15 分钟：本方案声明 RPO 5 分钟", "RPO ≤ 15 min: this solution declares RPO 5 min"),
    ("RTO<2小时", 30, "RTO < 2 小时：本方案声明 RTO 30 分钟", "RTO < 2 h: this solution declares RTO 30 min"),
    ("保留期不少于180天", 3650, "保留期 ≥ 180 天：本方案声明 保留期 10 年",
     "retention ≥ 180 days: this solution declares retention 10 years"),
    ("存储容量1.5PB", 2048, "容量 ≥ 1.5 PB：本方案声明 容量 2 PB", "capacity ≥ 1.5 PB: this solution declares capacity 2 PB"),
    ("响应时间小于2秒", 0.5, "响应时间 < 2 秒：本方案声明 响应时间 500 毫秒",
     "response time < 2 s: this solution declares response time 500 ms"),
    ("核心业务可用性99.99%", 99.995, "可用性 ≥ 99.99%：本方案声明 可用性 99.995%",
     "availability ≥ 99.99%: this solution declares availability 99.995%"),
    ("万兆上联", 40000, "带宽 ≥ 10 Gbps：本方案声明 带宽 40 Gbps", "bandwidth ≥ 10 Gbps: this solution declares bandwidth 40 Gbps"),
    ("满足等保三级", ["SM4", "等保2.0四级"], "等保2.0三级：本方案声明 等保2.0四级",
     "MLPS level 3: this solution declares MLPS level 4"),
])
def test_response_sentence_names_the_clients_figure_and_only_the_declared_value(requirement, declared, zh, en):
    figure = _figure(requirement)
    assert response_sentence(figure, declared, "zh") == zh
    assert response_sentence(figure, declared, "en") == en


@pytest.mark.parametrize("requirement, declared", [("RPO<15分钟", None), ("RPO<15分钟", "fast"),
                                                   ("满足等保三级", None), ("满足等保三级", [])])
def test_response_sentence_never_invents_a_value(requirement, declared):
    with pytest.raises(ValueError, match="never invented"):
        response_sentence(_figure(requirement), declared, "zh")


def test_the_met_pairs_feed_response_sentences():
    result = assess("异地灾备距离不少于300公里,RPO<15分钟", "full", DR)
    assert [response_sentence(f, declared, "zh") for f, declared in result.met] == [
        "距离 ≥ 300 公里：本方案声明 距离 1000 公里", "RPO < 15 分钟：本方案声明 RPO 5 分钟"]


def test_the_rules_are_written_where_a_reviewer_reads_them():
    doc = compliance.__doc__
    for word in ("unanswered", "not_met", "partial", "to_confirm", "full", "满足", "待确认", "1536 TB", "2555 days"):
        assert word in doc
