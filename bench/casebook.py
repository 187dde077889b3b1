"""Casebook search benchmark: prints figures against the targets of issue 4.

    /work/venv/bin/python bench/casebook.py [--cases 10000] [--queries 200]

Writes a generated casebook (mixed zh/en, 300–900 characters a case) to a
temporary folder and measures: the cold index build (parse + jieba + BM25 +
cache write), warm in-process query latency p50/p95, and the end-to-end wall
time of `docgen cases search` on the bundled casebook and on the generated
one (index cache warm, as a salesperson's second search would be).
Everything, including the index cache, stays in the temporary folder.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
    (folder / "synonyms.yaml").write_bytes((bundled_casebook() / "synonyms.yaml").read_bytes())


def bundled_casebook() -> Path:
    from docgen.core.config import bundled_path

    return bundled_path("casebook")


def cli_seconds(args: list[str], env: dict, runs: int) -> list[float]:
    docgen = str(Path(sys.executable).parent / "docgen")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([docgen, "cases", "search", *args], env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="casebook-bench-") as tmp:
        root = Path(tmp)
        os.environ["XDG_CACHE_HOME"] = str(root / "cache")  # private cache: a true cold start
        from docgen.casebook.cache import open_index

        folder = root / "casebook"
        start = time.perf_counter()
        write_casebook(folder, args.cases)
        chars = sum(len(p.read_text(encoding="utf-8")) for p in folder.glob("*.md"))
        print(f"generated {args.cases} cases ({chars / args.cases:.0f} characters each on average) "
              f"in {time.perf_counter() - start:.1f} s")

        env = {**os.environ}  # the first run is cold: no index, no jieba dictionary cache
        cold_bundled = cli_seconds(["医院影像存储扩容", "--casebook", str(bundled_casebook())], env, 1)[0]
        bundled = min(cli_seconds(["医院影像存储扩容", "--casebook", str(bundled_casebook())], env, 5))
        print(f"CLI `docgen cases search` on the bundled casebook: {bundled:.2f} s warm "
              f"(first run {cold_bundled:.2f} s; target <= 1.0 s: {'PASS' if bundled <= 1.0 else 'FAIL'})")
        start = time.perf_counter()
        index = open_index(folder)
        print(f"cold index build (parse + jieba + BM25F + cache write), {args.cases} cases: "
              f"{time.perf_counter() - start:.2f} s, {len(index.postings)} terms")
        start = time.perf_counter()
        open_index(folder)
        print(f"warm index open (fingerprint + cache load): {(time.perf_counter() - start) * 1000:.0f} ms")

        rng = random.Random(7)
        latencies = []
        for n in range(args.queries):
            query = rng.choice(QUERIES)
            industry = rng.choice([None, None, None, "finance", "医疗"])
            start = time.perf_counter()
            index.search(query, industry=industry, top=10)
            latencies.append((time.perf_counter() - start) * 1000)
        latencies.sort()
        p50, p95 = statistics.median(latencies), latencies[int(0.95 * len(latencies)) - 1]
        print(f"warm query latency over {args.queries} queries: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
              f"(target p95 <= 20 ms: {'PASS' if p95 <= 20 else 'FAIL'})")

        big = min(cli_seconds(["容灾 备份", "--casebook", str(folder)], env, 3))
        print(f"CLI `docgen cases search` on {args.cases} cases: {big:.2f} s with the index cache warm "
              f"(target <= 3 s: {'PASS' if big <= 3.0 else 'FAIL'})")


if __name__ == "__main__":
    main()
