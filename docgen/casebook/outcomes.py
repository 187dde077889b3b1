"""The outcomes store: which proposals went out, with which cases and answers, and whether they won.

One SQLite file (`outcomes.sqlite3` in the data folder: the web workspace's
when it is used, else `--data` or `[docgen] data` in docgen.toml, else
./docgen-data). `proposal outcome` writes it, `cases stats`, `cases match`
and `cases lint` read it. A proposal is one client project: recording it
again (pending, then won) replaces its row. Cases go into a table of their
own so the statistics are a few indexed GROUP BYs, not a scan of text.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from docgen.core.errors import InputError, OutputError

FILE_NAME = "outcomes.sqlite3"
RESULTS = ("won", "lost", "no-bid", "pending")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS proposals (
    id INTEGER PRIMARY KEY,
    client TEXT NOT NULL,
    project TEXT NOT NULL DEFAULT '',
    industry TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL DEFAULT '',
    version TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    released TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    competitor TEXT NOT NULL DEFAULT '',
    value REAL,
    decided TEXT NOT NULL,
    answers TEXT NOT NULL DEFAULT '',
    sections TEXT NOT NULL DEFAULT '',
    requirements_digest TEXT NOT NULL DEFAULT '',
    UNIQUE (client, project)
);
CREATE TABLE IF NOT EXISTS proposal_cases (
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    case_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS proposal_cases_case ON proposal_cases (case_id);
CREATE INDEX IF NOT EXISTS proposal_cases_proposal ON proposal_cases (proposal_id);
"""


@dataclass(frozen=True)
class Outcome:
    client: str
    result: str  # one of RESULTS
    decided: dt.date
    project: str = ""
    industry: str = ""
    stage: str = ""
    version: str = ""
    owner: str = ""
    released: str = ""  # ISO date of the release
    reason: str = ""
    competitor: str = ""
    value: float | None = None
    cases: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    requirements_digest: str = ""


DEFAULT_DATA = "docgen-data"  # the same default folder as `docgen serve --data`


def store_path(data_dir: str | Path | None = None, settings=None) -> Path:
    """The store in `data_dir` (--data), else in docgen.toml's [docgen] data, else in ./docgen-data."""
    folder = data_dir or (settings.data_dir if settings is not None else None) or DEFAULT_DATA
    return Path(folder) / FILE_NAME


@contextmanager
def connect(path: str | Path, *, create: bool = False) -> Iterator[sqlite3.Connection]:
    """The store at `path`; without `create`, a missing file is an input error naming it."""
    path = Path(path)
    if not create and not path.is_file():
        raise InputError(f"{path}: no outcomes recorded yet (record one with `docgen proposal outcome`)")
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=10)
        connection.execute("PRAGMA foreign_keys = ON")
        connection.executescript(_SCHEMA)
    except sqlite3.Error as exc:
        raise OutputError(f"{path}: cannot open the outcomes store ({exc})") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot create the outcomes store ({exc.strerror})") from None
    try:
        with connection:  # one transaction: all or nothing
            yield connection
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{path}: not a readable outcomes store ({exc})") from None
    finally:
        connection.close()


def record(connection: sqlite3.Connection, outcome: Outcome) -> int:
    """Insert or replace the proposal's row and its cases; returns its id."""
    if outcome.result not in RESULTS:
        raise InputError(f"--result: expected one of {', '.join(RESULTS)}, got {outcome.result!r}")
    connection.execute("DELETE FROM proposals WHERE client = ? AND project = ?", (outcome.client, outcome.project))
    cursor = connection.execute(
        "INSERT INTO proposals (client, project, industry, stage, version, owner, released, result, reason,"
        " competitor, value, decided, answers, sections, requirements_digest)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (outcome.client, outcome.project, outcome.industry, outcome.stage, outcome.version, outcome.owner,
         outcome.released, outcome.result, outcome.reason, outcome.competitor, outcome.value,
         outcome.decided.isoformat(), ",".join(outcome.answers), ",".join(outcome.sections),
         outcome.requirements_digest))
    proposal_id = cursor.lastrowid
    connection.executemany("INSERT INTO proposal_cases (proposal_id, case_id) VALUES (?, ?)",
                           [(proposal_id, case) for case in dict.fromkeys(outcome.cases)])
    return proposal_id


def record_many(connection: sqlite3.Connection, outcomes: Iterable[Outcome]) -> None:
    for outcome in outcomes:
        record(connection, outcome)


def find(connection: sqlite3.Connection, client: str, project: str = "") -> Outcome | None:
    """The recorded proposal of this client project, or None."""
    row = connection.execute(
        "SELECT id, client, result, decided, project, industry, stage, version, owner, released, reason, competitor,"
        " value, answers, sections, requirements_digest FROM proposals WHERE client = ? AND project = ?",
        (client, project)).fetchone()
    if row is None:
        return None
    cases = tuple(c for (c,) in connection.execute(
        "SELECT case_id FROM proposal_cases WHERE proposal_id = ? ORDER BY rowid", (row[0],)))
    return Outcome(row[1], row[2], dt.date.fromisoformat(row[3]), *row[4:12], value=row[12],
                   cases=cases, answers=_ids(row[13]), sections=_ids(row[14]), requirements_digest=row[15])


def _ids(text: str) -> tuple[str, ...]:
    return tuple(i for i in text.split(",") if i)
