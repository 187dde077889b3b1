"""docgen's own messages come out in Chinese on a Chinese page (docgen.web.messages).

Each test raises real problems from a loader with a bad input — a score
workbook, a requirements file, an upload, a case pack — and checks every
message the library wrote has a Chinese sentence in the catalogue that keeps
the values the user typed; the English (the CLI's) is unchanged.
"""

from __future__ import annotations

import re
import zipfile

import pytest

from docgen.core.errors import InputError
from docgen.web.messages import PHRASES, known, message, place

CJK = re.compile(r"[\u4e00-\u9fff]")


def _problems(call) -> list:
    with pytest.raises(InputError) as caught:
        call()
    return caught.value.problems


def _all_in_chinese(problems) -> None:
    untranslated = [p.message for p in problems if not known(p.message)]
    assert not untranslated, untranslated
    for p in problems:
        assert CJK.search(message(p.message, "zh")), p.message
        assert message(p.message, "en") == p.message


def test_score_workbook_mistakes_are_all_in_chinese(tmp_path):
    from openpyxl import load_workbook

    from docgen.review.scoresheet import SCORES, read_scoresheet
    from tests.helpers.review import ENGINEER, make_workbook, typical_row

    k1, b1 = ENGINEER.kpis[0].code, ENGINEER.behaviors[0].code
    rows = [typical_row(ENGINEER, 1, **{f"{k1}.self": "很好"}),
            typical_row(ENGINEER, 2, **{f"{b1}.level": 9, f"{k1}.self": 999}),
            typical_row(ENGINEER, 3, **{f"{b1}.level": 2.5, "adjustment": 7}),
            typical_row(ENGINEER, 4, employee_id="E001", name=None, **{f"{b1}.level": None}),
            typical_row(ENGINEER, 5, employee_id=None, **{f"{k1}.score": None, f"{k1}.target": None,
                                                            f"{k1}.actual": None})]
    path = make_workbook(tmp_path / "scores.xlsx", ENGINEER, rows)
    problems = _problems(lambda: read_scoresheet(path, ENGINEER))
    assert len(problems) >= 7
    _all_in_chinese(problems)
    text = {message(p.message, "zh") for p in problems}
    assert "应为 1 到 5 的整数等级，实际为 2.5" in text
    assert any("实际填写的是文本 '很好'" in t for t in text)  # the value exactly as typed
    assert any(t.startswith("employee_id 'E001' 重复") for t in text)

    wb = load_workbook(path)
    ws = wb[SCORES]
    ws.cell(row=1, column=ws.max_column + 1, value="bonus")
    ws.cell(row=1, column=ws.max_column + 1, value="name")
    ws.delete_cols(3)  # department
    wb.save(tmp_path / "columns.xlsx")
    _all_in_chinese(_problems(lambda: read_scoresheet(tmp_path / "columns.xlsx", ENGINEER)))

    wb = load_workbook(path)
    wb[SCORES].title = "Sheet1"
    wb.save(tmp_path / "sheet.xlsx")
    _all_in_chinese(_problems(lambda: read_scoresheet(tmp_path / "sheet.xlsx", ENGINEER)))
    _all_in_chinese(_problems(lambda: read_scoresheet(make_workbook(tmp_path / "empty.xlsx", ENGINEER, []),
                                                      ENGINEER)))
    (tmp_path / "text.xlsx").write_text("not a workbook")
    _all_in_chinese(_problems(lambda: read_scoresheet(tmp_path / "text.xlsx", ENGINEER)))


BAD_REQUIREMENTS = """\
client:
  name: 某银行
  industry: bakery
  presales_owner: [张伟, 李娜]
  deadline: next week
  trust: total
  colour: blue
requirements:
  - {id: R1, category: 灾备, text: 同城双活, priority: must}
  - {id: R1, category: 灾备, text: 备份, priority: }
  - {id: R3, text: 监控}
"""


