"""Run docgen the way an attacker's file would meet it: a fresh process, a time limit, a memory cap.

    result = run_docgen("requirements", "check", str(bomb), cwd=tmp_path)
    assert_refused(result)            # exit 2, one-line message, no traceback, in time

Every hostile test goes through here so the limits are the same for all.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

TIME_LIMIT = 10.0  # seconds
MEMORY_LIMIT = 1 << 30  # 1 GiB of address space beyond the interpreter's start


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_kib: int  # the child's maximum resident set (the kernel's accounting)


def _cap_memory() -> None:
    # RLIMIT_AS counts address space; Python plus LibreOffice-free docgen needs ~250 MB of it.
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT + (256 << 20),) * 2)


def run_docgen(*args: str, cwd: str | Path, timeout: float = TIME_LIMIT, env: dict | None = None,
               stdin: str | None = None) -> Run:
    """`python -m docgen ARGS` in cwd; a run over `timeout` seconds is killed and reported as such."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "docgen", *args], cwd=cwd, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_cap_memory,
                               env={**os.environ, **(env or {})})
    output: dict[str, bytes] = {}
    readers = [threading.Thread(target=lambda name=name, stream=stream: output.__setitem__(name, stream.read()))
               for name, stream in (("out", process.stdout), ("err", process.stderr))]
    for reader in readers:
        reader.start()
    process.stdin.write((stdin or "").encode())
    process.stdin.close()
    deadline = start + timeout
    while True:  # reap with wait4 ourselves: it returns this child's own peak memory
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            raise AssertionError(f"docgen {' '.join(args)} took more than {timeout} s")
        time.sleep(0.01)
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    decode = lambda data: data.decode("utf-8", "replace")  # noqa: E731
    run = Run(process.returncode, decode(output["out"]), decode(output["err"]),
              time.perf_counter() - start, usage.ru_maxrss)
    _log(args, run)
    return run


def _log(args, run: Run) -> None:
    """bench/hostile.py sets DOCGEN_HOSTILE_LOG to collect each run's time and peak memory."""
    log = os.environ.get("DOCGEN_HOSTILE_LOG")
    if log:
        case = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0]
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"case": case, "args": [str(a)[:60] for a in args[:3]],
                                     "seconds": run.seconds, "peak_kib": run.peak_kib,
                                     "exit": run.returncode}) + "\n")




def assert_refused(run: Run, code: int = 2, *, says: str | None = None) -> None:
    """Exit `code`, a message on stderr (naming `says` when given), no traceback."""
    output = run.stdout + run.stderr
    assert "Traceback" not in output, output[-3000:]
    assert run.returncode == code, f"exit {run.returncode}, expected {code}: {output[-2000:]}"
    assert run.stderr.strip(), "no message on stderr"
    if says is not None:
        assert says in output, f"{says!r} not in: {output[-2000:]}"


def files_under(folder: str | Path) -> set[str]:
    """Every file below folder, relative (to compare before/after a refused run)."""
    root = Path(folder)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() or p.is_symlink()}
