"""Figures in a client's requirement: read in zh and en, converted to base units, never invented."""

from __future__ import annotations

import dataclasses
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen.proposal.figures import (
    BASE_UNITS,
    KINDS,
    OPS,
    STANDARD_BY_NAME,
    STANDARDS,
    Figure,
    extract_figures,
    standard_label,
    standard_names,
)


def _read(text: str) -> list[tuple]:
    """(kind, op, value) per figure; ("standard", name) for a named standard."""
    return [("standard", f.standard) if f.kind == "standard" else (f.kind, f.op, f.value)
            for f in extract_figures(text)]


# Requirement text -> the figures a reviewer expects, in order.
PHRASINGS = [
    # bundled examples and the issue's own phrasings
    ("建设同城双活数据中心,核心系统 RPO=0,RTO<30分钟", [("rpo", "=", 0), ("rto", "<", 30)]),
    ("同城双活,RPO=0,RTO<30分钟", [("rpo", "=", 0), ("rto", "<", 30)]),
    ("在 300 公里外建设异地灾备中心,形成两地三中心架构,异地 RPO<15分钟", [("distance", ">=", 300), ("rpo", "<", 15)]),
    ("异地灾备距离不少于300公里,RPO<15分钟", [("distance", ">=", 300), ("rpo", "<", 15)]),
    ("核心数据库(Oracle、GaussDB)每日全量、每小时增量备份,保留 180 天", [("retention", ">=", 180)]),
    ("备份数据保留期不少于180天", [("retention", ">=", 180)]),
    ("保留期>180天", [("retention", ">", 180)]),
    ("新建机房及系统满足等保2.0三级要求,协助通过测评", [("standard", "等保2.0三级")]),
    ("满足等保2.0三级", [("standard", "等保2.0三级")]),
    ("通过网络安全等级保护第三级测评", [("standard", "等保2.0三级")]),
    ("按三级等保要求建设", [("standard", "等保2.0三级")]),
    ("重要数据传输和存储采用国密算法(SM2/SM3/SM4)", [("standard", "SM2"), ("standard", "SM3"), ("standard", "SM4")]),
    ("采用国密SM2/SM3/SM4算法", [("standard", "SM2"), ("standard", "SM3"), ("standard", "SM4")]),
    ("支持国密 SM2/3/4", [("standard", "SM2"), ("standard", "SM3"), ("standard", "SM4")]),
    ("PACS 影像存储扩容至 1.5PB 可用容量,满足五年增长", [("capacity", ">=", 1536)]),
    ("存储容量1.5PB可扩展至3PB", [("capacity", ">=", 1536), ("capacity", ">=", 3072)]),
    ("光盘库中约 200TB 历史影像迁移到新存储并校验完整性", [("capacity", ">=", 200)]),
    ("核心业务可用性99.99%", [("availability", ">=", 99.99)]),
    ("99.99%可用", [("availability", ">=", 99.99)]),
    ("系统可用性达到4个9", [("availability", ">=", 99.99)]),
    ("7×24小时响应,故障15分钟内响应", [("response", "<=", 900)]),
    ("提供 7×24 小时驻场运维保障,故障 15 分钟响应", [("response", "<=", 900)]),
    ("医生工作站影像调阅在 3 秒以内(单次检查 500 张 CT 图像)", [("response", "<=", 3)]),
    ("响应时间小于2秒", [("response", "<", 2)]),
    ("页面加载时间 200ms 以内", [("response", "<=", 0.2)]),
    ("故障 15 分钟内响应、2 小时内到场、4 小时内恢复", [("response", "<=", 900), ("response", "<=", 7200),
                                                       ("rto", "<=", 240)]),
    ("RPO 和 RTO 分别为 0 和 30 分钟", [("rpo", "=", 0), ("rto", "<=", 30)]),
    ("RPO、RTO均小于15分钟", [("rpo", "<", 15), ("rto", "<", 15)]),
    ("RTO 15~30分钟", [("rto", "<=", 15)]),
    ("备份保留30天至90天", [("retention", ">=", 90)]),
    ("日志留存不少于6个月", [("retention", ">=", 180)]),
    ("审计日志保存不少于三年", [("retention", ">=", 1095)]),
    ("RPO＜15分钟，RTO≤２小时", [("rpo", "<", 15), ("rto", "<=", 120)]),
    ("ＲＰＯ≦１５分钟", [("rpo", "<=", 15)]),
    ("数据零丢失,业务切换时间不超过 30 秒", [("rpo", "=", 0), ("rto", "<=", 0.5)]),
    ("千兆到桌面、万兆上联", [("bandwidth", ">=", 1000), ("bandwidth", ">=", 10000)]),
    ("两中心互联带宽不低于 10Gbps", [("bandwidth", ">=", 10000)]),
    ("互联网出口带宽 500M", [("bandwidth", ">=", 500)]),
    ("支持 2 万并发", [("concurrency", ">=", 20000)]),
    ("并发用户数不少于5000", [("concurrency", ">=", 5000)]),
    ("支持 500 人同时在线", [("concurrency", ">=", 500)]),
    ("具备 CMMI5 级、ISO 27001、ISO/IEC 20000-1 认证", [("standard", "CMMI5"), ("standard", "ISO 27001"),
                                                      ("standard", "ISO 20000")]),
    ("非核心业务逐步迁移至信创私有云,兼容鲲鹏/海光服务器和麒麟操作系统", [("standard", "信创")]),
    ("通过商用密码应用安全性评估", [("standard", "密评")]),
    ("服务器内存 512GB,存储 100TB", [("capacity", ">=", 100)]),
    # English
    ("Recover the WMS in a second site within 4 hours (RTO 4 h, RPO 15 min)", [("rto", "<=", 240), ("rpo", "<=", 15)]),
    ("Nightly backup of all warehouse servers and databases, 30-day retention, one copy off-site",
     [("retention", ">=", 30)]),
    ("Replace the ageing SAN in Singapore; 120 TB usable, snapshots every hour", [("capacity", ">=", 120)]),
    ("24x7 support in English, 4-hour on-site response in Singapore and Kuala Lumpur", [("response", "<=", 14400)]),
    ("RPO ≤ 15 min", [("rpo", "<=", 15)]),
    ("RPO <= 15 minutes and RTO < 1 hour", [("rpo", "<=", 15), ("rto", "<", 60)]),
    ("RTO 4 h and 15 min RPO", [("rto", "<=", 240), ("rpo", "<=", 15)]),
    ("RPO and RTO of 15 min and 1 h respectively", [("rpo", "<=", 15), ("rto", "<=", 60)]),
    ("retention of at least 7 years", [("retention", ">=", 2555)]),
    ("audit logs kept for seven years", [("retention", ">=", 2555)]),
    ("availability of 99.95%", [("availability", ">=", 99.95)]),
    ("uptime better than 99.9%", [("availability", ">", 99.9)]),
    ("10 Gbps links", [("bandwidth", ">=", 10000)]),
    ("dual 10GE uplinks per site", [("bandwidth", ">=", 10000)]),
    ("5,000 concurrent users", [("concurrency", ">=", 5000)]),
    ("10k concurrent sessions", [("concurrency", ">=", 10000)]),
    ("response < 2 s", [("response", "<", 2)]),
    ("API latency under 200 ms", [("response", "<", 0.2)]),
    ("Sites at least 100 km apart", [("distance", ">=", 100)]),
    ("Usable capacity of 1.2 PB or more", [("capacity", ">=", 1228.8)]),
    ("MLPS level 3", [("standard", "等保2.0三级")]),
    ("Certified to MLPS 2.0 Level III and ISO 27001", [("standard", "等保2.0三级"), ("standard", "ISO 27001")]),
    ("PCI-DSS and GDPR compliant", [("standard", "PCI DSS"), ("standard", "GDPR")]),
    ("SOC 2 Type II report available on request", [("standard", "SOC 2")]),
]

