"""Matching one requirement to the response library: judged pairs, unanswered requirements, language, speed-ups.

Top-1 accuracy on the judged pairs below (bundled library): 49/49 = 1.00 when written (BM25F, THRESHOLD
0.25) and on tantivy's BM25 (THRESHOLD 0.26); the last 14 were written before the matcher was tuned and
were never tuned against.
"""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from docgen.casebook.tokens import DocumentTokenizer
from docgen.core.config import bundled_path
from docgen.intake.models import Requirement
from docgen.intake.requirements import load_requirements
from docgen.proposal.answer_match import (
    THRESHOLD,
    AnswerIndex,
    _Tokenizer,
    answer_index,
    build_index,
    match_answers,
    trie_matcher,
)
from docgen.proposal.answers import AnswerLibrary, load_library

# (language, category, tags, requirement text, the right answer(s) "id | id")
JUDGED = [
    # The bundled examples' requirements, as clients wrote them.
    ('zh', '灾备', ('disaster-recovery', 'active-active', 'storage'), '建设同城双活数据中心，核心系统 RPO=0，RTO<30分钟', 'dr-active-active-zh'),
    ('zh', '灾备', ('disaster-recovery', 'replication'), '在 300 公里外建设异地灾备中心，形成两地三中心架构，异地 RPO<15分钟', 'dr-async-remote-zh | dr-two-sites-three-centers-zh'),
    ('zh', '灾备', ('disaster-recovery', 'business-continuity'), '每年至少两次真实切换演练，提供演练方案与报告模板', 'dr-drill-zh'),
    ('zh', '备份', ('backup', 'data-protection'), '核心数据库（Oracle、GaussDB）每日全量、每小时增量备份，保留 180 天', 'backup-database-180d-zh'),
    ('zh', '备份', ('backup', 'data-protection', 'ransomware'), '备份数据一份不可篡改副本（WORM/空气隔离），防范勒索软件', 'backup-immutable-zh'),
    ('zh', '安全', ('security', 'compliance', '等保'), '新建机房及系统满足等保2.0三级要求，协助通过测评', 'security-dengbao-level3-zh'),
    ('zh', '安全', ('security', 'compliance'), '重要数据传输和存储采用国密算法（SM2/SM3/SM4）', 'security-guomi-zh'),
    ('zh', '存储', ('storage', 'all-flash', 'capacity'), '核心交易系统存储替换为全闪存阵列，支持双活复制，三年容量增长 40%', 'storage-all-flash-zh'),
    ('zh', '网络', ('network', 'active-active'), '两中心间裸光纤互联，二层打通，链路冗余', 'network-dci-zh'),
    ('zh', '运维', ('operations', 'monitoring'), '统一监控两中心的服务器、存储、网络和数据库，告警推送至企业微信', 'ops-unified-monitoring-zh'),
    ('zh', '云平台', ('cloud', 'xinchuang', '信创'), '非核心业务逐步迁移至信创私有云，兼容鲲鹏/海光服务器和麒麟操作系统', 'cloud-xinchuang-zh'),
    ('zh', '服务', ('support', 'service'), '提供 7×24 小时驻场运维保障，故障 15 分钟响应', 'ops-onsite-support-zh'),
    ('zh', '存储', ('storage', 'capacity', 'pacs', '影像'), 'PACS 影像存储扩容至 1.5PB 可用容量，满足五年增长', 'storage-pacs-capacity-zh'),
    ('zh', '存储', ('storage', 'performance', 'pacs'), '医生工作站影像调阅在 3 秒以内（单次检查 500 张 CT 图像）', 'pacs-retrieval-performance-zh'),
    ('zh', '备份', ('migration', 'archive', '影像'), '光盘库中约 200TB 历史影像迁移到新存储并校验完整性', 'pacs-archive-migration-zh'),
    ('zh', '运维', ('operations', 'monitoring'), '存储容量和性能可视化监控，容量达到 80% 提前预警', 'ops-capacity-alert-zh'),
    ('zh', '安全', ('security', 'audit'), '影像外发（远程会诊）全程留痕审计', 'security-remote-consultation-audit-zh'),
    ('zh', '容灾', (), '建立容灾体系，单个机房发生故障时核心业务系统可在半小时内由另一机房接管且不丢失数据', 'dr-active-active-zh'),
    ('zh', '统一认证', (), '员工使用一套账号登录OA、邮件、CRM等系统，支持短信或扫码二次认证', 'identity-sso-zh'),
    ('zh', '备份', (), '业务数据需保存十年以上以备监管查阅', 'backup-long-term-archive-zh'),
    ('zh', '云平台', (), '建设Kubernetes容器平台，支撑微服务应用的持续集成与发布', 'cloud-container-zh'),
    ('zh', '运维', (), '告警风暴严重，希望借助机器学习自动合并告警并定位故障根源', 'ops-aiops-zh'),
    ('zh', '信创', (), '现有Oracle数据库替换为国产数据库，迁移过程业务停机不超过2小时', 'xinchuang-database-migration-zh'),
    ('en', 'Network', ('network', 'sd-wan'), 'Roll out SD-WAN to all 42 warehouses with dual links and central policy management', 'network-sdwan-en'),
    ('en', 'Disaster recovery', ('disaster-recovery', 'replication'), 'Recover the WMS in a second site within 4 hours (RTO 4 h, RPO 15 min)', 'dr-second-site-en'),
    ('en', 'Backup', ('backup', 'data-protection'), 'Nightly backup of all warehouse servers and databases, 30-day retention, one copy off-site', 'backup-nightly-offsite-en'),
    ('en', 'Security', ('security', 'sso', 'identity'), 'Single sign-on for all staff applications with the existing Azure AD, MFA for remote access', 'identity-sso-azure-ad-en'),
    ('en', 'Security', ('security', 'identity', 'terminal'), "Zero-trust access for 300 drivers' handheld terminals", 'network-zero-trust-en'),
    ('en', 'Cloud', ('cloud', 'virtualization'), 'Move reporting and the customer portal to a hybrid cloud, keep WMS on premises', 'cloud-hybrid-en'),
    ('en', 'Operations', ('operations', 'monitoring'), 'One monitoring console for network, servers and WMS response time, with alerts to Microsoft Teams', 'ops-monitoring-en'),
    ('en', 'Storage', ('storage', 'capacity'), 'Replace the ageing SAN in Singapore; 120 TB usable, snapshots every hour', 'storage-san-replacement-en'),
    ('en', 'Support', ('support', 'service'), '24x7 support in English, 4-hour on-site response in Singapore and Kuala Lumpur', 'support-24x7-en'),
    # English paraphrases: business continuity for disaster recovery, PDPA spelled out.
    ('en', 'Compliance', (), "Personal data of customers and drivers must be handled in line with Singapore's Personal Data Protection Act", 'security-pdpa-en'),
    ('en', 'Business continuity', (), 'A failover site that can take over the warehouse system if our primary data centre is lost', 'dr-second-site-en'),
    ('en', 'Backup', (), 'Protect our backups from ransomware with a copy that cannot be altered', 'backup-immutable-en'),
    # Held out: written before THRESHOLD, GENERIC_WORDS and UNSEEN_WEIGHT were chosen.
    ('zh', '备份', (), '要求备份系统支持 Oracle RAC 在线热备份，恢复时可指定到具体时间点', 'backup-database-180d-zh'),
    ('zh', '云平台', (), '机房所有物理服务器迁移到虚拟化平台，迁移时业务中断不超过30分钟', 'cloud-migration-zh'),
    ('zh', '安全', (), '部署下一代防火墙、主机加固和日志审计，整改后通过等级保护三级测评', 'security-dengbao-level3-zh'),
    ('zh', '安全', (), '第三方厂商运维人员须经统一入口访问服务器，全程录像可回放', 'security-bastion-zh'),
    ('zh', '网络', (), '为仓库叉车和扫码枪提供稳定的无线覆盖', 'network-wireless-zh'),
    ('zh', '数据', (), '建立数据标准和指标口径，解决各部门报表数据不一致问题', 'data-governance-zh'),
    ('zh', '存储', (), '视频监控和影像等海量非结构化数据采用可横向扩展的存储', 'storage-distributed-zh'),
    ('zh', '运维', (), '工单系统覆盖事件、变更流程，并建立配置管理数据库', 'ops-itsm-zh'),
    ('en', 'Backup', (), 'Restore any of our SQL Server databases to a point in time within the last month', 'backup-database-pitr-en'),
    ('en', 'Backup', (), 'Exchange Online and OneDrive data must be backed up independently of Microsoft', 'backup-m365-en'),
    ('en', 'Security', (), 'Round-the-clock monitoring of security events by analysts, with escalation of serious incidents', 'security-mdr-soc-en'),
    ('en', 'Network', (), 'Upgrade the data centre switching to a leaf-spine design with 100G uplinks', 'network-dc-en'),
    ('en', 'Security', (), "Drivers' phones and scanners must be enrolled, locked down and remotely wipeable", 'security-mdm-en'),
    ('en', 'Logistics', (), 'Shipment temperatures for chilled goods monitored in transit with alerts', 'logistics-fleet-tracking-en'),
]

