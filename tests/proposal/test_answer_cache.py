"""The response library's on-disk cache and engine (docgen.proposal.answer_cache): warm runs read, an edit
re-reads the library and re-tokenises only the answers it changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import docgen.core.frontmatter as frontmatter
import docgen.proposal.answer_cache as answer_cache
import docgen.proposal.answer_match as answer_match
from docgen.casebook.tokens import CONCEPT
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
    """Counts YAML parses and answers tokenised for the engine; the cache lives under tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    calls = {"yaml": 0, "index": 0}
    load_yaml, document = frontmatter.load_yaml, answer_match.document

    def counting_yaml(*args, **kwargs):
        calls["yaml"] += 1
        return load_yaml(*args, **kwargs)

    def counting_document(entry, *args, **kwargs):
        calls["index"] += 1
        calls.setdefault("ids", []).append(entry.id)
        return document(entry, *args, **kwargs)

    monkeypatch.setattr(frontmatter, "load_yaml", counting_yaml)  # every answer file is read through it
    monkeypatch.setattr(answer_match, "document", counting_document)  # every answer the engine tokenises
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


def test_a_warm_run_parses_no_yaml_and_tokenises_nothing(counted, folder):
    cold = open_library([folder])
    assert counted["yaml"] == len(SEEDS) and counted["index"] == len(SEEDS)
    warm = open_library([folder])
    assert counted["yaml"] == len(SEEDS) and counted["index"] == len(SEEDS)
    assert list(warm) == list(cold)
    answer_index(warm)
    match_answers("同城双活数据中心", warm, language="zh")
    assert counted["index"] == len(SEEDS)  # the engine came with the library


def test_an_edit_of_the_same_size_re_tokenises_that_answer_only(counted, folder):
    open_library([folder])
    path = folder / SEEDS[0]
    text = path.read_text(encoding="utf-8")
    edited = text.replace("同城双活", "同城双云", 1)
    assert edited != text and len(edited.encode()) == len(text.encode())
    path.write_text(edited, encoding="utf-8")
    library = open_library([folder])
    assert counted["ids"][len(SEEDS):] == ["dr-active-active-zh"]
    assert counted["yaml"] == 2 * len(SEEDS)  # the whole library is validated again
    assert match_answers("同城双云", library, language="zh")[0].entry.id == "dr-active-active-zh"


def test_a_renamed_id_is_replaced_in_the_engine(counted, folder):
    open_library([folder])
    path = folder / SEEDS[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("id: dr-active-active-zh", "id: dr-active-active-zx"), encoding="utf-8")
    library = open_library([folder])
    assert counted["ids"][len(SEEDS):] == ["dr-active-active-zx"]
    assert "dr-active-active-zx" in ids(library)
    assert [m.entry.id for m in match_answers("同城双活数据中心", library, language="zh")][:1] == ["dr-active-active-zx"]


def test_an_added_or_deleted_file_touches_only_its_answer(counted, folder):
    open_library([folder])
    shutil.copy(BUNDLED / "backup-cdp-zh.md", folder / "backup-cdp-zh.md")
    added = open_library([folder])
    assert "backup-cdp-zh" in ids(added) and counted["ids"][len(SEEDS):] == ["backup-cdp-zh"]
    (folder / SEEDS[1]).unlink()
    deleted = open_library([folder])
    assert "backup-database-180d-zh" not in ids(deleted)
    assert counted["index"] == len(SEEDS) + 1  # a deletion tokenises nothing
    found = match_answers("核心数据库每日全量备份，保留 180 天", deleted, language="zh", top=5)
    assert "backup-database-180d-zh" not in [m.entry.id for m in found]
    assert len(answer_index(deleted).languages["zh"]) == len(SEEDS)


