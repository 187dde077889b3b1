"""Word → PDF through headless LibreOffice, a whole batch per process.

LibreOffice costs ~1.5 s to start, so a batch is split over at most `jobs`
processes and never started once per document. Each process gets its own
fresh user profile: two processes sharing one profile silently serialise.
PDFs are written to a private temp folder first and then moved into place
atomically, so a failed or interrupted batch leaves no half-written PDF.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import DocgenError, ExternalToolError, OutputExistsError
from docgen.output import write_atomic

DEBIAN_PACKAGE = "libreoffice-writer-nogui"
_SOFFICE_NAMES = ("soffice", "libreoffice")


@dataclass
class Stats:
    """How many LibreOffice processes docgen has started (tests count them)."""

    starts: int = 0


stats = Stats()


def find_soffice() -> str:
    """Path of the LibreOffice executable, or an error saying what to install."""
    for name in _SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ExternalToolError(
        "LibreOffice is needed for PDF export but `soffice` was not found on PATH; "
        f"install it (Debian/Ubuntu: apt-get install {DEBIAN_PACKAGE}) or leave out --pdf"
    )


def libreoffice_available() -> bool:
    try:
        find_soffice()
    except ExternalToolError:
        return False
    return True


def convert_to_pdf(
    docx_paths,
    out_dir=None,
    *,
    jobs: int = 1,
    timeout: float | None = None,
    force: bool = False,
) -> list[Path]:
    """Convert .docx files to PDF; return the PDF paths in input order.

    PDFs go to `out_dir` (created if missing), or next to each .docx when None.
    `timeout` is per LibreOffice process; by default it scales with the batch.
    An existing PDF is only replaced with force=True.
    """
    sources = [Path(p).resolve() for p in docx_paths]
    if not sources:
        return []
    targets = _targets(sources, out_dir, force)
    soffice = find_soffice()
    chunks = _split(list(range(len(sources))), max(1, jobs))
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as work:
        runs = [_Run(soffice, [sources[i] for i in chunk], Path(work) / f"job{n}") for n, chunk in enumerate(chunks)]
        for run in runs:
            run.start()
        for run in runs:
            run.wait(timeout if timeout is not None else _default_timeout(len(run.sources)))
        failed = [str(src) for run in runs for src in run.sources if not run.pdf_for(src).is_file()]
        if failed:
            raise ExternalToolError(
                "LibreOffice could not convert " + ", ".join(failed) + _detail(runs)
            )
        for run in runs:
            for src in run.sources:
                write_atomic(targets[src], run.pdf_for(src).read_bytes(), force=force)
    return [targets[s] for s in sources]


def _targets(sources: list[Path], out_dir, force: bool) -> dict[Path, Path]:
    targets: dict[Path, Path] = {}
    seen: dict[Path, Path] = {}
    for src in sources:
        if not src.is_file():
            raise DocgenError(f"{src}: no such .docx file to convert to PDF")
        folder = Path(out_dir) if out_dir is not None else src.parent
        target = (folder / f"{src.stem}.pdf").resolve()
        if target in seen:
            raise DocgenError(f"{seen[target]} and {src} would both become {target}; rename one")
        if target.exists() and not force:
            raise OutputExistsError(f"{target} already exists; use --force to overwrite it")
        seen[target] = src
        targets[src] = target
    return targets


def _split(items: list[int], jobs: int) -> list[list[int]]:
    """Round-robin over at most `jobs` non-empty chunks."""
    count = min(jobs, len(items))
    return [items[i::count] for i in range(count)]


def _default_timeout(documents: int) -> float:
    # Start-up plus a generous per-document allowance for long table-heavy files.
    return 60.0 + 20.0 * documents


def _detail(runs: list["_Run"]) -> str:
    messages = [run.output.strip() for run in runs if run.output.strip()]
    return (": " + messages[0].splitlines()[-1]) if messages else ""


class _Run:
    """One LibreOffice process converting a chunk of the batch, own profile and out folder."""

    def __init__(self, soffice: str, sources: list[Path], folder: Path):
        self.soffice = soffice
        self.sources = sources
        self.profile = folder / "profile"
        self.out = folder / "out"
        self.output = ""
        self.process: subprocess.Popen | None = None

    def pdf_for(self, src: Path) -> Path:
        return self.out / f"{src.stem}.pdf"

    def start(self) -> None:
        # Same stem twice in one process would overwrite: _targets refuses that
        # only per target folder, so check again here.
        stems = [s.stem for s in self.sources]
        if len(set(stems)) != len(stems):
            raise DocgenError("two documents in one PDF batch share a file name: " + ", ".join(sorted(stems)))
        self.out.mkdir(parents=True)
        command = [
            self.soffice,
            f"-env:UserInstallation={self.profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(self.out),
            *map(str, self.sources),
        ]
        stats.starts += 1
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so a timeout can kill soffice and its children
        )

    def wait(self, timeout: float) -> None:
        try:
            out, _ = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.communicate()
            raise ExternalToolError(
                f"LibreOffice did not finish converting {len(self.sources)} document(s) "
                f"within {timeout:.0f} s (first: {self.sources[0]}); pass a longer timeout "
                "or fewer documents per job"
            ) from None
        self.output = out.decode("utf-8", errors="replace")
