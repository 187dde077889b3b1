"""Fixed texts of the review packet templates, Chinese and English side by side.

Only the builder (docgen/<domain>/build_templatesreview.py) reads these; what varies per role
or employee comes from the context (docgen/review.py).
"""

from __future__ import annotations

# Full-width punctuation for Chinese text, written as escapes so no editor or
# tool can quietly turn it into ASCII.
_FULL = {",": "\uff0c", ";": "\uff1b", ":": "\uff1a", "(": "\uff08", ")": "\uff09", "?": "\uff1f", "!": "\uff01"}


def zh_punct(text: str) -> str:
    return "".join(_FULL.get(c, c) for c in text)


PAGES = (
    ("封面", "Cover"),
    ("填表说明与考核流程", "Instructions and process"),
    ("基本信息与期初目标", "Employee information and goal agreement"),
    ("一、个人关键指标达成情况（权重80%）", "1. Key performance indicators (weight 80%)"),
    ("一、个人关键指标达成情况（续）：完成说明", "1. Key performance indicators (continued): evidence"),
    ("KPI评分细则", "KPI scoring standards"),
    ("二、个人工作表现（权重20%）", "2. Work performance (weight 20%)"),
    ("售前支持项目明细", "Presales project log"),
    ("员工自评与述职", "Self-assessment"),
    ("上级评价与隔级意见", "Manager and skip-level assessment"),
    ("综合评分与等级校准", "Score summary and calibration"),
    ("绩效面谈记录", "Review meeting record"),
    ("绩效改进与个人发展计划", "Improvement and development plan"),
    ("结果确认与申诉", "Confirmation and appeal"),
)

