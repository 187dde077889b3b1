"""Admin: users (add, disable), the audit log, the data folder and its disk use, the job queue."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from docgen.core.errors import DocgenError
from docgen.web.accounts import ROLES, add_user, audit_log, list_users, set_disabled
from docgen.web.files import disk_use
from docgen.web.pages import guarded, in_thread, record, redirect, render, web
from docgen.web.problems import problem_records


async def _page(request: Request, status: int = 200, **extra):
    state = web(request)
    active = state.db.one("SELECT COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'running')")["n"]
    return render(request, "admin.html", status=status, users=list_users(state.db), roles=ROLES,
                  audit=audit_log(state.db), data=state.config.data.resolve(),
                  disk=await in_thread(disk_use, state.config.data), active=active,
                  workers=state.config.workers, **extra)


@guarded("admin")
async def admin_page(request: Request, user):
    return await _page(request, added=request.query_params.get("added", ""))


@guarded("admin")
async def add(request: Request, user):
    form = request.state.form
    name, role = str(form.get("username", "")).strip(), str(form.get("role", ""))
    try:
        await in_thread(add_user, web(request).db, name, role, str(form.get("password", "")))
    except DocgenError as exc:
        return await _page(request, 400, problems=problem_records(exc))
    record(request, "user added", f"{name} ({role})")
    return redirect(f"/admin?added={name}")


@guarded("admin")
async def disable(request: Request, user):
    name = request.path_params["name"]
    try:
        set_disabled(web(request).db, name, True)
    except DocgenError as exc:
        return await _page(request, 400, problems=problem_records(exc))
    record(request, "user disabled", name)
    return redirect("/admin")


routes = [
    Route("/admin", admin_page, methods=["GET"]),
    Route("/admin/users", add, methods=["POST"]),
    Route("/admin/users/{name}/disable", disable, methods=["POST"]),
]
