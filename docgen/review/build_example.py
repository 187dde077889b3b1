"""Builds templates/review/example-scores.xlsx: the bundled example score workbook.

Six presales engineers in two departments of three, chosen to show what
`review fill` does: typed scores that agree with the KPIs' rules, scores
computed from target and actual, an adjustment with its reason, every grade
band and a manager comment too long for its box (smaller font, the full text
on the 附页). Both departments are below the headcount at which the S+A share
is checked, so summary.xlsx reports their shares without a warning. Names and
texts are realistic; hostile text lives in the tests.
"""

from __future__ import annotations

from pathlib import Path

from docgen.review.labels import zh_punct
from docgen.review.roles import load_role
from docgen.review.scoresheet import SCORES, build_workbook
from docgen.review.scoring import dec, machine_score

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


TARGETS = {"K1": 120, "K2": 100, "K3": 80, "K4": 100, "K5": 40, "K6": 2000, "K7": None, "K8": None}


def _row(n: int, name: str, dept: str, actuals, k8: int, levels, *, typed: bool = True, **extra) -> dict:
    """One employee: actual results per KPI; the manager's score is what the KPI's rule gives
    (typed as HR would, or left blank for docgen to compute when `typed` is False)."""
    role = load_role("presales-engineer")
    row = {"employee_id": f"E10{n:02d}", "name": name, "department": dept, "position": "售前工程师",
           "manager": "王建国" if dept == "售前一部" else "刘洋", "period": PERIOD}
    for k, actual in zip(role.kpis, (*actuals, None)):
        target = TARGETS[k.code]
        if k.machine is None:  # K8 is scored by the manager
            score = dec(k8)
        else:
            score = machine_score(k.machine, k.weight, target, actual)
        row[f"{k.code}.target"], row[f"{k.code}.actual"] = target, actual
        row[f"{k.code}.self"] = float(min(dec(k.weight), score + 1))
        row[f"{k.code}.score"] = float(score) if typed or k.machine is None else None
    for b, level in zip(role.behaviors, levels):
        row[f"{b.code}.self_level"] = min(5, level + 1)
        row[f"{b.code}.level"] = level
    row.update({k: zh_punct(v) if k in ("manager_comment", "adjustment_reason") else v for k, v in extra.items()})
    return row


def rows() -> list[dict]:
    # Actuals for K1…K7 (person-days, %, %, %, %, 10k CNY, satisfaction out of 5) against TARGETS.
    return [
        _row(1, "张伟", "售前一部", (118, 100, 74, 95, 38, 1900, 4.6), 5, (5, 4, 4, 4, 4), adjustment=0,
             manager_comment="方案质量稳定,客户评价高;全年无一次延期。"),
        _row(2, "李娜", "售前一部", (110, 97, 74, 95, 36, 1850, 4.3), 4, (4, 3, 4, 3, 4), typed=False,
             manager_comment="各项指标由系统按目标和实际完成计算。\n下期重点:提高方案一次通过率。"),
        _row(3, "王芳", "售前一部", (125, 100, 82, 100, 44, 2300, 4.8), 5, (5, 5, 5, 4, 5), adjustment=3,
             adjustment_reason="主导某城商行同城双活项目赢单,签约额超年度目标 40%。",
             manager_comment="年度标杆,建议参评优秀员工。"),
        _row(4, "欧阳志远", "售前二部", (95, 96, 62, 85, 30, 1600, 4.1), 2, (3, 3, 4, 2, 3), adjustment=-1,
             adjustment_reason="1 份方案未经项目审核即提交客户。", manager_comment=_LONG_COMMENT),
        _row(5, "陈杰", "售前二部", (80, 92, 58, 82, 26, 1100, 3.6), 1, (2, 3, 2, 3, 2),
             manager_comment="需改进:方案按模板填写时偶有遗漏,提交前请对照检查清单自查;客户沟通积极,值得肯定。"),
        _row(6, "赵敏", "售前二部", (112, 99, 76, 98, 37, 1800, 4.4), 4, (4, 4, 5, 4, 4), adjustment=1,
             adjustment_reason="带教新人一名。", manager_comment="稳定可靠,协作好。"),
    ]


def build(out_dir: str | Path) -> Path:
    """Write example-scores.xlsx into out_dir (templates/review)."""
    role = load_role("presales-engineer")
    wb = build_workbook(role)
    ws = wb[SCORES]
    columns = {str(c.value).split()[0]: c.column for c in ws[1]}  # "K1.target 目标值" -> K1.target
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
