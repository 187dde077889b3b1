"""Role files: the bundled catalog loads, and bad files fail with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from docgen.core.config import Settings
from docgen.core.errors import InputError
from docgen.review.roles import list_roles, load_role, parse_role

BUNDLED = Path(__file__).resolve().parents[2] / "templates" / "review" / "roles"


def test_bundled_roles_have_the_issue_indicators():
    roles = {r.id: r for r in list_roles()}
    eng, mgr = roles["presales-engineer"], roles["presales-manager"]
    assert [(k.code, k.weight) for k in eng.kpis] == [
        ("K1", 10), ("K2", 10), ("K3", 10), ("K4", 5), ("K5", 15), ("K6", 15), ("K7", 10), ("K8", 5)
    ]
    assert [k.name_zh for k in eng.kpis][:2] == ["售前支持工作量", "方案/标书按时交付率"]
    assert [(k.code, k.weight) for k in mgr.kpis] == [
        ("M1", 20), ("M2", 15), ("M3", 10), ("M4", 10), ("M5", 10), ("M6", 10), ("M7", 5)
    ]
    assert [b.name_zh for b in mgr.behaviors] == ["团队领导", "跨部门协同", "计划与决策", "责任担当与职业操守", "创新与流程改进"]
    for role in (eng, mgr):
        assert all(b.weight == 4 and len(b.levels_zh) == 5 and len(b.levels_en) == 5 for b in role.behaviors)
        assert all(k.rule_zh and k.rule_en and k.definition_en and k.source_zh for k in role.kpis)
        assert {k.machine.type for k in role.kpis if k.machine} == {"ratio", "bands", "deduction"}


def _write(tmp_path: Path, data: dict, name: str = "tester") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _role_data() -> dict:
    data = yaml.safe_load((BUNDLED / "presales-engineer.yaml").read_text(encoding="utf-8"))
    data["id"] = "tester"
    return data


def test_a_copied_role_loads_and_is_listed_from_the_company_folder(tmp_path):
    folder = tmp_path / "tpl" / "review" / "roles"
    folder.mkdir(parents=True)
    _write(folder, _role_data())
    settings = Settings(templates_dir=tmp_path / "tpl")
    assert "tester" in [r.id for r in list_roles(settings)]
    assert load_role("tester", settings).kpis[0].code == "K1"


def test_every_problem_is_reported_with_file_line_and_field(tmp_path):
    data = _role_data()
    data["kpi"][0]["weight"] = 12  # sum 82
    data["kpi"][1]["code"] = "K1"  # duplicate
    data["kpi"][2]["machine"]["bands"][1]["min"] = 1.5  # not descending
    data["kpi"][3]["machine"] = {"type": "percent"}
    data["behavior"][0]["levels_zh"] = ["only", "four", "levels", "here"]
    data["kpi"][4]["colour"] = "red"
    path = _write(tmp_path, data)
    with pytest.raises(InputError) as err:
        parse_role(path)
    text = str(err.value)
    assert str(path) in text
    assert "field kpi: weights sum to 82; expected 80" in text
    assert "field kpi[1].code: code K1 is used twice" in text
    assert "field kpi[2].machine.bands[1].min: bands must go from the highest min down" in text
    assert "field kpi[3].machine.type: expected one of ratio, bands, deduction, got 'percent'" in text
    assert "field behavior[0].levels_zh: expected a list of 5 descriptors" in text
    assert "field kpi[4].colour: unknown key" in text
    assert len(err.value.problems) == 6
    lines = path.read_text(encoding="utf-8").splitlines()
    dup = next(p for p in err.value.problems if p.where.field == "kpi[1].code")
    assert lines[dup.where.line - 1].strip().endswith("code: K1")


def test_behavior_weights_must_sum_to_20_and_points_fit_the_weight(tmp_path):
    data = _role_data()
    data["behavior"][4]["weight"] = 5
    data["kpi"][2]["machine"]["bands"][0]["points"] = 11  # weight 10
    with pytest.raises(InputError) as err:
        parse_role(_write(tmp_path, data))
    text = str(err.value)
    assert "field behavior: weights sum to 21; expected 20" in text
    assert "field kpi[2].machine.bands[0].points: expected a number from 0 to 10.0, got 11" in text


def test_numbers_where_text_is_expected_and_wrong_id(tmp_path):
    data = _role_data()
    data["kpi"][0]["name_en"] = 3.10
    data["id"] = "other"
    with pytest.raises(InputError) as err:
        parse_role(_write(tmp_path, data))
    text = str(err.value)
    assert "field kpi[0].name_en: expected text, got 3.1; put it in quotes" in text
    assert "field id: expected 'tester'" in text


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: broken\nkpi:\n  - code: K1\n   weight: [\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.yaml, line \d+: not valid YAML"):
        parse_role(path)


def test_unknown_role_lists_the_known_ones():
    with pytest.raises(InputError, match="unknown role 'nobody'; expected one of: .*presales-engineer.*presales-manager"):
        load_role("nobody")
