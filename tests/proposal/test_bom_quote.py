"""Bill of materials (docgen.proposal.bom) and the quotation (docgen.proposal.quote): quantities, live
formulas that LibreOffice recalculates to the hand-computed figures, and no cost in any client file."""

from __future__ import annotations

import datetime as dt
import html
import re
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.core.config import Settings, bundled_path
from docgen.core.docprops import read_stamp
from docgen.core.errors import InputError, Problems
from docgen.intake.models import Requirement
from docgen.proposal.bom import BomItem, bom_lines, library_bom, requirement_figures, section_bom
from docgen.proposal.pricebook import load_pricebook
from docgen.proposal.quote import build_quote, internal_path, parse_rate, quote_totals
from docgen.proposal.sections import load_section_file, load_sections

TODAY = dt.date(2026, 12, 2)
PRICEBOOK = load_pricebook(bundled_path("templates") / "company" / "pricebook.xlsx")
REQUIREMENTS = """\
client:
  name: 测试城商行
  industry: finance
  presales_owner: 张伟
  project_name: 存储扩容项目
requirements:
  - {id: R1, category: 存储, text: 核心存储扩容至 120TB 可用容量, priority: must, tags: [storage]}
  - {id: R2, category: 备份, text: 全部 12 个网点的数据每日备份, priority: should, tags: [backup]}
"""
# Bundled ids, so these replace the bundled sections of the same name (and their own bom).
SECTIONS = {
    "storage-zh": ("存储架构方案", "[存储, storage]",
                   "  - {code: STOR-AFA-H5000, quantity: 2}\n"
                   "  - {code: STOR-CAP-50T, figure: capacity, per: 50}\n"
                   "  - {code: SVC-IMPL-DAY, quantity: 10}\n"),
    "backup-zh": ("数据备份与恢复方案", "[备份, backup]",
                  "  - {code: BAK-APP-B2000, quantity: 1}\n"
                  "  - {code: SVC-IMPL-DAY, quantity: 5}\n"
                  "  - {code: NET-SDWAN-E200, figure: sites, per: 1, min: 2}\n"
                  "  - {code: TRN-ADMIN, quantity: 1}\n"),
}
# By hand, bundled list prices: storage 2×680,000 + ceil(120/50)=3×260,000 = 2,140,000; backup 420,000;
# network 12 sites × 12,800 = 153,600; service (10+5) × 2,200 = 33,000; training 30,000.
SUBTOTALS = {"storage": 2_140_000, "backup": 420_000, "network": 153_600, "service": 33_000, "training": 30_000}
TOTAL = Decimal("2776600")
DISCOUNT = Decimal("91627.80")  # 3.3 %
NET = Decimal("2684972.20")
TAX = Decimal("349046.39")  # 13 % of the net: 349,046.386 rounded to the fen
GRAND = Decimal("3034018.59")


def section_text(section_id: str, title: str, categories: str, bom: str) -> str:
    return (f"---\nid: {section_id}\ntitle: {title}\ncategories: {categories}\nstages: [solution, detailed]\n"
            f"language: zh\nbom:\n{bom}---\n" + "正文说明配置与实施方式。" * 12 + "\n")


@pytest.fixture
def client_folder(tmp_path) -> tuple[Path, Settings]:
    sections = tmp_path / "templates" / "proposal" / "sections"
    sections.mkdir(parents=True)
    for section_id, (title, categories, bom) in SECTIONS.items():
        (sections / f"{section_id}.md").write_text(section_text(section_id, title, categories, bom), encoding="utf-8")
    for general in ("methodology-zh", "service-support-zh"):  # the bundled ones carry items too: not here
        text = (bundled_path("templates") / "proposal" / "sections" / f"{general}.md").read_text(encoding="utf-8")
        head, body = text.split("\n---\n", 1)
        head = re.sub(r"\nbom:\n(?:  - .*\n?)+", "\n", head + "\n").rstrip("\n")
        (sections / f"{general}.md").write_text(f"{head}\n---\n{body}", encoding="utf-8")
    requirements = tmp_path / "需求.yaml"
    requirements.write_text(REQUIREMENTS, encoding="utf-8")
    (tmp_path / "docgen.toml").write_text('[docgen]\ntemplates = "templates"\n', encoding="utf-8")
    return requirements, Settings(templates_dir=tmp_path / "templates")


# --- bom: in section front matter ----------------------------------------------------------------------

