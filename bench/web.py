"""Web workspace benchmark (`docgen serve`): prints figures against the targets of issue 13.

    .venv/bin/python bench/web.py [--cases 10000] [--employees 100] [--queries 200] [--runs 3]
                                  [--parts search,fill,crowd,generated]

Starts the real server (uvicorn on 127.0.0.1, a free port, a temporary data
folder) and measures over loopback:
  - how long after start-up the casebook index is ready (it is built in the
    background; searches meanwhile are answered "being built" at once);
  - search page (/cases) and /api/cases latency p50/p95, warm, over the bundled
    casebook and over a generated one of --cases cases (target: p95 <= 100 ms);
  - a --employees fill job end to end through the web (upload, job, download)
    against `docgen review fill` on the same workbook, in the same run
    (target: <= 1.3x the CLI);
  - 20 simulated users at once, each filling 10 employees and running 50
    searches, against a server of its own: errors, wall time, and the server's
    peak memory (its process, and its process tree with the job processes).
Medians of --runs runs where a figure is a time. The load average is printed
at the start and the end: figures from a busy machine are not comparable.
Everything generated (casebooks, workbooks, data folders, index caches) stays
in a temporary folder that is removed at the end.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx

from tests.web.conftest import Session, csrf_of, start_server, stop_server

QUERIES = ["同城双活", "容灾 备份", "医院影像存储扩容", "等保三级", "SD-WAN 门店", "单点登录", "backup", "disaster recovery",
           "政务云 信创", "MES 数据平台", "运维监控", "observability alerts", "超融合", "勒索病毒 备份", "PACS storage"]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" ({os.cpu_count()} cores)"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def signed_in(url: str, name: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=300)
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"username": name, "password": password, "csrf_token": token})
    assert answer.status_code == 303, answer.text[:300]
    return client


def latency(client: httpx.Client, path: str, queries: int) -> tuple[float, float]:
    for q in QUERIES:  # warm: index loaded, jieba ready
        client.get(path, params={"q": q}).raise_for_status()
    times = []
    for i in range(queries):
        start = time.perf_counter()
        client.get(path, params={"q": QUERIES[i % len(QUERIES)], "top": "10"}).raise_for_status()
        times.append(time.perf_counter() - start)
    return percentile(times, 50) * 1000, percentile(times, 95) * 1000


def index_ready(client: httpx.Client, started: float) -> None:
    """Search from the moment the server answers until the index is there: how long the background build
    took, and how long any request waited (503 "being built" answers are quick, not a 22-54 s wait)."""
    waits, building = [], 0
    while True:
        start = time.perf_counter()
        answer = client.get("/api/cases", params={"q": "容灾"})
        waits.append(time.perf_counter() - start)
        if answer.status_code == 200:
            break
        assert answer.status_code == 503, answer.text[:300]
        building += 1
        time.sleep(0.5)
    return time.perf_counter() - started, building, max(waits)


def search_figures(label: str, url: str, queries: int, runs: int, started: float) -> None:
    client = signed_in(url, "sales1", "sales-pass-1")
    ready, building, longest = index_ready(client, started)
    print(f"  {label}: index ready {ready:.1f} s after the server started (built in the background); "
          f"{building} searches meanwhile told 'being built', the longest request took {longest:.2f} s")
    for path in ("/cases", "/api/cases"):
        results = [latency(client, path, queries) for _ in range(runs)]
        p50 = statistics.median(r[0] for r in results)
        p95 = statistics.median(r[1] for r in results)
        print(f"  {label} {path:<11} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  (median of {runs} x {queries} queries)"
              f"{'  OVER 100 ms' if p95 > 100 else ''}")
    client.close()


def web_fill(url: str, scores: bytes) -> float:
    client = signed_in(url, "hr1", "hr-pass-123")
    session = Session(client, csrf_of(client.get("/review").text))
    start = time.perf_counter()
    answer = session.post("/review/fill", {"role": "presales-engineer"}, files={"workbook": ("scores.xlsx", scores)})
    job_id = answer.headers["location"].rsplit("/", 1)[-1]
    while True:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            break
        time.sleep(0.05)
    assert job["state"] == "done", job
    data = client.get(job["download"]).content
    elapsed = time.perf_counter() - start
    client.close()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert "summary.xlsx" in zf.namelist()
    return elapsed


def cli_fill(scores: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "docgen", "review", "fill", str(scores), "--role", "presales-engineer",
                    "-o", str(out)], check=True, capture_output=True)
    return time.perf_counter() - start


class MemoryWatch:
    """Samples the resident memory of a process and of its whole tree every 50 ms."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak_tree = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _rss(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _tree(self) -> list[int]:
        found, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            try:
                for task in Path(f"/proc/{pid}/task").iterdir():
                    todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
        return found

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak_tree = max(self.peak_tree, sum(self._rss(p) for p in self._tree()))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def peak_server(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        return 0


def crowd(url: str, workbooks: list[bytes], searches: int) -> tuple[int, float]:
    """20 users at once: each signs in twice (HR and sales), fills its workbook, searches; returns (errors, seconds)."""
    errors = []

    def one(n: int) -> None:
        try:
            hr = signed_in(url, f"load{n}", "load-pass-123")
            sales = signed_in(url, f"seek{n}", "load-pass-123")
            session = Session(hr, csrf_of(hr.get("/review").text))
            answer = session.post("/review/fill", {"role": "presales-engineer"},
                                  files={"workbook": (f"scores-{n}.xlsx", workbooks[n])})
            job_url = answer.headers["location"]
            for i in range(searches):
                sales.get("/api/cases", params={"q": QUERIES[(n + i) % len(QUERIES)]}).raise_for_status()
            job = session.wait(job_url, timeout=900)
            packets = zipfile.ZipFile(io.BytesIO(hr.get(job["download"]).content)).namelist()
            if job["state"] != "done" or not all(p.startswith(f"U{n:02d}") for p in packets if p.endswith(".docx")):
                errors.append(f"user {n}: {job['state']} {job['message']}")
        except Exception as exc:  # noqa: BLE001 — count it, keep the others going
            errors.append(f"user {n}: {exc!r}")

    start = time.perf_counter()
    with ThreadPoolExecutor(len(workbooks)) as pool:
        list(pool.map(one, range(len(workbooks))))
    for error in errors[:5]:
        print(f"    {error}")
    return len(errors), time.perf_counter() - start


def crowd_workbooks(review_bench, folder: Path, users: int, employees: int) -> list[bytes]:
    from openpyxl import load_workbook

    base = review_bench.make_scores(folder / "crowd-base.xlsx", employees)
    out = []
    for n in range(users):
        wb = load_workbook(base)
        ws = wb["Scores"]
        for row in range(2, employees + 2):
            ws.cell(row=row, column=1, value=f"U{n:02d}E{row - 2:03d}")
        buffer = io.BytesIO()
        wb.save(buffer)
        out.append(buffer.getvalue())
    return out


def add_users(data: Path, users: int) -> None:
    from docgen.web.accounts import add_user
    from docgen.web.db import open_db

    db = open_db(data)
    for n in range(users):
        add_user(db, f"load{n}", "hr", "load-pass-123")
        add_user(db, f"seek{n}", "sales", "load-pass-123")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--employees", type=int, default=100)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--parts", default="search,fill,crowd,generated",
                        help="which figures: search (bundled casebook), fill, crowd (20 users, peak RSS), generated")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    casebook_bench, review_bench = _load("casebook"), _load("review")
    print(f"load average at start: {load_average()}")
    with tempfile.TemporaryDirectory(prefix="docgen-bench-web-") as tmp:
        tmp = Path(tmp)
        os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")  # the server's index cache stays in here too
        started = time.perf_counter()
        server = start_server(tmp / "data-bundled")
        try:
            if "search" in parts:
                print("search latency (warm, loopback, signed in as sales):")
                search_figures("bundled casebook", server.url, args.queries, args.runs, started)
            if "fill" in parts:
                fill_figures(review_bench, server.url, tmp, args.employees, args.runs)
        finally:
            stop_server(server)
        if "crowd" in parts:  # a server of its own: its peak memory is the crowd's
            server = start_server(tmp / "data-crowd")
            try:
                crowd_figures(review_bench, server, tmp, args.users)
            finally:
                stop_server(server)
        if "generated" in parts:
            generated_figures(casebook_bench, tmp, args.cases, args.queries, args.runs)
    print(f"load average at end: {load_average()}")


