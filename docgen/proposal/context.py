"""The one place that knows the proposal templates' variable names.

draft_context() feeds templates/proposal/{intro,solution,detailed}_{zh,en}.docx,
brief_context() feeds brief_{zh,en}.docx. Nothing internal (competitors,
non-external cases, the brief) is ever put into a draft context.
"""

from __future__ import annotations

import datetime as dt
import re

from docgen.core.markdown_docx import markdown_to_word
from docgen.core.vocabulary import INDUSTRY_NAMES_ZH
from docgen.intake.models import RequirementsFile
from docgen.proposal.compliance import FULL, PARTIAL, response_sentence, status_label
from docgen.proposal.select import (
    CASE_COUNTS,
    CASE_MIN_SHARE,
    Selection,
    placeholder_text,
)
from docgen.proposal.wording import T, text_for

DRAFT_VARIABLES = frozenset({
    "doc", "client", "company", "credentials", "needs", "challenges", "solutions", "architecture",
    "matrix", "why_us", "cases", "methodology", "plan", "organisation_intro", "organisation", "risks",
    "service", "quality", "next_steps", "glossary", "history",
    # the complete-proposal parts (docgen.proposal.complete): solution and detailed stages
    "bom", "schedule", "team", "sla", "credential_list", "diagram",
})
BRIEF_VARIABLES = frozenset({"doc", "brief"})
TEMPLATE_VARIABLES = DRAFT_VARIABLES | BRIEF_VARIABLES


def format_date(day: dt.date, lang: str) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else f"{day.day} {day:%B %Y}"


def industry_label(industry: str, lang: str) -> str:
    return INDUSTRY_NAMES_ZH.get(industry, industry) if lang == "zh" else industry.capitalize()


def _ids(requirements, lang: str) -> str:
    return id_list([r.id for r in requirements], lang)


# After "、" LibreOffice finds no line break before Latin letters or figures and breaks a list of ids
# inside an id ("R/1、R2…", measured, 7.4); a zero-width space after our separator gives it one.
# Invisible, and never inside an id as the client typed it.
_BREAK_AFTER = {"zh": "\u200b", "en": ""}


def id_list(ids, lang: str) -> str:
    """Requirement ids joined for a reader: R1、R2 / R1, R2."""
    return (T[lang]["list_sep"] + _BREAK_AFTER[lang]).join(ids)


def _doc(req: RequirementsFile, sel: Selection, company: str, today: dt.date, version: str) -> dict:
    lang = sel.language
    return {
        "client": req.client.name, "company": company, "owner": sel.owner,
        "stage_title": T[lang]["stage_titles"][sel.stage], "date": format_date(today, lang), "version": version,
        "project": req.client.project_name, "you": sel.address,
        "header": f"{req.client.project_name or company} · {T[lang]['stage_titles'][sel.stage]}",
    }


