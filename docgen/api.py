"""docgen from Python: the few calls a script needs, one per job.

    from docgen.api import load_requirements, build_proposal, search_cases, fill_review_packets

Each function does what its command does (same checks, same errors: a
DocgenError subclass whose message names the file, sheet, row and field) and
returns what it wrote or found. Imports happen inside each function, so
`import docgen.api` stays cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docgen.casebook.search import SearchHit
    from docgen.core.config import Settings
    from docgen.intake.models import RequirementsFile
    from docgen.review.batch import FillResult

STAGES = ("intro", "solution", "detailed")


def _settings(settings: Settings | str | Path | None) -> Settings:
    from docgen.core.config import Settings, load_settings

    return settings if isinstance(settings, Settings) else load_settings(settings)


def load_requirements(path: str | Path) -> RequirementsFile:
    """A client's requirements file (.yaml/.yml/.xlsx), validated; raises InputError listing every problem."""
    from docgen.intake.requirements import load_requirements as load

    return load(path)


def build_proposal(requirements: str | Path, stage: str, out: str | Path, *, casebook: str | Path | None = None,
                   force: bool = False, settings: Settings | str | Path | None = None) -> Path:
    """Write the draft of one stage (intro, solution or detailed) for a requirements file; returns its path.

    `settings` is a Settings, the path of a docgen.toml, or None (./docgen.toml when present).
    """
    from docgen.proposal.build import prepare, render_draft

    if stage not in STAGES:
        from docgen.core.errors import InputError

        raise InputError(f"unknown stage {stage!r}; expected one of: {', '.join(STAGES)}")
    prepared = prepare(requirements, casebook=casebook, settings=_settings(settings))
    return render_draft(prepared, stage, out, force=force)


def search_cases(words: str = "", *, industry: str | None = None, tags: tuple[str, ...] | list[str] = (),
                 top: int = 10, include_internal: bool = False,
                 casebook: str | Path | None = None) -> list[SearchHit]:
    """Cases ranked for `words` (Chinese, English or both), best first; internal cases only when asked."""
    from docgen.casebook.cache import open_index
    from docgen.core.config import bundled_path

    index = open_index(Path(casebook) if casebook else bundled_path("casebook"))
    return index.search(words, industry=industry, tags=tags, top=top, include_internal=include_internal)


def fill_review_packets(scores: str | Path, role: str, out_dir: str | Path, *, lang: str = "zh",
                        pdf: bool = False, jobs: int = 1, force: bool = False,
                        settings: Settings | str | Path | None = None) -> FillResult:
    """One filled 14-page packet per employee of a score workbook, plus summary.xlsx (and PDFs when pdf=True).

    `role` is a role id (presales-engineer) or the path of a role .yaml file.
    """
    from docgen.review.batch import FillOptions, fill
    from docgen.review.roles import load_role

    resolved = _settings(settings)
    options = FillOptions(lang=lang, pdf=pdf, jobs=jobs, force=force, settings=resolved)
    return fill(scores, load_role(role, resolved), out_dir, options)
