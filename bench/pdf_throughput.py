"""Benchmark: PDF throughput of headless LibreOffice for a batch of documents.

    python bench/pdf_throughput.py [--docs 20] [DOCX ...]

Prints seconds per document for the same batch converted
  naive: one LibreOffice process per document (what a loop over `soffice` does)
  one:   one process for the whole batch (docgen.core.pdf, jobs=1)
  two:   two processes, each with its own profile (docgen.core.pdf, jobs=2)
Every mode does the same work per document (TOC/field refresh, font mapping);
only the number of LibreOffice starts differs. Without DOCX arguments the
documents are rendered from bench/render.py's 14-page, table-heavy template.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from docgen.core import pdf


def measure(docx_paths, out_root) -> dict:
    """Convert the batch three ways; print and return s/doc and LibreOffice starts per mode."""
    out_root = Path(out_root)
    # Unique names: callers may pass one document several times to make a batch.
    sources = []
    (out_root / "src").mkdir(parents=True, exist_ok=True)
    for n, path in enumerate(docx_paths):
        sources.append(Path(shutil.copyfile(path, out_root / "src" / f"{n:03d}.docx")))

    def timed(convert) -> tuple[float, int]:
        starts, start = pdf.stats.starts, time.perf_counter()
        convert()
        return (time.perf_counter() - start) / len(sources), pdf.stats.starts - starts

    modes = {
        "naive": lambda: [pdf.convert_to_pdf([s], out_root / "naive") for s in sources],
        "one": lambda: pdf.convert_to_pdf(sources, out_root / "one", jobs=1),
        "two": lambda: pdf.convert_to_pdf(sources, out_root / "two", jobs=2),
    }
    labels = {
        "naive": "one LibreOffice process per document (naive)",
        "one": "one process for the whole batch",
        "two": "two processes, separate profiles",
    }
    result: dict = {"documents": len(sources)}
    print(f"PDF throughput, {len(sources)} documents:")
    for mode, convert in modes.items():
        seconds, starts = timed(convert)
        result[mode] = {"s_per_doc": seconds, "starts": starts}
        print(f"  {labels[mode]:<46} {seconds:6.2f} s/doc  ({starts} LibreOffice start{'s' * (starts != 1)})")
    return result


def _rendered_batch(count: int, folder: Path) -> list[Path]:
    """`count` filled 14-page forms from bench/render.py's template, prepared once."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from render import build_template, make_context

    from docgen.core.render import DocumentTemplate

    template = DocumentTemplate(build_template(folder / "form.docx"))
    return [template.render_to(folder / f"doc{i:02d}.docx", make_context(i)) for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20, help="batch size (default 20)")
    parser.add_argument("docx", nargs="*", type=Path, help=".docx files to cycle through (default: rendered forms)")
    args = parser.parse_args()
    pdf.find_soffice()
    with tempfile.TemporaryDirectory(prefix="docgen-bench-pdf-") as tmp:
        work = Path(tmp)
        if args.docx:
            batch = [args.docx[i % len(args.docx)] for i in range(args.docs)]
        else:
            (work / "docx").mkdir()
            batch = _rendered_batch(args.docs, work / "docx")
        measure(batch, work / "pdf")


if __name__ == "__main__":
    main()
