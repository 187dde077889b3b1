"""`proposal plan` → `split` → writers edit their modules with python-docx → `assemble` → `diff` → `release`.

One bank draft (the bundled example, detailed stage, 12 modules) goes round the loop once per
module; each test checks what a presales owner would open and look at.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Pt

from docgen.cli import main
from docgen.core.config import bundled_path
from docgen.core.docprops import read_stamp
from docgen.proposal.modules import MARKER, read_manifest
from tests.helpers.docs import docx_tables, docx_text, needs_libreoffice, pdf_pages

BANK = bundled_path("requirements_forms") / "example-bank-zh.yaml"
EDITED = ("M01", "M02", "M03")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _picture(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (240, 120), (30, 120, 200)).save(path)
    return path


def writer_edits(module: Path, n: int, picture: Path) -> list[str]:
    """What a writer adds at the end of their module: a paragraph, a table, a numbered and a bulleted list,
    a picture and a paragraph in a style of their own. Returns the texts added, in order."""
    document = docx.Document(str(module))
    document.add_paragraph(f"写手补充段落{n}:分两批完成割接。")
    table = document.add_table(rows=2, cols=2)
    table.style = document.tables[-1].style
    for (r, c), text in {(0, 0): f"指标{n}", (0, 1): "目标", (1, 0): "RPO", (1, 1): f"{n} 秒"}.items():
        table.cell(r, c).text = text
    document.add_paragraph(f"第一步{n}", style="List Number")
    document.add_paragraph(f"第二步{n}", style="List Number")
    document.add_paragraph(f"要点{n}", style="List Bullet")
    document.add_picture(str(picture), width=Cm(4))
    own = document.styles.add_style(f"写手样式{n}", WD_STYLE_TYPE.PARAGRAPH)
    own.base_style = document.styles["Caption"]
    own.font.size = Pt(20)
    document.add_paragraph(f"自定义样式段落{n}", style=own)
    document.styles["Normal"].font.size = Pt(18)  # a writer restyling the body: the draft's must win
    document.save(str(module))
    return [f"写手补充段落{n}:分两批完成割接。", f"指标{n} | 目标", f"RPO | {n} 秒", f"第一步{n}", f"第二步{n}",
            f"要点{n}", "[图片]", f"自定义样式段落{n}"]


def delete_answer(module: Path, requirement: str) -> list[str]:
    """A writer who removes every paragraph below the line that mentions `requirement`; returns their texts."""
    document = docx.Document(str(module))
    below, removed = False, []
    for paragraph in list(document.paragraphs):
        if paragraph.text in MARKER.values():
            below = True
        elif below and requirement in paragraph.text:
            removed.append(paragraph.text.strip())
            paragraph._p.getparent().remove(paragraph._p)
    document.save(str(module))
    return removed


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    root = tmp_path_factory.mktemp("loop")
    draft, plan, modules = root / "draft.docx", root / "plan.xlsx", root / "modules"
    assert run("proposal", "build", BANK, "--stage", "detailed", "-o", draft).exit_code == 0
    assert run("proposal", "plan", BANK, "-o", plan).exit_code == 0
    split = run("proposal", "split", draft, "--plan", plan, "-o", modules)
    assert split.exit_code == 0, split.output
    shutil.copytree(modules, root / "as-split")
    files = {m.id: modules / m.file for m in read_manifest(modules).modules}
    picture = _picture(root / "pic.png")
    added = {module: writer_edits(files[module], n, picture) for n, module in enumerate(EDITED)}
    removed = delete_answer(files["M04"], "R8")
    files["M05"].unlink()  # never returned
    out = root / "draft-v2.docx"
    result = run("proposal", "assemble", draft, modules, "-o", out)
    assert result.exit_code == 0, result.output
    return {"root": root, "draft": draft, "plan": plan, "modules": modules, "files": files, "out": out,
            "added": added, "removed": removed, "output": result.output}


def _body(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph and, for a table, ("table", first row text), in order."""
    from docx.table import Table

    document = docx.Document(str(path))
    found = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            found.append(("table", " | ".join(c.text for c in block.rows[0].cells)))
        else:
            text = block.text + (" [图片]" if block._p.xpath(".//w:drawing") else "")
            found.append((block.style.name, text.strip()))
    return found


# --- plan and split -------------------------------------------------------------------------------------

