"""Complete proposals: 配置清单, a dated Gantt, a named team, the SLA table and credentials, all traced to the company folder."""

from __future__ import annotations

import re
import shutil
import zipfile

from docgen.core.config import bundled_path
from docgen.proposal.pricebook import load_pricebook
from tests.helpers.docs import docx_tables, docx_text
from tests.proposal.test_build import run

BANK = bundled_path("requirements_forms") / "example-bank-zh.yaml"


def table(path, first_header: str):
    return next(t for t in docx_tables(path) if t[0][0] == first_header)


def build(req, stage, out, *extra):
    result = run(*extra, "proposal", "build", req, "--stage", stage, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def test_detailed_draft_has_every_part_and_no_price(tmp_path):
    draft = build(BANK, "detailed", tmp_path / "d.docx")
    bom = table(draft, "序号")
    codes = {row[3] for row in bom[1:]}
    assert len(bom) > 10 and "HC-A5000" in codes
    assert all(row[4].isdigit() for row in bom[1:])
    gantt = [t for t in docx_tables(draft) if t[0][0] == "阶段" and t[0][1:3] == ["52", "53"]][0]
    assert [row[0] for row in gantt[1:]] == ["调研评估", "方案设计", "实施部署", "测试验证", "上线移交"]
    milestones = [t for t in docx_tables(draft) if t[0][:3] == ["阶段", "开始", "里程碑（完成）"]][0]
    assert milestones[1][1] == "2026年12月21日"  # the first Monday after the 2026-12-20 deadline
    team = table(draft, "角色")
    assert team[1][:2] == ["售前负责人", "张伟"] and "【待指定】" not in str(team)
    sla = table(draft, "级别")
    assert sla[1][2] == "15 分钟"
    credentials = table(draft, "证书")
    assert len(credentials) > 3
    with zipfile.ZipFile(draft) as package:  # the diagram and one picture per credential, inside the document
        assert len([n for n in package.namelist() if n.startswith("word/media/docgen-")]) == len(credentials)
    with zipfile.ZipFile(draft) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert 'w:fill="2F5597"' in xml  # shaded Gantt weeks
    text = docx_text(draft)
    pricebook = load_pricebook(bundled_path("templates") / "company" / "pricebook.xlsx")
    for row in bom[1:]:
        item = next(i for i in pricebook.items if i.model == row[3])
        for value in (item.list_price, item.cost):  # digits short enough to be a model number are no evidence
            shown = [f"{value:,.0f}"] * (value >= 1000) + [f"{value:.0f}"] * (value >= 100_000)
            assert not [v for v in shown if v in text], (row, shown)
    assert "单价" not in text and "毛利" not in text


def test_intro_has_no_price_list_schedule_or_team(tmp_path):
    intro = build(BANK, "intro", tmp_path / "i.docx")
    assert not [t for t in docx_tables(intro) if t[0][0] in ("序号", "角色", "级别")]


def test_a_role_nobody_fits_is_a_placeholder_the_check_refuses(tmp_path):
    company = tmp_path / "templates" / "company"
    shutil.copytree(bundled_path("templates") / "company", company)
    team = (company / "team.yaml").read_text(encoding="utf-8")
    (company / "team.yaml").write_text(team.replace("trainer", "implementation_engineer"), encoding="utf-8")
    (tmp_path / "docgen.toml").write_text('[docgen]\ntemplates = "templates"\n', encoding="utf-8")
    draft = build(BANK, "detailed", tmp_path / "d.docx", "--config", tmp_path / "docgen.toml")
    team_rows = {row[0]: row[1] for row in table(draft, "角色")[1:]}
    assert team_rows["培训讲师"] == "【待指定】"
    checked = run("proposal", "check", draft)
    assert checked.exit_code == 1 and "【待指定】" in checked.output


def test_an_expired_certificate_is_never_printed(tmp_path):
    company = tmp_path / "templates" / "company"
    shutil.copytree(bundled_path("templates") / "company", company)
    iso = company / "credentials" / "iso27001.yaml"
    text = iso.read_text(encoding="utf-8")
    iso.write_text(re.sub(r"valid_until: .*", "valid_until: 2020-01-31", text, count=1), encoding="utf-8")
    (tmp_path / "docgen.toml").write_text('[docgen]\ntemplates = "templates"\n', encoding="utf-8")
    draft = build(BANK, "detailed", tmp_path / "d.docx", "--config", tmp_path / "docgen.toml")
    assert "27001" not in " ".join(row[0] for row in table(draft, "证书"))
    assert run("--config", tmp_path / "docgen.toml", "company", "check").exit_code == 1
    checked = run("--config", tmp_path / "docgen.toml", "proposal", "check", draft)
    assert "27001" in checked.stderr and "expired on 2020-01-31" in checked.stderr


def test_plan_xlsx_carries_the_same_dates_as_the_draft(tmp_path):
    import openpyxl

    plan = tmp_path / "plan.xlsx"
    assert run("proposal", "plan", BANK, "-o", plan).exit_code == 0
    sheet = openpyxl.load_workbook(plan)["实施计划"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    draft = build(BANK, "detailed", tmp_path / "d.docx")
    milestones = [t for t in docx_tables(draft) if t[0][:3] == ["阶段", "开始", "里程碑（完成）"]][0]
    assert [r[0] for r in rows] == [m[0] for m in milestones[1:]]
    assert [f"{r[2].year}年{r[2].month}月{r[2].day}日" for r in rows] == [m[2] for m in milestones[1:]]


def test_the_architecture_diagram_is_a_picture_in_the_document_naming_the_selected_blocks(tmp_path):
    from docgen.proposal.build import prepare, stage_selection
    from docgen.proposal.complete import architecture_layers
    from docgen.proposal.diagram import architecture_dot

    draft = build(BANK, "solution", tmp_path / "s.docx")
    with zipfile.ZipFile(draft) as package:
        pictures = [n for n in package.namelist() if n.startswith("word/media/docgen-")]
        rels = package.read("word/_rels/document.xml.rels").decode("utf-8")
        png = package.read(pictures[0])
    assert len(pictures) == 1 and png.startswith(b"\x89PNG") and 'TargetMode="External"' not in rels.split("image")[0]
    assert "图 1 总体架构图" in docx_text(draft)
    layers = dict(architecture_layers(stage_selection(prepare(BANK), "solution")))
    assert "灾备与业务连续性方案" in layers["灾备"] and "存储架构方案" in layers["存储"]
    dot = re.sub(r"<BR[^>]*>", "", architecture_dot(list(layers.items()), [], "zh"))  # labels wrap between characters
    assert all(block in dot for blocks in layers.values() for block in blocks)


def test_start_sets_the_dates_of_draft_and_plan(tmp_path):
    import openpyxl

    result = run("proposal", "build", BANK, "--stage", "detailed", "-o", tmp_path / "d.docx", "--start", "2027-03-06")
    assert result.exit_code == 0, result.output
    milestones = [t for t in docx_tables(tmp_path / "d.docx") if t[0][:3] == ["阶段", "开始", "里程碑（完成）"]][0]
    assert milestones[1][1] == "2027年3月8日"  # a Saturday start moves to the Monday after
    assert run("proposal", "plan", BANK, "-o", tmp_path / "p.xlsx", "--start", "2027-03-06").exit_code == 0
    first = list(openpyxl.load_workbook(tmp_path / "p.xlsx")["实施计划"].iter_rows(min_row=2, values_only=True))[0]
    assert first[1].date().isoformat() == "2027-03-08"


def test_without_graphviz_the_draft_builds_and_says_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` anywhere
    draft = build(BANK, "solution", tmp_path / "s.docx")
    assert "【待补充 总体架构图" in docx_text(draft)
    checked = run("proposal", "check", draft)
    assert checked.exit_code == 1 and "总体架构图" in checked.output
