"""The persistent casebook index: incremental updates, concurrent readers, internal cases, damaged folders."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.casebook.cache import FOLDER, UpdateReport, index_dir, open_index
from docgen.cli import main
from tests.helpers.casebook import case_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


def ids(hits):
    return sorted(h.case.id for h in hits)


def opened(folder):
    """The index and what opening it re-tokenised."""
    report = UpdateReport()
    return open_index(folder, report=report), report


def test_the_index_lives_beside_the_casebook_and_the_bundled_ones_in_the_cache(tmp_path):
    from docgen.core.config import bundled_path

    case_file(tmp_path, "one", title="某银行备份平台")
    open_index(tmp_path)
    assert (tmp_path / FOLDER / "state.json").is_file()
    assert (tmp_path / FOLDER / ".gitignore").read_text(encoding="utf-8") == "*\n"
    bundled = index_dir(bundled_path("casebook"))
    assert bundled.is_relative_to(tmp_path / "xdg-cache") and not bundled.is_relative_to(bundled_path("casebook"))


def test_add_edit_rename_delete_update_only_that_case(tmp_path):
    for n in range(20):
        case_file(tmp_path, f"case-{n:02d}", title=f"某客户网络改造{n:02d}")
    one = case_file(tmp_path, "one", title="某银行备份平台建设")
    index, report = opened(tmp_path)
    assert report.rebuilt and report.tokenised == 21
    assert ids(index.search("备份")) == ["one"]

    index, report = opened(tmp_path)  # nothing changed: nothing read again
    assert (report.tokenised, report.removed, report.rebuilt) == (0, 0, False)

    case_file(tmp_path, "two", title="某医院备份平台建设")  # add
    index, report = opened(tmp_path)
    assert (report.tokenised, report.rebuilt) == (1, False)
    assert ids(index.search("备份")) == ["one", "two"]

    size = one.stat().st_size
    one.write_text(one.read_text(encoding="utf-8").replace("备份", "监控"), encoding="utf-8")  # edit, same size
    assert one.stat().st_size == size
    index, report = opened(tmp_path)
    assert report.tokenised == 1
    assert ids(index.search("备份")) == ["two"] and ids(index.search("监控")) == ["one"]

    one.rename(tmp_path / "renamed.md")  # rename: the same case under another file name
    index, report = opened(tmp_path)
    assert (report.tokenised, report.removed) == (1, 1)
    assert ids(index.search("监控")) == ["one"] and index.search("监控")[0].case.path.endswith("renamed.md")

    (tmp_path / "two.md").unlink()  # delete
    index, report = opened(tmp_path)
    assert (report.tokenised, report.removed) == (0, 1)
    assert index.search("备份") == [] and len(index.cases) == 21

    os.utime(tmp_path / "case-03.md")  # touched, not changed: its digest says so, it is not re-tokenised
    index, report = opened(tmp_path)
    assert report.tokenised == 0 and len(index) == 21


def test_a_broken_case_is_reported_and_the_last_index_kept(tmp_path):
    case_file(tmp_path, "one", title="某银行备份平台建设")
    open_index(tmp_path)
    case_file(tmp_path, "bad", year="20x4")
    case_file(tmp_path, "dupe", name="other", title="另一个")
    (tmp_path / "other.md").write_text((tmp_path / "other.md").read_text(encoding="utf-8").replace("id: dupe", "id: one"),
                                       encoding="utf-8")
    result = CliRunner().invoke(main, ["cases", "search", "备份", "--casebook", str(tmp_path)])
    assert result.exit_code == 2
    assert "bad.md" in result.output and "year '20x4'" in result.output and "duplicate id 'one'" in result.output
    (tmp_path / "bad.md").unlink()
    (tmp_path / "other.md").unlink()
    assert ids(open_index(tmp_path).search("备份")) == ["one"]


def _reader(folder: str, seconds: float, total: int, out) -> None:
    """Search while another process updates: every snapshot holds each case exactly once."""
    seen, end = [], time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            index = open_index(folder)
            alpha = len(index.search("alpha", top=total * 2, include_internal=True))
            beta = len(index.search("beta", top=total * 2, include_internal=True))
            seen.append((alpha, beta))
        out.put(("ok", seen))
    except BaseException as exc:  # noqa: BLE001 — reported to the test, which fails
        out.put(("error", repr(exc)))


def _rewrite_all(folder: Path, old: str, new: str) -> None:
    """Each case file replaced whole (temp file + rename), as an editor saves it."""
    for path in sorted(folder.glob("*.md")):
        tmp = path.with_suffix(".tmp")
        tmp.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        os.replace(tmp, path)


def test_concurrent_readers_never_fail_nor_see_half_an_index(tmp_path):
    total = 120
    for n in range(total):
        case_file(tmp_path, f"c{n:03d}", title=f"alpha project {n}", body="## Challenge\nalpha work.\n")
    open_index(tmp_path)
    context = multiprocessing.get_context("spawn")  # a fresh interpreter, as another docgen run would be
    out = context.Queue()
    readers = [context.Process(target=_reader, args=(str(tmp_path), 8.0, total, out)) for _ in range(2)]
    for reader in readers:
        reader.start()
    words = ["alpha", "beta"]
    for round_ in range(4):
        _rewrite_all(tmp_path, words[round_ % 2], words[(round_ + 1) % 2])
        open_index(tmp_path)
    results = [out.get(timeout=60) for _ in readers]
    for reader in readers:
        reader.join(timeout=30)
    assert all(kind == "ok" for kind, _ in results), results
    snapshots = [pair for _, seen in results for pair in seen]
    assert len(snapshots) >= 4
    # each case says alpha or beta, never both, never neither: a snapshot with fewer or more is a partial index
    assert all(alpha + beta == total for alpha, beta in snapshots), snapshots


def _generated_casebook(folder: Path, count: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from casebook import make_case  # the benchmark's generator: mixed zh/en, 15 % internal
    finally:
        sys.path.remove(str(ROOT / "bench"))
    rng = random.Random(5)
    folder.mkdir()
    for n in range(count):
        (folder / f"gen-{n:05d}.md").write_text(make_case(n, rng), encoding="utf-8")


@pytest.mark.parametrize("count", [30, 1500])
def test_internal_cases_only_with_all_and_filters_combine(tmp_path, count):
    folder = tmp_path / "casebook"
    _generated_casebook(folder, count)
    index = open_index(folder)
    cases = index.cases
    internal = {c.id for c in cases if not c.external}
    assert len(cases) == count and internal
    surfaced = set()
    for query in ["容灾", "backup", "同城双活数据中心", "SD-WAN 门店", "monitoring", "政务云 信创", ""]:
        shown = {h.case.id for h in index.search(query, top=None)}
        assert shown and not shown & internal, query
        with_all = {h.case.id for h in index.search(query, top=None, include_internal=True)}
        assert with_all - shown <= internal and shown <= with_all, query
        surfaced |= with_all & internal
    assert surfaced == internal  # the no-words listing with --all lists them all
    for industry, tag, language in [("finance", "backup", None), ("医疗", "storage", "zh"), ("government", None, "en")]:
        tags = [tag] if tag else []
        expected = {c.id for c in cases if c.external and c.industry == {"医疗": "healthcare"}.get(industry, industry)
                    and (not tag or tag in c.tags) and (not language or c.language == language)}
        listed = index.search("", industry=industry, tags=tags, language=language, top=None)
        assert {h.case.id for h in listed} == expected
        assert [h.case.year for h in listed] == sorted((h.case.year for h in listed), reverse=True)
        found = index.search("备份 backup 云", industry=industry, tags=tags, language=language, top=None)
        assert {h.case.id for h in found} <= expected
    result = CliRunner().invoke(main, ["cases", "search", "backup", "--json", "--top", str(count),
                                       "--casebook", str(folder)])
    records = json.loads(result.output)
    assert records and all(r["external"] for r in records) and not {r["id"] for r in records} & internal


def _cli(*args, env):
    return subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("damage", ["garbage state", "foreign state", "engine files gone", "files.json cut short"])
def test_a_damaged_or_foreign_index_is_rebuilt_with_a_message(tmp_path, damage):
    folder = tmp_path / "casebook"
    folder.mkdir()
    case_file(folder, "one", title="某银行备份平台建设")
    case_file(folder, "two", title="某医院网络改造")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg-cache")}
    assert _cli("cases", "search", "备份", "--casebook", str(folder), env=env).returncode == 0
    index = folder / FOLDER
    state = json.loads((index / "state.json").read_text(encoding="utf-8"))
    if damage == "garbage state":
        (index / "state.json").write_bytes(b"\x00\xff not json")
    elif damage == "foreign state":
        (index / "state.json").write_text('{"format": "somebody else", "scan": "x"}', encoding="utf-8")
    elif damage == "engine files gone":
        for path in (index / state["engine"]).iterdir():
            path.unlink()
    else:
        case_file(folder, "three", title="某工厂备份建设")  # an update must read files.json
        (index / "files.json").write_text('{"one.md": [1, 2', encoding="utf-8")
    result = _cli("cases", "search", "备份", "--json", "--casebook", str(folder), env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "damaged or not docgen's" in result.stderr and "rebuilding it" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    expected = ["one", "three"] if damage == "files.json cut short" else ["one"]
    assert sorted(r["id"] for r in json.loads(result.stdout)) == expected
    again = _cli("cases", "search", "备份", "--casebook", str(folder), env=env)
    assert again.returncode == 0 and again.stderr == ""  # rebuilt once, quiet after


def test_reindex_command(tmp_path):
    for n in range(120):
        case_file(tmp_path, f"c{n:03d}", title=f"某客户备份建设{n}")
    result = CliRunner().invoke(main, ["cases", "reindex", "--casebook", str(tmp_path), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert f"indexed 120 cases into {tmp_path / FOLDER}" in result.output
    assert len(open_index(tmp_path).search("备份", top=500)) == 120
    result = CliRunner().invoke(main, ["cases", "reindex", "--casebook", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "casebook folder not found" in result.output
