"""The writer: atomic, never over an existing file or symlink, normal permissions, one-line OS errors."""

from __future__ import annotations

import os
import stat

import pytest

from docgen.core.errors import OutputError, OutputExistsError
from docgen.core.output import write_atomic


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_files_get_the_umask_mode(tmp_path, umask_022):
    path = write_atomic(tmp_path / "a.docx", b"x")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    os.umask(0o077)
    assert stat.S_IMODE(write_atomic(tmp_path / "b.docx", b"x").stat().st_mode) == 0o600


def test_a_dangling_symlink_is_an_existing_file(tmp_path):
    link = tmp_path / "out.docx"
    link.symlink_to(tmp_path / "nowhere.docx")
    with pytest.raises(OutputExistsError):
        write_atomic(link, b"x")
    assert link.is_symlink() and not (tmp_path / "nowhere.docx").exists()
    write_atomic(link, b"x", force=True)
    assert link.read_bytes() == b"x" and not link.is_symlink()


def test_any_legal_name_works_and_an_illegal_one_is_a_message(tmp_path):
    legal = "报" * 83 + ".x"  # 251 bytes
    assert write_atomic(tmp_path / legal, b"x").read_bytes() == b"x"
    with pytest.raises(OutputError, match="longer than 255 bytes"):
        write_atomic(tmp_path / ("a" * 256), b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == [legal]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_unwritable_folder_is_a_message(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(OutputError, match="Permission denied"):
        write_atomic(locked / "a.docx", b"x")


def test_read_only_file_system_is_a_message(tmp_path):
    with pytest.raises(OutputError, match="cannot write /proc/x.xlsx"):
        write_atomic("/proc/x.xlsx", b"x")


def test_a_file_where_a_folder_should_be_is_a_message(tmp_path):
    (tmp_path / "plain").write_text("x")
    with pytest.raises(OutputError, match="cannot write .*plain/a.docx"):
        write_atomic(tmp_path / "plain" / "a.docx", b"x")
