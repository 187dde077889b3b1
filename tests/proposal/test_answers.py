"""The response library (应答库): loading, every validation problem with its place, company answers, lint."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.casebook.cases import load_casebook
from docgen.cli import main
from docgen.core.config import Settings, bundled_path
from docgen.core.errors import InputError, Problems
from docgen.proposal.answers import (
    CAPABILITY_KEYS,
    NUMERIC_CAPABILITIES,
    STANDARDS,
    AnswerEntry,
    canonical_standard,
    library_folders,
    lint,
    load_answer_file,
    load_answers,
    load_library,
    merge_synonym_groups,
)
from docgen.proposal.sections import library_folders as section_folders
from docgen.proposal.sections import load_sections

BUNDLED = library_folders(None)[0]
REVIEWED = dt.date(2026, 12, 2)  # the bundle was last checked against this date

GOOD = """---
id: dr-test-zh
language: zh
categories: [灾备, 容灾]
tags: [disaster-recovery, active-active]
questions:
  - 同城双活数据中心建设
  - 核心系统RPO=0的双活架构
compliance: full
capabilities:
  rpo_minutes: 0
  rto_minutes: 30
  availability_percent: 99.99
  standards: [iso27001, ＳＭ４]
owner: 张伟
last_reviewed: 2026-06-30
evidence: [bank-active-active-2024]
---
两中心存储双活，RPO=0，RTO≤30 分钟，可用性 99.99%。
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_complete_entry_loads_with_typed_values(tmp_path):
    path = write(tmp_path, "dr-test-zh.md", GOOD)
    [entry] = load_answers(tmp_path)
    assert isinstance(entry, AnswerEntry)
    assert (entry.id, entry.language, entry.compliance, entry.owner) == ("dr-test-zh", "zh", "full", "张伟")
    assert entry.categories == ("灾备", "容灾") and entry.tags == ("disaster-recovery", "active-active")
    assert entry.questions == ("同城双活数据中心建设", "核心系统RPO=0的双活架构")
    assert dict(entry.capabilities) == {"rpo_minutes": 0, "rto_minutes": 30, "availability_percent": 99.99,
                                        "standards": ("ISO 27001", "SM4")}
    assert type(entry.capabilities["rpo_minutes"]) is int and type(entry.capabilities["availability_percent"]) is float
    assert entry.last_reviewed == dt.date(2026, 6, 30)
    assert entry.evidence == ("bank-active-active-2024",)
    assert entry.text.startswith("两中心存储双活") and entry.path == str(path)
    with pytest.raises(TypeError):
        entry.capabilities["rpo_minutes"] = 5  # read-only: a declared figure is what the file says
    hash(entry)


def test_values_stay_as_typed(tmp_path):
    """YAML 1.1 would turn 3.10 into 3.1 and `no` into False; an answer keeps what was typed."""
    write(tmp_path, "a.md", GOOD.replace("id: dr-test-zh", "id: 3.10").replace("owner: 张伟", "owner: no")
          .replace("tags: [disaster-recovery, active-active]", "tags: [010, on]"))
    [entry] = load_answers(tmp_path)
    assert (entry.id, entry.owner, entry.tags) == ("3.10", "no", ("010", "on"))


