"""20 simulated users at once on loopback: each fills a workbook of their own and searches; nothing mixes up.

The issue's full size (10 employees and 50 searches each) runs in bench/web.py,
which also reports the server's peak memory; here it is scaled down to keep
the suite short, with the same 20 users at once.
"""

from __future__ import annotations

import io
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

from tests.web.conftest import Session, csrf_of

USERS = 20
EMPLOYEES = 2
SEARCHES = 20
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
    job = session.wait(job_url, timeout=180)
    assert job["state"] == "done", job
    archive = client.get(job["download"])
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zf:
        packets = sorted(name for name in zf.namelist() if name.endswith(".docx"))
    return {"n": n, "packets": packets, "worst_search": worst}


def test_twenty_users_fill_and_search_at_once(server):
    from docgen.web.accounts import add_user
    from docgen.web.db import open_db

    db = open_db(server.data)
    for n in range(USERS):
        for name, role in ((f"load{n}", "hr"), (f"seek{n}", "sales")):
            if not db.one("SELECT 1 FROM users WHERE name = ?", (name,)):
                add_user(db, name, role, "load-pass-123")
    workbooks = _workbooks(USERS)
    start = time.monotonic()
    with ThreadPoolExecutor(USERS) as pool:
        results = list(pool.map(lambda n: _one_user(server, n, workbooks[n]), range(USERS)))
    elapsed = time.monotonic() - start
    for result in results:
        n = result["n"]
        assert len(result["packets"]) == EMPLOYEES
        assert all(name.startswith(f"U{n:02d}E") for name in result["packets"]), result  # nobody else's packets
    assert server.client().get("/login").status_code == 200  # the server still answers
    assert elapsed < 170
