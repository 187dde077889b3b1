"""Loading requirements from YAML: values stay as typed, every problem names its line."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen.core.errors import InputError
from docgen.intake.requirements import check_requirements, load_requirements

VALID = """\
client:
  name: 华东某城市商业银行
  industry: 金融
  language: zh
  trust: low
  presales_owner: 张伟
  deadline: 2026-12-20
  contacts: [{name: 王主任, role: 信息科技部主任, email: wang@example.com}]
requirements:
  - id: R1
    category: 灾备
    text: 同城双活数据中心,RPO=0,RTO<30分钟
    priority: must
    tags: [disaster-recovery, storage]
    notes: 监管检查前必须上线
competitors:
  - {name: 某友商, strengths: 价格低, weaknesses: 本地服务弱}
"""


def write(tmp_path, text, name="client.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_requirements(path)
    return [str(p) for p in info.value.problems]


def test_valid_file_loads_with_aliases_normalised(tmp_path):
    req = load_requirements(write(tmp_path, VALID))
    assert req.client.name == "华东某城市商业银行"
    assert req.client.industry == "finance"
    assert req.client.deadline == dt.date(2026, 12, 20)
    assert req.client.contacts[0].role == "信息科技部主任"
    assert req.requirements[0].text == "同城双活数据中心,RPO=0,RTO<30分钟"
    assert req.requirements[0].tags == ("disaster-recovery", "storage")
    assert req.competitors[0].weaknesses == "本地服务弱"


def test_yaml_11_scalars_stay_as_typed(tmp_path):
    text = """\
    client: {name: 某公司, industry: other, presales_owner: 张伟}
    requirements:
      - {id: 3.10, category: 灾备, text: 双活, notes: no}
      - {id: 010, category: on, text: 2026-01-02, priority: could}
    """
    first, second = load_requirements(write(tmp_path, text)).requirements
    assert (first.id, first.notes) == ("3.10", "no")
    assert (second.id, second.category, second.text) == ("010", "on", "2026-01-02")


def test_priority_and_trust_aliases(tmp_path):
    text = VALID.replace("priority: must", "priority: 高").replace("trust: low", "trust: High")
    text = text.replace("competitors:", "  - {id: R2, category: 备份, text: 备份, priority: 可选}\ncompetitors:")
    req = load_requirements(write(tmp_path, text))
    assert [r.priority for r in req.requirements] == ["must", "could"]
    assert req.client.trust == "high"


def test_tags_accept_chinese_commas(tmp_path):
    req = load_requirements(write(tmp_path, VALID.replace("[disaster-recovery, storage]", "灾备,存储、backup, 灾备")))
    assert req.requirements[0].tags == ("灾备", "存储", "backup")


def test_every_problem_is_listed_with_its_line(tmp_path):
    text = """\
    client:
      name: 某银行
      industry: banking
      trust: very
      presales_owner: 张伟, 李强
      deadline: 12/20
    requirements:
      - id: R1
        category: 灾备
        text: 双活
        priority: urgent
      - id: R1
        text: 备份
        priority: must
    """
    problems = problems_of(write(tmp_path, text))
    joined = "\n".join(problems)
    assert "line 3, field client.industry: unknown industry 'banking'" in joined
    assert "line 4, field client.trust: 'very' is not allowed; expected one of low, medium, high" in joined
    assert "line 5, field client.presales_owner: one presales owner per client" in joined
    assert "line 6, field client.deadline: '12/20' is not a date" in joined
    assert "line 11, field requirements[1].priority: 'urgent' is not allowed; expected one of must, should, could" in joined
    assert "line 12, field requirements[2].id: duplicate id 'R1'" in joined and "first used at line 8" in joined
    assert "line 12, field requirements[2].category: category is required" in joined
    assert len(problems) == 7
    assert all(p.startswith(str(tmp_path / "client.yaml")) for p in problems)


def test_presales_owner_given_as_a_list_of_two(tmp_path):
    text = VALID.replace("presales_owner: 张伟", "presales_owner: [张伟, 李强]")
    assert problems_of(write(tmp_path, text)) == [
        f"{tmp_path / 'client.yaml'}, line 6, field client.presales_owner: one presales owner per client "
        "(专人负责), found 2: 张伟, 李强; name one owner and put others in notes"
    ]


@pytest.mark.parametrize("owner", ["张伟/李强", "张伟、李强", "Alex Chen and Bo Li"])
def test_presales_owner_separators(tmp_path, owner):
    [problem] = problems_of(write(tmp_path, VALID.replace("presales_owner: 张伟", f"presales_owner: {owner}")))
    assert "one presales owner per client" in problem and "found 2" in problem


def test_missing_required_fields_and_empty_requirements(tmp_path):
    text = """\
    client:
      region: 华东
    requirements: []
    """
    problems = problems_of(write(tmp_path, text))
    assert any("field client.name: name is required" in p for p in problems)
    assert any("field client.industry: industry is required" in p for p in problems)
    assert any("field client.presales_owner: presales_owner is required" in p for p in problems)
    assert any("line 3, field requirements: requirements is empty" in p for p in problems)


def test_missing_sections(tmp_path):
    problems = problems_of(write(tmp_path, "competitors: []\n"))
    assert any("field client: client section is missing" in p for p in problems)
    assert any("field requirements: requirements are missing" in p for p in problems)


def test_syntax_error_names_line_and_column(tmp_path):
    [problem] = problems_of(write(tmp_path, "client:\n  name: [unclosed\nrequirements: []\n"))
    assert problem.startswith(f"{tmp_path / 'client.yaml'}, line ")
    assert "not valid YAML (column" in problem


def test_duplicate_key_is_an_error(tmp_path):
    text = VALID.replace("  trust: low\n", "  trust: low\n  trust: high\n")
    [problem] = problems_of(write(tmp_path, text))
    assert "line 6, field trust: duplicate key 'trust' (first given on line 5)" in problem


def test_unknown_fields_are_warnings(tmp_path):
    req, warnings = check_requirements(write(tmp_path, VALID.replace("notes:", "prio: 1\n    notes:")))
    assert req.requirements[0].priority == "must"
    assert ["unknown field 'prio' ignored" in str(w) and "line 15, field requirements[1].prio" in str(w) for w in warnings] == [True]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("notes.txt", "client: x\n", "unsupported file type '.txt'"),
        ("binary.yaml", b"\x00\x01\x02\xff", "is binary, not YAML text"),
        ("latin1.yaml", "client: caf\xe9\n".encode("latin-1"), "is not UTF-8 text"),
        ("list.yaml", "- a\n- b\n", "expected a YAML mapping with `client:` and `requirements:`"),
        ("missing.yaml", None, "file not found"),
    ],
)
def test_files_that_are_not_requirements(tmp_path, name, content, expected):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif content is not None:
        path.write_bytes(content)
    [problem] = problems_of(path)
    assert problem.startswith(str(path)) and expected in problem


# Text people type: markup, template syntax, quotes, emoji, CJK; never changed.
_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")) | st.sampled_from("<>&{}%'\"中文😀"),
    min_size=1,
).map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None)
@given(text=_TEXT, notes=_TEXT)
def test_user_text_round_trips_exactly(tmp_path_factory, text, notes):
    data = {
        "client": {"name": text, "industry": "other", "presales_owner": "张伟"},
        "requirements": [{"id": "R1", "category": "x", "text": text, "notes": notes}],
    }
    path = tmp_path_factory.mktemp("h") / "c.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    req = load_requirements(path)
    assert req.requirements[0].text == text
    assert req.requirements[0].notes == notes
    assert req.client.name == text