def test_every_problem_is_reported_with_file_line_and_field(tmp_path):
    write(tmp_path, "a.md", "\n".join([
        "---",                                   # 1
        "id: bad id",                            # 2
        "language: fr",                          # 3
        "categories: {a: b}",                    # 4
        "questions: []",                         # 5
        "compliance: maybe",                     # 6
        "capabilities:",                         # 7
        "  rpo_minutes: soon",                   # 8
        "  availability_percent: 120",           # 9
        "  uptime_percent: 99",                  # 10
        "  standards: [ISO 27001, SOC 3]",       # 11
        "  retention_days: -5",                  # 12
        "last_reviewed: 2026-13-01",             # 13
        "answer: the text",                      # 14
        "evidence: {x: y}",                      # 15
        "---",                                   # 16
        "",                                      # 17
    ]))
    write(tmp_path, "b.md", "---\ncategories: [x]\n---\nText.\n")
    write(tmp_path, "c.md", "no front matter\n")
    write(tmp_path, "d.md", "---\nid: d\n  language: zh\n---\nText.\n")
    write(tmp_path, "e.md", "---\n- a list\n---\nText.\n")
    (tmp_path / "f.md").write_bytes("---\nid: f\n---\n正文".encode("gbk"))
    write(tmp_path, "g.md", GOOD.replace("capabilities:\n", "capabilities: [rpo_minutes]\n")
          .replace("  rpo_minutes: 0\n  rto_minutes: 30\n  availability_percent: 99.99\n  standards: [iso27001, ＳＭ４]\n", ""))
    with pytest.raises(InputError) as caught:
        load_answers(tmp_path)
    text = str(caught.value)
    a = str(tmp_path / "a.md")
    for expected in [
        f"{a}, line 2, field id: 'bad id' must be file-name safe",
        f"{a}, line 3, field language: expected zh or en, got 'fr'",
        f"{a}, line 4, field categories: expected a list of texts",
        f"{a}, line 5, field questions: list a few phrasings",
        f"{a}, line 6, field compliance: expected full or partial, got 'maybe'",
        f"{a}, line 8, field capabilities.rpo_minutes: expected a number ≥ 0 such as 30 or 99.99, got 'soon'",
        f"{a}, line 9, field capabilities.availability_percent: a percentage must be above 0 and at most 100, got 120",
        f"{a}, line 10, field capabilities.uptime_percent: unknown capability; known: rpo_minutes,",
        f"{a}, line 11, field capabilities.standards: unknown standard 'SOC 3'; known: 等保2.0一级",
        f"{a}, line 12, field capabilities.retention_days: expected a number ≥ 0",
        f"{a}, line 13, field last_reviewed: date '2026-13-01' must be written YYYY-MM-DD",
        f"{a}, line 14, field answer: unknown field; known fields: id, language,",
        "the answer text goes after the front matter",
        f"{a}, line 15, field evidence: expected a list of texts",
        f"{a}, line 17, field text: the answer has no text after the front matter",
        f"{tmp_path / 'b.md'}, field id: is required",
        f"{tmp_path / 'b.md'}, field language: is required",
        f"{tmp_path / 'b.md'}, field questions: list a few phrasings",
        f"{tmp_path / 'b.md'}, field compliance: is required",
        f"{tmp_path / 'c.md'}, line 1: expected front matter between two '---' lines",
        f"{tmp_path / 'd.md'}, line 3: not valid YAML",
        f"{tmp_path / 'e.md'}, line 2: front matter must be 'field: value' lines",
        f"{tmp_path / 'f.md'}: not UTF-8 text",
        f"{tmp_path / 'g.md'}, line 10, field capabilities: expected 'key: value' lines such as rpo_minutes: 0",
    ]:
        assert expected in text, f"missing: {expected}\n---\n{text}"
    assert "categories or tags" not in text.split("a.md")[1]  # a wrong shape is one problem, not two
    assert len(caught.value.problems) == 23


def test_a_missing_category_and_tags_is_reported(tmp_path):
    write(tmp_path, "a.md", GOOD.replace("categories: [灾备, 容灾]\n", "").replace(
        "tags: [disaster-recovery, active-active]\n", ""))
    with pytest.raises(InputError, match=r"a\.md, field categories: list the requirement categories or tags"):
        load_answers(tmp_path)


def test_one_file_is_checked_on_its_own(tmp_path):
    problems = Problems()
    entry = load_answer_file(write(tmp_path, "a.md", GOOD), problems)
    assert entry is not None and not problems.items


def test_duplicate_ids_in_one_folder_are_an_error(tmp_path):
    write(tmp_path, "one.md", GOOD)
    write(tmp_path, "two.md", GOOD)
    with pytest.raises(InputError, match=r"two\.md, field id: id 'dr-test-zh' is also used by .*one\.md"):
        load_answers(tmp_path)


def test_standard_names_are_stored_in_one_spelling():
    assert canonical_standard("iso 27001") == canonical_standard("ISO-27001") == "ISO 27001"
    assert canonical_standard("等保2.0三级") == "等保2.0三级" and canonical_standard("pci dss") == "PCI DSS"
    assert canonical_standard("SOC 3") is None and canonical_standard("国密") is None


# --- the company's own answers ---------------------------------------------------------------------------

def test_company_answers_replace_and_add_to_the_bundled_library(tmp_path):
    own = tmp_path / "templates" / "proposal" / "answers"
    write(own, "mine.md", GOOD.replace("id: dr-test-zh", "id: dr-active-active-zh").replace(
        "两中心存储双活", "我们自己的双活方案"))
    write(own, "new.md", GOOD.replace("id: dr-test-zh", "id: mainframe-zh"))
    settings = Settings(templates_dir=tmp_path / "templates")
    assert library_folders(settings) == [BUNDLED, own]
    bundled, library = load_library(None), load_library(settings)
    assert len(library) == len(bundled) + 1
    assert library.by_id("dr-active-active-zh").text.startswith("我们自己的双活方案")
    assert library.by_id("mainframe-zh") is not None
    assert [e.id for e in library] == sorted(e.id for e in library)