def fill_figures(review_bench, url: str, tmp: Path, employees: int, runs: int) -> None:
    scores = review_bench.make_scores(tmp / "scores.xlsx", employees)
    data = scores.read_bytes()
    web_times, cli_times = [], []
    for run in range(runs):
        cli_times.append(cli_fill(scores, tmp / f"cli-{run}"))
        web_times.append(web_fill(url, data))
    web, cli = statistics.median(web_times), statistics.median(cli_times)
    print(f"fill of {employees} employees (median of {runs}): web {web:.2f} s "
          f"(upload, job, download of the zip), CLI {cli:.2f} s, ratio {web / cli:.2f}x"
          f"{'  OVER 1.3x' if web / cli > 1.3 else ''}")


def crowd_figures(review_bench, server, tmp: Path, users: int) -> None:
    add_users(server.data, users)
    workbooks = crowd_workbooks(review_bench, tmp, users, 10)
    with MemoryWatch(server.process.pid) as watch:
        errors, seconds = crowd(server.url, workbooks, 50)
    alive = httpx.get(f"{server.url}/login", timeout=10).status_code == 200
    print(f"{users} users at once (fill of 10 + 50 searches each): {errors} errors, {seconds:.1f} s, "
          f"server answering afterwards: {alive}")
    print(f"  peak RSS: server process {watch.peak_server() / 2**20:.0f} MB, "
          f"server with its job processes {watch.peak_tree / 2**20:.0f} MB")


def generated_figures(casebook_bench, tmp: Path, cases: int, queries: int, runs: int) -> None:
    folder = tmp / "generated"
    start = time.perf_counter()
    casebook_bench.write_casebook(folder, cases)
    print(f"generated casebook: {cases} cases in {time.perf_counter() - start:.1f} s")
    started = time.perf_counter()
    server = start_server(tmp / "data-generated", "--casebook", str(folder))
    try:
        search_figures(f"{cases} cases", server.url, queries, runs, started)
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
