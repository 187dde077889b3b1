"""docgen's own messages (problems, warnings, job outcomes, check findings) in the reader's language.

The library writes its messages in English for the CLI and its tests; the
web shows them to people who read Chinese. Rather than give every message in
every domain a code, this catalogue matches the library's message *templates*
(a pattern per message, with the variable parts as named groups) and writes
the Chinese sentence around the same values. A group named `p…` is itself a
phrase of the library ("a number", "points from 0 to 15 …") and is
translated in turn; other groups (values the user typed, ids, column names)
come out exactly as they were. A message the catalogue does not know is
shown as written — tests/web/test_messages.py raises real problems from each
loader and checks every one of them comes out in Chinese.
"""

from __future__ import annotations

import re

_V = r"(?P<{}>.+?)"  # a variable part, shortest match

# Whole phrases: the `expected …` and `… is required (…)` parts, finding labels, places.
PHRASES = {
    "a number": "数字",
    "a number from -10^12 to 10^12": "−10^12 到 10^12 之间的数字",
    "a level from 1 to 5": "介于 1 到 5 之间的等级",
    "an Excel workbook (.xlsx)": "Excel 工作簿（.xlsx）",
    "a Word document (.docx)": "Word 文档（.docx）",
    "a YAML text file (.yaml)": "YAML 文本文件（.yaml）",
    "the competitor's name": "竞争对手名称",
    "the client's name": "客户名称",
    "the contact's name": "联系人姓名",
    "exactly one presales engineer owns each client": "每个客户由且仅由一名售前工程师负责",
    "a unique id such as R1": "唯一编号，例如 R1",
    "what the client asked for": "客户提出的需求内容",
    "groups requirements into proposal sections": "用于把需求归入方案章节",
    "target and actual": "目标值和实际值",
    "actual": "实际值",
    # proposal check (项目审核) finding kinds and places
    "not a docgen draft": "不是 docgen 草稿",
    "internal document": "内部文档",
    "draft is for another client": "草稿属于其他客户",
    "requirements file not found": "找不到需求文档",
    "placeholder left": "残留占位符",
    "must-have not addressed": "必须项未响应",
    "compliance not earned": "未满足的合规声明",
    "competitor name leaked": "泄露竞争对手名称",
    "internal case leaked": "泄露内部案例",
    "unrendered template tag": "未渲染的模板标签",
    "empty section": "空章节",
    "document": "整篇文档",
    "header": "页眉",
    "cover": "封面",
    "nothing under this heading": "此标题下没有内容",
    "the internal strategy brief": "内部策略简报",
    "the internal assignment sheet": "内部模块分配表",
    "a case-study pack": "案例集",
    "an already released client copy": "已发布的客户版",
    "intro": "初步交流方案",
    "solution": "解决方案建议书",
    "detailed": "详细技术方案",
}

