"""The workspace's parts without a browser: schema migrations, the job pool, accounts, the users commands, words."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from docgen.web.accounts import (
    add_user,
    authenticate,
    find_session,
    list_users,
    set_disabled,
    start_session,
)
from docgen.web.config import WebConfig
from docgen.web.db import MIGRATIONS, open_db

WEB = Path(__file__).resolve().parents[2] / "docgen" / "web"


def test_a_new_data_folder_gets_the_current_schema_once(tmp_path):
    db = open_db(tmp_path / "data")
    assert db.version() == len(MIGRATIONS)
    assert open_db(tmp_path / "data").version() == len(MIGRATIONS)  # a second start migrates nothing
    assert db.one("PRAGMA journal_mode")[0] == "wal"
    assert db.all("SELECT version FROM schema_version")[0]["version"] == 1


def test_accounts_hash_passwords_and_disabling_ends_sessions(tmp_path):
    from docgen.core.errors import InputError

    db = open_db(tmp_path)
    user = add_user(db, "王工", "presales", "a-long-password")
    stored = db.one("SELECT password_hash FROM users WHERE id = ?", (user.id,))["password_hash"]
    assert stored.startswith("$argon2id$") and "a-long-password" not in stored
    assert authenticate(db, "王工", "a-long-password", "1.2.3.4") == user
    assert authenticate(db, "王工", "wrong", "1.2.3.4") is None
    token, _ = start_session(db, user)
    assert find_session(db, token).user == user
    set_disabled(db, "王工")
    assert find_session(db, token) is None
    assert authenticate(db, "王工", "a-long-password", "1.2.3.4") is None
    with pytest.raises(InputError, match="already exists"):
        add_user(db, "王工", "sales", "another-password")
    with pytest.raises(InputError) as caught:
        add_user(db, "has space", "boss", "short")
    assert {p.where.field for p in caught.value.problems} == {"name", "role", "password"}


def test_a_job_that_crashes_fails_alone_with_a_message(tmp_path):
    from docgen.web.jobs import JobRunner, job_row

    config = WebConfig(data=tmp_path / "data", casebook=tmp_path, workers=1, job_timeout=60)
    db = open_db(config.data)
    user = add_user(db, "hr", "hr", "hr-password-1")
    runner = JobRunner(config, db)
    try:
        broken = runner.submit("no-such-kind", "hr", user.id, {})
        missing = runner.submit("fill", "hr", user.id, {"upload": str(tmp_path / "gone.xlsx"), "upload_name": "gone.xlsx",
                                                        "role": "presales-engineer"})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and {job_row(db, j)["state"] for j in (broken, missing)} - {"failed", "done"}:
            time.sleep(0.1)
    finally:
        runner.shutdown()
    crashed = job_row(db, broken)
    assert crashed["state"] == "failed" and "internal error (KeyError" in crashed["message"]
    bad_input = job_row(db, missing)
    assert bad_input["state"] == "failed" and bad_input["problems"][0]["file"] == "gone.xlsx"
    assert str(tmp_path) not in str(bad_input["problems"])  # the server's paths are not shown


def test_jobs_left_by_a_killed_server_are_marked_failed(tmp_path):
    from docgen.web.jobs import JobRunner, job_row

    config = WebConfig(data=tmp_path, casebook=tmp_path, workers=1)
    db = open_db(tmp_path)
    user = add_user(db, "hr", "hr", "hr-password-1")
    db.execute("INSERT INTO jobs (id, kind, area, user_id, state, params, created) "
               "VALUES ('AAAAAAAAAAAAAAAAAAAAAA', 'fill', 'hr', ?, 'running', '{}', 0)", (user.id,))
    runner = JobRunner(config, db)
    assert runner.recover() == 1
    runner.shutdown()
    assert "restarted" in job_row(db, "AAAAAAAAAAAAAAAAAAAAAA")["message"]


def test_users_commands(tmp_path):
    def docgen(*args, stdin=""):
        return subprocess.run([sys.executable, "-m", "docgen", *args], check=False, input=stdin, capture_output=True, text=True,
                              timeout=60, cwd=tmp_path)

    added = docgen("users", "add", "li", "--role", "sales", "--password-stdin", stdin="sales-password\n")
    assert added.returncode == 0 and "added li (sales)" in added.stdout
    assert (tmp_path / "docgen-data" / "docgen.sqlite3").is_file()
    short = docgen("users", "add", "zhao", "--role", "hr", "--password-stdin", stdin="short\n")
    assert short.returncode == 2 and "at least 8 characters" in short.stderr and "Traceback" not in short.stderr
    again = docgen("users", "add", "li", "--role", "hr", "--password-stdin", stdin="sales-password\n")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert docgen("users", "disable", "li").returncode == 0
    assert docgen("users", "list").stdout.split() == ["li", "sales", "disabled"]
    assert docgen("users", "disable", "nobody").returncode == 2
    assert [u.name for u in list_users(open_db(tmp_path / "docgen-data"))] == ["li"]


def test_serve_says_how_to_make_the_first_admin(tmp_path):
    from tests.web.conftest import free_port

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "docgen", "serve", "--port", str(port), "--data", "d"],
                               cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        lines = [process.stderr.readline() for _ in range(3)]
    finally:
        process.terminate()
        process.wait(10)
    text = "".join(lines)
    assert "docgen users add NAME --role admin --data d" in text
    assert f"http://127.0.0.1:{port}/" in text


def test_every_word_on_the_pages_has_its_chinese():
    from docgen.web.i18n import ZH

    used = set()
    for path in [*(WEB / "templates").glob("*.html"), *(WEB / "routes").glob("*.py"), WEB / "pages.py"]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'\bt\("([^"]+)"\)', text))
        for title, message in re.findall(r'error_page\(request, \d+, "([^"]+)", "([^"]+)"\)', text):
            used |= {title, message}  # error.html shows both through t()
        used |= set(re.findall(r'\(".+?", "([^"]+)", \(', text))  # the navigation labels
    missing = sorted(u for u in used if u not in ZH)
    assert not missing, missing
    assert len(used) > 80


def test_the_progress_bar_counts_employee_rows_without_reading_the_workbook(tmp_path, example_scores):
    from docgen.web.xlsxcount import count_rows
    from tests.helpers.review import ENGINEER, make_workbook, typical_row

    assert count_rows(example_scores, "Scores") == 6
    rows = [typical_row(ENGINEER, n) for n in range(12)]
    assert count_rows(make_workbook(tmp_path / "twelve.xlsx", ENGINEER, rows), "Scores") == 12
    assert count_rows(make_workbook(tmp_path / "none.xlsx", ENGINEER, []), "Scores") == 0  # styled rows are not people
    assert count_rows(example_scores, "No such sheet") == 0
    (tmp_path / "junk.xlsx").write_bytes(b"PK\x03\x04 not really")
    assert count_rows(tmp_path / "junk.xlsx", "Scores") == 0
