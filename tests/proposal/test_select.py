"""Pure selection: which sections, which cases, which placeholders, in which order."""

from __future__ import annotations

from dataclasses import dataclass, replace

from docgen.casebook.models import Case
from docgen.intake.models import Client, Requirement, RequirementsFile
from docgen.proposal.sections import library_folders, load_sections
from docgen.proposal.answers import AnswerEntry, Capabilities
from docgen.proposal.compliance import FULL, NOT_MET, PARTIAL, TO_CONFIRM, UNANSWERED
from docgen.proposal.select import CASE_COUNTS, select

LIBRARY = load_sections(*library_folders(None))


@dataclass(frozen=True)
class Match:  # the shape of docgen.casebook.match.CaseMatch
    case: Case
    score: float
    supports: tuple[str, ...]


def _client(trust="medium", language="zh"):
    return Client(name="华东某城市商业银行", industry="finance", presales_owner="张伟",
                  language=language, trust=trust)


def _file(requirements, trust="medium", language="zh"):
    return RequirementsFile(client=_client(trust, language), requirements=tuple(requirements))


REQS = (
    Requirement("R1", "统一运维监控平台", "运维", "could", ("monitoring",)),
    Requirement("R2", "每日备份,保留 30 天", "备份", "should", ("backup",)),
    Requirement("R3", "同城双活,RPO=0", "灾备", "must", ("disaster-recovery", "active-active")),
    Requirement("R4", "等保三级整改", "等保", "must", ("mlps",)),
    Requirement("R5", "大型机 z/OS 批处理迁移到开放平台", "大型机迁移", "should", ()),
    Requirement("R6", "备份数据防勒索", "备份", "must", ("ransomware",)),
)


def _cases(n, language="zh"):
    return [Match(Case(id=f"c{i}", title=f"案例{i}", client="某客户", industry="finance", tags=("backup",),
                       year=2024, language=language, external=True, summary="摘要", body="正文"),
                  10.0 - i, ("R2",)) for i in range(n)]


def test_categories_follow_their_highest_priority_must_first():
    selection = select(_file(REQS), LIBRARY, [], "solution")
    # must categories in the order they first appear in the file (备份 R2, 灾备 R3, 等保 R4),
    # then the should category, then the could category
    assert [c.category for c in selection.categories] == ["备份", "灾备", "等保", "大型机迁移", "运维"]
    backup = selection.categories[0]
    assert [r.id for r in backup.requirements] == ["R6", "R2"]


def test_each_category_gets_its_best_section_in_the_client_language():
    selection = select(_file(REQS), LIBRARY, [], "solution")
    sections = {c.category: [s.id for s in c.sections] for c in selection.categories}
    assert sections["灾备"] == ["disaster-recovery-zh"]
    assert sections["备份"] == ["backup-zh"]
    assert sections["等保"] == ["cybersecurity-zh"]
    assert sections["运维"] == ["operations-zh"]
    english = select(_file(REQS, language="en"), LIBRARY, [], "solution")
    assert [s.id for s in english.categories[1].sections] == ["disaster-recovery-en"]


def test_categories_without_requirements_get_no_section():
    selection = select(_file(REQS[2:3]), LIBRARY, [], "detailed")
    used = {s.id for c in selection.categories for s in c.sections}
    assert used == {"disaster-recovery-zh"}
    assert [c.category for c in selection.categories] == ["灾备"]


def test_unanswerable_requirement_becomes_a_placeholder_naming_it_and_the_owner():
    selection = select(_file(REQS), LIBRARY, [], "detailed")
    [placeholder] = selection.placeholders
    assert placeholder.requirement.id == "R5"
    assert placeholder.text == "【待补充 R5：大型机 z/OS 批处理迁移到开放平台（负责人：张伟）】"
    english = select(_file(REQS, language="en"), LIBRARY, [], "detailed")
    assert english.placeholders[0].text.startswith("[TO WRITE R5: 大型机")
    assert english.placeholders[0].text.endswith("(owner: 张伟)]")
    answer = {a.requirement.id: a for a in selection.answers}
    assert answer["R5"].section is None and answer["R5"].compliance == UNANSWERED


def test_placeholder_shortens_a_long_requirement():
    long = Requirement("R9", "很长的需求" * 120, "未知类别", "must")
    [placeholder] = select(_file([long]), LIBRARY, [], "intro").placeholders
    assert len(placeholder.text) < 80 and "…" in placeholder.text


def _entry(entry_id: str, compliance: str = "full", **capabilities) -> AnswerEntry:
    return AnswerEntry(id=entry_id, language="zh", categories=(), tags=(), questions=("q",), compliance=compliance,
                       capabilities=Capabilities(capabilities), owner="张伟", last_reviewed=None, evidence=(),
                       text="答案正文。")