T = {
    "packet": ("绩效考核评估表 · 共 {{ page_total }} 页", "Performance review packet · {{ page_total }} pages"),
    "period": ("考核周期：", "Review period: "),
    "confidential": (
        "保密资料：仅限被考核人、直接上级、部门负责人及人力资源部查阅。",
        "Confidential: for the employee, the line manager, the head of department and HR only.",
    ),
    "contents": ("本册内容", "Contents"),
    "page_no": ("第 {} 页", "p. {}"),
    "name": ("姓名", "Name"), "employee_id": ("工号", "Employee ID"), "department": ("部门", "Department"),
    "position": ("职位", "Position"), "manager": ("直接上级", "Line manager"), "review_period": ("考核周期", "Review period"),
    "total": ("综合得分", "Total score"), "grade": ("绩效等级", "Grade"),
    "hire_date": ("入职日期", "Date joined"), "in_role": ("本岗任职时间", "Time in role"),
    # page 2
    "instructions": (
        (
            "1. 本表用于考核期内的绩效评估，共 14 页，请勿拆分；第 14 页下方的申诉单可沿虚线剪下。",
            "2. 综合得分 = 关键指标得分（满分 80）+ 工作表现得分（满分 20）+ 加减分（±5 以内），最终限定在 0–100 分。",
            "3. 关键指标：员工填写实际完成与自评分，直接上级核实后评分；有计算规则的指标按第 6 页的评分细则计算，得分不超过权重。",
            "4. 工作表现：每项分 5 个等级（5 优秀 / 4 良好 / 3 合格 / 2 待改进 / 1 不合格），分别得权重的 100% / 80% / 60% / 40% / 20%；在对应等级的方框内打钩 ☑。",
            "5. 加减分须写明事由（如重大项目贡献、重大失误或违纪），由部门负责人审核。",
            "6. 请用黑色或蓝色签字笔填写，字迹清楚；修改处请签字确认。",
        ),
        (
            "1. This packet is the performance review for the period: 14 pages, keep them together; the appeal slip at the foot of page 14 may be cut off.",
            "2. Total = KPI score (max 80) + work-performance score (max 20) + adjustment (within ±5), limited to 0–100.",
            "3. KPIs: the employee fills in actual results and a self score; the line manager checks and scores. KPIs with a rule are scored by the standards on page 6, never above the weight.",
            "4. Work performance: five levels per item (5 Excellent / 4 Good / 3 Meets / 2 Needs improvement / 1 Unsatisfactory), worth 100 / 80 / 60 / 40 / 20 % of the weight; tick ☑ the box of the level.",
            "5. Every adjustment needs a reason (e.g. an exceptional deal, a serious error or breach), checked by the head of department.",
            "6. Please write in black or blue ink, legibly; initial any correction.",
        ),
    ),
    "process": ("考核流程", "Review process"),
    "process_head": (("步骤", "环节", "责任人", "时间要求"), ("Step", "Stage", "Who", "When")),
    "process_rows": (
        (
            ("1", "期初目标确认（第 3 页）", "员工、直接上级", "考核期开始后 10 个工作日内"),
            ("2", "员工自评与述职（第 4–9 页）", "员工", "考核期结束后 5 个工作日内"),
            ("3", "上级评价（第 4–7、10 页）", "直接上级", "收到自评后 5 个工作日内"),
            ("4", "隔级审核与等级校准（第 10–11 页）", "部门负责人、人力资源部", "上级评价后 5 个工作日内"),
            ("5", "绩效面谈（第 12–13 页）", "直接上级、员工", "校准后 5 个工作日内"),
            ("6", "结果确认（第 14 页）", "员工及各方", "面谈时"),
            ("7", "申诉（第 14 页申诉单）", "员工 → 人力资源部", "确认后 5 个工作日内"),
            ("8", "归档", "人力资源部", "申诉处理完毕后"),
        ),
        (
            ("1", "Goal agreement (page 3)", "Employee, line manager", "Within 10 working days of the period start"),
            ("2", "Self-assessment (pages 4–9)", "Employee", "Within 5 working days of the period end"),
            ("3", "Manager assessment (pages 4–7, 10)", "Line manager", "Within 5 working days of the self-assessment"),
            ("4", "Skip-level check and calibration (pages 10–11)", "Head of department, HR", "Within 5 working days"),
            ("5", "Review meeting (pages 12–13)", "Line manager, employee", "Within 5 working days of calibration"),
            ("6", "Confirmation (page 14)", "Employee and all signers", "At the meeting"),
            ("7", "Appeal (slip on page 14)", "Employee → HR", "Within 5 working days of confirmation"),
            ("8", "Filing", "HR", "When any appeal is closed"),
        ),
    ),
    "grade_scale": ("绩效等级标准", "Grade bands"),
    "grade_head": (("等级", "综合得分", "含义"), ("Grade", "Total score", "Meaning")),
    # page 3
    "goals": ("期初目标确认", "Goals agreed at the start of the period"),
    "goals_head": (("编号", "关键指标", "权重", "目标值", "单位", "数据来源"), ("Code", "KPI", "Weight", "Target", "Unit", "Data source")),
    "goals_behavior": (
        "工作表现（权重 20%）：按第 7 页所列项目与等级标准评价。",
        "Work performance (weight 20%): assessed on the items and levels of page 7.",
    ),
    "other_agreements": ("其他约定事项", "Other agreements"),
    "goal_sign": ("目标确认签字", "Goals agreed"),
    # page 4
    "kpi_head": (
        ("编号", "关键指标", "权重", "目标值", "实际完成", "达成率", "自评分", "上级评分", "评分方式", "备注"),
        ("Code", "KPI", "Weight", "Target", "Actual", "Achieved", "Self score", "Manager score", "Scoring", "Notes"),
    ),
    "subtotal": ("关键指标小计", "KPI subtotal"),
    "kpi_note": (
        "评分方式：“规则计算”指按第 6 页评分细则由目标值与实际完成计算（上级评分栏为空时由系统计算，标注 *）；“上级评定”指由上级按细则评分。"
        "标注 ※ 的上级评分与按规则计算的得分相差超过 0.5 分，其下注明按规则的得分，由人力资源部核定。",
        "Scoring: “by rule” means computed from target and actual by the standards on page 6 (a blank manager score is computed and marked *); “by manager” means scored by the manager against the standards. "
        "※ marks a manager score more than 0.5 points from what the rule gives (shown under it), for HR to decide.",
    ),
    "evidence_head": (
        ("编号", "关键指标", "完成情况说明（员工填写）", "佐证材料", "上级核实意见"),
        ("Code", "KPI", "What was achieved (employee)", "Evidence", "Manager's check"),
    ),
    # page 6
    "rules_head": (("编号", "指标", "定义", "数据来源", "评分规则"), ("Code", "KPI", "Definition", "Data source", "Scoring rule")),
    "level_scale": ("工作表现等级", "Work-performance levels"),
    "level_text": (
        "5 优秀 = 权重 × 100%;4 良好 = 80%;3 合格 = 60%;2 待改进 = 40%;1 不合格 = 20%。",
        "5 Excellent = weight × 100%; 4 Good = 80%; 3 Meets = 60%; 2 Needs improvement = 40%; 1 Unsatisfactory = 20%.",
    ),
    "total_rule": (
        "综合得分 = 关键指标得分 + 工作表现得分 + 加减分（限 ±5 分），结果限定在 0–100 分，保留两位小数。",
        "Total = KPI score + work-performance score + adjustment (within ±5), limited to 0–100, two decimals.",
    ),
    # page 7
    "behavior_item": ("考核项目", "Item"),
    "points": ("得分", "Points"),
    "self": ("自评", "Self"), "boss": ("上级", "Manager"),
    "weight": ("权重", "Weight"),
    "behavior_subtotal": ("工作表现小计（满分 20）", "Work-performance subtotal (max 20)"),
    "behavior_note": (
        "在每项对应等级的方框内打钩 ☑：“自评”由员工勾选，“上级”由直接上级勾选。每项只选一个等级。",
        "Tick ☑ one level per item: “Self” by the employee, “Manager” by the line manager.",
    ),
    "self_label": ("自评", "Self"), "manager_label": ("上级评定", "Manager"),
    "colon": ("：", ": "),  # after a label: full width, no space, in Chinese
    # page 8
    "log_intro": (
        "请列出考核期内支持的全部售前项目，由对应销售确认；本表是第 4 页工作量、赢单率和签约额指标的依据。",
        "List every deal supported in the period, confirmed by its salesperson; the workload, win-rate and contract-value KPIs on page 4 rest on this log.",
    ),
    "log_head": (
        ("序号", "客户名称", "项目名称", "支持内容", "起止时间", "金额（万元）", "结果", "销售确认"),
        ("No.", "Client", "Deal", "Support given", "Dates", "Value (10k CNY)", "Result", "Sales sign-off"),
    ),
    "log_total": (
        "合计：支持项目 ______ 个，已赢单 ______ 个，签约额 ______ 万元。",
        "Totals: ______ deals supported, ______ won, contract value ______ (10k CNY).",
    ),
    # page 9
    "self_sections": (
        ("一、本期主要工作业绩（对照关键指标）", "二、不足与原因分析", "三、下期工作计划与需要的支持"),
        ("1. Main achievements this period (against the KPIs)", "2. Shortfalls and why", "3. Plans for next period and support needed"),
    ),
    # page 10
    "manager_sections": (
        ("一、直接上级综合评价", "二、隔级上级意见"),
        ("1. Line manager's assessment", "2. Skip-level manager's view"),
    ),
    # page 11
    "summary_head": (("项目", "满分", "自评", "上级评定"), ("Part", "Max", "Self", "Manager")),
    "summary_rows": (
        ("一、关键指标得分", "二、工作表现得分", "三、加减分", "综合得分"),
        ("1. KPI score", "2. Work-performance score", "3. Adjustment", "Total score"),
    ),
    "adjustment_reason": ("加减分事由", "Reason for the adjustment"),
    "calibration": ("等级校准", "Calibration"),
    "calibration_opinion": ("校准意见", "Calibration notes"),
    "calibrated_grade": ("校准后等级：", "Grade after calibration: "),
    # page 12
    "meeting_info": (("面谈日期", "面谈地点", "面谈人", "记录人"), ("Date", "Place", "Interviewer", "Minutes by")),
    "meeting_sections": (
        ("一、本期绩效回顾与肯定", "二、需要改进的方面", "三、员工的意见与需要的支持", "四、下期目标与工作重点"),
        ("1. Review of the period and recognition", "2. What needs to improve", "3. The employee's views and support needed", "4. Goals and priorities for next period"),
    ),
    # page 13
    "improve": ("绩效改进计划", "Performance improvement plan"),
    "improve_head": (
        ("序号", "待改进项", "改进目标", "具体措施", "完成时间", "跟进人"),
        ("No.", "To improve", "Goal", "Actions", "By when", "Follow-up"),
    ),
    "develop": ("个人发展计划", "Personal development plan"),
    "develop_head": (
        ("发展方向", "能力提升目标", "学习 / 培训 / 实践安排", "时间", "所需资源"),
        ("Direction", "Capability goal", "Learning / training / practice", "When", "Resources"),
    ),
    "follow_up": ("过程跟踪记录", "Follow-up notes"),
    # page 14
    "result": ("本期考核结果：综合得分", "Result of this review: total score"),
    "points_unit": ("分", "points"),
    "opinion": ("被考核人意见：", "Employee's response: "),
    "agree": ("认同考核结果", "I accept the result"),
    "disagree": ("不认同，将于 5 个工作日内提交申诉", "I do not accept it and will appeal within 5 working days"),
    "sign_head": (("角色", "签字", "日期"), ("Role", "Signature", "Date")),
    "roles": (
        ("被考核人", "直接上级", "部门负责人", "人力资源部"),
        ("Employee", "Line manager", "Head of department", "HR"),
    ),
    "skip_manager": ("隔级上级", "Skip-level manager"),
    "cut": ("✂ ------------------------------ 沿此线剪下 ------------------------------", "✂ ------------------------------ cut here ------------------------------"),
    "appeal": ("绩效考核申诉单", "Performance review appeal"),
    "appeal_items": ("申诉事项", "Appeal about"),
    "appeal_choices": (
        ("关键指标得分", "工作表现评级", "绩效等级", "其他"),
        ("KPI scores", "Work-performance levels", "Grade", "Other"),
    ),
    "appeal_reason": ("申诉理由及依据", "Reasons and evidence"),
    "appeal_hr": (
        "人力资源部受理：受理人 __________ 受理日期 __________ 处理结果：",
        "Received by HR: name __________ date __________ outcome:",
    ),
    "sign": ("签字：", "Signature: "), "date": ("日期：", "Date: "),
    # after page 14, only when a text did not fit its box
    "continuation": ("附页", "Continuation"),
    "continuation_intro": (
        "以下栏目在所在页只印了开头，全文如下。",
        "These entries only start on their pages; here is the full text of each.",
    ),
}


def label(key: str, lang: str):
    """The label in `lang`, with full-width punctuation in Chinese."""
    value = T[key][0 if lang == "zh" else 1]
    return _punct(value) if lang == "zh" else value


def page_title(n: int, lang: str) -> str:
    zh, en = PAGES[n - 1]
    return zh_punct(zh) if lang == "zh" else en


def _punct(value):
    if isinstance(value, str):
        return zh_punct(value)
    return tuple(_punct(v) for v in value)
