"""Response-library benchmark (issue 14): answers on the casebook's engine beside the previous implementation.

    .venv/bin/python bench/answers.py [--answers 2000] [--runs 3] [--queries 200]

A generated library (--answers files varied from the bundled ones, in a
company templates folder over the bundled library) is measured, each figure
the median of --runs runs in fresh processes with a cache of their own:
  cold open (read and validate every answer, tokenise, write the engine),
  warm open (nothing changed), update after editing one answer (the library
  is validated again; only that answer is re-tokenised), warm match latency
  p50/p95 over --queries requirements (the judged and unanswerable ones of
  tests/proposal/test_answer_match.py, repeated, after one untimed pass over
  them as a second build of a client would), peak RSS.
The previous implementation (the pickled BM25F index, docgen at PREVIOUS,
extracted with `git archive`) is measured in the same run the same way, and
the top answers of both compared. The load average is printed before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.proposal.test_answer_match import JUDGED, UNANSWERABLE  # noqa: E402

PREVIOUS = "fa45215"  # the last commit with the pickled BM25F answer index

PHASE = r'''
import json, os, resource, sys, time
from pathlib import Path
sys.path.insert(0, os.environ["BENCH_TREE"])
from docgen.proposal.answer_cache import open_library
from docgen.proposal.answer_match import match_answers
from docgen.proposal.answers import library_folders
from docgen.core.config import load_settings
from docgen.intake.models import Requirement
from tests.proposal.test_answer_match import JUDGED, UNANSWERABLE
phase, queries = sys.argv[1], int(sys.argv[2])
folders = library_folders(load_settings(os.environ["BENCH_CONFIG"]))
out = {}
start = time.perf_counter()
library = open_library(folders)
out["seconds"] = time.perf_counter() - start
if phase == "query":
    reqs = [(lang, Requirement(id="R", text=text, category=cat, tags=tags)) for lang, cat, tags, text, *_ in
            (*JUDGED, *UNANSWERABLE)]
    for lang, req in reqs:  # warm: each requirement's jieba words are remembered after its first build
        match_answers(req, library, language=lang, top=1)
    latencies, top = [], []
    for n in range(queries):
        lang, req = reqs[n % len(reqs)]
        t = time.perf_counter()
        found = match_answers(req, library, language=lang, top=1)
        latencies.append((time.perf_counter() - t) * 1000)
        top.append(found[0].entry.id if found else None)
    latencies.sort()
    out.update(p50=latencies[len(latencies) // 2],
               p95=latencies[int(0.95 * len(latencies)) - 1], top=top[:len(reqs)])
out["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
'''


def generate(folder: Path, count: int) -> Path:
    """A company templates folder with `count` answers varied from the bundled ones; its docgen.toml."""
    answers = folder / "templates" / "proposal" / "answers"
    answers.mkdir(parents=True)
    seeds = sorted((ROOT / "templates" / "proposal" / "answers").glob("*.md"))
    for n in range(count):
        front, body = seeds[n % len(seeds)].read_text(encoding="utf-8").split("\n---\n", 1)
        front = front.replace("\nid: ", f"\nid: gen{n:04d}-", 1)
        (answers / f"gen{n:04d}.md").write_text(f"{front}\n---\n{body}\n\n(第 {n} 版)\n", encoding="utf-8")
    config = folder / "docgen.toml"
    config.write_text('[docgen]\ntemplates = "templates"\n', encoding="utf-8")
    return config


def run(tree: Path, phase: str, env: dict, queries: int) -> dict:
    result = subprocess.run([sys.executable, "-c", PHASE, phase, str(queries)], capture_output=True, text=True,
                            env={**env, "BENCH_TREE": str(tree)}, cwd=tree)
    if result.returncode != 0:
        sys.exit(f"{phase} failed in {tree}: {result.stderr.strip()[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(name: str, tree: Path, config: Path, work: Path, args) -> list:
    edited = sorted((config.parent / "templates" / "proposal" / "answers").glob("*.md"))[0]
    original = edited.read_text(encoding="utf-8")
    cold, warm, update, query = [], [], [], []
    for n in range(args.runs):
        env = {**os.environ, "XDG_CACHE_HOME": str(work / f"cache-{name}-{n}"), "BENCH_CONFIG": str(config)}
        cold.append(run(tree, "open", env, 0))
        warm.append(run(tree, "open", env, 0))
        edited.write_text(original.replace("(第 0 版)", f"(第 0 版,改 {n})"), encoding="utf-8")
        update.append(run(tree, "open", env, 0))
        query.append(run(tree, "query", env, args.queries))
    edited.write_text(original, encoding="utf-8")
    med = statistics.median
    print(f"{name}:")
    print(f"  cold open: {med([c['seconds'] for c in cold]):.2f} s, peak RSS {med([c['rss_mib'] for c in cold]):.0f} MiB")
    print(f"  warm open: {1000 * med([w['seconds'] for w in warm]):.0f} ms")
    print(f"  after editing one answer: {med([u['seconds'] for u in update]):.2f} s")
    print(f"  warm match over {args.queries} requirements: p50 {med([q['p50'] for q in query]):.2f} ms, "
          f"p95 {med([q['p95'] for q in query]):.2f} ms; peak RSS {med([q['rss_mib'] for q in query]):.0f} MiB")
    return query[0]["top"]


def _seed(answer_id: str | None) -> str | None:
    """gen0042-backup-cdp-zh -> backup-cdp-zh: the bundled answer a generated one copies."""
    return answer_id.split("-", 1)[1] if answer_id and answer_id.startswith("gen") else answer_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-answers-") as tmp:
        work = Path(tmp)
        config = generate(work / "company", args.answers)
        previous = work / "previous"
        previous.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", PREVIOUS], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(previous)], input=archive.stdout, check=True)
        print(f"{args.answers} answers (+ the bundled library), {args.runs} runs each, median")
        print(f"load average before: {Path('/proc/loadavg').read_text().strip()}")
        now = measure("engine (tantivy, this tree)", ROOT, config, work, args)
        before = measure(f"previous (pickled BM25F, {PREVIOUS})", previous, config, work, args)
        same = sum(_seed(a) == _seed(b) for a, b in zip(now, before))
        print(f"same top answer (or both unanswered) for {same} of {len(now)} judged/unanswerable requirements "
              "(a generated copy counts as its bundled answer: copies tie)")
        reqs = [text for *_, text, _ in JUDGED] + [text for *_, text in UNANSWERABLE]
        for text, a, b in zip(reqs, now, before):
            if _seed(a) != _seed(b):
                print(f"  differs: {text[:40]}: engine {a}, previous {b}")
        print(f"load average after: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