def test_requirements_mistakes_are_all_in_chinese(tmp_path):
    from docgen.intake.requirements import (
        check_requirements,
        load_requirements,
        summarize,
    )

    path = tmp_path / "bad.yaml"
    path.write_text(BAD_REQUIREMENTS, encoding="utf-8")
    problems = _problems(lambda: load_requirements(path))
    assert len(problems) >= 5
    _all_in_chinese(problems)
    (tmp_path / "syntax.yaml").write_text("client: [unclosed\n", encoding="utf-8")
    _all_in_chinese(_problems(lambda: load_requirements(tmp_path / "syntax.yaml")))
    (tmp_path / "none.yaml").write_text("requirements: []\n", encoding="utf-8")
    _all_in_chinese(_problems(lambda: load_requirements(tmp_path / "none.yaml")))

    # A file that loads, with warnings: the check's warnings are Chinese too.
    good = tmp_path / "thin.yaml"
    good.write_text("client: {name: 某银行, industry: finance, presales_owner: 张伟, deadline: 2020-01-01}\n"
                    "requirements:\n  - {id: R1, category: 灾备, text: 同城双活, priority: , extra: 1}\n",
                    encoding="utf-8")
    req, warnings = check_requirements(good)
    summary = summarize(req)
    assert warnings and summary.warnings
    _all_in_chinese(warnings)
    for w in summary.warnings:
        assert known(w) and CJK.search(message(w, "zh")), w
    assert "截止日期 2020-01-01 已过" in {message(w, "zh") for w in summary.warnings}


def test_fill_warnings_are_in_chinese(tmp_path):
    from docgen.review.batch import fill
    from tests.helpers.review import ENGINEER, make_workbook, typical_row

    # Every kind of fill warning: a comment continued on the 附页, scores the rules put elsewhere
    # (typical_row's), a department of five above the S+A limit.
    rows = [typical_row(ENGINEER, n, manager_comment="方案质量稳定。" * (400 if n == 1 else 1)) for n in range(1, 6)]
    warnings = fill(make_workbook(tmp_path / "s.xlsx", ENGINEER, rows), ENGINEER, tmp_path / "out").warnings
    assert {"附页" in message(w, "zh") or "规则" in message(w, "zh") or "上限" in message(w, "zh") for w in warnings} == {True}
    assert any("附页" in message(w, "zh") for w in warnings) and any("上限" in message(w, "zh") for w in warnings)
    for w in warnings:
        assert known(w) and CJK.search(message(w, "zh")), w


def test_upload_refusals_are_in_chinese(tmp_path):
    from docgen.web.uploads import check_content

    renamed = tmp_path / "renamed.xlsx"
    renamed.write_bytes(b"\x7fELF" + bytes(200))
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", b"<a/>")
        zf.writestr("xl/big.xml", bytes(300 << 20))
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"a\0b")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("café".encode("latin-1"))
    problems = []
    for path, kind in ((renamed, "xlsx"), (bomb, "xlsx"), (binary, "yaml"), (latin, "yaml")):
        problems += _problems(lambda path=path, kind=kind: check_content(path, kind, path.name))
    _all_in_chinese(problems)
    assert any("zip 炸弹" in message(p.message, "zh") for p in problems)


def test_case_pack_and_check_findings_are_in_chinese(tmp_path):
    from docgen.casebook.cases import load_casebook
    from docgen.casebook.pack import PackOptions, build_pack
    from docgen.core.config import bundled_path
    from docgen.proposal.check import KIND_LABELS

    cases = load_casebook(bundled_path("casebook"))
    internal = next(c.id for c in cases if not c.external)
    problems = _problems(lambda: build_pack(cases, ["no-such-case", internal], tmp_path / "p.docx", PackOptions()))
    _all_in_chinese(problems)
    assert all(label in PHRASES for label in KIND_LABELS.values())


def test_job_outcomes_and_places():
    for text in ("timed out after 900 s; the job was stopped", "the job stopped unexpectedly (exit code -9)",
                 "internal error (RuntimeError: boom)", "interrupted: the server was restarted; start the job again",
                 "R7: still to write (同城双活)", "no preview: LibreOffice is not installed on the server"):
        assert CJK.search(message(text, "zh")), text
    assert message("timed out after 900 s; the job was stopped", "zh") == "超过 900 秒未完成，任务已停止"
    where = {"file": "scores.xlsx", "sheet": "Scores", "row": 3, "column": "M (B1.level)", "line": "", "field": ""}
    assert place(where, "zh") == "scores.xlsx，工作表 Scores，第 3 行，M (B1.level) 列"
    assert place(where, "en") == "scores.xlsx, sheet Scores, row 3, column M (B1.level)"
    assert message("something docgen never says", "zh") == "something docgen never says"


def test_the_pages_chinese_uses_full_width_punctuation():
    from pathlib import Path

    from docgen.core.zhpunct import check_file

    web = Path(__file__).resolve().parents[2] / "docgen" / "web"
    findings = [f"{name}: {f}" for name in ("i18n.py", "messages.py") for f in check_file(web / name)]
    assert not findings, findings
