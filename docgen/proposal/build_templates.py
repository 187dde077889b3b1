"""Builds the proposal templates: templates/proposal/{intro,solution,detailed,brief}_{zh,en}.docx.

One builder, one switch per stage: the three stages share their layout, and
each stage's template carries only the parts that stage has (docs/presales.md,
"What each stage contains"). The variables used here are the ones
docgen.proposal.context provides (TEMPLATE_VARIABLES).

The draft mark in the header and on the cover is literal text (DRAFT_MARKS):
`docgen proposal release` removes exactly that text from the client copy.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.shared import Pt, RGBColor

from docgen.core import docstyles as ds
from docgen.core.config import Settings
from docgen.core.watermark import add_watermark

STAGES = ("intro", "solution", "detailed")
DRAFT_MARKS = {"zh": "草稿 · 未审核", "en": "DRAFT · NOT REVIEWED"}
WATERMARKS = {"zh": "草稿", "en": "DRAFT"}  # the diagonal mark on every page (docgen.core.watermark)
INTERNAL_MARKS = {"zh": "内部资料 · 严禁外发", "en": "INTERNAL · DO NOT SEND TO THE CLIENT"}
_RED = RGBColor(0xC0, 0x00, 0x00)

L = {
    "zh": {
        "about": "关于我们", "needs": "对{{ doc.you }}需求的理解", "approach": "我们的思路",
        "needs_intro": "以下是我们对{{ doc.you }}需求的理解，按重要程度排列，并保留{{ doc.you }}的原始表述；如有偏差，请随时指正。",
        "situation": "现状与挑战", "solution": "解决方案", "architecture": "总体架构",
        "arch_intro": "总体架构按需求类别划分为以下组成部分，每一部分对应的需求和方案章节如下：",
        "arch_head": ("组成部分", "采用的方案", "对应需求"),
        "why": "为什么选择我们", "cases": "参考案例", "delivery": "实施方法",
        "plan": "实施计划", "plan_head": ("阶段", "周期", "主要工作", "交付物"),
        "matrix": "需求应答矩阵",
        "matrix_intro": "下表逐条回应{{ doc.you }}的全部需求。符合度：满足 / 部分满足 / 不满足；每行注明所依据的应答条目。",
        "matrix_head": ("编号", "需求", "优先级", "应答", "符合度", "应答条目"),
        "org": "项目组织", "org_head": ("角色", "人员", "职责"),
        "risks": "风险与应对", "risk_head": ("风险", "应对措施"),
        "service": "服务与支持", "quality": "质量与安全承诺", "next": "下一步",
        "appendix": "附录", "glossary": "术语", "glossary_head": ("术语", "说明"),
        "history": "文档信息", "history_head": ("版本", "日期", "编写", "说明"),
        "cover": ("客户", "项目名称", "方案阶段", "日期", "版本", "售前负责人（唯一对接人）", "提交单位"),
        "relevant": "相关需求",
        "bom": "配置清单", "bom_intro": "下表列出本方案所需的设备、软件与服务（报价另附报价单）。",
        "bom_head": ("序号", "名称", "品牌", "型号", "数量", "单位", "说明"),
        "schedule": "项目计划自 {{ schedule.start }} 开始，预计 {{ schedule.end }} 完成。下表按周排期（表头为 ISO 周次），阴影为各阶段的工作周。",
        "milestones_head": ("阶段", "开始", "里程碑（完成）", "工期"),
        "team_head": ("角色", "人员", "职务", "证书"),
        "sla": "服务等级（SLA）", "sla_intro": "服务时间：{{ sla.hours }}；质保期：{{ sla.warranty }}；服务热线：{{ sla.hotline }}。",
        "sla_head": ("级别", "定义", "响应", "到场", "解决"),
        "credentials_list": "资质证书", "credentials_head": ("证书", "编号", "发证机构", "有效期至", "证书图片"),
        # brief
        "brief_title": "方案策略简报", "trust": "客户信任度与方案策略", "competitors": "竞争对手分析",
        "comp_head": ("竞争对手", "优势", "劣势", "我方方案的应对"),
        "emphasis": "方案重点及原因", "gaps": "尚无内容的需求", "gaps_none": "所有需求均有方案内容。",
        "gaps_head": ("编号", "需求", "优先级", "负责人"),
        "cases_used": "采用的案例及原因", "cases_head": ("案例", "行业", "年份", "支撑需求"),
        "sections_used": "方案章节来源", "sections_head": ("需求类别", "章节来源", "对应需求"),
        "notes": "内部备注（不进入任何客户文档）", "notes_head": ("编号", "需求", "备注"),
        "notes_none": "需求没有备注。",
    },
    "en": {
        "about": "About Us", "needs": "Our Understanding of Your Needs", "approach": "Our Approach",
        "needs_intro": "This is our understanding of your needs, most important first, in your own words. Please correct us wherever we are wrong.",
        "situation": "Current Situation and Challenges", "solution": "Proposed Solution", "architecture": "Overall Architecture",
        "arch_intro": "The architecture has one component per requirement category:",
        "arch_head": ("Component", "Solution", "Requirements"),
        "why": "Why Us", "cases": "Reference Cases", "delivery": "Delivery Approach",
        "plan": "Implementation Plan", "plan_head": ("Phase", "Duration", "Main activities", "Deliverables"),
        "matrix": "Requirement Response Matrix",
        "matrix_intro": "The table answers every one of your requirements. Compliance: Full / Partial / Not met; each row names the answer it rests on.",
        "matrix_head": ("ID", "Requirement", "Priority", "Response", "Compliance", "Answer used"),
        "org": "Project Organisation", "org_head": ("Role", "Who", "Responsibilities"),
        "risks": "Risks and Mitigations", "risk_head": ("Risk", "Mitigation"),
        "service": "Service and Support", "quality": "Quality and Security Commitments", "next": "Next Steps",
        "appendix": "Appendices", "glossary": "Glossary", "glossary_head": ("Term", "Meaning"),
        "history": "Document Information", "history_head": ("Version", "Date", "Author", "Notes"),
        "cover": ("Client", "Project", "Stage", "Date", "Version", "Presales owner (single point of contact)", "Submitted by"),
        "relevant": "Relevant requirements",
        "bom": "Bill of Materials", "bom_intro": "The equipment, software and services this solution needs (prices in the separate quotation).",
        "bom_head": ("No.", "Item", "Brand", "Model", "Qty", "Unit", "Note"),
        "schedule": "The project starts on {{ schedule.start }} and is planned to finish on {{ schedule.end }}. The chart below is by ISO week number; shaded weeks are each phase's.",
        "milestones_head": ("Phase", "Start", "Milestone (done)", "Duration"),
        "team_head": ("Role", "Person", "Title", "Certificates"),
        "sla": "Service Levels (SLA)", "sla_intro": "Service hours: {{ sla.hours }}; warranty: {{ sla.warranty }}; hotline: {{ sla.hotline }}.",
        "sla_head": ("Severity", "Definition", "Response", "On site", "Resolution"),
        "credentials_list": "Certificates", "credentials_head": ("Certificate", "Number", "Issuer", "Valid until", "Image"),
        "brief_title": "Proposal Strategy Brief", "trust": "Client Trust and Strategy", "competitors": "Competitors",
        "comp_head": ("Competitor", "Strengths", "Weaknesses", "How our draft answers"),
        "emphasis": "Emphasis and Why", "gaps": "Requirements Without Content", "gaps_none": "Every requirement has content.",
        "gaps_head": ("ID", "Requirement", "Priority", "Owner"),
        "cases_used": "Cases Used and Why", "cases_head": ("Case", "Industry", "Year", "Supports"),
        "sections_used": "Where the Content Comes From", "sections_head": ("Category", "Source", "Requirements"),
        "notes": "Internal Notes (never in a client document)", "notes_head": ("ID", "Requirement", "Note"),
        "notes_none": "No requirement has a note.",
    },
}


def build(out_dir: str | Path) -> list[Path]:
    """Write every proposal template into `out_dir`; returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in ("zh", "en"):
        for stage in STAGES:
            path = out / f"{stage}_{lang}.docx"
            _draft(stage, lang).save(path)
            written.append(path)
        path = out / f"brief_{lang}.docx"
        _brief(lang).save(path)
        written.append(path)
    return written


