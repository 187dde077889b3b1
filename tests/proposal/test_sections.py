"""The section library: bundled sections load and are complete; bad files are reported in full."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.core.errors import InputError
from docgen.proposal.sections import library_folders, load_sections

BUNDLED = library_folders(None)[0]
SOLUTION_AREAS = ("disaster-recovery", "backup", "storage", "cloud-virtualization", "network",
                  "cybersecurity", "data-platform", "operations")
GENERAL = ("company-profile", "credentials", "methodology", "service-support", "quality-security")


def test_bundled_library_has_every_area_in_both_languages():
    ids = {s.id for s in load_sections(BUNDLED)}
    for area in SOLUTION_AREAS + GENERAL:
        for lang in ("zh", "en"):
            assert f"{area}-{lang}" in ids


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bundled_sections_are_substantial_with_bullets(lang):
    for section in load_sections(BUNDLED):
        if section.language != lang:
            continue
        assert 200 <= len(section.body) <= 800, (section.id, len(section.body))
        assert "\n- " in section.body or "\n1. " in section.body, section.id
        assert section.summary and section.summary not in ("", section.body)


def test_solution_sections_name_categories_in_both_languages():
    by_id = {s.id: s for s in load_sections(BUNDLED)}
    assert "灾备" in by_id["disaster-recovery-zh"].categories
    assert "等保" in by_id["cybersecurity-zh"].categories
    assert "disaster recovery" in by_id["disaster-recovery-en"].categories


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_problem_in_every_file_is_reported_with_its_place(tmp_path):
    _write(tmp_path, "a.md", "---\nid: bad id\ntitle: X\nlanguage: fr\nstages: [intro, later]\n---\nbody\n")
    _write(tmp_path, "b.md", "no front matter here\n")
    _write(tmp_path, "c.md", "---\nid: c\nlanguage: zh\nstages: [intro]\nkind: solution\n---\n\n")
    with pytest.raises(InputError) as caught:
        load_sections(tmp_path)
    text = str(caught.value)
    assert "a.md, field id: 'bad id' must be file-name safe" in text
    assert "a.md, field language: expected zh or en, got 'fr'" in text
    assert "unknown stage 'later'" in text
    assert "b.md, line 1: expected front matter" in text
    assert "c.md, field title: is required" in text
    assert "c.md, field categories: a solution section must list" in text
    assert "c.md, field body: the section has no text" in text


def test_yaml_error_names_the_file_line(tmp_path):
    _write(tmp_path, "d.md", "---\nid: d\n  title: x\n---\nbody\n")
    with pytest.raises(InputError) as caught:
        load_sections(tmp_path)
    assert "d.md, line 3" in str(caught.value)


def test_duplicate_ids_in_one_folder_are_an_error(tmp_path):
    text = "---\nid: same\ntitle: T\ntags: [x]\nstages: [intro]\nlanguage: en\n---\n" + "Body text. " * 30
    _write(tmp_path, "one.md", text)
    _write(tmp_path, "two.md", text)
    with pytest.raises(InputError, match="id 'same' is also used by"):
        load_sections(tmp_path)


def test_users_add_and_override_sections_by_adding_files(tmp_path):
    own = tmp_path / "own"
    _write(own, "mainframe.md", "---\nid: mainframe-zh\ntitle: 大型机迁移方案\ncategories: [大型机]\n"
           "stages: [solution]\nlanguage: zh\n---\n" + "大型机迁移的分阶段方法。" * 20)
    _write(own, "backup.md", "---\nid: backup-zh\ntitle: 我们自己的备份方案\ncategories: [备份]\n"
           "stages: [solution]\nlanguage: zh\n---\n" + "自有备份方案正文。" * 20)
    sections = {s.id: s for s in load_sections(BUNDLED, own)}
    assert sections["mainframe-zh"].title == "大型机迁移方案"
    assert sections["backup-zh"].title == "我们自己的备份方案"
    assert sections["mainframe-zh"].summary.startswith("大型机迁移")  # first paragraph when no summary
