"""Benchmark: `docgen proposal build --stage detailed`, end to end and by stage.

    .venv/bin/python bench/proposal.py [--cases 2000] [--answers 2000] [--requirements 60]

1. Each bundled example client, from the CLI (a fresh process, as a user runs it).
2. A generated client with 60 requirements against a generated 2,000-case
   casebook, a response library of 2,000 generated answers (a company
   templates folder over the bundled one) and the bundled section library:
   CLI wall time with a cold index (first run, the casebook index is built
   and cached) and warm, then the share of each step measured in-process
   (load, index, match, answers, context, render, write).
Warm figures are the median of 3 runs; the load average is printed.
Targets (issues 5 and 10): <= 2 s for the bundled examples, <= 5 s for 60 req / 2,000 answers / 2,000 cases;
issue 14: <= 1.5 s for that build (its casebook part printed on its own: index open, match_cases).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docgen.casebook.cases import load_casebook  # noqa: E402
from docgen.core.config import bundled_path  # noqa: E402
from docgen.proposal.build import Timings, prepare, render_draft  # noqa: E402

DOCGEN = [sys.executable, "-m", "docgen.cli"] if not (Path(sys.executable).parent / "docgen").exists() \
    else [str(Path(sys.executable).parent / "docgen")]
CATEGORIES = [("灾备", ["disaster-recovery", "active-active"]), ("备份", ["backup", "ransomware"]),
              ("存储", ["storage", "all-flash"]), ("云平台", ["cloud", "xinchuang"]), ("网络", ["network", "sd-wan"]),
              ("安全", ["security", "等保"]), ("数据平台", ["data-platform"]), ("运维", ["operations", "monitoring"]),
              ("服务", ["support"]), ("大型机迁移", ["mainframe"])]
TEXTS = ["建设同城双活数据中心,核心系统 RPO=0", "核心数据库每日全量备份并保留 180 天", "全闪存阵列替换,三年容量增长 40%",
         "非核心业务迁移至信创私有云", "分支机构 SD-WAN 组网,链路冗余", "满足等保 2.0 三级要求并通过测评",
         "建设湖仓一体数据平台,统一数据标准", "统一监控平台,告警推送企业微信", "7×24 小时驻场运维保障",
         "IBM 大型机批处理迁移到开放平台"]


def generate_casebook(folder: Path, count: int, rng: random.Random) -> None:
    seeds = load_casebook(bundled_path("casebook"))
    industries = sorted({c.industry for c in seeds})
    synonyms = bundled_path("casebook") / "synonyms.yaml"
    if synonyms.exists():
        (folder / "synonyms.yaml").write_bytes(synonyms.read_bytes())
    for n in range(count):
        seed = seeds[n % len(seeds)]
        tags = sorted(set(seed.tags) | {rng.choice(CATEGORIES)[1][0]})
        title = json.dumps(f"{seed.title}(第 {n} 号)", ensure_ascii=False)
        front = (f"---\nid: gen-{n:04d}-{seed.id}\ntitle: {title}\n"
                 f"client: {json.dumps(seed.client, ensure_ascii=False)}\n"
                 f"industry: {rng.choice(industries)}\ntags: [{', '.join(tags)}]\nyear: {rng.randint(2016, 2025)}\n"
                 f"language: {seed.language}\nexternal: {'true' if rng.random() < 0.9 else 'false'}\n"
                 f"summary: {json.dumps(seed.summary, ensure_ascii=False)}\nowner: 张伟\nlast_reviewed: 2026-06-01\n---\n")
        (folder / f"gen-{n:04d}.md").write_text(front + seed.body, encoding="utf-8")


def generate_answers(templates: Path, count: int) -> Path:
    """A company templates folder whose proposal/answers holds `count` answers varied from the bundled ones."""
    folder = templates / "proposal" / "answers"
    folder.mkdir(parents=True)
    seeds = sorted((bundled_path("templates") / "proposal" / "answers").glob("*.md"))
    for n in range(count):
        seed = seeds[n % len(seeds)].read_text(encoding="utf-8")
        front, body = seed.split("\n---\n", 1)
        front = front.replace("\nid: ", f"\nid: gen{n:04d}-", 1)
        (folder / f"gen{n:04d}.md").write_text(f"{front}\n---\n{body}\n\n(第 {n} 版)\n", encoding="utf-8")
    config = templates.parent / "docgen.toml"
    config.write_text(f'[docgen]\ntemplates = "{templates.name}"\n', encoding="utf-8")
    return config


def generate_client(path: Path, count: int, rng: random.Random) -> None:
    lines = ["client:", "  name: 基准测试客户", "  industry: finance", "  language: zh", "  trust: low",
             "  presales_owner: 张伟", "  deadline: 2026-12-20", "requirements:"]
    for n in range(1, count + 1):
        k = rng.randrange(len(CATEGORIES))
        category, tags = CATEGORIES[k]
        lines += [f"  - id: R{n}", f"    category: {category}", f"    text: {TEXTS[k]}(第 {n} 项)",
                  f"    priority: {rng.choice(['must', 'should', 'could'])}", f"    tags: [{', '.join(tags)}]"]
    lines += ["competitors:", "  - {name: 某友商, strengths: 价格低, weaknesses: 本地服务弱}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def cli(args: list[str], env: dict) -> float:
    start = time.perf_counter()
    result = subprocess.run(DOCGEN + args, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"docgen failed: {result.stderr.strip()[-2000:]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--requirements", type=int, default=60)
    parser.add_argument("--answers", type=int, default=2000)
    options = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="bench-proposal-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}  # a cold index cache of our own
        load = os.getloadavg()
        print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        print("bundled examples, detailed stage, CLI wall time (first run builds the index cache; then median of 3):")
        for example in sorted(bundled_path("requirements_forms").glob("example-*.yaml")):
            times = [cli(["proposal", "build", str(example), "--stage", "detailed", "-o", str(work / f"{example.stem}.docx"),
                          "--force"], env) for _ in range(4)]
            print(f"  {example.stem:24s} first {times[0]:.2f} s   warm {statistics.median(times[1:]):.2f} s   "
                  "(target <= 2 s; <= 3 s with diagram and Gantt)")
        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]
        bank = bundled_path("requirements_forms") / "example-bank-zh.yaml"
        timings = Timings()
        start = time.perf_counter()
        render_draft(prepare(bank, timings=timings), "detailed", work / "bank-inproc.docx", force=True, timings=timings)
        total = time.perf_counter() - start
        print(f"\nexample-bank-zh in-process breakdown (warm caches), total {total:.2f} s:")
        for name, seconds in timings.seconds.items():
            print(f"  {name:8s} {seconds:6.3f} s  {100 * seconds / total:5.1f} %")

        casebook, client = work / "casebook", work / "client.yaml"
        casebook.mkdir()
        generate_casebook(casebook, options.cases, rng)
        generate_client(client, options.requirements, rng)
        config = generate_answers(work / "company-templates", options.answers)
        args = ["--config", str(config), "proposal", "build", str(client), "--stage", "detailed", "-o",
                str(work / "big.docx"), "--casebook", str(casebook), "--force"]
        cold = cli(args, env)
        warm = statistics.median(cli(args, env) for _ in range(3))
        print(f"\n{options.requirements} requirements / {options.answers} answers / {options.cases} cases, "
              "detailed stage, CLI wall time:")
        print(f"  cold index {cold:.2f} s   warm {warm:.2f} s   (target <= 5 s, issue 10; <= 1.5 s, issue 14)")

        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]
        timings = Timings()
        start = time.perf_counter()
        from docgen.core.config import load_settings

        prepared = prepare(client, casebook=casebook, timings=timings, settings=load_settings(config))
        render_draft(prepared, "detailed", work / "inproc.docx", force=True, timings=timings)
        total = time.perf_counter() - start
        print(f"\nin-process breakdown (warm index), total {total:.2f} s:")
        for name, seconds in timings.seconds.items():
            print(f"  {name:8s} {seconds:6.3f} s  {100 * seconds / total:5.1f} %")
        sel = len(prepared.matches)
        print(f"  ({sel} ranked cases considered, {len(prepared.requirements.requirements)} requirements)")
        steps = []
        for _ in range(3):
            timings = Timings()
            prepare(client, casebook=casebook, timings=timings, settings=load_settings(config))
            steps.append(timings.seconds)
        index_open = statistics.median(t["index"] for t in steps)
        matching = statistics.median(t["match"] for t in steps)
        print(f"\ncasebook part of the build, median of 3 (issue 14): index open {index_open:.3f} s, "
              f"match_cases for {options.requirements} requirements x {options.cases} cases {matching:.3f} s")
        load = os.getloadavg()
        print(f"load average after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
