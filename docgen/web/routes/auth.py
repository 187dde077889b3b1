"""Sign in and out, the language switch, and `/` (each role's home page)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from docgen.web.accounts import (
    SESSION_SECONDS,
    audit,
    authenticate,
    end_session,
    find_session,
    start_session,
    throttled,
)
from docgen.web.i18n import LANGUAGES
from docgen.web.pages import (
    HOME,
    LANG_COOKIE,
    PRE_CSRF_COOKIE,
    SESSION_COOKIE,
    address,
    csrf_matches,
    error_page,
    guarded,
    in_thread,
    new_pre_csrf,
    read_form,
    redirect,
    render,
    web,
)


def _login_page(request: Request, status: int = 200, message: str = "", name: str = ""):
    token = request.cookies.get(PRE_CSRF_COOKIE) or new_pre_csrf()
    request.state.pre_csrf = token
    response = render(request, "login.html", status=status, message=message, name=name)
    _cookie(request, response, PRE_CSRF_COOKIE, token, max_age=3600)
    return response


def _cookie(request: Request, response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax",
                        secure=web(request).config.secure_cookies, path="/")


async def login_form(request: Request):
    if find_session(web(request).db, request.cookies.get(SESSION_COOKIE)):
        return redirect("/")
    return _login_page(request)


async def login(request: Request):
    form = await read_form(request)
    if not csrf_matches(form.get("csrf_token"), request.cookies.get(PRE_CSRF_COOKIE, "")):
        return error_page(request, 403, "Not allowed", "The form has expired: reload the page and try again.")
    name, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
    db, where = web(request).db, address(request)
    if throttled(db, name, where):
        audit(db, name or "-", "login throttled", "", where)
        return _login_page(request, 429, "Too many failed logins: wait 15 minutes and try again.", name)
    user = await in_thread(authenticate, db, name, password, where)
    if user is None:
        audit(db, name or "-", "login failed", "", where)
        return _login_page(request, 401, "Wrong user name or password.", name)
    token, _ = start_session(db, user)
    audit(db, user.name, "login", "", where)
    response = redirect("/")
    _cookie(request, response, SESSION_COOKIE, token, max_age=SESSION_SECONDS)
    response.delete_cookie(PRE_CSRF_COOKIE, path="/")
    return response


@guarded()
async def logout(request: Request, user):
    end_session(web(request).db, request.cookies.get(SESSION_COOKIE))
    audit(web(request).db, user.name, "logout", "", address(request))
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@guarded()
async def home(request: Request, user):
    return redirect(HOME[user.role])


async def switch_language(request: Request):
    lang = request.query_params.get("to", "")
    back = request.query_params.get("next", "/")
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        back = "/"
    response = RedirectResponse(back, status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="lax", path="/")
    return response


routes = [
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/lang", switch_language, methods=["GET"]),
    Route("/", home, methods=["GET"]),
]