def test_matrix_covers_every_requirement_in_category_order_and_earns_compliance():
    reqs = [Requirement("R1", "同城双活,RPO=0,RTO<30分钟", "灾备", "must"),
            Requirement("R2", "异地灾备距离不少于300公里,RPO<15分钟", "灾备", "must"),
            Requirement("R3", "备份数据保留期不少于180天", "备份", "should"),
            Requirement("R4", "满足等保2.0三级", "等保", "must"),
            Requirement("R5", "大型机 z/OS 批处理迁移到开放平台", "迁移", "could")]
    responses = {
        "R1": _entry("dr-aa", rpo_minutes=0, rto_minutes=20),          # every figure met
        "R2": _entry("dr-remote", rpo_minutes=15, distance_km=1000),   # RPO 15 is not < 15
        "R3": _entry("backup", compliance="full"),                     # retention not declared
        "R4": _entry("mlps", compliance="partial", standards=("等保2.0三级",)),
        "R5": None,
    }
    selection = select(_file(reqs), LIBRARY, [], "detailed", responses)
    assert [a.requirement.id for a in selection.answers] == ["R1", "R2", "R4", "R3", "R5"]
    status = {a.requirement.id: a.compliance for a in selection.answers}
    assert status == {"R1": FULL, "R2": NOT_MET, "R3": TO_CONFIRM, "R4": PARTIAL, "R5": UNANSWERED}
    assert {a.requirement.id: a.entry.id if a.entry else None for a in selection.answers}["R2"] == "dr-remote"


def test_a_section_is_shown_once_and_referenced_by_later_categories():
    reqs = [Requirement("R1", "双活", "灾备", "must"), Requirement("R2", "两地三中心", "容灾", "should")]
    first, second = select(_file(reqs), LIBRARY, [], "solution").categories
    assert [s.id for s in first.sections] == ["disaster-recovery-zh"]
    assert second.sections == () and [s.id for s in second.referenced] == ["disaster-recovery-zh"]


def test_case_counts_by_stage_and_trust():
    cases = _cases(8)
    for stage in ("intro", "solution", "detailed"):
        low = select(_file(REQS, trust="low"), LIBRARY, cases, stage)
        high = select(_file(REQS, trust="high"), LIBRARY, cases, stage)
        assert len(low.cases) == CASE_COUNTS[stage]["low"]
        assert len(high.cases) == CASE_COUNTS[stage]["high"]
        assert len(low.cases) > len(high.cases)
    assert 2 <= CASE_COUNTS["intro"]["high"] <= CASE_COUNTS["intro"]["medium"] <= 3
    assert 4 <= CASE_COUNTS["intro"]["low"] <= 5
    assert all(3 <= CASE_COUNTS[s][t] <= 5 for s in ("solution", "detailed") for t in ("low", "medium", "high"))


def test_cases_drop_irrelevant_and_internal_and_prefer_client_language():
    zh = _cases(2)
    en = _cases(3, language="en")
    internal = [replace(zh[0], case=replace(zh[0].case, id="secret", external=False))]
    zero = [replace(zh[1], score=0.0, case=replace(zh[1].case, id="zero"))]
    ranked = en[:1] + internal + zh + zero + en[1:]
    chosen = select(_file(REQS, trust="medium"), LIBRARY, ranked, "intro").cases
    assert [m.case.id for m in chosen] == ["c0", "c1", "c0"]
    assert [m.case.language for m in chosen] == ["zh", "zh", "en"]


def test_trust_moves_credentials_and_shortens_company_part():
    low = select(_file(REQS, trust="low"), LIBRARY, [], "solution")
    medium = select(_file(REQS, trust="medium"), LIBRARY, [], "solution")
    high = select(_file(REQS, trust="high"), LIBRARY, [], "solution")
    assert low.credentials_placement == "front" and not low.company_brief
    assert medium.credentials_placement == "back"
    assert high.credentials_placement == "none" and high.company_brief
    assert select(_file(REQS, trust="high"), LIBRARY, [], "detailed").credentials_placement == "appendix"
    assert low.credentials.id == "credentials-zh" and low.company.id == "company-profile-zh"


def test_stage_limits_the_general_sections():
    intro = select(_file(REQS), LIBRARY, [], "intro")
    detailed = select(_file(REQS), LIBRARY, [], "detailed")
    assert "methodology" not in intro.general and "quality" not in intro.general
    assert {"methodology", "service", "quality"} <= set(detailed.general)


def test_a_category_answered_by_a_general_chapter_refers_to_it():
    reqs = [Requirement("R1", "7×24 驻场运维保障", "服务", "should", ("support",))]
    solution = select(_file(reqs), LIBRARY, [], "solution").categories[0]
    assert solution.sections == () and [s.id for s in solution.referenced] == ["service-support-zh"]
    intro = select(_file(reqs), LIBRARY, [], "intro").categories[0]
    assert [s.id for s in intro.sections] == ["service-support-zh"]  # intro has no service chapter
