"""Company knowledge (docgen.proposal.company): the bundled defaults, overrides part by part, every problem placed."""

from __future__ import annotations

import datetime as dt
import shutil
import struct
from pathlib import Path

import openpyxl
import pytest

from docgen.casebook.cases import load_casebook
from docgen.core.config import Settings, bundled_path
from docgen.core.errors import InputError, Problems
from docgen.proposal import build_company
from docgen.proposal.company import (
    ROLES,
    company_paths,
    credentials_for,
    expired,
    load_company,
    load_credentials,
    load_team,
    read_company,
)
from docgen.proposal.pricebook import CATEGORIES, load_pricebook

TODAY = dt.date(2026, 12, 2)
BUNDLED = bundled_path("templates") / "company"
IMAGE = BUNDLED / "credentials" / "images" / "iso9001.png"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), path
    return struct.unpack(">II", data[16:24])


def own_templates(tmp_path: Path, **parts: str) -> Settings:
    """A company templates folder holding the given parts (team=…, service=… as YAML text)."""
    folder = tmp_path / "templates" / "company"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in parts.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return Settings(templates_dir=tmp_path / "templates")


def credential_folder(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "templates" / "company" / "credentials"
    (folder / "images").mkdir(parents=True, exist_ok=True)
    shutil.copy(IMAGE, folder / "images" / "cert.png")
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


# --- the bundled, fictional company -----------------------------------------------------------------------

def test_bundled_company_loads_with_every_part():
    company = load_company()
    assert len(company.team) >= 12 and len(company.credentials) >= 10
    assert 35 <= len(company.pricebook.items) <= 50
    assert [level.severity for level in company.service.levels] == [1, 2, 3, 4]
    assert company.bundled == ("team", "credentials", "pricebook", "service")
    assert {item.category for item in company.pricebook.items} == set(CATEGORIES)
    assert not expired(company, TODAY)


def test_bundled_team_is_plausible():
    company = load_company()
    known_cases = {case.id for case in load_casebook(bundled_path("casebook"))}
    for person in company.team:
        assert set(person.roles) <= set(ROLES), person.name
        assert set(person.cases) <= known_cases, person.name
        assert person.certificates, person.name
    covered = {role for person in company.team for role in person.roles}
    assert covered == set(ROLES)
    assert sum("en" in person.languages for person in company.team) >= 3
    # The presales owners of the bundled example clients are on the team.
    assert all(any(p.is_named(owner) for p in company.team) for owner in ("张伟", "刘洋", "Alex Chen"))


def test_bundled_credential_images_are_small_pngs():
    for credential in load_company().credentials:
        width, height = png_size(credential.image)
        assert 400 <= width <= 1200 and 300 <= height <= 900, credential.id
        assert credential.image.stat().st_size < 60_000, credential.id
        assert credential.image.resolve().is_relative_to((BUNDLED / "credentials").resolve())


def test_committed_pricebook_is_what_the_builder_writes(tmp_path):
    built = build_company.build(tmp_path)

    def values(path):
        book = openpyxl.load_workbook(path)
        return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets}

    assert values(BUNDLED / "pricebook.xlsx") == values(built)
    loaded = load_pricebook(built)
    assert [(i.code, i.list_price, i.cost) for i in loaded.items] == [
        (row["code"], row["list_price"], row["cost"]) for row in build_company.rows()]


def test_cost_is_below_list_price_and_codes_are_unique():
    items = load_pricebook(BUNDLED / "pricebook.xlsx").items
    assert len({i.code for i in items}) == len(items)
    assert all(0 < i.cost < i.list_price for i in items)
    assert all(i.name_en and i.brand_en and i.unit_en for i in items)  # English quotes print no Chinese
    item = next(i for i in items if i.code == "STOR-AFA-H5000")
    assert (item.brand_in("en"), item.unit_in("en"), item.brand_in("zh"), item.unit_in("zh")) == (
        "HuaCun", "unit", "华存", "台")


# --- a company's own folder replaces the defaults part by part ---------------------------------------------

TEAM = """\
people:
  - name: 李雷
    title: 项目经理
    roles: [project_manager]
    years: 9
    certificates:
      - {name: PMP, number: "0012", valid_until: 2020-01-31}
"""


