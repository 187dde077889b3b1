"""The parts a complete 技术方案 is scored and budgeted on, from the company's own knowledge.

配置清单 (bill of materials, no prices), a dated schedule with a week-by-week
Gantt table, the project team named from team.yaml, the SLA table from
service.yaml and the credentials that fit the client. Everything here is
traced to a file in the company folder (docs/company.md): a role nobody fits
is a 【待指定】 placeholder that `proposal check` refuses, an expired
certificate is never printed, a quantity no requirement sizes says
数量待确认.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass

from docgen.core.config import Settings
from docgen.core.errors import ExternalToolError, Problems
from docgen.core.text import xml_escape
from docgen.proposal.bom import bom_lines, library_bom
from docgen.proposal.company import ROLES, credentials_for, load_company
from docgen.proposal.schedule import Gantt, gantt_rows, schedule
from docgen.proposal.staffing import PLACEHOLDER, staff

# Roles a project needs whatever it is, and the engineer each requirement area brings.
BASE_ROLES = ("presales_owner", "project_manager", "solution_architect")
CLOSING_ROLES = ("test_engineer", "trainer", "service_manager")
AREA_ROLES = (
    (("storage", "存储"), "storage_engineer"), (("backup", "disaster", "备份", "灾备", "容灾"), "backup_engineer"),
    (("network", "sd-wan", "网络"), "network_engineer"), (("security", "cyber", "安全", "等保", "mlps"), "security_engineer"),
    (("cloud", "virtual", "云", "虚拟化", "信创"), "cloud_engineer"), (("data", "数据"), "data_engineer"),
    (("operation", "monitor", "运维", "监控"), "operations_engineer"),
)
# The implementation plan's phases in weeks (the same phases as the plan table in docgen.proposal.wording).
PHASES = {"zh": ("调研评估", "方案设计", "实施部署", "测试验证", "上线移交"),
          "en": ("Assess", "Design", "Implement", "Verify", "Hand over")}


def build_weeks(category_count: int) -> int:
    return max(2, 2 * category_count)


def phase_weeks(category_count: int) -> tuple[int, ...]:
    return (2, 2, build_weeks(category_count), 2, 1)


def complete_parts(req, sel, library, settings: Settings, today: dt.date, timings=None,
                   project_start: dt.date | None = None) -> dict:
    """The template context of the complete-proposal parts (names in docgen.proposal.context.DRAFT_VARIABLES).

    `timings` (docgen.proposal.build.Timings) gets the share of the parts and, apart, of the diagram.
    """
    lang = sel.language
    start = time.perf_counter()
    company = load_company(settings)
    parts = {
        "bom": _bom(req, sel, library, company.pricebook, lang),
        "schedule": _schedule(req, sel, today, lang, project_start),
        "team": _team(sel, company, today, lang),
        "sla": _sla(company.service, lang),
        "credential_list": _credentials(req, sel, company, today, lang),
    }
    if timings is not None:
        start = timings.add("parts", start)
    parts["diagram"] = architecture_picture(sel, lang)
    if timings is not None:
        timings.add("diagram", start)
    return parts


# Which layer of the architecture diagram a requirement area belongs to (first match wins).
LAYERS = (
    ((("network", "sd-wan", "网络", "链路", "组网"),), ("网络", "Network")),
    ((("backup", "disaster", "备份", "灾备", "容灾", "双活"),), ("灾备", "Disaster recovery")),
    ((("storage", "存储", "影像"),), ("存储", "Storage")),
    ((("security", "cyber", "安全", "等保", "mlps", "国密", "identity", "sso", "zero"),), ("安全", "Security")),
    ((("operation", "monitor", "运维", "监控", "服务", "support"),), ("运维", "Operations")),
    ((("cloud", "virtual", "云", "虚拟化", "信创", "compute", "计算"),), ("计算", "Compute")),
)
_APPLICATION = ("应用", "Applications")


def architecture_layers(sel) -> list[tuple[str, list[str]]]:
    """Each requirement category's solution blocks (its sections' titles) in its diagram layer."""
    index = 0 if sel.language == "zh" else 1
    order = [names[index] for _, names in LAYERS] + [_APPLICATION[index]]
    layers: dict[str, list[str]] = {}
    for category in sel.categories:
        words = f"{category.category} {' '.join(t for r in category.requirements for t in r.tags)}".casefold()
        layer = next((names[index] for (keys,), names in LAYERS if any(k in words for k in keys)), _APPLICATION[index])
        blocks = [s.title for s in (*category.sections, *category.referenced)] or [category.category]
        layers.setdefault(layer, [])
        layers[layer] += [b for b in blocks if b not in layers[layer]]
    return [(name, layers[name]) for name in order if name in layers]


def architecture_picture(sel, lang: str):
    """The 总体架构图 (solution and detailed stages), drawn from what was selected."""
    from docgen.core.picture import Picture
    from docgen.proposal.diagram import architecture_png

    layers = architecture_layers(sel)
    if not layers:
        return None
    caption = "图 1 总体架构图" if lang == "zh" else "Figure 1 Overall architecture"
    try:
        return Picture(architecture_png(layers, [], lang), 16.0, caption)
    except ExternalToolError:
        # No Graphviz on this machine: the draft still builds, and says visibly what is missing
        # (a placeholder `proposal check` refuses) instead of failing the whole document.
        from docgen.core.markdown_docx import markdown_to_word

        missing = ("【待补充 总体架构图：本机未安装 Graphviz（apt-get install graphviz）后重新生成】" if lang == "zh"
                   else "[TO WRITE the architecture diagram: install Graphviz (apt-get install graphviz) and build again]")
        return markdown_to_word(missing)


def _bom(req, sel, library, pricebook, lang: str) -> list[dict]:
    from docgen.proposal.select import selected_section_ids

    ids = selected_section_ids(sel)
    by_id = {s.id: s for s in library}
    problems = Problems()
    items = library_bom([by_id[i] for i in ids if i in by_id], pricebook, problems)
    problems.raise_if_any()
    zh = lang == "zh"
    return [
        {"no": str(n), "name": line.item.label(lang), "brand": line.item.brand_in(lang), "model": line.item.model,
         "quantity": str(line.quantity), "unit": line.item.unit_in(lang),
         "note": ("数量待确认" if zh else "Quantity to confirm") if line.estimated else ""}
        for n, line in enumerate(bom_lines(ids, items, req.requirements, pricebook), start=1)
    ]


def _schedule(req, sel, today: dt.date, lang: str, start: dt.date | None = None) -> dict:
    weeks = phase_weeks(len(sel.categories))
    plan = schedule(list(zip(PHASES[lang], weeks)), start=start, deadline=req.client.deadline, today=today)
    gantt = gantt_rows(plan)
    fmt = (lambda d: f"{d.year}年{d.month}月{d.day}日") if lang == "zh" else (lambda d: d.strftime("%d %b %Y"))
    return {
        "start": fmt(plan.start), "end": fmt(plan.end),
        "gantt": GanttTable(gantt, "阶段" if lang == "zh" else "Phase"),
        "milestones": [{"name": phase.name, "start": fmt(phase.start), "date": fmt(phase.end),
                        "weeks": f"{phase.weeks} 周" if lang == "zh" else f"{phase.weeks} weeks"}
                       for phase in plan.phases],
    }


def roles_needed(sel) -> list[str]:
    words = " ".join(f"{c.category} {' '.join(t for r in c.requirements for t in r.tags)}" for c in sel.categories).casefold()
    areas = [role for keys, role in AREA_ROLES if any(k in words for k in keys)]
    return [*BASE_ROLES, *dict.fromkeys(areas), *CLOSING_ROLES]


def _team(sel, company, today: dt.date, lang: str) -> list[dict]:
    index = 0 if lang == "zh" else 1
    assignments = staff(roles_needed(sel), company.team, [m.case.id for m in sel.cases], sel.owner,
                        today=today, language=lang)
    sep = "、" if lang == "zh" else ", "
    return [
        {"role": ROLES[a.role][index],
         "who": a.person.label(lang) if a.person else PLACEHOLDER[lang],
         "title": a.person.title_in(lang) if a.person else "",
         "certificates": sep.join(c.name for c in a.certificates) or "—"}
        for a in assignments
    ]


def _sla(service, lang: str) -> dict:
    zh = lang == "zh"

    def hours(value):
        if value is None:
            return "远程处理" if zh else "remote"
        return f"{value} 小时" if zh else f"{value} h"

    return {
        "hours": service.service_hours if zh or not service.service_hours_en else service.service_hours_en,
        "warranty": f"{service.warranty_years} 年" if zh else f"{service.warranty_years} years",
        "hotline": service.hotline,
        "levels": [{"severity": (f"{level.severity} 级 {level.name}" if zh else
                                 f"P{level.severity} {level.name_en or level.name}"),
                    "description": level.description if zh or not level.description_en else level.description_en,
                    "response": f"{level.response_minutes} 分钟" if zh else f"{level.response_minutes} min",
                    "onsite": hours(level.onsite_hours), "resolution": hours(level.resolution_hours)}
                   for level in service.levels],
    }


def _credentials(req, sel, company, today: dt.date, lang: str) -> list[dict]:
    words = [c.category for c in sel.categories] + [t for r in req.requirements for t in r.tags]
    from docgen.core.picture import Picture

    fmt = (lambda d: f"{d.year}年{d.month}月{d.day}日") if lang == "zh" else (lambda d: d.isoformat())
    rows = []
    for c in credentials_for(company, req.client.industry, words, today):
        name = c.name_en if lang == "en" and c.name_en else c.name
        image = c.image.read_bytes() if c.image and c.image.is_file() else b""
        rows.append({"name": name, "number": c.number, "issuer": c.issuer,
                     "valid": fmt(c.valid_until) if c.valid_until else "—",
                     "image": Picture(image, 3.2, description=name) if image.startswith(b"\x89PNG") else ""})
    return rows


def _week_number(label: str) -> str:
    """'2026-W52' or 'W03–05' -> '52' / '3–5': a column is narrow; the sentence above gives the dates."""
    return "–".join(str(int(part)) for part in re.findall(r"W?(\d+)(?=$|–)", label.split("-W")[-1]))


@dataclass(frozen=True)
class GanttTable:
    """A week-by-week Gantt as a Word table fragment: insert with `{{p schedule.gantt }}`.

    Shaded cells mark the weeks of each phase; the header row repeats on a new
    page and rows never split, so the printed chart stays readable.
    """

    gantt: Gantt
    phase_label: str

    def __str__(self) -> str:
        return "\n".join(f"{row.name}: {row.start} – {row.end}" for row in self.gantt.rows)

    def __html__(self) -> str:
        from docgen.core.render import current_parts

        style = current_parts().style_id("Docgen Table")
        columns = self.gantt.columns
        first, rest = 1800, max(260, (9638 - 1800) // max(1, len(columns)))
        grid = f'<w:gridCol w:w="{first}"/>' + "".join(f'<w:gridCol w:w="{rest}"/>' for _ in columns)

        def cell(text: str, width: int, fill: str | None = None, size: int = 14) -> str:
            shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
            return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>'
                    f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/></w:pPr>'
                    f'<w:r><w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
                    f'<w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r></w:p></w:tc>')

        header = ('<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>' + cell(self.phase_label, first)
                  + "".join(cell(_week_number(c.label), rest, size=12) for c in columns) + "</w:tr>")
        rows = "".join('<w:tr><w:trPr><w:cantSplit/></w:trPr>' + cell(row.name, first)
                       + "".join(cell("", rest, "2F5597" if on else None) for on in row.cells) + "</w:tr>"
                       for row in self.gantt.rows)
        return (f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:w="0" w:type="auto"/>'
                f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{header}{rows}</w:tbl>'
                "<w:p/>")  # Word glues adjacent tables into one: a paragraph keeps the milestone table apart
