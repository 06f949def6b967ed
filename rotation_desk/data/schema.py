"""The price database's schema and its migrations.

The version lives in ``PRAGMA user_version``. Each migration moves the schema
one step; ``store.PriceStore`` backs the file up before it runs any of them.
"""

from __future__ import annotations

SCHEMA_VERSION = 1

# MIGRATIONS[n] takes a database at version n to version n + 1.
MIGRATIONS: dict[int, str] = {
    0: """
    CREATE TABLE prices (
        ticker    TEXT NOT NULL,
        date      TEXT NOT NULL,          -- YYYY-MM-DD, the session date
        adj_close REAL NOT NULL,
        open      REAL,
        high      REAL,
        low       REAL,
        close     REAL,
        volume    REAL,
        dividend  REAL,
        split     REAL,
        PRIMARY KEY (ticker, date)
    ) WITHOUT ROWID;

    CREATE TABLE tickers (
        ticker     TEXT PRIMARY KEY,
        source     TEXT NOT NULL,         -- snapshot | yahoo | import:<file name>
        first_date TEXT,
        last_date  TEXT,
        rows       INTEGER NOT NULL DEFAULT 0,
        fetched_at TEXT,                  -- UTC ISO time of the last successful write
        last_error TEXT,
        error_at   TEXT
    );

    -- The adjusted closes of each ticker packed as two arrays (int32 days since
    -- 1970-01-01, float64 closes), rewritten in the same transaction as its
    -- rows: loading every ticker's history is one query over 88 rows.
    CREATE TABLE close_series (
        ticker TEXT PRIMARY KEY,
        days   BLOB NOT NULL,
        closes BLOB NOT NULL
    );

    -- Fund facts fetched from Yahoo; the bundled table is read from resources.
    CREATE TABLE live_facts (
        ticker        TEXT PRIMARY KEY,
        name          TEXT,
        expense_ratio REAL,               -- percent, as in the bundled table
        fetched_at    TEXT NOT NULL
    );

    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT
    );
    """,
}