def draft_context(req: RequirementsFile, sel: Selection, *, company: str, today: dt.date,
                  version: str = "V0.1", parts: dict | None = None) -> dict:
    """The context for one stage's draft (a plain dict of text, lists and Word fragments).

    `parts` are the complete-proposal parts (docgen.proposal.complete.complete_parts);
    without them those chapters are empty.
    """
    lang, t = sel.language, T[sel.language]
    full = sel.stage != "intro"
    brief_company = sel.company_brief or (sel.stage == "intro" and sel.trust == "medium")
    company_body = _fragment(sel.company, summary=brief_company, lang=lang)
    credentials = {
        "title": sel.credentials.title if sel.credentials else "",
        "body": _fragment(sel.credentials, summary=sel.stage == "intro" and sel.trust != "low", lang=lang),
        "front": sel.credentials is not None and sel.credentials_placement == "front",
        "back": sel.credentials is not None and sel.credentials_placement == "back",
        "appendix": sel.credentials is not None and sel.credentials_placement == "appendix",
    }
    answers = {a.requirement.id: a for a in sel.answers}
    return {
        "doc": _doc(req, sel, company, today, version),
        "client": {"name": req.client.name, "background": req.client.background,
                   "industry": industry_label(req.client.industry, lang)},
        "company": {"body": company_body},
        "credentials": credentials,
        "needs": [
            {"category": c.category,
             "requirements": [{"id": r.id, "text": r.text, "priority": t["priority"][r.priority]}
                              for r in c.requirements]}
            for c in sel.categories
        ],
        "challenges": [text_for(lang, "challenge", c) for c in sel.categories if full],
        "solutions": [_solution(c, answers, lang, full) for c in sel.categories],
        "architecture": [
            {"component": c.category,
             "solution": t["list_sep"].join(s.title for s in c.sections + c.referenced)
             or t["to_write_ids"].format(ids=_ids([p.requirement for p in c.placeholders], lang)),
             "ids": _ids(c.requirements, lang)}
            for c in sel.categories
        ],
        "matrix": [_matrix_row(a, lang, sel.owner) for a in sel.answers],
        "why_us": text_for(lang, "why_us", sel),
        "cases": [_case(m, lang, full) for m in sel.cases],
        "methodology": {"body": _fragment(sel.general.get("methodology"), summary=False, lang=lang)},
        "service": {"body": _fragment(sel.general.get("service"), summary=False, lang=lang)},
        "quality": {"body": _fragment(sel.general.get("quality"), summary=False, lang=lang)},
        "plan": text_for(lang, "plan", sel),
        "organisation_intro": t["org_intro"].format(owner=sel.owner, you=sel.address),
        "organisation": text_for(lang, "organisation", (req, sel)),
        "risks": text_for(lang, "risks", sel),
        "next_steps": text_for(lang, "next_steps", (req, sel)),
        "glossary": [{"term": term, "meaning": meaning} for term, meaning in t["glossary"]],
        "history": [{"version": version, "date": format_date(today, lang), "author": sel.owner,
                     "notes": t["history_note"][sel.stage]}],
        **(parts or {"bom": [], "schedule": None, "team": [], "sla": None, "credential_list": [], "diagram": None}),
    }


def _section_fragment(section, text: str):
    """A section's Markdown; its pictures come from images/ beside its file, and a bad one names the file."""
    from pathlib import Path

    from docgen.core.errors import InputError

    folder = Path(section.path).parent if getattr(section, "path", "") else None
    try:
        return markdown_to_word(text, images_from=folder)
    except InputError as exc:
        raise InputError(f"{section.path or section.id}: {exc}") from None


def _fragment(section, *, summary: bool, lang: str):
    if section is None:
        return markdown_to_word(T[lang]["to_write"])
    return _section_fragment(section, section.summary if summary else section.body)


def _solution(category, answers: dict, lang: str, full: bool) -> dict:
    t = T[lang]
    musts = [r for r in category.requirements if r.priority == "must"]
    answered = [r for r in category.requirements if answers[r.id].section is not None]
    line = t["answers"].format(ids=_ids(answered, lang)) if answered else ""
    if musts:
        line += t["answers_must"].format(ids=_ids(musts, lang))
    return {
        "heading": category.category,
        "answers": line.strip(),
        "blocks": [
            {"title": s.title, "summary": s.summary,
             "body": _section_fragment(s, s.body) if full else None}
            for s in category.sections
        ],
        "references": [t["see_section"].format(title=s.title) for s in category.referenced],
        "placeholders": [p.text for p in category.placeholders],
    }


def _matrix_row(answer, lang: str, owner: str) -> dict:
    """One row: our response from the entry that answered this requirement, and the compliance it earned.

    Anything short of 满足/部分满足 is printed as a highlighted placeholder that
    `proposal check` refuses: 【待应答 …】 when nothing answered, the reason for
    待确认/不满足 (the figure and what the entry declares) otherwise.
    """
    t = T[lang]
    r, entry, assessment = answer.requirement, answer.entry, answer.assessment
    status = answer.compliance
    if entry is None:
        response, placeholder = "", answer_placeholder(r, owner, lang)
    else:
        sentences = [response_sentence(figure, declared, lang) for figure, declared in assessment.met]
        response = t["sentence_sep"].join([*sentences, first_paragraph(entry.text)])
        placeholder = "" if status in (FULL, PARTIAL) else f"【{assessment.reason(lang)}】" if lang == "zh" \
            else f"[{assessment.reason(lang)}]"
    good = status in (FULL, PARTIAL)
    return {
        "id": r.id, "text": r.text, "priority": t["priority"][r.priority],
        "response": response, "placeholder": placeholder,
        "compliance": status_label(status, lang) if good else "",
        "compliance_placeholder": "" if good else status_label(status, lang),
        "section": entry.id if entry else "—",
    }


def answer_placeholder(requirement, owner: str, lang: str) -> str:
    """【待应答 R7:…(负责人:张伟)】: no library answer matched this requirement."""
    return placeholder_text(requirement, owner, lang).replace("【待补充", "【待应答").replace("[TO WRITE", "[TO ANSWER")


