"""Benchmark: `docgen proposal respond` on a 300-row client sheet (target <= 3 s, issue 10).

    .venv/bin/python bench/respond.py [--rows 300] [--runs 3]

Builds a 技术规格响应表 the way a tender sends it (title rows, a merged two-row
header, a section row every 25 requirements, a ★ column, a 正偏离/无偏离/负偏离
dropdown, formulas in 备注), imports it with `docgen requirements import`, fills
the client fields, then times `docgen proposal respond` from the CLI in a fresh
process (as a user runs it) and prints the median of the runs, the load
average, and where the time goes in-process (responses, workbook write).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
from openpyxl.styles import Alignment, Font, PatternFill  # noqa: E402
from openpyxl.worksheet.datavalidation import DataValidation  # noqa: E402

from docgen.proposal.respond import respond, responses_for  # noqa: E402

DOCGEN = [sys.executable, "-m", "docgen"]
SECTIONS = ["存储系统", "网络", "安全", "灾备", "备份", "云平台", "运维", "服务", "数据平台", "大型机迁移", "机房", "终端"]
TEXTS = ["同城双活数据中心,核心系统 RPO=0、RTO<30 分钟", "核心数据库每日全量备份,保留 180 天", "全闪存阵列,可用容量不少于 500TB",
         "核心交换机双机冗余,万兆接入", "满足等保 2.0 三级要求并配合测评", "非核心业务迁移至信创私有云",
         "统一监控平台,告警推送企业微信", "7×24 小时驻场运维,4 小时到场", "支持 SD-WAN 组网,链路冗余"]


def client_sheet(path: Path, rows: int) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "技术规格响应表"
    ws["A1"] = "某银行数据中心项目 技术规格响应表"
    ws["A2"] = "招标编号:ZB-2026-018"
    for ref in ("A1:G1", "A2:G2", "A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:G4"):
        ws.merge_cells(ref)
    for ref, text in [("A3", "序号"), ("B3", "技术要求"), ("C3", "是否★"), ("D3", "投标人响应"), ("G3", "备注"),
                      ("D4", "响应内容"), ("E4", "是否满足"), ("F4", "偏离说明")]:
        ws[ref] = text
    for line in ws.iter_rows(min_row=3, max_row=4, max_col=7):
        for cell in line:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="1F4E78")
    row, section = 5, 0
    for n in range(rows):
        if n % 25 == 0:
            section += 1
            ws.cell(row, 1, f"{section}、{SECTIONS[(section - 1) % len(SECTIONS)]}")
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
            row += 1
        ws.cell(row, 1, f"{section}.{n % 25 + 1}")
        ws.cell(row, 2, f"{TEXTS[n % len(TEXTS)]}(第 {n + 1} 条)").alignment = Alignment(wrap_text=True)
        ws.cell(row, 3, "★" if n % 4 == 0 else None)
        ws.cell(row, 7, f'=IF(C{row}="★","实质性条款","")')
        row += 1
    dropdown = DataValidation(type="list", formula1='"正偏离,无偏离,负偏离"', allow_blank=True)
    ws.add_data_validation(dropdown)
    dropdown.add(f"E5:E{row}")
    for col, width in zip("ABCDEFG", (8, 50, 8, 40, 10, 30, 12)):
        ws.column_dimensions[col].width = width
    wb.save(path)
    return path


def imported(client: Path, folder: Path) -> Path:
    out = folder / "需求.yaml"
    subprocess.run([*DOCGEN, "requirements", "import", str(client), "-o", str(out)], check=True,
                   capture_output=True, cwd=folder)
    text = out.read_text(encoding="utf-8")
    for field, value in (("name", "某城市商业银行"), ("industry", "finance"), ("presales_owner", "张伟")):
        text = text.replace(f"\n  {field}:\n", f"\n  {field}: {value}\n")
    out.write_text(text, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        client = client_sheet(folder / "技术规格响应表.xlsx", args.rows)
        requirements = imported(client, folder)
        times = []
        for run in range(args.runs):
            out = folder / f"应答-{run}.xlsx"
            start = time.perf_counter()
            subprocess.run([*DOCGEN, "proposal", "respond", str(client), "--requirements", str(requirements),
                            "-o", str(out)], check=True, capture_output=True, cwd=folder)
            times.append(time.perf_counter() - start)
        load = os.getloadavg()
        median = statistics.median(times)
        print(f"proposal respond, {args.rows} rows, CLI (fresh process): median {median:.2f} s of "
              f"{', '.join(f'{t:.2f}' for t in times)}; target <= 3 s {'OK' if median <= 3 else 'MISSED'}")
        print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} CPUs)")

        start = time.perf_counter()
        answers = responses_for(requirements)
        middle = time.perf_counter()
        respond(client, requirements, folder / "in-process.xlsx", responses=answers)
        end = time.perf_counter()
        print(f"in-process: responses {middle - start:.2f} s (load, library, casebook match, selection), "
              f"read + write the workbook {end - middle:.2f} s")


if __name__ == "__main__":
    main()
