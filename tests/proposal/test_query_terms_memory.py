"""A client built again does not load the segmenter (rjieba): its requirement texts' words are remembered on disk, same results."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from docgen.core.config import bundled_path

BANK = bundled_path("requirements_forms") / "example-bank-zh.yaml"
CODE = (
    "import sys, json\n"
    "from docgen.proposal.build import prepare\n"
    f"p = prepare({str(BANK)!r})\n"
    "print(json.dumps({'jieba': 'rjieba' in sys.modules,"
    " 'answers': {k: (v.id if v else None) for k, v in p.responses.items()}}))\n"
)


def run(cache) -> dict:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_second_build_needs_no_jieba_and_matches_the_same(tmp_path):
    first, second = run(tmp_path), run(tmp_path)
    assert first["jieba"] and not second["jieba"]
    assert first["answers"] == second["answers"] and first["answers"]["R2"]
    memory = tmp_path / "docgen" / "answer-query-terms.json"
    assert json.loads(memory.read_text(encoding="utf-8"))
    memory.write_text("{not json", encoding="utf-8")  # a damaged memory is forgotten, not fatal
    assert run(tmp_path)["answers"] == first["answers"]