UNANSWERABLE = [
    ("zh", "网络", ("network", "satellite"), "为 60 个偏远分支机构建设卫星回传链路，地面线路中断时保持业务连通"),
    ("zh", "网络", (), "分支机构卫星回传链路"),
    ("en", "Network", ("network",), "Satellite backhaul for branch offices without fixed-line coverage"),
    ("en", "Integration", ("integration", "as400", "ibm-mq"),
     "Real-time integration with the in-house AS/400 (IBM i) freight billing system over IBM MQ"),
    ("zh", "办公", (), "会议室视频会议终端与大屏采购"),
    ("en", "Facilities", (), "Forklift battery replacement programme for all warehouses"),
]


@pytest.fixture(scope="module")
def library() -> AnswerLibrary:
    return load_library(None)


def requirement(category: str, tags: tuple[str, ...], text: str) -> Requirement:
    return Requirement(id="R1", text=text, category=category, tags=tags)


def test_top1_accuracy_on_judged_pairs(library):
    assert len(JUDGED) >= 30
    misses = []
    for language, category, tags, text, expected in JUDGED:
        found = match_answers(requirement(category, tags, text), library, language=language)
        if not found or found[0].entry.id not in expected.split(" | "):
            misses.append(f"{text[:30]}: expected {expected}, got {[m.entry.id for m in found]}")
    accuracy = 1 - len(misses) / len(JUDGED)
    print(f"top-1 accuracy {accuracy:.2f} ({len(JUDGED) - len(misses)}/{len(JUDGED)})")
    assert accuracy >= 0.8, "\n".join(misses)