def test_a_folder_synonyms_file_adds_groups(tmp_path):
    write(tmp_path, "a.md", GOOD)
    write(tmp_path, "synonyms.yaml", "groups:\n  - [大型机, mainframe, 主机下移]\n  - [容灾, dr site]\n")
    library = load_answers(tmp_path)
    groups = library.synonyms.groups
    assert ("大型机", "mainframe", "主机下移") in groups
    dr = next(g for g in groups if "容灾" in g)
    assert "dr site" in dr and "灾备" in dr  # merged into the casebook's 容灾 group, not a rival concept


def test_groups_sharing_a_word_merge():
    merged = merge_synonym_groups([("a", "b"), ("c", "d"), ("b", "c"), ("e", "f")]).groups
    assert merged == (("a", "b", "c", "d"), ("e", "f"))


# --- lint --------------------------------------------------------------------------------------------------

def test_lint_flags_stale_ownerless_unreviewed_and_unknown_evidence(tmp_path):
    write(tmp_path, "fresh.md", GOOD)
    write(tmp_path, "stale.md", GOOD.replace("id: dr-test-zh", "id: stale").replace("2026-06-30", "2025-06-30"))
    write(tmp_path, "nobody.md", GOOD.replace("id: dr-test-zh", "id: nobody").replace("owner: 张伟\n", "")
          .replace("last_reviewed: 2026-06-30\n", ""))
    write(tmp_path, "ghost.md", GOOD.replace("id: dr-test-zh", "id: ghost").replace(
        "[bank-active-active-2024]", "[bank-active-active-2024, no-such-case]"))
    findings = [str(p) for p in lint(load_answers(tmp_path), dt.date(2026, 12, 1), {"bank-active-active-2024"})]
    assert findings == [
        f"{tmp_path / 'ghost.md'}, field evidence: ghost: evidence 'no-such-case' is not a case in the casebook",
        f"{tmp_path / 'nobody.md'}, field owner: nobody: no owner; add 'owner:' so someone keeps it true",
        f"{tmp_path / 'nobody.md'}, field last_reviewed: nobody: never reviewed; add 'last_reviewed: YYYY-MM-DD'",
        f"{tmp_path / 'stale.md'}, field last_reviewed: stale: stale, last reviewed 2025-06-30 (more than a year ago)",
    ]
    assert len(lint(load_answers(tmp_path), dt.date(2026, 12, 1), None)) == 3  # no casebook, no evidence check


def test_lint_warns_of_half_width_punctuation_in_an_answer(tmp_path):
    path = write(tmp_path, "typed.md", GOOD.replace("id: dr-test-zh", "id: typed").replace("\n---\n", "\n---\n说明:见下文。\n", 1))
    findings = lint(load_answers(tmp_path), dt.date(2026, 12, 1), None)
    assert [str(p) for p in findings] == [
        f"{path}, line {GOOD.split(chr(10)).index('---', 1) + 2}: typed: half-width : in Chinese text (column 3); use ："]


def _lint(*args):
    return CliRunner().invoke(main, ["proposal", "answers", "lint", *args])


def test_cli_lint_exit_codes(tmp_path):
    today = dt.date.today().isoformat()
    good = tmp_path / "good"
    write(good, "a.md", GOOD.replace("2026-06-30", today))
    result = _lint("--folder", str(good))
    assert result.exit_code == 0, result.output
    assert "1 answers, 0 warnings" in result.output

    write(good, "b.md", GOOD.replace("id: dr-test-zh", "id: old").replace("2026-06-30", "2020-01-01"))
    result = _lint("--folder", str(good))
    assert result.exit_code == 1
    assert "old: stale, last reviewed 2020-01-01" in result.output

    casebook = tmp_path / "casebook"
    write(casebook, "other.md", (bundled_path("casebook") / "port-sdwan-2024.md").read_text(encoding="utf-8"))
    result = _lint("--folder", str(good), "--casebook", str(casebook))
    assert result.exit_code == 1 and "evidence 'bank-active-active-2024' is not a case" in result.output

    write(good, "c.md", GOOD.replace("compliance: full", "compliance: mostly"))
    result = _lint("--folder", str(good))
    assert result.exit_code == 2
    assert "c.md, line 9, field compliance: expected full or partial" in result.output
    assert "Traceback" not in result.output


