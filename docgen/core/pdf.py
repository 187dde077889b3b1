"""Word → PDF through headless LibreOffice, a whole batch per process.

LibreOffice costs ~1.5 s to start, so a batch is split over at most `jobs`
processes and never started once per document. Each process gets its own
fresh user profile: two processes sharing one profile silently serialise.

Plain `soffice --convert-to pdf` leaves a table of contents as Word last saved
it (often empty), so each process runs a small Basic macro, seeded into its
fresh profile, that opens every document of its share, updates indexes and
fields, and exports the PDF. Windows Chinese fonts are mapped to the installed
Noto CJK faces of the same style through a generated fontconfig file (no root
needed). PDFs are made in a private temp folder and then moved into place
atomically, so a failed batch leaves no half-written PDF.

LibreOffice fetches linked pictures while it converts (a tracking pixel in a
template calls home): a document with any external reference other than a
hyperlink (docgen.core.hygiene.fetchable_references) is refused before
LibreOffice starts, so a conversion never fetches anything.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docgen.core.errors import (
    DocgenError,
    ExternalToolError,
    InputError,
    Location,
    OutputExistsError,
    Problem,
)
from docgen.core.hygiene import fetchable_references
from docgen.core.output import write_atomic
from docgen.core.text import xml_escape

DEBIAN_PACKAGE = "libreoffice-writer-nogui"
_SOFFICE_NAMES = ("soffice", "libreoffice")

_SERIF_CJK = ("Noto Serif CJK SC",)
_SANS_CJK = ("Noto Sans CJK SC",)
# Fonts our templates (or users' Word files) name → installed faces of the same style.
FONT_ALIASES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(["宋体", "SimSun", "新宋体", "NSimSun", "仿宋", "FangSong", "仿宋_GB2312",
                     "楷体", "KaiTi", "楷体_GB2312"], _SERIF_CJK),
    **dict.fromkeys(["黑体", "SimHei", "微软雅黑", "Microsoft YaHei", "等线", "DengXian"], _SANS_CJK),
    "Calibri": ("Carlito",),
    "Cambria": ("Caladea",),
    "Times New Roman": ("Liberation Serif", "DejaVu Serif"),
    "Arial": ("Liberation Sans", "DejaVu Sans"),
}


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
    refresh_toc: bool = False,
) -> list[Path]:
    """Convert .docx files to PDF; return the PDF paths in input order.

    With refresh_toc, each .docx whose table of contents docgen listed
    (docgen.core.toc) is rewritten with the page numbers of this layout, so Word
    and WPS open it with a complete TOC and no prompt.

    PDFs go to `out_dir` (created if missing), or next to each .docx when None.
    `timeout` is per LibreOffice process; by default it scales with its share
    of the batch. An existing PDF is only replaced with force=True.
    """
    sources = [Path(p).resolve() for p in docx_paths]
    if not sources:
        return []
    targets = _targets(sources, out_dir, force)
    soffice = find_soffice()
    shares = [sources[i :: min(max(1, jobs), len(sources))] for i in range(min(max(1, jobs), len(sources)))]
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as work:
        fontconfig = _write_fontconfig(Path(work) / "fonts.conf")
        runs = [_Run(share, Path(work) / f"job{n}") for n, share in enumerate(shares)]
        try:
            for run in runs:
                run.start(soffice, fontconfig)
            for run in runs:
                run.wait(timeout if timeout is not None else _default_timeout(len(run.sources)))
        finally:
            for run in runs:
                run.kill()
        failed = [f"{src} ({run.errors.get(src, 'no PDF produced')})" for run in runs
                  for src in run.sources if not run.pdf_for(src).is_file()]
        if failed:
            raise ExternalToolError("LibreOffice could not convert " + "; ".join(failed))
        for run in runs:
            for src in run.sources:
                write_atomic(targets[src], run.pdf_for(src).read_bytes(), force=force)
                if refresh_toc:
                    _write_toc_pages(src, run.pdf_for(src).with_name(run.pdf_for(src).name + ".toc"))
    return [targets[s] for s in sources]


def _write_toc_pages(docx_path: Path, toc_file: Path) -> None:
    """Write the page numbers LibreOffice laid out into the .docx's table of contents (docgen.core.toc)."""
    from docgen.core.toc import refresh_toc_pages

    if toc_file.is_file():
        data = refresh_toc_pages(docx_path.read_bytes(), toc_file.read_text("utf-8"))
        if data is not None:
            write_atomic(docx_path, data, force=True)


