"""data.file_group: several files written all or none (what ``rotation-desk dca`` writes its outputs with)."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from rotation_desk.data import file_group
from rotation_desk.data.file_group import write_all


def names(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_writes_every_file_and_keeps_an_existing_files_permissions(tmp_path):
    old = tmp_path / "a.csv"
    old.write_text("old")
    old.chmod(0o640)
    written = write_all([(old, b"new a"), (tmp_path / "sub" / "b.ics", b"new b")])
    assert written == [old, tmp_path / "sub" / "b.ics"]
    assert old.read_bytes() == b"new a" and (tmp_path / "sub" / "b.ics").read_bytes() == b"new b"
    assert old.stat().st_mode & 0o777 == 0o640
    assert names(tmp_path) == ["a.csv", "sub", "sub/b.ics"]  # no temporary or backup file left


def test_a_failure_while_staging_touches_no_target(tmp_path, monkeypatch):
    keep = tmp_path / "a.csv"
    keep.write_text("old")
    calls = []
    real_fsync = os.fsync

    def full_disk(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(file_group.os, "fsync", full_disk)
    with pytest.raises(OSError) as info:
        write_all([(keep, b"new"), (tmp_path / "new" / "deeper" / "b.ics", b"x")])
    assert info.value.errno == errno.ENOSPC and info.value.filename == str(tmp_path / "new" / "deeper" / "b.ics")
    assert keep.read_text() == "old"
    assert names(tmp_path) == ["a.csv"]  # the temporaries and the folders made for the outputs are gone


def test_a_failing_rename_undoes_the_ones_before_it(tmp_path, monkeypatch):
    first = tmp_path / "a.csv"
    first.write_text("old a")
    second = tmp_path / "b.json"
    third = tmp_path / "c.csv"
    third.write_text("old c")
    real_replace = os.replace
    seen = []

    def replace(src, dst):
        seen.append(dst)
        if len(seen) == 3:  # a, b done; c fails
            raise OSError(errno.EIO, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(file_group.os, "replace", replace)
    with pytest.raises(OSError) as info:
        write_all([(first, b"new a"), (second, b"new b"), (third, b"new c")])
    assert info.value.filename == str(third)
    monkeypatch.setattr(file_group.os, "replace", real_replace)
    assert first.read_text() == "old a" and not second.exists() and third.read_text() == "old c"
    assert names(tmp_path) == ["a.csv", "c.csv"]


def test_a_folder_or_the_same_file_twice_is_refused_before_anything_is_written(tmp_path):
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(IsADirectoryError):
        write_all([(tmp_path / "a.csv", b"a"), (tmp_path / "dir.csv", b"b")])
    with pytest.raises(ValueError, match="given twice"):
        write_all([(tmp_path / "a.csv", b"a"), (tmp_path / "." / "a.csv", b"b")])
    assert names(tmp_path) == ["dir.csv"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_a_read_only_folder_for_one_output_writes_none(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(PermissionError) as info:
            write_all([(tmp_path / "a.csv", b"a"), (locked / "b.csv", b"b")])
        assert info.value.filename == str(locked / "b.csv")
    finally:
        locked.chmod(0o700)
    assert names(tmp_path) == ["locked"]


def test_a_file_where_a_folder_should_be_writes_none(tmp_path):
    (tmp_path / "plain").write_text("a file")
    with pytest.raises(NotADirectoryError) as info:
        write_all([(tmp_path / "new" / "a.csv", b"a"), (tmp_path / "plain" / "b.csv", b"b")])
    assert info.value.filename is not None
    assert names(tmp_path) == ["plain"]


def test_kill_9_while_writing_leaves_old_or_new_files_never_half(tmp_path):
    """A child writes two 20 MB files again and again; killed at random, every target is whole."""
    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(b"A" * 1000)
    b.write_bytes(b"B" * 1000)
    script = textwrap.dedent(
        f"""
        import sys
        from rotation_desk.data.file_group import write_all
        print("ready", flush=True)
        n = 0
        while True:
            n += 1
            write_all([({str(a)!r}, bytes([n % 250]) * 20_000_000), ({str(b)!r}, bytes([n % 250]) * 20_000_000)])
        """
    )
    for delay in (0.15, 0.4, 0.7):
        child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
        assert child.stdout.readline().strip() == b"ready"
        try:
            child.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
        for target in (a, b):
            data = target.read_bytes()
            assert len(data) in (1000, 20_000_000) and data == data[:1] * len(data)
