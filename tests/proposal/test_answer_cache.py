"""The response library's on-disk cache (docgen.proposal.answer_cache): warm runs read, any change rebuilds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import docgen.core.frontmatter as frontmatter
import docgen.proposal.answer_match as answer_match
from docgen.core.config import bundled_path
from docgen.core.errors import InputError
from docgen.intake.requirements import load_requirements
from docgen.proposal.answer_cache import open_library
from docgen.proposal.answer_match import answer_index, match_answers
from docgen.proposal.answers import library_folders, load_answers, load_library
from tests.proposal.test_answer_match import JUDGED, UNANSWERABLE, requirement

BUNDLED = library_folders(None)[0]
SEEDS = ("dr-active-active-zh.md", "backup-database-180d-zh.md", "security-dengbao-level3-zh.md")


@pytest.fixture
def counted(monkeypatch, tmp_path):
    """Counts YAML parses and index builds; the cache lives under tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    calls = {"yaml": 0, "index": 0}
    load_yaml, build_index = frontmatter.load_yaml, answer_match.build_index

    def counting_yaml(*args, **kwargs):
        calls["yaml"] += 1
        return load_yaml(*args, **kwargs)

    def counting_index(*args, **kwargs):
        calls["index"] += 1
        return build_index(*args, **kwargs)

    monkeypatch.setattr(frontmatter, "load_yaml", counting_yaml)  # every answer file is read through it
    monkeypatch.setattr(answer_match, "build_index", counting_index)
    return calls


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "answers"
    folder.mkdir()
    for name in SEEDS:
        shutil.copy(BUNDLED / name, folder / name)
    return folder


def ids(library) -> list[str]:
    return [e.id for e in library]


def test_a_warm_run_parses_no_yaml_and_builds_no_index(counted, folder):
    cold = open_library([folder])
    assert counted == {"yaml": len(SEEDS), "index": 1}
    warm = open_library([folder])
    assert counted == {"yaml": len(SEEDS), "index": 1}
    assert list(warm) == list(cold)
    answer_index(warm)
    match_answers("同城双活数据中心", warm, language="zh")
    assert counted["index"] == 1  # the cached index came with the library


def test_an_edit_of_the_same_size_rebuilds(counted, folder):
    open_library([folder])
    path = folder / SEEDS[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("id: dr-active-active-zh", "id: dr-active-active-zx"), encoding="utf-8")
    assert len(path.read_bytes()) == len(text.encode())
    library = open_library([folder])
    assert counted["index"] == 2 and "dr-active-active-zx" in ids(library)


def test_an_added_or_deleted_file_rebuilds(counted, folder):
    open_library([folder])
    shutil.copy(BUNDLED / "backup-cdp-zh.md", folder / "backup-cdp-zh.md")
    assert "backup-cdp-zh" in ids(open_library([folder]))
    (folder / SEEDS[1]).unlink()
    assert "backup-database-180d-zh" not in ids(open_library([folder]))
    assert counted["index"] == 3


def test_a_changed_synonyms_file_rebuilds(counted, folder):
    open_library([folder])
    (folder / "synonyms.yaml").write_text("groups:\n  - [双活, active-active]\n", encoding="utf-8")
    open_library([folder])
    assert counted["index"] == 2


def test_an_invalid_file_raises_the_same_error_as_loading(counted, folder):
    open_library([folder])
    (folder / "broken.md").write_text("---\nid: broken\nlanguage: fr\n---\n", encoding="utf-8")
    with pytest.raises(InputError) as cached:
        open_library([folder])
    with pytest.raises(InputError) as plain:
        load_answers(folder)
    assert str(cached.value) == str(plain.value)


@pytest.mark.parametrize("damage", [b"", b"garbage", b"docgen-answers\nnot-the-key\n", None])
def test_a_damaged_or_foreign_cache_file_is_rebuilt_quietly(counted, folder, tmp_path, damage):
    open_library([folder])
    [cache_file] = (tmp_path / "cache" / "docgen").glob("answers-*.pickle")
    data = cache_file.read_bytes()
    # None: the right key in front of a truncated pickle
    cache_file.write_bytes(data[: len(data) // 2] if damage is None else damage)
    assert ids(open_library([folder])) == ids(load_answers(folder))
    assert counted["index"] == 2
    open_library([folder])
    assert counted["index"] == 2  # and the rebuilt file is used again


def test_cached_matches_are_those_of_the_uncached_library(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    open_library(library_folders(None))
    cached, plain = open_library(library_folders(None)), load_library(None)
    requirements = [(language, requirement(category, tags, text)) for language, category, tags, text, *_ in
                    (*JUDGED, *UNANSWERABLE)]
    for name in ("example-bank-zh", "example-hospital-zh", "example-logistics-en"):
        req_file = load_requirements(bundled_path("requirements_forms") / f"{name}.yaml")
        requirements += [(req_file.client.language, req) for req in req_file.requirements]
    for language, req in requirements:
        assert match_answers(req, cached, language=language, top=5) == \
            match_answers(req, plain, language=language, top=5), req.text


def test_a_warm_english_query_needs_no_jieba(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    open_library(library_folders(None))
    warm = open_library(library_folders(None))

    def no_jieba(*args, **kwargs):
        raise AssertionError("jieba loaded for an English query")

    monkeypatch.setattr(answer_match, "_Tokenizer", no_jieba)
    found = match_answers(requirement("Backup", (), "Nightly backup with 30-day retention"), warm, language="en")
    assert found and found[0].entry.id == "backup-nightly-offsite-en"
