"""The price database's schema and its migrations.

The version lives in ``PRAGMA user_version``. Each migration moves the schema
one step; ``store.PriceStore`` backs the file up before it runs any of them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from rotation_desk.data.store_frames import split_sql
from rotation_desk.data.store_health import Transaction
from rotation_desk.errors import DataUnavailable, EnvironmentProblem

SCHEMA_VERSION = 3

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
    # Schema 2 (issue 14): what each ticker is, as Yahoo's chart meta says, and the last refresh's result.
    # The snapshot's 88 funds are US-listed ETFs priced in dollars; other rows learn theirs at their next refresh.
    1: """
    ALTER TABLE tickers ADD COLUMN instrument_type TEXT;  -- meta.instrumentType: ETF, INDEX, CURRENCY, ...
    ALTER TABLE tickers ADD COLUMN currency TEXT;         -- meta.currency as sent (GBp: pence)
    ALTER TABLE tickers ADD COLUMN exchange TEXT;         -- meta.exchangeName
    ALTER TABLE tickers ADD COLUMN timezone TEXT;         -- meta.exchangeTimezoneName
    ALTER TABLE tickers ADD COLUMN refreshed_at TEXT;     -- UTC ISO time the last refresh of it ended
    ALTER TABLE tickers ADD COLUMN refresh_status TEXT;   -- ok | no_data | error
    ALTER TABLE tickers ADD COLUMN refresh_message TEXT;  -- the refresh's one line for it
    UPDATE tickers SET instrument_type = 'ETF', currency = 'USD', timezone = 'America/New_York'
        WHERE source = 'snapshot';
    """,
    # Schema 3 (issue 15): the DCA journal, the buys a person really made, per plan (by its name). User data,
    # unlike prices: a rebuild salvages it (``recovery.salvage_journal``). Written idempotently (IF NOT EXISTS),
    # so this step composes with the other migrations in either order.
    2: """
    CREATE TABLE IF NOT EXISTS journal_plans (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE         -- the plan file's name field; a rename updates only this row
    );

    CREATE TABLE IF NOT EXISTS journal (
        id       INTEGER PRIMARY KEY,     -- what the user names: rotation-desk journal remove ID
        plan_id  INTEGER NOT NULL REFERENCES journal_plans(id),
        date     TEXT NOT NULL,           -- YYYY-MM-DD, the trade date
        ticker   TEXT NOT NULL,
        shares   REAL NOT NULL,
        price    REAL NOT NULL,           -- per share, in the ticker's currency
        fee      REAL NOT NULL DEFAULT 0,
        note     TEXT NOT NULL DEFAULT '',
        source   TEXT NOT NULL,           -- manual | schedule | import:<file name>
        added_at TEXT NOT NULL            -- UTC ISO time it was recorded
    );

    CREATE INDEX IF NOT EXISTS journal_by_plan ON journal(plan_id, date);
    """,
}


class StoreTooNew(DataUnavailable):
    """The database was written by a newer version of the app."""


def migrate(conn: sqlite3.Connection, path: Path, read_only: str | None, notices: list[str]) -> None:
    """Bring the database to ``SCHEMA_VERSION``: a file at an older version is first backed up beside
    itself (``prices.sqlite3.bak-v<version>``); each step is one transaction."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StoreTooNew(
            f"{path} was written by a newer Rotation Desk (schema {version}); "
            f"this version understands schema {SCHEMA_VERSION}."
        )
    if version == SCHEMA_VERSION:
        return
    if read_only:
        what = "created" if version == 0 else f"upgraded from schema {version}"
        raise EnvironmentProblem(f"the price database {path} must be {what}, but {read_only}")
    if version > 0:
        backup = path.with_name(f"{path.name}.bak-v{version}")
        dest = sqlite3.connect(backup)
        with dest:
            conn.backup(dest)
        dest.close()
        notices.append(f"Database upgraded from schema {version}; backup at {backup.name}.")
    while version < SCHEMA_VERSION:
        with Transaction(conn) as c:
            for statement in split_sql(MIGRATIONS[version]):
                c.execute(statement)
            c.execute(f"PRAGMA user_version = {version + 1}")
        version += 1
