"""The named team (docgen.proposal.staffing): owner first, case experience, load, language, gaps left open."""

from __future__ import annotations

import datetime as dt

from docgen.proposal.company import Certificate, Person, load_company
from docgen.proposal.staffing import MAX_ROLES, OWNER_ROLE, PLACEHOLDER, staff, unfilled

TODAY = dt.date(2026, 12, 2)


def person(name, roles, *, cases=(), years=5, languages=("zh",), certificates=()):
    return Person(name=name, title="工程师", roles=tuple(roles), years=years, cases=tuple(cases),
                  languages=tuple(languages), certificates=tuple(certificates))


def names(assignments):
    return [(a.role, a.person.name if a.person else None) for a in assignments]


def test_the_presales_owner_comes_first_as_the_single_point_of_contact():
    team = [person("张伟", ["presales_owner", "solution_architect"]), person("李雷", ["project_manager"])]
    assert names(staff(["project_manager"], team, [], "张伟", today=TODAY)) == [
        (OWNER_ROLE, "张伟"), ("project_manager", "李雷")]
    # Named in roles_needed or not, the owner is listed once, first.
    assert names(staff(["project_manager", OWNER_ROLE], team, [], "张伟", today=TODAY))[0] == (OWNER_ROLE, "张伟")


def test_an_owner_not_on_the_team_is_named_anyway():
    [owner] = staff([], [person("李雷", ["dba"])], [], "Maria Lopez", today=TODAY)
    assert owner.person.name == "Maria Lopez" and owner.certificates == ()


def test_people_who_delivered_the_cited_cases_come_first():
    team = [person("甲", ["storage_engineer"], years=20),
            person("乙", ["storage_engineer"], cases=["bank-aa"], years=3)]
    assert names(staff(["storage_engineer"], team, ["bank-aa"], "x", today=TODAY))[1] == ("storage_engineer", "乙")
    assert names(staff(["storage_engineer"], team, ["other"], "x", today=TODAY))[1] == ("storage_engineer", "甲")


def test_load_is_balanced():
    team = [person("全能", ["network_engineer", "security_engineer", "test_engineer"], cases=["c1"]),
            person("网络", ["network_engineer"]), person("安全", ["security_engineer"]),
            person("测试", ["test_engineer"])]
    result = staff(["network_engineer", "security_engineer", "test_engineer"], team, ["c1"], "x", today=TODAY)
    per_person = [a.person.name for a in result[1:]]
    assert per_person.count("全能") <= MAX_ROLES and len(set(per_person)) >= 2


def test_a_role_named_twice_gets_two_people():
    team = [person("一", ["implementation_engineer"]), person("二", ["implementation_engineer"])]
    result = staff(["implementation_engineer", "implementation_engineer"], team, [], "x", today=TODAY)
    assert {a.person.name for a in result[1:]} == {"一", "二"}
    alone = staff(["implementation_engineer"] * 2, team[:1], [], "x", today=TODAY)
    assert names(alone)[1:] == [("implementation_engineer", "一"), ("implementation_engineer", None)]


def test_a_role_nobody_fits_is_left_open():
    result = staff(["dba", "trainer"], [person("林静", ["dba"])], [], "x", today=TODAY)
    assert names(result)[1:] == [("dba", "林静"), ("trainer", None)]
    assert unfilled(result) == ["trainer"]
    assert PLACEHOLDER == {"zh": "【待指定】", "en": "[TO ASSIGN]"}


def test_only_valid_certificates_are_listed():
    old = Certificate("PMP", "1", dt.date(2020, 1, 1))
    valid = Certificate("PRINCE2", "2", dt.date(2030, 1, 1))
    lifelong = Certificate("高级项目管理师", "3", None)
    [_, manager] = staff(["project_manager"], [person("王", ["project_manager"], certificates=[old, valid, lifelong])],
                         [], "x", today=TODAY)
    assert [c.name for c in manager.certificates] == ["PRINCE2", "高级项目管理师"]


def test_english_clients_get_english_speakers_when_there_are_some():
    team = [person("周", ["storage_engineer"], cases=["c"], years=15),
            person("Jay", ["storage_engineer"], languages=["zh", "en"])]
    assert names(staff(["storage_engineer"], team, ["c"], "x", today=TODAY, language="en"))[1][1] == "Jay"
    assert names(staff(["storage_engineer"], team[:1], ["c"], "x", today=TODAY, language="en"))[1][1] == "周"


def test_the_bundled_team_staffs_the_example_clients():
    team = load_company().team
    roles = ["project_manager", "solution_architect", "storage_engineer", "backup_engineer", "network_engineer",
             "security_engineer", "dba", "implementation_engineer", "test_engineer", "trainer", "service_manager"]
    bank = staff(roles, team, ["bank-active-active-2024", "rural-bank-backup-2023"], "张伟", today=TODAY)
    assert not unfilled(bank) and bank[0].person.title == "售前技术总监"
    assert dict(names(bank))["storage_engineer"] == "周杰"  # delivered both cited cases
    logistics = staff(roles, team, ["port-sdwan-2024"], "Alex Chen", today=TODAY, language="en")
    assert logistics[0].person.name == "陈子航" and logistics[0].person.label("en") == "Alex Chen"
    assert staff(roles, team, [], "张伟", today=TODAY) == staff(roles, list(reversed(team)), [], "张伟", today=TODAY)
