"""bench/render.py compares like with like: docgen's batch renderer makes the same
document as plain docxtpl (text, tables, headers) for varied and hostile contexts."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from docgen.core.render import DocumentTemplate, clean_context
from tests.helpers.docs import docx_paragraphs, docx_tables, docx_text

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import render as bench  # noqa: E402


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return bench.build_template(tmp_path_factory.mktemp("bench") / "form.docx")


@pytest.mark.parametrize("index", [0, 1, 2, 3, 4, 7])
def test_batch_renderer_matches_plain_docxtpl(template, tmp_path, index):
    context = bench.make_context(index)
    plain = tmp_path / "plain.docx"
    # docxtpl gets the text already cleaned (it has no cleaning of its own); docgen cleans it itself.
    bench.plain_docxtpl(template, clean_context(context), plain)
    ours = DocumentTemplate(template).render_to(tmp_path / "ours.docx", context)
    assert docx_paragraphs(ours) == docx_paragraphs(plain)
    assert docx_tables(ours) == docx_tables(plain)
    assert docx_text(ours) == docx_text(plain)
    assert len(docx_tables(ours)) == 2 * bench.PAGES


def test_hostile_values_are_in_both(template, tmp_path):
    context = bench.make_context(2)
    ours = DocumentTemplate(template).render_to(tmp_path / "ours.docx", context)
    text = docx_text(ours)
    assert "R&D <Ltd>" in text and "{{ 7*7 }}" in text and "😀" in text
    assert "控制字符" in text  # \x0b and _x000B_ removed, the rest kept
