"""What runs inside a job's process: one library call, its progress and outcome written to the database.

run_job() is the process's target (docgen.web.jobs). Each kind calls the same
library functions as its command: `fill` is `docgen review fill`, `draft` is
`docgen proposal build` (plus a PDF and page images for the preview when
LibreOffice is there), `brief` and `plan` are `docgen proposal brief|plan`.
A DocgenError fails the job with its message and, for bad input, every
problem with its place; anything else fails it with one line.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
import zipfile
from pathlib import Path

# Loaded once in the fork server (jobs._PRELOAD), not per job.
from docgen.core.errors import DocgenError, InputError
from docgen.core.output import safe_filename
from docgen.core.pdf import libreoffice_available
from docgen.proposal import build as proposal_build
from docgen.review import batch
from docgen.review.roles import load_role
from docgen.review.scoresheet import SCORES
from docgen.web.config import WebConfig
from docgen.web.db import Database
from docgen.web.files import new_folder, register
from docgen.web.problems import problem_records
from docgen.web.xlsxcount import count_rows

PREVIEW_PAGES = 6


class _Job:
    def __init__(self, db: Database, config: WebConfig, row):
        self.db, self.config = db, config
        self.id = row["id"]
        self.kind = row["kind"]
        self.area = row["area"]
        self.user_id = row["user_id"]
        self.params = json.loads(row["params"])
        self._last = 0.0

    def update(self, **values) -> None:
        names = ", ".join(f"{k} = ?" for k in values)
        self.db.execute(f"UPDATE jobs SET {names} WHERE id = ?", (*values.values(), self.id))

    def progress(self, done: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last > 0.2:
            self.update(done=done)
            self._last = now

    def keep(self, path: Path, kind: str) -> str:
        return register(self.db, self.config, path, area=self.area, user_id=self.user_id, kind=kind, job_id=self.id)

    def upload(self) -> Path:
        return Path(self.params["upload"])


def _stop(signum, frame):
    # SIGTERM from the watcher (timeout, shutdown): unwind, so `finally` blocks stop what the job
    # started (LibreOffice runs in its own session and would otherwise convert on, orphaned).
    raise SystemExit(128 + signum)


def run_job(data_dir: str, job_id: str, config: WebConfig) -> None:
    signal.signal(signal.SIGTERM, _stop)
    db = Database(Path(data_dir) / "docgen.sqlite3")
    row = db.one("SELECT * FROM jobs WHERE id = ?", (job_id,))
    if row is None or row["state"] != "queued":
        return
    job = _Job(db, config, row)
    job.update(state="running", started=time.time())
    upload, name = job.params.get("upload", ""), job.params.get("upload_name", "")
    try:
        warnings = KINDS[job.kind](job)
    except DocgenError as exc:
        job.update(state="failed", problems=json.dumps(problem_records(exc, upload, name), ensure_ascii=False),
                   message=problem_records(exc, upload, name)[0]["message"] if not isinstance(exc, InputError)
                   else "nothing was generated", finished=time.time())
        return
    except Exception as exc:  # noqa: BLE001 — a crash fails this job, with a line saying what happened
        detail = " ".join(str(exc).split())[:300].replace(upload, name) if upload else str(exc)[:300]
        job.update(state="failed", message=f"internal error ({exc.__class__.__name__}: {detail})", finished=time.time())
        return
    job.update(state="done", warnings=json.dumps([w.replace(upload, name) if upload else w for w in warnings],
                                                  ensure_ascii=False), finished=time.time())


# --- kinds --------------------------------------------------------------------------------------

def _fill(job: _Job) -> list[str]:
    settings = job.config.settings()
    params = job.params
    role = load_role(params["role"], settings)
    # For the progress bar only: batch.fill reads and validates the workbook itself, and a second
    # full read would cost 100 employees ~1 s (a third of the CLI's whole time).
    job.update(total=count_rows(job.upload(), SCORES))
    folder = new_folder(job.config)
    out_dir = folder / "packets"
    done = [0]

    def progress(n: int) -> None:
        done[0] += n
        job.progress(done[0])

    options = batch.FillOptions(lang=params.get("lang", "zh"), pdf=bool(params.get("pdf")), jobs=1, settings=settings)
    result = batch.fill(job.upload(), role, out_dir, options, progress=progress)
    job.update(total=len(result.packets))
    job.progress(len(result.packets), force=True)
    archive = folder / safe_filename(f"review-{role.id}-{time.strftime('%Y%m%d-%H%M%S')}.zip")
    files = [*result.packets, result.summary, *result.pdfs, *([result.merged_pdf] if result.merged_pdf else [])]
    # Stored, not deflated: .docx, .xlsx and .pdf are compressed already.
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for path in files:
            zf.write(path, path.name)
    shutil.rmtree(out_dir, ignore_errors=True)
    job.keep(archive, "zip")
    return list(result.warnings)


def _prepared(job: _Job):
    return proposal_build.prepare(job.upload(), casebook=job.config.casebook, settings=job.config.settings())


def _client_name(prepared, suffix: str) -> str:
    return safe_filename(f"{prepared.requirements.client.name}-{suffix}")


def _draft(job: _Job) -> list[str]:
    stage = job.params["stage"]
    pdf = libreoffice_available()
    job.update(total=3 if pdf else 1)
    prepared = _prepared(job)
    folder = new_folder(job.config)
    draft = proposal_build.render_draft(prepared, stage, folder / f"{_client_name(prepared, stage)}.docx")
    job.keep(draft, "docx")
    job.progress(1, force=True)
    warnings = [f"{p.requirement.id}: still to write ({p.requirement.text[:60]})"
                for p in proposal_build.stage_selection(prepared, stage).placeholders]
    if not pdf:
        return warnings + ["no preview: LibreOffice is not installed on the server"]
    pdf_path = proposal_build.to_pdf(draft)
    job.keep(pdf_path, "pdf")
    job.progress(2, force=True)
    for image in _page_images(pdf_path, folder / "preview"):
        job.keep(image, "preview")
    job.progress(3, force=True)
    return warnings


def _page_images(pdf: Path, folder: Path) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        return []
    folder.mkdir()
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-l", str(PREVIEW_PAGES), str(pdf), str(folder / "page")],
                   check=True, capture_output=True, timeout=120)
    return sorted(folder.glob("page*.png"))


def _brief(job: _Job) -> list[str]:
    prepared = _prepared(job)
    folder = new_folder(job.config)
    job.keep(proposal_build.render_brief(prepared, folder / f"{_client_name(prepared, 'brief')}.docx"), "docx")
    return []


def _plan(job: _Job) -> list[str]:
    prepared = _prepared(job)
    folder = new_folder(job.config)
    job.keep(proposal_build.render_plan(prepared, folder / f"{_client_name(prepared, 'plan')}.xlsx"), "xlsx")
    return []


KINDS = {"fill": _fill, "draft": _draft, "brief": _brief, "plan": _plan}
