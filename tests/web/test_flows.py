"""The pages' other flows over HTTP: blank packets and workbooks, matching, brief, bad requirements, release."""

from __future__ import annotations

import io
import zipfile

from docgen.core.docprops import read_stamp


def _docx_kind(data: bytes, tmp_path) -> str:
    path = tmp_path / "out.docx"
    path.write_bytes(data)
    return read_stamp(path).get("kind", "")


def test_hr_downloads_a_blank_packet_and_a_score_workbook(server, tmp_path):
    hr = server.login("hr")
    blank = hr.post("/review/blank", {"role": "presales-engineer", "lang": "en", "format": "docx"})
    assert blank.status_code == 200
    assert "review-blank-presales-engineer-en.docx" in blank.headers["content-disposition"]
    assert zipfile.ZipFile(io.BytesIO(blank.content)).getinfo("word/document.xml")
    workbook = hr.post("/review/scoresheet", {"role": "presales-engineer"})
    assert workbook.status_code == 200 and "scores-presales-engineer.xlsx" in workbook.headers["content-disposition"]
    from openpyxl import load_workbook

    assert "Scores" in load_workbook(io.BytesIO(workbook.content)).sheetnames
    unknown = hr.post("/review/blank", {"role": "../../etc/passwd", "format": "docx"})
    assert unknown.status_code == 400 and "未知角色" in unknown.text


def test_sales_matches_a_clients_requirements(server, example_requirements):
    sales = server.login("sales")
    with open(example_requirements, "rb") as fh:
        answer = sales.post("/cases/match", files={"requirements": ("bank.yaml", fh)})
    assert answer.status_code == 200
    assert "华东某城市商业银行" in answer.text and "bank-active-active-2024" in answer.text


def test_requirements_with_mistakes_are_listed_with_their_lines(server):
    presales = server.login("presales")
    bad = "client:\n  name: 某客户\n  industry: bakery\nrequirements:\n  - id: R1\n    text: 备份\n    priority: urgent\n"
    answer = presales.post("/proposals/requirements", files={"requirements": ("client.yaml", bad.encode())})
    assert answer.status_code == 400
    assert "client.yaml" in answer.text and "bakery" in answer.text and "urgent" in answer.text
    assert "<th>行号</th>" in answer.text  # YAML problems carry their line


def test_presales_gets_the_internal_brief_and_a_brief_is_never_released(server, example_requirements, tmp_path):
    presales = server.login("presales")
    with open(example_requirements, "rb") as fh:
        answer = presales.post("/proposals/brief", files={"requirements": ("bank.yaml", fh)})
    job = presales.wait(answer.headers["location"])
    assert job["state"] == "done", job
    brief = presales.get(job["download"]).content
    assert _docx_kind(brief, tmp_path) == "brief"
    check = presales.post("/proposals/check", files={"draft": ("brief.docx", brief)})
    assert check.status_code == 200 and "内部文档" in check.text
    release = presales.post("/proposals/release", files={"draft": ("brief.docx", brief)})
    assert release.status_code == 400 and "草稿不得发出" in release.text and "内部文档" in release.text


def test_a_draft_built_elsewhere_needs_its_requirements(server, example_requirements, tmp_path):
    from docgen.api import build_proposal

    draft = build_proposal(example_requirements, "intro", tmp_path / "draft.docx")
    presales = server.login("presales")
    alone = presales.post("/proposals/check", files={"draft": ("draft.docx", draft.read_bytes())})
    assert alone.status_code == 400 and "请同时上传它的需求文档" in alone.text
    with open(example_requirements, "rb") as fh:
        both = presales.post("/proposals/check", files={"draft": ("draft.docx", draft.read_bytes()),
                                                       "requirements": ("bank.yaml", fh)})
    assert both.status_code == 200 and "审核" in both.text


def test_a_job_of_another_role_is_forbidden_and_admin_sees_it(server, example_scores):
    hr = server.login("hr")
    with open(example_scores, "rb") as fh:
        answer = hr.post("/review/fill", {"role": "presales-engineer"}, files={"workbook": ("s.xlsx", fh)})
    job = hr.wait(answer.headers["location"])
    assert server.login("presales").get(job["download"]).status_code == 403
    assert server.login("admin").get(job["download"]).status_code == 200


def test_a_case_page_renders_its_markdown_tables_and_no_raw_html(server):
    page = server.login("sales").get("/cases/bank-active-active-2024").text
    assert "<table>" in page and "<th>指标</th>" in page and "|---|" not in page
