"""The generated wording of proposal drafts and briefs, in zh and en.

Template headings live in the templates (docgen/<domain>/build_templatesproposal.py); this
module words what is computed from the client's data: challenges, why us,
plan, organisation, risks, next steps, and the brief's strategy lines.
"""

from __future__ import annotations


T = {
    "zh": {
        "stage_titles": {"intro": "初步交流方案", "solution": "解决方案建议书", "detailed": "详细技术方案"},
        "priority": {"must": "必须", "should": "应当", "could": "可选"},
        "sentence_sep": "；",
        "trust": {"low": "低", "medium": "中", "high": "高"},
        "list_sep": "、",
        "to_write": "【待补充：本章节内容尚未编写】",
        "to_confirm": "【待确认】",
        "to_write_ids": "【待补充：{ids}】",
        "answers": "本节回应需求 {ids}。",
        "answers_must": "其中必须满足项：{ids}。",
        "see_section": "本类需求的方案见《{title}》一节。",
        "case_meta": "行业：{industry} · 年份：{year} · 相关需求：{ids}",
        "cases_rule": "规则：案例须支撑至少一项需求，且匹配得分不低于最佳案例的 {share}%（同行业案例为其一半）；"
                      "同行业案例优先，宁缺毋滥。本客户采用 {n} 个（此信任度最多 {most} 个）。",
        "org_intro": "售前负责人 {owner} 是{you}在本项目中的唯一技术对接人，负责需求澄清、方案整体把控和内部资源协调；其他技术人员在其统筹下参与方案撰写与实施。",
        "history_note": {"intro": "初步交流方案初稿", "solution": "解决方案建议书初稿", "detailed": "详细技术方案初稿"},
        "glossary": (
            ("RPO", "恢复点目标：灾难发生后允许丢失的数据时间范围"),
            ("RTO", "恢复时间目标：灾难发生后业务恢复所需的时间"),
            ("等保 2.0", "网络安全等级保护制度 2.0（GB/T 22239-2019）"),
            ("SLA", "服务等级协议：约定的响应、到场与恢复时限"),
            ("ITSM", "IT 服务管理：事件、问题、变更与配置管理流程"),
        ),
        "brief_facts": "行业：{industry}；售前负责人：{owner}；销售负责人：{sales}；截止日期：{deadline}；需求 {n} 项（必须 {musts} 项）；编写日期：{today}。",
        "trust_line": "客户对我们的信任度：{level}。",
        "no_competitors": "尚无竞争对手信息。请销售通过客户关系获取竞争对手资料——信息越多，方案针对性越强。",
        "placeholder_source": "待补充",
    },
    "en": {
        "stage_titles": {"intro": "Introductory Proposal", "solution": "Solution Proposal",
                         "detailed": "Detailed Technical Proposal"},
        "priority": {"must": "Must", "should": "Should", "could": "Could"},
        "sentence_sep": "; ",
        "trust": {"low": "low", "medium": "medium", "high": "high"},
        "list_sep": ", ",
        "to_write": "[TO WRITE: this chapter has no content yet]",
        "to_confirm": "[TO CONFIRM]",
        "to_write_ids": "[TO WRITE: {ids}]",
        "answers": "This section answers {ids}. ",
        "answers_must": "Must-haves: {ids}.",
        "see_section": "These requirements are answered in the section “{title}”.",
        "case_meta": "Industry: {industry} · Year: {year} · Relevant requirements: {ids}",
        "cases_rule": "Rule: a case must support at least one requirement and score at least {share}% of the best "
                      "match (half that for the client's own industry); same-industry cases first, no padding. "
                      "This client gets {n} (at most {most} at this trust level).",
        "org_intro": "{owner}, our presales owner, is your single technical point of contact for this project: "
                     "requirements, the overall solution and our internal resources. Other engineers contribute under their lead.",
        "history_note": {"intro": "First draft of the introductory proposal", "solution": "First draft of the solution proposal",
                         "detailed": "First draft of the detailed technical proposal"},
        "glossary": (
            ("RPO", "Recovery point objective: how much data, in time, may be lost in a disaster"),
            ("RTO", "Recovery time objective: how long until the service runs again"),
            ("MLPS 2.0", "China's Multi-Level Protection Scheme for cybersecurity (GB/T 22239-2019)"),
            ("SLA", "Service level agreement: agreed response, on-site and restore times"),
            ("ITSM", "IT service management: incident, problem, change and configuration processes"),
        ),
        "brief_facts": "Industry: {industry}; presales owner: {owner}; sales owner: {sales}; deadline: {deadline}; "
                       "{n} requirements ({musts} must-haves); written {today}.",
        "trust_line": "The client's trust in us: {level}.",
        "no_competitors": "No competitor information yet. Ask sales to obtain it through the client relationship — "
                          "the more we know, the better targeted the proposal.",
        "placeholder_source": "to write",
    },
}

