"""Who writes which module: modules of the draft shared among writers by role and load.

Writers are `--writers` (names; their roles come from company/team.yaml when
they are listed there) or else the team members who write the client's
language (team.yaml `languages`) except the presales owner, who
keeps the client, merges the modules and takes them to review. Each module goes
to a writer with its role (a case to someone who delivered it), the least
loaded first, then in the order given — so the same input gives the same
sheet; nobody gets more than an even share (modules / writers, rounded up),
so a specialist is not handed everything. A module nobody's role fits (or
whose fitting writers are full) goes to the least loaded writer. Without any
writer the owner writes everything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from docgen.proposal.company import Person


def assign(modules, *, team: Iterable[Person] = (), writers: list[str] | None = None, owner: str,
           language: str = "zh") -> dict[str, str]:
    """module id -> writer name."""
    people = _writers(list(team), writers, owner)
    if not writers:  # from the team: only people who write the client's language, when there are any
        people = [p for p in people if language in p.languages] or people
    if not people:
        return {m.id: owner for m in modules}
    load: Counter[str] = Counter()
    chosen: dict[str, str] = {}
    cap = -(-len(modules) // len(people))  # nobody gets more than an even share
    for module in modules:
        free = [p for p in people if load[p.name] < cap]
        if module.role == "case":
            fits = [p for p in free if module.detail in p.cases] or [p for p in free if "solution_architect" in p.roles]
        else:
            fits = [p for p in free if module.role in p.roles]
        fits = fits or free
        speakers = [p for p in fits if language in p.languages]
        best = min(speakers or fits, key=lambda p: (load[p.name], people.index(p)))
        load[best.name] += 1
        chosen[module.id] = best.label(language)
    return chosen


def _writers(team: list[Person], names: list[str] | None, owner: str) -> list[Person]:
    if names:
        return [next((p for p in team if p.is_named(n)), None) or Person(name=n, title="", roles=(), years=0)
                for n in names]
    return [p for p in team if not p.is_named(owner)]
