"""The SQLite price store.

One database file, WAL mode, schema version in ``PRAGMA user_version``,
parameterised SQL only, one transaction per ticker write. Connections are
per thread, so a refresh worker and the GUI thread can both use one store.
A file that is not a database is moved aside and rebuilt from the snapshot;
a file at an older schema version is backed up before it is migrated.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from rotation_desk.data.schema import MIGRATIONS, SCHEMA_VERSION
from rotation_desk.errors import DataUnavailable

log = logging.getLogger(__name__)

OPTIONAL_COLUMNS = ("open", "high", "low", "close", "volume", "dividend", "split")
COLUMNS = ("adj_close",) + OPTIONAL_COLUMNS
BUSY_TIMEOUT_S = 60.0


class StoreTooNew(DataUnavailable):
    """The database was written by a newer version of the app."""


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


def utc_now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _date_strings(index: pd.Index) -> list[str]:
    return list(pd.DatetimeIndex(index).strftime("%Y-%m-%d"))


class PriceStore:
    """Daily prices per ticker, with per-ticker metadata."""

    def __init__(
        self,
        path: Path,
        seed: Callable[[PriceStore], None] | None = None,
        notices: list[str] | None = None,
    ):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._lock = threading.Lock()
        self.notices: list[str] = notices if notices is not None else []
        self._open_checked()
        if seed is not None and self.is_empty():
            seed(self)

    # -- connections -------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _write(self):
        """A write transaction that takes the lock at once (no upgrade deadlocks)."""
        return _Transaction(self.conn)

    # -- opening, corruption, migration --------------------------------------
    def _open_checked(self) -> None:
        try:
            self._migrate()
            self.conn.execute("SELECT count(*) FROM tickers").fetchone()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise
            self.close()
            aside = self._move_aside(str(exc))
            self.notices.append(
                f"The price database {self.path} could not be read ({exc}); it was moved to "
                f"{aside.name} and a new one was built from the bundled snapshot."
            )
            log.warning("corrupt database moved to %s: %s", aside, exc)
            self._migrate()

    def _move_aside(self, reason: str) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        self.path.replace(aside)
        for suffix in ("-wal", "-shm"):
            extra = self.path.with_name(self.path.name + suffix)
            if extra.exists():
                extra.replace(aside.with_name(aside.name + suffix))
        return aside

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise StoreTooNew(
                f"{self.path} was written by a newer Rotation Desk (schema {version}); "
                f"this version understands schema {SCHEMA_VERSION}."
            )
        if version == SCHEMA_VERSION:
            return
        if version > 0:
            backup = self.path.with_name(f"{self.path.name}.bak-v{version}")
            dest = sqlite3.connect(backup)
            with dest:
                self.conn.backup(dest)
            dest.close()
            self.notices.append(f"Database upgraded from schema {version}; backup at {backup.name}.")
        while version < SCHEMA_VERSION:
            script = MIGRATIONS[version]
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _split_sql(script):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {version + 1}")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            version += 1

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # -- metadata -------------------------------------------------------------
    def is_empty(self) -> bool:
        return self.conn.execute("SELECT 1 FROM tickers LIMIT 1").fetchone() is None

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as c:
            c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def tickers(self) -> list[TickerMeta]:
        rows = self.conn.execute(
            "SELECT ticker, source, first_date, last_date, rows, fetched_at, last_error, error_at "
            "FROM tickers ORDER BY ticker"
        ).fetchall()
        return [TickerMeta(*r) for r in rows]

    def ticker_meta(self, ticker: str) -> TickerMeta | None:
        row = self.conn.execute(
            "SELECT ticker, source, first_date, last_date, rows, fetched_at, last_error, error_at "
            "FROM tickers WHERE ticker = ?",
            (ticker.upper(),),
        ).fetchone()
        return None if row is None else TickerMeta(*row)

    def has(self, ticker: str) -> bool:
        meta = self.ticker_meta(ticker)
        return meta is not None and meta.rows > 0

    # -- reads ----------------------------------------------------------------
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
        return _wide(rows, columns, start, end)

    # -- writes (one transaction per ticker) ------------------------------------
    def replace_history(self, ticker: str, frame: pd.DataFrame, source: str) -> int:
        """Replace all of a ticker's rows with ``frame`` (index = dates, column adj_close at least)."""
        return self._write_rows(ticker, frame, source, replace=True)

    def upsert_rows(self, ticker: str, frame: pd.DataFrame, source: str) -> int:
        """Insert new sessions and overwrite the ones already stored."""
        return self._write_rows(ticker, frame, source, replace=False)

    def _write_rows(self, ticker: str, frame: pd.DataFrame, source: str, replace: bool) -> int:
        ticker = ticker.upper()
        records = _records(ticker, frame)
        placeholders = ",".join("?" * (2 + len(COLUMNS)))
        with self._write() as c:
            if replace:
                c.execute("DELETE FROM prices WHERE ticker = ?", (ticker,))
            c.executemany(
                f"INSERT OR REPLACE INTO prices(ticker, date, {', '.join(COLUMNS)}) VALUES ({placeholders})",
                records,
            )
            self._update_meta(c, ticker, source)
        return len(records)

    @staticmethod
    def _update_meta(c: sqlite3.Connection, ticker: str, source: str) -> None:
        """Refresh the ticker's metadata and packed closes from its rows (inside the write)."""
        rows = c.execute("SELECT date, adj_close FROM prices WHERE ticker = ? ORDER BY date", (ticker,)).fetchall()
        days = np.array([r[0] for r in rows], dtype="datetime64[D]").astype("int32")
        closes = np.array([r[1] for r in rows], dtype="float64")
        c.execute(
            "INSERT OR REPLACE INTO close_series(ticker, days, closes) VALUES (?, ?, ?)",
            (ticker, days.tobytes(), closes.tobytes()),
        )
        first, last, n = c.execute(
            "SELECT min(date), max(date), count(*) FROM prices WHERE ticker = ?", (ticker,)
        ).fetchone()
        c.execute(
            "INSERT INTO tickers(ticker, source, first_date, last_date, rows, fetched_at, last_error, error_at) "
            "VALUES (?, ?, ?, ?, ?, ?, NULL, NULL) "
            "ON CONFLICT(ticker) DO UPDATE SET source = excluded.source, first_date = excluded.first_date, "
            "last_date = excluded.last_date, rows = excluded.rows, fetched_at = excluded.fetched_at, "
            "last_error = NULL, error_at = NULL",
            (ticker, source, first, last, n, utc_now_iso()),
        )

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

    def seed_bulk(self, frames: Iterable[tuple[str, pd.DataFrame]], source: str, meta: dict[str, str]) -> int:
        """Load many tickers in one transaction: a first-run seed is all or nothing."""
        placeholders = ",".join("?" * (2 + len(COLUMNS)))
        total = 0
        with self._write() as c:
            for ticker, frame in frames:
                records = _records(ticker.upper(), frame)
                c.executemany(
                    f"INSERT OR REPLACE INTO prices(ticker, date, {', '.join(COLUMNS)}) VALUES ({placeholders})",
                    records,
                )
                self._update_meta(c, ticker.upper(), source)
                total += len(records)
            for key, value in meta.items():
                c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
        return total

    # -- live facts -----------------------------------------------------------
    def save_live_facts(self, ticker: str, name: str | None, expense_ratio_pct: float | None) -> None:
        with self._write() as c:
            c.execute(
                "INSERT OR REPLACE INTO live_facts(ticker, name, expense_ratio, fetched_at) VALUES (?, ?, ?, ?)",
                (ticker.upper(), name, expense_ratio_pct, utc_now_iso()),
            )

    def live_facts(self) -> dict[str, tuple[str | None, float | None, str]]:
        rows = self.conn.execute("SELECT ticker, name, expense_ratio, fetched_at FROM live_facts").fetchall()
        return {r[0]: (r[1], r[2], r[3]) for r in rows}


