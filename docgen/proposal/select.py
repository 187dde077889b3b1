"""Which content a proposal draft carries, and in which order (pure selection).

Rules (for users: docs/presales.md, "What each stage contains"; issue 5):
- requirement categories are ordered by their highest-priority requirement
  (must-haves first), ties by first appearance in the client's file; a
  category without requirements never appears (no catch-all);
- each category gets the library sections that best answer it, in the
  client's language and for the stage; a requirement no section answers
  becomes a placeholder naming the requirement and its owner;
- cases come from the casebook match (external only): intro 2–3 (4–5 when
  trust is low), solution and detailed 3–5;
- trust low brings the credentials forward, trust high keeps the company part
  to a paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from docgen.intake.models import PRIORITY_RANK, Requirement, RequirementsFile
from docgen.proposal.address import client_address
from docgen.proposal.answers import AnswerEntry
from docgen.proposal.compliance import UNANSWERED, Assessment, assess
from docgen.proposal.sections import STAGES, Section

# How many cases each stage shows, by trust (intro 2–3, 4–5 when trust is low; else 3–5).
CASE_COUNTS = {
    "intro": {"low": 5, "medium": 3, "high": 2},
    "solution": {"low": 5, "medium": 4, "high": 3},
    "detailed": {"low": 5, "medium": 4, "high": 3},
}
# A case goes into a draft only at >= 30 % of the best case's match score (see choose_cases).
CASE_MIN_SHARE = 0.30
MAX_SECTIONS_PER_CATEGORY = 3
# General sections that have a chapter of their own in a stage's template: a
# category they answer (服务 → service) refers to that chapter instead of repeating it.
CHAPTER_KINDS = {"intro": (), "solution": ("methodology", "service"), "detailed": ("methodology", "service", "quality")}
FULL, PARTIAL = "full", "partial"

_SEPARATORS = re.compile(r"[\s\-_/·.、]+")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Placeholder:
    requirement: Requirement
    owner: str
    language: str

    @property
    def text(self) -> str:
        return placeholder_text(self.requirement, self.owner, self.language)


@dataclass(frozen=True)
class Answer:
    """How the draft answers one requirement (a row of the response matrix).

    `section` is the solution section that covers it in the body (None: a
    placeholder there). `entry` is the response-library answer matched to this
    very requirement (docgen.proposal.answer_match), and `assessment` the
    compliance earned from the entry's declared capabilities against the
    requirement's figures (docgen.proposal.compliance): full only when every
    figure is met; unanswered when no entry matched.
    """

    requirement: Requirement
    section: Section | None
    entry: AnswerEntry | None = None
    assessment: Assessment | None = None

    @property
    def compliance(self) -> str:
        return self.assessment.status if self.assessment else UNANSWERED


@dataclass(frozen=True)
class CategoryPlan:
    category: str
    requirements: tuple[Requirement, ...]  # must-haves first
    sections: tuple[Section, ...]  # sections first shown in this category
    referenced: tuple[Section, ...]  # sections already shown for an earlier category
    placeholders: tuple[Placeholder, ...]

    @property
    def priority(self) -> str:
        return self.requirements[0].priority


@dataclass(frozen=True)
class Selection:
    stage: str
    language: str
    trust: str
    owner: str
    address: str  # 贵行 / 贵院 / 贵校 / 贵单位 / 贵司, or "you" (docgen.proposal.address)
    categories: tuple[CategoryPlan, ...]
    answers: tuple[Answer, ...]  # matrix order: category order, then priority
    cases: tuple  # CaseMatch objects (case, score, supports), best first
    company: Section | None
    credentials: Section | None
    credentials_placement: str  # front | back | appendix | none
    company_brief: bool  # trust high: the company part is one paragraph
    general: dict  # kind -> Section for methodology, service, quality in this stage

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        return tuple(p for c in self.categories for p in c.placeholders)


def placeholder_text(requirement: Requirement, owner: str, language: str) -> str:
    """【待补充 R7:…】 / [TO WRITE R7: …]: names the requirement and who writes it."""
    short = _shorten(requirement.text, 40)
    if language == "zh":
        return f"【待补充 {requirement.id}：{short}（负责人：{owner}）】"
    return f"[TO WRITE {requirement.id}: {short} (owner: {owner})]"


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def normalize(word: str) -> str:
    return _SEPARATORS.sub("", word.casefold())


def _contains(long: str, short: str) -> bool:
    # Containment only for words long enough to mean something (等保 in 等保三级).
    if len(short) < (2 if _CJK.search(short) else 4):
        return False
    return short in long


def match_strength(section: Section, requirement: Requirement) -> tuple[int, int]:
    """(category strength, tag strength) of `section` answering `requirement`; 0 = no match."""
    keys = {normalize(k) for k in section.categories + section.tags} - {""}
    category = normalize(requirement.category)
    if category in keys:
        by_category = 4
    elif any(_contains(category, k) or _contains(k, category) for k in keys):
        by_category = 2
    else:
        by_category = 0
    by_tags = 0
    for tag in (normalize(t) for t in requirement.tags):
        if tag in keys:
            by_tags += 2
        elif any(_contains(tag, k) or _contains(k, tag) for k in keys):
            by_tags += 1
    return by_category, by_tags


def _answers(section: Section, requirement: Requirement) -> bool:
    return sum(match_strength(section, requirement)) > 0


def order_categories(requirements: tuple[Requirement, ...]) -> list[tuple[str, list[Requirement]]]:
    """Categories by their highest-priority requirement, ties by first appearance."""
    groups: dict[str, list[tuple[int, Requirement]]] = {}
    for index, requirement in enumerate(requirements):
        groups.setdefault(requirement.category, []).append((index, requirement))
    ordered = sorted(
        groups.items(),
        key=lambda item: (min(PRIORITY_RANK.get(r.priority, 1) for _, r in item[1]), item[1][0][0]),
    )
    return [
        (name, [r for _, r in sorted(members, key=lambda m: (PRIORITY_RANK.get(m[1].priority, 1), m[0]))])
        for name, members in ordered
    ]


def _pick_sections(requirements: list[Requirement], candidates: list[Section]) -> list[Section]:
    """Greedy: the best section for the category, then the best for what is still open."""
    chosen: list[Section] = []
    open_reqs = list(requirements)
    while open_reqs and len(chosen) < MAX_SECTIONS_PER_CATEGORY:
        scored = [
            (sum(sum(match_strength(s, r)) for r in open_reqs), s.id, s)
            for s in candidates if s not in chosen
        ]
        scored = sorted((item for item in scored if item[0] > 0), key=lambda item: (-item[0], item[1]))
        if not scored:
            break
        best = scored[0][2]
        chosen.append(best)
        open_reqs = [r for r in open_reqs if not _answers(best, r)]
    return chosen


def select(req_file: RequirementsFile, library: list[Section], matches: list, stage: str,
           responses: Mapping[str, AnswerEntry | None] | None = None) -> Selection:
    """Everything a draft of `stage` contains, from a validated requirements file.

    `matches` is the casebook ranking (docgen.casebook.match.match_cases, external only),
    best first; this function keeps the stage's number of cases. `responses` maps each
    requirement id to the response-library entry that answers it (None: unanswered).
    """
    responses = responses or {}
    client = req_file.client
    language, trust = client.language, client.trust
    usable = [s for s in library if s.language == language and stage in s.stages]
    general = {s.kind: s for s in sorted(usable, key=lambda s: s.id) if s.kind != "solution"}
    # Company and credentials describe us; every other section may answer a category.
    candidates = [s for s in usable if s.kind not in ("company", "credentials")]

    shown = {general[k].id for k in CHAPTER_KINDS[stage] if k in general}
    groups = [(name, members, _pick_sections(members, candidates))
              for name, members in order_categories(req_file.requirements)]
    categories: list[CategoryPlan] = []
    answers: list[Answer] = []
    for name, members, picked in groups:
        new = tuple(s for s in picked if s.id not in shown)
        old = tuple(s for s in picked if s.id in shown)
        shown.update(s.id for s in picked)
        placeholders = []
        for requirement in members:
            entry = responses.get(requirement.id)
            assessment = assess(requirement.text, entry.compliance if entry else None,
                                entry.capabilities if entry else None)
            answering = [s for s in picked if _answers(s, requirement)]
            if not answering:
                placeholders.append(Placeholder(requirement, client.presales_owner, language))
                answers.append(Answer(requirement, None, entry, assessment))
                continue
            best = max(answering, key=lambda s: match_strength(s, requirement))
            answers.append(Answer(requirement, best, entry, assessment))
        categories.append(CategoryPlan(name, tuple(members), new, old, tuple(placeholders)))

    if trust == "low":
        placement = "front"
    elif trust == "high":
        placement = "appendix" if stage == "detailed" else "none"
    else:
        placement = "back"
    return Selection(
        stage=stage, language=language, trust=trust, owner=client.presales_owner,
        address=client_address(client.name, client.industry, language),
        categories=tuple(categories), answers=tuple(answers),
        cases=tuple(choose_cases(matches, stage, trust, language, client.industry)),
        company=general.pop("company", None),
        credentials=general.pop("credentials", None),
        credentials_placement=placement,
        company_brief=trust == "high",
        general=general,
    )


def choose_cases(matches: list, stage: str, trust: str, language: str, industry: str = "") -> list:
    """Up to the stage's number of external cases that really back this client.

    A case is used only when it supports at least one requirement and scores at
    least CASE_MIN_SHARE of the best match (half that for a case of the client's
    own industry): fewer good cases beat padding to a count. Same-industry cases
    come first, then cases in the client's language, each group in the
    casebook's ranking.
    """
    count = CASE_COUNTS[stage][trust]
    relevant = [m for m in matches if m.score > 0 and m.case.external and m.supports]
    if not relevant:
        return []
    best = max(m.score for m in relevant)
    good = [m for m in relevant
            if m.score >= CASE_MIN_SHARE * best * (0.5 if m.case.industry == industry else 1.0)]
    good.sort(key=lambda m: (m.case.industry != industry, m.case.language != language))  # stable
    return good[:count]


def selected_section_ids(selection) -> list[str]:
    """The ids of every section a draft selection uses, in the order of the draft."""
    ids = [s.id for c in selection.categories for s in (*c.sections, *c.referenced)]
    ids += [s.id for s in (selection.company, selection.credentials, *selection.general.values()) if s is not None]
    return list(dict.fromkeys(ids))