def test_plan_gives_each_writer_modules_with_staggered_dates_and_the_owner_the_merge(tmp_path):
    out = tmp_path / "plan.xlsx"
    assert run("proposal", "plan", BANK, "-o", out, "--writers", "李娜,王芳,周杰").exit_code == 0
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(out).active.iter_rows(min_row=3)]
    *modules, merge, review = rows
    assert [r[9] for r in modules] == [f"M{n:02d}" for n in range(1, 13)]
    per_writer = {}
    for row in modules:
        per_writer.setdefault(row[5], []).append(row[6].date())
    assert set(per_writer) == {"李娜", "王芳", "周杰"} and sorted(map(len, per_writer.values())) == [4, 4, 4]
    for dates in per_writer.values():  # one writer's modules fall due two days apart, the last before the merge
        assert [(b - a).days for a, b in zip(dates, dates[1:])] == [2] * (len(dates) - 1)
    assert (merge[5], review[5]) == ("张伟", "张伟")
    deadline = dt.date(2026, 12, 20)
    assert merge[6].date() == deadline - dt.timedelta(days=5) and review[6].date() == deadline - dt.timedelta(days=3)
    assert max(d for dates in per_writer.values() for d in dates) == deadline - dt.timedelta(days=7)


def test_split_writes_one_module_per_writer_with_who_when_and_what_to_answer(loop):
    manifest = read_manifest(loop["root"] / "as-split")
    assert len(manifest.modules) == 12
    security = next(m for m in manifest.modules if m.where == "解决方案 › 安全")
    path = loop["root"] / "as-split" / security.file
    document = docx.Document(str(path))
    header = document.sections[0].header.paragraphs[0].text
    assert security.id in header and security.writer in header and security.due in header
    tables = docx_tables(path)
    assert ["撰写人", security.writer] in tables[0] and ["截止日期", security.due] in tables[0]
    from docgen.intake.requirements import load_requirements

    texts = {r.id: r.text for r in load_requirements(BANK).requirements}
    assert tables[1][1:] == [["R6", texts["R6"], "必须"], ["R7", texts["R7"], "应当"]]
    body = _body(path)
    marker = [text for _, text in body].index(MARKER["zh"])
    assert body[marker + 1] == ("Heading 2", "安全")  # the module's own text follows the line
    assert all(text != "灾备" for _, text in body)  # and nothing of the other modules
    assert read_stamp(path)["kind"] == "module"


def test_a_module_never_carries_competitors_notes_or_the_brief(loop):
    from docgen.intake.requirements import load_requirements

    req = load_requirements(BANK)
    secrets = [c.name for c in req.competitors] + [r.notes for r in req.requirements if r.notes]
    secrets += [req.client.internal_notes.splitlines()[0], "方案策略简报", "竞争对手"]
    for path in sorted((loop["root"] / "as-split").glob("M*.docx")):
        text = docx_text(path)
        assert not [s for s in secrets if s and s in text], path.name


# --- assemble -----------------------------------------------------------------------------------------

def test_every_edit_lands_in_its_module_in_order(loop):
    body = _body(loop["out"])
    texts = [text for _, text in body]
    for module, heading in zip(EDITED, ("灾备", "备份", "安全")):
        start = body.index(("Heading 2", heading))  # the module's heading in the solution chapter
        end = next(i for i in range(start + 1, len(body)) if body[i][0] in ("Heading 1", "Heading 2"))
        part = [t for t in texts[start:end] if t]
        added = [a for a in loop["added"][module] if a != f"RPO | {EDITED.index(module)} 秒"]
        positions = [next(i for i, t in enumerate(part) if a in t) for a in added]
        assert positions == sorted(positions) and positions[0] > 1, module  # after the module's own text


def test_styles_are_the_drafts(loop):
    draft, merged = docx.Document(str(loop["draft"])), docx.Document(str(loop["out"]))
    assert merged.styles["Normal"].font.size == draft.styles["Normal"].font.size
    assert not [s.name for s in merged.styles if s.name.startswith("写手样式")]
    styles = dict((text, style) for style, text in _body(loop["out"]))
    assert styles["自定义样式段落0"] == "Caption"
    assert styles["第一步1"] == "List Number" and styles["要点2"] == "List Bullet"


def test_pictures_are_carried_with_their_parts(loop):
    merged, draft = docx.Document(str(loop["out"])), docx.Document(str(loop["draft"]))
    assert len(merged.inline_shapes) == len(draft.inline_shapes) + 3
    for blip in merged.element.body.xpath(".//a:blip"):
        rid = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
        assert merged.part.related_parts[rid].content_type.startswith("image/")


