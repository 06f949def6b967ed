"""The SQLite price store.

One database file, WAL mode, schema version in ``PRAGMA user_version``,
parameterised SQL only, one transaction per ticker write. Connections are
per thread, so a refresh worker and the GUI thread can both use one store.

Health (``store_health``, ``recovery``): the file is checked when it is opened
(``check_health``, skipped while the file is as it was at its last clean
check); a damaged file — found then, or by any later read or write ("database
disk image is malformed") — is kept aside and rebuilt from the snapshot with
what could be saved re-applied, and the notice says what was kept and lost. A
store that cannot be written (read-only folder or file, full disk at open) is
opened read-only and serves reads; writes raise EnvironmentProblem (exit 4).
A file at an older schema version is backed up before it is migrated.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from rotation_desk.core.instruments import Instrument
from rotation_desk.data import store_frames
from rotation_desk.data import store_health as health
from rotation_desk.data import store_listing as listing_sql
from rotation_desk.data.schema import StoreTooNew, migrate
from rotation_desk.data.store_frames import COLUMNS, OPTIONAL_COLUMNS, records, update_meta, wide
from rotation_desk.data.store_health import LockedTransaction, guarded
from rotation_desk.data.store_listing import META_COLUMNS, Listing
from rotation_desk.errors import EnvironmentProblem

log = logging.getLogger(__name__)

__all__ = ["COLUMNS", "OPTIONAL_COLUMNS", "Listing", "PriceStore", "StoreTooNew", "TickerMeta", "utc_now_iso"]
BUSY_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class TickerMeta:
    ticker: str
    source: str
    first: str | None
    last: str | None
    rows: int
    fetched_at: str | None
    last_error: str | None
    error_at: str | None
    instrument_type: str | None = None  # schema 2: Yahoo's meta (store_listing.py)
    currency: str | None = None
    exchange: str | None = None
    timezone: str | None = None
    refreshed_at: str | None = None
    refresh_status: str | None = None
    refresh_message: str | None = None

    @property
    def instrument(self) -> Instrument:
        return Instrument(self.ticker, self.instrument_type, self.currency, self.exchange, self.timezone)


def utc_now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class PriceStore:
    """Daily prices per ticker, with per-ticker metadata."""

    def __init__(
        self,
        path: Path,
        seed: Callable[[PriceStore], None] | None = None,
        notices: list[str] | None = None,
        check: bool = True,
        journal_backup: Path | None = None,
    ):
        self.path = Path(path)
        health.make_folder(self.path)
        self._local = threading.local()
        self._lock = threading.RLock()
        self._generation = 0  # rebuilds so far: a thread's connection made before the last one is reopened
        self._writes = 0  # write transactions begun: with SQLite's data_version, when a cached read is stale
        self._seed = seed
        self.notices: list[str] = notices if notices is not None else []
        self.journal_backup = journal_backup  # the DCA journal's copy a rebuild falls back on (``journal``)
        self.read_only: str | None = health.read_only_reason(self.path)
        self._open_checked(check)
        if seed is not None and self.is_empty():
            if self.read_only:
                raise EnvironmentProblem(f"the price database {self.path} cannot be created: {self.read_only}")
            seed(self)

    # -- connections -------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            return health.connect_read_only(self.path, BUSY_TIMEOUT_S)
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.OperationalError as exc:
            conn.close()
            kind = health.kind_of(exc)
            full = kind == "full" or (kind == "ioerr" and health.disk_full(self.path.parent))
            if not full or not self.path.exists():
                raise
            # No room for the WAL's files: read what is there, refuse writes with a clear message.
            self.read_only = f"the disk holding {self.path.parent} is full"
            return health.connect_read_only(self.path, BUSY_TIMEOUT_S)
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and getattr(self._local, "generation", None) == self._generation:
            return conn
        # (Re)connect under the lock: a rebuild on another thread holds it until the new file is in
        # place, so no thread opens the damaged file just before it is moved aside.
        with self._lock:
            if conn is not None:
                conn.close()  # the file was rebuilt since this thread connected
            conn = self._connect()
            self._local.conn = conn
            self._local.generation = self._generation
        return conn

    @property
    def rebuilds(self) -> int:  # times the damaged file was rebuilt since the store was opened
        return self._generation

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = self._local.tickers = None  # a new connection starts its data_version afresh

    def _write(self):
        """A write transaction that takes the lock at once (no upgrade deadlocks)."""
        if self.read_only:
            raise EnvironmentProblem(f"cannot write to the price database: {self.read_only}; nothing was written")
        self._writes += 1
        return LockedTransaction(self._lock, lambda: self.conn)

    # -- opening, health, migration ---------------------------------------------
    def _open_checked(self, check: bool) -> None:
        try:
            migrate(self.conn, self.path, self.read_only, self.notices)
            self.conn.execute("SELECT count(*) FROM tickers").fetchone()
        except sqlite3.DatabaseError as exc:
            if health.kind_of(exc) != "corrupt":
                problem = health.environment_error(exc, self.path, self.read_only)
                if problem is None:
                    raise
                raise problem from None
            self.recover(str(exc))
            return
        if check:
            self.check_health(force=False)

    @guarded
    def check_health(self, force: bool = True) -> bool:
        """The quick integrity check (``store_health.quick_check``); True if the database is sound.

        With ``force=False`` it is skipped while the file is exactly as it was at
        its last clean check. A damaged database is rebuilt at once (the notice
        says what was kept and lost) and False is returned. Safe to call from a
        worker thread.
        """
        if not force and health.stamp_matches(self.path):
            return True
        before = health.file_stamp(self.path)
        conn = self.conn
        generation = self._local.generation  # the file this check reads
        problem = health.quick_check(conn)
        if problem is None:
            unchanged = before is not None and before == health.file_stamp(self.path)
            if not self.read_only and unchanged and not health.stamp_matches(self.path):
                health.write_stamp(self.path, before)
            return True
        self.recover(problem, seen=generation)
        return False

    def recover(self, reason: str, seen: int | None = None) -> None:
        """Keep the damaged file aside, rebuild it from the snapshot, re-apply what can be saved; nothing
        if another thread rebuilt it since the damage was met (``seen``: ``rebuilds`` at that moment)."""
        from rotation_desk.data.recovery import rebuild

        with self._lock:
            if seen is not None and seen != self._generation:
                return
            if self.read_only:
                raise EnvironmentProblem(
                    f"the price database {self.path} is damaged ({reason}) and cannot be rebuilt: {self.read_only}"
                )
            self._local.recovering = True
            try:
                self.close()
                message = rebuild(self.path, reason, self._seed, self.journal_backup)
            finally:
                self._local.recovering = False
            self._generation += 1  # only now: every thread's next call reconnects to the new file
        health.forget_stamp(self.path)
        self.notices.append(message)
        log.warning("%s", message)

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # -- metadata -------------------------------------------------------------
    @guarded
    def is_empty(self) -> bool:
        return self.conn.execute("SELECT 1 FROM tickers LIMIT 1").fetchone() is None

    @guarded
    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    @guarded
    def set_meta(self, key: str, value: str) -> None:
        with self._write() as c:
            c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    @guarded
    def tickers(self) -> list[TickerMeta]:
        """Every ticker's metadata; read again only after a write here or a commit by another connection
        (``PRAGMA data_version``): the window asks a dozen times before its first paint."""
        conn = self.conn
        key = (self._generation, self._writes, conn.execute("PRAGMA data_version").fetchone()[0])
        cached = getattr(self._local, "tickers", None)
        if cached is None or cached[0] != key:
            rows = conn.execute(f"SELECT {META_COLUMNS} FROM tickers ORDER BY ticker").fetchall()
            self._local.tickers = cached = (key, [TickerMeta(*r) for r in rows])
        return list(cached[1])

    @guarded
    def ticker_meta(self, ticker: str) -> TickerMeta | None:
        row = self.conn.execute(f"SELECT {META_COLUMNS} FROM tickers WHERE ticker = ?", (ticker.upper(),)).fetchone()
        return None if row is None else TickerMeta(*row)

    @guarded
    def set_listing(self, ticker: str, listing: Listing) -> None:
        """Store what the ticker is (Yahoo's meta); fields that are None keep what is stored."""
        with self._write() as c:
            listing_sql.set_listing(c, ticker.upper(), listing)

    @guarded
    def remove(self, ticker: str) -> int:
        """Delete a ticker's rows, packed closes and metadata in one transaction; the rows removed."""
        with self._write() as c:
            return listing_sql.delete_ticker(c, ticker.upper())

    @guarded
    def record_refresh(self, ticker: str, status: str, message: str) -> None:
        """The last refresh's result for the ticker (its rows untouched)."""
        with self._write() as c:
            listing_sql.record_refresh(c, ticker.upper(), status, message, utc_now_iso())

    @guarded
    def splits(self, tickers: Sequence[str] | None = None) -> dict[str, dict[str, float]]:
        """Recorded splits (split ratio other than 0 and 1) per ticker: {ticker: {date: ratio}}."""
        return listing_sql.read_splits(self.conn, tickers)

    def has(self, ticker: str) -> bool:
        meta = self.ticker_meta(ticker)
        return meta is not None and meta.rows > 0

    # -- reads ----------------------------------------------------------------
    @guarded
    def read_history(self, ticker: str, start: str | None = None, end: str | None = None) -> pd.DataFrame:
        """All stored columns of one ticker, indexed by session date."""
        sql = "SELECT date, " + ", ".join(COLUMNS) + " FROM prices WHERE ticker = ?"
        params: list = [ticker.upper()]
        if start:
            sql += " AND date >= ?"
            params.append(str(start))
        if end:
            sql += " AND date <= ?"
            params.append(str(end))
        sql += " ORDER BY date"
        rows = self.conn.execute(sql, params).fetchall()
        frame = pd.DataFrame(rows, columns=("date",) + COLUMNS)
        frame.index = pd.DatetimeIndex(pd.to_datetime(frame.pop("date"), format="%Y-%m-%d"), name="date").as_unit("ns")
        return frame.astype("float64")

    @guarded
    def read_closes(
        self,
        tickers: Sequence[str] | None = None,
        start: str | None = None,
        end: str | None = None,
    ) -> pd.DataFrame:
        """Adjusted closes as one wide frame (dates × tickers), from a single query.

        A ticker with no rows in the window is a column of NaN; dates are the
        union of all tickers' sessions.
        """
        if tickers is None:
            rows = self.conn.execute("SELECT ticker, days, closes FROM close_series").fetchall()
            columns = None
        else:
            columns = [t.upper() for t in tickers]
            if not columns:
                return pd.DataFrame(index=pd.DatetimeIndex([], name="date"))
            marks = ",".join("?" * len(columns))
            sql = f"SELECT ticker, days, closes FROM close_series WHERE ticker IN ({marks})"
            rows = self.conn.execute(sql, columns).fetchall()
        return wide(rows, columns, start, end)

    # -- writes (one transaction per ticker) ------------------------------------
    def replace_history(self, ticker: str, frame: pd.DataFrame, source: str) -> int:
        """Replace all of a ticker's rows with ``frame`` (index = dates, column adj_close at least)."""
        return self._write_rows(ticker, frame, source, replace=True)

    def upsert_rows(self, ticker: str, frame: pd.DataFrame, source: str) -> int:
        """Insert new sessions and overwrite the ones already stored."""
        return self._write_rows(ticker, frame, source, replace=False)

    @guarded
    def _write_rows(self, ticker: str, frame: pd.DataFrame, source: str, replace: bool) -> int:
        ticker = ticker.upper()
        columns = store_frames.present_columns(frame)
        rows = records(ticker, frame, columns)
        with self._write() as c:
            if replace:
                c.execute("DELETE FROM prices WHERE ticker = ?", (ticker,))
            c.executemany(store_frames.insert_sql(columns), rows)
            update_meta(c, ticker, source, utc_now_iso())
        return len(rows)

    @guarded
    def record_error(self, ticker: str, message: str) -> None:
        """Remember the last failure of a ticker without touching its rows."""
        ticker = ticker.upper()
        with self._write() as c:
            updated = c.execute(
                "UPDATE tickers SET last_error = ?, error_at = ? WHERE ticker = ?",
                (message, utc_now_iso(), ticker),
            ).rowcount
            if not updated:
                c.execute(
                    "INSERT INTO tickers(ticker, source, rows, last_error, error_at) VALUES (?, 'none', 0, ?, ?)",
                    (ticker, message, utc_now_iso()),
                )

    @guarded
    def seed_bulk(
        self,
        frames: Iterable[tuple[str, pd.DataFrame]],
        source: str,
        meta: dict[str, str],
        listing: Listing | None = None,
    ) -> int:
        """Load many tickers in one transaction (all with ``listing``): a first-run seed is all or nothing."""
        total = 0
        with self._write() as c:
            for ticker, frame in frames:
                columns = store_frames.present_columns(frame)
                rows = records(ticker.upper(), frame, columns)
                c.executemany(store_frames.insert_sql(columns), rows)
                update_meta(c, ticker.upper(), source, utc_now_iso())
                if listing is not None:
                    listing_sql.set_listing(c, ticker.upper(), listing)
                total += len(rows)
            for key, value in meta.items():
                c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
        return total

    # -- live facts -----------------------------------------------------------
    @guarded
    def save_live_facts(
        self, ticker: str, name: str | None, expense_ratio_pct: float | None, fetched_at: str | None = None
    ) -> None:
        with self._write() as c:
            c.execute(
                "INSERT OR REPLACE INTO live_facts(ticker, name, expense_ratio, fetched_at) VALUES (?, ?, ?, ?)",
                (ticker.upper(), name, expense_ratio_pct, fetched_at or utc_now_iso()),
            )

    @guarded
    def live_facts(self) -> dict[str, tuple[str | None, float | None, str]]:
        rows = self.conn.execute("SELECT ticker, name, expense_ratio, fetched_at FROM live_facts").fetchall()
        return {r[0]: (r[1], r[2], r[3]) for r in rows}
