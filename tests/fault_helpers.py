"""Making the machine hostile for a test: read-only folders and files, a small full disk.

As root (this machine, and CI) permissions do not stop writes, so read-only
means a read-only bind mount and a full disk a small tmpfs; both need the
right to mount, and a test skips cleanly without it. As another user,
read-only is ``chmod a-w`` and there is no tmpfs (the full-disk tests then rely
on the simulated ENOSPC ones).
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@functools.cache
def can_mount() -> bool:
    if not (IS_ROOT and sys.platform.startswith("linux") and shutil.which("mount")):
        return False
    probe = Path(tempfile.mkdtemp(prefix="rd-mount-probe-"))
    try:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(probe)], capture_output=True)
        if ok.returncode != 0:
            return False
        subprocess.run(["umount", str(probe)], capture_output=True)
        return True
    finally:
        with contextlib.suppress(OSError):
            probe.rmdir()


def _mount(*args: str) -> None:
    proc = subprocess.run(["mount", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"mount {' '.join(args)}: {proc.stderr.strip()}")


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


def release_stale_mounts() -> list[str]:
    """Unmount the read-only binds a killed earlier run left in temp folders pytest has already given up
    as garbage (it renames a folder ``garbage-*`` before removing it, and cannot remove a mount point),
    so later runs can clean them; returns the mount points released. Folders of a run still going are
    never called garbage, so a concurrent run's mounts are left alone."""
    if not (IS_ROOT and sys.platform.startswith("linux")):
        return []
    tmp = tempfile.gettempdir().rstrip("/")
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return []
    points = [line.split()[4].replace("\\040", " ") for line in lines if len(line.split()) > 4]
    stale = [p for p in points if p.startswith(f"{tmp}/pytest-of-") and "/garbage-" in p]
    for point in sorted(stale, key=len, reverse=True):  # the innermost first
        _umount(Path(point))
    return stale


@contextlib.contextmanager
def read_only(path: Path):
    """``path`` (a folder, with everything in it, or one file) cannot be written inside the block."""
    path = Path(path)
    if IS_ROOT:
        if not can_mount():
            pytest.skip("root without the right to mount: a folder cannot be made read-only for root")
        _mount("--bind", str(path), str(path))
        try:
            _mount("-o", "remount,bind,ro", str(path))
            yield path
        finally:
            _umount(path)
        return
    saved = {}
    targets = [path] + (list(path.rglob("*")) if path.is_dir() else [])
    for p in targets:
        saved[p] = p.stat().st_mode
        p.chmod(saved[p] & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        yield path
    finally:
        for p, mode in reversed(list(saved.items())):
            p.chmod(mode)


@contextlib.contextmanager
def small_disk(size_mb: int):
    """A fresh tmpfs of ``size_mb`` MB (root with the right to mount only)."""
    if not can_mount():
        pytest.skip("a small disk needs root and the right to mount a tmpfs")
    where = Path(tempfile.mkdtemp(prefix="rd-small-disk-"))
    _mount("-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(where))
    try:
        yield where
    finally:
        _umount(where)
        with contextlib.suppress(OSError):
            where.rmdir()


def fill(disk: Path, leave_bytes: int = 0) -> Path:
    """Take all the room on ``disk`` but ``leave_bytes``; returns the filler file (delete it to free the room)."""
    filler = disk / "filler"
    st = os.statvfs(disk)
    room = st.f_bavail * st.f_frsize - leave_bytes
    with filler.open("wb") as handle:
        if room > 0:
            os.posix_fallocate(handle.fileno(), 0, room)
    return filler


def run_cli(*args, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """The real command in its own process (its real stderr, as a terminal would show it)."""
    return subprocess.run(
        [sys.executable, "-m", "rotation_desk", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(os.environ, **(env or {})),
    )


def files_digest(folder: Path) -> dict[str, bytes]:
    """The files of the price store (the database, its -wal, backups, files moved aside), hashed.
    The ``.verified`` stamp is left out: it only says when the file was last checked."""
    import hashlib

    return {
        p.name: hashlib.sha256(p.read_bytes()).digest()
        for p in sorted(Path(folder).iterdir())
        if p.is_file() and not p.name.endswith(".verified")
    }


def assert_one_clean_line(stderr: str) -> str:
    """Exactly one line, and none of the noise the issue found."""
    for bad in ("Traceback", "--- Logging error ---", "cannot rollback", "libpng"):
        assert bad not in stderr, stderr
    assert stderr.count("\n") == 1, stderr
    return stderr.strip()