# --- small writing helpers -------------------------------------------------------

def _p(doc, text: str = "", style: str | None = None):
    return doc.add_paragraph(text, style=style)


def _tag(doc, tag: str) -> None:
    """A paragraph holding only a `{%p … %}` tag (docxtpl removes the paragraph)."""
    doc.add_paragraph(tag)


def _highlighted(doc, text: str) -> None:
    run = doc.add_paragraph().add_run(text)
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    run.bold = True


def _placeholders(doc, expr: str) -> None:
    _tag(doc, f"{{%p for ph in {expr} %}}")
    _highlighted(doc, "{{ ph }}")
    _tag(doc, "{%p endfor %}")


def _bullets(doc, expr: str, item: str = "{{ item }}") -> None:
    _tag(doc, f"{{%p for item in {expr} %}}")
    _p(doc, item, "List Bullet")
    _tag(doc, "{%p endfor %}")


def _loop_table(doc, head, cells, widths, loop: str) -> None:
    """A table with a header row and one row per item (`{%tr for … %}` rows of their own)."""
    table = ds.new_table(doc, 4, len(head), widths)
    rows = table.rows
    for cell, text in zip(rows[0].cells, head):
        ds.set_cell_text(cell, text, bold=True, size=9.5)
    ds.set_repeat_table_header(rows[0])
    ds.set_cant_split(rows[0])
    ds.set_cant_split(rows[2])  # every rendered row inherits it
    ds.set_cell_text(rows[1].cells[0], f"{{%tr for row in {loop} %}}")
    for cell, text in zip(rows[2].cells, cells):
        if isinstance(text, tuple):  # (plain, highlighted) runs in one cell
            paragraph = ds.set_cell_text(cell, text[0], size=9.5)
            run = paragraph.add_run(text[1])
            run.font.size = Pt(9.5)
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        else:
            ds.set_cell_text(cell, text, size=9.5)
    ds.set_cell_text(rows[3].cells[0], "{%tr endfor %}")
    _p(doc)


