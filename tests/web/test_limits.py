"""A job over its time limit, the Secure cookie behind HTTPS, and the blank packet as PDF, against a real server."""

from __future__ import annotations

import re
import subprocess
import time

import httpx
import pytest

from tests.web.conftest import (
    PASSWORDS,
    USER_OF,
    Session,
    csrf_of,
    start_server,
    stop_server,
)


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory):
    running = start_server(tmp_path_factory.mktemp("strict") / "data", "--job-timeout", "10", "--secure-cookies")
    yield running
    stop_server(running)


def _cookie(answer, name: str) -> str:
    return next(c for c in answer.headers.get_list("set-cookie") if c.startswith(f"{name}="))


def _login_over_http(running, role: str) -> tuple[Session, str]:
    """Sign in to a --secure-cookies server over plain HTTP, as the reverse proxy's HTTPS would allow:
    the client would not send Secure cookies back over http://, so the test hands them back itself."""
    client = running.client()
    page = client.get("/login")
    client.cookies.set("docgen_csrf", _cookie(page, "docgen_csrf").split(";")[0].split("=", 1)[1])
    name = USER_OF[role]
    answer = client.post("/login", data={"username": name, "password": PASSWORDS[name],
                                         "csrf_token": csrf_of(page.text)})
    assert answer.status_code == 303, answer.text[:300]
    session_cookie = _cookie(answer, "docgen_session")
    client.cookies.set("docgen_session", session_cookie.split(";")[0].split("=", 1)[1])
    return Session(client, csrf_of(client.get(answer.headers["location"], follow_redirects=True).text)), session_cookie


def _slow_workbook(tmp_path, employees: int):
    from tests.helpers.review import ENGINEER, make_workbook, typical_row

    return make_workbook(tmp_path / "many.xlsx", ENGINEER, [typical_row(ENGINEER, n) for n in range(employees)])


@pytest.mark.libreoffice
def test_a_job_over_its_timeout_fails_with_a_message_and_the_server_keeps_serving(strict_server, tmp_path):
    hr, _ = _login_over_http(strict_server, "hr")
    # 60 packets as PDFs take LibreOffice far longer than the 10 s this server allows a job.
    slow = _slow_workbook(tmp_path, 60).read_bytes()
    started = time.monotonic()
    answer = hr.post("/review/fill", {"role": "presales-engineer", "pdf": "1"}, files={"workbook": ("many.xlsx", slow)})
    assert answer.status_code == 303
    job = hr.wait(answer.headers["location"], timeout=60)
    assert job["state"] == "failed" and job["message"] == "timed out after 10 s; the job was stopped", job
    assert time.monotonic() - started < 40
    page = hr.get(answer.headers["location"]).text
    assert "超过 10 秒未完成，任务已停止" in page
    assert job["download"] is None and hr.get(answer.headers["location"] + "/download").status_code == 404
    # The server answers and the pool has its worker back: a small job still runs to the end.
    assert strict_server.client().get("/login").status_code == 200
    small = _slow_workbook(tmp_path, 2).read_bytes()
    again = hr.post("/review/fill", {"role": "presales-engineer"}, files={"workbook": ("two.xlsx", small)})
    assert hr.wait(again.headers["location"], timeout=60)["state"] == "done"


def test_secure_cookies_mark_the_session_cookie_secure(strict_server, server):
    _, secure = _login_over_http(strict_server, "sales")
    assert re.search(r";\s*secure\b", secure, re.IGNORECASE), secure
    assert re.search(r";\s*httponly\b", secure, re.IGNORECASE) and re.search(r"samesite=lax", secure, re.IGNORECASE)
    with httpx.Client(base_url=server.url, follow_redirects=False, timeout=30) as client:
        token = csrf_of(client.get("/login").text)
        name = USER_OF["sales"]
        answer = client.post("/login", data={"username": name, "password": PASSWORDS[name], "csrf_token": token})
        assert answer.status_code == 303  # without --secure-cookies, plain HTTP on a laptop works as it is
    plain = _cookie(answer, "docgen_session")
    assert not re.search(r";\s*secure\b", plain, re.IGNORECASE), plain


@pytest.mark.libreoffice
def test_the_blank_packet_as_pdf_has_14_pages(server, tmp_path):
    hr = server.login("hr")
    answer = hr.post("/review/blank", {"role": "presales-engineer", "lang": "zh", "format": "pdf"})
    assert answer.status_code == 200, answer.text[:500]
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    path = tmp_path / "blank.pdf"
    path.write_bytes(answer.content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+14$", info, re.MULTILINE), info
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "绩效" in text  # a Chinese packet, rendered
