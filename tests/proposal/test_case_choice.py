"""Cases that fit the client: supporting, close to the best match, same industry first, no padding."""

from __future__ import annotations

from docgen.casebook.match import CaseMatch
from docgen.casebook.models import Case
from docgen.core.config import bundled_path
from docgen.proposal.build import prepare, stage_selection
from docgen.proposal.select import choose_cases
from tests.helpers.docs import docx_text
from tests.proposal.test_build import run

EXAMPLES = bundled_path("requirements_forms")


def _match(case_id: str, industry: str, score: float, supports=("R1",), language="zh") -> CaseMatch:
    case = Case(id=case_id, title=case_id, client="c", industry=industry, tags=(), year=2024, language=language,
                external=True, summary="", body="")
    return CaseMatch(case, score, tuple(supports))


def test_the_bank_gets_bank_cases_only_in_every_stage():
    prepared = prepare(EXAMPLES / "example-bank-zh.yaml")
    for stage in ("intro", "solution", "detailed"):
        cases = stage_selection(prepared, stage).cases
        assert cases and [m.case.id for m in cases][0] == "bank-active-active-2024"
        assert {m.case.industry for m in cases} == {"finance"}, stage


def test_weak_cases_are_not_padding():
    matches = [_match("a", "finance", 10.0), _match("b", "healthcare", 3.5), _match("c", "healthcare", 2.9),
               _match("d", "finance", 1.6), _match("e", "finance", 1.4), _match("f", "energy", 9.0, supports=())]
    chosen = [m.case.id for m in choose_cases(matches, "intro", "low", "zh", "finance")]
    # b at 35 % passes; c at 29 % does not; d at 16 % passes as same industry (15 %); e at 14 % does not;
    # f supports nothing. Same industry first.
    assert chosen == ["a", "d", "b"]


def test_the_brief_says_which_cases_and_why(tmp_path):
    brief = tmp_path / "brief.docx"
    assert run("proposal", "brief", EXAMPLES / "example-bank-zh.yaml", "-o", brief).exit_code == 0
    text = docx_text(brief)
    assert "宁缺毋滥" in text and "本客户采用 3 个" in text