def test_missing_module_and_deleted_answer_are_reported_and_the_plan_updated(loop):
    output = loop["output"]
    assert "merged 4 module(s) M01, M02, M03, M04" in output
    assert "warning: M05 not returned; the previous text is kept" in output
    assert "warning: M06 not returned" in output  # returned unchanged = not returned
    assert "warning: M04 no longer answers R8" in output
    assert loop["removed"] and not any(r in docx_text(loop["out"]) for r in loop["removed"])
    assert "数据中心网络方案" in docx_text(loop["out"])  # M05's previous text is still there
    rows = {row[9]: row for row in openpyxl.load_workbook(loop["plan"]).active.iter_rows(min_row=3, values_only=True)}
    assert rows["M01"][7] == "已完成" and "已合并入 V0.2" in rows["M01"][8]
    assert rows["M04"][7] == "待审核" and "R8" in rows["M04"][8]
    assert rows["M05"][7] == "撰写中" and "未交回" in rows["M05"][8]
    assert read_stamp(loop["plan"])["kind"] == "plan"


def test_the_check_runs_on_the_result(loop):
    # the bank's matrix still has rows to confirm: the same findings as `proposal check`
    assert "compliance not earned" in loop["output"] and "the draft must not go out" in loop["output"]


def test_assemble_refuses_to_overwrite_and_names_a_folder_split_did_not_write(loop, tmp_path):
    again = run("proposal", "assemble", loop["draft"], loop["modules"], "-o", loop["out"])
    assert again.exit_code == 2 and "--force" in again.output
    empty = tmp_path / "empty"
    empty.mkdir()
    wrong = run("proposal", "assemble", loop["draft"], empty, "-o", tmp_path / "x.docx")
    assert wrong.exit_code == 2 and "split.json" in wrong.output and "Traceback" not in wrong.output


@needs_libreoffice
def test_numbered_lists_restart_and_pictures_render(loop, libreoffice):
    draft_pdf, merged_pdf = libreoffice([loop["draft"], loop["out"]])
    draft_pages, _ = pdf_pages(draft_pdf)
    pages, texts = pdf_pages(merged_pdf)
    assert pages >= draft_pages  # three modules grew, one lost its R8 paragraphs
    text = "\n".join(texts)
    for n in range(3):
        assert re.search(rf"1\.\s*第一步\s*{n}", text) and re.search(rf"2\.\s*第二步\s*{n}", text), n
    listed = subprocess.run(["pdfimages", "-list", str(merged_pdf)], capture_output=True, text=True).stdout
    before = subprocess.run(["pdfimages", "-list", str(draft_pdf)], capture_output=True, text=True).stdout
    assert len(listed.splitlines()) - len(before.splitlines()) >= 3


# --- versions and diff --------------------------------------------------------------------------------

def _cover_version(path: Path) -> str:
    return next(row[1] for row in docx_tables(path)[0] if row[0] == "版本")


def _history(path: Path) -> list[list[str]]:
    return next(t for t in docx_tables(path) if t[0] == ["版本", "日期", "编写", "说明"])[1:]


def test_versions_increase_on_the_cover_in_the_history_and_in_properties(loop, tmp_path):
    assert _cover_version(loop["draft"]) == "V0.1" and read_stamp(loop["draft"])["version"] == "V0.1"
    assert _cover_version(loop["out"]) == "V0.2" and read_stamp(loop["out"])["version"] == "V0.2"
    history = _history(loop["out"])
    assert [row[0] for row in history] == ["V0.1", "V0.2"]
    assert history[1][2] == "张伟" and history[1][3].startswith("合并模块 M01（") and history[1][3].endswith("；8 个模块未交回")

    # the reviewer settles every open row, then release makes V1.0
    from docgen.proposal.check import UNEARNED

    ready = tmp_path / "ready.docx"
    document = docx.Document(str(loop["out"]))
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for r in paragraph.runs:
                        if r.text.strip() in UNEARNED:
                            r.text = "满足"
    document.save(str(ready))
    final = tmp_path / "final.docx"
    released = run("proposal", "release", ready, "-o", final, "--reviewer", "王审核")
    assert released.exit_code == 0, released.output
    record = read_stamp(final)
    assert _cover_version(final) == "V1.0" and record["version"] == "V1.0"
    assert [row[0] for row in _history(final)] == ["V0.1", "V0.2", "V1.0"] and _history(final)[2][2] == "王审核"
    # what went out, for `proposal outcome`: the draft's case and answer ids, no paths
    draft_record = read_stamp(loop["draft"])
    assert record["cases"] == draft_record["cases"] and record["cases"].count(",") == 2
    assert record["answers"] == draft_record["answers"] and record["answers"]


