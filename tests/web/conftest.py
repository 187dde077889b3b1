"""A real `docgen serve` (uvicorn on 127.0.0.1, a free port, a temporary data folder) for the web tests.

The server runs in a subprocess started exactly as a user starts it; the tests
talk to it over HTTP (httpx) or drive it with Chromium (Playwright). Accounts
are made with the library before it starts; one test makes them with the CLI.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

PASSWORDS = {"boss": "admin-pass-1", "hr1": "hr-pass-123", "pre1": "presales-pass-1", "sales1": "sales-pass-1"}
ROLES = {"boss": "admin", "hr1": "hr", "pre1": "presales", "sales1": "sales"}
USER_OF = {role: name for name, role in ROLES.items()}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    data: Path
    process: subprocess.Popen
    log: Path
    clients: list = field(default_factory=list)

    def client(self, **kwargs) -> httpx.Client:
        client = httpx.Client(base_url=self.url, follow_redirects=False, timeout=60, **kwargs)
        self.clients.append(client)
        return client

    def login(self, role: str) -> Session:
        name = USER_OF[role]
        client = self.client()
        token = csrf_of(client.get("/login").text)
        answer = client.post("/login", data={"username": name, "password": PASSWORDS[name], "csrf_token": token})
        assert answer.status_code == 303, answer.text[:500]
        return Session(client, csrf_of(client.get(answer.headers["location"], follow_redirects=True).text))

    def db(self):
        import sqlite3

        return sqlite3.connect(self.data / "docgen.sqlite3", isolation_level=None)


@dataclass
class Session:
    http: httpx.Client
    csrf: str

    def post(self, path: str, data: dict | None = None, files=None, **kwargs):
        return self.http.post(path, data={"csrf_token": self.csrf, **(data or {})}, files=files, **kwargs)

    def get(self, path: str, **kwargs):
        return self.http.get(path, **kwargs)

    def wait(self, job_url: str, timeout: float = 120) -> dict:
        job_id = job_url.rstrip("/").rsplit("/", 1)[-1]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.http.get(f"/api/jobs/{job_id}").json()
            if job["state"] in ("done", "failed"):
                return job
            time.sleep(0.5)
        raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, html[:500]
    return match.group(1)


def start_server(data: Path, *extra: str) -> Server:
    from docgen.web.accounts import add_user
    from docgen.web.db import open_db

    db = open_db(data)
    for name, role in ROLES.items():
        if not db.one("SELECT 1 FROM users WHERE name = ?", (name,)):
            add_user(db, name, role, PASSWORDS[name])
    port = free_port()
    log = data.parent / f"serve-{port}.log"
    process = subprocess.Popen([sys.executable, "-m", "docgen", "serve", "--port", str(port), "--data", str(data),
                                *extra], stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"docgen serve exited: {log.read_text()}")
        try:
            if httpx.get(f"{url}/login", timeout=2).status_code == 200:
                return Server(url, data, process, log)
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError(f"docgen serve did not answer in 30 s: {log.read_text()}")


def stop_server(server: Server) -> None:
    for client in server.clients:
        client.close()
    server.process.terminate()
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(5)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory):
    running = start_server(tmp_path_factory.mktemp("web") / "data", "--max-upload-mb", "2")
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def example_scores() -> Path:
    from docgen.core.config import bundled_path

    return bundled_path("templates") / "review" / "example-scores.xlsx"


@pytest.fixture(scope="session")
def example_requirements() -> Path:
    from docgen.core.config import bundled_path

    return bundled_path("requirements_forms") / "example-bank-zh.yaml"