def test_sections_carry_their_bom_items(tmp_path):
    path = tmp_path / "s.md"
    path.write_text(section_text("s", "S", "[存储]", SECTIONS["storage-zh"][2]), encoding="utf-8")
    problems = Problems()
    section = load_section_file(path, problems)
    items = section_bom(section, PRICEBOOK, problems)
    assert not problems.items
    assert items == (BomItem("s", "STOR-AFA-H5000", quantity=2), BomItem("s", "STOR-CAP-50T", figure="capacity",
                                                                          per=Decimal(50)),
                     BomItem("s", "SVC-IMPL-DAY", quantity=10))
    assert items[1].where.line == 9 and items[1].where.field == "bom[1]"


def test_a_bom_that_is_not_a_list_is_refused(tmp_path):
    path = tmp_path / "s.md"
    path.write_text(section_text("s", "S", "[存储]", "").replace("bom:\n", "bom: STOR-AFA-H5000\n"), encoding="utf-8")
    problems = Problems()
    load_section_file(path, problems)
    assert [str(p) for p in problems.errors] == [f"{path}, line 7, field bom: expected a list of items, "
                                                 "e.g. - {code: X, quantity: 2}"]


@pytest.mark.parametrize("item, says", [
    ("{code: NO-SUCH-CODE, quantity: 1}", "field bom[0].code: NO-SUCH-CODE is not in the price book"),
    ("{quantity: 1}", "field bom[0].code: code is required"),
    ("{code: SVC-PM-DAY, quantity: 0}", "field bom[0].quantity: expected a whole number from 1"),
    ("{code: SVC-PM-DAY, quantity: 1.5}", "field bom[0].quantity: expected a whole number"),
    ("{code: SVC-PM-DAY, quantity: 2, figure: users, per: 10}", "give either quantity, or figure and per"),
    ("{code: SVC-PM-DAY}", "give a quantity, or a figure and per"),
    ("{code: SVC-PM-DAY, figure: racks, per: 1}", "field bom[0].figure: unknown figure 'racks'"),
    ("{code: SVC-PM-DAY, figure: users}", "field bom[0].per: per is required with a figure"),
    ("{code: SVC-PM-DAY, figure: users, per: -3}", "field bom[0].per: per is required with a figure"),
    ("{code: SVC-PM-DAY, quantity: 1, colour: red}", "field bom[0].colour: unknown key"),
    ("SVC-PM-DAY", "line 8, field bom[0]: expected {code: …, quantity: …}"),
])
def test_bad_bom_items_name_file_line_and_field(tmp_path, item, says):
    path = tmp_path / "s.md"
    path.write_text(section_text("s", "S", "[存储]", f"  - {item}\n"), encoding="utf-8")
    problems = Problems()
    section = load_section_file(path, problems)
    assert section_bom(section, PRICEBOOK, problems) == ()
    text = "\n".join(map(str, problems.errors))
    assert f"{path}, line 8, " in text and says in text


def test_figures_come_from_the_requirement_texts():
    def req(rid, text):
        return Requirement(id=rid, text=text, category="c")

    figures = requirement_figures([req("R1", "PACS 影像存储扩容至 1.5PB 可用容量"), req("R2", "约 200TB 历史影像迁移"),
                                   req("R3", "Roll out SD-WAN to all 42 warehouses"),
                                   req("R4", "8 个分行和 120 个网点"),
                                   req("R5", "Zero-trust access for 300 drivers"), req("R6", "支持 2,000 用户并发"),
                                   req("R7", "RTO<30分钟, 200 人天的实施")])
    assert {name: (f.value, f.requirement_id) for name, f in figures.items()} == {
        "capacity": (Decimal("1500.0"), "R1"), "sites": (Decimal(120), "R4"), "users": (Decimal(2000), "R6")}
    assert requirement_figures([req("R1", "每小时增量备份,保留 180 天")]) == {}


def test_bom_lines_merge_codes_and_mark_estimates():
    items = {
        "a": (BomItem("a", "SVC-IMPL-DAY", quantity=10), BomItem("a", "STOR-CAP-50T", figure="capacity",
                                                                  per=Decimal(50))),
        "b": (BomItem("b", "SVC-IMPL-DAY", quantity=5), BomItem("b", "STOR-CAP-50T", figure="capacity",
                                                                 per=Decimal(100), minimum=2),
              BomItem("b", "SEC-ZTNA-100U", figure="users", per=Decimal(100), minimum=1)),
        "unused": (BomItem("unused", "SRV-X86-2U", quantity=9),),
    }
    reqs = [Requirement(id="R1", text="容量 120TB", category="存储")]
    lines = bom_lines(["b", "a"], items, reqs, PRICEBOOK)
    assert [(line.item.code, line.quantity, line.sections, line.estimated) for line in lines] == [
        ("STOR-CAP-50T", 3, ("b", "a"), False),  # max(ceil(120/100)→2, ceil(120/50)→3)
        ("SEC-ZTNA-100U", 1, ("b",), True),  # no users figure: its min, to confirm
        ("SVC-IMPL-DAY", 15, ("b", "a"), False),  # fixed quantities add up
    ]
    assert "capacity 120 TB (R1) ÷ 50 → 3 (a)" in lines[0].basis
    assert lines[1].basis == ("no users figure in the requirements: min 1 (b)",)