def _marked_page_setup(doc, lang: str, mark: str, right: str, *, cover: bool = False) -> None:
    """The red mark and a title in the running header, page numbers in the footer. A draft (cover=True)
    has a cover page without header or footer, and the diagonal watermark on every page, cover included."""
    section = doc.sections[0]
    mark_run, _ = ds.add_header_text(section, mark, right)
    mark_run.font.color.rgb = _RED
    mark_run.bold = True
    ds.add_page_number_footer(section, lang)
    if cover:
        ds.plain_first_page(section)
        font = Settings().fonts.east_asian_heading
        add_watermark(section.header, WATERMARKS[lang], font, 1)
        add_watermark(section.first_page_header, WATERMARKS[lang], font, 2)


def _cover(doc, lang: str, title: str, mark: str) -> None:
    labels = L[lang]
    ds.add_logo(_p(doc))  # the company's logo from docgen.toml replaces it at render time
    for _ in range(3):
        _p(doc)
    _p(doc, "{{ doc.client }}", "Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    _tag(doc, "{%p if doc.project %}")
    _p(doc, "{{ doc.project }}", "Subtitle").alignment = WD_ALIGN_PARAGRAPH.CENTER
    _tag(doc, "{%p endif %}")
    _p(doc, title, "Subtitle").alignment = WD_ALIGN_PARAGRAPH.CENTER
    stamp = _p(doc)
    stamp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = stamp.add_run(mark)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(16), _RED
    for _ in range(3):
        _p(doc)
    values = ("{{ doc.client }}", "{{ doc.project or '—' }}", "{{ doc.stage_title }}", "{{ doc.date }}",
              "{{ doc.version }}", "{{ doc.owner }}", "{{ doc.company }}")
    ds.add_label_table(doc, labels["cover"], values, (5.5, 9.0))
    ds.add_page_break(doc)
    ds.add_toc(doc, lang, levels="1-2")
    ds.add_page_break(doc)


# --- the customer draft ------------------------------------------------------------

def _draft(stage: str, lang: str):
    doc = ds.new_document(lang)
    labels = L[lang]
    mark = DRAFT_MARKS[lang]
    _marked_page_setup(doc, lang, mark, "{{ doc.header }}", cover=True)
    _cover(doc, lang, "{{ doc.stage_title }}", mark)
    full = stage != "intro"

    _p(doc, labels["about"], "Heading 1")
    _p(doc, "{{p company.body }}")
    _tag(doc, "{%p if credentials.front %}")
    _p(doc, "{{ credentials.title }}", "Heading 2")
    _p(doc, "{{p credentials.body }}")
    _tag(doc, "{%p endif %}")

    _p(doc, labels["needs"], "Heading 1")
    _p(doc, labels["needs_intro"])
    _tag(doc, "{%p for group in needs %}")
    _p(doc, "{{ group.category }}", "Heading 3")  # below the TOC's levels: the solution chapter lists categories
    _bullets(doc, "group.requirements", "{{ item.id }} [{{ item.priority }}] {{ item.text }}")
    _tag(doc, "{%p endfor %}")

    if full:
        _p(doc, labels["situation"], "Heading 1")
        _tag(doc, "{%p if client.background %}")
        _p(doc, "{{ client.background }}")
        _tag(doc, "{%p endif %}")
        _bullets(doc, "challenges")
        _p(doc, labels["solution"], "Heading 1")
        if stage == "solution":  # the detailed stage shows it in its architecture chapter
            _tag(doc, "{%p if diagram %}")
            _p(doc, "{{p diagram }}")
            _tag(doc, "{%p endif %}")
        _tag(doc, "{%p for s in solutions %}")
        _p(doc, "{{ s.heading }}", "Heading 2")
        _p(doc, "{{ s.answers }}", "Quote")
        _tag(doc, "{%p for block in s.blocks %}")
        _p(doc, "{{ block.title }}", "Heading 3")
        _p(doc, "{{p block.body }}")
        _tag(doc, "{%p endfor %}")
        _bullets(doc, "s.references")
        _placeholders(doc, "s.placeholders")
        _tag(doc, "{%p endfor %}")
    else:
        _p(doc, labels["approach"], "Heading 1")
        _tag(doc, "{%p for s in solutions %}")
        _p(doc, "{{ s.heading }}", "Heading 2")
        _tag(doc, "{%p for block in s.blocks %}")
        _p(doc, "{{ block.summary }}")
        _tag(doc, "{%p endfor %}")
        _placeholders(doc, "s.placeholders")
        _tag(doc, "{%p endfor %}")

    if stage == "detailed":
        _p(doc, labels["architecture"], "Heading 1")
        _tag(doc, "{%p if diagram %}")
        _p(doc, "{{p diagram }}")
        _tag(doc, "{%p endif %}")
        _p(doc, labels["arch_intro"])
        _loop_table(doc, labels["arch_head"], ("{{ row.component }}", "{{ row.solution }}", "{{ row.ids }}"),
                    (4.0, 8.6, 4.0), "architecture")
        _tag(doc, "{%p if bom %}")
        _p(doc, labels["bom"], "Heading 1")
        _p(doc, labels["bom_intro"])
        _loop_table(doc, labels["bom_head"],
                    ("{{ row.no }}", "{{ row.name }}", "{{ row.brand }}", "{{ row.model }}", "{{ row.quantity }}",
                     "{{ row.unit }}", "{{ row.note }}"),
                    (1.2, 5.0, 2.6, 2.8, 1.2, 2.0, 1.8), "bom")  # "Manufacturer", "person-day" unbroken
        _tag(doc, "{%p endif %}")
        _p(doc, labels["matrix"], "Heading 1")
        _p(doc, labels["matrix_intro"])
        _loop_table(
            doc, labels["matrix_head"],
            ("{{ row.id }}", "{{ row.text }}", "{{ row.priority }}", ("{{ row.response }}", "{{ row.placeholder }}"),
             ("{{ row.compliance }}", "{{ row.compliance_placeholder }}"), "{{ row.section }}"),
            (1.1, 4.6, 1.5, 4.6, 2.4, 2.4), "matrix",
        )

    if full:
        _p(doc, labels["why"], "Heading 1")
        _bullets(doc, "why_us")

    _tag(doc, "{%p if cases %}")  # a casebook with nothing relevant leaves no empty chapter
    _p(doc, labels["cases"], "Heading 1")
    _tag(doc, "{%p for case in cases %}")
    _p(doc, "{{ case.title }}", "Heading 2")
    _p(doc, "{{ case.meta }}", "Caption").paragraph_format.keep_with_next = True  # the meta line stays with the text
    if full:
        _p(doc, "{{p case.body }}")
    else:
        _p(doc, "{{ case.summary }}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")

    _tag(doc, "{%p if credentials.back %}")
    _p(doc, "{{ credentials.title }}", "Heading 1")
    _p(doc, "{{p credentials.body }}")
    _tag(doc, "{%p endif %}")

    if full:
        _p(doc, labels["plan"] if stage == "detailed" else labels["delivery"], "Heading 1")
        _p(doc, "{{p methodology.body }}")
    if stage == "detailed":
        _loop_table(doc, labels["plan_head"],
                    ("{{ row.phase }}", "{{ row.duration }}", "{{ row.tasks }}", "{{ row.deliverables }}"),
                    (2.6, 2.2, 7.0, 4.8), "plan")
        _tag(doc, "{%p if schedule %}")
        _p(doc, labels["schedule"])
        _p(doc, "{{p schedule.gantt }}")
        _loop_table(doc, labels["milestones_head"],
                    ("{{ row.name }}", "{{ row.start }}", "{{ row.date }}", "{{ row.weeks }}"),
                    (4.0, 4.2, 4.6, 3.8), "schedule.milestones")
        _tag(doc, "{%p endif %}")
        _p(doc, labels["org"], "Heading 1")
        _p(doc, "{{ organisation_intro }}")
        _tag(doc, "{%p if team %}")
        _loop_table(doc, labels["team_head"],
                    ("{{ row.role }}", "{{ row.who }}", "{{ row.title }}", "{{ row.certificates }}"),
                    (3.6, 2.8, 3.8, 6.4), "team")
        _tag(doc, "{%p else %}")
        _loop_table(doc, labels["org_head"], ("{{ row.role }}", "{{ row.who }}", "{{ row.duty }}"),
                    (3.6, 3.4, 9.6), "organisation")
        _tag(doc, "{%p endif %}")
        _p(doc, labels["risks"], "Heading 1")
        _loop_table(doc, labels["risk_head"], ("{{ row.risk }}", "{{ row.mitigation }}"), (6.6, 10.0), "risks")

    if full:
        _p(doc, labels["service"], "Heading 1")
        _p(doc, "{{p service.body }}")
        _tag(doc, "{%p if sla %}")
        _p(doc, labels["sla"], "Heading 2")
        _p(doc, labels["sla_intro"])
        _loop_table(doc, labels["sla_head"],
                    ("{{ row.severity }}", "{{ row.description }}", "{{ row.response }}", "{{ row.onsite }}",
                     "{{ row.resolution }}"),
                    (2.8, 7.0, 2.2, 2.2, 2.4), "sla.levels")
        _tag(doc, "{%p endif %}")
    if stage == "detailed":
        _p(doc, labels["quality"], "Heading 1")
        _p(doc, "{{p quality.body }}")
    else:
        _p(doc, labels["next"], "Heading 1")
        _bullets(doc, "next_steps")

    if stage == "detailed":
        _p(doc, labels["appendix"], "Heading 1")
        _tag(doc, "{%p if credentials.appendix %}")
        _p(doc, "{{ credentials.title }}", "Heading 2")
        _p(doc, "{{p credentials.body }}")
        _tag(doc, "{%p endif %}")
        _tag(doc, "{%p if credential_list %}")
        _p(doc, labels["credentials_list"], "Heading 2")
        _loop_table(doc, labels["credentials_head"],
                    ("{{ row.name }}", "{{ row.number }}", "{{ row.issuer }}", "{{ row.valid }}", "{{p row.image }}"),
                    (4.4, 3.0, 3.4, 2.4, 3.4), "credential_list")
        _tag(doc, "{%p endif %}")
        _p(doc, labels["glossary"], "Heading 2")
        _loop_table(doc, labels["glossary_head"], ("{{ row.term }}", "{{ row.meaning }}"), (4.0, 12.6), "glossary")
        _p(doc, labels["history"], "Heading 2")
        _loop_table(doc, labels["history_head"],
                    ("{{ row.version }}", "{{ row.date }}", "{{ row.author }}", "{{ row.notes }}"),
                    (2.0, 3.0, 3.6, 8.0), "history")
    else:  # document control (文档信息) for every stage: the version history (docgen.proposal.versions)
        _p(doc, labels["history"], "Heading 1")
        _loop_table(doc, labels["history_head"],
                    ("{{ row.version }}", "{{ row.date }}", "{{ row.author }}", "{{ row.notes }}"),
                    (2.0, 3.0, 3.6, 8.0), "history")
    return doc


# --- the internal brief -------------------------------------------------------------

def _brief(lang: str):
    doc = ds.new_document(lang)
    labels = L[lang]
    mark = INTERNAL_MARKS[lang]
    _marked_page_setup(doc, lang, mark, "{{ doc.client }} · " + labels["brief_title"])
    _p(doc, "{{ doc.client }}", "Title")
    _p(doc, labels["brief_title"], "Subtitle")
    stamp = _p(doc).add_run(mark)
    stamp.bold, stamp.font.color.rgb = True, _RED
    _p(doc, "{{ brief.facts }}")

    _p(doc, labels["trust"], "Heading 1")
    _p(doc, "{{ brief.trust }}")
    _bullets(doc, "brief.strategy")
    _p(doc, labels["notes"], "Heading 1")
    _tag(doc, "{%p if brief.internal_notes %}")
    _p(doc, "{{ brief.internal_notes }}")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if brief.notes %}")
    _loop_table(doc, labels["notes_head"], ("{{ row.id }}", "{{ row.text }}", "{{ row.notes }}"),
                (1.6, 8.0, 7.0), "brief.notes")
    _tag(doc, "{%p else %}")
    _p(doc, labels["notes_none"])
    _tag(doc, "{%p endif %}")
    _p(doc, labels["competitors"], "Heading 1")
    _tag(doc, "{%p if brief.competitors %}")
    _loop_table(doc, labels["comp_head"],
                ("{{ row.name }}", "{{ row.strengths }}", "{{ row.weaknesses }}", "{{ row.answer }}"),
                (3.0, 4.0, 4.0, 5.6), "brief.competitors")
    _tag(doc, "{%p else %}")
    _p(doc, "{{ brief.no_competitors }}")
    _tag(doc, "{%p endif %}")
    _p(doc, labels["emphasis"], "Heading 1")
    _bullets(doc, "brief.emphasis")
    _p(doc, labels["sections_used"], "Heading 1")
    _loop_table(doc, labels["sections_head"], ("{{ row.category }}", "{{ row.source }}", "{{ row.ids }}"),
                (3.6, 9.0, 4.0), "brief.sources")
    _p(doc, labels["gaps"], "Heading 1")
    _tag(doc, "{%p if brief.gaps %}")
    _loop_table(doc, labels["gaps_head"], ("{{ row.id }}", "{{ row.text }}", "{{ row.priority }}", "{{ row.owner }}"),
                (1.6, 10.0, 2.0, 3.0), "brief.gaps")
    _tag(doc, "{%p else %}")
    _p(doc, labels["gaps_none"])
    _tag(doc, "{%p endif %}")
    _p(doc, labels["cases_used"], "Heading 1")
    _p(doc, "{{ brief.cases_rule }}")
    _loop_table(doc, labels["cases_head"], ("{{ row.title }}", "{{ row.industry }}", "{{ row.year }}", "{{ row.supports }}"),
                (6.4, 2.2, 1.6, 6.4), "brief.cases")  # the requirement ids on one line
    return doc


if __name__ == "__main__":  # python -m docgen.proposal.build_templates [OUT_DIR]
    import sys

    from docgen.core.config import bundled_path

    for written in build(sys.argv[1] if len(sys.argv) > 1 else bundled_path("templates") / "proposal"):
        print(written)
