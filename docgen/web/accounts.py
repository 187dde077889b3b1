"""Users, passwords (argon2), sessions, the login throttle and the audit log.

A session cookie holds a random token; the database keeps only its SHA-256,
with the session's CSRF token and expiry. Five failed logins for one user name
or from one address within THROTTLE_WINDOW refuse further attempts for that
name or address until the window has passed.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from docgen.core.errors import InputError, Location
from docgen.web.db import Database

ROLES = ("admin", "hr", "presales", "sales")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
NAME = re.compile(r"^[\w.@-]{1,64}$")
SESSION_SECONDS = 12 * 3600
THROTTLE_FAILURES = 5
THROTTLE_WINDOW = 15 * 60


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    disabled: bool = False

    def may(self, *roles: str) -> bool:
        return self.role == "admin" or self.role in roles


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str


# Each argon2 check takes 19 MiB, and glibc keeps it in the arena of the thread that ran it: 40
# sign-ins at once over the server's 40 request threads made its peak memory ~450 MB. Checks run
# on one thread per core instead (more at once would not finish any sooner).
_HASHING = ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1), thread_name_prefix="docgen-argon2")


def _hasher():
    from argon2 import PasswordHasher

    # argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): argon2-cffi's default
    # (64 MiB, 4 lanes) made 20 people signing in at once take 15 s and 1.3 GB on a 2-core server.
    return PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def check_new_user(name: str, role: str, password: str) -> None:
    problems = []
    if not NAME.match(name or ""):
        problems.append(("name", "user name: 1 to 64 letters, digits, '.', '_', '-' or '@', no spaces"))
    if role not in ROLES:
        problems.append(("role", f"role {role!r}: expected one of {', '.join(ROLES)}"))
    if not MIN_PASSWORD <= len(password or "") <= MAX_PASSWORD:
        problems.append(("password", f"password: at least {MIN_PASSWORD} characters"))
    if problems:
        from docgen.core.errors import Problem

        raise InputError([Problem(Location(field=f), m) for f, m in problems])


def add_user(db: Database, name: str, role: str, password: str) -> User:
    """A new account; InputError when the name is taken or the password too short."""
    check_new_user(name, role, password)
    if db.one("SELECT 1 FROM users WHERE name = ?", (name,)):
        raise InputError(f"user {name!r} already exists", where=Location(field="name"))
    cursor = db.execute("INSERT INTO users (name, role, password_hash, created) VALUES (?, ?, ?, ?)",
                        (name, role, _hasher().hash(password), time.time()))
    return User(cursor.lastrowid, name, role)


def list_users(db: Database) -> list[User]:
    return [User(r["id"], r["name"], r["role"], bool(r["disabled"]))
            for r in db.all("SELECT * FROM users ORDER BY name")]


def set_disabled(db: Database, name: str, disabled: bool = True) -> User:
    row = db.one("SELECT * FROM users WHERE name = ?", (name,))
    if row is None:
        raise InputError(f"no user {name!r}", where=Location(field="name"))
    db.execute("UPDATE users SET disabled = ? WHERE id = ?", (int(disabled), row["id"]))
    if disabled:
        db.execute("DELETE FROM sessions WHERE user_id = ?", (row["id"],))
    return User(row["id"], row["name"], row["role"], disabled)


def has_admin(db: Database) -> bool:
    return db.one("SELECT 1 FROM users WHERE role = 'admin' AND disabled = 0") is not None


# --- login ---------------------------------------------------------------------------------

def throttled(db: Database, name: str, address: str) -> bool:
    since = time.time() - THROTTLE_WINDOW
    for key in (f"user:{name}", f"addr:{address}"):
        count = db.one("SELECT COUNT(*) AS n FROM login_failures WHERE key = ? AND at > ?", (key, since))["n"]
        if count >= THROTTLE_FAILURES:
            return True
    return False


def authenticate(db: Database, name: str, password: str, address: str) -> User | None:
    """The user when name and password match an enabled account; records a failure otherwise."""
    from argon2.exceptions import InvalidHashError, VerificationError

    row = db.one("SELECT * FROM users WHERE name = ?", (name,))
    hasher = _hasher()
    ok = False
    # An unknown name costs one hash too, so the answer's timing does not tell which names exist.
    stored = row["password_hash"] if row is not None else _dummy_hash()
    if len(password) <= MAX_PASSWORD:
        try:
            ok = _HASHING.submit(hasher.verify, stored, password).result() and row is not None \
                and not row["disabled"]
        except (VerificationError, InvalidHashError):
            ok = False
    if not ok:
        now = time.time()
        db.execute("INSERT INTO login_failures VALUES (?, ?), (?, ?)", (f"user:{name}", now, f"addr:{address}", now))
        db.execute("DELETE FROM login_failures WHERE at < ?", (now - THROTTLE_WINDOW,))
        return None
    db.execute("DELETE FROM login_failures WHERE key = ?", (f"user:{name}",))
    if hasher.check_needs_rehash(row["password_hash"]):
        db.execute("UPDATE users SET password_hash = ? WHERE id = ?", (hasher.hash(password), row["id"]))
    return User(row["id"], row["name"], row["role"])


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(_hasher().hash(secrets.token_urlsafe(16)))
    return _DUMMY[0]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(db: Database, user: User) -> tuple[str, str]:
    """(cookie token, csrf token) of a new session."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = time.time()
    db.execute("DELETE FROM sessions WHERE expires < ?", (now,))
    db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)", (_digest(token), user.id, csrf, now, now + SESSION_SECONDS))
    return token, csrf


def find_session(db: Database, token: str | None) -> Session | None:
    if not token or len(token) > 200:
        return None
    row = db.one("SELECT s.csrf, s.expires, u.id, u.name, u.role, u.disabled FROM sessions s "
                 "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?", (_digest(token),))
    if row is None or row["expires"] < time.time() or row["disabled"]:
        return None
    return Session(User(row["id"], row["name"], row["role"]), row["csrf"])


def end_session(db: Database, token: str | None) -> None:
    if token:
        db.execute("DELETE FROM sessions WHERE token_hash = ?", (_digest(token),))


# --- audit ---------------------------------------------------------------------------------

def audit(db: Database, user: str, action: str, detail: str = "", address: str = "") -> None:
    db.execute("INSERT INTO audit (at, user, action, detail, address) VALUES (?, ?, ?, ?, ?)",
               (time.time(), user, action, detail[:500], address))


def audit_log(db: Database, limit: int = 200) -> list[dict]:
    return [dict(r) for r in db.all("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,))]
