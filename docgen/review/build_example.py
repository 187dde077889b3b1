"""Builds templates/review/example-scores.xlsx: the bundled example score workbook.

A few presales engineers in two departments, chosen to show what `review fill`
does: typed scores, scores computed from target and actual by machine rules,
an adjustment, every grade band, hostile text (R&D <Ltd>, quotes, {{ 7*7 }})
and a manager comment too long for its box (cut with a note, kept in full in
summary.xlsx). Department 售前一部 is above the 30 % S+A limit on purpose.
"""

from __future__ import annotations

from pathlib import Path

from docgen.review.labels import zh_punct
from docgen.review.roles import load_role
from docgen.review.scoresheet import SCORES, build_workbook

PERIOD = "2026 年度"

_LONG_COMMENT = zh_punct(
    "欧阳志远本年度承担了华东区三家城商行和两家制造业客户的售前支持工作,在同城双活灾备、数据中台和信创改造三个方向上"
    "形成了较完整的方案积累。优点:需求调研扎实,能把客户的原始表述整理成行业客户需求分析表,方案针对性强;"
    "在某城商行项目中连续两周驻场,协助销售完成技术澄清和演示,客户信任度明显提升。\n"
    "不足:一是方案交付时间管理需加强,全年有 4 份方案晚于与销售约定的时间提交,其中 1 份未经项目审核就直接发给了客户,"
    "造成报价口径不一致;二是复盘和知识沉淀偏少,赢单和丢单项目都没有形成书面复盘,经验停留在个人层面;"
    "三是对新产品线的学习进度落后于团队平均水平,认证考试尚未通过。\n"
    "下期要求:严格执行项目审核流程,方案提交前必须经过评审;每个决标项目在两周内提交复盘报告;"
    "第一季度内完成新产品线认证;在团队内分享灾备方案模板,带教一名新同事。总体来看,本年度业绩基本达成目标,"
    "工作态度认真,但在流程纪律和知识沉淀方面与优秀标准仍有差距,希望下一年度在保持客户口碑的同时,"
    "把个人经验转化为团队资产,并在方案质量管控上起到表率作用。此外,建议其在大型项目中更早介入商务节奏,"
    "与销售一起制定打单策略,而不是仅在技术环节提供支持;同时注意劳逸结合,合理安排驻场与出差。"
)


def _row(n: int, name: str, dept: str, scores, levels, **extra) -> dict:
    role = load_role("presales-engineer")
    row = {"employee_id": f"E10{n:02d}", "name": name, "department": dept, "position": "售前工程师",
           "manager": "王建国" if dept == "售前一部" else "刘洋", "period": PERIOD}
    for k, score in zip(role.kpis, scores):
        row[f"{k.code}.target"], row[f"{k.code}.actual"] = _targets(k.code, score)
        row[f"{k.code}.self"] = k.weight if score is None else min(k.weight, score + 1)
        row[f"{k.code}.score"] = score
    for b, level in zip(role.behaviors, levels):
        row[f"{b.code}.self_level"] = min(5, level + 1)
        row[f"{b.code}.level"] = level
    row.update(extra)
    return row


def _targets(code: str, score) -> tuple:
    """Plausible target/actual pairs per KPI (used by the machine rules when the score is blank)."""
    return {
        "K1": (120, 110), "K2": (100, 97), "K3": (80, 74), "K4": (100, 95),
        "K5": (40, 36), "K6": (2000, 1850), "K7": (None, 4.3), "K8": (4, 4),
    }[code]


def rows() -> list[dict]:
    return [
        _row(1, "张伟", "售前一部", (10, 10, 8, 5, 15, 14, 10, 5), (5, 4, 4, 4, 4), adjustment=0,
             manager_comment="方案质量稳定,客户评价高;全年无一次延期。"),
        _row(2, "李娜", "售前一部", (None,) * 7 + (4,), (4, 3, 4, 3, 4),
             manager_comment="各项指标由系统按目标和实际完成计算。\n下期重点:提高方案一次通过率。"),
        _row(3, "王芳", "售前一部", (10, 10, 10, 5, 15, 15, 10, 5), (5, 5, 5, 4, 5), adjustment=3,
             adjustment_reason="主导某城商行同城双活项目赢单,签约额超年度目标 40%。",
             manager_comment="年度标杆,建议参评优秀员工。"),
        _row(4, "欧阳志远", "售前二部", (8, 6, 6, 4, 9, 11, 8, 2), (3, 3, 4, 2, 3), adjustment=-1,
             adjustment_reason="1 份方案未经项目审核即提交客户。", manager_comment=_LONG_COMMENT),
        _row(5, "Jack Chen 陈杰", "售前二部", (5, 4, 4, 2, 6, 7, 6, 1), (2, 3, 2, 3, 2),
             position="售前工程师(R&D <交付>)",
             manager_comment='需改进:"方案"按模板 {{ 7*7 }} 填写,避免遗漏。'),
        _row(6, "赵敏", "售前二部", (9, 10, 8, 5, 12, 13, 9, 4), (4, 4, 5, 4, 4), adjustment=1,
             adjustment_reason="带教新人一名。", manager_comment="稳定可靠,协作好。"),
    ]


def build(out_dir: str | Path) -> Path:
    """Write example-scores.xlsx into out_dir (templates/review)."""
    role = load_role("presales-engineer")
    wb = build_workbook(role)
    ws = wb[SCORES]
    columns = {c.value: c.column for c in ws[1]}
    for r, values in enumerate(rows(), start=2):
        for name, value in values.items():
            ws.cell(row=r, column=columns[name], value=value)
    path = Path(out_dir) / "example-scores.xlsx"
    wb.save(path)
    return path


if __name__ == "__main__":  # python -m docgen.review.build_example templates/review
    import sys

    from docgen.core.config import bundled_path

    print(build(sys.argv[1] if len(sys.argv) > 1 else bundled_path("templates") / "review"))
