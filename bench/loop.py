"""Benchmark: the presales loop's two heavy steps.

    .venv/bin/python bench/loop.py [--proposals 10000] [--runs 3]

1. `proposal assemble` of a 40-page draft from 12 modules: the bundled bank example's detailed
   draft is split by its plan (12 modules); every writer adds about a page and a half (paragraphs,
   a table, a numbered list, a picture) so the merged draft has about 40 pages (LibreOffice counts
   them once). Timed: assemble() in-process (merge, version, plan update and the `proposal check`
   on the result), and the CLI command in a fresh process.
2. `cases stats` over 10,000 recorded proposals (random industries, competitors, results and 1–4
   of the bundled cases each): compute() in-process, and the CLI command in a fresh process.
Figures are the median of --runs runs, wall time and CPU time (user + system of this process and its
children: on a loaded machine the wall time mostly measures the wait for a CPU); the load average is
printed before and after.
Targets (issue 15): assemble <= 3 s; stats <= 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from docx.shared import Cm  # noqa: E402

from docgen.core.config import bundled_path  # noqa: E402

DOCGEN = [sys.executable, "-m", "docgen"]
# An installed docgen has its .pyc files; a sandbox with PYTHONDONTWRITEBYTECODE would time the compiler
# in every fresh process. The CLI runs write them (one untimed warm-up run each) and use them.
CLI_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
BANK = bundled_path("requirements_forms") / "example-bank-zh.yaml"
PARAGRAPH = ("本模块补充说明:结合贵行现有架构,我们对实施步骤、切换窗口、回退预案和验收口径逐项细化,"
             "确保每一项措施都有负责人、时间点和可验证的结果。") * 3


def loadavg() -> str:
    return open("/proc/loadavg").read().split(" ")[:3].__str__()


def median_time(function, runs: int, warm_up: bool = False) -> str:
    """Median wall time and, beside it, median CPU time (this process and its children): on a loaded
    machine the wall time mostly measures the queue for the CPU."""
    if warm_up:
        function()
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), _cpu()
        function()
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    return f"{statistics.median(walls):.3f} s wall, {statistics.median(cpus):.3f} s CPU"


def _cpu() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def writer_adds_a_page_and_a_half(path: Path, n: int, picture: Path) -> None:
    document = docx.Document(str(path))
    for k in range(7):
        document.add_paragraph(f"{n}.{k} {PARAGRAPH}")
    table = document.add_table(rows=8, cols=3)
    table.style = document.tables[-1].style
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"第 {r} 行第 {c} 列"
    for k in range(4):
        document.add_paragraph(f"步骤 {k + 1}:逐项核对并记录结果。", style="List Number")
    document.add_picture(str(picture), width=Cm(8))
    document.save(str(path))


def prepare_assembly(folder: Path) -> tuple[Path, Path, Path]:
    from PIL import Image

    from docgen.proposal.build import prepare, render_draft, render_plan
    from docgen.proposal.split import split

    prepared = prepare(BANK)
    draft = render_draft(prepared, "detailed", folder / "draft.docx")
    plan = render_plan(prepared, folder / "plan.xlsx")
    modules = folder / "modules"
    files = [p for p in split(draft, plan, modules) if p.suffix == ".docx"]
    picture = folder / "picture.png"
    Image.new("RGB", (800, 400), (40, 110, 180)).save(picture)
    for n, path in enumerate(files):
        writer_adds_a_page_and_a_half(path, n, picture)
    return draft, plan, modules


def pages(path: Path, folder: Path) -> int:
    from docgen.core.pdf import convert_to_pdf, libreoffice_available

    if not libreoffice_available():
        return -1
    pdf = convert_to_pdf([path], folder / "pdf")[0]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def bench_assemble(folder: Path, runs: int) -> None:
    from docgen.proposal.assemble import assemble

    draft, plan, modules = prepare_assembly(folder)
    keep = folder / "plan-original.xlsx"
    shutil.copy(plan, keep)
    out = folder / "draft-v2.docx"

    def in_process():
        shutil.copy(keep, plan)
        assemble(draft, modules, out, force=True)

    def cli():
        shutil.copy(keep, plan)
        subprocess.run([*DOCGEN, "proposal", "assemble", str(draft), str(modules), "-o", str(out), "--force"],
                       check=True, capture_output=True, env=CLI_ENV)

    print(f"assemble, in-process (merge + version + plan + check): {median_time(in_process, runs)}")
    print(f"assemble, CLI in a fresh process:                      {median_time(cli, runs, True)}")
    result = assemble(draft, modules, out, force=True)
    print(f"  {len(result.merged)} modules merged; draft {pages(draft, folder)} pages -> "
          f"assembled {pages(out, folder)} pages (LibreOffice)")


def bench_stats(folder: Path, count: int, runs: int) -> None:
    from docgen.casebook.cases import load_casebook
    from docgen.casebook.outcomes import Outcome, connect, record_many, store_path
    from docgen.casebook.stats import compute

    rng = random.Random(15)
    case_ids = [c.id for c in load_casebook(bundled_path("casebook"))]
    industries = ["finance", "healthcare", "government", "manufacturing", "energy", "education", "telecom"]
    competitors = ["", "某国际存储厂商", "某本地集成商", "某 PACS 厂商", "某云厂商", "某网络厂商"]
    start_day = dt.date(2020, 1, 1)
    store = store_path(folder / "data")
    began = time.perf_counter()
    with connect(store, create=True) as db:
        record_many(db, (Outcome(client=f"客户{n}", project=f"项目{n}", result=rng.choice(("won", "lost", "lost", "pending", "no-bid")),
                                 decided=start_day + dt.timedelta(days=rng.randint(0, 2500)),
                                 industry=rng.choice(industries), competitor=rng.choice(competitors),
                                 cases=tuple(rng.sample(case_ids, rng.randint(1, 4))))
                         for n in range(count)))
    print(f"recorded {count:,} proposals in {time.perf_counter() - began:.1f} s ({store.stat().st_size // 1024} KB)")

    def in_process():
        with connect(store) as db:
            compute(db)

    def cli():
        subprocess.run([*DOCGEN, "cases", "stats", "--data", str(store.parent)], check=True, capture_output=True,
                       env=CLI_ENV)

    def cli_json_since():
        subprocess.run([*DOCGEN, "cases", "stats", "--data", str(store.parent), "--json", "--since", "2024-01-01"],
                       check=True, capture_output=True, env=CLI_ENV)

    print(f"cases stats, in-process compute():   {median_time(in_process, runs)}")
    print(f"cases stats, CLI in a fresh process: {median_time(cli, runs, True)}")
    print(f"cases stats --json --since, CLI:     {median_time(cli_json_since, runs, True)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    print(f"load average before: {loadavg()}  (median of {args.runs} runs)")
    with tempfile.TemporaryDirectory() as tmp:
        bench_assemble(Path(tmp) / "assemble", args.runs)
        bench_stats(Path(tmp) / "stats", args.proposals, args.runs)
    print(f"load average after:  {loadavg()}")


if __name__ == "__main__":
    main()