# Risks a category brings, by the library section that answers it (id without language).
_RISKS = {
    "disaster-recovery": (("灾备切换演练影响生产业务", "先在隔离环境演练，生产演练安排在业务低峰窗口，并准备回切方案"),
                          ("Failover drills disturb production", "Rehearse in isolation first; run production drills in low-traffic windows with a fail-back plan")),
    "backup": (("备份窗口不足，影响夜间批处理", "采用增量永久备份与源端重删，按系统错峰调度"),
               ("Backup windows collide with night batches", "Incremental-forever backup with source deduplication, staggered schedules")),
    "storage": (("数据迁移期间业务中断", "在线迁移工具分批迁移，每批有回退点"),
                ("Service interruption during data migration", "Online migration in batches, each with a rollback point")),
    "cloud-virtualization": (("应用与新平台兼容性问题", "迁移前逐一评估与试迁移，保留原环境直至验收"),
                             ("Applications incompatible with the new platform", "Assess and trial-migrate each one; keep the old platform until acceptance")),
    "network": (("网络割接导致业务中断", "分区割接、双路由保障，割接前完成全量配置核对"),
                ("Network cut-over interrupts services", "Cut over zone by zone on redundant paths after a full configuration check")),
    "cybersecurity": (("整改项目多，测评前无法全部完成", "按差距分析结果排定优先级，高风险项优先整改"),
                      ("Too many findings to fix before the assessment", "Prioritise the gap list; high-risk findings first")),
    "data-platform": (("源系统数据质量差，影响分析结果", "先建数据质量规则，问题数据回溯到源系统整改"),
                      ("Poor source data quality", "Quality rules first; issues traced back and fixed at the source")),
    "operations": (("告警规则不准，造成告警风暴", "上线前按系统调优阈值，逐步启用告警收敛"),
                   ("Badly tuned alerts flood the operators", "Tune thresholds per system before go-live; enable correlation step by step")),
}
_GENERAL_RISKS = (
    (("需求理解偏差", "售前负责人组织需求确认会，需求确认书经{you}签字后冻结"),
     ("Requirements misunderstood", "The presales owner runs a requirements review; the signed requirements are frozen")),
    (("关键人员变动", "项目组设 A/B 角，关键岗位变动须提前两周通知并完成交接"),
     ("Key people change", "Every key role has a deputy; changes announced two weeks ahead with a handover")),
)


def _base_id(section_id: str) -> str:
    return section_id.rsplit("-", 1)[0] if section_id.endswith(("-zh", "-en")) else section_id


def text_for(lang: str, what: str, data):
    """The generated text `what` (challenge, why_us, plan, …) for `data`, in `lang`."""
    return _WRITERS[what](lang, data)


def _challenge(lang, category):
    musts = [r for r in category.requirements if r.priority == "must"]
    top = category.requirements[0]
    if lang == "zh":
        line = f"{category.category}：{len(category.requirements)} 项需求"
        line += f"，其中 {len(musts)} 项必须满足" if musts else ""
        return f"{line}；最关键的是 {top.id}——{top.text}"
    line = f"{category.category}: {len(category.requirements)} requirement(s)"
    line += f", {len(musts)} of them must-haves" if musts else ""
    return f"{line}; the most important is {top.id} — {top.text}"


def _why_us(lang, sel):
    n_req = len(sel.answers)
    answered = sum(1 for a in sel.answers if a.section is not None)
    musts = [a for a in sel.answers if a.requirement.priority == "must"]
    must_answered = sum(1 for a in musts if a.section is not None)
    cases = len(sel.cases)
    if lang == "zh":
        return [
            f"有针对性：本方案只回应{sel.address}提出的 {len(sel.categories)} 类需求，{n_req} 项需求中 {answered} 项已有成熟方案，必须满足项 {must_answered}/{len(musts)} 项已逐条回应。",
            f"可验证：附 {cases} 个同类项目的真实案例，欢迎{sel.address}实地考察或与案例客户交流。",
            f"专人负责：售前负责人 {sel.owner} 全程对接，需求不经转述，问题不推诿。",
            "本地服务：区域技术中心 4 小时到场，7×24 小时服务热线，重保期专人值守。",
            f"经过验证的交付方法：五阶段交付，每个里程碑由{sel.address}签字确认。",
        ]
    return [
        f"Targeted: this proposal answers only your {len(sel.categories)} requirement categories; {answered} of {n_req} requirements "
        f"have a proven answer and {must_answered} of {len(musts)} must-haves are answered point by point.",
        f"Verifiable: {cases} comparable reference projects, open to site visits and reference calls.",
        f"One owner: {sel.owner} is your single point of contact from first meeting to hand-over.",
        "Local service: on site within 4 hours from our regional centres, 24×7 hotline, dedicated staff in critical periods.",
        "Proven delivery: five phases, each milestone signed off by you.",
    ]


