"""Errors a user can cause, each with the exit code the command line returns for it.

The exit codes (README, docs/architecture.md): 0 ok · 2 bad input · 3 data unavailable · 4 environment · 1 unexpected.
"""

from __future__ import annotations

import errno
import os


class RotationDeskError(Exception):
    """Base for errors whose message is meant for the user (no traceback)."""

    exit_code = 1


class BadInput(RotationDeskError):
    """The user gave something malformed: a date, a CSV, a plan, weights."""

    exit_code = 2


class DataUnavailable(RotationDeskError):
    """The data asked for is not there: unknown ticker, no rows in the window, offline."""

    exit_code = 3


class Cancelled(Exception):
    """A computation noticed that a newer request replaced it and stopped (not an error)."""


class EnvironmentProblem(RotationDeskError):
    """The machine stops the app: permission denied, a read-only folder or file, a full disk,
    a path that is a file where a folder is needed, a damaged database that could not be rebuilt."""

    exit_code = 4


# errno values that say "the machine is in the way", not "the app has a bug".
ENVIRONMENT_ERRNOS = frozenset(
    getattr(errno, name)
    for name in ("EACCES", "EPERM", "EROFS", "ENOSPC", "EDQUOT", "ENOTDIR", "EISDIR", "EEXIST", "EIO", "EMFILE")
    + ("ENOENT",)  # an output folder that cannot be made (inputs are checked, and named, before this)
    + ("ENFILE", "ENAMETOOLONG", "ELOOP", "EFBIG", "ETXTBSY", "EBUSY", "ENXIO", "ENODEV", "ESTALE")
    if hasattr(errno, name)
)


def why(exc: OSError) -> str:
    """A plain reason for an OSError: "the disk is full", "permission denied", ..."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return "the disk is full" if code == errno.ENOSPC else "the disk quota is used up"
    if code == errno.EROFS:
        return "the file system is read-only"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if code == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    if code == errno.EISDIR:
        return "it is a folder, not a file"
    if code == errno.EIO:
        return "input/output error (a failing disk or a removed drive?)"
    return exc.strerror or type(exc).__name__


def environment_problem(exc: OSError, path: str | os.PathLike | None = None, doing: str = "") -> EnvironmentProblem:
    """An EnvironmentProblem saying which path, what the app was doing, and why it failed."""
    where = str(path if path is not None else exc.filename or "")
    prefix = f"{where}: " if where else ""
    doing = f"cannot {doing}: " if doing else ""
    return EnvironmentProblem(f"{prefix}{doing}{why(exc)}")
