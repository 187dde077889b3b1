"""Benchmark: how fast the `docgen` command starts (issue 8).

    python bench/startup.py [--runs 5] [--docgen PATH] [--pythonpath DIR]

Times whole processes, median of --runs, each command paired in the same run
with `python -c "import click"` (the floor any click CLI pays):
  docgen --help
  docgen review roles
  docgen cases search 双活 --top 3     (warm: one unmeasured run builds the index cache first)
and prints each median with its ratio to the click floor.
Targets: `docgen --help` <= 3x, `review roles` <= 5x.

--pythonpath puts another checkout first on the path (e.g. an older commit in a
git worktree) so before/after figures come from one machine and one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = [
    ("docgen --help", ["--help"], 3.0),
    ("docgen review roles", ["review", "roles"], 5.0),
    ("docgen cases search 双活 --top 3", ["cases", "search", "双活", "--top", "3"], None),
]


def wall(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def paired(argv: list[str], floor: list[str], runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median seconds of argv and of floor, run in turn so drift hits both alike."""
    times, floors = [], []
    for _ in range(runs):
        times.append(wall(argv, env))
        floors.append(wall(floor, env))
    return statistics.median(times), statistics.median(floors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--docgen", default=str(Path(sys.executable).with_name("docgen")),
                        help="the console script to time (default: beside this Python)")
    parser.add_argument("--pythonpath", default=None, help="a checkout to import docgen from instead")
    args = parser.parse_args()

    env = dict(os.environ)
    if args.pythonpath:
        env["PYTHONPATH"] = args.pythonpath
    floor = [sys.executable, "-c", "import click"]
    load = os.getloadavg()
    print(f"startup, median of {args.runs} runs; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"  {'command':36} {'median':>8} {'click':>8} {'ratio':>7}  target")
    failed = False
    for label, extra, target in COMMANDS:
        argv = [args.docgen, *extra]
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm
        median, floor_median = paired(argv, floor, args.runs, env)
        ratio = median / floor_median
        verdict = "" if target is None else f"<= {target:g}x " + ("ok" if ratio <= target else "MISSED")
        failed |= target is not None and ratio > target
        print(f"  {label:36} {median * 1000:6.0f}ms {floor_median * 1000:6.0f}ms {ratio:6.1f}x  {verdict}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
