"""The response matrix says only what the response library supports, row by row."""

from __future__ import annotations

from collections import defaultdict

import pytest

from docgen.core.config import bundled_path
from tests.helpers.docs import docx_tables
from tests.proposal.test_build import run

EXAMPLES = sorted(bundled_path("requirements_forms").glob("example-*.yaml"))


def matrix(path):
    [table] = [t for t in docx_tables(path) if t[0][0] in ("编号", "ID")]
    return {row[0]: row for row in table[1:]}


@pytest.fixture(scope="module")
def drafts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("honest")
    built = {}
    for example in EXAMPLES:
        out = folder / f"{example.stem}.docx"
        assert run("proposal", "build", example, "--stage", "detailed", "-o", out).exit_code == 0
        built[example.stem] = out
    return built


@pytest.mark.parametrize("example", [e.stem for e in EXAMPLES])
def test_no_two_requirements_share_a_response_unless_they_share_an_entry(drafts, example):
    by_response = defaultdict(set)
    for row in matrix(drafts[example]).values():
        if row[3]:
            by_response[row[3]].add(row[5])
    assert all(len(entries) == 1 for entries in by_response.values())


def test_a_figure_beyond_every_entry_is_not_full(drafts):
    rows = matrix(drafts["example-bank-zh"])
    # R1 asks RTO < 30 minutes; the active-active entry declares RTO 30 minutes
    assert rows["R1"][4] == "不满足" and "RTO" in rows["R1"][3] + rows["R1"][4]
    # R2's figures (300 km, RPO < 15 min) are declared and met, and the response names them
    assert rows["R2"][4] == "满足" and "RPO < 15 分钟" in rows["R2"][3]
    # R12's 15-minute response time is declared by no entry: to confirm, never 满足
    assert rows["R12"][4] == "待确认"


def test_an_unanswerable_requirement_is_a_placeholder_and_check_refuses(drafts):
    rows = matrix(drafts["example-logistics-en"])
    assert rows["R8"][3].startswith("[TO ANSWER R8") and rows["R8"][4] == "To answer" and rows["R8"][5] == "—"
    checked = run("proposal", "check", drafts["example-logistics-en"])
    assert checked.exit_code == 1 and "R8 To answer" in checked.output


def test_the_english_client_gets_identity_answers_not_mlps(drafts):
    rows = matrix(drafts["example-logistics-en"])
    assert rows["R4"][5] == "identity-sso-azure-ad-en" and "MLPS" not in rows["R4"][3]
    assert rows["R5"][5] == "network-zero-trust-en"