def first_paragraph(markdown: str) -> str:
    """The answer's lead as plain text: its first paragraph, and the list it introduces when it ends with a colon.

    The matrix cell is short; the solution chapter carries the whole answer. A long
    list of "标题：说明" items is given by its titles.
    """
    blocks = [b for b in markdown.strip().split("\n\n") if b.strip()]
    plain = [[_plain(line) for line in block.splitlines() if _plain(line)] for block in blocks]
    for n, lines in enumerate(plain):
        if not lines:
            continue
        zh = any("\u4e00" <= ch <= "\u9fff" for ch in "".join(lines))
        sep = "；" if zh else "; "
        lead = sep.join(x.rstrip("；;") for x in lines) if _is_list(blocks[n]) else " ".join(lines)
        if lead.endswith(("：", ":")) and n + 1 < len(plain):
            items = [x.rstrip("；;。.") for x in plain[n + 1]]
            titles = [re.split(r"[：:]", x, maxsplit=1)[0] for x in items]
            if sum(map(len, items)) > 160 and all(len(t) <= (16 if zh else 40) and t != x
                                                   for t, x in zip(titles, items)):
                items = titles
            lead += ("" if zh else " ") + ("、" if zh and items is titles else sep).join(items) + ("。" if zh else ".")
        return lead
    return ""


def _plain(line: str) -> str:
    text = re.sub(r"^\s*(?:(?:[-*+]|\d+[.)])\s+|#+\s*|>\s*)", "", line).strip()
    return text.replace("**", "").replace("`", "")


def _is_list(block: str) -> bool:
    return all(re.match(r"^\s*(?:[-*+]|\d+[.)])\s", line) for line in block.splitlines() if line.strip())


def _case(match, lang: str, full: bool) -> dict:
    case, t = match.case, T[lang]
    meta = t["case_meta"].format(industry=industry_label(case.industry, lang), year=case.year,
                                 ids=id_list(match.supports, lang) or "—")
    return {"title": case.title, "meta": meta, "summary": case.summary,
            "body": markdown_to_word(case.body, heading_offset=2) if full else None}


def brief_context(req: RequirementsFile, sel: Selection, *, company: str, today: dt.date) -> dict:
    """The internal strategy brief: trust, competitors, emphasis, gaps, cases used."""
    lang, t = sel.language, T[sel.language]
    client = req.client
    facts = t["brief_facts"].format(
        industry=industry_label(client.industry, lang), owner=client.presales_owner,
        sales=client.sales_owner or "—", deadline=format_date(client.deadline, lang) if client.deadline else "—",
        today=format_date(today, lang), n=len(req.requirements), musts=len(req.must_haves),
    )
    return {
        "doc": _doc(req, sel, company, today, ""),
        "brief": {
            "facts": facts,
            "trust": t["trust_line"].format(level=t["trust"][sel.trust]),
            "internal_notes": client.internal_notes,
            "notes": [{"id": r.id, "text": r.text, "notes": r.notes} for r in req.requirements if r.notes],
            "strategy": text_for(lang, "strategy", sel),
            "competitors": [
                {"name": c.name, "strengths": c.strengths or "—", "weaknesses": c.weaknesses or "—",
                 "answer": text_for(lang, "counter", (c, sel))}
                for c in req.competitors
            ],
            "no_competitors": t["no_competitors"],
            "emphasis": [text_for(lang, "emphasis", c) for c in sel.categories],
            "sources": [
                {"category": c.category,
                 "source": t["list_sep"].join([s.id for s in c.sections + c.referenced]
                                              + [t["placeholder_source"]] * bool(c.placeholders)),
                 "ids": _ids(c.requirements, lang)}
                for c in sel.categories
            ],
            "gaps": [{"id": p.requirement.id, "text": p.requirement.text,
                      "priority": t["priority"][p.requirement.priority], "owner": p.owner}
                     for p in sel.placeholders],
            "cases_rule": t["cases_rule"].format(share=round(CASE_MIN_SHARE * 100), n=len(sel.cases),
                                                 most=CASE_COUNTS["detailed"][sel.trust]),
            "cases": [{"title": m.case.title, "industry": industry_label(m.case.industry, lang),
                       "year": str(m.case.year), "supports": id_list(m.supports, lang) or "—"}
                      for m in sel.cases],
        },
    }
