"""`docgen demo`: every kind of document docgen makes, from the bundled examples.

Each capability contributes its own demo step; this module runs them in
order into one folder and adds PDFs (next to each .docx) in one LibreOffice
batch of two processes when it is installed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docgen.core.config import Settings


def _requirements(out: Path, settings: Settings, force: bool) -> list[Path]:
    from docgen.intake import analysis

    return analysis.demo(out, force=force)


def _cases(out: Path, settings: Settings, force: bool) -> list[Path]:
    from docgen.casebook import pack as case_pack

    return case_pack.demo(out, settings=settings, force=force)


def _review(out: Path, settings: Settings, force: bool) -> list[Path]:
    from docgen.review import batch as review_batch

    return review_batch.demo(out, settings=settings, force=force)


def _proposals(out: Path, settings: Settings, force: bool) -> list[Path]:
    from docgen.proposal import demo as proposal_demo

    return proposal_demo.demo(out, settings=settings, force=force)


def _loop(out: Path, settings: Settings, force: bool) -> list[Path]:
    from docgen.proposal import loop_demo

    return loop_demo.demo(out, settings=settings, force=force)


STEPS: list[tuple[str, str, Callable[[Path, Settings, bool], list[Path]]]] = [
    ("requirements", "intake form and industry requirement analysis", _requirements),
    ("", "staged proposal drafts, strategy briefs and module plans per example client", _proposals),
    ("proposal/loop", "the presales loop: split → writers' modules assembled → diff → release → outcome → "
                      "post-project review → case statistics", _loop),
    ("cases", "case search result and case-study pack", _cases),
    ("review", "KPI review packets (blank and filled) and the summary workbook", _review),
]


def run_demo(out_dir: str | Path, settings: Settings, *, force: bool = False, pdf: bool = True,
             report: Callable[[str], None] = lambda line: None) -> list[Path]:
    """Write every demo document under out_dir; returns what was written."""
    out_dir = Path(out_dir)
    written: list[Path] = []
    for folder, label, step in STEPS:
        files = step(out_dir / folder, settings, force)
        report(f"{label}:")
        for path in files:
            report(f"  {path}")
        written += files
    if pdf:
        from docgen.core.pdf import convert_to_pdf, libreoffice_available

        documents = [p for p in written if p.suffix == ".docx"]
        if documents and libreoffice_available():
            pdfs = convert_to_pdf(documents, None, jobs=2, force=force, refresh_toc=True)  # each PDF next to its .docx
            report(f"PDFs ({len(pdfs)}):")
            for path in pdfs:
                report(f"  {path}")
            written += pdfs
        elif documents:
            report("PDFs skipped: LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    return written
