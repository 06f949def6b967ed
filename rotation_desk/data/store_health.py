"""The price database's health: what an SQLite error means, read-only stores, the quick check.

- ``kind_of(exc)`` sorts SQLite errors: only ``corrupt`` (SQLITE_CORRUPT,
  SQLITE_NOTADB: "database disk image is malformed", "file is not a
  database") means a damaged file; ``full``, ``readonly``, ``cantopen``,
  ``ioerr``, ``perm`` and ``busy`` are the machine's doing and become an
  EnvironmentProblem (exit 4) with a plain message. A permission problem is
  never taken for damage, so a healthy database is never moved aside for it.
- ``read_only_reason(path)``: why the store cannot be written (a read-only
  folder or file, checked with ``os.access``, which also sees read-only
  mounts); such a store is opened read-only and still serves reads.
- ``quick_check(conn)``: ``PRAGMA quick_check`` (every page's b-tree
  structure, ~75 ms on the seeded 88-ticker store; the full
  ``integrity_check`` takes ~170 ms). The file's identity (inode, size,
  mtime, ctime) after a clean check is kept beside it
  (``prices.sqlite3.verified``), so an open may skip the check while the file
  is exactly as it was then; any change (a write, a crash, garbage written by
  something else) makes the next open check again.
- ``guarded`` wraps every store call: damage found by any read or write
  rebuilds the database (``PriceStore.recover``) and runs the call once more;
  the machine's errors become EnvironmentProblem. ``Transaction`` rolls back
  only a transaction SQLite has not already rolled back itself (it does after
  a full disk), so the user sees the real error, never "cannot rollback".
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from rotation_desk.data.atomic import write_text
from rotation_desk.errors import EnvironmentProblem, why

log = logging.getLogger(__name__)

_PRIMARY = {
    3: "perm",  # SQLITE_PERM
    5: "busy",  # SQLITE_BUSY
    6: "busy",  # SQLITE_LOCKED
    8: "readonly",  # SQLITE_READONLY
    10: "ioerr",  # SQLITE_IOERR
    11: "corrupt",  # SQLITE_CORRUPT
    13: "full",  # SQLITE_FULL
    14: "cantopen",  # SQLITE_CANTOPEN
    26: "corrupt",  # SQLITE_NOTADB
}
_TEXT = (
    ("malformed", "corrupt"),
    ("not a database", "corrupt"),
    ("disk is full", "full"),
    ("readonly database", "readonly"),
    ("unable to open", "cantopen"),
    ("disk i/o error", "ioerr"),
    ("locked", "busy"),
)


def kind_of(exc: BaseException) -> str:
    """'corrupt', 'full', 'readonly', 'cantopen', 'ioerr', 'perm', 'busy', or 'other'."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _PRIMARY:
        return _PRIMARY[code & 0xFF]
    text = str(exc).lower()
    for needle, kind in _TEXT:
        if needle in text:
            return kind
    return "other"


def environment_error(exc: BaseException, path: Path, read_only: str | None = None) -> EnvironmentProblem | None:
    """The EnvironmentProblem an SQLite error stands for, or None if it is not the machine's doing."""
    kind = kind_of(exc)
    folder = path.parent
    if kind == "full" or (kind == "ioerr" and disk_full(folder)):
        return EnvironmentProblem(
            f"the disk holding the price database ({folder}) is full; the change was rolled back "
            "and nothing was written (free some space and try again)"
        )
    if kind in ("readonly", "perm"):
        reason = read_only or read_only_reason(path) or f"the database file {path} cannot be written"
        return EnvironmentProblem(f"cannot write to the price database: {reason}; nothing was written")
    if kind == "cantopen":
        reason = read_only_reason(path)
        detail = reason or "check that the folder exists and can be written"
        return EnvironmentProblem(f"cannot open the price database {path}: {detail}")
    if kind == "ioerr":
        return EnvironmentProblem(
            f"the price database {path} could not be read or written: input/output error "
            f"(a failing disk, a removed drive or a full disk?) [{exc}]"
        )
    if kind == "busy":
        return EnvironmentProblem(
            f"the price database {path} is busy: another Rotation Desk is writing to it; try again when it is done"
        )
    return None


def disk_full(folder: Path, slack: int = 256 * 1024) -> bool:
    """True if the file system holding ``folder`` has (almost) no room left."""
    try:
        st = os.statvfs(folder)
    except (OSError, AttributeError):
        return False
    return st.f_bavail * st.f_frsize < slack


