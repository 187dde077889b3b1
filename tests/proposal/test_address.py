"""The client is addressed as Chinese business writing does (贵行, 贵院, 贵校, 贵单位, 贵司), and the project is named."""

from __future__ import annotations

import pytest

from docgen.core.config import bundled_path
from docgen.proposal.address import client_address
from tests.helpers.docs import docx_paragraphs, docx_text
from tests.proposal.test_build import run

EXAMPLES = bundled_path("requirements_forms")


@pytest.mark.parametrize("name, industry, expected", [
    ("华东某城市商业银行", "finance", "贵行"), ("某农商行", "finance", "贵行"), ("某证券公司", "finance", "贵司"),
    ("某市人民医院", "healthcare", "贵院"), ("某区卫生健康中心", "healthcare", "贵院"),
    ("某职业技术学院", "education", "贵校"), ("某市大数据管理局", "government", "贵单位"),
    ("某市政务服务中心", "government", "贵单位"), ("某制造集团", "manufacturing", "贵司"),
    ("Harbor Logistics", "transport", "贵司"),
])
def test_address_by_name_then_industry(name, industry, expected):
    assert client_address(name, industry, "zh") == expected
    assert client_address(name, industry, "en") == "you"


def test_the_bank_is_addressed_as_bank_and_the_project_is_on_cover_and_header(tmp_path):
    draft = tmp_path / "bank.docx"
    assert run("proposal", "build", EXAMPLES / "example-bank-zh.yaml", "--stage", "solution", "-o", draft).exit_code == 0
    text = docx_text(draft)
    assert "对贵行需求的理解" in [t for _, t in docx_paragraphs(draft)]
    assert "贵方" not in text and "贵司" not in text
    assert text.count("同城双活数据中心建设项目") >= 2  # cover title block, cover table and running header
    hospital = tmp_path / "hospital.docx"
    assert run("proposal", "build", EXAMPLES / "example-hospital-zh.yaml", "--stage", "intro", "-o", hospital).exit_code == 0
    assert "对贵院需求的理解" in docx_text(hospital)
