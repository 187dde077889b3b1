"""The presales loop in `docgen demo`, on the bundled hospital client:

plan → split → two writers edit their modules (a script does what they would do in Word) →
assemble (V0.2, the plan updated, the check clean) → diff → release (V1.0) → outcome →
the post-project review → what the casebook learns (`cases stats`).

The outcomes store gets a sample of the team's earlier proposals first, so the statistics
have something to say; they are labelled as a sample in the printed stats.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx

from docgen.core.config import Settings, bundled_path
from docgen.core.output import write_atomic

EXAMPLE = "example-hospital-zh.yaml"
# Earlier outcomes of the team (a sample history): (client, industry, result, competitor, cases, months ago)
SAMPLE_HISTORY = (
    ("西南某市第一人民医院", "healthcare", "won", "某 PACS 厂商", ("hospital-pacs-2024", "clinic-backup-2023"), 20),
    ("华中某省人民医院", "healthcare", "won", "", ("hospital-his-dr-2023", "hospital-pacs-2024"), 15),
    ("华东某区中心医院", "healthcare", "lost", "某 PACS 厂商", ("hospital-pacs-2024",), 11),
    ("西北某医科大学附属医院", "healthcare", "lost", "某国际存储厂商", ("hospital-his-dr-2023", "clinic-backup-2023"), 9),
    ("某市妇幼保健院", "healthcare", "no-bid", "", ("clinic-backup-2023",), 7),
    ("华南某三甲医院", "healthcare", "won", "某国际存储厂商", ("hospital-pacs-2024", "hospital-his-dr-2023"), 4),
    ("华东某城市商业银行", "finance", "won", "某国际存储厂商", ("bank-active-active-2024", "rural-bank-backup-2023"), 14),
    ("某农村商业银行", "finance", "lost", "某本地集成商", ("rural-bank-backup-2023",), 10),
    ("某证券公司", "finance", "won", "", ("securities-dengbao-2024", "bank-active-active-2024"), 6),
    ("某市政务服务中心", "government", "lost", "某本地集成商", ("gov-cloud-2024", "county-xinchuang-2025"), 8),
    ("某县数据局", "government", "won", "", ("county-xinchuang-2025",), 3),
    ("某港口集团", "transport", "pending", "", ("port-sdwan-2024", "logistics-ops-2024"), 1),
)


def demo(out_dir: Path, *, settings: Settings | None = None, force: bool = False) -> list[Path]:
    """Write the loop's documents into `out_dir` (one folder); returns them in the order made."""
    from docgen.casebook.outcomes import connect, store_path
    from docgen.casebook.stats import compute, format_stats
    from docgen.proposal.assemble import assemble
    from docgen.proposal.build import prepare, render_draft, render_plan
    from docgen.proposal.check import format_findings, gate_findings, release
    from docgen.proposal.diff import compare, format_report, write_report
    from docgen.proposal.outcome import record_outcome
    from docgen.proposal.retro import write_retro
    from docgen.proposal.split import split

    out = Path(out_dir)
    example = bundled_path("requirements_forms") / EXAMPLE
    prepared = prepare(example, settings=settings)
    today = dt.date.today()
    written = [render_draft(prepared, "detailed", out / "详细技术方案-V0.1.docx", force=force, today=today),
               render_plan(prepared, out / "模块撰写分配.xlsx", force=force, today=today)]
    modules = split(written[0], written[1], out / "模块", force=force)
    written += modules
    _writers_edit(out / "模块")
    merged = assemble(written[0], out / "模块", out / "详细技术方案-V0.2.docx", force=force, today=today)
    written.append(merged.path)
    written.append(_text(out / "assemble.txt", _assemble_report(merged, format_findings), force))
    report = compare(written[0], merged.path)
    written.append(write_report(report, out / "版本差异.docx", force=force))
    final = release(merged.path, out / "详细技术方案-V1.0-终稿.docx", reviewer="王建国",
                    findings=gate_findings(merged.path), force=force, today=today)
    written.append(final)
    data = out / "data"
    store = store_path(data)
    if force and store.exists():
        store.unlink()
    with connect(store, create=True) as db:
        _sample_history(db, today)
    record_outcome(example, store, result="won", final=final, reason="影像调阅实测 1.6 秒，优于对手；分批迁移方案打消了停机顾虑",
                   competitor="某 PACS 厂商", value=3_860_000, decided=today)
    written.append(write_retro(example, store, out / "项目复盘.docx", settings=settings, force=force))
    with connect(store) as db:
        stats = format_stats(compute(db))
    written.append(_text(out / "cases-stats.txt", "$ docgen cases stats --data data\n"
                         f"(the earlier proposals are a sample history)\n{stats}\n", force))
    written.append(_text(out / "diff.txt", f"$ docgen proposal diff 详细技术方案-V0.1.docx 详细技术方案-V0.2.docx\n"
                         f"{format_report(report)}\n", force))
    return written


