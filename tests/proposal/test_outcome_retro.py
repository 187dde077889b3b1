"""`docgen proposal outcome` and `proposal retro`: after the project, from the released copy's own record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest

from docgen.casebook.outcomes import connect, find, store_path
from docgen.core.docprops import read_stamp
from docgen.proposal.outcome import parse_value
from tests.helpers.docs import docx_tables, docx_text
from tests.proposal.test_build import REQS, run, write_client


@pytest.fixture
def released(tmp_path):
    """A client file with a competitor, its intro draft released as the client copy."""
    req = write_client(tmp_path, REQS, competitors="competitors:\n  - {name: 某友商甲, strengths: 价格低}\n")
    draft, final = tmp_path / "intro.docx", tmp_path / "final.docx"
    assert run("proposal", "build", req, "--stage", "intro", "-o", draft).exit_code == 0
    result = run("proposal", "release", draft, "-o", final, "--reviewer", "王审核")
    assert result.exit_code == 0, result.output
    return req, final, tmp_path / "data"


def test_outcome_records_the_cases_and_answers_of_the_released_copy(released):
    req, final, data = released
    props = read_stamp(final)
    assert props["cases"] and props["answers"] and props["version"] == "V1.0"
    result = run("proposal", "outcome", req, "--result", "lost", "--final", final, "--reason", "价格高于对手",
                 "--competitor", "某友商甲", "--value", "120万", "--date", "2027-01-15", "--data", data)
    assert result.exit_code == 0, result.output
    assert "recorded 测试客户: lost (V1.0" in result.output
    with connect(store_path(data)) as db:
        got = find(db, "测试客户")
    assert got.cases == tuple(props["cases"].split(",")) and got.answers == tuple(props["answers"].split(","))
    assert (got.result, got.reason, got.competitor, got.value, got.decided) == (
        "lost", "价格高于对手", "某友商甲", 1_200_000, dt.date(2027, 1, 15))
    assert (got.industry, got.version, got.owner, got.released) == ("finance", "V1.0", "张伟", dt.date.today().isoformat())

    # later: pending → won without the document again; the cases stay
    again = run("proposal", "outcome", req, "--result", "won", "--data", data)
    assert again.exit_code == 0, again.output
    with connect(store_path(data)) as db:
        later = find(db, "测试客户")
    assert later.result == "won" and later.cases == got.cases and later.reason == "价格高于对手"
    stats = run("cases", "stats", "--data", data)
    assert "1 proposals: won 1, lost 0" in stats.output and got.cases[0] in stats.output


def test_outcome_needs_the_released_copy_first_and_refuses_a_draft(released, tmp_path):
    req, final, data = released
    first = run("proposal", "outcome", req, "--result", "won", "--data", data)
    assert first.exit_code == 2 and "--final" in first.output and "Traceback" not in first.output
    draft = run("proposal", "outcome", req, "--result", "won", "--final", tmp_path / "intro.docx", "--data", data)
    assert draft.exit_code == 2 and "not a released client copy" in draft.output
    (tmp_path / "other").mkdir()
    other = write_client(tmp_path / "other", REQS)
    other.write_text(other.read_text(encoding="utf-8").replace("测试客户", "另一家客户"), encoding="utf-8")
    wrong = run("proposal", "outcome", other, "--result", "won", "--final", final, "--data", data)
    assert wrong.exit_code == 2 and "not 另一家客户" in wrong.output
    assert run("proposal", "outcome", req, "--result", "won", "--final", final, "--value", "lots",
               "--data", data).exit_code == 2


def test_value_parsing():
    assert [parse_value(v) for v in ("1200000", "1,200,000", "120万", "1.2亿", "¥300000", None)] == [
        1_200_000, 1_200_000, 1_200_000, 120_000_000, 300_000, None]


def test_retro_reports_asked_answered_cases_outcome_lessons_and_updates(released, tmp_path):
    req, final, data = released
    run("proposal", "outcome", req, "--result", "lost", "--final", final, "--reason", "价格高于对手",
        "--competitor", "某友商甲", "--data", data)
    out = tmp_path / "retro.docx"
    result = run("proposal", "retro", req, "-o", out, "--data", data)
    assert result.exit_code == 0, result.output
    text = docx_text(out)
    for expected in ("项目复盘", "内部资料", "未中标", "价格高于对手", "某友商甲", "一、客户要求了什么", "二、我们的应答",
                     "三、使用的案例", "四、经验教训", "做得好的", "五、案例库与应答库更新建议", "复核案例"):
        assert expected in text, expected
    asked = next(t for t in docx_tables(out) if t[0][0] == "编号")
    assert [row[0] for row in asked[1:]] == ["R1", "R3", "R2", "R4"]  # must-haves first
    cases = next(t for t in docx_tables(out) if t[0][0] == "案例")
    assert [row[0] for row in cases[1:]] == read_stamp(final)["cases"].split(",")
    assert all(row[3:5] == ["0", "1"] for row in cases[1:])  # each case: won 0, lost 1
    assert read_stamp(out)["kind"] == "retro"
    document = docx.Document(str(out))
    assert "内部资料" in document.sections[0].header.paragraphs[0].text
    # an internal document never goes out
    assert run("proposal", "check", out).exit_code == 1


def test_retro_without_a_recorded_outcome_says_what_to_do(released, tmp_path):
    req, _, data = released
    result = run("proposal", "retro", req, "-o", tmp_path / "r.docx", "--data", data)
    assert result.exit_code == 2 and "no outcomes recorded yet" in result.output
    assert not Path(tmp_path / "r.docx").exists()