@pytest.mark.parametrize("language, category, tags, text", UNANSWERABLE, ids=lambda v: str(v)[:20])
def test_a_requirement_nothing_answers_is_unanswered(library, language, category, tags, text):
    assert match_answers(requirement(category, tags, text), library, language=language) == []


def test_the_bundled_examples(library):
    """Each requirement of the examples gets its own answer; the AS/400 integration has none."""
    for name in ("example-bank-zh", "example-hospital-zh", "example-logistics-en"):
        req_file = load_requirements(bundled_path("requirements_forms") / f"{name}.yaml")
        best = {}
        for req in req_file.requirements:
            found = match_answers(req, library, language=req_file.client.language)
            best[req.id] = found[0].entry.id if found else None
        answered = [entry for entry in best.values() if entry]
        assert len(answered) == len(set(answered)), f"{name}: two requirements share an answer: {best}"
        expected_gaps = {"R8"} if name == "example-logistics-en" else set()
        assert {rid for rid, entry in best.items() if entry is None} == expected_gaps, (name, best)


def test_matches_are_in_the_client_language_best_first_and_over_the_threshold(library):
    req = requirement("灾备", ("disaster-recovery",), "同城双活数据中心，RPO=0")
    for language in ("zh", "en"):
        found = match_answers(req, library, language=language, top=5)
        assert all(m.entry.language == language for m in found)
        assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
        assert all(m.score >= THRESHOLD for m in found) and len(found) <= 5
    english = match_answers(requirement("Backup", (), "Nightly backup with 30-day retention"), library, language="en")
    assert english and english[0].entry.id == "backup-nightly-offsite-en"
    assert match_answers(req, library, language="fr") == []
    assert match_answers(req, library, language="zh", top=0) == []


