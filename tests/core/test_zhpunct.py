"""The Chinese punctuation checker: what it finds, what it leaves alone, and the fix."""

from __future__ import annotations

import pytest

from docgen.core.zhpunct import check_file, check_markdown, check_python, check_yaml, fix


def marks(findings):
    return [(f.line, f.column, f.char, f.suggestion) for f in findings]


def fixed_markdown(text):
    return fix(text, check_markdown(text))


@pytest.mark.parametrize("before, after", [
    ("核心系统,网银和信贷系统", "核心系统，网银和信贷系统"),
    ("自评: ☐", "自评：☐"),
    ("先迁移外围系统;再切换核心", "先迁移外围系统；再切换核心"),
    ("部署 Data Guard (ADG) 同步复制", "部署 Data Guard（ADG）同步复制"),
    ("资质证书(CS3)", "资质证书（CS3）"),
    ("满足监管\"同城双活、异地灾备\"的要求", "满足监管“同城双活、异地灾备”的要求"),
    ("称为'两地三中心'架构", "称为‘两地三中心’架构"),
    ("- **数据复制**:异步复制", "- **数据复制**：异步复制"),
    ("真的吗?是的!", "真的吗？是的！"),
    ("核心系统 RPO=0;", "核心系统 RPO=0；"),
])
def test_half_width_marks_in_chinese_prose_become_full_width(before, after):
    assert fixed_markdown(before) == after


@pytest.mark.parametrize("text", [
    "可用性 99.99%,",  # the mark ends the line: still found (see below), the number is not touched
])
def test_numbers_keep_their_marks(text):
    assert fixed_markdown(text) == "可用性 99.99%，"


@pytest.mark.parametrize("text", [
    "比例为 3:1,时间 10:30 开始,共 1,000 台",  # only the two commas next to Chinese
])
def test_ratios_times_and_thousands_are_not_punctuation(text):
    assert fixed_markdown(text) == "比例为 3:1，时间 10:30 开始，共 1,000 台"


@pytest.mark.parametrize("text", [
    "Supports RPO 0, RTO 30 minutes (active-active).",  # English prose
    "The guide says 灾备 (DR) and 备份 (backup) are different things, and so on.",  # English with Chinese words
    "见 `a,b:c(d)` 代码",  # inline code
    "见 [官网](https://example.com/a?x=1&y=2) 说明",  # link target
    "访问 https://example.com/a,b 即可",  # URL
    "客户{{ client.name }}的{% if x %}需求{% endif %}",  # Jinja
    "<!-- 注释:不检查 -->",  # HTML comment
    "```\n代码,不检查\n```",  # fenced code
    "已完成 “灾备” 与 ‘备份’。",  # already right
])
def test_code_urls_templates_and_english_are_left_alone(text):
    assert check_markdown(text) == []


def test_positions_are_file_lines_and_columns_after_front_matter():
    text = "---\nid: x\ntitle: 银行灾备(内部)\nlanguage: zh\n---\n## 挑战\n第一行\n资产规模,核心系统\n"
    assert marks(check_markdown(text)) == [(3, 12, "(", "（"), (3, 15, ")", "）"), (8, 5, ",", "，")]


def test_english_front_matter_skips_the_file():
    assert check_markdown("---\nid: x\nlanguage: en\n---\n见附件(一),谢谢\n") == []


def test_yaml_checks_values_not_keys_or_flow_syntax():
    text = ("名称: 值\ntags: [容灾, 灾备]\nmap: {name: 证书(高级), number: \"2015-QG\"}\n"
            "rule_zh: 得分 = 10 × 实际/目标,最高 10 分\nrule_en: Score, at most 10 (capped)\n"
            "quoted: \"说明:见附件\"\nblock: |\n  第一行,第二句\n")
    assert marks(check_yaml(text)) == [
        (3, 15, "(", "（"), (3, 18, ")", "）"), (4, 25, ",", "，"), (6, 12, ":", "："), (8, 6, ",", "，")]
    assert "tags: [容灾, 灾备]" in fix(text, check_yaml(text))


def test_yaml_en_keys_are_english():
    assert check_yaml("name_en: 华存 (Huacun), partner\n") == []


def test_python_checks_string_literals_but_not_docstrings_comments_or_patterns():
    source = (
        '"""模块说明:不检查。"""\n'
        '# 注释:不检查\n'
        'PATTERN = r"(?:等保|等级保护):"\n'
        'LABEL = "考核周期:"\n'
        'LINE = f"行业:{industry},年份 {year}"\n'
    )
    assert marks(check_python(source)) == [(4, 14, ":", "："), (5, 12, ":", "："), (5, 23, ",", "，")]


def test_fix_applies_suggestions_and_removes_spaces_a_full_width_mark_makes_redundant():
    text = "部署 Data Guard (ADG) 复制, 然后切换\n- (a) 列表项不动\n"
    assert fixed_markdown(text) == "部署 Data Guard（ADG）复制，然后切换\n- （a）列表项不动\n"


def test_check_file_by_kind(tmp_path):
    (tmp_path / "a.md").write_text("资产,规模\n", encoding="utf-8")
    (tmp_path / "a.yaml").write_text("k: 资产,规模\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("资产,规模\n", encoding="utf-8")
    assert [len(check_file(tmp_path / name)) for name in ("a.md", "a.yaml", "a.txt")] == [1, 1, 0]