# --- the bundled library -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bundled():
    return load_library(None)


def test_bundled_library_loads_clean_and_is_large_enough(bundled):
    by_language = {lang: [e for e in bundled if e.language == lang] for lang in ("zh", "en")}
    assert len(by_language["zh"]) >= 60 and len(by_language["en"]) >= 30
    case_ids = {case.id for case in load_casebook(bundled_path("casebook"))}
    assert lint(bundled, REVIEWED, case_ids) == []
    for entry in bundled:
        assert Path(entry.path).name == f"{entry.id}.md", entry.id
        assert entry.owner and entry.last_reviewed and entry.last_reviewed.year == 2026, entry.id
        assert set(entry.capabilities) <= set(CAPABILITY_KEYS), entry.id
        assert set(entry.capabilities.get("standards", ())) <= set(STANDARDS), entry.id
        assert len(entry.questions) >= 2 and 200 <= len(entry.text) <= 1200, (entry.id, len(entry.text))
        assert "\n- " in entry.text, f"{entry.id}: an integrator's answer lists how, step by step"


def test_bundled_chinese_answers_use_full_width_punctuation(bundled):
    half_width = re.compile(r"[\u3400-\u9fff][,:;()!?]|[,:;()!?][\u3400-\u9fff]")
    for entry in bundled:
        if entry.language == "zh":
            for text in (entry.text, *entry.questions):
                assert not half_width.search(text), f"{entry.id}: {half_width.search(text).group()!r} in {text[:40]}"


# How a declared figure may be written in the answer's text (value divided by each factor).
_WRITTEN_AS = {"rpo_minutes": (1, 60), "rto_minutes": (1, 60), "retention_days": (1, 365), "distance_km": (1,),
               "availability_percent": (1,), "capacity_tb": (1, 1000), "bandwidth_mbps": (1, 1000),
               "concurrent_users": (1, 10000), "response_seconds": (1,)}
_STANDARD_ALIASES = {"PIPL": "个人信息保护法"}


def _numbers(text: str) -> set[float]:
    found = {float(m.replace(",", "")) for m in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}
    return found | {value for word, value in (("十", 10.0), ("两", 2.0), ("五", 5.0)) if word in text}


def test_bundled_answers_declare_only_what_their_text_says(bundled):
    """Every declared figure is written in the answer (in its unit, or hours/years/PB/Gbps/万)."""
    for entry in bundled:
        numbers = _numbers(entry.text)
        folded = entry.text.lower().replace(" ", "")
        for key, value in entry.capabilities.items():
            if key == "standards":
                for name in value:
                    spelled = _STANDARD_ALIASES.get(name, name).lower().replace(" ", "")
                    assert spelled in folded, f"{entry.id} declares {name} but does not say it"
            else:
                assert key in NUMERIC_CAPABILITIES
                assert any(round(value / factor, 6) in numbers for factor in _WRITTEN_AS[key]), (
                    f"{entry.id} declares {key}: {value} but its text does not say it")


def test_bundled_answers_cover_every_solution_section(bundled):
    """Each bundled solution section's area has answers in its language."""
    def words(*lists):
        return {re.sub(r"[\s\-_/]+", "", w.lower()) for items in lists for w in items}

    for section in load_sections(*section_folders(None)):
        if section.kind != "solution":
            continue
        covering = [e for e in bundled if e.language == section.language
                    and words(e.categories, e.tags) & words(section.categories, section.tags)]
        assert len(covering) >= 3, f"{section.id}: only {[e.id for e in covering]}"


def test_different_figures_are_different_answers(bundled):
    """同城双活 RPO=0, 异地异步 RPO 5 分钟 at 1000 km, retention 180 days vs ten years: one answer each."""
    rpo = {e.id: e.capabilities.get("rpo_minutes") for e in bundled if "rpo_minutes" in e.capabilities}
    assert rpo["dr-active-active-zh"] == 0 and rpo["dr-async-remote-zh"] == 5
    assert bundled.by_id("dr-async-remote-zh").capabilities["distance_km"] >= 300
    assert bundled.by_id("backup-database-180d-zh").capabilities["retention_days"] == 180
    assert bundled.by_id("backup-long-term-archive-zh").capabilities["retention_days"] == 3650