def test_own_team_replaces_the_bundled_team_only(tmp_path):
    settings = own_templates(tmp_path, team=TEAM)
    company = load_company(settings)
    assert [p.name for p in company.team] == ["李雷"]
    assert company.bundled == ("credentials", "pricebook", "service")
    assert company_paths(settings)["team"] == (tmp_path / "templates" / "company" / "team.yaml", False)
    assert len(company.credentials) == len(load_company().credentials)


def test_company_check_warns_of_half_width_punctuation_in_own_files_and_sections(tmp_path):
    from docgen.proposal.company_check import check_company

    settings = own_templates(tmp_path, team=TEAM.replace("title: 项目经理", "title: 项目经理(交付)"))
    sections = tmp_path / "templates" / "proposal" / "sections"
    sections.mkdir(parents=True)
    (sections / "mine.md").write_text("---\nid: mine-zh\ntitle: 自有章节\ncategories: [备份]\nstages: [solution]\n"
                                      "language: zh\nsummary: 我们的备份方案\n---\n说明:每日备份。\n", encoding="utf-8")
    report = check_company(settings, TODAY)
    assert [(p.warning, p.where.file, p.where.line) for p in report.warnings] == [
        (True, str(sections / "mine.md"), 9), (True, str(tmp_path / "templates" / "company" / "team.yaml"), 3)]
    assert "use （ ）" in str(report.warnings[1])


def test_own_credentials_folder_replaces_all_bundled_credentials(tmp_path):
    credential_folder(tmp_path, mine="name: 自有资质\nnumber: X-1\nissuer: 某机构\nvalid_until: 2030-01-01\n"
                                     "image: images/cert.png\n")
    company = load_company(Settings(templates_dir=tmp_path / "templates"))
    assert [c.id for c in company.credentials] == ["mine"]  # no fictional certificate mixes in


def test_expired_certificates_are_listed_and_never_offered(tmp_path):
    credential_folder(tmp_path,
                      old="name: 过期证书\nnumber: OLD-1\nissuer: 某机构\nvalid_until: 2024-12-31\n"
                          "image: images/cert.png\n",
                      new="name: 有效证书\nnumber: NEW-1\nissuer: 某机构\nvalid_until: 2030-12-31\n"
                          "image: images/cert.png\n")
    settings = own_templates(tmp_path, team=TEAM)
    company = load_company(settings)
    found = {(e.name, e.holder, e.valid_until) for e in expired(company, TODAY)}
    assert found == {("过期证书", "", dt.date(2024, 12, 31)), ("PMP", "李雷", dt.date(2020, 1, 31))}
    [old] = [e for e in expired(company, TODAY) if e.name == "过期证书"]
    assert old.where.file.endswith("old.yaml") and old.where.field == "valid_until"
    assert [c.id for c in credentials_for(company, "finance", [], TODAY)] == ["new"]
    assert expired(company, dt.date(2024, 12, 31)) != [] and len(expired(company, dt.date(2019, 1, 1))) == 0


def test_credentials_for_a_client_follow_industry_and_tags():
    company = load_company()
    bank = {c.id for c in credentials_for(company, "金融", ["灾备", "backup"], TODAY)}
    hospital = {c.id for c in credentials_for(company, "healthcare", ["network"], TODAY)}
    assert {"fintech-award", "dr-service", "iso9001", "iso27001"} <= bank
    assert "healthcare-award" not in bank and "yunling-partner" not in bank
    assert {"healthcare-award", "yunling-partner"} <= hospital and "fintech-award" not in hospital


# --- every problem, with its place ------------------------------------------------------------------------