def test_library_bom_reports_every_section(client_folder):
    _, settings = client_folder
    problems = Problems()
    found = library_bom(load_sections(settings.templates_dir / "proposal" / "sections"), PRICEBOOK, problems)
    assert sorted(found) == ["backup-zh", "storage-zh"] and not problems.items


# --- totals and rates -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, rate", [("8%", "0.08"), ("8", "0.08"), (" 8.25 % ", "0.0825"), ("0%", "0")])
def test_rates_are_percentages(text, rate):
    assert parse_rate(text, "--discount") == Decimal(rate)


@pytest.mark.parametrize("text", ["abc", "-1%", "100%", "nan", "1e400"])
def test_bad_rates_name_the_option(text):
    with pytest.raises(InputError, match="--tax"):
        parse_rate(text, "--tax")


def test_totals_round_discount_and_tax_to_the_fen(client_folder):
    requirements, settings = client_folder
    from docgen.intake.requirements import load_requirements

    library = load_sections(settings.templates_dir / "proposal" / "sections")
    problems = Problems()
    lines = bom_lines(["storage-zh", "backup-zh"], library_bom(library, PRICEBOOK, problems),
                      load_requirements(requirements).requirements, PRICEBOOK)
    totals = quote_totals(lines, Decimal("0.033"), Decimal("0.13"))
    assert dict(totals.subtotals) == SUBTOTALS
    assert (totals.total, totals.discount, totals.net, totals.tax, totals.grand_total) == (
        TOTAL, DISCOUNT, NET, TAX, GRAND)


# --- the workbooks, recalculated by LibreOffice ------------------------------------------------------------

def recalculated(paths: list[Path], tmp_path: Path) -> list[openpyxl.Workbook]:
    """The workbooks after LibreOffice opened, recalculated and saved them (one LibreOffice run)."""
    from docgen.core.pdf import find_soffice

    out = tmp_path / "recalculated"
    subprocess.run([find_soffice(), f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), *map(str, paths)],
                   check=True, capture_output=True, timeout=180)
    return [openpyxl.load_workbook(out / path.name, data_only=True) for path in paths]


def figures_by_label(sheet, label_column: int, value_column: int) -> dict[str, object]:
    return {row[label_column - 1].value: row[value_column - 1].value for row in sheet.iter_rows()
            if isinstance(row[label_column - 1].value, str)}


@pytest.mark.libreoffice
def test_quote_formulas_recalculate_to_the_hand_computed_figures(client_folder, tmp_path):
    requirements, settings = client_folder
    out = tmp_path / "out" / "报价单.xlsx"
    written = build_quote(requirements, out, settings=settings, discount=Decimal("0.033"), today=TODAY)
    assert written == [out, internal_path(out)]
    quote, internal = (book.active for book in recalculated(written, tmp_path))
    figures = figures_by_label(quote, 3, 9)
    assert [figures[f"小计（{name}）"] for name in ("存储设备", "备份与容灾", "网络设备", "实施服务", "培训")] == list(
        SUBTOTALS.values())
    totals = [figures[label] for label in ("合计", "折扣", "折后金额", "税额", "含税总价")]
    assert totals == pytest.approx([float(TOTAL), -float(DISCOUNT), float(NET), float(TAX), float(GRAND)], abs=0.001)
    rows = {row[1].value: row for row in quote.iter_rows() if isinstance(row[1].value, str) and "-" in row[1].value}
    assert rows["STOR-CAP-50T"][6].value == 3 and rows["NET-SDWAN-E200"][6].value == 12
    assert rows["STOR-CAP-50T"][8].value == 780_000
    summary = figures_by_label(internal, 3, 6)
    cost = 2 * 495_000 + 3 * 188_000 + 300_000 + 12 * 8_600 + 15 * 1_200 + 14_000
    assert summary["成本合计 total cost"] == cost
    assert summary["毛利 gross margin"] == pytest.approx(float(NET) - cost, abs=0.001)


def xml_text(path: Path) -> str:
    """Every text and value in every XML part, without the markup (pageMargins is not a margin)."""
    with zipfile.ZipFile(path) as package:
        xml = "\n".join(package.read(name).decode("utf-8", "replace") for name in package.namelist()
                        if name.endswith((".xml", ".rels")))
    return html.unescape(re.sub(r"<[^>]*>", " ", xml))  # openpyxl writes 成本 as &#25104;&#26412;


