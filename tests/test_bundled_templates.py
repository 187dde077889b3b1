"""The committed templates are exactly what the builders beside each domain produce.

Rebuild them with `python -m docgen.<domain>.build_templates` (casebook,
proposal, review) and `python -m docgen.review.build_example`; this test fails
when someone edits a builder without rebuilding, or edits a .docx by hand.
"""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from docgen.casebook import build_templates as cases_builder
from docgen.core.config import bundled_path
from docgen.proposal import build_templates as proposal_builder
from docgen.review import build_example
from docgen.review import build_templates as review_builder


@pytest.mark.parametrize("builder, folder", [(cases_builder, "cases"), (proposal_builder, "proposal"),
                                             (review_builder, "review")])
def test_committed_templates_are_what_the_builders_write(builder, folder, tmp_path):
    written = builder.build(tmp_path)
    assert written
    for built in written:
        committed = bundled_path("templates") / folder / built.name
        assert committed.exists(), f"{committed} is missing: run python -m {builder.__name__}"
        with zipfile.ZipFile(committed) as old, zipfile.ZipFile(built) as new:
            assert sorted(old.namelist()) == sorted(new.namelist()), built.name
            stale = [name for name in new.namelist() if old.read(name) != new.read(name)]
        assert not stale, f"{committed} differs from its builder in {stale}: run python -m {builder.__name__}"


def test_committed_example_scores_are_what_the_builder_writes(tmp_path):
    built = build_example.build(tmp_path)
    committed = bundled_path("templates") / "review" / built.name

    def values(path):
        book = openpyxl.load_workbook(path)
        return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets}

    assert values(committed) == values(built)
