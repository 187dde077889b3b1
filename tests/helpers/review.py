"""Inputs for the review tests: filled score workbooks built inline."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

from docgen.review.roles import Role, load_role
from docgen.review.scoresheet import SCORES, build_workbook

ENGINEER = load_role("presales-engineer")
MANAGER = load_role("presales-manager")


def typical_row(role: Role, n: int, **overrides) -> dict[str, object]:
    """A fully scored employee; scores vary with n so rows differ."""
    row: dict[str, object] = {
        "employee_id": f"E{n:03d}", "name": f"员工{n}", "department": "售前一部",
        "position": role.name_zh, "manager": "王经理", "period": "2026 年度",
    }
    for i, k in enumerate(role.kpis):
        row[f"{k.code}.target"] = 100
        row[f"{k.code}.actual"] = 90 + (n + i) % 10
        row[f"{k.code}.self"] = k.weight
        row[f"{k.code}.score"] = k.weight - (n + i) % 3
    for i, b in enumerate(role.behaviors):
        row[f"{b.code}.self_level"] = 5
        row[f"{b.code}.level"] = 5 - (n + i) % 3
    row.update(adjustment=1, adjustment_reason="重大项目贡献", manager_comment="工作认真,方案质量高。")
    row.update(overrides)
    return row


def make_workbook(path: Path, role: Role, rows: list[dict[str, object]]) -> Path:
    wb = build_workbook(role)
    ws = wb[SCORES]
    columns = {str(c.value).split()[0]: c.column for c in ws[1]}  # key before its label
    for r, values in enumerate(rows, start=2):
        for name, value in values.items():
            ws.cell(row=r, column=columns[name], value=value)
    wb.save(path)
    return path


def resave_with_libreoffice(path: Path, out_dir: Path) -> Path:
    """The workbook as LibreOffice Calc writes it back (private profile per call)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = Path("/tmp") / f"lo-review-{uuid.uuid4().hex}"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx", "--outdir", str(out_dir), str(path)],
        check=True, capture_output=True, timeout=120,
    )
    return out_dir / path.name