# -- read-only stores ------------------------------------------------------------------
def read_only_reason(path: Path) -> str | None:
    """Why ``path`` (the database) cannot be written, or None if it can."""
    folder = path.parent
    if not os.access(folder, os.W_OK):
        return f"the folder {folder} is {_ro_or_denied(folder)}"
    if path.exists() and not os.access(path, os.W_OK):
        return f"the database file {path} is {_ro_or_denied(path)}"
    return None


def _ro_or_denied(path: Path) -> str:
    with contextlib.suppress(OSError, AttributeError):
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return "on a read-only file system"
    return "read-only (permission denied)"


def connect_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """A read-only connection. A WAL database in a folder that cannot be written has no
    shared-memory file to open, so it is read as immutable when no unsaved WAL exists."""
    if not path.exists():
        raise sqlite3.OperationalError("unable to open database file")
    wal = path.with_name(path.name + "-wal")
    shm = path.with_name(path.name + "-shm")
    uri = path.resolve().as_uri()
    folder_writable = os.access(path.parent, os.W_OK)
    if folder_writable or (wal.exists() and shm.exists()):
        try:
            conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout, isolation_level=None)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            if wal.exists() and wal.stat().st_size > 0:
                raise
    return sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=timeout, isolation_level=None)


def make_folder(path: Path) -> None:
    """Create the folder of the database at ``path``; EnvironmentProblem naming the database if it cannot be."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EnvironmentProblem(
            f"the price database {path} cannot be created: its folder {path.parent} cannot be made ({why(exc)})"
        ) from None


# -- the quick check -----------------------------------------------------------------------
def quick_check(conn: sqlite3.Connection) -> str | None:
    """None if the database's pages are sound, else the first problem in one line."""
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        if kind_of(exc) != "corrupt":
            raise
        return str(exc)
    if rows == [("ok",)]:
        return None
    lines = [line for row in rows for line in str(row[0]).splitlines() if line and not line.startswith("***")]
    return "integrity check failed: " + (lines[0][:160] if lines else "unknown problem")


def _stamp_file(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def file_stamp(path: Path) -> dict | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return {"ino": st.st_ino, "size": st.st_size, "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns}


def stamp_matches(path: Path) -> bool:
    """True if the file is exactly as it was after its last clean check."""
    try:
        saved = json.loads(_stamp_file(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    current = file_stamp(path)
    return current is not None and saved == current


def write_stamp(path: Path, stamp: dict) -> None:
    """Remember a clean check (best effort: a folder that cannot be written just checks every time)."""
    with contextlib.suppress(OSError):
        write_text(_stamp_file(path), json.dumps(stamp))


def forget_stamp(path: Path) -> None:
    with contextlib.suppress(OSError):
        _stamp_file(path).unlink()


# -- calls into SQLite --------------------------------------------------------------------
def guarded(method):
    """Run a store method; on damage rebuild the database and run it once more; turn the machine's
    SQLite errors (full disk, read-only, I/O) into EnvironmentProblem."""

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        generation = self._generation
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if kind_of(exc) != "corrupt" or getattr(self._local, "recovering", False):
                problem = environment_error(exc, self.path, self.read_only)
                if problem is None:
                    raise
                log.warning("%s: %s (%s)", method.__name__, problem, exc)
                raise problem from None
            # The file this thread's connection was on (another thread may have rebuilt it meanwhile:
            # then the call is simply run again on the new file).
            self.recover(str(exc), seen=getattr(self._local, "generation", generation))
        return method(self, *args, **kwargs)

    return run


class Transaction:
    """BEGIN IMMEDIATE ... COMMIT; on an error a ROLLBACK, unless SQLite already rolled back
    (it does after a full disk), so the error the user sees is the real one."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        else:
            self._rollback()

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error as exc:  # the first error is the one to report
                log.warning("rollback after a failed write: %s", exc)


class LockedTransaction(Transaction):
    """A ``Transaction`` that holds the store's lock from BEGIN to COMMIT and takes the connection under
    it: a rebuild (which holds the lock while it moves the damaged file aside) can neither start during
    the write nor leave this thread writing into the file it moved aside, where the rows would be lost."""

    def __init__(self, lock, connect: Callable[[], sqlite3.Connection]):
        self.lock, self.connect = lock, connect

    def __enter__(self) -> sqlite3.Connection:
        self.lock.acquire()
        try:
            self.conn = self.connect()
            return super().__enter__()
        except BaseException:
            self.lock.release()
            raise

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            super().__exit__(exc_type, exc, tb)
        finally:
            self.lock.release()
