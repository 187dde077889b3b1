"""Security over plain HTTP against the live server: login, roles, CSRF, ids, throttle, cookies, uploads, headers."""

from __future__ import annotations

import io
import secrets
import zipfile

import pytest

from tests.web.conftest import PASSWORDS, csrf_of

JOB, FILE = "{job_hr}", "{file_hr}"
# (method, path, roles allowed besides admin); {…} are filled with ids made by the fixture below.
ROUTES = [
    ("GET", "/cases", {"sales", "presales"}),
    ("GET", "/api/cases?q=容灾", {"sales", "presales"}),
    ("GET", "/cases/bank-active-active-2024", {"sales", "presales"}),
    ("POST", "/cases/pack", {"sales", "presales"}),
    ("POST", "/cases/match", {"sales", "presales"}),
    ("GET", "/review", {"hr"}),
    ("POST", "/review/blank", {"hr"}),
    ("POST", "/review/scoresheet", {"hr"}),
    ("POST", "/review/fill", {"hr"}),
    ("GET", "/proposals", {"presales"}),
    ("POST", "/proposals/requirements", {"presales"}),
    ("POST", "/proposals/build", {"presales"}),
    ("POST", "/proposals/brief", {"presales"}),
    ("POST", "/proposals/plan", {"presales"}),
    ("POST", "/proposals/check", {"presales"}),
    ("POST", "/proposals/release", {"presales"}),
    ("GET", "/admin", set()),
    ("POST", "/admin/users", set()),
    ("POST", "/admin/users/nobody/disable", set()),
    ("GET", "/jobs/{job_hr}", {"hr"}),
    ("GET", "/jobs/{job_hr}/status", {"hr"}),
    ("GET", "/api/jobs/{job_hr}", {"hr"}),
    ("GET", "/jobs/{job_hr}/download", {"hr"}),
    ("GET", "/files/{file_hr}", {"hr"}),
    ("GET", "/jobs/{job_presales}", {"presales"}),
    ("GET", "/api/jobs/{job_presales}", {"presales"}),
    ("GET", "/files/{file_presales}", {"presales"}),
]
ROLES = ("admin", "hr", "presales", "sales")


@pytest.fixture(scope="module")
def ids(server, example_scores, example_requirements):
    hr = server.login("hr")
    with open(example_scores, "rb") as fh:
        answer = hr.post("/review/fill", {"role": "presales-engineer"}, files={"workbook": ("scores.xlsx", fh)})
    job_hr = hr.wait(answer.headers["location"])
    presales = server.login("presales")
    with open(example_requirements, "rb") as fh:
        answer = presales.post("/proposals/plan", files={"requirements": ("bank.yaml", fh)})
    job_presales = presales.wait(answer.headers["location"])
    assert job_hr["state"] == job_presales["state"] == "done", (job_hr, job_presales)
    return {"job_hr": job_hr["id"], "file_hr": job_hr["files"][0]["id"],
            "job_presales": job_presales["id"], "file_presales": job_presales["files"][0]["id"]}


@pytest.mark.parametrize("method, path", [(m, p) for m, p, _ in ROUTES] + [("GET", "/"), ("POST", "/logout")])
def test_every_page_and_api_without_login_goes_to_login(server, ids, method, path):
    answer = server.client().request(method, path.format(**ids))
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


@pytest.fixture(scope="module")
def sessions(server):
    return {role: server.login(role) for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, path, allowed", ROUTES)
def test_each_role_against_each_route(server, ids, sessions, role, method, path, allowed):
    session = sessions[role]
    url = path.format(**ids)
    answer = session.post(url) if method == "POST" else session.get(url)
    if role == "admin" or role in allowed:
        assert answer.status_code not in (403, 303) or answer.headers.get("location", "").startswith("/jobs/"), \
            f"{role} {method} {url}: {answer.status_code}"
    else:
        assert answer.status_code == 403, f"{role} {method} {url}: {answer.status_code}"
        assert "无权访问" in answer.text or url.startswith("/api/")


@pytest.mark.parametrize("path", ["/review/blank", "/review/fill", "/cases/pack", "/proposals/build", "/admin/users",
                                  "/logout"])
@pytest.mark.parametrize("token", [None, "wrong", ""])
def test_post_without_or_with_a_wrong_csrf_token_is_refused(server, sessions, path, token):
    session = sessions["admin"]
    data = {"role": "presales-engineer", "ids": "bank-active-active-2024", "username": "x", "password": "y" * 10}
    if token is not None:
        data["csrf_token"] = token
    answer = session.http.post(path, data=data)
    assert answer.status_code == 403
    assert session.get("/admin").status_code == 200  # still signed in: logout did not happen either


def test_login_needs_its_csrf_token(server):
    client = server.client()
    client.get("/login")
    answer = client.post("/login", data={"username": "boss", "password": PASSWORDS["boss"]})
    assert answer.status_code == 403 and "docgen_session" not in answer.cookies


@pytest.mark.parametrize("path", [
    "/jobs/" + secrets.token_urlsafe(16), "/api/jobs/" + secrets.token_urlsafe(16), "/files/" + secrets.token_urlsafe(16),
    "/jobs/1", "/api/jobs/1", "/files/1", "/jobs/1/download",
    "/files/..%2F..%2Fdocgen.sqlite3", "/files/%2e%2e%2fdocgen.sqlite3", "/jobs/..%2F..%2Fetc%2Fpasswd/download",
    "/files/....%2F%2Fdocgen.sqlite3",
])
def test_guessed_and_dotdot_ids_are_404(server, sessions, path):
    answer = sessions["admin"].get(path)
    assert answer.status_code == 404, path
    assert b"SQLite" not in answer.content


def test_a_sixth_failed_login_is_throttled(server):
    client = server.client()
    token = csrf_of(client.get("/login").text)
    try:
        for _ in range(5):
            answer = client.post("/login", data={"username": "sales1", "password": "wrong-password", "csrf_token": token})
            assert answer.status_code == 401
            assert "用户名或密码错误" in answer.text
        # The sixth attempt is refused even with the right password.
        answer = client.post("/login", data={"username": "sales1", "password": PASSWORDS["sales1"], "csrf_token": token})
        assert answer.status_code == 429 and "docgen_session" not in answer.cookies
        assert "15 分钟" in answer.text
    finally:
        server.db().execute("DELETE FROM login_failures")  # every test signs in from 127.0.0.1
    assert server.login("sales")


def test_the_session_cookie_is_httponly_and_samesite(server):
    client = server.client()
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"username": "hr1", "password": PASSWORDS["hr1"], "csrf_token": token})
    cookie = next(v for k, v in answer.headers.multi_items() if k == "set-cookie" and v.startswith("docgen_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie


def test_logout_ends_the_session(server):
    session = server.login("sales")
    assert session.post("/logout").status_code == 303
    assert session.get("/cases").headers["location"] == "/login"


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 << 20))
    return buffer.getvalue()


