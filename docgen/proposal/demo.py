"""The proposal part of `docgen demo`: every stage, the brief and the plan for each bundled example client."""

from __future__ import annotations

from pathlib import Path

from docgen.core.config import Settings, bundled_path
from docgen.proposal.build import prepare, render_brief, render_draft, render_plan
from docgen.proposal.select import STAGES


def demo(out_dir: Path, *, settings: Settings | None = None, force: bool = False) -> list[Path]:
    """Write `<out_dir>/proposal/<example>/{intro,solution,detailed,brief}.docx` and `plan.xlsx`."""
    written: list[Path] = []
    for example in sorted(bundled_path("requirements_forms").glob("example-*.yaml")):
        folder = Path(out_dir) / "proposal" / example.stem
        prepared = prepare(example, settings=settings)
        for stage in STAGES:
            written.append(render_draft(prepared, stage, folder / f"{stage}.docx", force=force))
        written.append(render_brief(prepared, folder / "brief.docx", force=force))
        written.append(render_plan(prepared, folder / "plan.xlsx", force=force))
    return written
