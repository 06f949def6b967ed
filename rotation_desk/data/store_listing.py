"""Per-ticker listing (schema 2): what Yahoo's chart meta says a ticker is, and its last refresh's result.

SQL helpers run inside the store's transactions (``PriceStore.set_listing``,
``record_refresh``, ``seed_bulk``) and by the rebuild's salvage
(``recovery.salvage_series``), so the columns are named in one place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, fields

# The tickers table's columns in TickerMeta's order (store.py).
META_COLUMNS = (
    "ticker, source, first_date, last_date, rows, fetched_at, last_error, error_at, "
    "instrument_type, currency, exchange, timezone, refreshed_at, refresh_status, refresh_message"
)
# The columns a rebuild carries over from the damaged database besides the rows (recovery.py).
SALVAGED_COLUMNS = (
    "fetched_at",
    "last_error",
    "error_at",
    "instrument_type",
    "currency",
    "exchange",
    "timezone",
    "refreshed_at",
    "refresh_status",
    "refresh_message",
)
MAX_TEXT = 200  # a listing field longer than this is not Yahoo's meta; it is cut


@dataclass(frozen=True)
class Listing:
    """Yahoo's meta for one ticker; None: not sent (what is stored stays)."""

    instrument_type: str | None = None
    currency: str | None = None
    exchange: str | None = None
    timezone: str | None = None

    @classmethod
    def from_meta(cls, meta) -> Listing:
        """From Yahoo's chart ``meta`` (a mapping); odd values are dropped."""

        def text(key: str) -> str | None:
            try:
                value = meta.get(key) if meta is not None else None
            except Exception:  # noqa: BLE001 - a lazy mapping that fails on a key: treat as missing
                return None
            if not isinstance(value, str) or not value.strip():
                return None
            return " ".join(value.split())[:MAX_TEXT]

        return cls(text("instrumentType"), text("currency"), text("exchangeName"), text("exchangeTimezoneName"))

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


def set_listing(c: sqlite3.Connection, ticker: str, listing: Listing) -> None:
    """Inside a write: the listing's known fields replace the stored ones (the ticker row must exist)."""
    c.execute(
        "UPDATE tickers SET instrument_type = coalesce(?, instrument_type), currency = coalesce(?, currency), "
        "exchange = coalesce(?, exchange), timezone = coalesce(?, timezone) WHERE ticker = ?",
        (listing.instrument_type, listing.currency, listing.exchange, listing.timezone, ticker),
    )


def record_refresh(c: sqlite3.Connection, ticker: str, status: str, message: str, when: str) -> None:
    updated = c.execute(
        "UPDATE tickers SET refreshed_at = ?, refresh_status = ?, refresh_message = ? WHERE ticker = ?",
        (when, status, message[: MAX_TEXT * 2], ticker),
    ).rowcount
    if not updated:
        c.execute(
            "INSERT INTO tickers(ticker, source, rows, refreshed_at, refresh_status, refresh_message) "
            "VALUES (?, 'none', 0, ?, ?, ?)",
            (ticker, when, status, message[: MAX_TEXT * 2]),
        )


def read_splits(conn: sqlite3.Connection, tickers: Sequence[str] | None = None) -> dict[str, dict[str, float]]:
    sql = "SELECT ticker, date, split FROM prices WHERE split IS NOT NULL AND split NOT IN (0, 1)"
    params: list = []
    if tickers is not None:
        names = [t.upper() for t in tickers]
        if not names:
            return {}
        sql += f" AND ticker IN ({','.join('?' * len(names))})"
        params = names
    out: dict[str, dict[str, float]] = {}
    for ticker, day, ratio in conn.execute(sql, params).fetchall():
        out.setdefault(ticker, {})[day] = float(ratio)
    return out


def carried_over(damaged: sqlite3.Connection, ticker: str) -> dict[str, object]:
    """The salvaged columns of one ticker in a damaged database (only those its schema has; {} if unreadable)."""
    try:
        present = {row[1] for row in damaged.execute("PRAGMA table_info(tickers)").fetchall()}
        names = [n for n in SALVAGED_COLUMNS if n in present]
        if not names:
            return {}
        row = damaged.execute(f"SELECT {', '.join(names)} FROM tickers WHERE ticker = ?", (ticker,)).fetchone()
    except sqlite3.DatabaseError:
        return {}
    if row is None:
        return {}
    return {n: v for n, v in zip(names, row) if v is None or isinstance(v, str)}


def restore(c: sqlite3.Connection, ticker: str, values: dict[str, object]) -> None:
    """Inside a write: put salvaged column values back (after the rows were re-applied)."""
    names = [n for n in SALVAGED_COLUMNS if n in values]
    if not names:
        return
    assignments = ", ".join(f"{n} = ?" for n in names)
    c.execute(f"UPDATE tickers SET {assignments} WHERE ticker = ?", [values[n] for n in names] + [ticker])


def delete_ticker(c: sqlite3.Connection, ticker: str) -> int:
    """Inside a write: every trace of the ticker (rows, packed closes, metadata, live facts)."""
    removed = c.execute("DELETE FROM prices WHERE ticker = ?", (ticker,)).rowcount
    for table in ("close_series", "tickers", "live_facts"):
        c.execute(f"DELETE FROM {table} WHERE ticker = ?", (ticker,))
    return removed
