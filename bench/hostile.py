"""Benchmark: the hostile suite — how fast and how small each attack is refused (issue 9).

    python bench/hostile.py [-- PYTEST_ARGS]

Runs tests/hostile (every attack through the CLI in a fresh process, 10 s and
1 GiB caps) with DOCGEN_HOSTILE_LOG set, then prints per test case the slowest
run and the largest peak resident memory, and the maxima over the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    extra = sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "runs.jsonl"
        env = {**os.environ, "DOCGEN_HOSTILE_LOG": str(log)}
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/hostile", *extra],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        summary = done.stdout.strip().splitlines()[-1:] or ["(no pytest output)"]
        runs = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
    by_case: dict[str, list[dict]] = defaultdict(list)
    for run in runs:
        by_case[run["case"].split("::", 1)[-1]].append(run)
    load = os.getloadavg()
    print(f"hostile suite: {summary[0]}; {len(runs)} docgen runs in {len(by_case)} cases; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"  {'case':70} {'runs':>4} {'max s':>7} {'max MiB':>8}")
    for case, items in sorted(by_case.items()):
        print(f"  {case[:70]:70} {len(items):4d} {max(r['seconds'] for r in items):7.2f} "
              f"{max(r['peak_kib'] for r in items) / 1024:8.0f}")
    if runs:
        print(f"  {'max over the suite':70} {len(runs):4d} {max(r['seconds'] for r in runs):7.2f} "
              f"{max(r['peak_kib'] for r in runs) / 1024:8.0f}")
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
