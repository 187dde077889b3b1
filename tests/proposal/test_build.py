"""`docgen proposal build|brief|plan|check|release` on the bundled examples and inline clients."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from lxml import etree
from click.testing import CliRunner

from docgen.cli import main
from docgen.core.config import bundled_path
from docgen.intake.requirements import load_requirements
from docgen.proposal.check import UNEARNED
from docgen.proposal.compliance import LABELS
from docgen.proposal.select import order_categories
from tests.helpers.docs import docx_paragraphs, docx_tables, docx_text

EXAMPLES = sorted(bundled_path("requirements_forms").glob("example-*.yaml"))
STAGES = ("intro", "solution", "detailed")
MARKS = {"zh": "草稿 · 未审核", "en": "DRAFT · NOT REVIEWED"}


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def build(req: Path, stage: str, out: Path) -> Path:
    result = run("proposal", "build", req, "--stage", stage, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def write_client(folder: Path, requirements: str, *, trust="medium", language="zh", competitors="") -> Path:
    path = folder / f"client-{trust}-{language}.yaml"
    path.write_text(
        "client:\n"
        "  name: 测试客户\n  industry: finance\n"
        f"  language: {language}\n  trust: {trust}\n"
        "  presales_owner: 张伟\n  deadline: 2026-12-20\n"
        "requirements:\n" + requirements + competitors,
        encoding="utf-8",
    )
    return path


REQS = """\
  - {id: R1, category: 灾备, text: 同城双活 RPO=0, priority: must, tags: [disaster-recovery]}
  - {id: R2, category: 备份, text: 每日备份保留 180 天, priority: should, tags: [backup]}
  - {id: R3, category: 安全, text: 等保三级测评, priority: must, tags: [security]}
  - {id: R4, category: 存储, text: 全闪存替换, priority: could, tags: [storage]}