def merge_pdfs(pdfs, out, *, force: bool = False) -> Path:
    """Join PDFs in order into `out` with poppler's pdfunite (atomic, no silent overwrite)."""
    tool = shutil.which("pdfunite")
    if tool is None:
        raise ExternalToolError("merging PDFs needs `pdfunite`; install poppler-utils (apt-get install poppler-utils)")
    inputs = [str(Path(p)) for p in pdfs]
    if not inputs:
        raise DocgenError("no PDFs to merge")

    def unite(tmp: Path) -> None:
        result = subprocess.run([tool, *inputs, str(tmp)], capture_output=True, text=True)
        if result.returncode != 0:
            raise ExternalToolError(f"pdfunite could not merge into {out}: {result.stderr.strip()}")

    return write_atomic(out, unite, force=force)


def _targets(sources: list[Path], out_dir, force: bool) -> dict[Path, Path]:
    targets: dict[Path, Path] = {}
    by_target: dict[Path, Path] = {}
    fetching = []
    for src in sources:
        if not src.is_file():
            raise DocgenError(f"{src}: no such .docx file to convert to PDF")
        if not zipfile.is_zipfile(src):
            # LibreOffice would quietly import it as plain text and make a PDF of the bytes.
            raise DocgenError(f"{src}: not a Word .docx file (expected a zip package); cannot convert to PDF")
        folder = Path(out_dir) if out_dir is not None else src.parent
        target = (folder / f"{src.stem}.pdf").resolve()
        if target in by_target:
            raise DocgenError(f"{by_target[target]} and {src} would both become {target}; rename one")
        if target.exists() and not force:
            raise OutputExistsError(f"{target} already exists; use --force to overwrite it")
        by_target[target] = src
        targets[src] = target
        fetching += fetchable_references(src)
    if fetching:
        raise InputError([*fetching, _NO_FETCH])
    return targets


_NO_FETCH = Problem(Location(), "LibreOffice would fetch these while converting, so the PDF export refuses them; "
                   "remove them from the template (docgen templates check lists them) or clean the document "
                   "(docgen.core.hygiene.clean_package)")


def _default_timeout(documents: int) -> float:
    # Start-up plus a generous allowance per long, table-heavy document.
    return 60.0 + 20.0 * documents


def _write_fontconfig(path: Path) -> Path:
    """A fontconfig file: the system configuration plus our aliases (binding="same"
    so the mapped face counts as the requested font, not a weak fallback)."""
    system = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    aliases = "\n".join(
        f'  <alias binding="same"><family>{xml_escape(name)}</family><prefer>'
        + "".join(f"<family>{xml_escape(face)}</family>" for face in faces)
        + "</prefer></alias>"
        for name, faces in FONT_ALIASES.items()
    )
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">{xml_escape(system)}</include>\n{aliases}\n</fontconfig>\n',
        encoding="utf-8",
    )
    return path


class _Run:
    """One LibreOffice process converting its share of the batch, own profile and folder."""

    def __init__(self, sources: list[Path], folder: Path):
        self.sources = sources
        self.folder = folder
        self.out = folder / "out"
        self.errors: dict[Path, str] = {}
        self.process: subprocess.Popen | None = None
        # Inside one process each PDF gets a numbered name, so equal stems can't collide.
        self._pdfs = {src: self.out / f"{n}.pdf" for n, src in enumerate(sources)}

    def pdf_for(self, src: Path) -> Path:
        return self._pdfs[src]

    def start(self, soffice: str, fontconfig: Path) -> None:
        profile = self.folder / "profile"
        _seed_profile(profile)
        self.out.mkdir(parents=True)
        jobs = self.folder / "jobs.txt"
        jobs.write_text("".join(f"{src.as_uri()}\t{self._pdfs[src].as_uri()}\n" for src in self.sources), "utf-8")
        env = {
            **os.environ,
            "FONTCONFIG_FILE": str(fontconfig),
            "DOCGEN_PDF_JOBS": str(jobs),
            "DOCGEN_PDF_LOG": str(self.folder / "log.txt"),
        }
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "macro:///Standard.Module1.ConvertBatch",
        ]
        stats.starts += 1
        self.process = subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so a timeout can kill soffice.bin behind the wrapper script
        )

    def wait(self, timeout: float) -> None:
        try:
            output, _ = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ExternalToolError(
                f"LibreOffice did not finish converting {len(self.sources)} document(s) "
                f"within {timeout:g} s (first: {self.sources[0]}); it may be stuck on a "
                "document, or the machine overloaded: try a smaller batch or more --jobs"
            ) from None
        log = self.folder / "log.txt"
        if not log.is_file():
            text = output.decode("utf-8", errors="replace").strip()
            raise ExternalToolError(
                "LibreOffice started but did not run docgen's PDF conversion macro "
                f"(exit code {self.process.returncode}){': ' + text if text else ''}"
            )
        by_uri = {src.as_uri(): src for src in self.sources}
        for line in log.read_text("utf-8").splitlines():
            status, _, uri = line.partition("\t")
            if status != "ok" and uri in by_uri:
                self.errors[by_uri[uri]] = status

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _seed_profile(profile: Path) -> None:
    """A fresh profile holding our macro. Marking setup as completed stops
    LibreOffice from replacing user/basic with its defaults on first start."""
    standard = profile / "user" / "basic" / "Standard"
    standard.mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_REGISTRY, "utf-8")
    for name in ("script.xlc", "dialog.xlc"):
        (standard.parent / name).write_text(_LIBRARIES, "utf-8")
    (standard / "script.xlb").write_text(_LIBRARY.format(body=' <library:element library:name="Module1"/>\n'), "utf-8")
    (standard / "dialog.xlb").write_text(_LIBRARY.format(body=""), "utf-8")
    (standard / "Module1.xba").write_text(_MODULE.format(code=xml_escape(_MACRO)), "utf-8")