NO_FIGURES = [
    "SSO with Azure AD",
    "Single sign-on for all staff applications with the existing Azure AD, MFA for remote access",
    "Zero-trust access for 300 drivers' handheld terminals",
    "Roll out SD-WAN to all 42 warehouses with dual links and central policy management",
    "每年至少两次真实切换演练,提供演练方案与报告模板",
    "备份数据一份不可篡改副本(WORM/空气隔离),防范勒索软件",
    "核心交易系统存储替换为全闪存阵列,支持双活复制,三年容量增长 40%",
    "存储容量和性能可视化监控,容量达到 80% 提前预警",
    "提供 7×24 小时驻场运维",
    "24/7 support in English",
    "5×8 小时远程支持",
    "2025年6月30日前完成上线",
    "每 15 分钟备份一次",  # a backup interval, not an RPO the client wrote
    "全年停机时间不超过52分钟",  # downtime is not in the vocabulary
    "100M 内存",
    "5G 专网接入链路",
    "光纤长度 500m",
    "异地 RPO 趋近于 0",  # "close to zero" is not zero
    "RTO<30",  # no unit: minutes would be a guess
    "5000 users",  # named users are not concurrent users
    "这项工作十分重要,需尽快恢复",
    "",
]


def test_the_table_has_at_least_40_phrasings_in_both_languages():
    chinese = [t for t, _ in PHRASINGS if any("\u4e00" <= c <= "\u9fff" for c in t)]
    assert len(PHRASINGS) >= 40 and len(chinese) >= 20 and len(PHRASINGS) - len(chinese) >= 20


