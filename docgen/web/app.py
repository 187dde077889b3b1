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
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from docgen.web.config import WebConfig
from docgen.web.db import Database, open_db
from docgen.web.index import CasebookIndex, IndexBuilding
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
RETRY_AFTER = 5  # seconds: how soon a page asks again while the casebook index is being built
_FORM_MARGIN = 1 << 20  # room for the other fields of a multipart form beside the file


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

    def __init__(self, app, limit: int, upload_limit: int):
        self.app = app
        self.limit = limit  # the upload limit and room for the form's other fields
        self.upload_mb = upload_limit >> 20  # what the message names: the limit the admin set

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            from http.cookies import SimpleCookie

            from docgen.web.i18n import DEFAULT, LANGUAGES
            from docgen.web.messages import message
            from docgen.web.pages import LANG_COOKIE

            cookies = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1"))
            lang = cookies[LANG_COOKIE].value if LANG_COOKIE in cookies else DEFAULT
            lang = lang if lang in LANGUAGES else DEFAULT
            text = message(f"request too large: uploads are limited to {self.upload_mb} MB", lang)
            return await PlainTextResponse(text, 413)(scope, receive, send)
        seen = 0

        async def receiving():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise HTTPException(413, f"request too large: uploads are limited to {self.upload_mb} MB")
            return message

        await self.app(scope, receiving, send)


async def _http_error(request: Request, exc: HTTPException):
    from docgen.web.pages import error_page, not_found

    if exc.status_code == 404:
        return not_found(request)
    title = {400: "Bad request", 403: "Not allowed", 413: "Bad request"}.get(exc.status_code, "Bad request")
    return error_page(request, exc.status_code, title, str(exc.detail))


async def _building(request: Request, exc: IndexBuilding):
    from docgen.web.messages import message
    from docgen.web.pages import error_page, language

    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message(str(exc), language(request)), "retry_after": RETRY_AFTER}, 503,
                            headers={"retry-after": str(RETRY_AFTER)})
    response = error_page(request, 503, "Please wait", str(exc), refresh=RETRY_AFTER)
    response.headers["retry-after"] = str(RETRY_AFTER)
    return response


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
        state.casebook.start()  # searches never wait on a cold index build
        runner.warm()  # nor the first job on loading the library
        yield
        runner.shutdown()

    static = Mount("/static", app=StaticFiles(directory=Path(__file__).resolve().parent / "static"), name="static")
    routes = [*auth.routes, *cases.routes, *review.routes, *proposals.routes, *jobs.routes, *admin.routes, static]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: _http_error, IndexBuilding: _building,
                                        Exception: _crash})
    app.state.web = state
    app.add_middleware(BodyLimit, limit=config.max_upload + _FORM_MARGIN, upload_limit=config.max_upload)
    app.add_middleware(SecurityHeaders)
    return app