def test_a_forced_rebuild_continues_the_history(tmp_path):
    draft = tmp_path / "d.docx"
    assert run("proposal", "build", BANK, "--stage", "intro", "-o", draft).exit_code == 0
    assert run("proposal", "build", BANK, "--stage", "intro", "-o", draft, "--force").exit_code == 0
    assert _cover_version(draft) == "V0.2" and [r[0] for r in _history(draft)] == ["V0.1", "V0.2"]


def test_diff_reports_exactly_the_edits(loop):
    from docgen.proposal.diff import compare

    report = compare(loop["draft"], loop["out"])
    assert (report.old_version, report.new_version) == ("V0.1", "V0.2")
    added = sorted(c.new for c in report.changes if c.change == "added")
    assert added == sorted(a for texts in loop["added"].values() for a in texts)
    assert sorted(c.old for c in report.changes if c.change == "removed") == sorted(loop["removed"])
    assert not [c for c in report.changes if c.change == "changed"]
    sections = {c.section for c in report.changes if c.change == "added"}
    assert sections == {"解决方案 › 灾备 › 灾备与业务连续性方案", "解决方案 › 备份 › 数据备份与恢复方案",
                        "解决方案 › 安全 › 网络安全与等级保护方案"}


def test_diff_names_changed_cells_and_writes_a_report(loop, tmp_path):
    changed = tmp_path / "changed.docx"
    document = docx.Document(str(loop["out"]))
    matrix = next(t for t in document.tables if t.rows[0].cells[0].text == "编号")
    cell = matrix.rows[1].cells[3]
    before = cell.text
    cell.paragraphs[0].runs[0].text = "改写后的应答。"
    for run_ in cell.paragraphs[0].runs[1:]:
        run_.text = ""
    document.save(str(changed))
    out = tmp_path / "diff.docx"
    result = run("proposal", "diff", loop["out"], changed, "-o", out)
    assert result.exit_code == 0, result.output
    assert "## 需求应答矩阵" in result.output and "修改 单元格 [应答]" in result.output
    assert "改写后的应答。" in result.output and before[:10] in result.output
    text = docx_text(out)
    assert "方案版本差异" in text and "改写后的应答。" in text and "需求应答矩阵" in text


# --- refusals, each one line naming the file ----------------------------------------------------------

def test_split_refuses_what_is_not_a_draft_or_plan_and_an_existing_folder(loop, tmp_path):
    brief = tmp_path / "brief.docx"
    assert run("proposal", "brief", BANK, "-o", brief).exit_code == 0
    not_draft = run("proposal", "split", brief, "--plan", loop["plan"], "-o", tmp_path / "m")
    assert not_draft.exit_code == 2 and "not a proposal draft" in not_draft.output
    not_plan = run("proposal", "split", loop["draft"], "--plan", brief, "-o", tmp_path / "m")
    assert not_plan.exit_code == 2 and "not a module plan" in not_plan.output
    again = run("proposal", "split", loop["draft"], "--plan", loop["plan"], "-o", loop["modules"])
    assert again.exit_code == 2 and "--force" in again.output
    assert "Traceback" not in not_draft.output + not_plan.output + again.output


def test_a_module_without_its_line_is_not_merged_and_a_foreign_file_is_refused(loop, tmp_path):
    modules = tmp_path / "modules"
    shutil.copytree(loop["root"] / "as-split", modules)
    files = {m.id: modules / m.file for m in read_manifest(modules).modules}
    document = docx.Document(str(files["M02"]))
    for paragraph in document.paragraphs:
        if paragraph.text in MARKER.values():
            paragraph._p.getparent().remove(paragraph._p)
    document.add_paragraph("没有分隔线的修改")
    document.save(str(files["M02"]))
    plan = shutil.copy(loop["plan"], tmp_path / "plan.xlsx")  # leave the loop's plan as the loop left it
    result = run("proposal", "assemble", loop["draft"], modules, "-o", tmp_path / "v2.docx", "--plan", plan)
    assert result.exit_code == 0 and "M02 (M02-备份.docx): the line" in result.output
    assert "没有分隔线的修改" not in docx_text(tmp_path / "v2.docx")
    files["M03"].write_bytes(b"not a word file")
    foreign = run("proposal", "assemble", loop["draft"], modules, "-o", tmp_path / "v3.docx", "--plan", plan)
    assert foreign.exit_code == 2 and "M03-安全.docx" in foreign.output and "Traceback" not in foreign.output
    assert not (tmp_path / "v3.docx").exists()