def _plan(lang, sel):
    names = [c.category for c in sel.categories]
    build_weeks = max(2, 2 * len(names))
    sep = T[lang]["list_sep"]
    if lang == "zh":
        return [
            {"phase": "调研评估", "duration": "2 周", "tasks": "现场访谈、现状采集、需求逐条确认",
             "deliverables": "现状评估报告、需求确认书"},
            {"phase": "方案设计", "duration": "2 周", "tasks": f"总体架构与详细设计：{sep.join(names)}",
             "deliverables": "总体设计、详细设计、割接方案"},
            {"phase": "实施部署", "duration": f"{build_weeks} 周", "tasks": f"按类别分批实施：{sep.join(names)}",
             "deliverables": "实施记录、变更单"},
            {"phase": "测试验证", "duration": "2 周", "tasks": "功能、性能、切换与安全测试", "deliverables": "测试报告（逐项签字）"},
            {"phase": "上线移交", "duration": "1 周", "tasks": "试运行、知识转移、文档移交", "deliverables": "验收报告、运维手册"},
        ]
    return [
        {"phase": "Assess", "duration": "2 weeks", "tasks": "Interviews, discovery, requirement-by-requirement confirmation",
         "deliverables": "Current-state report, confirmed requirements"},
        {"phase": "Design", "duration": "2 weeks", "tasks": f"High-level and detailed design: {sep.join(names)}",
         "deliverables": "Architecture, detailed design, cut-over plan"},
        {"phase": "Implement", "duration": f"{build_weeks} weeks", "tasks": f"Build in batches by category: {sep.join(names)}",
         "deliverables": "Implementation records, change tickets"},
        {"phase": "Verify", "duration": "2 weeks", "tasks": "Functional, performance, failover and security tests",
         "deliverables": "Signed test reports"},
        {"phase": "Hand over", "duration": "1 week", "tasks": "Pilot run, knowledge transfer, documentation",
         "deliverables": "Acceptance report, operations manual"},
    ]


def _organisation(lang, data):
    req, sel = data
    zh = lang == "zh"
    rows = [{"role": "售前负责人（唯一对接人）" if zh else "Presales owner (single point of contact)", "who": sel.owner,
             "duty": "需求澄清、方案整体把控、内部资源协调、方案审核" if zh
             else "Requirements, overall solution, internal coordination, proposal review"}]
    if req.client.sales_owner:
        rows.append({"role": "销售负责人" if zh else "Account manager", "who": req.client.sales_owner,
                     "duty": "商务沟通与合同" if zh else "Commercial matters and contract"})
    rows.append({"role": "项目经理" if zh else "Project manager", "who": "中标后指定" if zh else "Named at award",
                 "duty": "进度、质量、风险与变更管理" if zh else "Schedule, quality, risk and change management"})
    for category in sel.categories:
        rows.append({"role": f"{category.category} 技术负责人" if zh else f"{category.category} lead",
                     "who": sel.owner if category.placeholders else ("由售前负责人指定" if zh else "Assigned by the presales owner"),
                     "duty": ("设计与实施：" if zh else "Design and delivery: ") + T[lang]["list_sep"].join(r.id for r in category.requirements)})
    return rows


def _risks(lang, sel):
    index = 0 if lang == "zh" else 1
    rows, seen = [], set()
    for category in sel.categories:
        for section in category.sections:
            base = _base_id(section.id)
            if base in _RISKS and base not in seen:
                seen.add(base)
                rows.append(_RISKS[base][index])
    rows += [risk[index] for risk in _GENERAL_RISKS]
    return [{"risk": risk, "mitigation": mitigation.format(you=sel.address)} for risk, mitigation in rows]