def test_a_changed_synonyms_file_re_tokenises_everything(counted, folder):
    open_library([folder])
    (folder / "synonyms.yaml").write_text("groups:\n  - [双活, twin-site]\n", encoding="utf-8")
    library = open_library([folder])
    assert counted["index"] == 2 * len(SEEDS)
    part = answer_index(library).languages["zh"]
    [concept] = [t for t, surface in part._known.terms("twin-site") if t.startswith(CONCEPT)]
    assert part.knows(concept)  # the answers were indexed with the new group's concept


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
    [cache_file] = (tmp_path / "cache" / "docgen").glob("answers-*/library.pickle")
    data = cache_file.read_bytes()
    # None: the right key in front of a truncated pickle
    cache_file.write_bytes(data[: len(data) // 2] if damage is None else damage)
    assert ids(open_library([folder])) == [p.stem for p in sorted(folder.glob("*.md"))]
    assert counted["yaml"] == 2 * len(SEEDS) and counted["index"] == len(SEEDS)  # the engine was whole
    open_library([folder])
    assert counted["yaml"] == 2 * len(SEEDS)  # and the rewritten file is used again


@pytest.mark.parametrize("damage", ["state", "engine", "segment"])
def test_a_damaged_engine_is_written_again(counted, folder, tmp_path, damage):
    open_library([folder])
    [store] = (tmp_path / "cache" / "docgen").glob("answers-*")
    [engine] = [p for p in store.iterdir() if p.is_dir()]
    if damage == "state":
        (store / "state.json").write_text("{not json", encoding="utf-8")
    elif damage == "engine":
        shutil.rmtree(engine / "zh")
    else:
        for path in (engine / "zh").iterdir():
            if path.is_file():
                path.write_bytes(b"garbage")
    library = open_library([folder])
    assert match_answers("同城双活数据中心", library, language="zh")[0].entry.id == "dr-active-active-zh"
    assert counted["index"] == 2 * len(SEEDS)
    open_library([folder])
    assert counted["index"] == 2 * len(SEEDS)


def test_an_update_cut_short_is_never_built_on(counted, folder, monkeypatch):
    """An edit, an update that dies after changing the engine, the edit undone: the engine must
    not keep the dead update's text (the state's digests would say nothing changed)."""
    open_library([folder])
    path = folder / SEEDS[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("同城双活", "同城双云", 1), encoding="utf-8")
    write_engine = answer_match.write_engine

    def dies_after_writing(*args, **kwargs):
        write_engine(*args, **kwargs)
        raise KeyboardInterrupt  # the process is killed mid-update

    with monkeypatch.context() as patch:
        patch.setattr(answer_match, "write_engine", dies_after_writing)
        with pytest.raises(KeyboardInterrupt):
            open_library([folder])
    path.write_text(text, encoding="utf-8")
    library = open_library([folder])
    assert counted["index"] == len(SEEDS) + 1 + len(SEEDS)  # a new engine, every answer tokenised
    assert match_answers("同城双云", library, language="zh") == []
    assert match_answers("同城双活数据中心", library, language="zh")[0].entry.id == "dr-active-active-zh"


def test_a_read_only_cache_still_answers(counted, folder, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(answer_cache._Store, "update", refuse)
    library = open_library([folder])
    assert match_answers("同城双活数据中心", library, language="zh")[0].entry.id == "dr-active-active-zh"


def test_processes_reading_while_another_updates_never_fail(folder, tmp_path):
    """Two readers search in a loop while the library is edited and re-opened; each answer is whole."""
    import subprocess
    import sys
    import textwrap

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    open_library_code = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from docgen.proposal.answer_cache import open_library
        from docgen.proposal.answer_match import match_answers
        end = time.time() + 4
        runs = 0
        while time.time() < end:
            library = open_library([Path({str(folder)!r})])
            found = match_answers("同城双活数据中心", library, language="zh")
            assert found and found[0].entry.id.startswith("dr-active-active"), found
            runs += 1
        print(runs)
    """)
    subprocess.run([sys.executable, "-c", open_library_code.replace("time() + 4", "time() + 0")], env=env,
                   check=True, capture_output=True)
    readers = [subprocess.Popen([sys.executable, "-c", open_library_code], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(2)]
    path = folder / SEEDS[1]
    text = path.read_text(encoding="utf-8")
    for n in range(6):
        path.write_text(text.replace("180 天", f"{180 + n} 天"), encoding="utf-8")
        subprocess.run([sys.executable, "-c", f"from docgen.proposal.answer_cache import open_library; "
                        f"from pathlib import Path; open_library([Path({str(folder)!r})])"], env=env, check=True)
    for reader in readers:
        out, err = reader.communicate(timeout=60)
        assert reader.returncode == 0, err[-2000:]
        assert int(out) >= 1


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
