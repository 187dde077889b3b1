"""The 行业客户需求分析表 and the summary `requirements check` prints."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from docgen.core.errors import InputError, OutputExistsError
from docgen.core.synonyms import load_synonyms
from docgen.intake.analysis import analyze, demo, example_files, write_analysis
from docgen.intake.models import (
    Client,
    Competitor,
    Contact,
    Requirement,
    RequirementsFile,
)
from docgen.intake.requirements import load_requirements, summarize


def client_file(name, industry, reqs, **client):
    return RequirementsFile(
        client=Client(name=name, industry=industry, presales_owner="张伟", **client),
        requirements=tuple(Requirement(id=f"R{i}", text=t, category=c, priority=p, tags=tags)
                           for i, (c, t, p, tags) in enumerate(reqs, start=1)),
        source=f"{name}.yaml",
    )


BANK_A = client_file("A银行", "finance", [("灾备", "双活", "must", ("dr",)), ("备份", "每日备份", "should", ("backup",))])
BANK_B = client_file("B银行", "finance", [("灾备", "异地灾备", "must", ("dr",)), ("灾备", "演练", "could", ()),
                                         ("安全", "等保三级", "must", ("security",))])
HOSPITAL = client_file("C医院", "healthcare", [("存储", "影像扩容", "must", ("storage", "pacs")),
                                              ("Backup", "备份", "should", ("backup",))])


def test_counts_clients_and_must_haves_per_industry():
    analysis = analyze([BANK_A, BANK_B, HOSPITAL])
    finance, healthcare = analysis.industries
    assert (finance.industry, finance.clients, finance.requirement_count, finance.must_count) == (
        "finance", ("A银行", "B银行"), 5, 3)
    dr = next(row for row in finance.rows if row.kind == "category" and row.name == "灾备")
    assert (dr.clients, dr.requirement_count, dr.must_count) == (("A银行", "B银行"), 3, 2)
    assert dr.examples[:2] == ("双活 (A银行)", "异地灾备 (B银行)")  # must-haves first
    assert finance.rows[0] is dr  # most clients first
    tags = {row.name: row for row in finance.rows if row.kind == "tag"}
    assert (tags["dr"].clients, tags["security"].must_count) == (("A银行", "B银行"), 1)
    assert healthcare.clients == ("C医院",)


def test_categories_differing_in_case_are_one_need_and_twins_count_once():
    clinic = client_file("F诊所", "healthcare", [("backup", "nightly", "must", ())])
    analysis = analyze([HOSPITAL, clinic, HOSPITAL])
    assert analysis.duplicates == ("C医院.yaml",)
    backup = next(row for row in analysis.categories if row.name.casefold() == "backup")
    assert (backup.name, backup.clients, backup.requirement_count, backup.must_count) == (
        "Backup", ("C医院", "F诊所"), 2, 1)


def test_workbook_has_overview_chart_and_one_sheet_per_industry(tmp_path):
    paths = example_files()
    out, analysis = write_analysis(paths, tmp_path / "table.xlsx")
    book = openpyxl.load_workbook(out)
    industries = sorted(load_requirements(p).client.industry for p in paths)
    assert book.sheetnames[0] == "Overview 总览"
    assert sorted(name.split()[0] for name in book.sheetnames[1:]) == industries
    assert len(book["Overview 总览"]._charts) == 1
    finance = book["finance 金融"]
    header = [c.value for c in finance[3]]
    assert header[:3] == ["kind 类型", "name 名称", "clients asking 提出客户数"]
    rows = {(r[0].value, r[1].value): [c.value for c in r] for r in finance.iter_rows(min_row=4)}
    dr = rows[("category 类别", "灾备")]
    assert dr[2] == 1 and dr[3] == 3 and dr[4] == 2
    assert "同城双活" in dr[6] and dr[7] == "华东某城市商业银行"


def test_analysis_gathers_problems_of_every_file(tmp_path):
    bad1, bad2 = tmp_path / "a.yaml", tmp_path / "b.yaml"
    bad1.write_text("client: {name: x}\nrequirements: []\n", encoding="utf-8")
    bad2.write_text("not: [valid\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        write_analysis([bad1, bad2], tmp_path / "out.xlsx")
    files = {p.where.file for p in info.value.problems}
    assert files == {str(bad1), str(bad2)}
    assert not (tmp_path / "out.xlsx").exists()


def test_existing_output_is_kept_without_force(tmp_path):
    out = tmp_path / "table.xlsx"
    out.write_bytes(b"keep")
    with pytest.raises(OutputExistsError):
        write_analysis(example_files(), out)
    assert out.read_bytes() == b"keep"
    write_analysis(example_files(), out, force=True)
    assert openpyxl.load_workbook(out).sheetnames[0] == "Overview 总览"


def test_demo_writes_form_and_table(tmp_path):
    paths = demo(tmp_path / "demo")
    assert [p.name for p in paths] == ["intake-form-zh.xlsx", "requirements-analysis.xlsx"]
    assert openpyxl.load_workbook(paths[0]).sheetnames[1:] == ["Client", "Requirements", "Competitors", "Contacts"]


# --- summary ----------------------------------------------------------------------

def test_summary_counts_and_warnings():
    req = client_file("D公司", "other", [("灾备", "x", "should", ()), ("灾备", "y", "could", ()), ("网络", "z", "should", ())],
                      deadline=dt.date(2026, 11, 1))
    summary = summarize(req, today=dt.date(2026, 11, 27))
    assert summary.by_priority == (("must", 0), ("should", 2), ("could", 1))
    assert summary.by_category == (("灾备", 2, 0), ("网络", 1, 0))
    assert len(summary.warnings) == 4
    assert any("no must-have" in w for w in summary.warnings)
    assert any("deadline 2026-11-01 has passed" in w for w in summary.warnings)
    assert any("no client contact" in w for w in summary.warnings)


def test_summary_of_a_complete_file_has_no_warnings():
    req = RequirementsFile(
        client=Client(name="E", industry="finance", presales_owner="张伟", deadline=dt.date(2027, 1, 1),
                      contacts=(Contact(name="王主任"),)),
        requirements=(Requirement(id="R1", text="x", category="灾备", priority="must"),),
        competitors=(Competitor(name="某友商"),),
    )
    assert summarize(req, today=dt.date(2026, 11, 27)).warnings == ()


# --- synonyms ---------------------------------------------------------------------

MIXED = [
    client_file("A银行", "finance", [("灾备", "同城双活", "must", ("容灾",)), ("备份", "每日备份", "should", ("backup",))]),
    client_file("B银行", "finance", [("容灾", "异地灾备", "must", ("disaster-recovery",)), ("存储", "扩容", "could", ())]),
    client_file("North Bank", "finance", [("Disaster recovery", "RPO 15 min", "must", ("DR", "disaster recovery")),
                                          ("Backup", "Nightly backup", "must", ()),
                                          ("Storage", "All-flash", "should", ("storage",))]),
]


def synonyms_file(tmp_path):
    path = tmp_path / "synonyms.yaml"
    path.write_text("groups:\n  - [容灾, 灾备, disaster recovery, dr]\n  - [备份, backup]\n  - [存储, storage]\n",
                    encoding="utf-8")
    return load_synonyms(path)


def test_synonym_categories_are_one_need_named_in_the_analysis_language(tmp_path):
    synonyms = synonyms_file(tmp_path)
    zh = {row.name: row for row in analyze(MIXED, synonyms, "zh").categories}
    assert set(zh) == {"灾备", "备份", "存储"}  # 灾备 and 容灾 tie: the first one written is shown
    assert (zh["灾备"].clients, zh["灾备"].requirement_count, zh["灾备"].must_count) == (
        ("A银行", "B银行", "North Bank"), 3, 3)
    assert zh["备份"].clients == ("A银行", "North Bank") and zh["存储"].requirement_count == 2
    en = {row.name: row for row in analyze(MIXED, synonyms, "en").categories}
    assert set(en) == {"Disaster recovery", "Backup", "Storage"}
    assert en["Disaster recovery"].clients == zh["灾备"].clients


def test_synonym_tags_count_a_requirement_once(tmp_path):
    synonyms = synonyms_file(tmp_path)
    finance = analyze(MIXED, synonyms, "en").industries[0]
    tags = {row.name: row for row in finance.rows if row.kind == "tag"}
    # 容灾, disaster-recovery, DR and "disaster recovery": one tag (English spellings tie: the first written);
    # North Bank's requirement carries two of them and counts once
    assert tags["disaster-recovery"].requirement_count == 3
    assert tags["disaster-recovery"].clients == ("A银行", "B银行", "North Bank")
    assert set(tags) == {"disaster-recovery", "backup", "storage"}
    # a Chinese-only group shown in English falls back to the group's English word
    zh_only = [client_file("C银行", "finance", [("备份", "x", "must", ())])]
    assert analyze(zh_only, synonyms, "en").categories[0].name == "Backup"


def test_bundled_synonyms_merge_the_example_clients(tmp_path):
    out, _ = write_analysis(example_files(), tmp_path / "table.xlsx", language="en")
    overview = openpyxl.load_workbook(out)["Overview 总览"]
    names = [row[1].value for row in overview.iter_rows() if row[0].value == "category 类别"]
    assert {"Backup", "Storage", "Disaster recovery", "Security", "Network", "Cloud"} <= set(names)
    assert not {"备份", "存储", "灾备", "安全", "网络", "云平台"} & set(names)
    assert len(names) == len({n.casefold() for n in names})
    zh, _ = write_analysis(example_files(), tmp_path / "zh.xlsx")
    names = [row[1].value for row in openpyxl.load_workbook(zh)["Overview 总览"].iter_rows()
             if row[0].value == "category 类别"]
    assert {"灾备", "备份", "存储"} <= set(names) and not {"Backup", "Storage", "Disaster recovery"} & set(names)


def test_missing_synonyms_file_is_named(tmp_path):
    with pytest.raises(InputError, match="synonyms file not found") as info:
        write_analysis(example_files(), tmp_path / "t.xlsx", synonyms=tmp_path / "nope.yaml")
    assert info.value.problems[0].where.file == str(tmp_path / "nope.yaml")