def test_team_problems_name_line_and_field(tmp_path):
    path = tmp_path / "team.yaml"
    path.write_text("people:\n  - name: 王五\n    roles: [project_manager, wizard]\n    years: ten\n"
                    "    certificates:\n      - {name: PMP, valid_until: 31/12/2030}\n"
                    "  - name: 王五\n    title: 工程师\n    roles: [dba]\n    years: 3\n    hobby: chess\n",
                    encoding="utf-8")
    problems = Problems()
    assert [p.title for p in load_team(path, problems)] == ["工程师"]  # the valid one of the two
    text = [str(p) for p in problems.items]
    assert any("line 2" in t and "people[0].title" in t and "is required" in t for t in text)
    assert any("line 3" in t and "people[0].roles" in t and "'wizard'" in t for t in text)
    assert any("line 4" in t and "people[0].years" in t and "'ten'" in t for t in text)
    assert any("line 6" in t and "certificates[0].number" in t for t in text)
    assert any("certificates[0].valid_until" in t and "2028-06-30" in t for t in text)
    assert [str(p) for p in problems.warnings] == [f"{path}, line 11, field people[1].hobby: unknown field; "
                                                   "known fields: name, name_en, title, title_en, roles, years, "
                                                   "languages, cases, certificates"]


def test_credential_problems_name_file_and_field(tmp_path):
    folder = credential_folder(
        tmp_path,
        url="name: A\nnumber: '1'\nissuer: B\nimage: https://example.com/a.png\n",
        missing="name: A\nnumber: '1'\nissuer: B\nimage: images/nope.png\nindustries: [banking]\n",
        outside="name: A\nnumber: '1'\nissuer: B\nimage: ../../../etc/passwd\nkind: trophy\n",
        fake="name: A\nnumber: '1'\nissuer: B\nimage: images/fake.png\n")
    (folder / "images" / "fake.png").write_bytes(b"GIF89a not a png")
    problems = Problems()
    assert load_credentials(folder, problems) == ()
    text = "\n".join(str(p) for p in problems.errors)
    assert "url.yaml, line 4, field image: 'https://example.com/a.png': name a PNG or JPEG file" in text
    assert "missing.yaml, line 4, field image: image file" in text and "does not exist" in text
    assert "missing.yaml, line 5, field industries: unknown industry 'banking'" in text
    assert "outside.yaml, line 4, field image" in text and "outside.yaml, line 5, field kind" in text
    assert "fake.png is neither PNG nor JPEG" in text


def test_all_parts_are_reported_at_once(tmp_path):
    settings = own_templates(tmp_path, team="people: []\n",
                             service="service_hours: 5×8\nwarranty_years: 3\nlevels:\n"
                                     "  - {severity: 1, name: 紧急, response_minutes: 15, resolution_hours: 4}\n")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["code 编码", "name 名称", "unit 单位", "list_price 单价", "cost 成本", "category 类别"])
    sheet.append(["STOR-1", "阵列", "台", 100, 80, "storage"])
    sheet.append(["STOR-1", "重复", "台", 100, 80, "storage"])
    sheet.append(["net 2", "交换机", "台", "abc", -5, "toys"])
    book.save(tmp_path / "templates" / "company" / "pricebook.xlsx")
    with pytest.raises(InputError) as caught:
        load_company(settings)
    text = "\n".join(map(str, caught.value.problems))
    assert "team.yaml, line 1, field people: list at least one person" in text
    assert "service.yaml, line 3, field levels: expected one level for each severity 1, 2, 3 and 4" in text
    assert "sheet Sheet, row 3, column A, field code: code STOR-1 is also used in row 2" in text
    assert "row 4, column A, field code: 'net 2'" in text
    assert "row 4, column D, field list_price: 'abc' is not a number" in text
    assert "row 4, column E, field cost: '-5'" in text
    assert "row 4, column F, field category: unknown category 'toys'" in text


def test_a_pricebook_without_required_columns_says_which(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["code 编码", "name 名称", "price 价格"])
    book.save(tmp_path / "p.xlsx")
    problems = Problems()
    load_pricebook(tmp_path / "p.xlsx", problems)
    assert any("missing column(s) unit, list_price, cost, category" in str(p) for p in problems.errors)
    assert any("unknown column 'price 价格'" in str(p) for p in problems.warnings)


def test_read_company_gathers_instead_of_raising(tmp_path):
    problems = Problems()
    company = read_company(own_templates(tmp_path, service="levels: 3\n"), problems)
    assert company.service.levels == () and problems.errors
    assert len(company.team) >= 12  # the other parts still load
