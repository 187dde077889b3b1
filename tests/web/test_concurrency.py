"""20 simulated users at once on loopback: each fills a workbook of 10 employees and runs 50 searches.

The issue's scale, bounded: 20 threads, every request with a 60 s timeout,
every job waited for at most 240 s, the whole run under 300 s (it takes
about a minute on a 2-core machine). Nobody's packets land in another's
archive (each user's employee ids are their own, checked in the packet file
names and in summary.xlsx), the server answers a probe while it is loaded,
and after. bench/web.py runs the same load and reports the server's peak memory.
"""

from __future__ import annotations

import io
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.web.conftest import Session, csrf_of

pytestmark = pytest.mark.slow  # runs in CI (.ci/run runs every test)

USERS = 20
EMPLOYEES = 10
SEARCHES = 50
WORDS = ("同城双活", "容灾 备份", "SD-WAN", "医院 影像", "等保", "信创 云平台", "data platform", "MES")


def _workbooks(count: int) -> list[bytes]:
    """One workbook per user, each with employee ids only that user has (U03E00, U03E01 …)."""
    from docgen.review.scoresheet import SCORES, build_workbook
    from tests.helpers.review import ENGINEER, typical_row

    wb = build_workbook(ENGINEER)
    ws = wb[SCORES]
    columns = {str(c.value).split()[0]: c.column for c in ws[1]}  # key before its label
    out = []
    for n in range(count):
        for r in range(EMPLOYEES):
            row = typical_row(ENGINEER, r, employee_id=f"U{n:02d}E{r:02d}", name=f"用户{n}员工{r}")
            for name, value in row.items():
                ws.cell(row=r + 2, column=columns[name], value=value)
        buffer = io.BytesIO()
        wb.save(buffer)
        out.append(buffer.getvalue())
    return out


def _signed_in(server, name: str):
    client = server.client()
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"username": name, "password": "load-pass-123", "csrf_token": token})
    assert answer.status_code == 303, answer.text[:300]
    return client


def _one_user(server, n: int, workbook: bytes) -> dict:
    # Each simulated person is an HR officer filling packets and a salesperson searching, at once.
    client = _signed_in(server, f"load{n}")
    searcher = _signed_in(server, f"seek{n}")
    session = Session(client, csrf_of(client.get("/review").text))
    answer = session.post("/review/fill", {"role": "presales-engineer"}, files={"workbook": (f"scores-{n}.xlsx", workbook)})
    assert answer.status_code == 303, answer.text[:500]
    job_url = answer.headers["location"]
    worst = 0.0
    for i in range(SEARCHES):
        start = time.perf_counter()
        found = searcher.get("/api/cases", params={"q": WORDS[(n + i) % len(WORDS)], "top": "5"})
        worst = max(worst, time.perf_counter() - start)
        assert found.status_code == 200 and isinstance(found.json(), list)
    job = session.wait(job_url, timeout=240)
    assert job["state"] == "done", job
    archive = client.get(job["download"])
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zf:
        packets = sorted(name for name in zf.namelist() if name.endswith(".docx"))
        summary_ids = _summary_ids(zf.read("summary.xlsx"))
    return {"n": n, "packets": packets, "summary_ids": summary_ids, "worst_search": worst}


def _summary_ids(data: bytes) -> set[str]:
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return {str(cell) for row in ws.iter_rows(values_only=True) for cell in row
            if isinstance(cell, str) and len(cell) == 6 and cell[0] == "U" and cell[3] == "E"}


def _probe(server, stop: threading.Event, answers: list) -> None:
    """While the 20 users work, someone opens the login page every second: the server must answer."""
    client = server.client()
    while not stop.wait(1.0):
        start = time.perf_counter()
        answers.append((client.get("/login").status_code, time.perf_counter() - start))


def test_twenty_users_fill_and_search_at_once(server):
    from docgen.web.accounts import add_user
    from docgen.web.db import open_db

    db = open_db(server.data)
    for n in range(USERS):
        for name, role in ((f"load{n}", "hr"), (f"seek{n}", "sales")):
            if not db.one("SELECT 1 FROM users WHERE name = ?", (name,)):
                add_user(db, name, role, "load-pass-123")
    workbooks = _workbooks(USERS)
    stop, probes = threading.Event(), []
    prober = threading.Thread(target=_probe, args=(server, stop, probes), daemon=True)
    prober.start()
    start = time.monotonic()
    try:
        with ThreadPoolExecutor(USERS) as pool:
            results = list(pool.map(lambda n: _one_user(server, n, workbooks[n]), range(USERS), timeout=300))
    finally:
        stop.set()
        prober.join(35)
    elapsed = time.monotonic() - start
    for result in results:
        n = result["n"]
        own = {f"U{n:02d}E{r:02d}" for r in range(EMPLOYEES)}
        assert len(result["packets"]) == EMPLOYEES
        assert all(name.startswith(f"U{n:02d}E") for name in result["packets"]), result  # nobody else's packets
        assert result["summary_ids"] == own, result
    assert probes and all(status == 200 for status, _ in probes), probes
    assert max(seconds for _, seconds in probes) < 10, probes  # answering, not merely alive
    assert server.client().get("/login").status_code == 200  # the server still answers
    assert elapsed < 300
