"""`proposal retro`: the post-project review (项目复盘) of one client project, an internal document.

What was asked (the requirements, must-haves first), what we answered (the
compliance docgen's response library earned for each, and the counts), the
cases that went out and how each has fared across all recorded proposals,
the outcome with its reason, competitor and value, a lessons form to fill
in at the review meeting, and what to update in the casebook and the
response library — all from the requirements file and the outcomes store.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

from docgen.core.errors import InputError
from docgen.core.finish import DocumentInfo, finish_document
from docgen.core.output import check_writable, write_atomic

_T = {
    "zh": {
        "title": "项目复盘", "mark": "内部资料 · 严禁外发",
        "facts": ("客户", "项目", "行业", "售前负责人", "提交版本", "发布日期", "结果", "原因", "竞争对手", "金额", "结果日期"),
        "results": {"won": "中标", "lost": "未中标", "no-bid": "放弃投标", "pending": "待定"},
        "asked": "一、客户要求了什么", "asked_head": ("编号", "需求", "优先级", "我方符合度"),
        "answered": "二、我们的应答", "answered_intro": "按应答库核定的符合度统计（共 {n} 条需求）：",
        "cases": "三、使用的案例", "cases_head": ("案例", "标题", "用于方案数", "中标", "未中标", "胜率"),
        "cases_none": "本方案未使用案例。",
        "lessons": "四、经验教训（复盘会上填写）",
        "lessons_rows": ("做得好的，继续保持", "需要改进的", "客户的反馈", "竞争对手的做法", "行动项（负责人、期限）"),
        "update": "五、案例库与应答库更新建议",
        "won_case": "把本项目整理为新案例（建议编号 {id}），写明客户挑战、方案与成效，external 先设为 false，客户同意后再公开。",
        "lost_case": "复核案例 {id}：已用于 {lost} 个未中标方案（中标 {won} 个），核对其中的指标与表述是否仍有说服力。",
        "weak": "需求 {id}（{label}）：为应答库补充或更新条目，使下次能给出有依据的“满足”。",
        "nothing": "无需更新。", "priority": {"must": "必须", "should": "应当", "could": "可选"},
        "no_outcome": "尚未记录",
    },
    "en": {
        "title": "Post-project review", "mark": "INTERNAL · DO NOT SEND TO THE CLIENT",
        "facts": ("Client", "Project", "Industry", "Presales owner", "Version sent", "Released", "Result", "Reason",
                  "Competitor", "Value", "Decided"),
        "results": {"won": "Won", "lost": "Lost", "no-bid": "No bid", "pending": "Pending"},
        "asked": "1. What the client asked for", "asked_head": ("ID", "Requirement", "Priority", "Our compliance"),
        "answered": "2. What we answered", "answered_intro": "Compliance as the response library earned it ({n} requirements):",
        "cases": "3. Cases used", "cases_head": ("Case", "Title", "Proposals", "Won", "Lost", "Win rate"),
        "cases_none": "No case was used.",
        "lessons": "4. Lessons (fill in at the review meeting)",
        "lessons_rows": ("What went well, keep doing", "What to improve", "Client feedback", "What the competitor did",
                         "Actions (owner, date)"),
        "update": "5. What to update in the casebook and the response library",
        "won_case": "Write this project up as a new case (suggested id {id}): challenge, solution, results; keep "
                    "external: false until the client agrees.",
        "lost_case": "Review case {id}: used in {lost} lost proposals (won {won}); check its figures and claims still convince.",
        "weak": "Requirement {id} ({label}): add or update a response-library entry so the next answer can be earned as Full.",
        "nothing": "Nothing to update.", "priority": {"must": "Must", "should": "Should", "could": "Could"},
        "no_outcome": "not recorded",
    },
}


def write_retro(requirements_file, store: Path, out, *, settings=None, casebook=None, force: bool = False) -> Path:
    from docgen.casebook.outcomes import connect, find
    from docgen.casebook.stats import compute
    from docgen.proposal.build import prepare, stage_selection

    check_writable(out, force)
    prepared = prepare(requirements_file, casebook=casebook, settings=settings)
    req = prepared.requirements
    with connect(store) as db:
        outcome = find(db, req.client.name, req.client.project_name or "")
        if outcome is None:
            raise InputError(f"{store}: no outcome recorded for {req.client.name}; record it first with "
                             f"`docgen proposal outcome {requirements_file} --result …`")
        stats = {t.key: t for t in compute(db).cases}
    selection = stage_selection(prepared, outcome.stage or "detailed")
    document = _document(req, outcome, selection, stats, prepared.casebook, settings)
    buffer = io.BytesIO()
    document.save(buffer)
    props = {"kind": "retro", "client": req.client.name, "language": req.client.language, "result": outcome.result}
    # The finishing pass: rows kept whole, CJK dashes in the Chinese font, File › Info filled in.
    info = DocumentInfo(title=f"{_T[req.client.language]['title']} · {req.client.name}", author=selection.owner,
                        language=req.client.language, properties=props)
    return write_atomic(out, finish_document(buffer.getvalue(), info), force=force)


def _document(req, outcome, selection, stats: dict, casebook: Path, settings):
    from docx.shared import Cm, RGBColor

    from docgen.casebook.cases import load_casebook
    from docgen.core import docstyles as ds
    from docgen.proposal.compliance import FULL, PARTIAL, status_label
    from docgen.proposal.context import industry_label

    lang = req.client.language
    t = _T[lang]
    document = ds.new_document(lang, settings)
    ds.add_header_text(document.sections[0], t["mark"], f"{req.client.name} · {t['title']}")
    ds.add_page_number_footer(document.sections[0], lang)
    document.add_paragraph(f"{t['title']}：{req.client.name}" if lang == "zh" else f"{t['title']}: {req.client.name}",
                           style="Title")
    mark = document.add_paragraph().add_run(t["mark"])
    mark.bold, mark.font.color.rgb = True, RGBColor(0xC0, 0x00, 0x00)
    value = "" if outcome.value is None else f"{outcome.value:,.0f}"
    facts = (req.client.name, req.client.project_name or "—", industry_label(req.client.industry, lang),
             outcome.owner, outcome.version or "—", outcome.released or "—", t["results"][outcome.result],
             outcome.reason or "—", outcome.competitor or "—", value or "—", outcome.decided.isoformat())
    ds.add_label_table(document, t["facts"], facts, (4.0, 12.6))

    answers = {a.requirement.id: a for a in selection.answers}
    document.add_paragraph(t["asked"], style="Heading 1")
    ordered = sorted(req.requirements, key=lambda r: ("must", "should", "could").index(r.priority))
    table = ds.new_table(document, len(ordered) + 1, 4, (1.6, 10.0, 2.0, 3.0))
    _row(ds, table.rows[0], t["asked_head"], bold=True)
    ds.set_repeat_table_header(table.rows[0])
    for row, r in zip(table.rows[1:], ordered):
        answer = answers.get(r.id)
        _row(ds, row, (r.id, r.text, t["priority"][r.priority], status_label(answer.compliance, lang) if answer else "—"))

    document.add_paragraph(t["answered"], style="Heading 1")
    counts = Counter(a.compliance for a in selection.answers)
    document.add_paragraph(t["answered_intro"].format(n=len(selection.answers)))
    for status, n in sorted(counts.items(), key=lambda item: -item[1]):
        document.add_paragraph(f"{status_label(status, lang)}：{n}" if lang == "zh" else f"{status_label(status, lang)}: {n}",
                               style="List Bullet")

    document.add_paragraph(t["cases"], style="Heading 1")
    titles = {c.id: c.title for c in load_casebook(casebook)} if Path(casebook).is_dir() else {}
    if outcome.cases:
        table = ds.new_table(document, len(outcome.cases) + 1, 6, (4.0, 6.2, 1.7, 1.4, 1.6, 1.7))
        _row(ds, table.rows[0], t["cases_head"], bold=True)
        for row, case_id in zip(table.rows[1:], outcome.cases):
            tally = stats.get(case_id)
            rate = "—" if tally is None or tally.win_rate is None else f"{tally.win_rate:.0%}"
            _row(ds, row, (case_id, titles.get(case_id, ""), *(str(getattr(tally, k, 0)) for k in ("proposals", "won", "lost")), rate))
    else:
        document.add_paragraph(t["cases_none"])

    document.add_paragraph(t["lessons"], style="Heading 1")
    table = ds.new_table(document, len(t["lessons_rows"]), 2, (4.6, 12.0))
    for row, label in zip(table.rows, t["lessons_rows"]):
        ds.set_cell_text(row.cells[0], label, bold=True)
        ds.shade_cell(row.cells[0], ds.HEADER_FILL)
        ds.set_row_height(row, 3.0)

    document.add_paragraph(t["update"], style="Heading 1")
    advice = []
    if outcome.result == "won":
        slug = "-".join(filter(None, (req.client.industry, str(outcome.decided.year))))
        advice.append(t["won_case"].format(id=f"{slug}-{_slug(req.client.project_name or req.client.name)}"))
    for case_id in outcome.cases:
        tally = stats.get(case_id)
        if outcome.result == "lost" and tally is not None and tally.lost:
            advice.append(t["lost_case"].format(id=case_id, lost=tally.lost, won=tally.won))
    for a in selection.answers:
        if a.compliance not in (FULL, PARTIAL):
            advice.append(t["weak"].format(id=a.requirement.id, label=status_label(a.compliance, lang)))
    for text in advice or [t["nothing"]]:
        document.add_paragraph(text, style="List Bullet")
    for section in document.sections:
        section.left_margin = section.right_margin = Cm(2.2)
    return document


def _row(ds, row, values, *, bold: bool = False) -> None:
    for cell, text in zip(row.cells, values):
        ds.set_cell_text(cell, str(text), bold=bold, size=9.5)


def _slug(text: str) -> str:
    import re

    ascii_words = re.findall(r"[A-Za-z0-9]+", text)
    return "-".join(w.lower() for w in ascii_words)[:30] or "project"
