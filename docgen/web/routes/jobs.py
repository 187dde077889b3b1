"""A job's page (progress, problems, preview, downloads), its JSON, and file downloads.

A job and its files are visible to its area's role (hr for fills, presales for
drafts) and admin; an unknown or malformed id is 404, like one that never existed.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Route

from docgen.web.files import file_path, file_row, media_type
from docgen.web.jobs import job_files, job_row
from docgen.web.pages import forbidden, guarded, not_found, record, render, web

MAIN_KINDS = ("zip", "docx", "xlsx")


def _job(request: Request, user):
    job = job_row(web(request).db, request.path_params["job_id"])
    if job is None:
        return None, not_found(request)
    if not user.may(job["area"]):
        return None, forbidden(request)
    return job, None


def _view(request: Request, job: dict) -> dict:
    files = job_files(web(request).db, job["id"])
    return {"job": job, "downloads": [f for f in files if f["kind"] != "preview"],
            "previews": [f for f in files if f["kind"] == "preview"],
            "ahead": web(request).jobs.queued_before(job["id"]) if job["state"] == "queued" else 0,
            "finished": job["state"] in ("done", "failed")}


@guarded()
async def job_page(request: Request, user):
    job, refusal = _job(request, user)
    if refusal:
        return refusal
    return render(request, "job.html", **_view(request, job))


@guarded()
async def job_status(request: Request, user):
    job, refusal = _job(request, user)
    if refusal:
        return refusal
    return render(request, "job_status.html", **_view(request, job))


@guarded()
async def job_api(request: Request, user):
    job, refusal = _job(request, user)
    if refusal:
        return JSONResponse({"error": "not found" if refusal.status_code == 404 else "not allowed"},
                            status_code=refusal.status_code)
    files = job_files(web(request).db, job["id"])
    return JSONResponse({
        "id": job["id"], "kind": job["kind"], "state": job["state"], "done": job["done"], "total": job["total"],
        "problems": job["problems"], "message": job["message"], "warnings": job["warnings"],
        "queued_before": web(request).jobs.queued_before(job["id"]) if job["state"] == "queued" else 0,
        "files": [{"id": f["id"], "name": f["name"], "kind": f["kind"], "size": f["size"], "url": f"/files/{f['id']}"}
                  for f in files],
        "download": f"/jobs/{job['id']}/download" if job["state"] == "done" else None,
    })


def _send(request: Request, row: dict, inline: bool = False):
    path = file_path(web(request).config, row)
    if path is None:
        return not_found(request)
    if inline:
        return FileResponse(path, media_type=media_type(row["name"]))
    record(request, "download", f"{row['name']} ({row['id']})")
    return FileResponse(path, media_type=media_type(row["name"]), filename=row["name"])


@guarded()
async def job_download(request: Request, user):
    job, refusal = _job(request, user)
    if refusal:
        return refusal
    files = [f for f in job_files(web(request).db, job["id"]) if f["kind"] in MAIN_KINDS]
    if job["state"] != "done" or not files:
        return not_found(request)
    return _send(request, files[0])


@guarded()
async def file_download(request: Request, user):
    row = file_row(web(request).db, request.path_params["file_id"])
    if row is None:
        return not_found(request)
    if not user.may(row["area"]):
        return forbidden(request)
    return _send(request, row, inline=row["kind"] == "preview")


routes = [
    Route("/jobs/{job_id}", job_page, methods=["GET"]),
    Route("/jobs/{job_id}/status", job_status, methods=["GET"]),
    Route("/jobs/{job_id}/download", job_download, methods=["GET"]),
    Route("/api/jobs/{job_id}", job_api, methods=["GET"]),
    Route("/files/{file_id}", file_download, methods=["GET"]),
]
