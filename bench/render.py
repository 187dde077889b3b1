"""Benchmark: docgen's prepared-template renderer vs plain docxtpl, and PDF throughput.

    python bench/render.py [--docs 100] [--pdf-docs 20] [--no-pdf]

Prints, from one run on one machine:
  (a) plain docxtpl: new DocxTemplate + render + save per document
  (b) docgen.core.render.DocumentTemplate: prepared once, render + write per document
  (c) lower bound: Jinja over word/document.xml + zip with the other parts copied
and the ratio (b)/(a) in documents per second (target: >= 10x), then PDF
throughput for --pdf-docs documents (bench/pdf_throughput.py).
The template is a realistic 14-page, table-heavy form (tests/test_bench_render.py
checks that (a) and (b) produce the same text and tables).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docgen.core.docstyles import (  # noqa: E402
    add_header_text,
    add_page_break,
    add_page_number_footer,
    new_document,
    new_table,
    set_cell_text,
)
from docgen.core.render import DocumentTemplate, clean_context  # noqa: E402

PAGES = 14


def build_template(path: Path) -> Path:
    """A 14-page appraisal-like form: every page a heading, a fixed grid and a row loop."""
    doc = new_document("zh")
    section = doc.sections[0]
    add_header_text(section, "{{ company }} · 绩效考核表", "考核期间:{{ period }}")
    add_page_number_footer(section, "zh", total=PAGES)
    for page in range(1, PAGES + 1):
        doc.add_heading(f"第{page}部分 {{{{ titles[{page - 1}] }}}}", 1)
        info = new_table(doc, 2, 4, [3, 5, 3, 5])
        for col, (label, var) in enumerate([("姓名", "name"), ("部门", "department")]):
            set_cell_text(info.rows[0].cells[col * 2], label, bold=True)
            set_cell_text(info.rows[0].cells[col * 2 + 1], f"{{{{ employee.{var} }}}}")
        set_cell_text(info.rows[1].cells[0], "职位", bold=True)
        set_cell_text(info.rows[1].cells[1], "{{ employee.position }}")
        set_cell_text(info.rows[1].cells[2], "上级", bold=True)
        set_cell_text(info.rows[1].cells[3], "{{ employee.manager }}")
        doc.add_paragraph()
        table = new_table(doc, 4, 6, [1.5, 4, 2, 2, 2, 4.5])
        for col, label in enumerate(["编号", "指标", "权重", "目标", "实际", "评语"]):
            set_cell_text(table.rows[0].cells[col], label, bold=True, align="center")
        set_cell_text(table.rows[1].cells[0], f"{{%tr for row in pages[{page - 1}] %}}")
        for col, key in enumerate(["code", "name", "weight", "target", "actual", "comment"]):
            set_cell_text(table.rows[2].cells[col], f"{{{{ row.{key} }}}}")
        set_cell_text(table.rows[3].cells[0], "{%tr endfor %}")
        for line in range(6):
            doc.add_paragraph(f"说明 {line + 1}:{{{{ notes[{line}] }}}} ________________________________")
        if page < PAGES:
            add_page_break(doc)
    doc.save(path)
    return path


def make_context(index: int) -> dict:
    hostile = ["R&D <Ltd> \"引号\" 'single'", "emoji 😀🚀", "{{ 7*7 }} {% if %}", "控制\x0b字符_x000B_", "长文本" * 40]
    return {
        "company": "示例科技有限公司",
        "period": "2026年度",
        "titles": [f"考核内容{i}" for i in range(PAGES)],
        "employee": {"name": f"员工{index:04d}", "department": "售前支持部", "position": "售前工程师", "manager": "张伟"},
        "pages": [
            [
                {"code": f"K{r + 1}", "name": f"指标{r + 1} {hostile[(index + r) % len(hostile)][:60]}",
                 "weight": 10, "target": 100, "actual": 90 + (index + r) % 10, "comment": hostile[(index + p + r) % len(hostile)]}
                for r in range(8)
            ]
            for p in range(PAGES)
        ],
        "notes": [f"第{n}条说明 {hostile[(index + n) % len(hostile)][:30]}" for n in range(6)],
    }


def plain_docxtpl(template: Path, context: dict, out: Path) -> None:
    tpl = DocxTemplate(str(template))
    tpl.render(context, jinja_env=SandboxedEnvironment(autoescape=True))
    tpl.save(str(out))


def lower_bound_factory(template: Path):
    """(c): what rendering costs with nothing but Jinja over document.xml and a zip."""
    with zipfile.ZipFile(template) as package:
        infos = package.infolist()
        blobs = {info.filename: package.read(info.filename) for info in infos}
    helper = DocxTemplate(str(template))
    helper.init_docx()
    source = helper.patch_xml(blobs["word/document.xml"].decode("utf-8"))
    compiled = SandboxedEnvironment(autoescape=True).from_string(source)

    def render(context: dict, out: Path) -> None:
        xml = compiled.render(context).encode("utf-8")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
            for info in infos:
                zout.writestr(info.filename, xml if info.filename == "word/document.xml" else blobs[info.filename])
        out.write_bytes(buffer.getvalue())

    return render


def rate(label: str, docs: int, seconds: float) -> float:
    per_second = docs / seconds
    print(f"{label:<58} {per_second:8.1f} docs/s  {1000 * seconds / docs:7.2f} ms/doc")
    return per_second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--pdf-docs", type=int, default=20)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        template = build_template(work / "form.docx")
        contexts = [make_context(i) for i in range(args.docs)]
        # docxtpl has no text cleaning: give it the cleaned text so both make the same document.
        cleaned = [clean_context(ctx) for ctx in contexts]
        (work / "a").mkdir(), (work / "b").mkdir(), (work / "c").mkdir()

        start = time.perf_counter()
        for i, ctx in enumerate(cleaned):
            plain_docxtpl(template, ctx, work / "a" / f"{i}.docx")
        a = rate("(a) plain docxtpl (new template + render + save)", args.docs, time.perf_counter() - start)

        start = time.perf_counter()
        prepared = DocumentTemplate(template)
        for i, ctx in enumerate(contexts):
            prepared.render_to(work / "b" / f"{i}.docx", ctx)
        b = rate("(b) docgen core (prepare once; render + atomic write)", args.docs, time.perf_counter() - start)

        render_c = lower_bound_factory(template)
        start = time.perf_counter()
        for i, ctx in enumerate(cleaned):
            render_c(ctx, work / "c" / f"{i}.docx")
        c = rate("(c) lower bound (Jinja over document.xml + zip)", args.docs, time.perf_counter() - start)

        pages = len(re.findall(r'w:type="page"', zipfile.ZipFile(work / "b" / "0.docx").read("word/document.xml").decode()))
        print(f"template: {PAGES} pages ({pages} page breaks), {len(contexts[0]['pages'][0]) * PAGES} table rows per document")
        print(f"ratio (b)/(a): {b / a:.1f}x   (target >= 10x)")
        print(f"ratio (c)/(b): {c / b:.1f}x   (what the safety and fidelity layers cost)")

        if not args.no_pdf:
            from pdf_throughput import measure

            sample = [work / "b" / f"{i % args.docs}.docx" for i in range(args.pdf_docs)]
            measure(sample, work / "pdf")


if __name__ == "__main__":
    main()