# (pattern, Chinese) pairs, tried in order; each pattern must match the whole message.
_RULES = [
    # --- uploads and files (docgen.web.uploads, core.xlsxguard, core.yamlload) ---
    (r"file not found", "文件不存在"),
    (r"choose a file to upload", "请选择要上传的文件"),
    (r"the file is empty", "文件是空的"),
    (r"the file is larger than {n} MB", "文件超过 {n} MB"),
    (r"request too large: uploads are limited to {n} MB", "请求过大：上传文件不得超过 {n} MB"),
    (r"malformed form \({v}\)", "表单格式有误（{v}）"),
    (r"not UTF-8 text; save the file as UTF-8", "不是 UTF-8 文本；请以 UTF-8 编码保存文件"),
    (r"not a text file \(binary content\); expected {p}", "不是文本文件（内容为二进制）；应为{p}"),
    (r"not {p}: the content is something else \(renamed file\?\)", "不是{p}：文件内容是别的格式（是否改过扩展名？）"),
    (r"not {p}: it is a zip file without {v}", "不是{p}：这是一个缺少 {v} 的 zip 文件"),
    (r"damaged file \({v}\); expected {p}", "文件已损坏（{v}）；应为{p}"),
    (r"refused: {n} parts inside the file \(a zip bomb\?\); at most {m}",
     "已拒绝：文件内含 {n} 个部件（疑似 zip 炸弹）；最多允许 {m} 个"),
    (r"refused: unpacks to {n} MB \(a zip bomb\?\); at most {m} MB",
     "已拒绝：解压后达 {n} MB（疑似 zip 炸弹）；最多允许 {m} MB"),
    (r"refused: part {v} is compressed {n}:1 \(a zip bomb\?\); at most {m}:1",
     "已拒绝：部件 {v} 的压缩比为 {n}:1（疑似 zip 炸弹）；最多允许 {m}:1"),
    (r"not an Excel \.xlsx workbook; save it as \.xlsx", "不是 Excel .xlsx 工作簿；请另存为 .xlsx"),
    (r"not an Excel \.xlsx workbook \({v}\); save it as \.xlsx", "不是 Excel .xlsx 工作簿（{v}）；请另存为 .xlsx"),
    (r"cannot read this Excel file: damaged or unsupported zip \({v}\)", "无法读取此 Excel 文件：zip 已损坏或格式不受支持（{v}）"),
    (r"cannot read this Excel file: {v}", "无法读取此 Excel 文件：{v}"),
    (r"{v}; docgen allows {m} \(to allow more, set the environment variable {w}\)",
     "{v};docgen 最多允许 {m}（如需放宽，请设置环境变量 {w}）"),
    (r"not valid YAML \(column {n}\): {v}", "不是有效的 YAML（第 {n} 列）：{v}"),
    (r"not valid YAML: {v}", "不是有效的 YAML:{v}"),
    (r"a mapping key must be a plain name", "映射的键必须是普通名称"),
    (r"is {n} characters long; docgen reads YAML of at most {m} characters \(keep long lists in an Excel form\)",
     "长度为 {n} 个字符；docgen 读取的 YAML 最多 {m} 个字符（较长的清单请使用 Excel 表单）"),
    # --- the score workbook (docgen.review.scoresheet, roles, batch) ---
    (r"expected a whole level from 1 to 5, got {v}", "应为 1 到 5 的整数等级，实际为 {v}"),
    (r"expected {p}, got text {v}", "应为{p}，实际填写的是文本 {v}"),
    (r"expected {p}, got {v}", "应为{p}，实际为 {v}"),
    (r"points from 0 to {n} \(the weight of {w}\)", "介于 0 到 {n} 之间的分数（{w} 的权重）"),
    (r"missing score; expected {p}, or {p2} for its {w} rule",
     "缺少得分；应填写{p}，或填写{p2}以按其 {w} 规则计算"),
    (r"missing score; expected {p}", "缺少得分；应填写{p}"),
    (r"cannot compute {w}: the {r} rule {v}", "无法计算 {w}：{r} 规则 {v}"),
    (r"missing name; every employee needs one", "缺少姓名；每位员工都必须填写"),
    (r"missing name", "缺少姓名"),
    (r"missing level; expected 1 to 5", "缺少等级；应为 1 到 5"),
    (r"adjustment {n} is outside ±5; counted as {m}", "调整分 {n} 超出 ±5；按 {m} 计"),
    (r"the sheet is empty; expected a header row: {v}", "工作表是空的；应有表头行：{v}"),
    ((r"unknown column {v} for role {w}; expected {x}(?: \(see docs/score-workbook\.md; `docgen review scoresheet` "
      r"writes them all\))?"), "角色 {w} 没有列 {v}；应有的列见评分表模板（“下载评分表”生成全部列）"),
    (r"column {v} appears twice \(also column {w}\)", "列 {v} 出现了两次（另见 {w} 列）"),
    (r"missing column\(s\): {v}", "缺少列：{v}"),
    (r"missing column {v}; expected {w}", "缺少列 {v}；应有的列：{w}"),
    (r"no sheet {v}; the workbook has {w}", "没有名为 {v} 的工作表；此工作簿中的工作表：{w}"),
    (r"missing employee_id", "缺少 employee_id（员工编号）"),
    (r"duplicate employee_id {v} \(also row {n}\)", "employee_id {v} 重复（第 {n} 行也使用了）"),
    (r"duplicate employee_id \(also row {n}\)", "employee_id 重复（第 {n} 行也使用了）"),
    (r"no employees: the sheet has a header but no rows below it", "没有员工：工作表只有表头，下面没有数据行"),
    (r"file name {v} is also used by row {n}; make the employee_id or name differ",
     "文件名 {v} 与第 {n} 行重复；请让 employee_id 或姓名有所区别"),
    (r"unknown role {v}; expected one of: {w} \(or the path of a role \.yaml file\)", "未知角色 {v}；可选：{w}"),
    (r"unknown role {v}", "未知角色 {v}"),
    # fill warnings (docgen.review.batch)
    (r"department {v}: {n} of {m} graded S or A \({x}\), above the {w} limit; calibrate before the results go out",
     "部门 {v}：{m} 人中有 {n} 人评为 S 或 A（{x}），超过 {w} 的上限；结果发出前请先校准"),
    ((r"{v}: {w} does not fit its box in the packet; the box shows the start and says so, the full text is in "
      r"{x} \(sheet Comments\)"), "{v}：{w} 超出考核表中的方框；方框内显示开头部分并注明，全文见 {x}（Comments 工作表）"),
    ((r"{v}: {w} does not fit its box even at {n} pt; the box prints its start and the full text is on page {m} "
      r"\(Continuation\): this packet has {x} pages"),
     "{v}：{w} 在 {n} 磅字号下仍超出栏位；该栏只印开头，全文印在第 {m} 页附页，本册共 {x} 页"),
    ((r"{v}: {w} manager score {x} differs from the {y} its rule gives by {z} \(more than {n} points\); "
      r"marked {a} in the packet, HR to decide"),
     "{v}：{w} 上级评分 {x} 与按规则计算的 {y} 相差 {z} 分（超过 {n} 分），已在考核表中以 {a} 标出，请人力资源部核定"),
    (r"removed {v}, left in {w} by an earlier run that was killed", "已删除 {v}（上次被中断的运行留在 {w} 中）"),
    # --- requirements files (docgen.intake.requirements) ---
    (r"expected text, got a list or mapping", "应为文本，实际是列表或映射"),
    (r"{v} is required \({p}\)", "{v} 为必填项（{p}）"),
    (r"{v} is not allowed; expected one of {w} \(or {x}\)", "{v} 不是允许的值；可选：{w}（或 {x}）"),
    (r"{v} is not allowed; expected one of {w}", "{v} 不是允许的值；可选：{w}"),
    (r"{v} is not a date; expected a date like 2026-12-20", "{v} 不是日期；应写成 2026-12-20 这样的日期"),
    (r"each entry of {v} must be a mapping of fields", "{v} 的每一项都必须是字段映射"),
    (r"{v} must be a list", "{v} 必须是列表"),
    (r"unknown field {v} ignored; expected one of {w}", "未知字段 {v} 已忽略；可用字段：{w}"),
    (r"client section is missing; it needs at least name, industry and presales_owner",
     "缺少 client 部分；至少需要 name、industry 和 presales_owner"),
    (r"unknown industry {v}; expected one of {w} \(or {x}\)", "未知行业 {v}；可选：{w}（或 {x}）"),
    (r"unknown industry {v}; expected one of {w}", "未知行业 {v}；可选：{w}"),
    (r"one presales owner per client \(专人负责\), found {n}: {v}; name one owner and put others in notes",
     "每个客户只能有一名售前负责人（专人负责），此处有 {n} 名：{v}；请只写一名负责人，其他人写入备注"),
    (r"presales_owner is required \(exactly one presales engineer owns each client\)",
     "presales_owner 为必填项（每个客户由且仅由一名售前工程师负责）"),
    (r"requirements are missing; at least one requirement is needed", "缺少 requirements；至少需要一条需求"),
    (r"requirements is empty; at least one requirement is needed", "requirements 为空；至少需要一条需求"),
    (r"duplicate id {v}; ids must be unique \(first used at line {n}\)", "编号 {v} 重复；编号必须唯一（首次出现于第 {n} 行）"),
    (r"duplicate id {v}; ids must be unique \(first used at {w}\)", "编号 {v} 重复；编号必须唯一（首次出现于 {w}）"),
    (r"priority is empty; taken as should", "priority 为空；按 should（应该）处理"),
    (r"one of {v}", "以下之一：{v}"),
    # requirements check warnings (docgen.intake.requirements.summarize)
    (r"no must-have requirement: ask the client what they cannot do without", "没有必须项需求：请向客户确认哪些是不可或缺的"),
    (r"deadline {v} has passed", "截止日期 {v} 已过"),
    (r"no client contact: add who we talk to \(name, role\)", "没有客户联系人：请补充对接人（姓名、职务）"),
    (r"no competitors listed: the internal brief will have no competitor analysis",
     "未列出竞争对手：内部策略简报将没有竞争分析"),
    (r"background mentions {v}: background is printed in the proposal; move notes meant for us to internal_notes",
     "background 提到了 {v}:background 会印在方案中；内部备注请移到 internal_notes"),
    # --- casebook (docgen.casebook) ---
    (r"no case with id {v}; did you mean {w}\?", "没有编号为 {v} 的案例；您是否要找 {w}？"),
    (r"no case with id {v}; `docgen cases search` lists the ids", "没有编号为 {v} 的案例"),
    (r"case {v} is internal \(external: false\) and must not go to a client; {w}", "案例 {v} 为内部案例，不得提供给客户"),
    (r"language {v} must be zh or en", "语言 {v} 只能是 zh 或 en"),
    (r"tick at least one case", "请至少勾选一个案例"),
    # --- proposals (docgen.web.routes.proposals, docgen.proposal.check) ---
    (r"unknown stage {v}; expected one of: {w}", "未知阶段 {v}；可选：{w}"),
    (r"this draft was not built in this workspace, or its requirements file is gone: upload its requirements file with it",
     "此草稿不是在本工作台生成的，或其需求文档已不存在：请同时上传它的需求文档"),
    (r"{v}: still to write \({w}\)", "{v}：尚待撰写（{w}）"),
    (r"no preview: LibreOffice is not installed on the server", "无预览：服务器未安装 LibreOffice"),
    ((r"no docgen record \(docgen\.kind\) in its properties: only a draft built by `docgen proposal build` can be "
      r"checked and released"), "文档属性中没有 docgen 记录（docgen.kind）：只有 docgen 生成的方案草稿才能审核和发布"),
    (r"this is {p} \(docgen\.kind = {v}\), not a proposal draft: it is never released",
     "这是{p}（docgen.kind = {v}），不是方案草稿：不会对外发布"),
    (r"this draft is for {v}, not {w} \({x}\)", "此草稿属于 {v}，而不是 {w}（{x}）"),
    (r"{v} \(recorded in the draft\) is gone; pass --requirements FILE", "草稿中记录的 {v} 已不存在；请上传其需求文档"),
    (r"{v}: not a readable Word document \({w}\)", "{v}：不是可读取的 Word 文档（{w}）"),
    (r"{v} answered as not met", "{v} 的答复为不满足"),
    (r"{v} \(not mentioned\)", "{v}（方案中未提及）"),
    # --- accounts (docgen.web.accounts) ---
    (r"user name: 1 to 64 letters, digits, '\.', '_', '-' or '@', no spaces",
     "用户名：1 到 64 个字母、数字、'.'、'_'、'-' 或 '@'，不能有空格"),
    (r"role {v}: expected one of {w}", "角色 {v}：可选 {w}"),
    (r"password: at least {n} characters", "密码：至少 {n} 个字符"),
    (r"user {v} already exists", "用户 {v} 已存在"),
    (r"no user {v}", "没有用户 {v}"),
    (r"the casebook index is being built; try again in a moment", "案例库索引正在建立，请稍候片刻再试（页面会自动刷新）"),
    (r"the casebook could not be indexed \({v}\); the server tries again every few seconds",
     "案例库无法建立索引（{v}）；服务器每隔几秒会重试"),
    # --- the audit log's details (docgen.web.routes) ---
    (r"review fill {v} \({w}\) job {x}", "考核表生成：{v}（{w}），任务 {x}"),
    (r"proposal draft {p} from {v} job {x}", "方案草稿（{p}）：{v}，任务 {x}"),
    (r"proposal brief from {v} job {x}", "内部策略简报：{v}，任务 {x}"),
    (r"proposal plan from {v} job {x}", "模块分配表：{v}，任务 {x}"),
    (r"case pack {v}", "案例集 {v}"),
    (r"{v}: {n} finding\(s\)", "{v}：{n} 个问题"),
    (r"{v}: {n} cases", "{v}：{n} 个案例"),
    (r"{v} → {w}, reviewer {x}", "{v} → {w}，审核人 {x}"),
    # --- jobs (docgen.web.jobs, worker, app) ---
    (r"nothing was generated", "未生成任何文件"),
    (r"timed out after {n} s; the job was stopped", "超过 {n} 秒未完成，任务已停止"),
    (r"the job stopped unexpectedly \(exit code {n}\)", "任务意外终止（退出码 {n}）"),
    (r"the job could not start \({v}\)", "任务无法启动（{v}）"),
    (r"interrupted: the server was restarted; start the job again", "已中断：服务器重启过；请重新提交任务"),
    (r"internal error \({v}\); the server keeps running", "内部错误（{v}）；服务器仍在正常运行"),
    (r"internal error \({v}\)", "内部错误（{v}）"),
    (r"expected {p}", "应为{p}"),
]

