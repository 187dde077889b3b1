"""Generated files: stored under data/files/<random folder>/, found only through their database row."""

from __future__ import annotations

import time
from pathlib import Path

from docgen.web.config import WebConfig
from docgen.web.db import Database
from docgen.web.jobs import new_id, valid_id

MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".png": "image/png",
}


def new_folder(config: WebConfig) -> Path:
    folder = config.files / new_id()
    folder.mkdir(parents=True, exist_ok=False)
    return folder


def register(db: Database, config: WebConfig, path: Path, *, area: str, user_id: int, kind: str,
             name: str | None = None, job_id: str | None = None) -> str:
    """Record a file written under data/files; returns its id."""
    file_id = new_id()
    relative = path.resolve().relative_to(config.files.resolve())
    db.execute("INSERT INTO files (id, job_id, area, user_id, kind, name, path, size, created) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (file_id, job_id, area, user_id, kind, name or path.name, str(relative), path.stat().st_size, time.time()))
    return file_id


def file_row(db: Database, file_id: str) -> dict | None:
    if not valid_id(file_id):
        return None
    row = db.one("SELECT * FROM files WHERE id = ?", (file_id,))
    return dict(row) if row else None


def file_path(config: WebConfig, row: dict) -> Path | None:
    """The file of a row, only when it is still inside data/files."""
    root = config.files.resolve()
    path = (root / row["path"]).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def media_type(name: str) -> str:
    return MEDIA_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")


def disk_use(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file():
                total += path.stat().st_size
        except OSError:
            pass
    return total
