"""HR: blank packets and score workbooks for a role, filled packets from an uploaded workbook (a job)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Route

from docgen.core.errors import DocgenError, InputError, Location
from docgen.web.files import media_type, new_folder, register
from docgen.web.jobs import recent_jobs
from docgen.web.pages import guarded, in_thread, language, record, redirect, render, web
from docgen.web.problems import problem_records
from docgen.web.uploads import save_upload


def _roles(request: Request):
    from docgen.review.roles import list_roles

    return list_roles(web(request).config.settings())


def _role(request: Request, name):
    from docgen.review.roles import role_files

    settings = web(request).config.settings()
    if not isinstance(name, str) or name not in role_files(settings):
        # Only the catalog's roles: a path to a role file is a CLI convenience, not a web one.
        raise InputError(f"unknown role {name!r}", where=Location(field="role"))
    from docgen.review.roles import load_role

    return load_role(name, settings)


def _lang(request: Request, value) -> str:
    return value if value in ("zh", "en") else language(request)


async def _page(request: Request, status: int = 200, **extra):
    from docgen.core.pdf import libreoffice_available

    roles = await in_thread(_roles, request)
    batches = recent_jobs(web(request).db, ("fill",))
    return render(request, "review.html", status=status, roles=roles, batches=batches,
                  pdf_available=libreoffice_available(), **extra)


@guarded("hr")
async def review_page(request: Request, user):
    return await _page(request)


def _blank(request: Request, user, role_name, lang: str, pdf: bool):
    from docgen.review.batch import blank

    state = web(request)
    role = _role(request, role_name)
    folder = new_folder(state.config)
    written = blank(role, folder / f"review-blank-{role.id}-{lang}.docx", lang=lang, pdf=pdf,
                    settings=state.config.settings())
    path = written[-1]
    register(state.db, state.config, path, area="hr", user_id=user.id, kind=path.suffix[1:])
    return path


@guarded("hr")
async def blank_packet(request: Request, user):
    form = request.state.form
    pdf = form.get("format") == "pdf"
    try:
        path = await in_thread(_blank, request, user, form.get("role"), _lang(request, form.get("lang")), pdf)
    except DocgenError as exc:
        return await _page(request, 400, problems=problem_records(exc))
    record(request, "download", path.name)
    return FileResponse(path, media_type=media_type(path.name), filename=path.name)


def _scoresheet(request: Request, user, role_name):
    from docgen.review.scoresheet import write_scoresheet

    state = web(request)
    role = _role(request, role_name)
    path = write_scoresheet(role, new_folder(state.config) / f"scores-{role.id}.xlsx")
    register(state.db, state.config, path, area="hr", user_id=user.id, kind="xlsx")
    return path


@guarded("hr")
async def scoresheet(request: Request, user):
    try:
        path = await in_thread(_scoresheet, request, user, request.state.form.get("role"))
    except DocgenError as exc:
        return await _page(request, 400, problems=problem_records(exc))
    record(request, "download", path.name)
    return FileResponse(path, media_type=media_type(path.name), filename=path.name)


@guarded("hr")
async def fill(request: Request, user):
    state = web(request)
    form = request.state.form
    try:
        role = await in_thread(_role, request, form.get("role"))
        upload = await save_upload(form.get("workbook"), new_folder(state.config), ("xlsx",),
                                   state.config.max_upload, "workbook")
    except DocgenError as exc:
        return await _page(request, 400, problems=problem_records(exc))
    params = {"upload": str(upload.path), "upload_name": upload.name, "role": role.id,
              "lang": _lang(request, form.get("lang")), "pdf": form.get("pdf") in ("1", "on", "true")}
    job_id = state.jobs.submit("fill", "hr", user.id, params)
    record(request, "generate", f"review fill {upload.name} ({role.id}) job {job_id}")
    return redirect(f"/jobs/{job_id}")


routes = [
    Route("/review", review_page, methods=["GET"]),
    Route("/review/blank", blank_packet, methods=["POST"]),
    Route("/review/scoresheet", scoresheet, methods=["POST"]),
    Route("/review/fill", fill, methods=["POST"]),
]