def test_client_files_hold_list_prices_only(client_folder, tmp_path):
    requirements, settings = client_folder
    out = tmp_path / "q.xlsx"
    client, internal, word = build_quote(requirements, out, settings=settings, discount=Decimal("0.08"), docx=True,
                                         today=TODAY)
    # Unit costs and cost amounts of the quoted lines (2 arrays, 3 capacity packs, 12 edges, 15 days …).
    quoted = {"STOR-AFA-H5000": 2, "STOR-CAP-50T": 3, "BAK-APP-B2000": 1, "NET-SDWAN-E200": 12, "SVC-IMPL-DAY": 15,
              "TRN-ADMIN": 1}
    costs = {str(int(PRICEBOOK.get(code).cost * n)) for code, n in quoted.items()}
    costs |= {str(int(PRICEBOOK.get(code).cost)) for code in quoted}
    for path in (client, word):
        text = xml_text(path)
        assert "含税总价" in text and "2,776,600.00" in xml_text(word)  # the reading sees the text
        assert not re.search(r"cost|margin|成本|毛利|利润", text, re.IGNORECASE), path
        numbers = set(re.findall(r"[\d,.]+", text))
        assert not {n.replace(",", "").removesuffix(".00") for n in numbers} & costs, path
    assert "成本" in xml_text(internal) and "毛利" in xml_text(internal)
    assert read_stamp(client)["kind"] == "quote" and read_stamp(word)["kind"] == "quote"
    assert read_stamp(internal)["kind"] == "quote-internal"
    assert read_stamp(client)["client"] == "测试城商行"


def test_the_word_quote_shows_the_same_figures(client_folder, tmp_path):
    requirements, settings = client_folder
    *_, word = build_quote(requirements, tmp_path / "q.xlsx", settings=settings, discount=Decimal("0.033"), docx=True,
                           today=TODAY)
    [table] = docx.Document(str(word)).tables
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == ["序号", "名称", "品牌 / 型号", "单位", "数量", "单价（元）", "金额（元）"]
    assert ["2", "全闪存扩容包（50TB 可用容量，含 NVMe SSD）", "华存 / HC-A5000-E50", "套", "3", "260,000.00",
            "780,000.00"] in cells
    last = {row[0]: row[-1] for row in cells[-5:]}
    assert last == {"合计": "2,776,600.00", "折扣（3.3%）": "-91,627.80", "折后金额": "2,684,972.20",
                    "税额（13%）": "349,046.39", "含税总价": "3,034,018.59"}


def test_quote_without_any_bom_says_why(tmp_path):
    requirements = tmp_path / "r.yaml"
    requirements.write_text(REQUIREMENTS, encoding="utf-8")
    sections = tmp_path / "templates" / "proposal" / "sections"
    sections.mkdir(parents=True)
    for bundled in (bundled_path("templates") / "proposal" / "sections").glob("*.md"):
        head, body = bundled.read_text(encoding="utf-8").split("\n---\n", 1)
        head = re.sub(r"\nbom:\n(?:  - .*\n?)+", "\n", head + "\n").rstrip("\n")
        (sections / bundled.name).write_text(f"{head}\n---\n{body}", encoding="utf-8")
    with pytest.raises(InputError, match="lists items under bom:, so there is nothing to price"):
        build_quote(requirements, tmp_path / "q.xlsx", today=TODAY, settings=Settings(templates_dir=tmp_path / "templates"))
    assert not (tmp_path / "q.xlsx").exists()


# --- the command --------------------------------------------------------------------------------------------

def test_proposal_quote_command(client_folder, tmp_path):
    requirements, _ = client_folder
    config = str(tmp_path / "docgen.toml")
    out = tmp_path / "报价单.xlsx"
    result = CliRunner().invoke(main, ["--config", config, "proposal", "quote", str(requirements), "-o", str(out),
                                       "--discount", "8%", "--docx"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"wrote {out}", f"wrote {tmp_path / '报价单-internal.xlsx'}",
                                          f"wrote {tmp_path / '报价单.docx'}"]
    again = CliRunner().invoke(main, ["--config", config, "proposal", "quote", str(requirements), "-o", str(out)])
    assert again.exit_code == 2 and "already exists; use --force" in again.output
    bad = CliRunner().invoke(main, ["--config", config, "proposal", "quote", str(requirements), "-o",
                                    str(tmp_path / "x.xlsx"), "--discount", "lots"])
    assert bad.exit_code == 2 and "--discount 'lots'" in bad.output and "Traceback" not in bad.output
