"""Builds templates/review/packet_{zh,en}.docx: the 14-page KPI review packet.

The page list is in docs/hr.md ("The 14 pages"). Every page ends with a hard
page break (pages 3→4 and 5→6 with a section break, as pages 4–5 are
landscape), and every place that holds user text has room to spare or a
fixed-height box whose text docgen.review.packet fits beforehand (a smaller
font variant of the box, down to 8 pt), so blank and filled packets both print
as exactly 14 pages; a text that fits no variant is printed in full on a
附页 / Continuation page after page 14. The cover has no running header or
footer (a different first page) but counts as page 1. The template is pure docxtpl:
no per-document python-docx work, so one prepared DocumentTemplate renders a
whole batch. Variable names are docgen.review.packet.TEMPLATE_VARIABLES.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from docgen.core import docstyles as ds
from docgen.core.docprops import restore_core_namespace
from docgen.review.labels import label, page_title
from docgen.review.roles import LEVEL_NAMES

LANGS = ("zh", "en")
PORTRAIT_WIDTH = 16.6  # cm between the margins of A4 portrait (docstyles: 2.2 cm each side)
LANDSCAPE_WIDTH = 25.3
LINE = 0.78  # cm per handwriting line
GREY = RGBColor(0x59, 0x59, 0x59)

# Fixed-height comment boxes; docgen.review.packet.fit_box uses the same figures. `sizes` are the
# font variants the template holds, largest first; the last is the floor.
COMMENT_BOX = {"width_cm": PORTRAIT_WIDTH - 0.4, "height_cm": 7.0, "font_pt": 10.0, "sizes": (10.0, 9.0, 8.0)}
REASON_BOX = {"width_cm": PORTRAIT_WIDTH - 0.4, "height_cm": 1.7, "font_pt": 9.0, "sizes": (9.0, 8.0)}
CONTINUATION_PT = 10.0  # the continuation page's text, at exact line spacing


class _Builder:
    def __init__(self, lang: str):
        self.lang = lang
        self.doc = ds.new_document(lang)
        self.body_size = 10.0

    def t(self, key: str):
        return label(key, self.lang)

    # -- small pieces ---------------------------------------------------------------

    def para(self, text: str = "", *, size: float | None = None, bold: bool = False, align: str | None = None,
             container=None, after: float = 4, color: RGBColor | None = None):
        paragraph = (container or self.doc).add_paragraph()
        if text:
            run = paragraph.add_run(text)
            run.bold = bold or None
            run.font.size = Pt(size or self.body_size)
            if color is not None:
                run.font.color.rgb = color
        fmt = paragraph.paragraph_format
        fmt.space_after, fmt.space_before = Pt(after), Pt(0)
        if align:
            paragraph.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
        return paragraph

    def tag(self, text: str, container=None):
        """A paragraph holding only a docxtpl {%p %} tag (removed when rendered)."""
        paragraph = (container or self.doc).add_paragraph(text)
        paragraph.paragraph_format.space_after = Pt(0)
        return paragraph

    def title(self, n: int, new_page: bool = True):
        """The page title; it starts the page (a break inside the heading, never an empty paragraph
        that could spill onto a page of its own)."""
        heading = self.doc.add_paragraph(page_title(n, self.lang), style="Heading 1")
        heading.paragraph_format.page_break_before = new_page
        heading.paragraph_format.space_before = Pt(0)
        heading.paragraph_format.space_after = Pt(8)

    def subheading(self, text: str, before: float = 8):
        heading = self.doc.add_paragraph(text, style="Heading 3")
        heading.paragraph_format.space_before = Pt(before)
        heading.paragraph_format.space_after = Pt(4)

    def table(self, widths, rows: int = 0, header=None, size: float = 9, container=None, header_row: bool = True):
        table = ds.new_table(container or self.doc, rows=(1 if header else 0) + rows, cols=len(widths), widths_cm=widths)
        _table_look(table, first_row=bool(header) and header_row)
        if header:
            for cell, text in zip(table.rows[0].cells, header):
                self.cell(cell, text, bold=True, size=size, align="center")
            ds.set_repeat_table_header(table.rows[0])
        return table

    def cell(self, cell, text: str, *, bold=False, size: float = 9, align=None, color=None):
        paragraph = ds.set_cell_text(cell, text, bold=bold, align=align, size=size)
        if color is not None:
            for run in paragraph.runs:
                run.font.color.rgb = color
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        return paragraph

    def add_line(self, cell, text: str, *, size: float = 9, color=None, bold=False):
        paragraph = cell.add_paragraph()
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold or None
        if color is not None:
            run.font.color.rgb = color
        return paragraph

    def add_row(self, table, texts, *, size: float = 9, height: float | None = None, aligns=None, exact=False):
        row = table.add_row()
        for i, (cell, text) in enumerate(zip(row.cells, texts)):
            self.cell(cell, text, size=size, align=(aligns[i] if aligns else None))
        if height:
            ds.set_row_height(row, height, exact=exact)
        ds.keep_row_together(row)
        return row

    def tag_row(self, table, text: str):
        """A table row holding only a {%tr %} tag."""
        row = table.add_row()
        self.cell(row.cells[0], text, size=9)
        return row

    def ruled(self, lines: int, width: float = PORTRAIT_WIDTH, container=None, height: float = LINE):
        """Ruled handwriting lines: a borderless table with a dotted line under each row."""
        table = ds.new_table(container or self.doc, rows=lines, cols=1, widths_cm=[width], style="Table Grid")
        _table_look(table, first_row=False)
        _borders(table, top="nil", left="nil", right="nil", insideV="nil", bottom="dotted", insideH="dotted")
        for row in table.rows:
            ds.set_row_height(row, height, exact=True)
        return table

    def signatures(self, roles, *, size: float = 10):
        """Signature and date blocks, one row per signer."""
        table = self.table([4.2, 7.4, 5.0], rows=0, header=self.t("sign_head"), size=size)
        for role in roles:
            self.add_row(table, (role, "", ""), size=size, height=1.05, aligns=("center", None, None))
        return table

    def grade_boxes(self, container, var: str = "grades", *, size: float = 10):
        """☐S ☐A … from the context (☑ on the filled grade)."""
        paragraph = container.add_paragraph() if container is not None else self.doc.add_paragraph()
        run = paragraph.add_run(f"{{% for g in {var} %}}{{{{ g.box }}}} {{{{ g.grade }}}}    {{% endfor %}}")
        run.font.size = Pt(size)
        return paragraph

    # -- pages ------------------------------------------------------------------------

    def cover(self):
        self.para("", after=16)
        self.para("{{ company }}", size=15, bold=True, align="center", after=18)
        title = self.doc.add_paragraph("{{ form_title }}", style="Title")
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.para(self.t("packet"), size=13, align="center", after=6, color=GREY)
        self.para(f"{self.t('period')}{{{{ period }}}}", size=12, align="center", after=20)
        info = self.table([4.0, 9.0], rows=0, size=12, header=None)
        fields = ("name", "employee_id", "department", "position", "manager", "review_period")
        for key in fields:
            var = "period" if key == "review_period" else key
            row = self.add_row(info, (self.t(key), f"{{{{ employee.{var} }}}}"), size=12, height=1.0, aligns=("center", None))
            ds.shade_cell(row.cells[0], ds.HEADER_FILL)
        row = self.add_row(info, (self.t("total"), "{{ summary.total }}"), size=12, height=1.0, aligns=("center", None))
        ds.shade_cell(row.cells[0], ds.HEADER_FILL)
        row = self.add_row(info, (self.t("grade"), ""), size=12, height=1.0, aligns=("center", None))
        ds.shade_cell(row.cells[0], ds.HEADER_FILL)
        grade_cell = row.cells[1]
        grade_cell.paragraphs[0]._p.getparent().remove(grade_cell.paragraphs[0]._p)
        self.grade_boxes(grade_cell, size=12)
        # Long employee details need the room: the contents list then stays out (docgen.review.packet sets compact).
        self.tag("{%p if not compact %}")
        self.para("", after=14)
        self.para(self.t("contents"), size=11, bold=True, align="center", after=4)
        contents = self.table([1.0, 7.3, 1.0, 7.3], rows=0, header=None, size=9)  # each title on one line
        for i in range(7):
            left, right = i + 1, i + 8
            self.add_row(contents, (str(left), page_title(left, self.lang), str(right), page_title(right, self.lang)),
                         size=9, aligns=("center", None, "center", None))
        self.tag("{%p endif %}")
        self.para("", after=12)
        self.para(self.t("confidential"), size=9, align="center", color=GREY)

    def instructions(self):
        self.title(2)
        for line in self.t("instructions"):
            self.para(line, size=10, after=4)
        self.subheading(self.t("process"))
        table = self.table([1.2, 6.0, 4.2, 5.2], header=self.t("process_head"))
        for row in self.t("process_rows"):
            self.add_row(table, row, aligns=("center", None, None, None))
        self.subheading(self.t("grade_scale"))
        table = self.table([2.0, 5.0, 9.6], header=self.t("grade_head"))
        self.tag_row(table, "{%tr for g in grade_bands %}")
        self.add_row(table, ("{{ g.grade }}", "{{ g.range }}", "{{ g.meaning }}"), aligns=("center", "center", None))
        self.tag_row(table, "{%tr endfor %}")

    def employee_page(self):
        self.title(3)
        info = self.table([3.0, 5.3, 3.0, 5.3], rows=0, header=None, size=10)
        pairs = (("name", "employee_id"), ("department", "position"), ("manager", "review_period"), ("hire_date", "in_role"))
        for left, right in pairs:
            values = [f"{{{{ employee.{'period' if k == 'review_period' else k} }}}}" if k not in ("hire_date", "in_role") else ""
                      for k in (left, right)]
            row = self.add_row(info, (self.t(left), values[0], self.t(right), values[1]), size=10, height=0.95,
                               aligns=("center", None, "center", None))
            ds.shade_cell(row.cells[0], ds.HEADER_FILL)
            ds.shade_cell(row.cells[2], ds.HEADER_FILL)
        self.subheading(self.t("goals"), before=12)
        table = self.table([1.3, 4.6, 1.6, 2.4, 2.3, 4.4], header=self.t("goals_head"))
        self.tag_row(table, "{%tr for k in kpis %}")
        self.add_row(table, ("{{ k.code }}", "{{ k.name }}", "{{ k.weight }}", "{{ k.target }}", "{{ k.unit }}", "{{ k.source }}"),
                     height=0.85, aligns=("center", None, "center", "center", "center", None))
        self.tag_row(table, "{%tr endfor %}")
        self.add_row(table, ("", self.t("subtotal"), "{{ kpi_weight }}", "", "", ""), height=0.7,
                     aligns=("center", None, "center", None, None, None))
        self.para(self.t("goals_behavior"), size=9.5, after=0).paragraph_format.space_before = Pt(6)
        self.tag("{%p if not compact %}")
        self.subheading(self.t("other_agreements"))
        self.ruled(3)
        self.tag("{%p endif %}")
        self.subheading(self.t("goal_sign"), before=10)
        self.signatures(self.t("roles")[:2])

    def kpi_page(self):
        self.title(4, new_page=False)  # after a section break
        widths = [1.3, 4.6, 1.6, 2.3, 2.3, 2.0, 2.0, 2.2, 2.4, 4.6]
        table = self.table(widths, header=self.t("kpi_head"))
        self.tag_row(table, "{%tr for k in kpis %}")
        row = self.add_row(table, ("{{ k.code }}", "{{ k.name }}", "{{ k.weight }}", "{{ k.target }}", "{{ k.actual }}",
                                   "{{ k.rate }}", "{{ k.self_score }}", "{{ k.score }}", "{{ k.method }}", ""),
                           size=10, height=1.1,
                           aligns=("center", None, "center", "center", "center", "center", "center", "center", "center", None))
        # Under a typed score that the KPI's rule would put elsewhere: "按规则为 9.17" (docgen.review.packet).
        # Only flagged rows get the line, so the page keeps its room for eight KPIs.
        self.add_line(row.cells[7], "{%p if k.rule_note %}")
        self.add_line(row.cells[7], "{{ k.rule_note }}", size=7, color=GREY).alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.add_line(row.cells[7], "{%p endif %}")
        self.tag_row(table, "{%tr endfor %}")
        row = self.add_row(table, ("", self.t("subtotal"), "{{ kpi_weight }}", "", "", "", "{{ summary.kpi_self }}",
                                   "{{ summary.kpi }}", "", ""),
                           size=10, height=1.0, aligns=("center", None, "center", None, None, None, "center", "center", None, None))
        for cell in row.cells:
            ds.shade_cell(cell, "F2F2F2")
            for run in cell.paragraphs[0].runs:
                run.bold = True
        self.para(self.t("kpi_note"), size=9, after=0, color=GREY).paragraph_format.space_before = Pt(6)

    def evidence_page(self):
        self.title(5)
        table = self.table([1.3, 4.6, 9.4, 4.6, 5.4], header=self.t("evidence_head"))
        self.tag_row(table, "{%tr for k in kpis %}")
        self.add_row(table, ("{{ k.code }}", "{{ k.name }}", "", "", ""), height=1.4, aligns=("center", None, None, None, None))
        self.tag_row(table, "{%tr endfor %}")

    def rules_page(self):
        self.title(6, new_page=False)
        table = self.table([1.2, 2.6, 4.6, 2.6, 5.6], header=self.t("rules_head"), size=9)
        self.tag_row(table, "{%tr for k in kpis %}")
        name = "{{ k.name }}（{{ k.weight }}）" if self.lang == "zh" else "{{ k.name }} ({{ k.weight }})"
        self.add_row(table, ("{{ k.code }}", name, "{{ k.definition }}", "{{ k.source }}", "{{ k.rule }}"),
                     size=8.5, aligns=("center", None, None, None, None))
        self.tag_row(table, "{%tr endfor %}")
        self.subheading(self.t("level_scale"))
        self.para(self.t("level_text"), size=9.5)
        self.para(self.t("total_rule"), size=9.5)

    def behavior_page(self):
        self.title(7)
        widths = [2.7, 2.5, 2.5, 2.5, 2.5, 2.5, 1.4]
        levels = [f"{lv} {LEVEL_NAMES[self.lang][lv]}" for lv in (5, 4, 3, 2, 1)]
        # 8 pt: the level names in full ("2 Needs improvement", "1 Unsatisfactory") fit their columns unbroken.
        table = self.table(widths, header=(self.t("behavior_item"), *levels, self.t("points")), size=8)
        self.tag_row(table, "{%tr for b in behaviors %}")
        row = table.add_row()
        ds.keep_row_together(row)
        first = row.cells[0]
        self.cell(first, "{{ b.code }} {{ b.name }}", bold=True, size=9)
        first.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        self.add_line(first, f"{self.t('weight')} {{{{ b.weight }}}}", size=8, color=GREY)
        self.add_line(first, "{{ b.definition }}", size=7.5, color=GREY)
        for i, cell in enumerate(row.cells[1:6]):
            self.cell(cell, f"{{{{ b.levels[{i}].descriptor }}}}", size=7.5)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
            for n, (who, box) in enumerate(((self.t("self"), "self_box"), (self.t("boss"), "box"))):
                ticks = self.add_line(cell, f"{who} {{{{ b.levels[{i}].{box} }}}}", size=9)
                ticks.paragraph_format.space_before = Pt(4 if n == 0 else 0)
        self.cell(row.cells[6], "{{ b.points }}", size=9.5, align="center")
        ds.set_row_height(row, 2.6)
        self.tag_row(table, "{%tr endfor %}")
        sub = self.add_row(table, (self.t("behavior_subtotal"), "", "", "", "", "", ""), size=9.5, height=0.9)
        merged = sub.cells[1].merge(sub.cells[5])
        self.cell(merged, f"{self.t('self_label')}{self.t('colon')}{{{{ summary.behavior_self }}}}        {self.t('manager_label')}{self.t('colon')}{{{{ summary.behavior }}}}", size=9.5)
        self.cell(sub.cells[6], "{{ summary.behavior }}", size=8.5, align="center", bold=True)
        for cell in sub.cells:
            ds.shade_cell(cell, "F2F2F2")
        self.para(self.t("behavior_note"), size=9, color=GREY).paragraph_format.space_before = Pt(6)

    def project_log(self):
        self.title(8)
        self.para(self.t("log_intro"), size=9.5, after=6)
        table = self.table([1.0, 2.6, 2.6, 2.7, 1.9, 2.2, 1.4, 2.2], header=self.t("log_head"), size=8.5)
        for n in range(1, 16):
            self.add_row(table, (str(n), "", "", "", "", "", "", ""), height=0.92, aligns=("center",) + (None,) * 7)
        self.para(self.t("log_total"), size=10, after=0).paragraph_format.space_before = Pt(10)

    def self_assessment(self):
        self.title(9)
        for heading, lines in zip(self.t("self_sections"), (8, 6, 6)):
            self.subheading(heading)
            self.ruled(lines)
        self.para("", after=6)
        self.signatures(self.t("roles")[:1])

    def manager_page(self):
        self.title(10)
        first, second = self.t("manager_sections")
        self.subheading(first, before=2)
        self.fitted_box("manager_comment", COMMENT_BOX)
        self.subheading(second, before=12)
        self.ruled(5)
        self.para("", after=6)
        self.signatures((self.t("roles")[1], self.t("skip_manager")))

    def fitted_box(self, var: str, box: dict):
        """A fixed-height bordered box: the fitted text in the font size the context chose
        (one variant paragraph per size), ruled lines when blank."""
        table = self.table([PORTRAIT_WIDTH], rows=1, header=None, header_row=False)
        row = table.rows[0]
        ds.set_row_height(row, box["height_cm"], exact=True)
        cell = row.cells[0]
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        cell.paragraphs[0].text = f"{{%p if {var}.text %}}"
        for i, font_pt in enumerate(box["sizes"]):
            keyword = "if" if i == 0 else "elif"
            self.add_line(cell, f'{{%p {keyword} {var}.size == "{font_pt:g}" %}}')
            text = self.add_line(cell, f"{{{{ {var}.text }}}}", size=font_pt)
            _exact_line(text, font_pt)
        self.add_line(cell, "{%p endif %}")
        note = self.add_line(cell, f"{{{{ {var}.note }}}}", size=8, color=GREY)
        _exact_line(note, box["font_pt"])
        self.add_line(cell, "{%p else %}")
        lines = int((box["height_cm"] - 0.3) // LINE)
        self.ruled(lines, width=PORTRAIT_WIDTH - 0.4, container=cell)
        self.add_line(cell, "{%p endif %}")

    def summary_page(self):
        self.title(11)
        table = self.table([6.0, 2.6, 4.0, 4.0], header=self.t("summary_head"), size=10)
        values = (("80", "{{ summary.kpi_self }}", "{{ summary.kpi }}"),
                  ("20", "{{ summary.behavior_self }}", "{{ summary.behavior }}"),
                  ("±5", "—", "{{ summary.adjustment }}"),
                  ("100", "{{ summary.self_total }}", "{{ summary.total }}"))
        for name, (top, mine, theirs) in zip(self.t("summary_rows"), values):
            row = self.add_row(table, (name, top, mine, theirs), size=11, height=1.05, aligns=(None, "center", "center", "center"))
        for cell in row.cells:
            ds.shade_cell(cell, "F2F2F2")
            for run in cell.paragraphs[0].runs:
                run.bold = True
        row = self.add_row(table, (self.t("grade"), "", "", ""), size=11, height=1.05)
        merged = row.cells[1].merge(row.cells[3])
        merged.paragraphs[0]._p.getparent().remove(merged.paragraphs[0]._p)
        for extra in merged.paragraphs[:]:
            extra._p.getparent().remove(extra._p)
        self.grade_boxes(merged, size=12)
        self.subheading(self.t("adjustment_reason"), before=8)
        self.fitted_box("adjustment_reason", REASON_BOX)
        self.subheading(self.t("calibration"), before=12)
        self.para(self.t("calibration_opinion"), size=10, after=2)
        self.ruled(4)
        paragraph = self.para(self.t("calibrated_grade"), size=11, after=6)
        paragraph.paragraph_format.space_before = Pt(8)
        paragraph.add_run("☐ S    ☐ A    ☐ B    ☐ C    ☐ D").font.size = Pt(12)
        self.signatures(self.t("roles")[2:])

    def meeting_page(self):
        self.title(12)
        info = self.table([2.6, 5.7, 2.6, 5.7], rows=0, header=None, size=10)
        names = self.t("meeting_info")
        for left, right in ((names[0], names[1]), (names[2], names[3])):
            row = self.add_row(info, (left, "", right, ""), size=10, height=0.9, aligns=("center", None, "center", None))
            ds.shade_cell(row.cells[0], ds.HEADER_FILL)
            ds.shade_cell(row.cells[2], ds.HEADER_FILL)
        for heading in self.t("meeting_sections"):
            self.subheading(heading)
            self.ruled(4)
        self.para("", after=6)
        self.signatures(self.t("roles")[:2])

    def plan_page(self):
        self.title(13)
        self.subheading(self.t("improve"), before=2)
        table = self.table([1.2, 3.4, 3.2, 4.6, 2.0, 2.2], header=self.t("improve_head"))
        for n in range(1, 5):
            self.add_row(table, (str(n), "", "", "", "", ""), height=1.45, aligns=("center",) + (None,) * 5)
        self.subheading(self.t("develop"))
        table = self.table([3.0, 3.6, 5.0, 2.0, 3.0], header=self.t("develop_head"))
        for _ in range(3):
            self.add_row(table, ("", "", "", "", ""), height=1.45)
        self.subheading(self.t("follow_up"))
        self.ruled(3)
        self.para("", after=6)
        self.signatures(self.t("roles")[:2])

    def confirmation_page(self):
        self.title(14)
        paragraph = self.para(f"{self.t('result')} ", size=11, after=4)
        run = paragraph.add_run("{{ summary.total_or_blank }}")
        run.font.size, run.bold = Pt(11), True
        paragraph.add_run(f" {self.t('points_unit')}    {self.t('grade')}{self.t('colon')}").font.size = Pt(11)
        run = paragraph.add_run("{% for g in grades %}{{ g.box }} {{ g.grade }}   {% endfor %}")
        run.font.size = Pt(11)
        paragraph = self.para(self.t("opinion"), size=10.5, after=2)
        paragraph.add_run(f"☐ {self.t('agree')}    ☐ {self.t('disagree')}").font.size = Pt(10.5)
        self.signatures(self.t("roles"), size=10)
        self.para("", after=10)
        self.para(self.t("cut"), size=9, align="center", color=GREY, after=8)
        self.para(self.t("appeal"), size=13, bold=True, align="center", after=6)
        slip = self.table([2.6, 5.7, 2.6, 5.7], rows=0, header=None, size=10)
        for left, lvar, right, rvar in (("name", "name", "employee_id", "employee_id"), ("department", "department", "review_period", "period")):
            row = self.add_row(slip, (self.t(left), f"{{{{ employee.{lvar} }}}}", self.t(right), f"{{{{ employee.{rvar} }}}}"),
                               size=10, height=0.85, aligns=("center", None, "center", None))
            ds.shade_cell(row.cells[0], ds.HEADER_FILL)
            ds.shade_cell(row.cells[2], ds.HEADER_FILL)
        row = self.add_row(slip, (self.t("appeal_items"), "", "", ""), size=10, height=0.85, aligns=("center", None, None, None))
        ds.shade_cell(row.cells[0], ds.HEADER_FILL)
        merged = row.cells[1].merge(row.cells[3])
        self.cell(merged, "    ".join(f"☐ {c}" for c in self.t("appeal_choices")), size=10)
        self.para(self.t("appeal_reason"), size=10, after=0).paragraph_format.space_before = Pt(6)
        self.ruled(5, height=0.72)
        self.para(f"{self.t('sign')}____________    {self.t('date')}____________", size=10, align="right", after=4).paragraph_format.space_before = Pt(6)
        self.para(self.t("appeal_hr"), size=9.5, after=0)
        self.ruled(2, height=0.72)

    # -- the whole packet ---------------------------------------------------------------

    def continuation_page(self):
        """The 附页 after page 14: the full text of every entry that only starts on its page."""
        self.tag("{%p if continuation %}")
        heading = self.doc.add_paragraph(self.t("continuation"), style="Heading 1")
        heading.paragraph_format.page_break_before = True
        heading.paragraph_format.space_after = Pt(8)
        self.para(self.t("continuation_intro"), size=9.5, color=GREY, after=4)
        self.tag("{%p for c in continuation %}")
        self.subheading("{{ c.title }}")
        _exact_line(self.para("{{ c.text }}", size=CONTINUATION_PT), CONTINUATION_PT)
        self.tag("{%p endfor %}")
        self.tag("{%p endif %}")

    def build(self):
        first = self.doc.sections[0]
        self._running_texts(first)
        for page in (self.cover, self.instructions, self.employee_page):
            page()
        self._running_texts(ds.new_landscape_section(self.doc))
        self.kpi_page()
        self.evidence_page()
        self._running_texts(ds.new_portrait_section(self.doc))
        for page in (self.rules_page, self.behavior_page, self.project_log, self.self_assessment, self.manager_page,
                     self.summary_page, self.meeting_page, self.plan_page, self.confirmation_page, self.continuation_page):
            page()
        # The cover (first page of the first section) has no running header or footer; it still counts as page 1.
        cover, *rest = self.doc.sections
        cover.different_first_page_header_footer = True
        cover.first_page_header.is_linked_to_previous = False
        cover.first_page_footer.is_linked_to_previous = False
        for section in rest:
            section.different_first_page_header_footer = False
        # The template's own File › Info (rendered packets get theirs from docgen.review.batch): fixed, so
        # the committed file equals the builder's output, and nothing of python-docx's defaults.
        props = self.doc.core_properties
        props.author = props.last_modified_by = "docgen"
        props.comments = props.title = ""  # templates carry no title of their own (core.hygiene)
        props.created = props.modified = dt.datetime(2026, 1, 1)
        return self.doc

    def _running_texts(self, section):
        ds.add_header_text(section, "{{ company }} · {{ form_title }}", f"{self.t('period')}{{{{ header_period }}}}")
        _clear_style_tabs(section.header.paragraphs[0])
        ds.add_page_number_footer(section, self.lang)  # NUMPAGES: 14, or more with a continuation page


def _table_look(table, first_row: bool) -> None:
    """Whether the style's shaded header applies to the first row."""
    tblpr = table._tbl.tblPr
    look = tblpr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        tblpr.append(look)
    look.set(qn("w:firstRow"), "1" if first_row else "0")
    look.set(qn("w:val"), "04A0" if first_row else "0400")
    for attr in ("w:lastRow", "w:firstColumn", "w:lastColumn", "w:noHBand"):
        look.set(qn(attr), "0")
    look.set(qn("w:noVBand"), "1")


