"""Uploaded files: stored under a random name, limited in size, checked by content before any reader sees them.

A workbook or Word file is a zip: its directory is read first, and a file whose
parts would inflate beyond MAX_UNPACKED, or that has more than MAX_PARTS
parts, or a part compressed more than MAX_RATIO : 1, is refused — openpyxl
and python-docx never open it. The file's own name is kept only for messages.
"""

from __future__ import annotations

import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docgen.core.errors import InputError, Location

MAX_UNPACKED = 100 << 20
MAX_PARTS = 2_000
MAX_RATIO = 200
_RATIO_FLOOR = 1 << 20  # small parts may compress as well as they like
_CHUNK = 1 << 16

KINDS = {
    "xlsx": ((".xlsx",), "xl/workbook.xml", "an Excel workbook (.xlsx)"),
    "docx": ((".docx",), "word/document.xml", "a Word document (.docx)"),
    "yaml": ((".yaml", ".yml"), None, "a YAML text file (.yaml)"),
}


class UploadTooLarge(InputError):
    pass


@dataclass(frozen=True)
class Upload:
    path: Path  # where it is stored (random name)
    name: str  # what the user called it, for messages only
    kind: str  # xlsx, docx or yaml


def display_name(name: str | None) -> str:
    """The user's file name, without folders or control characters, at most 120 characters."""
    base = (name or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip() or "upload"
    return base[:120]


async def save_upload(upload, folder: Path, allowed: tuple[str, ...], limit: int, field: str) -> Upload:
    """Store an UploadFile under `folder` and check its content is one of `allowed` kinds."""
    name = display_name(getattr(upload, "filename", None))
    where = Location(file=name, field=field)
    if upload is None or not hasattr(upload, "read"):
        raise InputError("choose a file to upload", where=Location(field=field))
    suffix = Path(name).suffix.lower()
    kind = next((k for k in allowed if suffix in KINDS[k][0]), None)
    if kind is None:
        expected = " or ".join(KINDS[k][2] for k in allowed)
        raise InputError(f"expected {expected}", where=where)
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(_store, upload.file, folder, kind, name, limit, where)


def _store(source, folder: Path, kind: str, name: str, limit: int, where: Location) -> Upload:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{secrets.token_urlsafe(16)}{KINDS[kind][0][0]}"
    size = 0
    try:
        source.seek(0)
        with open(path, "wb") as out:
            while chunk := source.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise UploadTooLarge(f"the file is larger than {limit >> 20} MB", where=where)
                out.write(chunk)
        if size == 0:
            raise InputError("the file is empty", where=where)
        check_content(path, kind, name)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Upload(path, name, kind)


def check_content(path: Path, kind: str, name: str) -> None:
    """InputError when the bytes are not what the name says, or a zip would unpack too large."""
    where = Location(file=name)
    expected = KINDS[kind][2]
    if kind == "yaml":
        head = path.read_bytes()
        if b"\0" in head:
            raise InputError(f"not a text file (binary content); expected {expected}", where=where)
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("not UTF-8 text; save the file as UTF-8", where=where) from None
        return
    if not zipfile.is_zipfile(path):
        raise InputError(f"not {expected}: the content is something else (renamed file?)", where=where)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError(f"damaged file ({exc}); expected {expected}", where=where) from None
    if len(infos) > MAX_PARTS:
        raise InputError(f"refused: {len(infos)} parts inside the file (a zip bomb?); at most {MAX_PARTS}", where=where)
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED:
        raise InputError(f"refused: unpacks to {unpacked >> 20} MB (a zip bomb?); at most {MAX_UNPACKED >> 20} MB",
                         where=where)
    for info in infos:
        if info.file_size >= _RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise InputError(f"refused: part {info.filename} is compressed {info.file_size // max(1, info.compress_size)}"
                             f":1 (a zip bomb?); at most {MAX_RATIO}:1", where=where)
    if KINDS[kind][1] not in names:
        raise InputError(f"not {expected}: it is a zip file without {KINDS[kind][1]}", where=where)
