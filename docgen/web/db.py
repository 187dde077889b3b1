"""The workspace database: one SQLite file in the data folder (WAL), schema versioned.

`open_db(data_dir)` creates the folder and the file, runs every migration the
file has not seen yet (in one transaction each, recorded in schema_version),
and returns a Database. Each thread gets its own connection: the event loop,
the request threads and the job watchers never share one.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

DB_NAME = "docgen.sqlite3"

# Append only: a released migration is never edited, a change is a new entry.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'hr', 'presales', 'sales')),
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        created REAL NOT NULL
    );
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        csrf TEXT NOT NULL,
        created REAL NOT NULL,
        expires REAL NOT NULL
    );
    CREATE TABLE login_failures (
        key TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE INDEX login_failures_key ON login_failures(key, at);
    CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        area TEXT NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users(id),
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
        done INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL DEFAULT 0,
        params TEXT NOT NULL,
        problems TEXT NOT NULL DEFAULT '[]',
        message TEXT NOT NULL DEFAULT '',
        warnings TEXT NOT NULL DEFAULT '[]',
        created REAL NOT NULL,
        started REAL,
        finished REAL
    );
    CREATE INDEX jobs_area ON jobs(area, created);
    CREATE TABLE files (
        id TEXT PRIMARY KEY,
        job_id TEXT REFERENCES jobs(id),
        area TEXT NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users(id),
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        created REAL NOT NULL
    );
    CREATE INDEX files_job ON files(job_id);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        user TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT ''
    );
    """,
]


class Database:
    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()

    def connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=10000")
            self._local.conn = conn
        return conn

    def execute(self, sql: str, params=()) -> sqlite3.Cursor:
        return self.connect().execute(sql, params)

    def one(self, sql: str, params=()) -> sqlite3.Row | None:
        return self.connect().execute(sql, params).fetchone()

    def all(self, sql: str, params=()) -> list[sqlite3.Row]:
        return self.connect().execute(sql, params).fetchall()

    def version(self) -> int:
        return self.one("SELECT MAX(version) AS v FROM schema_version")["v"] or 0


def open_db(data_dir: str | Path) -> Database:
    """The data folder's database, migrated to the current schema."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(data_dir / DB_NAME)
    migrate(db)
    return db


def migrate(db: Database) -> int:
    """Run the migrations this file has not seen; returns the schema version."""
    conn = db.connect()
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied REAL NOT NULL)")
    for number, script in enumerate(MIGRATIONS, start=1):
        if number <= db.version():
            continue
        # One transaction per migration; the version is read again inside it, so a second
        # process starting at the same moment (serve and `users add`) waits and then skips.
        conn.execute("BEGIN IMMEDIATE")
        try:
            if number > db.version():
                for statement in filter(str.strip, script.split(";")):
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_version VALUES (?, ?)", (number, time.time()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return db.version()