def test_an_uploaded_zip_bomb_is_refused_with_a_message(server, sessions):
    bomb = _zip_bomb()
    assert len(bomb) < 1 << 20
    answer = sessions["hr"].post("/review/fill", {"role": "presales-engineer"},
                                 files={"workbook": ("scores.xlsx", bomb)})
    assert answer.status_code == 400
    assert "zip 炸弹" in answer.text and "scores.xlsx" in answer.text


@pytest.mark.parametrize("route, field, name", [("/review/fill", "workbook", "scores.xlsx"),
                                                ("/proposals/requirements", "requirements", "client.xlsx"),
                                                ("/proposals/check", "draft", "draft.docx")])
def test_a_renamed_binary_is_refused_with_a_message(server, sessions, route, field, name):
    png = b"\x89PNG\r\n\x1a\n" + secrets.token_bytes(2000)
    answer = sessions["admin"].post(route, {"role": "presales-engineer"}, files={field: (name, png)})
    assert answer.status_code == 400
    assert "是否改过扩展名" in answer.text and name in answer.text


def test_an_upload_over_the_limit_is_refused(server, sessions):
    big = b"x" * (4 << 20)  # the test server allows 2 MB
    answer = sessions["hr"].post("/review/fill", {"role": "presales-engineer"}, files={"workbook": ("big.xlsx", big)})
    assert answer.status_code == 413 and "上传文件不得超过 2 MB" in answer.text


def test_internal_cases_are_404_for_sales_and_open_for_presales(server, sessions):
    from docgen.casebook.cases import load_casebook
    from docgen.core.config import bundled_path

    internal = [c for c in load_casebook(bundled_path("casebook")) if not c.external]
    assert internal
    for case in internal:
        assert sessions["sales"].get(f"/cases/{case.id}").status_code == 404
        assert sessions["presales"].get(f"/cases/{case.id}").status_code == 200
        found = sessions["sales"].get("/api/cases", params={"q": case.title, "all": "1", "top": "100"}).json()
        assert case.id not in {r["id"] for r in found}
        page = sessions["sales"].get("/cases", params={"q": case.title, "all": "1"}).text
        assert case.id not in page
        pack = sessions["sales"].post("/cases/pack", {"ids": case.id, "lang": "zh"})
        assert pack.status_code == 400 and f"没有编号为 {case.id!r} 的案例" in pack.text.replace("&#39;", "'")
    found = sessions["presales"].get("/api/cases", params={"q": internal[0].title, "all": "1"}).json()
    assert internal[0].id in {r["id"] for r in found}


def test_every_response_has_security_headers(server, sessions):
    for answer in (server.client().get("/login"), sessions["sales"].get("/cases"),
                   sessions["sales"].get("/api/cases"), server.client().get("/static/app.css")):
        csp = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert answer.headers["x-content-type-options"] == "nosniff"


def test_api_cases_gives_what_cases_search_json_gives(server, sessions):
    import json
    import subprocess
    import sys

    cli = subprocess.run([sys.executable, "-m", "docgen", "cases", "search", "同城双活", "容灾", "--top", "5", "--json"],
                         capture_output=True, text=True, check=True)
    web = sessions["sales"].get("/api/cases", params={"q": "同城双活 容灾", "top": "5"}).json()
    assert web == json.loads(cli.stdout)
    assert all(r["external"] for r in web)


def test_api_cases_refuses_a_bad_filter_with_the_library_message(server, sessions):
    answer = sessions["sales"].get("/api/cases", params={"industry": "bakery"})
    assert answer.status_code == 400 and "unknown industry" in answer.json()["error"]
    assert sessions["sales"].get("/api/cases", params={"top": "0"}).status_code == 400
