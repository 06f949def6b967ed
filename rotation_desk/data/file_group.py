"""Several output files written all or none (``rotation-desk dca --schedule … --ics … --backtest … --ledger …``).

1. Every file is staged first: a temporary file beside its target, written,
   fsynced, given the target's permissions. A failure here (a full disk, a
   read-only folder) removes every temporary file: no target was touched.
2. Then the targets are replaced one by one by rename. An existing target is
   first hard-linked to a hidden backup, so that if a later rename fails the
   earlier ones are undone (the old files come back, new ones are removed).
3. Folders created for the outputs (``atomic.parent_folders``) are removed again when the group fails,
   so a failed command leaves nothing behind, not even an empty folder.

A kill -9 in the middle leaves at most hidden ``.name.tmp-…`` / ``.name.bak-…``
files, never a half-written target. Errors are the ``OSError`` of the step that
failed (its ``filename`` is the target), for the caller to report.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import tempfile
from collections.abc import Iterable
from pathlib import Path

from rotation_desk.data.atomic import _fsync_dir, _mode_for, parent_folders


def write_all(outputs: Iterable[tuple[str | os.PathLike, bytes]]) -> list[Path]:
    """Write each ``(path, data)`` whole, and all of them or none; returns the paths written."""
    items = [(Path(p), bytes(data)) for p, data in outputs]
    seen: set[str] = set()
    for path, _ in items:
        key = os.path.realpath(path)
        if key in seen:
            raise ValueError(f"{path} is given twice")
        seen.add(key)
        _check_target(path)
    with contextlib.ExitStack() as folders:  # on a failure, the folders made for the outputs are removed
        for path, _ in items:
            folders.enter_context(parent_folders(path))
        staged: list[tuple[Path, str]] = []
        try:
            for path, data in items:
                staged.append((path, _stage(path, data)))
        except BaseException:
            _discard(tmp for _, tmp in staged)
            raise
        _commit(staged)
    return [path for path, _ in items]


def _check_target(path: Path) -> None:
    """A folder where the file should be, or a file where one of its folders should be."""
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))


def _stage(path: Path, data: bytes) -> str:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
    except OSError as exc:
        exc.filename = str(path)
        raise
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(path))
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            exc.filename = str(path)
        raise
    return tmp


def _commit(staged: list[tuple[Path, str]]) -> None:
    done: list[tuple[Path, str | None]] = []  # (target, its backup or None when it did not exist)
    try:
        for path, tmp in staged:
            backup = _backup(path)
            try:
                os.replace(tmp, path)
            except OSError as exc:
                if backup is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(backup)
                exc.filename = str(path)
                raise
            done.append((path, backup))
    except BaseException:
        for path, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, path)
                else:
                    os.unlink(path)
        _discard(tmp for _, tmp in staged)
        raise
    _discard(backup for _, backup in done if backup is not None)
    for folder in dict.fromkeys(path.parent for path, _ in staged):
        _fsync_dir(folder)


def _backup(path: Path) -> str | None:
    """A hard link to the existing ``path`` under a hidden name (None: there is no file, or no links here)."""
    if not path.exists():
        return None
    backup = str(path.with_name(f".{path.name}.bak-{secrets.token_hex(4)}"))
    try:
        os.link(path, backup)
    except OSError:
        return None  # a file system without hard links: that file cannot be rolled back
    return backup


def _discard(names: Iterable[str]) -> None:
    for name in names:
        with contextlib.suppress(OSError):
            os.unlink(name)
