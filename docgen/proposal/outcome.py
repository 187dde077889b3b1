"""`proposal outcome`: record whether a released proposal won, with what was in it.

The cases, answers and sections come from the released copy's own record
(the docgen.* properties `proposal release` writes), never typed again; the
client, project and industry from the requirements file, which must be the
same client's. Recording the same client project again (pending → won)
replaces its row in the store (docgen.casebook.outcomes).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from docgen.casebook.outcomes import RESULTS, Outcome, connect, find, record
from docgen.core.docprops import read_stamp
from docgen.core.errors import InputError


def parse_value(text: str | None) -> float | None:
    """An amount as typed: 1200000, 1,200,000, 120万 (×10,000), 1.2亿 (×100,000,000)."""
    if text is None or not str(text).strip():
        return None
    raw = str(text).strip().replace(",", "").replace(",", "")
    match = re.fullmatch(r"(?:[¥$€]|RMB|CNY)?\s*(\d+(?:\.\d+)?)\s*(万|亿|元)?", raw, flags=re.IGNORECASE)
    if not match:
        raise InputError(f"--value: expected an amount like 1200000, 1,200,000 or 120万, got {text!r}")
    return float(match.group(1)) * {"万": 1e4, "亿": 1e8}.get(match.group(2) or "", 1)


def record_outcome(requirements_file, store: Path, *, result: str, final=None, reason: str = "",
                   competitor: str = "", value: float | None = None, decided: dt.date | None = None) -> Outcome:
    """Write the outcome into the store at `store`; returns what was recorded."""
    from docgen.intake.requirements import load_requirements

    if result not in RESULTS:
        raise InputError(f"--result: expected one of {', '.join(RESULTS)}, got {result!r}")
    req = load_requirements(requirements_file)
    client, project = req.client.name, req.client.project_name or ""
    with connect(store, create=True) as db:
        previous = find(db, client, project)
        if final is not None:
            released = _released(final, client)
        elif previous is not None:
            released = {"stage": previous.stage, "version": previous.version, "owner": previous.owner,
                        "reviewed": previous.released, "cases": ",".join(previous.cases),
                        "answers": ",".join(previous.answers), "sections": ",".join(previous.sections),
                        "requirements_digest": previous.requirements_digest}
        else:
            raise InputError(f"{requirements_file}: no released proposal of {client} recorded yet; pass "
                             "--final FINAL.docx (the client copy `docgen proposal release` wrote)")
        outcome = Outcome(
            client=client, project=project, industry=req.client.industry, result=result,
            decided=decided or dt.date.today(), stage=released.get("stage", ""),
            version=released.get("version", ""), owner=released.get("owner", "") or req.client.presales_owner,
            released=released.get("reviewed", ""),
            reason=reason or (previous.reason if previous else ""),
            competitor=competitor or (previous.competitor if previous else ""),
            value=value if value is not None else (previous.value if previous else None),
            cases=_ids(released.get("cases", "")), answers=_ids(released.get("answers", "")),
            sections=_ids(released.get("sections", "")), requirements_digest=released.get("requirements_digest", ""))
        record(db, outcome)
    return outcome


def _released(final, client: str) -> dict[str, str]:
    props = read_stamp(final)
    kind = props.get("kind")
    if kind != "final":
        raise InputError(f"{final}: not a released client copy (docgen.kind is {kind or 'missing'}); record the "
                         "outcome of the version that went out (`docgen proposal release` writes it)")
    if props.get("client") != client:
        raise InputError(f"{final}: this proposal is for {props.get('client')}, not {client}")
    return props


def _ids(text: str) -> tuple[str, ...]:
    return tuple(i for i in text.split(",") if i)