"""


def headings(path: Path, level: int) -> list[str]:
    return [text for style, text in docx_paragraphs(path) if style == f"Heading {level}"]


def chapter(path: Path, title: str, level: int = 2) -> list[str]:
    """Headings of `level` inside the Heading 1 chapter `title`."""
    inside, found = False, []
    for style, text in docx_paragraphs(path):
        if style == "Heading 1":
            inside = text == title
        elif inside and style == f"Heading {level}":
            found.append(text)
    return found


# --- the bundled examples ------------------------------------------------------------

@pytest.fixture(scope="module")
def drafts(tmp_path_factory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("drafts")
    return {(req.stem, stage): build(req, stage, folder / f"{req.stem}-{stage}.docx")
            for req in EXAMPLES for stage in STAGES}


def test_there_are_bundled_examples_in_both_languages():
    languages = {load_requirements(p).client.language for p in EXAMPLES}
    assert len(EXAMPLES) >= 3 and languages == {"zh", "en"}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_must_have_is_in_the_detailed_matrix(drafts, example):
    req = load_requirements(example)
    matrix = docx_tables(drafts[(example.stem, "detailed")])
    [table] = [t for t in matrix if t[0][0] in ("编号", "ID")]
    rows = {row[0]: row for row in table[1:]}
    assert set(rows) == {r.id for r in req.requirements}
    for must in req.must_haves:
        assert rows[must.id][1] == must.text
        assert rows[must.id][4] in {*LABELS["zh"].values(), *LABELS["en"].values()}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_solution_sections_follow_priority_order_and_skip_absent_categories(drafts, example):
    req = load_requirements(example)
    lang = req.client.language
    expected = [name for name, _ in order_categories(req.requirements)]
    title = "解决方案" if lang == "zh" else "Proposed Solution"
    for stage in ("solution", "detailed"):
        assert chapter(drafts[(example.stem, stage)], title) == expected
    # a category the client did not ask for has no section (no catch-all)
    asked = " ".join(r.category + " " + " ".join(r.tags) for r in req.requirements).lower()
    text = docx_text(drafts[(example.stem, "detailed")])
    if "data" not in asked and "数据平台" not in asked:
        assert ("数据平台方案" if lang == "zh" else "Data Platform") not in text


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_draft_is_marked_and_names_the_owner(drafts, example):
    req = load_requirements(example)
    for stage in STAGES:
        path = drafts[(example.stem, stage)]
        document = docx.Document(str(path))
        assert all(MARKS[req.client.language] in s.header.paragraphs[0].text for s in document.sections)
        cover = docx_tables(path)[0]
        assert [req.client.presales_owner] in [row[1:] for row in cover]
        assert req.client.name in cover[0]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_detailed_has_more_than_solution_has_more_than_intro(drafts, example):
    lengths = [len(docx_text(drafts[(example.stem, s)])) for s in STAGES]
    assert lengths[0] < lengths[1] < lengths[2]
    detailed = headings(drafts[(example.stem, "detailed")], 1)
    intro = headings(drafts[(example.stem, "intro")], 1)
    assert len(intro) < len(detailed)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_no_competitor_or_internal_case_in_customer_drafts(drafts, example):
    from docgen.casebook.cases import load_casebook

    req = load_requirements(example)
    internal = [c.title for c in load_casebook(bundled_path("casebook")) if not c.external]
    assert req.competitors and internal  # the check below means something
    for stage in STAGES:
        text = docx_text(drafts[(example.stem, stage)])
        for name in [c.name for c in req.competitors] + internal:
            assert name not in text


# --- trust ---------------------------------------------------------------------------

def test_trust_changes_cases_and_credentials_placement(tmp_path):
    low = write_client(tmp_path, REQS, trust="low")
    high = write_client(tmp_path, REQS, trust="high")
    for stage in STAGES:
        low_doc = build(low, stage, tmp_path / f"low-{stage}.docx")
        high_doc = build(high, stage, tmp_path / f"high-{stage}.docx")
        low_cases, high_cases = chapter(low_doc, "参考案例"), chapter(high_doc, "参考案例")
        assert len(low_cases) > len(high_cases) >= 2
        if stage == "intro":
            assert 4 <= len(low_cases) <= 5 and 2 <= len(high_cases) <= 3
        else:
            assert 3 <= len(high_cases) and len(low_cases) <= 5
        low_order = [t for s, t in docx_paragraphs(low_doc) if s.startswith("Heading")]
        assert low_order.index("资质与荣誉") < low_order.index("对贵司需求的理解")
        high_order = [t for s, t in docx_paragraphs(high_doc) if s.startswith("Heading")]
        if stage == "detailed":  # only in the appendix, after the solution
            assert high_order.index("资质与荣誉") > high_order.index("解决方案")
        else:
            assert "资质与荣誉" not in high_order
        # trust high keeps the company part to one paragraph
        about = _chapter_text(high_doc, "关于我们")
        assert len([t for t in about if t.strip()]) == 1


def _chapter_text(path: Path, title: str) -> list[str]:
    inside, found = False, []
    for style, text in docx_paragraphs(path):
        if style == "Heading 1":
            inside = text == title
        elif inside:
            found.append(text)
    return found


# --- hostile text ------------------------------------------------------------------------

HOSTILE = ["R&D <Ltd> 研发部", "他说\"必须\"和'立即'", "表情 😀🚀 也要原样", "{{ 7*7 }} 与 {% if x %}", "长" * 600]


def test_hostile_requirement_text_appears_verbatim(tmp_path):
    lines = "".join(
        f"  - id: H{n}\n    category: 备份\n    priority: must\n    tags: [backup]\n    text: '{t.replace(chr(39), chr(39) * 2)}'\n"
        for n, t in enumerate(HOSTILE, start=1)
    )
    req = write_client(tmp_path, lines)
    path = build(req, "detailed", tmp_path / "hostile.docx")
    text = docx_text(path)
    for hostile in HOSTILE:
        assert hostile in text
    assert "49" not in text.replace("2026", "")
    matrix = [t for t in docx_tables(path) if t[0][0] == "编号"][0]
    assert [row[1] for row in matrix[1:]] == HOSTILE
    # client text that looks like template code is not mistaken for an unrendered tag
    checked = run("proposal", "check", path)
    assert "unrendered template tag" not in checked.output
    # what remains is honest: no library answer matches these texts, so each row is to answer
    kinds = {line.split("  ")[0] for line in checked.output.splitlines()[2:-1]}
    assert kinds <= {"compliance not earned", "placeholder left"}, checked.output


# --- placeholders, check, release --------------------------------------------------------

UNANSWERABLE = REQS + "  - {id: R7, category: 大型机迁移, text: z/OS 批处理迁移到开放平台, priority: must}\n"
COMPETITORS = "competitors:\n  - {name: 某友商甲, strengths: 价格低, weaknesses: 本地服务弱}\n"


def test_placeholders_block_the_draft_until_written_then_release_works(tmp_path):
    req = write_client(tmp_path, UNANSWERABLE, competitors=COMPETITORS)
    draft = build(req, "detailed", tmp_path / "draft.docx")
    text = docx_text(draft)
    assert "【待补充 R7：z/OS 批处理迁移到开放平台（负责人：张伟）】" in text

    result = run("proposal", "check", draft, "--requirements", req)
    assert result.exit_code == 1
    assert "placeholder left" in result.output and "R7" in result.output
    blocked = run("proposal", "release", draft, "-o", tmp_path / "final.docx", "--reviewer", "王审核")
    assert blocked.exit_code == 1 and not (tmp_path / "final.docx").exists()

    document = docx.Document(str(draft))
    for paragraph in _paragraphs(document):
        for run_ in paragraph.runs:
            # the writer answers every open row and the reviewer confirms each compliance
            if "【" in run_.text:
                run_.text = re.sub(r"【[^】]*】", "采用分批迁移方案。", run_.text)
            if run_.text.strip() in UNEARNED:
                run_.text = "满足"
    added = document.add_table(rows=4, cols=2)  # a table the writer adds in Word, with no layout settings
    added.cell(0, 0).text = "年份"
    document.save(str(draft))

    result = run("proposal", "check", draft, "--requirements", req)
    assert result.exit_code == 0, result.output
    released = run("proposal", "release", draft, "-o", tmp_path / "final.docx", "--reviewer", "王审核")
    assert released.exit_code == 0, released.output
    final = tmp_path / "final.docx"
    assert MARKS["zh"] not in docx_text(final)
    assert "采用分批迁移方案。" in docx_text(final)
    props = docx.Document(str(final)).core_properties
    assert props.last_modified_by == "王审核"
    assert dt.date.today().isoformat() in props.comments
    # the writer's own table keeps its rows whole and together like the generated ones
    rows = docx.Document(str(final)).tables[-1].rows
    assert rows[0].cells[0].text == "年份"
    assert all(row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    # the watermark goes with the header line; File › Info, read by a fresh process, names author and reviewer
    assert _watermarked(draft) and not _watermarked(final)
    code = ("import sys,json,docx;c=docx.Document(sys.argv[1]).core_properties;"
            "print(json.dumps([c.author,c.last_modified_by,c.modified.date().isoformat(),c.title]))")
    read = subprocess.run([sys.executable, "-c", code, str(final)], capture_output=True, text=True, check=True)
    author, reviewer, modified, title = json.loads(read.stdout)
    assert (author, reviewer, modified) == ("张伟", "王审核", dt.date.today().isoformat()) and title


def _watermarked(path: Path) -> bool:
    from docgen.core.watermark import has_watermark

    package = zipfile.ZipFile(path)
    return any(has_watermark(etree.fromstring(package.read(name)))
               for name in package.namelist() if name.startswith("word/header"))


def _paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def test_check_finds_leaks_tags_and_unaddressed_must_haves(tmp_path):
    req = write_client(tmp_path, REQS, competitors=COMPETITORS)
    draft = build(req, "intro", tmp_path / "intro.docx")
    assert run("proposal", "check", draft, "--requirements", req).exit_code == 0
    document = docx.Document(str(draft))
    document.add_paragraph("对比某友商甲,我们更好。")
    document.add_paragraph("{{ client.name }}")
    for paragraph in document.paragraphs:  # the must-have R3 disappears from the text
        for run_ in paragraph.runs:
            run_.text = run_.text.replace("R3", "")
    document.add_heading("空章节", level=1)
    document.save(str(draft))
    result = run("proposal", "check", draft, "--requirements", req)
    assert result.exit_code == 1
    for expected in ("competitor name leaked", "某友商甲", "unrendered template tag", "{{ client.name }}",
                     "must-have not addressed", "R3", "empty section", "空章节"):
        assert expected in result.output


def test_build_never_overwrites_without_force(tmp_path):
    req = write_client(tmp_path, REQS)
    out = build(req, "intro", tmp_path / "d.docx")
    again = run("proposal", "build", req, "--stage", "intro", "-o", out)
    assert again.exit_code == 2 and "--force" in again.output
    assert run("proposal", "build", req, "--stage", "intro", "-o", out, "--force").exit_code == 0


def test_bad_requirements_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("client:\n  name: X\nrequirements: []\n", encoding="utf-8")
    result = run("proposal", "build", bad, "--stage", "intro", "-o", tmp_path / "x.docx")
    assert result.exit_code == 2 and "bad.yaml" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.docx").exists()


# --- brief and plan ------------------------------------------------------------------------

def test_brief_names_competitors_gaps_and_is_marked_internal(tmp_path):
    req = write_client(tmp_path, UNANSWERABLE, competitors=COMPETITORS)
    out = tmp_path / "brief.docx"
    assert run("proposal", "brief", req, "-o", out).exit_code == 0
    text = docx_text(out)
    assert "某友商甲" in text and "本地服务弱" in text and "本地服务" in text
    assert "R7" in text and "z/OS 批处理迁移到开放平台" in text
    document = docx.Document(str(out))
    assert all("内部资料" in s.header.paragraphs[0].text for s in document.sections)
    competitors = [t for t in docx_tables(out) if t[0][0] == "竞争对手"][0]
    assert competitors[1][0] == "某友商甲"


def test_plan_has_a_row_per_section_with_owner_due_date_and_status(tmp_path):
    req = write_client(tmp_path, UNANSWERABLE)
    out = tmp_path / "plan.xlsx"
    assert run("proposal", "plan", req, "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[2]]
    assert header[:8] == ["序号", "章节", "对应需求", "内容来源", "来源说明", "负责人", "截止日期", "状态"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    sources = {row[3] for row in rows}
    assert {"方案库", "待补充", "案例"} <= sources
    placeholder = [row for row in rows if row[3] == "待补充"]
    assert placeholder[0][2] == "R7"
    # the writers come from company/team.yaml; the presales owner keeps the merge and the review
    *modules, merge, review = rows
    assert (merge[1], merge[5], review[1], review[5]) == ("合并与统稿", "张伟", "项目审核", "张伟")
    assert all(row[5] and row[5] != "张伟" for row in modules) and len({row[5] for row in modules}) > 1
    assert all(row[6] < merge[6] < review[6] for row in modules)
    assert review[6].date() < dt.date(2026, 12, 20)
    assert all(row[7] == "未开始" for row in rows)
    [validation] = sheet.data_validations.dataValidation
    assert "撰写中" in validation.formula1 and f"H{sheet.max_row}" in str(validation.sqref)


def test_demo_writes_every_stage_brief_and_plan_per_example(tmp_path):
    from docgen.proposal.demo import demo

    written = demo(tmp_path)
    assert len(written) == 9 * len(EXAMPLES) + 3 and all(p.is_file() for p in written)
    names = {p.name for p in written}
    assert names == {"intro.docx", "solution.docx", "detailed.docx", "brief.docx", "plan.xlsx", "check-detailed.txt",
                     "quote.xlsx", "quote-internal.xlsx", "quote.docx",
                     "client-sheet.xlsx", "requirements.yaml", "client-sheet-answered.xlsx"}
    # the demo shows the gate at work: the bank's detailed draft still has rows to answer or confirm
    check = (tmp_path / "proposal" / "example-bank-zh" / "check-detailed.txt").read_text(encoding="utf-8")
    assert "(exit 1)" in check and "compliance not earned" in check
    # the client's own sheet, answered in their columns
    answered = openpyxl.load_workbook(tmp_path / "proposal" / "client-sheet" / "client-sheet-answered.xlsx").active
    rows = {r[0]: r for r in answered.iter_rows(min_row=3, values_only=True) if r[1]}
    assert rows["1.2"][4] == "满足" and "300 公里" in rows["1.2"][3]
    assert rows["3.3"][4] == "待确认" and rows["3.3"][3].startswith("【待应答 3.3")


def test_xlsx_twin_gives_the_same_draft_content_as_yaml(tmp_path):
    yaml_draft = build(bundled_path("requirements_forms") / "example-bank-zh.yaml", "detailed", tmp_path / "y.docx")
    xlsx_draft = build(bundled_path("requirements_forms") / "example-bank-zh.xlsx", "detailed", tmp_path / "x.docx")
    assert docx_tables(yaml_draft)[1:] == docx_tables(xlsx_draft)[1:]  # the cover table holds today's date only


def test_a_casebook_with_nothing_relevant_leaves_no_empty_chapter(tmp_path):
    casebook = tmp_path / "casebook"
    casebook.mkdir()
    (casebook / "only.md").write_text(
        "---\nid: only\ntitle: 某面包店收银系统\nclient: 某面包店\nindustry: retail\ntags: [pos]\nyear: 2024\n"
        "language: zh\nexternal: true\nsummary: 收银\nowner: 张伟\nlast_reviewed: 2026-06-01\n---\n## 客户挑战\n收银慢。\n",
        encoding="utf-8")
    req = write_client(tmp_path, REQS)
    out = tmp_path / "d.docx"
    result = run("proposal", "build", req, "--stage", "solution", "-o", out, "--casebook", casebook)
    assert result.exit_code == 0, result.output
    assert "参考案例" not in headings(out, 1)
    assert run("proposal", "check", out, "--requirements", req, "--casebook", casebook).exit_code == 0
