"""What every route shares: the signed-in user, the role and CSRF checks, rendering a page in the reader's language.

`@guarded("hr")` on an endpoint: no session → 303 to /login; a session whose
role is not allowed → the 403 page; a POST whose form lacks the session's
csrf_token → 403. The endpoint receives (request, user) and, for a POST, finds
the parsed form in request.state.form.
"""

from __future__ import annotations

import datetime as dt
import functools
import hmac
import secrets
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from docgen.core.vocabulary import INDUSTRY_NAMES_ZH
from docgen.web.accounts import Session, audit, find_session
from docgen.web.i18n import DEFAULT, LANGUAGES, translate
from docgen.web.messages import message, place

SESSION_COOKIE = "docgen_session"
PRE_CSRF_COOKIE = "docgen_csrf"  # before login: a double-submit token for the login form
LANG_COOKIE = "docgen_lang"
HOME = {"admin": "/admin", "hr": "/review", "presales": "/proposals", "sales": "/cases"}
NAV = (("/cases", "Cases", ("sales", "presales")), ("/review", "Reviews", ("hr",)),
       ("/proposals", "Proposals", ("presales",)), ("/admin", "Admin", ()))

_TEMPLATES = Path(__file__).resolve().parent / "templates"


def make_environment() -> Environment:
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["when"] = lambda ts: dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M") if ts else ""
    env.filters["size"] = _size
    env.filters["urlquote"] = lambda s: quote(str(s), safe="")
    return env


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def web(request: Request):
    return request.app.state.web


def language(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, DEFAULT)
    return lang if lang in LANGUAGES else DEFAULT


def address(request: Request) -> str:
    return request.client.host if request.client else ""


def session_of(request: Request) -> Session | None:
    return getattr(request.state, "session", None)


def render(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    lang = language(request)
    session = session_of(request)
    user = session.user if session else None
    csrf = session.csrf if session else getattr(request.state, "pre_csrf", "")
    nav = [(href, label) for href, label, roles in NAV if user and user.may(*roles)]
    html = web(request).templates.get_template(template).render(
        request=request, lang=lang, t=lambda text: translate(text, lang),
        msg=lambda text: message(str(text), lang), place=lambda where: place(where, lang),  # docgen.web.messages
        industry_name=lambda code: INDUSTRY_NAMES_ZH.get(code, code) if lang == "zh" else code,
        user=user, csrf_token=csrf, nav=nav, path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, status: int, title: str, message: str, refresh: int = 0) -> HTMLResponse:
    return render(request, "error.html", status=status, title=title, message=message, refresh=refresh)


def forbidden(request: Request) -> HTMLResponse:
    return error_page(request, 403, "Not allowed", "Your role does not give access to this page.")


def not_found(request: Request) -> HTMLResponse:
    return error_page(request, 404, "Not found", "There is nothing at this address.")


def csrf_matches(given, expected: str) -> bool:
    return isinstance(given, str) and bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


async def read_form(request: Request):
    try:
        return await request.form(max_files=4, max_fields=300)
    except HTTPException:
        raise
    except Exception as exc:  # noqa: BLE001 — a malformed body is the client's mistake
        raise HTTPException(400, f"malformed form ({exc.__class__.__name__})") from None


def guarded(*roles: str):
    """Only signed-in users with one of `roles` (admin always); POSTs must carry the session's csrf_token."""
    def wrap(endpoint):
        @functools.wraps(endpoint)
        async def checked(request: Request):
            session = find_session(web(request).db, request.cookies.get(SESSION_COOKIE))
            if session is None:
                return RedirectResponse("/login", status_code=303)
            request.state.session = session
            if roles and not session.user.may(*roles):
                return forbidden(request)
            if request.method == "POST":
                form = await read_form(request)
                if not csrf_matches(form.get("csrf_token"), session.csrf):
                    return error_page(request, 403, "Not allowed", "The form has expired: reload the page and try again.")
                request.state.form = form
            return await endpoint(request, session.user)
        return checked
    return wrap


def new_pre_csrf() -> str:
    return secrets.token_urlsafe(32)


def record(request: Request, action: str, detail: str = "") -> None:
    session = session_of(request)
    audit(web(request).db, session.user.name if session else "-", action, detail, address(request))


async def in_thread(function, *args, **kwargs):
    return await run_in_threadpool(function, *args, **kwargs)


def redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)
