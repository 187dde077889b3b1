"""项目组织与人员: who from team.yaml fills each role of the project.

Rules, in order:
- The client's presales owner is the single point of contact: the first
  assignment is always `presales_owner`, filled by the owner (from the team
  when listed there, else by name alone), whether or not roles_needed names it.
- Each other role goes to someone who lists it. Among them: people who speak
  the client's language first (when a language is given), then people below
  MAX_ROLES roles, then those who delivered the most of the cases this
  proposal cites, then the least loaded, the most valid certificates, the
  most years, and the name — so the same input always gives the same team.
- Roles few people can fill are staffed first, so a specialist is not used up
  on a role others could fill. A role named twice gets two different people.
- A role nobody fits gets person None: the draft prints 【待指定】 / [TO ASSIGN]
  and `proposal check` reports it.
- Only certificates valid on `today` are listed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from docgen.proposal.company import Certificate, Person

OWNER_ROLE = "presales_owner"
MAX_ROLES = 2  # per person, unless nobody else can fill a role
PLACEHOLDER = {"zh": "【待指定】", "en": "[TO ASSIGN]"}


@dataclass(frozen=True)
class Assignment:
    role: str
    person: Person | None  # None: nobody in team.yaml fits; a placeholder in the draft
    certificates: tuple[Certificate, ...] = ()


def staff(roles_needed: list[str], team: Iterable[Person], case_ids_used: Iterable[str], owner_name: str, *,
          today: dt.date | None = None, language: str | None = None) -> list[Assignment]:
    """One assignment per role needed (the presales owner first), in the order of roles_needed."""
    today = today or dt.date.today()
    team = list(team)
    cases = set(case_ids_used)
    owner = next((p for p in team if p.is_named(owner_name)), None) or Person(
        name=owner_name, title="", roles=(OWNER_ROLE,), years=0)
    roles = [role for role in roles_needed if role != OWNER_ROLE]
    load: Counter[str] = Counter({owner.name: 1})
    chosen: dict[int, Person | None] = {}
    taken: dict[str, set[str]] = {}  # role -> names already given that role
    # Scarce roles first; ties in the order given.
    order = sorted(range(len(roles)), key=lambda i: (sum(roles[i] in p.roles for p in team), i))
    for index in order:
        role = roles[index]
        candidates = [p for p in team if role in p.roles and p.name not in taken.get(role, set())]
        if not candidates:
            chosen[index] = None
            continue
        best = min(candidates, key=lambda p: (
            language is not None and language not in p.languages,
            load[p.name] >= MAX_ROLES,
            -len(cases & set(p.cases)),
            load[p.name],
            -sum(c.valid_on(today) for c in p.certificates),
            -p.years,
            p.name,
        ))
        chosen[index] = best
        load[best.name] += 1
        taken.setdefault(role, set()).add(best.name)
    assignments = [_assignment(OWNER_ROLE, owner, today)]
    assignments += [_assignment(role, chosen[index], today) for index, role in enumerate(roles)]
    return assignments


def _assignment(role: str, person: Person | None, today: dt.date) -> Assignment:
    if person is None:
        return Assignment(role, None)
    return Assignment(role, person, tuple(c for c in person.certificates if c.valid_on(today)))


def unfilled(assignments: Iterable[Assignment]) -> list[str]:
    """The roles nobody fits (for `proposal check` and the brief)."""
    return [a.role for a in assignments if a.person is None]
