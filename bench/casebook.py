"""Casebook search benchmark (issue 14): the tantivy index beside the previous implementation.

    .venv/bin/python bench/casebook.py [--cases 10000,100000] [--runs 3] [--jobs 2] [--data DIR]

For each size, a generated casebook (mixed zh/en, 300–900 characters a case;
written once into --data and reused) is measured, each figure the median of
--runs runs in fresh processes:
  cold build (`reindex --jobs N`), incremental update of one edited case,
  warm open, warm query latency p50/p95 (200 queries, top 10, matched terms),
  CLI `docgen cases search` wall time, index size on disk, peak RSS.
The warm figures start 3 s after the update runs' last edit: until then every
open checks the edited file again (git's "racy clean" rule, casebook.cache).
At the smallest size the previous implementation (docgen at --previous, a
pickled home-made BM25F index, extracted with `git archive`) is measured in
the same run the same way. The load average is printed before and after.
Targets at 10,000 cases: query p95 <= 5 ms, one-case update <= 1 s, cold build
<= 15 s with --jobs 2, CLI <= 0.5 s; at 100,000: query p95 <= 20 ms, CLI <= 1.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREVIOUS = "c21f43e"  # the last commit with the pickled BM25F index (before the tantivy index)

TOPICS = [  # (zh title words, zh body words, en title words, en body words, tags)
    ("同城双活数据中心", "双活 灾备 RPO RTO 数据库同步复制 存储双活 切换演练", "active-active data centres",
     "active-active disaster recovery replication failover RPO RTO", "disaster-recovery storage"),
    ("集中备份平台", "备份 重复数据删除 不可篡改快照 恢复演练 备份窗口", "backup platform",
     "backup deduplication immutable snapshots restore tests ransomware", "backup data-protection"),
    ("等保三级整改", "等级保护 测评 边界防护 日志审计 堡垒机 双因素认证", "security compliance programme",
     "compliance audit logging firewall privileged access multi-factor", "compliance security"),
    ("影像存储扩容", "PACS 影像 分布式存储 对象存储 纠删码 调阅 扩容", "medical imaging storage",
     "PACS imaging storage expansion object storage retrieval", "storage pacs"),
    ("MES与数据平台", "MES 报工 质量追溯 OEE 边缘采集 数据平台", "MES and data platform",
     "MES traceability yield OEE machine data platform", "mes data-platform"),
    ("政务云平台", "政务云 资源池 云管平台 信创 迁移上云 委办局", "government cloud",
     "government cloud migration resource pool self-service", "cloud xinchuang"),
    ("SD-WAN组网", "SD-WAN 分支 门店 选路 4G备份 零配置开通", "SD-WAN rollout",
     "SD-WAN branches path selection zero-touch provisioning 5G", "sd-wan network"),
    ("运维监控平台", "监控 告警收敛 配置管理 工单 智能基线 故障发现", "monitoring and observability",
     "monitoring observability alerts tracing on-call SLO", "monitoring operations"),
    ("统一身份认证", "单点登录 统一身份认证 账号生命周期 多因素认证", "identity and single sign-on",
     "identity SSO SAML OpenID joiners leavers access reviews", "identity sso"),
    ("超融合私有云", "超融合 虚拟化 私有云 在线迁移 快照", "hyper-converged private cloud",
     "hyper-converged virtualisation private cloud migration", "cloud hci"),
]
INDUSTRIES = [("finance", "城商行", "bank"), ("healthcare", "三甲医院", "hospital group"),
              ("manufacturing", "制造集团", "manufacturer"), ("government", "市大数据局", "city council"),
              ("energy", "电力公司", "utility"), ("education", "高校", "university"),
              ("telecom", "运营商", "mobile operator"), ("retail", "连锁零售企业", "retail chain"),
              ("transport", "物流集团", "logistics group"), ("internet", "互联网公司", "online platform")]
REGIONS = ["华东", "华南", "华北", "西南", "西北", "华中", "东北"]
PLACE_CHARS = "安宁江山海阳平定武昌新兴德清和泰嘉兰宜春云梅松福长乐金华临川"  # made-up place names
NAMES = ["Harbor", "Summit", "Northwind", "Crescent", "Bluestone", "Redwood", "Lakeside", "Ironbridge", "Fairview"]
ZH_FILLER = ["项目组与客户信息部门共同制定了实施计划,分阶段推进,确保业务不中断。",
             "我们的工程师驻场负责方案设计、实施和割接,并提供培训和运维手册。",
             "上线后客户满意度显著提升,运维工作量明显下降,为后续建设打下基础。",
             "方案兼顾性能、可靠性和成本,支持按需平滑扩展,满足未来三到五年的业务增长。",
             "实施过程中我们每周向客户汇报进度和风险,所有变更经过审批并可回退。"]
EN_FILLER = ["The project team agreed a phased plan with the client's IT department so that business never stopped.",
             "Our engineers led the design, the migration and the cut-over, and trained the client's staff.",
             "After go-live the client reported fewer incidents and a lighter operational workload.",
             "The design balances performance, resilience and cost, and scales out as the business grows.",
             "Weekly reports covered progress and risks; every change was approved and could be rolled back."]
QUERIES = ["医院影像存储扩容", "容灾", "同城双活数据中心", "等保三级", "备份", "backup", "data protection",
           "单点登录", "SSO identity", "SD-WAN 门店", "运维监控", "monitoring", "政务云 信创", "MES 数据平台",
           "disaster recovery", "超融合", "勒索病毒 备份", "PACS storage", "城商行 灾备", "observability alerts"]


def make_case(i: int, rng: random.Random) -> str:
    zh_title, zh_words, en_title, en_words, tags = rng.choice(TOPICS)
    industry, zh_client, en_client = rng.choice(INDUSTRIES)
    year = rng.randint(2016, 2026)
    external = "true" if rng.random() > 0.15 else "false"
    if rng.random() < 2 / 3:
        client = f"{rng.choice(REGIONS)}{''.join(rng.sample(PLACE_CHARS, 2))}{zh_client}"
        words = zh_words.split()
        body = "\n\n".join(
            f"## {head}\n" + "".join(rng.sample(ZH_FILLER, 2)) + f"本项目涉及{'、'.join(rng.sample(words, 3))},规模约{rng.randint(10, 5000)}台设备。"
            for head in ("客户挑战", "解决方案", "项目成效"))
        meta = f"title: {client}{zh_title}建设\nclient: {client}\nlanguage: zh\nsummary: 为{client}建设{zh_title},涉及{words[0]}与{words[1]}。"
    else:
        client = f"{rng.choice(NAMES)} {rng.choice(NAMES)} {en_client} No. {i}"
        words = en_words.split()
        body = "\n\n".join(
            f"## {head}\n" + " ".join(rng.sample(EN_FILLER, 2)) + f" The work covered {', '.join(rng.sample(words, 3))}."
            for head in ("Challenge", "Solution", "Results"))
        meta = f"title: {en_title.capitalize()} for {client}\nclient: {client}\nlanguage: en\nsummary: {en_title.capitalize()} with {words[0]} and {words[1]}."
    return (f"---\nid: gen-{i:05d}\n{meta}\nindustry: {industry}\ntags: [{', '.join(tags.split())}]\n"
            f"year: {year}\nexternal: {external}\n---\n{body}\n")


def write_casebook(folder: Path, count: int) -> None:
    rng = random.Random(42)
    folder.mkdir(parents=True)
    for i in range(count):
        (folder / f"gen-{i:05d}.md").write_text(make_case(i, rng), encoding="utf-8")
    from docgen.core.config import bundled_path

    (folder / "synonyms.yaml").write_bytes((bundled_path("casebook") / "synonyms.yaml").read_bytes())


# ---- one measurement, in its own process (peak RSS is the process's own) -------------------------

def phase(name: str, folder: Path, jobs: int, queries: int) -> dict:
    previous = os.environ.get("BENCH_PREVIOUS") == "1"
    out: dict = {}
    start = time.perf_counter()
    import docgen

    out["docgen"] = docgen.__file__
    if name == "cold":
        if previous:
            from docgen.casebook.cache import open_index
            index = open_index(folder)
        else:
            from docgen.casebook.cache import reindex
            reindex(folder, jobs=jobs)
    elif name == "update":
        from docgen.casebook.cache import open_index
        open_index(folder)  # current before the edit
        victim = sorted(folder.glob("*.md"))[len(list(folder.glob("*.md"))) // 2]
        text = victim.read_text(encoding="utf-8")
        victim.write_text(text.rstrip("\n") + "\n\n追加说明:本次扩容涉及纠删码。\n", encoding="utf-8")
        try:
            start = time.perf_counter()
            index = open_index(folder)
            out["seconds"] = time.perf_counter() - start
            out["found"] = any(h.case.path == str(victim) for h in index.search("追加说明 纠删码", top=5,
                                                                                 include_internal=True))
        finally:
            victim.write_text(text, encoding="utf-8")
        open_index(folder)  # back to the original for the next phase
    elif name == "query":
        from docgen.casebook.cache import open_index
        index = open_index(folder)
        out["open_ms"] = (time.perf_counter() - start) * 1000
        rng = random.Random(7)
        latencies = []
        for _ in range(queries):
            query, industry = rng.choice(QUERIES), rng.choice([None, None, None, "finance", "医疗"])
            start = time.perf_counter()
            index.search(query, industry=industry, top=10)
            latencies.append((time.perf_counter() - start) * 1000)
        latencies.sort()
        out["p50"], out["p95"] = statistics.median(latencies), latencies[int(0.95 * len(latencies)) - 1]
    out.setdefault("seconds", time.perf_counter() - start)
    out["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run_phase(name: str, folder: Path, env: dict, args) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--phase", name, "--folder", str(folder),
               "--jobs", str(args.jobs), "--queries", str(args.queries)]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{name} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cli_seconds(folder: Path, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "docgen", "cases", "search", "容灾", "备份", "--casebook", str(folder)],
                   env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def size_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20 if path.exists() else 0.0


def median(values) -> float:
    return statistics.median(values)


def measure(folder: Path, env: dict, args, index_path, cold_runs: int) -> None:
    runs = args.runs
    cold = []
    for _ in range(cold_runs):
        if env.get("BENCH_PREVIOUS"):  # the previous index is a pickle in the cache: remove it for a cold start
            for pickle in index_path().glob("casebook-*.pickle"):
                pickle.unlink()
        cold.append(run_phase("cold", folder, env, args))
    size = size_mib(index_path())
    update = [run_phase("update", folder, env, args) for _ in range(runs)]
    # A file written less than 3 s before the index was last updated is checked again on every
    # open (git's "racy clean" rule, docgen.casebook.cache): the warm figures start after that.
    time.sleep(3.1)
    query = [run_phase("query", folder, env, args) for _ in range(runs)]
    cli = [cli_seconds(folder, env) for _ in range(runs)]
    print(f"  (docgen from {Path(cold[0]['docgen']).parent})")
    print(f"  cold build: {median([c['seconds'] for c in cold]):.2f} s (of {len(cold)} run(s)), "
          f"peak RSS {median([c['rss_mib'] for c in cold]):.0f} MiB")
    print(f"  one-case update: {median([u['seconds'] for u in update]):.3f} s "
          f"(edit found by the next search: {all(u.get('found') for u in update)}), "
          f"peak RSS {median([u['rss_mib'] for u in update]):.0f} MiB")
    print(f"  warm open: {median([q['open_ms'] for q in query]):.0f} ms; warm query over {args.queries} queries: "
          f"p50 {median([q['p50'] for q in query]):.2f} ms, p95 {median([q['p95'] for q in query]):.2f} ms; "
          f"peak RSS {median([q['rss_mib'] for q in query]):.0f} MiB")
    print(f"  CLI `docgen cases search 容灾 备份`: {median(cli):.2f} s (runs: {', '.join(f'{c:.2f}' for c in cli)})")
    print(f"  index size on disk: {size:.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="10000,100000", help="comma-separated sizes")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--runs-100k", type=int, default=1, help="cold builds at 100,000 cases (slow)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--data", help="where generated casebooks are kept and reused (default: a temporary folder)")
    parser.add_argument("--previous", default=PREVIOUS, help="git revision of the previous implementation ('' to skip)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:  # docgen comes from PYTHONPATH: this tree, or the previous one
        print(json.dumps(phase(args.phase, Path(args.folder), args.jobs, args.queries)))
        return
    sys.path.insert(0, str(ROOT))

    sizes = [int(n) for n in args.cases.split(",")]
    with tempfile.TemporaryDirectory(prefix="casebook-bench-") as tmp:
        data = Path(args.data) if args.data else Path(tmp)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        print(f"load average before: {Path('/proc/loadavg').read_text().strip()}")
        for count in sizes:
            folder = data / f"cases-{count}"
            if not folder.exists():
                start = time.perf_counter()
                write_casebook(folder, count)
                print(f"generated {count} cases in {time.perf_counter() - start:.0f} s into {folder}")
            cold_runs = args.runs if count < 100_000 else args.runs_100k
            print(f"\n{count} cases — tantivy index ({args.jobs} jobs):")
            measure(folder, env, args, lambda: folder / ".docgen-index", cold_runs)
            if count == sizes[0] and args.previous:
                old = Path(tmp) / "previous"
                old.mkdir()
                archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.previous, "docgen"],
                                         check=True, capture_output=True).stdout
                subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
                old_env = {**env, "PYTHONPATH": str(old), "BENCH_PREVIOUS": "1",
                           "XDG_CACHE_HOME": str(Path(tmp) / "previous-cache")}
                print(f"{count} cases — previous implementation ({args.previous}, pickled BM25F index; "
                      "an edit rebuilds it whole):")
                measure(folder, old_env, args, lambda: Path(tmp) / "previous-cache" / "docgen", args.runs)
                shutil.rmtree(Path(tmp) / "previous-cache", ignore_errors=True)
        print(f"\nload average after: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
