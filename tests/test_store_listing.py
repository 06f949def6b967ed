"""Issue 14, the store: schema 2 (listing and last refresh per ticker), migrated from a real schema-1 file
with its backup, and carried over by a rebuild after damage."""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
from test_store_health import garbage_in_the_middle

from rotation_desk.data.schema import MIGRATIONS, SCHEMA_VERSION
from rotation_desk.data.snapshot import seed_store
from rotation_desk.data.store import Listing, PriceStore
from rotation_desk.data.store_frames import split_sql

V1_TICKER_COLUMNS = "ticker, source, first_date, last_date, rows, fetched_at, last_error, error_at"


def make_v1(seeded: str, path) -> None:
    """A database exactly as the previous release wrote it (schema 1), holding the seeded rows and one import."""
    conn = sqlite3.connect(path)
    for statement in split_sql(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("ATTACH DATABASE ? AS old", (seeded,))
    conn.execute(f"INSERT INTO tickers({V1_TICKER_COLUMNS}) SELECT {V1_TICKER_COLUMNS} FROM old.tickers")
    for table in ("prices", "close_series", "meta"):
        conn.execute(f"INSERT INTO {table} SELECT * FROM old.{table}")
    conn.execute(
        "INSERT INTO tickers(ticker, source, first_date, last_date, rows) "
        "VALUES ('MINE', 'import:mine.csv', '2024-01-02', '2024-01-02', 1)"
    )
    conn.execute("INSERT INTO prices(ticker, date, adj_close) VALUES ('MINE', '2024-01-02', 10.5)")
    conn.commit()
    conn.execute("DETACH DATABASE old")
    conn.close()


def test_a_schema_1_database_is_backed_up_and_migrated(seeded_template, tmp_path):
    db = tmp_path / "prices.sqlite3"
    make_v1(str(seeded_template / "cache" / "prices.sqlite3"), db)
    notices: list[str] = []
    s = PriceStore(db, notices=notices)
    assert s.schema_version() == SCHEMA_VERSION == 3
    assert notices == ["Database upgraded from schema 1; backup at prices.sqlite3.bak-v1."]
    backup = sqlite3.connect(db.with_name("prices.sqlite3.bak-v1"))
    assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
    assert backup.execute("SELECT count(*) FROM tickers").fetchone()[0] == 89
    backup.close()
    spy, mine = s.ticker_meta("SPY"), s.ticker_meta("MINE")
    assert (spy.instrument_type, spy.currency, spy.timezone, spy.rows) == ("ETF", "USD", "America/New_York", 8434)
    assert (mine.instrument_type, mine.currency) == (None, None)  # learnt at its next refresh
    assert mine.instrument.currency_code == "USD" and mine.instrument.currency_assumed  # a US symbol: dollars
    s.close()


def test_a_rebuild_keeps_listings_and_refresh_results(data_dir):
    db = data_dir / "cache" / "prices.sqlite3"
    s = PriceStore(db)
    days = pd.bdate_range("2025-01-02", periods=30)
    s.replace_history("VWRL.L", pd.DataFrame({"adj_close": np.linspace(100.0, 110.0, 30)}, index=days), "yahoo")
    s.set_listing("VWRL.L", Listing("ETF", "GBp", "LSE", "Europe/London"))
    s.record_refresh("VWRL.L", "ok", "full history fetched (30 rows)")
    s.record_refresh("SPY", "error", "rate limited by Yahoo (HTTP 429) (cached prices kept)")
    s.record_error("SPY", "rate limited by Yahoo (HTTP 429)")
    before_vwrl, before_spy = s.ticker_meta("VWRL.L"), s.ticker_meta("SPY")
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    garbage_in_the_middle(db)
    notices: list[str] = []
    s = PriceStore(db, seed=seed_store, notices=notices)
    assert len(notices) == 1 and "kept: 1 imported or refreshed series (VWRL.L)" in notices[0]
    assert "the last refresh results of 1 snapshot ticker" in notices[0]
    assert s.ticker_meta("VWRL.L") == before_vwrl
    after = s.ticker_meta("SPY")
    assert (after.refresh_status, after.refresh_message, after.last_error, after.error_at) == (
        before_spy.refresh_status,
        before_spy.refresh_message,
        before_spy.last_error,
        before_spy.error_at,
    )
    s.close()
