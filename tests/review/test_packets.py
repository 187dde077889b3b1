"""Review packets as printed: exactly 14 pages, the right title on each, the employee's numbers in place."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import unicodedata
import zipfile

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn
from tests.helpers.docs import docx_tables, docx_text, needs_libreoffice, pdf_pages
from tests.helpers.review import ENGINEER, MANAGER, make_workbook, typical_row

from docgen.core.render import DocumentTemplate
from docgen.review.batch import FillOptions, blank, fill, template_path
from docgen.review.labels import label, page_title
from docgen.review.packet import TEMPLATE_VARIABLES, blank_context, fit_box

LONG_NAME = "欧阳司马上官诸葛长孙慕容皇甫东方独孤令狐宇文尉迟公孙轩辕夏侯"
# Too long for the box even at 8 pt, short enough for one continuation page.
LONG_COMMENT = ("该员工在本考核期内承担了多个重点客户的售前支持工作,方案质量稳定,但流程纪律需要加强。" * 20).strip()
# Too long for the box at 10 pt, fits at a smaller font.
SHRUNK_COMMENT = ("本期方案质量稳定,客户评价高,需加强复盘。" * 30).strip()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _long_row():
    return typical_row(
        ENGINEER, 7, name=LONG_NAME, department="华东大区金融行业事业部售前技术支持中心第三解决方案组(信创与灾备方向)",
        position="高级售前解决方案架构师(金融行业 · 灾备与数据中台 · R&D <交付>)", manager="上官婉儿(华东大区售前总监兼金融行业负责人)",
        period="2026 年度(上半年与下半年合并考核,含试用期转正评估)", adjustment_reason="主导重大项目赢单。" * 30,
        manager_comment=LONG_COMMENT,
    )


@pytest.fixture(scope="module")
def packets(tmp_path_factory, libreoffice):
    """Blank zh/en for both roles and two filled packets, converted in one LibreOffice run."""
    root = tmp_path_factory.mktemp("packets")
    docs = {}
    for role in (ENGINEER, MANAGER):
        for lang in ("zh", "en"):
            (docs[(role.id, lang)],) = blank(role, root / f"{role.id}-{lang}.docx", lang=lang)
    scores = make_workbook(root / "scores.xlsx", ENGINEER, [typical_row(ENGINEER, 1, name="张三丰"), _long_row(),
                                                            typical_row(ENGINEER, 8, manager_comment=SHRUNK_COMMENT),
                                                            typical_row(ENGINEER, 9, manager_comment=LONG_COMMENT * 3)])
    result = fill(scores, ENGINEER, root / "filled")
    docs["typical"], docs["long"], docs["shrunk"], docs["longer"] = result.packets
    english = fill(scores, ENGINEER, root / "filled-en", FillOptions(lang="en")).packets[1]
    docs[("filled", "en")] = english.rename(root / "long-en.docx")
    pdfs = libreoffice(list(docs.values()), jobs=2)
    return {key: (docx, pdf) for (key, docx), pdf in zip(docs.items(), pdfs)} | {"result": result}


@needs_libreoffice
@pytest.mark.parametrize("key", [("presales-engineer", "zh"), ("presales-engineer", "en"),
                                 ("presales-manager", "zh"), ("presales-manager", "en"), "typical", "shrunk",
                                 "long", ("filled", "en")])
def test_14_pages_with_the_expected_title_on_each_and_a_bare_cover(packets, key):
    lang = key[1] if isinstance(key, tuple) else "zh"
    role = MANAGER if key == ("presales-manager", lang) else ENGINEER
    count, pages = pdf_pages(packets[key][1])
    total = 15 if key in ("long", ("filled", "en")) else 14  # a text too long for its box adds the 附页
    assert count == total
    for n, text in enumerate(pages, start=1):
        # the cover carries the form title; page 15 is the continuation
        title = role.text("title", lang) if n == 1 else label("continuation", lang) if n == 15 else page_title(n, lang)
        assert _squash(title) in _squash(text), f"page {n}"
        footer = f"第{n}页共{total}页" if lang == "zh" else f"Page{n}of{total}"
        if n == 1:  # the cover has neither the running header (the period) nor the footer
            assert footer not in _squash(text) and "考核周期：____" not in _squash(text.split("绩效考核评估表")[0])
        else:
            assert footer in _squash(text), f"page {n} footer"
    assert (f"共{total}页" if lang == "zh" else f"{total}pages") in _squash(pages[0])


@needs_libreoffice
def test_filled_packet_shows_name_scores_subtotals_total_and_grade(packets):
    _, pages = pdf_pages(packets["typical"][1])
    person = packets["result"]
    assert "张三丰" in pages[0] and "E001" in pages[0]
    # typical_row(1): K scores weight - (1+i) % 3 -> 9 8 10 4 13 15 9 3; subtotal 71, behaviour 15.2, +1 -> 87.2 A
    kpi_table = next(t for t in docx_tables(packets["typical"][0]) if t[0][:2] == ["编号", "关键指标"] and "上级评分" in t[0])
    scores = {row[0]: row[7].split()[0] for row in kpi_table[1:9]}  # the score's first word; a rule note may follow
    assert scores == dict(zip(("K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8"), ("9", "8", "10", "4", "13", "15", "9", "3")))
    assert "71.00" in pages[3]
    assert "15.20" in pages[6]
    summary = _squash(pages[10])
    assert "71.00" in summary and "15.20" in summary and "+1" in summary and "87.20" in summary
    assert "☑A" in summary and "☐S" in summary
    assert "87.20" in pages[13] and "☑A" in _squash(pages[13])
    assert "☑ A" in pages[0].replace("☑A", "☑ A")
    assert person.packets[0].name == "E001_张三丰.docx"


@needs_libreoffice
def test_a_comment_too_long_for_its_box_continues_in_full_on_page_15(packets):
    docx, pdf = packets["long"]
    text = docx_text(docx)
    assert LONG_NAME in text and "R&D <交付>" in text
    _, pages = pdf_pages(pdf)
    box = _squash(pages[9])
    shown = re.search(r"该员工.*?……", box).group(0)
    assert _squash(LONG_COMMENT).startswith(shown[:-2]) and len(shown) < len(_squash(LONG_COMMENT))
    assert "见第15页附页" in box and f"全文共{len(LONG_COMMENT)}字" in box and "summary" not in box
    continuation = _squash(pages[14])
    assert "附页以下栏目" in continuation  # the page title, then its one-line introduction
    assert _squash(LONG_COMMENT) in continuation  # the whole comment, nothing cut
    assert _squash("主导重大项目赢单。" * 30) in continuation
    result = packets["result"]
    assert any("E007" in w and "manager_comment" in w and "page 15" in w and "15 pages" in w for w in result.warnings)
    book = openpyxl.load_workbook(result.summary)
    comments = {(r[0], r[2]): r[3] for r in book["Comments"].iter_rows(min_row=2, values_only=True)}
    assert comments[("E007", "manager_comment")] == LONG_COMMENT
    assert book["Comments"].row_dimensions[2].height >= 16 * 8  # printed whole, not cut to one line
    warnings = [r[0] for r in book["Warnings"].iter_rows(min_row=2, values_only=True)]
    assert any(w.startswith("E007") and "第 15 页附页" in w and "本册共 15 页" in w for w in warnings)
    pages_column = {r[0]: r[9] for r in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert pages_column == {"E001": 14, "E007": 15, "E008": 14, "E009": 16}


@needs_libreoffice
def test_a_continuation_of_two_pages_is_counted_alike_on_the_cover_in_the_footer_and_in_the_summary(packets):
    count, pages = pdf_pages(packets["longer"][1])
    assert count == 16
    assert "共16页" in _squash(pages[0]) and "第16页共16页" in _squash(pages[15])
    header = "示例科技有限公司·售前工程师绩效考核表考核周期：2026年度"
    continued = _squash(pages[14]).replace("第15页共16页", "") + _squash(pages[15]).replace(header, "")
    assert _squash(LONG_COMMENT * 3) in continued  # the whole comment, running on over the page break


@needs_libreoffice
def test_a_comment_a_little_too_long_gets_a_smaller_font_and_stays_whole_on_page_10(packets):
    docx, pdf = packets["shrunk"]
    _, pages = pdf_pages(pdf)
    assert _squash(SHRUNK_COMMENT) in _squash(pages[9]) and "附页" not in _squash(pages[9])
    sizes = {run.font.size.pt for p in Document(docx).tables for row in p.rows for cell in row.cells
             for para in cell.paragraphs for run in para.runs if run.text == SHRUNK_COMMENT}
    assert sizes and max(sizes) < 10 and min(sizes) >= 8


def test_templates_use_exactly_the_context_variables():
    for lang in ("zh", "en"):
        template = DocumentTemplate(template_path(lang))
        assert template.variables == TEMPLATE_VARIABLES
        assert set(blank_context(ENGINEER, lang).context) == TEMPLATE_VARIABLES


def test_hostile_text_comes_out_exactly_as_typed(tmp_path):
    hostile = 'R&D <Ltd> "引号" {{ 7*7 }} {% if 1 %}x{% endif %} 😀'
    scores = make_workbook(tmp_path / "s.xlsx", ENGINEER, [typical_row(ENGINEER, 1, name="A/B ../x", manager_comment=hostile)])
    result = fill(scores, ENGINEER, tmp_path / "out")
    (packet,) = result.packets
    assert packet.parent == tmp_path / "out" and packet.name.startswith("E001_A_B") and "/" not in packet.name
    assert hostile in docx_text(result.packets[0])
    assert "49" not in docx_text(result.packets[0]).replace("2026", "")


def test_fit_box_keeps_short_text_and_cuts_long_text_with_an_ellipsis():
    assert fit_box("短评语\n第二行", 16.2, 7.0, 10) == ("短评语\n第二行", False)
    shown, cut = fit_box("长" * 2000, 16.2, 7.0, 10)
    assert cut and shown.endswith("……") and 300 < len(shown) < 700
    many_lines, cut = fit_box("\n".join("行" for _ in range(40)), 16.2, 7.0, 10)
    assert cut and many_lines.count("\n") < 14


def test_fill_in_two_processes_writes_the_same_packets(tmp_path):
    rows = [typical_row(ENGINEER, n) for n in range(1, 9)]
    scores = make_workbook(tmp_path / "s.xlsx", ENGINEER, rows)
    one = fill(scores, ENGINEER, tmp_path / "one")
    two = fill(scores, ENGINEER, tmp_path / "two", FillOptions(jobs=2))
    assert [p.name for p in one.packets] == [p.name for p in two.packets]
    for a, b in zip(one.packets, two.packets):
        assert docx_text(a) == docx_text(b)


def _em(ch: str) -> float:
    """A generous width in ems: CJK a full em, Latin capitals and digits wider than lower case."""
    if unicodedata.east_asian_width(ch) in "WF":
        return 1.0
    return 0.28 if ch == " " else 0.66 if ch.isupper() else 0.55 if ch.isdigit() else 0.52


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_table_header_or_contents_title_breaks_inside_a_word(lang):
    """Chinese headers fit their column on one line; English ones break only between words."""
    doc = Document(template_path(lang))
    checked = 0
    for index, table in enumerate(doc.tables):
        for row in table.rows:
            header = row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
            if not header and index != 1:  # table 1 is the cover's contents list
                continue
            for tc in row._tr.tc_lst:
                width_cm = int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) / 567 - 0.38  # less the cell margins
                for run in (r for p in tc.iter(qn("w:p")) for r in p.iter(qn("w:r"))):
                    text = "".join(t.text or "" for t in run.iter(qn("w:t")))
                    size = run.find(f"{qn('w:rPr')}/{qn('w:sz')}")
                    if not text.strip() or "{" in text or size is None:
                        continue
                    words = [text] if lang == "zh" else text.split()
                    for word in words:
                        need = sum(_em(c) for c in word) * int(size.get(qn("w:val"))) / 2 * 2.54 / 72
                        assert need <= width_cm, f"table {index}: {word!r} needs {need:.2f} cm, has {width_cm:.2f}"
                        checked += 1
    assert checked > 60


def test_packet_file_info_names_the_company_title_and_now_read_in_a_fresh_process(tmp_path):
    scores = make_workbook(tmp_path / "s.xlsx", ENGINEER, [typical_row(ENGINEER, 1)])
    (packet,) = fill(scores, ENGINEER, tmp_path / "out").packets
    (form,) = blank(ENGINEER, tmp_path / "blank-en.docx", lang="en")
    script = ("import json, sys; from docx import Document; p = Document(sys.argv[1]).core_properties; "
              "print(json.dumps([p.author, p.title, p.created.isoformat(), p.comments, p.last_modified_by]))")
    for path, author, title in ((packet, "示例科技有限公司", "售前工程师绩效考核表"),
                                (form, "Example Tech Co., Ltd.", "Presales Engineer Performance Review")):
        out = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True)
        creator, got_title, created, comments, modified_by = json.loads(out.stdout)
        assert (creator, got_title, modified_by) == (author, title, author)
        moment = dt.datetime.fromisoformat(created)
        moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)  # core.xml times are UTC
        assert abs(moment - dt.datetime.now(dt.timezone.utc)).total_seconds() < 600
        assert "python-docx" not in comments and "python-docx" not in zipfile.ZipFile(path).read("docProps/core.xml").decode()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cover_alone_has_a_different_first_page_without_header_or_footer(lang):
    doc = Document(template_path(lang))
    cover, *rest = doc.sections
    assert cover._sectPr.find(qn("w:titlePg")) is not None
    assert not any(s.different_first_page_header_footer for s in rest)  # the landscape pages 4–5 and page 6 keep theirs
    assert cover.first_page_header.is_linked_to_previous is False and not cover.first_page_header.paragraphs[0].text
    assert cover.first_page_footer.is_linked_to_previous is False and not cover.first_page_footer.paragraphs[0].text
    assert "{{ company }}" in cover.header.paragraphs[0].text  # pages 2 and 3 keep the running header