_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="ooSetupInstCompleted" oor:op="fuse">\
<value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse">\
<value>false</value></prop></item>
</oor:items>
"""
_LIBRARIES = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:libraries PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "libraries.dtd">
<library:libraries xmlns:library="http://openoffice.org/2000/library" xmlns:xlink="http://www.w3.org/1999/xlink">
 <library:library library:name="Standard" library:link="false"/>
</library:libraries>
"""
_LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" \
library:readonly="false" library:passwordprotected="false">
{body}</library:library>
"""
_MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" \
script:language="StarBasic">{code}</script:module>
"""
# Reads "docx URL <tab> pdf URL" lines, writes "ok|error … <tab> docx URL" lines.
# Indexes are updated twice: filling the TOC can move the pages it points to.
_MACRO = """
Sub ConvertBatch
    Dim sfa As Object, jobs As Object, log As Object, parts As Variant, entry As String
    sfa = createUnoService("com.sun.star.ucb.SimpleFileAccess")
    jobs = createUnoService("com.sun.star.io.TextInputStream")
    jobs.setInputStream(sfa.openFileRead(ConvertToURL(Environ("DOCGEN_PDF_JOBS"))))
    jobs.setEncoding("UTF-8")
    log = createUnoService("com.sun.star.io.TextOutputStream")
    log.setOutputStream(sfa.openFileWrite(ConvertToURL(Environ("DOCGEN_PDF_LOG"))))
    log.setEncoding("UTF-8")
    Do While Not jobs.isEOF()
        ' readLine keeps the line feed of the last line: drop it.
        entry = Join(Split(jobs.readLine(), Chr(10)), "")
        If entry <> "" Then
            parts = Split(entry, Chr(9))
            log.writeString(ConvertOne(parts(0), parts(1)) & Chr(9) & parts(0) & Chr(10))
        End If
    Loop
    jobs.closeInput()
    log.closeOutput()
    StarDesktop.terminate()
End Sub

Sub WriteText(url As String, text As String)
    Dim sfa As Object, out As Object
    sfa = createUnoService("com.sun.star.ucb.SimpleFileAccess")
    out = createUnoService("com.sun.star.io.TextOutputStream")
    out.setOutputStream(sfa.openFileWrite(url))
    out.setEncoding("UTF-8")
    out.writeString(text)
    out.closeOutput()
End Sub

Function ConvertOne(inUrl As String, outUrl As String) As String
    Dim doc As Object, indexes As Object, i As Integer
    On Error GoTo Failed
    Dim load(0) As New com.sun.star.beans.PropertyValue
    load(0).Name = "Hidden" : load(0).Value = True
    doc = StarDesktop.loadComponentFromURL(inUrl, "_blank", 0, load())
    indexes = doc.getDocumentIndexes()
    For i = 0 To indexes.getCount() - 1
        indexes.getByIndex(i).update()
    Next i
    doc.getTextFields().refresh()
    For i = 0 To indexes.getCount() - 1
        indexes.getByIndex(i).update()
    Next i
    ' The laid-out table of contents ("heading <tab> page" lines), for docgen.core.toc to write into the .docx.
    For i = 0 To indexes.getCount() - 1
        If indexes.getByIndex(i).supportsService("com.sun.star.text.ContentIndex") Then
            WriteText(outUrl & ".toc", indexes.getByIndex(i).getAnchor().getString())
            Exit For
        End If
    Next i
    Dim store(0) As New com.sun.star.beans.PropertyValue
    store(0).Name = "FilterName" : store(0).Value = "writer_pdf_Export"
    doc.storeToURL(outUrl, store())
    doc.close(True)
    ConvertOne = "ok"
    Exit Function
Failed:
    ConvertOne = "error " & Err & ": " & Join(Split(Join(Split(Error$, Chr(10)), " "), Chr(9)), " ")
    On Error Resume Next
    If Not IsNull(doc) Then doc.close(True)
End Function
"""
