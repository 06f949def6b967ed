"""data.atomic: a file is replaced whole or not at all."""

from __future__ import annotations

import errno
import os

import pytest

from rotation_desk.data import atomic


def test_write_text_creates_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out.csv"
    atomic.write_text(target, "date,adj_close\n2020-01-02,1.5\n")
    assert target.read_text() == "date,adj_close\n2020-01-02,1.5\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_failure_mid_write_keeps_the_old_file_and_removes_the_temporary(tmp_path):
    target = tmp_path / "plan.json"
    target.write_text("old")
    with pytest.raises(OSError) as info:
        with atomic.atomic_output(target) as handle:
            handle.write("new, half written")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert info.value.errno == errno.ENOSPC
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_a_failure_before_the_first_file_writes_nothing(tmp_path):
    target = tmp_path / "new.ics"
    with pytest.raises(ValueError):
        with atomic.atomic_output(target, "wb") as handle:
            handle.write(b"BEGIN:VCALENDAR")
            raise ValueError("the writer failed")
    assert list(tmp_path.iterdir()) == []


def test_permissions_of_a_replaced_file_are_kept(tmp_path):
    target = tmp_path / "settings.json"
    target.write_text("{}")
    os.chmod(target, 0o600)
    atomic.write_bytes(target, b'{"theme": "dark"}')
    assert target.read_bytes() == b'{"theme": "dark"}'
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_missing_folder_is_an_os_error_and_writes_nothing(tmp_path):
    with pytest.raises(FileNotFoundError):
        atomic.write_text(tmp_path / "no-such-folder" / "x.csv", "x")
    assert list(tmp_path.iterdir()) == []