@pytest.mark.parametrize("text, expected", PHRASINGS, ids=[t[:30] for t, _ in PHRASINGS])
def test_phrasing(text, expected):
    assert _read(text) == expected


@pytest.mark.parametrize("text", NO_FIGURES)
def test_text_without_a_figure_gives_nothing(text):
    assert extract_figures(text) == []


def test_a_figure_carries_its_base_unit_and_the_clients_own_text():
    [rpo, rto] = extract_figures("核心系统 RPO＜15分钟，RTO≤２小时")
    assert rpo == Figure("rpo", "<", 15.0, "min", "RPO＜15分钟")
    assert rto == Figure("rto", "<=", 120.0, "min", "RTO≤２小时")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rpo.value = 1  # type: ignore[misc]


@pytest.mark.parametrize("text, kind, value", [
    ("容量 1 PB", "capacity", 1024), ("容量 1 EB", "capacity", 1024 * 1024), ("容量 512 GB", "capacity", 0.5),
    ("保留 1 年", "retention", 365), ("保留 1 个月", "retention", 30), ("保留 2 周", "retention", 14),
    ("RPO 90 秒", "rpo", 1.5), ("RTO 1 天", "rto", 1440), ("响应 1 分钟", "response", 60),
    ("带宽 1 Gbps", "bandwidth", 1000), ("带宽 100 Mbps", "bandwidth", 100), ("距离 50 千米", "distance", 50),
    ("distance of 80 km", "distance", 80), ("并发 1.5万", "concurrency", 15000),
])
def test_units_convert_to_the_base_unit(text, kind, value):
    [figure] = extract_figures(text)
    assert (figure.kind, figure.value, figure.unit) == (kind, pytest.approx(value), BASE_UNITS[kind])


@pytest.mark.parametrize("text, op", [
    ("RPO 小于 15 分钟", "<"), ("RPO 低于 15 分钟", "<"), ("RPO 不超过 15 分钟", "<="), ("RPO 不大于 15 分钟", "<="),
    ("RPO 15 分钟以内", "<="), ("15 分钟内恢复", "<="), ("RPO 15 分钟", "<="), ("RPO 优于 15 分钟", "<"),
    ("RPO less than 15 min", "<"), ("RPO within 15 min", "<="), ("RPO up to 15 min", "<="),
    ("RPO of 15 min or less", "<="), ("RPO=15分钟", "="), ("RPO≥15分钟", ">="),
    ("保留不少于 30 天", ">="), ("保留至少 30 天", ">="), ("保留 30 天以上", ">="), ("保留超过 30 天", ">"),
    ("保留 30 天", ">="), ("retained for more than 30 days", ">"), ("retained for 30 days or more", ">="),
])
def test_comparators_read_as_the_client_wrote_them(text, op):
    [figure] = extract_figures(text)
    assert figure.op == op


