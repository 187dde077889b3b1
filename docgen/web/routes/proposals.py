"""Presales: check a requirements file, build a staged draft (a job with a preview), brief and plan,
check an edited draft (项目审核) and release it with the signed-in user as reviewer.

The review gate is the library's (docgen.proposal.check.gate_findings). A draft
names the requirements file it was built from; the server follows that name
only when it lies inside its own data folder (drafts built here), otherwise the
user uploads the requirements with the draft — an uploaded file never makes
the server read a path of its choosing.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.routing import Route

from docgen.core.errors import DocgenError, InputError, Location
from docgen.web.files import file_path, file_row, new_folder, register
from docgen.web.jobs import recent_jobs
from docgen.web.pages import guarded, in_thread, record, redirect, render, web
from docgen.web.problems import problem_records
from docgen.web.uploads import save_upload

STAGES = ("intro", "solution", "detailed")
AREA = "presales"


def _own_file(request: Request, user, file_id, kind: str) -> tuple[Path, str] | None:
    row = file_row(web(request).db, file_id or "")
    if row is None or row["kind"] != kind or not user.may(row["area"]):
        return None
    path = file_path(web(request).config, row)
    return (path, row["name"]) if path else None


async def _store(request: Request, user, form, field: str, kinds: tuple[str, ...], kind: str):
    """The uploaded file of `field`, or the stored one named by `<field>_id`; (path, name, id)."""
    state = web(request)
    given = form.get(field)
    if given is not None and getattr(given, "filename", ""):
        upload = await save_upload(given, new_folder(state.config), kinds, state.config.max_upload, field)
        file_id = register(state.db, state.config, upload.path, area=AREA, user_id=user.id, kind=kind, name=upload.name)
        return upload.path, upload.name, file_id
    stored = _own_file(request, user, form.get(f"{field}_id"), kind)
    if stored is None:
        raise InputError("choose a file to upload", where=Location(field=field))
    return stored[0], stored[1], form.get(f"{field}_id")


def _check_requirements(path: Path):
    from docgen.intake.requirements import check_requirements, summarize

    req, warnings = check_requirements(path)
    return summarize(req), warnings


async def _page(request: Request, user, status: int = 200, **extra):
    requirements = None
    file_id = request.query_params.get("requirements")
    if file_id and "problems" not in extra:
        stored = _own_file(request, user, file_id, "requirements")
        if stored is not None:
            try:
                summary, warnings = await in_thread(_check_requirements, stored[0])
                requirements = {"id": file_id, "name": stored[1], "summary": summary,
                                "warnings": problem_records(InputError(warnings), str(stored[0]), stored[1])
                                if warnings else []}
            except DocgenError as exc:
                extra["problems"] = problem_records(exc, str(stored[0]), stored[1])
    jobs = recent_jobs(web(request).db, ("draft", "brief", "plan"))
    return render(request, "proposals.html", status=status, requirements=requirements, stages=STAGES, jobs=jobs, **extra)


@guarded(AREA)
async def proposals_page(request: Request, user):
    return await _page(request, user)


@guarded(AREA)
async def upload_requirements(request: Request, user):
    try:
        path, name, file_id = await _store(request, user, request.state.form, "requirements", ("yaml", "xlsx"),
                                           "requirements")
    except DocgenError as exc:
        return await _page(request, user, 400, problems=problem_records(exc))
    try:
        await in_thread(_check_requirements, path)
    except DocgenError as exc:
        return await _page(request, user, 400, problems=problem_records(exc, str(path), name))
    return redirect(f"/proposals?requirements={file_id}")


def _job(kind: str):
    @guarded(AREA)
    async def submit(request: Request, user):
        form = request.state.form
        stage = form.get("stage", "")
        if kind == "draft" and stage not in STAGES:
            problem = InputError(f"unknown stage {stage!r}; expected one of: {', '.join(STAGES)}",
                                 where=Location(field="stage"))
            return await _page(request, user, 400, problems=problem_records(problem))
        try:
            path, name, _ = await _store(request, user, form, "requirements", ("yaml", "xlsx"), "requirements")
        except DocgenError as exc:
            return await _page(request, user, 400, problems=problem_records(exc))
        params = {"upload": str(path), "upload_name": name, "stage": stage}
        job_id = web(request).jobs.submit(kind, AREA, user.id, params)
        record(request, "generate", f"proposal {kind}{' ' + stage if stage else ''} from {name} job {job_id}")
        return redirect(f"/jobs/{job_id}")
    return submit


def _requirements_of(request: Request, draft: Path, explicit: Path | None) -> Path | None:
    from docgen.core.docprops import read_stamp

    if explicit is not None:
        return explicit
    recorded = read_stamp(draft).get("requirements", "")
    root = web(request).config.files.resolve()
    if recorded and Path(recorded).resolve().is_relative_to(root) and Path(recorded).is_file():
        return Path(recorded)
    raise InputError("this draft was not built in this workspace, or its requirements file is gone: "
                     "upload its requirements file with it", where=Location(field="requirements"))


def _gate(request: Request, draft: Path, requirements: Path | None):
    from docgen.core.docprops import read_stamp
    from docgen.proposal.check import gate_findings

    if read_stamp(draft).get("kind") != "draft":
        return gate_findings(draft)  # not a draft: refused before any recorded path is read
    return gate_findings(draft, requirements_file=_requirements_of(request, draft, requirements),
                         casebook=web(request).config.casebook)


async def _draft_and_requirements(request: Request, user, form):
    draft, name, draft_id = await _store(request, user, form, "draft", ("docx",), "draft")
    requirements, requirements_id = None, ""
    if (form.get("requirements") is not None and getattr(form.get("requirements"), "filename", "")) \
            or form.get("requirements_id"):
        requirements, _, requirements_id = await _store(request, user, form, "requirements", ("yaml", "xlsx"),
                                                        "requirements")
    return draft, name, draft_id, requirements, requirements_id


@guarded(AREA)
async def check_draft(request: Request, user):
    draft = name = None
    try:
        draft, name, draft_id, requirements, requirements_id = await _draft_and_requirements(
            request, user, request.state.form)
        findings = await in_thread(_gate, request, draft, requirements)
    except DocgenError as exc:
        return await _page(request, user, 400, problems=problem_records(exc, str(draft or ""), name or ""))
    record(request, "check", f"{name}: {len(findings)} finding(s)")
    return _findings_page(request, name, findings, draft_id=draft_id, requirements_id=requirements_id)


def _release(request: Request, user, draft: Path, name: str, requirements: Path | None):
    """(path, file id) of the client copy, or (None, findings) when the check refuses it."""
    from docgen.proposal.check import release

    state = web(request)
    findings = _gate(request, draft, requirements)
    if findings:  # the check table, not release()'s one-line refusal naming the stored path
        return None, findings
    out = new_folder(state.config) / (Path(name).stem.removesuffix("-draft") + "-final.docx")
    path = release(draft, out, reviewer=user.name, findings=findings)
    return path, register(state.db, state.config, path, area=AREA, user_id=user.id, kind="final")


def _findings_page(request: Request, name: str, findings, status: int = 200, **ids):
    from docgen.proposal.check import KIND_LABELS

    return render(request, "draft_check.html", status=status, name=name, findings=findings, labels=KIND_LABELS,
                  draft_id=ids.get("draft_id", ""), requirements_id=ids.get("requirements_id", ""))


@guarded(AREA)
async def release_draft(request: Request, user):
    draft = name = None
    try:
        draft, name, _, requirements, _ = await _draft_and_requirements(request, user, request.state.form)
        path, outcome = await in_thread(_release, request, user, draft, name, requirements)
    except DocgenError as exc:
        return await _page(request, user, 400, problems=problem_records(exc, str(draft or ""), name or ""))
    if path is None:
        return _findings_page(request, name, outcome, status=400)
    record(request, "release", f"{name} → {path.name}, reviewer {user.name}")
    return render(request, "released.html", name=path.name, file_id=outcome, reviewer=user.name)


routes = [
    Route("/proposals", proposals_page, methods=["GET"]),
    Route("/proposals/requirements", upload_requirements, methods=["POST"]),
    Route("/proposals/build", _job("draft"), methods=["POST"]),
    Route("/proposals/brief", _job("brief"), methods=["POST"]),
    Route("/proposals/plan", _job("plan"), methods=["POST"]),
    Route("/proposals/check", check_draft, methods=["POST"]),
    Route("/proposals/release", release_draft, methods=["POST"]),
]