def _borders(table, **sides) -> None:
    tblpr = table._tbl.tblPr
    for old in tblpr.findall(qn("w:tblBorders")):
        tblpr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        kind = sides.get(side, "single")
        element.set(qn("w:val"), kind)
        if kind != "nil":
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "8C8C8C")
        borders.append(element)
    tblpr.append(borders)


def _clear_style_tabs(paragraph) -> None:
    """The Header style's own tab stops (centre 4680, right 9360 twips) would catch the
    tab before the period; clear them so it goes to the right margin."""
    tabs = paragraph._p.get_or_add_pPr().find(qn("w:tabs"))
    for pos in ("4680", "9360"):
        tab = OxmlElement("w:tab")
        tab.set(qn("w:val"), "clear")
        tab.set(qn("w:pos"), pos)
        tabs.insert(0, tab)


def _exact_line(paragraph, font_pt: float) -> None:
    """Exact line spacing, so the number of lines a box holds is known in advance."""
    fmt = paragraph.paragraph_format
    fmt.line_spacing = Pt(round(font_pt * 1.4, 1))
    fmt.line_spacing_rule = 4  # WD_LINE_SPACING.EXACTLY
    fmt.space_after = Pt(0)


def build(out_dir: str | Path) -> list[Path]:
    """Write packet_zh.docx and packet_en.docx into out_dir (templates/review)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    restore_core_namespace()  # docxcompose (imported with docxtpl) rebinds the prefix core.xml is written with
    for lang in LANGS:
        path = out / f"packet_{lang}.docx"
        _Builder(lang).build().save(path)
        written.append(path)
    return written


if __name__ == "__main__":  # python -m docgen.review.build_templates templates/review
    import sys

    from docgen.core.config import bundled_path

    for path in build(sys.argv[1] if len(sys.argv) > 1 else bundled_path("templates") / "review"):
        print(path)
