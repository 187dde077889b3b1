"""Benchmark: what the finishing pass (docgen.core.finish) adds to a draft, next to the render it follows.

    .venv/bin/python bench/finish.py

For each bundled example's detailed draft: the template render and the finishing
pass (pagination, East Asian punctuation runs, TOC entries, core properties),
each the median of 3 runs in the same process; the load average is printed.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docgen.core.config import bundled_path  # noqa: E402
from docgen.core.finish import DocumentInfo, finish_document  # noqa: E402
from docgen.proposal.build import _template, prepare, stage_selection  # noqa: E402
from docgen.proposal.complete import complete_parts  # noqa: E402
from docgen.proposal.context import draft_context  # noqa: E402


def _median(action, runs: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    today = dt.date.today()
    print(f"load average: {open('/proc/loadavg').read().split()[:3]}")
    print(f"{'client':28} {'render ms':>10} {'finish ms':>10} {'share':>7}")
    for example in sorted(bundled_path("requirements_forms").glob("example-*.yaml")):
        prepared = prepare(example)
        selection = stage_selection(prepared, "detailed")
        lang = prepared.requirements.client.language
        parts = complete_parts(prepared.requirements, selection, prepared.library, prepared.settings, today)
        context = draft_context(prepared.requirements, selection, company=prepared.settings.company(lang),
                                today=today, parts=parts)
        template = _template(prepared.settings, f"detailed_{lang}")
        template.render(context)  # warm: the first render compresses the static parts once
        render, data = _median(lambda: template.render(context))
        info = DocumentInfo(title="t", author="a", language=lang)
        finish, _ = _median(lambda: finish_document(data, info))
        print(f"{example.stem:28} {render * 1000:10.1f} {finish * 1000:10.1f} {finish / (render + finish):7.0%}")


if __name__ == "__main__":
    main()
