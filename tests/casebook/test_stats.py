"""What recorded outcomes teach the casebook (docgen.casebook.outcomes/stats, `docgen cases stats|match|lint`).

A scripted history of 20 proposals; every expected figure below was counted by hand from HISTORY.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from docgen.casebook.match import match_cases
from docgen.casebook.outcomes import Outcome, connect, find, record, record_many, store_path
from docgen.casebook.search import build_index
from docgen.casebook.stats import compute, usage_findings, win_rates
from docgen.cli import main
from docgen.intake.models import Client, Requirement, RequirementsFile
from tests.helpers.casebook import case_file, make_case

A, B, C = "bank-active-active-2024", "rural-bank-backup-2023", "hospital-pacs-2024"
# (industry, result, competitor, cases); proposal n is decided on 2026-01-n
HISTORY = [
    ("finance", "won", "X", (A, B)), ("finance", "lost", "X", (A,)), ("finance", "won", "", (A, B)),
    ("finance", "lost", "Y", (B,)), ("finance", "pending", "", (A,)), ("healthcare", "won", "X", (C,)),
    ("healthcare", "lost", "Y", (C,)), ("healthcare", "lost", "Y", (C,)), ("healthcare", "no-bid", "", (C,)),
    ("healthcare", "won", "", (C, A)), ("finance", "won", "X", (A,)), ("finance", "lost", "X", (A, B)),
    ("government", "won", "Y", ()), ("government", "lost", "X", ()), ("government", "pending", "", (B,)),
    ("finance", "won", "Y", (A,)), ("healthcare", "lost", "X", (C,)), ("finance", "lost", "", (B,)),
    ("government", "won", "X", (B,)), ("finance", "won", "Y", (A, B)),
]


def outcomes():
    for n, (industry, result, competitor, cases) in enumerate(HISTORY, start=1):
        day = dt.date(2026, 1, n)
        yield Outcome(client=f"客户{n}", result=result, decided=day, industry=industry, competitor=competitor,
                      cases=cases, released=day.isoformat(), version="V1.0")


@pytest.fixture
def store(tmp_path):
    path = store_path(tmp_path)
    with connect(path, create=True) as db:
        record_many(db, outcomes())
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_counts_and_win_rates_equal_the_hand_counted_ones(store):
    with connect(store) as db:
        stats = compute(db)
    assert (stats.proposals, stats.won, stats.lost) == (20, 9, 8)
    cases = {t.key: (t.proposals, t.won, t.lost, t.win_rate, t.last_used) for t in stats.cases}
    assert cases == {A: (9, 6, 2, 0.75, "2026-01-20"), B: (8, 4, 3, 0.5714, "2026-01-20"),
                     C: (6, 2, 3, 0.4, "2026-01-17")}
    industries = {t.key: (t.proposals, t.won, t.lost, t.win_rate) for t in stats.industries}
    assert industries == {"finance": (10, 5, 4, 0.5556), "healthcare": (6, 2, 3, 0.4),
                          "government": (4, 2, 1, 0.6667)}
    assert {t.key: (t.proposals, t.won, t.lost) for t in stats.competitors} == {"X": (8, 4, 4), "Y": (6, 3, 3)}


def test_since_keeps_later_decisions(store):
    with connect(store) as db:
        stats = compute(db, since=dt.date(2026, 1, 11))
    assert (stats.proposals, stats.won, stats.lost) == (10, 5, 4)
    assert {t.key: (t.proposals, t.won, t.lost) for t in stats.cases}[A] == (4, 3, 1)


def test_recording_a_project_again_replaces_it(store):
    with connect(store) as db:
        record(db, Outcome(client="客户5", result="won", decided=dt.date(2026, 2, 1), industry="finance", cases=(A,)))
        assert find(db, "客户5").result == "won" and find(db, "客户5").cases == (A,)
        assert compute(db).proposals == 20 and compute(db).won == 10


def test_cases_stats_prints_tables_and_json(store):
    text = run("cases", "stats", "--data", store.parent)
    assert text.exit_code == 0 and "20 proposals: won 9, lost 8" in text.output
    assert f"{A} | 9 | 6 | 2 | 75% | 2026-01-20" in text.output and "X | 8 | 4 | 4" in text.output
    data = json.loads(run("cases", "stats", "--data", store.parent, "--json", "--since", "2026-01-11").output)
    assert data["proposals"] == 10 and [c["key"] for c in data["cases"]] == [B, A, C]  # most used first
    assert data["cases"][1] == {"key": A, "proposals": 4, "won": 3, "lost": 1, "last_used": "2026-01-20",
                                "win_rate": 0.75}


def test_stats_without_outcomes_says_so(tmp_path):
    result = run("cases", "stats", "--data", tmp_path / "none")
    assert result.exit_code == 2 and "no outcomes recorded yet" in result.output and "Traceback" not in result.output


def test_win_rate_is_a_small_weight_that_breaks_ties():
    twins = [make_case(i, title="同城双活数据中心建设", body="同城双活 RPO=0 容灾切换", tags=("disaster-recovery",))
             for i in ("twin-a", "twin-b")]
    req = RequirementsFile(Client(name="某行", industry="finance", presales_owner="张伟"),
                           (Requirement(id="R1", text="同城双活数据中心", category="灾备", priority="must"),))
    index = build_index(twins)
    today = dt.date(2026, 12, 1)
    plain = match_cases(req, twins, index=index, today=today)
    assert [m.case.id for m in plain] == ["twin-a", "twin-b"] and plain[0].score == plain[1].score
    weighted = match_cases(req, twins, index=index, today=today, win_rates={"twin-b": 1.0, "twin-a": 0.0})
    assert [m.case.id for m in weighted] == ["twin-b", "twin-a"]
    assert weighted[0].score == pytest.approx(plain[0].score * 1.025, abs=1e-3)
    assert weighted[1].score == pytest.approx(plain[0].score * 0.975, abs=1e-3)


def test_only_cases_with_enough_decided_proposals_get_a_rate(store):
    with connect(store) as db:
        rates = win_rates(compute(db))
    assert rates == {A: 0.75, B: 0.5714, C: 0.4}
    with connect(store) as db:
        record(db, Outcome(client="新客户", result="won", decided=dt.date(2026, 3, 1), cases=("new-case",)))
        assert "new-case" not in win_rates(compute(db))  # one decision is not a record


def test_lint_flags_unused_and_often_lost_cases(tmp_path):
    book = tmp_path / "casebook"
    book.mkdir()
    extra = "owner: 张伟\nlast_reviewed: 2026-11-01\n"
    for case_id, year in (("old-unused-2020", 2020), ("new-unused-2026", 2026), ("loser-2022", 2022),
                          ("winner-2022", 2022)):
        case_file(book, case_id, year=str(year), extra=extra)
    today = dt.date.today()
    history = [Outcome(client="最早的客户", result="won", decided=today - dt.timedelta(days=900), cases=("winner-2022",))]
    history += [Outcome(client=f"失标{n}", result="lost", decided=today - dt.timedelta(days=10 * n),
                        cases=("loser-2022", "winner-2022")) for n in range(1, 4)]
    history += [Outcome(client=f"中标{n}", result="won", decided=today - dt.timedelta(days=5 * n),
                        cases=("winner-2022",)) for n in range(1, 4)]
    with connect(store_path(tmp_path / "data"), create=True) as db:
        record_many(db, history)
        stats = compute(db)
    from docgen.casebook.cases import load_casebook

    flagged = dict(usage_findings(stats, load_casebook(book), today))
    assert set(flagged) == {"old-unused-2020", "loser-2022"}
    assert "never used" in flagged["old-unused-2020"] and "3 lost" in flagged["loser-2022"]
    result = run("cases", "lint", "--casebook", book, "--data", tmp_path / "data")
    assert result.exit_code == 1 and "old-unused-2020: not in any proposal for two years" in result.output
    assert "new-unused-2026" not in result.output and "winner-2022" not in result.output
    assert run("cases", "lint", "--casebook", book, "--data", tmp_path / "empty").exit_code == 0


def test_a_record_that_starts_recently_says_nothing_about_unused_cases(tmp_path):
    with connect(store_path(tmp_path), create=True) as db:
        record(db, Outcome(client="c", result="won", decided=dt.date(2026, 11, 1), cases=(A,)))
        stats = compute(db)
    assert usage_findings(stats, [make_case(B, year=2019)], dt.date(2026, 12, 1)) == []
