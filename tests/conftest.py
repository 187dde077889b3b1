"""Shared pytest wiring: the LibreOffice marker and a session-wide converter.

`@needs_libreoffice` (tests/docs.py, the `libreoffice` mark) skips a test when
soffice is absent on a developer machine; on CI (env CI set) a missing
LibreOffice is a failure, so a green CI run really exercised LibreOffice.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# Lets tests write `from tests.helpers.docs import ...` as well as `from docs import ...`.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# pytester lets tests/test_pdf.py check the marker's skip-or-fail behaviour.
pytest_plugins = ["pytester"]

_MISSING = "LibreOffice (soffice) is not installed; apt-get install libreoffice-writer-nogui"


def _require_libreoffice() -> None:
    # Imported late so a broken docgen.core.pdf fails only the tests that need it.
    from docgen.core.pdf import libreoffice_available

    if libreoffice_available():
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set, so LibreOffice tests are mandatory: {_MISSING}", pytrace=False)
    pytest.skip(_MISSING)


CHROMIUM = "/usr/bin/chromium"


def _require_chromium() -> None:
    # Browser tests (tests/web) drive Debian's Chromium; like LibreOffice, mandatory on CI.
    if os.path.exists(CHROMIUM):
        return
    missing = f"{CHROMIUM} is not installed; apt-get install chromium"
    if os.environ.get("CI"):
        pytest.fail(f"CI is set, so browser tests are mandatory: {missing}", pytrace=False)
    pytest.skip(missing)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("libreoffice") is not None:
        _require_libreoffice()
    if item.get_closest_marker("browser") is not None:
        _require_chromium()


class Converter:
    """Converts .docx to PDF into one session folder; each batch is one LibreOffice run."""

    def __init__(self, root: Path):
        self.root = root
        self.batches = 0

    def __call__(self, docx_paths, *, jobs: int = 1) -> list[Path]:
        from docgen.core.pdf import convert_to_pdf

        self.batches += 1
        out = self.root / f"batch{self.batches}"
        return convert_to_pdf(list(docx_paths), out, jobs=jobs)


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory: pytest.TempPathFactory) -> Converter:
    """A shared converter: `libreoffice([a.docx, b.docx]) -> [a.pdf, b.pdf]`.

    Convert everything a test module needs in one call — one LibreOffice start
    per call, not per document. Skips (or fails on CI) without LibreOffice.
    """
    _require_libreoffice()
    return Converter(tmp_path_factory.mktemp("pdf"))
