"""Casebook test helpers: the judged query set and small case builders.

JUDGED: (query, industry filter, relevant case ids) over the bundled casebook.

Judged by reading the cases: a case is relevant when a salesperson asking this
would want to show it to the client. Internal cases are never relevant here
(the search excludes them without --all).
"""

JUDGED = [
    ("医院影像存储扩容", None, {"hospital-pacs-2024"}),
    ("容灾", None, {"bank-active-active-2024", "hospital-his-dr-2023", "water-utility-dr-2023"}),
    ("灾备", "healthcare", {"hospital-his-dr-2023"}),
    ("同城双活数据中心", None, {"bank-active-active-2024"}),
    ("等保三级整改", None, {"securities-dengbao-2024"}),
    ("等级保护", "金融", {"securities-dengbao-2024"}),
    ("backup", None, {"rural-bank-backup-2023", "metro-backup-2022", "clinic-backup-2023"}),
    ("数据备份", None, {"rural-bank-backup-2023", "metro-backup-2022", "clinic-backup-2023"}),
    ("ransomware recovery", None, {"clinic-backup-2023", "rural-bank-backup-2023"}),
    ("single sign-on", None, {"fintech-sso-2024", "university-sso-2024", "school-district-cloud-2023"}),
    ("单点登录", "education", {"university-sso-2024", "school-district-cloud-2023"}),
    ("SD-WAN门店组网", None, {"retail-store-sdwan-2023", "telecom-sdwan-2024", "port-sdwan-2024"}),
    ("MES 数据平台", None, {"auto-parts-mes-2024", "electronics-mes-2025", "insurance-data-platform-2025",
                         "grocer-data-platform-2024"}),
    ("政务云 信创", None, {"gov-cloud-2024", "county-xinchuang-2025"}),
    ("国产化替代", None, {"county-xinchuang-2025", "gov-cloud-2024"}),
    ("monitoring", "internet", {"ecommerce-observability-2024"}),
    ("运维监控平台", None, {"power-monitoring-2024", "logistics-ops-2024", "ecommerce-observability-2024"}),
    ("disaster recovery 灾备", None, {"bank-active-active-2024", "hospital-his-dr-2023", "water-utility-dr-2023"}),
    ("超融合私有云", None, {"vocational-hci-2023"}),
    ("HIS系统灾备", None, {"hospital-his-dr-2023"}),
    ("data platform for a retail chain", None, {"grocer-data-platform-2024"}),
    ("identity SSO 统一身份认证", None, {"fintech-sso-2024", "university-sso-2024", "school-district-cloud-2023"}),
]


def precision_at(ranked: list[str], relevant: set[str], k: int = 3) -> float:
    """Relevant cases in the top k, out of the most there could be (min(k, |relevant|))."""
    return len(set(ranked[:k]) & relevant) / min(k, len(relevant))


def reciprocal_rank(ranked: list[str], relevant: set[str]) -> float:
    return next((1 / n for n, case_id in enumerate(ranked, 1) if case_id in relevant), 0.0)


def case_file(folder, case_id: str, *, title: str = "某客户数据中心建设", industry: str = "finance",
              tags: str = "[storage]", year: str = "2024", external: str = "true",
              summary: str = "一句话摘要", body: str = "## 客户挑战\n客户需要扩容。\n", extra: str = "",
              name: str | None = None):
    """Write one case study file (contract 2) and return its path."""
    path = folder / f"{name or case_id}.md"
    path.write_text(
        f"---\nid: {case_id}\ntitle: {title}\nclient: 某客户\nindustry: {industry}\ntags: {tags}\n"
        f"year: {year}\nlanguage: zh\nexternal: {external}\nsummary: {summary}\n{extra}---\n{body}",
        encoding="utf-8",
    )
    return path


def make_case(case_id: str, *, title: str = "", body: str = "", industry: str = "finance",
              tags: tuple[str, ...] = (), year: int = 2024, external: bool = True, summary: str = "",
              language: str = "zh"):
    from docgen.casebook.models import Case

    return Case(id=case_id, title=title, client="某客户", industry=industry, tags=tags, year=year,
                language=language, external=external, summary=summary, body=body)