def test_a_library_without_the_language_answers_nothing(library):
    only_zh = AnswerLibrary([e for e in library if e.language == "zh"], library.synonyms)
    assert match_answers(requirement("Backup", (), "Nightly backup of all servers"), only_zh, language="en") == []
    assert match_answers("同城双活数据中心", only_zh, language="zh")  # a requirement may be plain text


def test_category_and_tags_order_close_answers(library):
    """Two answers saying the same thing: the one naming the requirement's category or tags comes first."""
    base = library.by_id("dr-database-replication-zh")
    as_dr = dataclasses.replace(base, id="a-dr", categories=("灾备",), tags=("disaster-recovery",))
    as_db = dataclasses.replace(base, id="b-db", categories=("数据库",), tags=("database",))
    twins = AnswerLibrary([as_dr, as_db], library.synonyms)
    text = "核心数据库主备实时复制"
    assert [m.entry.id for m in match_answers(requirement("灾备", (), text), twins, language="zh")] == ["a-dr", "b-db"]
    assert [m.entry.id for m in match_answers(requirement("数据库", (), text), twins, language="zh")] == ["b-db", "a-dr"]
    by_tag = match_answers(requirement("", ("database",), text), twins, language="zh")
    assert by_tag[0].entry.id == "b-db" and by_tag[0].score > by_tag[1].score


def test_the_index_is_built_once_per_library(library):
    index = answer_index(library)
    assert isinstance(index, AnswerIndex) and answer_index(library) is index
    match_answers("同城双活", library, language="zh")
    assert answer_index(library) is index
    assert answer_index(index) is index
    plain = build_index(list(library)[:5], library.synonyms)
    assert set(plain.languages) <= {"zh", "en"}


def test_a_library_can_be_sent_to_another_process(library):
    answer_index(library)
    copy = pickle.loads(pickle.dumps(library))
    assert list(copy) == list(library) and copy.synonyms == library.synonyms
    assert match_answers("同城双活数据中心", copy, language="zh")[0].entry.id == "dr-active-active-zh"


def test_the_trie_finds_what_the_synonym_matcher_finds(library):
    texts = [t for e in library for t in (e.text, *e.questions)] + [
        "sso-x sso2 ssox 等保2.0三级 7x24 24x7 disaster  recovery DR-test Ａｚｕｒｅ ＡＤ, entra id; worm WORMS",
        "异地灾备演练 同城双活 双活 零信任sdp ztna", "",
    ]
    slow, fast = library.synonyms.matcher(), trie_matcher(library.synonyms)
    assert [fast(t) for t in texts] == [slow(t) for t in texts]


def test_the_answer_tokenizer_is_the_casebook_tokenizer(library):
    samples = [e.text for e in list(library)[::7]] + ["Zero-trust access for handheld terminals, 等保三级"]
    ours, theirs = _Tokenizer(library.synonyms, None), DocumentTokenizer(library.synonyms, None)
    assert [ours.terms(s) for s in samples] == [theirs.terms(s) for s in samples]


def test_an_edited_copy_is_a_new_library(library):
    changed = [dataclasses.replace(e, questions=("卫星回传链路",)) if e.id == "network-sdwan-zh" else e
               for e in library]
    edited = AnswerLibrary(changed, library.synonyms)
    found = match_answers(requirement("网络", (), "分支机构卫星回传链路"), edited, language="zh")
    assert found and found[0].entry.id == "network-sdwan-zh"


def test_the_threshold_keeps_a_margin_on_both_sides(library):
    """THRESHOLD's calibration, rechecked: the weakest right answer and the nearest wrong one stay clear of it."""
    index = answer_index(library)

    def best(language, category, tags, text):
        relevance = index.languages[language].relevance(" ".join((text, category, *tags)))
        return max(relevance.values(), default=0.0)

    weakest_right = min(best(*pair[:4]) for pair in JUDGED)
    nearest_wrong = max(best(*pair) for pair in UNANSWERABLE)
    assert weakest_right >= THRESHOLD + 0.01, weakest_right
    assert nearest_wrong <= THRESHOLD - 0.005, nearest_wrong