def _next_steps(lang, data):
    req, sel = data
    deadline = req.client.deadline
    following = {"intro": "solution", "solution": "detailed", "detailed": None}[sel.stage]
    titles = T[lang]["stage_titles"]
    if lang == "zh":
        steps = [f"与{sel.address}技术负责人召开需求确认会，核对本方案对需求的理解（售前负责人 {sel.owner} 组织）。"]
        if following:
            when = f"，{deadline.year}年{deadline.month}月{deadline.day}日前" if deadline else ""
            steps.append(f"根据确认结果提交《{titles[following]}》{when}。")
        steps.append("安排参考案例客户交流或现场考察。")
        return steps
    steps = [f"A requirements review with your technical lead to confirm our understanding (organised by {sel.owner})."]
    if following:
        when = f" by {deadline.day} {deadline:%B %Y}" if deadline else ""
        steps.append(f"We submit the {titles[following]}{when}.")
    steps.append("Reference calls or site visits with comparable clients.")
    return steps


def _strategy(lang, sel):
    zh = lang == "zh"
    lines = {
        "low": ("信任度低：先建立信任。资质章节前置，提供 {n} 个同类案例；建议从《初步交流方案》开始分阶段推进，不急于投入详细方案。",
                "Low trust: earn it first. Credentials come forward and {n} comparable cases are shown; start with the introductory proposal and advance in stages before investing in a detailed one."),
        "medium": ("信任度中：按需求逐类展开方案，资质放在案例之后，提供 {n} 个案例。",
                   "Medium trust: answer category by category; credentials after the cases; {n} cases."),
        "high": ("信任度高：公司介绍压缩为一段，直接进入方案与应答；可一次性提交详细技术方案。",
                 "High trust: the company part is one paragraph; go straight to the solution and the response matrix — the detailed proposal can go at once."),
    }[sel.trust]
    line = lines[0 if zh else 1].format(n=len(sel.cases))
    gaps = len(sel.placeholders)
    gap_line = (f"尚有 {gaps} 项需求没有现成内容，已在草稿中以【待补充】标出，须在审核前补齐。" if zh
                else f"{gaps} requirement(s) have no library content yet; they are marked [TO WRITE] in the draft and must be written before review.")
    return [line, gap_line] if gaps else [line]


_ANSWERS = (
    (("服务", "本地", "响应", "售后", "service", "support", "local", "response"),
     ("突出本地服务：4 小时到场、7×24 热线（见《服务与支持》）", "Stress local service: 4-hour on-site, 24×7 hotline (Service and Support)")),
    (("价格", "成本", "price", "cost", "cheap"),
     ("强调按需分期建设与总拥有成本，只报客户需要的范围", "Stress phased scope and total cost of ownership; quote only what the client asked for")),
    (("经验", "案例", "行业", "experience", "reference", "track"),
     ("以同行业参考案例证明交付能力", "Prove delivery with comparable reference cases")),
    (("安全", "合规", "等保", "security", "compliance"),
     ("以资质与等保方案章节回应", "Answer with our credentials and the MLPS chapter")),
    (("品牌", "厂商", "原厂", "brand", "vendor"),
     ("强调多厂商集成能力与中立选型", "Stress multi-vendor integration and neutral product choice")),
)


def _counter(lang, data):
    competitor, sel = data
    text = f"{competitor.weaknesses} {competitor.strengths}".casefold()
    index = 0 if lang == "zh" else 1
    found = [answer[index] for words, answer in _ANSWERS if any(w in text for w in words)]
    found.append("需求应答矩阵逐条回应必须满足项" if lang == "zh" else "Answer every must-have point by point in the response matrix")
    return "；".join(found) if lang == "zh" else "; ".join(found)


def _emphasis(lang, category):
    musts = sum(1 for r in category.requirements if r.priority == "must")
    noted = [r.id for r in category.requirements if r.notes]
    zh = lang == "zh"
    if zh:
        why = f"{musts} 项必须满足" if musts else f"最高优先级为“{T['zh']['priority'][category.priority]}”"
        line = f"{category.category}：{why}，共 {len(category.requirements)} 项需求"
        if noted:
            line += f"；客户备注见 {'、'.join(noted)}"
        if category.placeholders:
            line += f"；{len(category.placeholders)} 项待补充"
        return line + "。"
    why = f"{musts} must-have(s)" if musts else f"highest priority {category.priority}"
    line = f"{category.category}: {why}, {len(category.requirements)} requirement(s)"
    if noted:
        line += f"; client notes on {', '.join(noted)}"
    if category.placeholders:
        line += f"; {len(category.placeholders)} to write"
    return line + "."


_WRITERS = {
    "challenge": _challenge, "why_us": _why_us, "plan": _plan, "organisation": _organisation,
    "risks": _risks, "next_steps": _next_steps, "strategy": _strategy, "counter": _counter, "emphasis": _emphasis,
}
