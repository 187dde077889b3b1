"""The Starlette application: routes per area, security headers, body limit, jobs, the casebook index.

create_app(config) opens (and migrates) the database, marks jobs a previous
run left unfinished as failed, and serves. Every response carries a
Content-Security-Policy without inline scripts or styles, nosniff, no
framing and no caching of pages; request bodies larger than the upload
limit are refused before they are read.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from docgen.web.config import WebConfig
from docgen.web.db import Database, open_db
from docgen.web.jobs import JobRunner

log = logging.getLogger("docgen.web")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_FORM_MARGIN = 1 << 20  # room for the other fields of a multipart form beside the file


class CasebookIndex:
    """The search index of the served casebook, rebuilt when a case file changes.

    The first search builds (or reads from the cache) the index; after that a
    background thread looks for changed files every few seconds, so no request
    pays for the look (10,000 files take ~0.1 s to stat) or waits for a rebuild.
    """

    CHECK_EVERY = 5.0

    def __init__(self, folder: Path):
        self.folder = folder
        self._lock = threading.Lock()
        self._index = None
        self._key = None
        self._watcher: threading.Thread | None = None
        self._tags: dict[bool, tuple[object, list[str]]] = {}

    def _load(self) -> None:
        from docgen.casebook.cache import fingerprint, open_index

        key = fingerprint(self.folder)
        if key != self._key:
            index = open_index(self.folder)
            self._index, self._key = index, key

    def _watch(self) -> None:
        while True:
            time.sleep(self.CHECK_EVERY)
            try:
                with self._lock:
                    self._load()
            except Exception:  # a half-edited case file: keep serving the last good index
                log.warning("casebook %s: keeping the previous index", self.folder, exc_info=True)

    def tags(self, internal: bool) -> list[str]:
        """Every tag of the (external, or all) cases, sorted; computed once per index."""
        index = self.get()
        cached = self._tags.get(internal)
        if cached is None or cached[0] is not index:
            cached = (index, sorted({t for c in index.cases if internal or c.external for t in c.tags}))
            self._tags[internal] = cached
        return cached[1]

    def get(self):
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._load()
                    self._watcher = threading.Thread(target=self._watch, name="docgen-casebook", daemon=True)
                    self._watcher.start()
        return self._index


@dataclass
class WebState:
    config: WebConfig
    db: Database
    jobs: JobRunner
    casebook: CasebookIndex
    templates: object


class SecurityHeaders:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        static = scope["path"].startswith("/static/")

        async def sending(message):
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() not in dict(HEADERS)]
                headers += HEADERS
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending)


class BodyLimit:
    """413 for a request body over `limit` bytes: by its Content-Length, or while it streams in."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            response = PlainTextResponse(f"request too large: uploads are limited to {self.limit >> 20} MB", 413)
            return await response(scope, receive, send)
        seen = 0

        async def receiving():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise HTTPException(413, f"request too large: uploads are limited to {self.limit >> 20} MB")
            return message

        await self.app(scope, receiving, send)


async def _http_error(request: Request, exc: HTTPException):
    from docgen.web.pages import error_page, not_found

    if exc.status_code == 404:
        return not_found(request)
    title = {400: "Bad request", 403: "Not allowed", 413: "Bad request"}.get(exc.status_code, "Bad request")
    return error_page(request, exc.status_code, title, str(exc.detail))


async def _crash(request: Request, exc: Exception):
    from docgen.web.pages import error_page

    log.exception("internal error on %s", request.url.path)
    return error_page(request, 500, "Bad request", f"internal error ({exc.__class__.__name__}); the server keeps running")


def create_app(config: WebConfig) -> Starlette:
    from docgen.web.pages import make_environment
    from docgen.web.routes import admin, auth, cases, jobs, proposals, review

    db = open_db(config.data)
    config.files.mkdir(parents=True, exist_ok=True)
    runner = JobRunner(config, db)
    runner.recover()
    state = WebState(config, db, runner, CasebookIndex(config.casebook), make_environment())

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        runner.shutdown()

    static = Mount("/static", app=StaticFiles(directory=Path(__file__).resolve().parent / "static"), name="static")
    routes = [*auth.routes, *cases.routes, *review.routes, *proposals.routes, *jobs.routes, *admin.routes, static]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: _http_error, Exception: _crash})
    app.state.web = state
    app.add_middleware(BodyLimit, limit=config.max_upload + _FORM_MARGIN)
    app.add_middleware(SecurityHeaders)
    return app