_GROUP = re.compile(r"\{(\w+)\}")


def _compile(pattern: str) -> re.Pattern:
    # {n}/{m}: a number; {p…}: a phrase translated in turn; anything else: a value shown as it is.
    def group(match):
        name = match.group(1)
        if name in ("n", "m"):
            return rf"(?P<{name}>[-+]?[\d.,]+)"
        return _V.format(name)
    return re.compile(_GROUP.sub(group, pattern), re.DOTALL)


RULES = [(_compile(pattern), zh) for pattern, zh in _RULES]


def _zh(text: str) -> str | None:
    """The Chinese of one message or phrase, or None when the catalogue does not know it."""
    if text in PHRASES:
        return PHRASES[text]
    for pattern, zh in RULES:
        match = pattern.fullmatch(text)
        if match:
            values = {k: (_zh(v) or v) if k.startswith("p") else v for k, v in match.groupdict().items()}
            return zh.format(**values)
    return None


def message(text: str, lang: str) -> str:
    """`text` (an English message of docgen's) in `lang`; unknown messages stay as written."""
    if lang == "en" or not text:
        return text
    return _zh(text) or text


def known(text: str) -> bool:
    return _zh(text) is not None


_PLACE_ZH = {"sheet": "工作表 {}", "row": "第 {} 行", "column": "{} 列", "line": "第 {} 行", "field": "字段 {}"}
_PLACE_EN = {"sheet": "sheet {}", "row": "row {}", "column": "column {}", "line": "line {}", "field": "field {}"}


def place(where: dict, lang: str) -> str:
    """A problem's place (a problem record's file/sheet/row/column/line/field) in words of `lang`."""
    words = _PLACE_EN if lang == "en" else _PLACE_ZH
    parts = [str(where["file"])] if where.get("file") else []
    parts += [words[key].format(where[key]) for key in words if where.get(key) not in (None, "")]
    return (", " if lang == "en" else "，").join(parts)
