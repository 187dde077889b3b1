"""`review fill` writes a batch as a set: a crash, Ctrl-C or a kill leaves the output folder as it was."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.core.errors import OutputError
from docgen.review import batch
from docgen.review.batch import FillOptions, fill
from tests.helpers.hostile import files_under
from tests.helpers.review import ENGINEER, make_workbook, typical_row


def workbook(tmp_path: Path, numbers, name="scores.xlsx") -> Path:
    return make_workbook(tmp_path / name, ENGINEER, [typical_row(ENGINEER, n) for n in numbers])


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".partial")]


def test_a_render_failure_leaves_the_folder_as_it_was(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    real = batch._render_one
    calls = []

    def failing(task):
        calls.append(task)
        if len(calls) == 4:
            raise OSError(28, "No space left on device")
        return real(task)

    monkeypatch.setattr(batch, "_render_one", failing)
    with pytest.raises(OSError):
        fill(workbook(tmp_path, range(1, 8)), ENGINEER, out, FillOptions())
    assert files_under(out) == {"keep.txt"} and not leftovers(tmp_path)


def test_force_replaces_the_previous_run_as_a_set(tmp_path):
    out = tmp_path / "out"
    fill(workbook(tmp_path, [1, 2, 3]), ENGINEER, out, FillOptions())
    (out / "notes.txt").write_text("HR's own file")
    # Without --force nothing is overwritten: the same people collide.
    with pytest.raises(Exception, match="already exists"):
        fill(workbook(tmp_path, [1, 2, 3], "again.xlsx"), ENGINEER, out, FillOptions())
    # The roster changed: 2 left, 4 joined. --force leaves no packet of someone no longer in it.
    fill(workbook(tmp_path, [1, 3, 4], "changed.xlsx"), ENGINEER, out, FillOptions(force=True))
    packets = sorted(p for p in files_under(out) if p.endswith(".docx"))
    assert packets == ["E001_员工1.docx", "E003_员工3.docx", "E004_员工4.docx"]
    assert (out / "notes.txt").read_text() == "HR's own file"


def test_packets_get_normal_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        result = fill(workbook(tmp_path, [1, 2]), ENGINEER, tmp_path / "out", FillOptions())
    finally:
        os.umask(old)
    for path in [*result.packets, result.summary]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_a_folder_that_cannot_be_written_is_a_message(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="cannot write into"):
        fill(workbook(tmp_path, [1]), ENGINEER, tmp_path / "file" / "out", FillOptions())


def _start_fill(tmp_path: Path, employees: int) -> tuple[subprocess.Popen, Path]:
    scores = workbook(tmp_path, range(1, employees + 1), "big.xlsx")
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "docgen", "review", "fill", str(scores), "--role",
                                "presales-engineer", "-o", str(out), "--jobs", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until packets are being written
        staging = [p for p in tmp_path.glob(".out.dg-*.partial") if len(list(p.glob("*.docx"))) >= 5]
        if staging:
            return process, out
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    process.kill()
    raise AssertionError("the fill never started writing")


@pytest.mark.slow
def test_ctrl_c_during_a_300_employee_fill_leaves_nothing(tmp_path):
    process, out = _start_fill(tmp_path, 300)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode in (130, -signal.SIGINT), stderr  # a shell shows 130 for both
    assert "Traceback" not in stderr and "interrupted" in stderr
    assert not out.exists() and not leftovers(tmp_path)


@pytest.mark.slow
def test_a_killed_fill_leaves_only_its_staging_folder_which_the_next_run_removes(tmp_path):
    process, out = _start_fill(tmp_path, 300)
    process.kill()
    process.communicate(timeout=30)
    time.sleep(0.5)  # the pool's workers notice their parent is gone
    assert not out.exists() and len(leftovers(tmp_path)) == 1
    result = CliRunner().invoke(main, ["review", "fill", str(workbook(tmp_path, [1, 2], "small.xlsx")), "--role",
                                       "presales-engineer", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "removed" in result.stderr and ".partial" in result.stderr
    assert not leftovers(tmp_path) and len([p for p in files_under(out) if p.endswith(".docx")]) == 2


def test_packets_record_what_they_are_and_can_never_be_released(tmp_path):
    from docgen.core.docprops import read_stamp

    result = fill(workbook(tmp_path, [1, 2]), ENGINEER, tmp_path / "out", FillOptions())
    records = [read_stamp(p) for p in result.packets]
    assert all(r["kind"] == "packet" and r["role"] == "presales-engineer" and r["blank"] == "no" for r in records)
    refused = CliRunner().invoke(main, ["proposal", "release", str(result.packets[0]), "-o", str(tmp_path / "x.docx"),
                                        "--reviewer", "王"])
    assert refused.exit_code == 1 and not (tmp_path / "x.docx").exists()