def _writers_edit(folder: Path) -> None:
    """What the two writers do in Word: the storage writer adds a sizing paragraph, a table and the
    migration steps; the matrix writer answers the row the library left 待确认, as a partial compliance."""
    from docgen.proposal.modules import read_manifest

    manifest = read_manifest(folder)
    storage = next(m for m in manifest.modules if m.where.endswith("› 存储"))
    document = docx.Document(str(folder / storage.file))
    document.add_paragraph("容量测算：现有影像 500TB，年增 180TB；按五年规划并保留 20% 余量，一期配置可用容量 1.6PB，"
                           "二期按实际增长扩容。")
    table = document.add_table(rows=4, cols=3)
    table.style = document.tables[-1].style
    for row, values in zip(table.rows, (("年份", "新增影像", "累计容量"), ("第 1 年", "180TB", "680TB"),
                                        ("第 3 年", "200TB", "1.06PB"), ("第 5 年", "220TB", "1.48PB"))):
        for cell, text in zip(row.cells, values):
            cell.text = text
    for step in ("在新存储上建立历史影像归档卷，按检查年份分批迁移；", "每批迁移后逐文件比对 SHA-256 校验值；",
                 "校验通过后在 PACS 中切换影像路径，光盘库保留只读三个月。"):
        document.add_paragraph(step, style="List Number")
    document.save(str(folder / storage.file))

    matrix = next(m for m in manifest.modules if m.where == "需求应答矩阵")
    document = docx.Document(str(folder / matrix.file))
    for table in document.tables:
        for row in table.rows:
            cells = row.cells
            if len(cells) >= 5 and cells[0].text.strip() == "2.2":
                _replace(cells[3], "分批迁移光盘库中约 200TB 历史影像并逐文件校验；光盘读取速度受限，迁移周期约 8 周，"
                                   "期间不影响在线调阅。")
                _replace(cells[4], "部分满足")
    document.save(str(folder / matrix.file))


def _replace(cell, text: str) -> None:
    paragraph = cell.paragraphs[0]
    for run in paragraph.runs[1:]:
        run._r.getparent().remove(run._r)
    if paragraph.runs:
        paragraph.runs[0].text = text
        paragraph.runs[0].font.highlight_color = None
    else:
        paragraph.add_run(text)


def _sample_history(db, today: dt.date) -> None:
    from docgen.casebook.outcomes import Outcome, record

    for client, industry, result, competitor, cases, months in SAMPLE_HISTORY:
        day = today - dt.timedelta(days=30 * months)
        record(db, Outcome(client=client, result=result, decided=day, industry=industry, competitor=competitor,
                           cases=cases, released=(day - dt.timedelta(days=20)).isoformat(), version="V1.0"))


def _assemble_report(merged, format_findings) -> str:
    from docgen.proposal.assemble import summary

    lines = ["$ docgen proposal assemble 详细技术方案-V0.1.docx 模块/ -o 详细技术方案-V0.2.docx", *summary(merged),
             format_findings(merged.findings)]
    return "\n".join(lines) + "\n"


def _text(path: Path, text: str, force: bool) -> Path:
    return write_atomic(path, text.encode("utf-8"), force=force)
