"""Rows between pandas and SQLite for the price store: records to insert, the packed wide frame.

Every row that enters the store passes ``records``: dates within the supported
range (``rotation_desk.core.dates``: 1900-01-01 to 2100-12-31, inside pandas'
timestamps), so no later read can fail on an out-of-range date.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat

import numpy as np
import pandas as pd

from rotation_desk.core.dates import FIRST_DAY, LAST_DAY

OPTIONAL_COLUMNS = ("open", "high", "low", "close", "volume", "dividend", "split")
COLUMNS = ("adj_close",) + OPTIONAL_COLUMNS


def date_strings(index: pd.Index) -> list[str]:
    """YYYY-MM-DD of each stamp (its wall-clock date when the index has a time zone)."""
    stamps = pd.DatetimeIndex(index)
    if stamps.tz is not None:
        stamps = stamps.tz_localize(None)
    return np.datetime_as_string(stamps.to_numpy().astype("datetime64[D]"), unit="D").tolist()


def present_columns(frame: pd.DataFrame) -> tuple[str, ...]:
    """The frame's price columns in store order (adj_close first): all a write needs to bind, since a row's
    columns left out of ``insert_sql`` are stored as NULL, as a None would be (a snapshot seed binds three
    values a row instead of ten)."""
    return tuple(name for name in COLUMNS if name in frame.columns)


def insert_sql(columns: Sequence[str]) -> str:
    names = ", ".join(columns)
    return f"INSERT OR REPLACE INTO prices(ticker, date, {names}) VALUES ({','.join('?' * (2 + len(columns)))})"


def records(ticker: str, frame: pd.DataFrame, columns: Sequence[str] = COLUMNS) -> list[tuple]:
    """(ticker, date, *columns) tuples; ValueError for a date out of range. Missing values and columns the
    frame lacks are None, the rest Python floats (one array pass per frame, not a loop per value)."""
    if "adj_close" not in frame.columns:
        raise ValueError("price rows need an adj_close column")
    dates = date_strings(frame.index)
    if dates and (min(dates) < FIRST_DAY.isoformat() or max(dates) > LAST_DAY.isoformat()):
        raise ValueError(f"{ticker}: dates must lie between {FIRST_DAY} and {LAST_DAY} ({min(dates)} to {max(dates)})")
    present = [name for name in columns if name in frame.columns]
    values = frame[present].to_numpy(dtype="float64", na_value=np.nan)
    cells = values.astype(object)
    cells[np.isnan(values)] = None
    by_name = dict(zip(present, cells.T.tolist()))
    absent = [None] * len(frame)
    return list(zip(repeat(ticker), dates, *(by_name.get(name, absent) for name in columns)))


def wide(rows: list[tuple], columns: list[str] | None, start=None, end=None) -> pd.DataFrame:
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


def pack(rows: list[tuple]) -> tuple[bytes, bytes]:
    """(days, closes) blobs from (date, adj_close) rows in date order."""
    days = np.array([r[0] for r in rows], dtype="datetime64[D]").astype("int32")
    closes = np.array([r[1] for r in rows], dtype="float64")
    return days.tobytes(), closes.tobytes()


def split_sql(script: str) -> list[str]:
    """Statements of a migration script (comments dropped; they may hold semicolons)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def update_meta(c, ticker: str, source: str, now: str) -> None:
    """Refresh the ticker's metadata and packed closes from its rows (inside the store's write ``c``)."""
    rows = c.execute("SELECT date, adj_close FROM prices WHERE ticker = ? ORDER BY date", (ticker,)).fetchall()
    days, closes = pack(rows)
    c.execute("INSERT OR REPLACE INTO close_series(ticker, days, closes) VALUES (?, ?, ?)", (ticker, days, closes))
    first, last, n = c.execute(
        "SELECT min(date), max(date), count(*) FROM prices WHERE ticker = ?", (ticker,)
    ).fetchone()
    c.execute(
        "INSERT INTO tickers(ticker, source, first_date, last_date, rows, fetched_at, last_error, error_at) "
        "VALUES (?, ?, ?, ?, ?, ?, NULL, NULL) "
        "ON CONFLICT(ticker) DO UPDATE SET source = excluded.source, first_date = excluded.first_date, "
        "last_date = excluded.last_date, rows = excluded.rows, fetched_at = excluded.fetched_at, "
        "last_error = NULL, error_at = NULL",
        (ticker, source, first, last, n, now),
    )