class _Transaction:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")


def _records(ticker: str, frame: pd.DataFrame) -> list[tuple]:
    if "adj_close" not in frame.columns:
        raise ValueError("price rows need an adj_close column")
    dates = _date_strings(frame.index)
    cols = []
    for name in COLUMNS:
        if name in frame.columns:
            values = frame[name].to_numpy(dtype="float64", na_value=np.nan)
            cols.append([None if np.isnan(v) else float(v) for v in values])
        else:
            cols.append([None] * len(frame))
    return [(ticker, d, *vals) for d, *vals in zip(dates, *cols)]


def _wide(rows: list[tuple], columns: list[str] | None, start=None, end=None) -> pd.DataFrame:
    """Packed close series -> one frame, dates × tickers, cut to [start, end]."""
    lo = np.datetime64(str(start)[:10], "D").astype("int64") if start else None
    hi = np.datetime64(str(end)[:10], "D").astype("int64") if end else None
    series: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for ticker, days_blob, closes_blob in rows:
        days = np.frombuffer(days_blob, dtype="int32")
        closes = np.frombuffer(closes_blob, dtype="float64")
        a = 0 if lo is None else int(np.searchsorted(days, lo, side="left"))
        b = len(days) if hi is None else int(np.searchsorted(days, hi, side="right"))
        series[ticker] = (days[a:b], closes[a:b])
    names = columns if columns is not None else sorted(series)
    parts = [v[0] for v in series.values()]
    all_days = np.unique(np.concatenate(parts)) if parts else np.array([], dtype="int32")
    matrix = np.full((len(all_days), len(names)), np.nan)
    for j, name in enumerate(names):
        if name in series:
            days, closes = series[name]
            matrix[np.searchsorted(all_days, days), j] = closes
    index = pd.DatetimeIndex(all_days.astype("int64").astype("datetime64[D]").astype("datetime64[ns]"), name="date")
    return pd.DataFrame(matrix, index=index, columns=list(names))


def _split_sql(script: str) -> list[str]:
    """Statements of a migration script (comments dropped; they may hold semicolons)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
