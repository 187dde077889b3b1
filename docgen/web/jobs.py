"""Jobs: fills and builds run in a bounded pool, each in its own process, each with a timeout.

submit() records the job (queued) and hands it to a thread pool of
`workers` watchers; a watcher starts one process for the job (forked from a
fork server that has the library loaded already), waits for it at most
`job_timeout` seconds and kills it after that. The process writes its
progress, problems and files into the database (docgen.web.worker). A job
whose process crashes or is killed is marked failed with a message; the
server itself never runs the library's long work, so it keeps answering.

Job and file ids are random (secrets.token_urlsafe), never counters, and
never used as paths: a file's path comes from its database row.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from docgen.web.config import WebConfig
from docgen.web.db import Database

ID = re.compile(r"^[A-Za-z0-9_-]{22}$")
STATES = ("queued", "running", "done", "failed")
# Imported once in the fork server, so a job starts in milliseconds, not seconds.
_PRELOAD = ["docgen.web.worker"]


def new_id() -> str:
    return secrets.token_urlsafe(16)


def valid_id(text: str) -> bool:
    return bool(ID.match(text or ""))


class JobRunner:
    def __init__(self, config: WebConfig, db: Database):
        self.config = config
        self.db = db
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(_PRELOAD)
        self._pool = ThreadPoolExecutor(max_workers=config.workers, thread_name_prefix="docgen-job")
        self._running: dict[str, multiprocessing.Process] = {}
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Start the fork server (importing the library once) in the background, so the first job
        after start-up does not wait for it."""
        from multiprocessing import forkserver

        threading.Thread(target=forkserver.ensure_running, name="docgen-forkserver", daemon=True).start()

    def recover(self) -> int:
        """Jobs a previous server left queued or running can never finish: mark them failed."""
        cursor = self.db.execute(
            "UPDATE jobs SET state = 'failed', message = ?, finished = ? WHERE state IN ('queued', 'running')",
            ("interrupted: the server was restarted; start the job again", time.time()))
        return cursor.rowcount

    def submit(self, kind: str, area: str, user_id: int, params: dict) -> str:
        job_id = new_id()
        self.db.execute("INSERT INTO jobs (id, kind, area, user_id, state, params, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (job_id, kind, area, user_id, "queued", json.dumps(params, ensure_ascii=False), time.time()))
        self._pool.submit(self._watch, job_id)
        return job_id

    def queued_before(self, job_id: str) -> int:
        row = self.db.one("SELECT created FROM jobs WHERE id = ?", (job_id,))
        if row is None:
            return 0
        return self.db.one("SELECT COUNT(*) AS n FROM jobs WHERE state = 'queued' AND created < ?",
                           (row["created"],))["n"]

    def _watch(self, job_id: str) -> None:
        from docgen.web import worker

        process = self._context.Process(target=worker.run_job, args=(str(self.config.data), job_id, self.config),
                                        name=f"docgen-job-{job_id[:6]}", daemon=True)
        try:
            process.start()
        except Exception as exc:  # noqa: BLE001 — no process, no job: say why
            self._fail(job_id, f"the job could not start ({exc.__class__.__name__}: {exc})")
            return
        with self._lock:
            self._running[job_id] = process
        process.join(self.config.job_timeout)
        if process.is_alive():
            self._stop(process)
            self._fail(job_id, f"timed out after {self.config.job_timeout:g} s; the job was stopped")
        elif process.exitcode != 0:
            self._fail(job_id, f"the job stopped unexpectedly (exit code {process.exitcode})")
        with self._lock:
            self._running.pop(job_id, None)

    @staticmethod
    def _stop(process, grace: float = 10) -> None:
        """SIGTERM (the job unwinds and stops its LibreOffice), SIGKILL when it has not ended in `grace` s."""
        process.terminate()
        process.join(grace)
        if process.is_alive():
            process.kill()
            process.join(5)

    def _fail(self, job_id: str, message: str) -> None:
        self.db.execute("UPDATE jobs SET state = 'failed', message = ?, finished = ? "
                        "WHERE id = ? AND state IN ('queued', 'running')", (message, time.time(), job_id))

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            running = [p for p in self._running.values() if p.is_alive()]
        for process in running:
            process.terminate()
        for process in running:
            process.join(5)
            if process.is_alive():
                process.kill()


def job_row(db: Database, job_id: str) -> dict | None:
    if not valid_id(job_id):
        return None
    row = db.one("SELECT j.*, u.name AS user_name FROM jobs j JOIN users u ON u.id = j.user_id WHERE j.id = ?",
                 (job_id,))
    if row is None:
        return None
    job = dict(row)
    job["params"] = json.loads(job["params"])
    job["problems"] = json.loads(job["problems"])
    job["warnings"] = json.loads(job["warnings"])
    return job


def job_files(db: Database, job_id: str) -> list[dict]:
    return [dict(r) for r in db.all("SELECT * FROM files WHERE job_id = ? ORDER BY created, name", (job_id,))]


def recent_jobs(db: Database, kinds: tuple[str, ...], limit: int = 20) -> list[dict]:
    marks = ",".join("?" * len(kinds))
    rows = [dict(r) for r in db.all(
        f"SELECT j.id, j.kind, j.state, j.done, j.total, j.created, j.params, u.name AS user_name FROM jobs j "
        f"JOIN users u ON u.id = j.user_id WHERE j.kind IN ({marks}) ORDER BY j.created DESC LIMIT ?",
        (*kinds, limit))]
    for row in rows:
        row["params"] = json.loads(row["params"])
    return rows
