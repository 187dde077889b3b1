"""The casebook index is built in the background from start-up: a search during the build is told to come back.

The opener is held on an Event so "still building" lasts exactly as long as
the test wants; the app is the real one (create_app), driven in-process.
"""

from __future__ import annotations

import threading
import time

import pytest
from starlette.testclient import TestClient

from docgen.core.config import bundled_path
from docgen.web.accounts import add_user, start_session
from docgen.web.config import WebConfig
from docgen.web.index import CasebookIndex, IndexBuilding


def _held_opener(release: threading.Event, calls: list):
    from docgen.casebook.cache import open_index

    def opener(folder):
        calls.append(folder)
        assert release.wait(30)
        return open_index(folder)
    return opener


def test_a_search_during_the_first_build_is_told_to_come_back_then_answered():
    release, calls = threading.Event(), []
    index = CasebookIndex(bundled_path("casebook"), opener=_held_opener(release, calls))
    index.WAIT = 0.1
    index.start()
    with pytest.raises(IndexBuilding, match="being built"):
        index.get()
    assert not index.ready
    release.set()
    index.WAIT = 30
    assert len(index.get().cases) > 5
    assert index.ready and len(calls) == 1  # built once, not once per request


def test_a_broken_casebook_is_a_message_not_a_hang(tmp_path):
    (tmp_path / "bad.md").write_text("---\ntitle: [unclosed\n---\ntext\n", encoding="utf-8")
    index = CasebookIndex(tmp_path)
    index.WAIT = 30
    from docgen.core.errors import DocgenError

    with pytest.raises(DocgenError) as caught:
        index.get()
    assert "bad.md" in str(caught.value)


@pytest.fixture
def app_client(tmp_path):
    from docgen.web.app import create_app

    app = create_app(WebConfig(data=tmp_path / "data", casebook=bundled_path("casebook")))
    release, calls = threading.Event(), []
    state = app.state.web
    state.casebook = CasebookIndex(state.config.casebook, opener=_held_opener(release, calls))
    state.casebook.WAIT = 0.1
    user = add_user(state.db, "s1", "sales", "sales-pass-1")
    token, _ = start_session(state.db, user)
    with TestClient(app, base_url="http://127.0.0.1") as client:  # entering runs the lifespan: the build starts
        client.cookies.set("docgen_session", token)
        yield client, release, calls
    release.set()


def test_the_server_starts_the_build_and_pages_say_it_is_being_built(app_client):
    client, release, calls = app_client
    deadline = time.monotonic() + 10
    while not calls and time.monotonic() < deadline:  # started by the server itself, before any search
        time.sleep(0.05)
    assert calls
    page = client.get("/cases", params={"q": "同城双活"})
    assert page.status_code == 503 and page.headers["retry-after"] == "5"
    assert "案例库索引正在建立" in page.text and 'http-equiv="refresh"' in page.text
    api = client.get("/api/cases", params={"q": "同城双活"})
    assert api.status_code == 503 and api.json()["retry_after"] == 5
    release.set()
    client.app.state.web.casebook.WAIT = 30
    found = client.get("/api/cases", params={"q": "同城双活"})
    assert found.status_code == 200 and found.json()
    assert "<mark>" in client.get("/cases", params={"q": "同城双活"}).text
