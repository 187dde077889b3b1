"""Builds the case-study pack templates: templates/cases/pack_{zh,en}.docx.

Cover, contents (a TOC field), then one Heading 1 section per case that starts
on a new page: key facts, the one-line summary, and the case's own Markdown.
The variables used here are the ones docgen.casebook.pack provides
(TEMPLATE_VARIABLES). The header carries `{{ pack.mark }}` — empty for a
client pack, 内部资料 / INTERNAL on every page when internal cases are allowed.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from docgen.core import docstyles as ds

_RED = RGBColor(0xC0, 0x00, 0x00)

LABELS = {
    "zh": {"cover": ("客户", "提交单位", "日期", "案例数量"), "facts": ("客户", "行业", "年份", "关键词"),
           "outcome": "项目成果："},
    "en": {"cover": ("Prepared for", "Prepared by", "Date", "Cases"), "facts": ("Client", "Industry", "Year", "Keywords"),
           "outcome": "Outcome: "},
}


def build(out_dir: str | Path) -> list[Path]:
    """Write pack_zh.docx and pack_en.docx into `out_dir`; returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in ("zh", "en"):
        path = out / f"pack_{lang}.docx"
        _pack(lang).save(path)
        written.append(path)
    return written


def _pack(lang: str):
    doc = ds.new_document(lang)
    labels = LABELS[lang]
    section = doc.sections[0]
    mark_run, _ = ds.add_header_text(section, "{{ pack.mark }}", "{{ pack.company }} · {{ pack.title }}")
    mark_run.bold, mark_run.font.color.rgb = True, _RED
    ds.add_page_number_footer(section, lang)
    ds.plain_first_page(section)  # the cover carries no running header or footer

    _cover(doc, labels)
    ds.add_toc(doc, lang, levels="1-2")

    doc.add_paragraph("{%p for case in cases %}")
    title = doc.add_paragraph("{{ case.title }}", style="Heading 1")
    title.paragraph_format.page_break_before = True  # each case on its own pages, no blank last page
    facts = ds.new_table(doc, 2, 4, (5.5, 2.5, 2.0, 6.0))
    values = ("{{ case.client }}", "{{ case.industry }}", "{{ case.year }}", "{{ case.tags }}")
    for cell, label in zip(facts.rows[0].cells, labels["facts"]):
        ds.set_cell_text(cell, label, bold=True, size=9.5)
        ds.shade_cell(cell, ds.HEADER_FILL)
    for cell, value in zip(facts.rows[1].cells, values):
        ds.set_cell_text(cell, value, size=9.5)
    doc.add_paragraph()
    doc.add_paragraph("{{ case.summary }}", style="Quote")
    doc.add_paragraph("{%p if case.outcome %}")
    outcome = doc.add_paragraph()
    outcome.add_run(labels["outcome"]).bold = True
    outcome.add_run("{{ case.outcome }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{{p case.body }}")
    doc.add_paragraph("{%p endfor %}")
    return doc


def _cover(doc, labels) -> None:
    logo = doc.add_paragraph()
    ds.add_logo(logo)
    for _ in range(4):
        doc.add_paragraph()
    doc.add_paragraph("{{ pack.title }}", style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("{{ pack.subtitle }}", style="Subtitle").alignment = WD_ALIGN_PARAGRAPH.CENTER
    stamp = doc.add_paragraph()
    stamp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = stamp.add_run("{{ pack.mark }}")
    run.bold, run.font.size, run.font.color.rgb = True, Pt(16), _RED
    for _ in range(4):
        doc.add_paragraph()
    values = ("{{ pack.client }}", "{{ pack.company }}", "{{ pack.date }}", "{{ pack.count }}")
    ds.add_label_table(doc, labels["cover"], values, (5.0, 9.0))
    ds.add_page_break(doc)


if __name__ == "__main__":  # python -m docgen.casebook.build_templates [OUT_DIR]
    import sys

    from docgen.core.config import bundled_path

    for written in build(sys.argv[1] if len(sys.argv) > 1 else bundled_path("templates") / "cases"):
        print(written)
