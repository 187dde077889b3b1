"""Benchmark: filling KPI review packets (issue 3).

    python bench/review.py [--employees 1000] [--plain 40] [--pdf-docs 100] [--no-pdf] [--rss-employees 10000]

Prints, from one run on one machine, for the same template and contexts:
  (a) plain docxtpl: new DocxTemplate + render + save per packet (on --plain packets)
  (b) docgen review fill, --jobs 1 (one prepared DocumentTemplate)
  (c) docgen review fill, --jobs 2 (one prepared template per process)
  (d) `docgen review fill --jobs 2` end to end from the CLI for --employees packets
  (e) PDF export of --pdf-docs packets with 2 LibreOffice processes
  (f) peak RSS of `docgen review fill --jobs 1` for --rss-employees packets (issue 14: <= 200 MiB
      at 10,000), the maximum resident set of the process as the kernel reports it (wait4,
      from a small process of its own)
with the ratios (b)/(a) (target >= 10x) and (c)/(b) (target >= 1.6x).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from docgen.core.render import clean_context
from docgen.review.batch import FillOptions, fill, template_path
from docgen.review.packet import filled_context
from docgen.review.roles import load_role
from docgen.review.scoresheet import SCORES, build_workbook, read_scoresheet


def make_scores(path: Path, employees: int) -> Path:
    """A score workbook of `employees` varied rows (some scores left to the machine rules)."""
    role = load_role("presales-engineer")
    wb = build_workbook(role)
    ws = wb[SCORES]
    columns = {str(c.value).split()[0]: c.column for c in ws[1]}  # the name before its label
    for n in range(employees):
        row = {"employee_id": f"E{n:05d}", "name": f"员工{n}", "department": f"售前{n % 7 + 1}部",
               "position": "售前工程师", "manager": "王经理", "period": "2026 年度",
               "adjustment": (n % 11) - 5, "adjustment_reason": "项目贡献" if n % 3 else "",
               "manager_comment": "工作认真,方案质量稳定。" * (1 + n % 20)}
        for i, k in enumerate(role.kpis):
            row[f"{k.code}.target"], row[f"{k.code}.actual"] = 100, 70 + (n * 7 + i) % 40
            row[f"{k.code}.self"] = k.weight
            row[f"{k.code}.score"] = None if (n + i) % 4 == 0 and k.machine else k.weight - (n + i) % 4
        for i, b in enumerate(role.behaviors):
            row[f"{b.code}.self_level"], row[f"{b.code}.level"] = 5, 1 + (n + i) % 5
        for name, value in row.items():
            ws.cell(row=n + 2, column=columns[name], value=value)
    wb.save(path)
    return path


def plain_docxtpl(role, people, out: Path) -> float:
    """Seconds per packet for docxtpl used as documented: a fresh template per document."""
    template = template_path("zh")
    start = time.perf_counter()
    for person in people:
        doc = DocxTemplate(str(template))
        doc.render(clean_context(filled_context(role, person, "zh").context), jinja_env=SandboxedEnvironment(autoescape=True),
                   autoescape=True)
        doc.save(out / f"{person.employee_id}.docx")
    return (time.perf_counter() - start) / len(people)


def timed_fill(scores: Path, role, out: Path, jobs: int) -> tuple[float, int]:
    start = time.perf_counter()
    result = fill(scores, role, out, FillOptions(jobs=jobs))
    return time.perf_counter() - start, len(result.packets)


def docgen_command() -> str:
    return str(Path(sys.executable).parent / "docgen")


# Runs a command and prints its peak RSS in KiB. A small process of its own: Linux counts the memory
# a child had when it was forked (a copy of its parent's) in the child's peak, so the fill must not be
# forked from this benchmark, which holds a 10,000-row workbook.
# Its messages go to a file: a pipe nobody reads while it runs would stop it at the first 64 KiB.
_PEAK_RSS = """
import os, subprocess, sys, tempfile
with tempfile.TemporaryFile() as messages:
    process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=messages)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        messages.seek(0)
        sys.exit(messages.read().decode(errors="replace")[-2000:])
print(usage.ru_maxrss)
"""


def fill_peak_rss(scores: Path, out: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of `docgen review fill --jobs 1` as its own process."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _PEAK_RSS, docgen_command(), "review", "fill", str(scores),
                             "--role", "presales-engineer", "-o", str(out), "--jobs", "1"],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"review fill failed: {result.stderr}")
    return time.perf_counter() - start, int(result.stdout) / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=1000)
    parser.add_argument("--plain", type=int, default=40, help="packets for plain docxtpl (it is slow)")
    parser.add_argument("--pdf-docs", type=int, default=100)
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--rss-employees", type=int, default=10_000, help="packets for (f); 0 skips it")
    args = parser.parse_args()
    role = load_role("presales-engineer")
    with tempfile.TemporaryDirectory(prefix="bench-review-") as work:
        root = Path(work)
        scores = make_scores(root / "scores.xlsx", args.employees)
        start = time.perf_counter()
        people = read_scoresheet(scores, role).employees
        print(f"read + validate {len(people)} rows: {time.perf_counter() - start:.2f} s")

        (root / "plain").mkdir()
        plain = plain_docxtpl(role, people[: args.plain], root / "plain")
        print(f"(a) plain docxtpl:        {plain * 1000:7.1f} ms/packet  {1 / plain:7.1f} packets/s  ({args.plain} packets)")
        one, n = timed_fill(scores, role, root / "jobs1", 1)
        print(f"(b) docgen fill --jobs 1: {one / n * 1000:7.1f} ms/packet  {n / one:7.1f} packets/s  ({n} packets, incl. read + summary)")
        two, n = timed_fill(scores, role, root / "jobs2", 2)
        print(f"(c) docgen fill --jobs 2: {two / n * 1000:7.1f} ms/packet  {n / two:7.1f} packets/s")
        print(f"    ratio (b)/(a) = {plain / (one / n):.1f}x (target >= 10x);  (c)/(b) = {one / two:.2f}x (target >= 1.6x)")

        start = time.perf_counter()
        subprocess.run([docgen_command(), "review", "fill", str(scores), "--role", "presales-engineer",
                        "-o", str(root / "cli"), "--jobs", "2"], check=True, capture_output=True)
        cli = time.perf_counter() - start
        print(f"(d) CLI end to end, {n} packets, --jobs 2: {cli:.1f} s (target < 60 s)")

        if not args.no_pdf:
            from docgen.core.pdf import convert_to_pdf

            docs = sorted((root / "jobs2").glob("*.docx"))[: args.pdf_docs]
            start = time.perf_counter()
            convert_to_pdf(docs, root / "pdf", jobs=2)
            pdf = time.perf_counter() - start
            print(f"(e) PDF, {len(docs)} packets, 2 LibreOffice processes: {pdf:.1f} s = {pdf / len(docs):.2f} s/packet (target <= 0.5)")


        if args.rss_employees:
            big = make_scores(root / f"scores-{args.rss_employees}.xlsx", args.rss_employees)
            seconds, peak = fill_peak_rss(big, root / "rss")
            print(f"(f) CLI review fill --jobs 1, {args.rss_employees} packets: {seconds:.0f} s, "
                  f"peak RSS {peak:.0f} MiB (target <= 200 MiB at 10,000)")


if __name__ == "__main__":
    main()
