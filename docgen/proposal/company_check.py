"""`docgen company check`: everything wrong with the company knowledge, at once.

Errors: any problem in team.yaml, the credentials, the price book or
service.yaml, and any section `bom:` item that names a code the price book
lacks. Warnings: unknown fields, cases in team.yaml the casebook does not
have, half-width punctuation in the Chinese text of sections and company files. Expired certificates (the company's and people's) are listed apart:
drafts never print them, and the command exits 1 while there are any.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from docgen.core import zhpunct
from docgen.core.config import Settings, bundled_path
from docgen.core.errors import InputError, Problem, Problems
from docgen.proposal.bom import library_bom
from docgen.proposal.company import Company, Expiry, expired, read_company


@dataclass(frozen=True)
class CompanyReport:
    company: Company
    warnings: tuple[Problem, ...]
    expired: tuple[Expiry, ...]


def check_company(settings: Settings | None, today: dt.date, casebook: str | Path | None = None) -> CompanyReport:
    """Validate the four parts and the sections' bills of materials; InputError with every error found."""
    from docgen.casebook.cases import load_casebook
    from docgen.proposal.sections import library_folders, load_sections

    problems = Problems()
    company = read_company(settings, problems)
    try:
        sections = load_sections(*library_folders(settings))
        library_bom(sections, company.pricebook, problems)
        problems.items += [warning for section in sections if section.path
                           for warning in zhpunct.warnings(section.path, section.id)]
    except InputError as exc:
        problems.items.extend(exc.problems)
    problems.items += _punctuation(company)
    folder = Path(casebook) if casebook else bundled_path("casebook")
    try:
        known = {case.id for case in load_casebook(folder)}
    except InputError:
        known = None  # `docgen cases lint` reports a broken casebook; here it only names cases
    if known is not None:
        for person in company.team:
            for case in person.cases:
                if case not in known:
                    problems.warn(person.where.with_(field="cases"),
                                  f"{person.name}: case {case!r} is not in the casebook {folder}")
    problems.raise_if_any()
    return CompanyReport(company, tuple(problems.warnings), tuple(expired(company, today)))


def _punctuation(company: Company) -> list[Problem]:
    """Half-width punctuation in the Chinese text of the company's files (warnings)."""
    found = []
    for source in company.sources.values():
        path = Path(source)
        for file in sorted(path.glob("*.yaml")) if path.is_dir() else [path]:
            found += zhpunct.warnings(file)
    return found


def format_report(report: CompanyReport) -> str:
    """What `company check` prints: warnings, expired certificates, or OK with the counts."""
    company = report.company
    lines = [f"warning: {problem}" for problem in report.warnings]
    for item in report.expired:
        holder = f"{item.holder}: " if item.holder else ""
        lines.append(f"EXPIRED {holder}{item.name} ({item.number}) on {item.valid_until.isoformat()} — {item.where}; "
                     "renew it or remove it (drafts leave it out)")
    if not report.expired:
        lines.append(f"OK: {len(company.team)} people, {len(company.credentials)} credentials, "
                     f"{len(company.pricebook.items)} price book items, {len(company.service.levels)} service levels")
    if company.bundled:
        lines.append(f"note: {', '.join(company.bundled)} are docgen's fictional examples; put your own in "
                     "<your templates>/company/ (docs/company.md)")
    return "\n".join(lines)
