"""The writer: every file docgen produces goes through here.

Writes are atomic (a temp file in the target folder, then a rename), so a
crash never leaves a half-written document; an existing file (or a symlink,
even a dangling one) is never replaced unless the caller passes force=True.
Files get the permissions of a normal file under the user's umask (0644
under umask 022), not mkstemp's 0600, so colleagues on a shared folder can
open them. Temp names are short (`.dg-XXXXXXXX.tmp`) so any legal output name
works, and every OS failure becomes a one-line OutputError.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import signal
import tempfile
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path

from docgen.core.errors import OutputError, OutputExistsError

_UNSAFE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(text: str, *, fallback: str = "document", max_length: int = 120) -> str:
    """A file name made from user data: no folders, no reserved names, no control chars.

    `../../x` becomes `x`, `A/B` becomes `A_B`; CJK and other letters are kept.
    """
    name = unicodedata.normalize("NFC", str(text))
    name = _UNSAFE_CHARS.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" ._")
    name = re.sub(r"_+", "_", name)
    name = name.lstrip(".")
    if name.upper().split(".")[0] in _WINDOWS_RESERVED:
        name = f"_{name}"
    if len(name.encode("utf-8")) > max_length:
        encoded = name.encode("utf-8")[:max_length]
        name = encoded.decode("utf-8", errors="ignore").rstrip(" ._")
    return name or fallback


TEMP_PREFIX = ".dg-"
TEMP_SUFFIX = ".tmp"


def file_mode() -> int:
    """What open() would give a new file: 0666 less the process umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def os_error_message(exc: OSError, path: str | os.PathLike | None = None) -> str:
    """`cannot write out/x.docx: No space left on device` — one line for any OSError."""
    where = exc.filename if path is None else path
    reason = exc.strerror or exc.__class__.__name__
    hints = {
        errno.ENOSPC: "free some space and run again",
        errno.EACCES: "check the folder's permissions or choose another -o",
        errno.EPERM: "check the folder's permissions or choose another -o",
        errno.EROFS: "the file system is read-only; choose another -o",
        errno.ENAMETOOLONG: "use a shorter file name",
    }
    hint = hints.get(exc.errno)
    return f"{where}: {reason}" + (f" ({hint})" if hint else "")


def exists(path: str | os.PathLike) -> bool:
    """True for a file, a folder or any symlink, even one that points nowhere."""
    return os.path.lexists(path)


def check_writable(path: str | os.PathLike, force: bool = False) -> Path:
    """Fail early, before any work, if `path` exists and force is off."""
    target = Path(path)
    if len(os.fsencode(target.name)) > 255:
        raise OutputError(f"{target}: the file name is longer than 255 bytes; use a shorter one")
    if exists(target) and not force:
        raise OutputExistsError(f"{target} already exists; use --force to overwrite it")
    if target.is_dir():
        raise OutputExistsError(f"{target} is a folder; expected a file path")
    return target


def write_atomic(path: str | os.PathLike, data: bytes | Callable[[Path], None], *, force: bool = False) -> Path:
    """Write `data` (bytes, or a function that writes to the temp path) to `path`.

    The file appears complete or not at all; an existing file stays untouched
    when anything fails on the way.
    """
    target = check_writable(path, force)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {os_error_message(exc, target)}") from None
    tmp = Path(tmp_name)
    try:
        if callable(data):
            os.close(fd)
            data(tmp)
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        os.chmod(tmp, file_mode())
        if exists(target) and not force:  # appeared while we were writing
            raise OutputExistsError(f"{target} already exists; use --force to overwrite it")
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {os_error_message(exc, target)}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


# --- sets of files, all or nothing ----------------------------------------------------------

MANIFEST = ".docgen-run.json"


class StagedFolder:
    """Write a batch into a hidden folder beside `target`, then move it in as one set.

        with StagedFolder(out_dir, force=force) as stage:
            write_atomic(stage.path("a.docx"), data)
            ...
            written = stage.commit()

    Until commit() the target folder is untouched: an error, a full disk or
    Ctrl-C removes the staging folder and leaves the target exactly as it was.
    commit() moves the files in with Ctrl-C held back, restoring the previous
    files if a move fails. A run killed outright (SIGKILL, power loss) leaves
    only its staging folder, `.NAME.dg-PID.partial`; the next run over the same
    target removes it and says so (`removed_leftovers`). With force, files an
    earlier run recorded in the target's manifest and this run does not write
    again (people no longer on the roster) are removed with the set.
    """

    def __init__(self, target: str | os.PathLike, *, force: bool = False):
        self.target = Path(target)
        self.force = force
        self.removed_leftovers: list[Path] = []
        self.staging: Path | None = None

    def __enter__(self) -> StagedFolder:
        parent = self.target.parent
        stem = f".{self.target.name[:60]}.dg-"
        try:
            parent.mkdir(parents=True, exist_ok=True)
            for old in parent.glob(f"{glob_escape(stem)}*.partial"):
                if not _pid_alive(old.name[len(stem):-len(".partial")]):
                    shutil.rmtree(old, ignore_errors=True)
                    self.removed_leftovers.append(old)
            self.staging = parent / f"{stem}{os.getpid()}.partial"
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging.mkdir()
        except OSError as exc:
            raise OutputError(f"cannot write into {os_error_message(exc, parent)}") from None
        return self

    def path(self, name: str) -> Path:
        return self.staging / name

    def __exit__(self, *exc_info) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self) -> list[Path]:
        """Move every staged file into the target; returns their final paths."""
        names = sorted(p.name for p in self.staging.iterdir() if p.is_file())
        previous = self._manifest()
        stale = [n for n in previous if n not in names] if self.force else []
        keep = [n for n in previous if n not in stale and n not in names and exists(self.target / n)]
        write_atomic(self.staging / MANIFEST, json.dumps({"files": sorted(keep + names)}, ensure_ascii=False,
                                                          indent=1).encode("utf-8"), force=True)
        names.append(MANIFEST)
        backup = self.staging / ".previous"
        moved_old: list[str] = []
        placed: list[str] = []
        with _sigint_held():
            try:
                self.target.mkdir(parents=True, exist_ok=True)
                for name in [*names, *stale]:
                    if exists(self.target / name):
                        backup.mkdir(exist_ok=True)
                        os.replace(self.target / name, backup / name)
                        moved_old.append(name)
                for name in names:
                    os.replace(self.staging / name, self.target / name)
                    os.chmod(self.target / name, file_mode())
                    placed.append(name)
            except OSError as exc:
                for name in placed:
                    _quietly(os.replace, self.target / name, self.staging / name)
                for name in moved_old:
                    _quietly(os.replace, backup / name, self.target / name)
                raise OutputError(f"cannot write into {os_error_message(exc, self.target)}; "
                                  "the folder was left as it was") from None
        return [self.target / n for n in names if n != MANIFEST]

    def _manifest(self) -> list[str]:
        try:
            data = json.loads((self.target / MANIFEST).read_text(encoding="utf-8"))
            return [n for n in data.get("files", []) if isinstance(n, str) and n == Path(n).name]
        except (OSError, ValueError, AttributeError):
            return []


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _pid_alive(text: str) -> bool:
    try:
        os.kill(int(text), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def _quietly(function, *args) -> None:
    try:
        function(*args)
    except OSError:
        pass


@contextlib.contextmanager
def _sigint_held():
    """Ctrl-C during the few renames of a commit waits until they are done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received = []
    previous = signal.signal(signal.SIGINT, lambda *args: received.append(args))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received and callable(previous):
            previous(*received[0])