@pytest.mark.parametrize("alias, canonical", [
    ("等保三级", "等保2.0三级"), ("等保2.0三级", "等保2.0三级"), ("等级保护2.0第三级", "等保2.0三级"),
    ("三级等保", "等保2.0三级"), ("MLPS level 3", "等保2.0三级"), ("Level 3 of MLPS", "等保2.0三级"),
    ("等保二级", "等保2.0二级"), ("MLPS Level IV", "等保2.0四级"), ("等保", "等保2.0"), ("GB/T 22239-2019", "等保2.0"),
    ("SM4", "SM4"), ("国密", "国密"), ("商用密码", "国密"), ("ISO/IEC 27001:2022", "ISO 27001"),
    ("iso27001", "ISO 27001"), ("ISO 20000-1", "ISO 20000"), ("CMMI ML5", "CMMI5"), ("CMMI 三级", "CMMI3"),
    ("CMMI-DEV Level 5", "CMMI5"), ("信息技术应用创新", "信创"), ("PCI DSS 4.0", "PCI DSS"), ("pci-dss", "PCI DSS"),
    ("GDPR", "GDPR"), ("个人信息保护法", "PIPL"), ("SOC2", "SOC 2"), ("灾难恢复能力达到第5级", "GB/T 20988 第5级"),
    ("GB/T 20988-2007", "GB/T 20988"), ("5级灾备", "GB/T 20988 第5级"), ("ITSS 二级", "ITSS二级"),
    ("运维服务能力成熟度", "ITSS"), ("关键信息基础设施", "关键信息基础设施保护"), ("MAS TRM", "MAS TRM"),
    ("Personal Data Protection Act", "PDPA"), ("MTCS SS 584", "MTCS SS 584"),
])
def test_standard_aliases_have_one_canonical_name(alias, canonical):
    assert standard_names(alias) == (canonical,)


def test_standard_table_is_the_one_place_for_names():
    names = [standard.name for standard, _ in STANDARDS]
    assert len(names) == len(set(names)) == len(STANDARD_BY_NAME)
    for standard, _ in STANDARDS:  # the canonical name and the English label read back as themselves
        assert standard_names(standard.name) == standard_names(standard.en) == (standard.name,)
    assert standard_names("SM2/SM3/SM4") == ("SM2", "SM3", "SM4")
    assert standard_names("国密 SM4") == ("SM4",)  # the named algorithm says more than 国密
    assert standard_names("Azure AD") == ()
    assert standard_label("等保2.0三级", "en") == "MLPS level 3"
    assert standard_label("等保2.0三级", "zh") == "等保2.0三级"
    assert standard_label("Unknown Std", "en") == "Unknown Std"


@pytest.mark.parametrize("text, expected", [
    ("🚀 RPO<15分钟 ✅", [("rpo", "<", 15)]),
    ("RPO\x00<\x0715分钟\x1b[31m", [("rpo", "<", 15)]),
    ("{{ 7*7 }} 保留 {% raw %}180 天", [("retention", ">=", 180)]),
    ("{{ 7*7 }}", []),
    ("RPO\u200b<\u200b15\u200b分钟", [("rpo", "<", 15)]),
    ("R\u0301PO 15 min", []),
    ("１２３４５６７８９０" * 3, []),
])
def test_hostile_text_is_read_or_ignored_never_crashes(text, expected):
    assert _read(text) == expected


@pytest.mark.parametrize("name, text", [
    ("digits", "1234567890" * 10_000),
    ("digits and symbols", "<=15,000.5%~-≥" * 7_200),
    ("figures without delimiters", "RPO<15分钟" * 12_500),
    ("keyword lists", "RPO、" * 25_000 + "分别" + "1分钟和" * 5_000),
    ("thousands separators", "1," * 50_000),
    ("spaces after a standard", "等保" + " " * 100_000),
    ("template and emoji", "{{ 7*7 }}🚀\x00" * 9_000),
    ("numbers and units", "9 TB 8 km 7 Gbps 6% 可用 5 秒响应 " * 4_000),
])
def test_a_100_kb_input_is_read_fast(name, text):
    assert len(text) >= 90_000
    started = time.process_time()  # CPU time: a loaded machine must not fail it, backtracking would
    figures = extract_figures(text)
    assert time.process_time() - started < 2.0, name  # a generous bound: catastrophic backtracking takes minutes
    assert len(figures) < 100  # each distinct figure once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,<>=≤≥~-% RPOTBPGkmsh分钟秒天年月个保留可用响应并发等保三级SM2/、,;{}🚀\x00"))
               | st.characters(), max_size=200))
def test_any_text_gives_wellformed_figures(text):
    for figure in extract_figures(text):
        assert figure.kind in KINDS and figure.op in OPS and figure.unit == BASE_UNITS[figure.kind]
        assert figure.raw and figure.raw in text
        assert (figure.value is None) == (figure.kind == "standard") == (figure.standard is not None)
