"""Rebuilding a damaged price database: keep the damaged file, build a new one, re-apply what can be saved.

``rebuild`` builds the new database beside the damaged one
(``prices.sqlite3.rebuild``): schema, the bundled snapshot, then every
salvager in ``SALVAGERS`` reads what it can from the damaged file (opened
read-only) and writes it into the new store. Only then is the damaged file
(with its -wal and -shm) renamed to ``prices.sqlite3.corrupt-<time>`` and the
new one moved into place. A failure while rebuilding (a full disk) leaves the
damaged file where it was and raises EnvironmentProblem; a kill leaves at most
a stale ``.rebuild`` file, which the next rebuild replaces.

A salvager is a function ``(damaged: sqlite3.Connection, store: PriceStore) ->
Salvaged`` that never raises for damage (unreadable rows are "lost"). Tables
added later join by appending their salvager to ``SALVAGERS`` (the DCA
journal's did); the new store already has their tables, since it is built by
the migrations.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from rotation_desk.core.dates import FIRST_DAY, LAST_DAY
from rotation_desk.core.instruments import Instrument
from rotation_desk.data import store_listing as listing_sql
from rotation_desk.data.atomic import _fsync_dir
from rotation_desk.data.store_frames import COLUMNS
from rotation_desk.errors import EnvironmentProblem

log = logging.getLogger(__name__)

MAX_NAMED = 5


@dataclass
class Salvaged:
    kept: list[str] = field(default_factory=list)  # short phrases: "MINE (3 rows, import:mine.csv)"
    lost: list[str] = field(default_factory=list)


def salvage_series(damaged: sqlite3.Connection, store) -> Salvaged:
    """Every imported or refreshed series (source other than the snapshot), checked before it is re-applied:
    the row count and first/last dates must match the ticker's metadata, dates in range and increasing,
    adjusted closes finite and positive (a yield's levels only finite). Rows unreadable but the packed
    closes sound: the adjusted closes alone are kept. Its ticker row's other columns (listing, last refresh,
    last error: ``store_listing.SALVAGED_COLUMNS``) are carried over as they were."""
    out = Salvaged()
    try:
        metas = damaged.execute(
            "SELECT ticker, source, rows, first_date, last_date, fetched_at FROM tickers "
            "WHERE source != 'snapshot' AND rows > 0 ORDER BY ticker"
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        out.lost.append(f"the imported and refreshed series (their list is unreadable: {exc})")
        return out
    series: list[str] = []
    partial: list[str] = []
    for ticker, source, rows, first, last, fetched_at in metas:
        frame = _rows(damaged, ticker, rows, first, last)
        label = ticker
        if frame is None:
            frame = _packed(damaged, ticker, rows, first, last)
            label = f"{ticker} (adjusted closes only)"
        if frame is None:
            out.lost.append(f"{ticker} ({source}, {rows} rows unreadable)")
            continue
        store.replace_history(ticker, frame, source)
        carried = listing_sql.carried_over(damaged, ticker) or {"fetched_at": fetched_at}
        with store._write() as c:  # its listing (schema 2), last refresh and last error, as they were
            listing_sql.restore(c, ticker, carried)
        (partial if label != ticker else series).append(label)
    if series or partial:
        names = series + partial
        shown = ", ".join(names[:MAX_NAMED]) + (f" and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else "")
        out.kept.append(f"{len(names)} imported or refreshed series ({shown})")
    results = salvage_refresh_results(damaged, store)
    out.kept += results.kept
    return out


def _rows(damaged: sqlite3.Connection, ticker: str, rows: int, first: str, last: str) -> pd.DataFrame | None:
    try:
        got = damaged.execute(
            "SELECT date, " + ", ".join(COLUMNS) + " FROM prices WHERE ticker = ? ORDER BY date", (ticker,)
        ).fetchall()
    except sqlite3.DatabaseError:
        return None
    if len(got) != rows or not got or got[0][0] != first or got[-1][0] != last:
        return None
    frame = pd.DataFrame(got, columns=("date",) + COLUMNS)
    try:
        index = pd.DatetimeIndex(pd.to_datetime(frame.pop("date"), format="%Y-%m-%d"), name="date")
        frame = frame.astype("float64")
    except (ValueError, TypeError):
        return None
    frame.index = index
    return frame if _sound(index, frame["adj_close"].to_numpy(), _is_rate(ticker)) else None


def _packed(damaged: sqlite3.Connection, ticker: str, rows: int, first: str, last: str) -> pd.DataFrame | None:
    try:
        got = damaged.execute("SELECT days, closes FROM close_series WHERE ticker = ?", (ticker,)).fetchone()
    except sqlite3.DatabaseError:
        return None
    if got is None or len(got[0]) != 4 * rows or len(got[1]) != 8 * rows:
        return None
    days = np.frombuffer(got[0], dtype="int32").astype("int64").astype("datetime64[D]")
    index = pd.DatetimeIndex(days.astype("datetime64[ns]"), name="date")
    if not len(index) or index[0].strftime("%Y-%m-%d") != first or index[-1].strftime("%Y-%m-%d") != last:
        return None
    closes = np.frombuffer(got[1], dtype="float64").copy()
    return pd.DataFrame({"adj_close": closes}, index=index) if _sound(index, closes, _is_rate(ticker)) else None


def _is_rate(ticker: str) -> bool:
    return Instrument(ticker).is_rate


def _sound(index: pd.DatetimeIndex, closes: np.ndarray, rate: bool = False) -> bool:
    """Dates in range, increasing, unique; values finite and (prices, not yields) positive."""
    lo, hi = pd.Timestamp(FIRST_DAY), pd.Timestamp(LAST_DAY)
    return bool(
        len(index)
        and index.is_monotonic_increasing
        and index.is_unique
        and index[0] >= lo
        and index[-1] <= hi
        and np.isfinite(closes).all()
        and (rate or (closes > 0).all())
    )


def salvage_refresh_results(damaged: sqlite3.Connection, store) -> Salvaged:
    """The last refresh result and error of the snapshot's tickers (their rows come from the snapshot);
    part of ``salvage_series``."""
    out = Salvaged()
    try:
        names = [
            r[0]
            for r in damaged.execute(
                "SELECT ticker FROM tickers WHERE source = 'snapshot' AND "
                "(last_error IS NOT NULL OR refresh_status IS NOT NULL)"
            ).fetchall()
        ]
    except sqlite3.DatabaseError:
        return out  # a schema-1 file has no refresh results; an unreadable list: the next refresh makes new ones
    kept = 0
    for ticker in names:
        carried = listing_sql.carried_over(damaged, ticker)
        if carried and store.has(ticker):
            with store._write() as c:
                listing_sql.restore(c, ticker, carried)
            kept += 1
    if kept:
        out.kept.append(f"the last refresh results of {kept} snapshot ticker{'s' if kept != 1 else ''}")
    return out


def salvage_live_facts(damaged: sqlite3.Connection, store) -> Salvaged:
    """Fund facts fetched from Yahoo, with their original dates."""
    out = Salvaged()
    try:
        rows = damaged.execute("SELECT ticker, name, expense_ratio, fetched_at FROM live_facts").fetchall()
    except sqlite3.DatabaseError:
        out.lost.append("the fund facts fetched from Yahoo (unreadable; the next refresh fetches them again)")
        return out
    for ticker, name, ratio, fetched_at in rows:
        if isinstance(ticker, str) and isinstance(fetched_at, str):
            store.save_live_facts(ticker, name, ratio, fetched_at=fetched_at)
    if rows:
        out.kept.append(f"{len(rows)} fund fact{'s' if len(rows) != 1 else ''} fetched from Yahoo")
    return out


def salvage_journal(damaged: sqlite3.Connection, store) -> Salvaged:
    """The DCA journal (user data): every row that reads back sound, under its own number. Rows the damaged
    file cannot give (unreadable pages, damaged values) come from the journal's copy when it has them
    (``journal.Journal.backup_rows``); the rest are named as lost."""
    from rotation_desk.data.journal import Journal
    from rotation_desk.data.journal_rows import SELECT, row_from_stored

    out = Salvaged()
    journal = Journal(store, store.journal_backup)
    rows, unreadable = [], None
    try:
        rows = [row_from_stored(r) for r in damaged.execute(SELECT + " ORDER BY j.id").fetchall()]
    except sqlite3.DatabaseError as exc:
        if "no such table" in str(exc):
            return out  # a database from before the journal
        unreadable = str(exc)
    sound = {r.id: r for r in rows if r.buy is not None}
    bad = [r for r in rows if r.buy is None]
    from_copy = []
    if unreadable or bad:
        from_copy = [r for r in journal.backup_rows() if r.id not in sound]
    restored = list(sound.values()) + from_copy
    if restored:
        journal.restore(restored)
        plans = len({r.plan for r in restored})
        copy = f", {len(from_copy)} of them from its copy {store.journal_backup.name}" if from_copy else ""
        out.kept.append(
            f"the DCA journal ({len(restored)} buy{'s' if len(restored) != 1 else ''} in {plans} "
            f"plan{'s' if plans != 1 else ''}{copy})"
        )
    recovered = {r.id for r in from_copy}
    lost = [r for r in bad if r.id not in recovered]
    if lost:
        named = ", ".join(f"row {r.id} ({r.problem})" for r in lost[:MAX_NAMED])
        more = f" and {len(lost) - MAX_NAMED} more" if len(lost) > MAX_NAMED else ""
        out.lost.append(f"{len(lost)} damaged journal row{'s' if len(lost) != 1 else ''}: {named}{more}")
    if unreadable and not from_copy:
        out.lost.append(f"the journal rows that could not be read ({unreadable}; no copy of the journal to restore)")
    return out


def journal_from_copy(store) -> Salvaged:
    """A damaged file that cannot be opened at all: the DCA journal comes back from its copy, if any."""
    from rotation_desk.data.journal import Journal

    out = Salvaged()
    journal = Journal(store, store.journal_backup)
    rows = journal.backup_rows()
    if rows:
        journal.restore(rows)
        out.kept.append(f"the DCA journal ({len(rows)} buys, from its copy {store.journal_backup.name})")
    return out


Salvager = Callable[[sqlite3.Connection, object], Salvaged]
SALVAGERS: list[Salvager] = [salvage_series, salvage_live_facts, salvage_journal]


def rebuild(path: Path, reason: str, seed, journal_backup: Path | None = None) -> str:
    """Replace the damaged database at ``path``; return the one-line notice (what was kept and lost).
    ``journal_backup``: the DCA journal's copy, for the rows the damaged file cannot give."""
    from rotation_desk.data.store import PriceStore

    work = path.with_name(path.name + ".rebuild")
    _remove(work)
    kept: list[str] = []
    lost: list[str] = []
    try:
        new = PriceStore(work, seed=seed, check=False)
        new.journal_backup = journal_backup
        damaged = _open_damaged(path)
        try:
            if damaged is None:
                lost.append("everything it held")
                kept += journal_from_copy(new).kept
            for salvager in SALVAGERS if damaged is not None else ():
                result = salvager(damaged, new)
                kept += result.kept
                lost += result.lost
        finally:
            if damaged is not None:
                damaged.close()
        new.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        new.close()
        aside = _move_aside(path)
        os.replace(work, path)
        _remove_extras(work)
        _fsync_dir(path.parent)
    except EnvironmentProblem as exc:
        _remove(work)
        raise EnvironmentProblem(
            f"the price database {path} is damaged ({reason}) and could not be rebuilt: {exc}"
        ) from None
    except OSError as exc:
        _remove(work)
        raise EnvironmentProblem(
            f"the price database {path} is damaged ({reason}) and could not be rebuilt: {exc.strerror or exc}"
        ) from None
    kept_text = "; kept: " + ", ".join(kept) if kept else "; nothing but the snapshot was in it"
    lost_text = "; lost: " + ", ".join(lost) if lost else ("; nothing was lost" if kept else "")
    return (
        f"The price database {path} could not be read ({reason}); it was moved to {aside.name} "
        f"and a new one was built {'from the bundled snapshot' if seed else '(empty)'}{kept_text}{lost_text}."
    )


def _open_damaged(path: Path) -> sqlite3.Connection | None:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.DatabaseError as exc:
        log.warning("the damaged database cannot be opened at all: %s", exc)
        return None


def _move_aside(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    path.replace(aside)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            extra.replace(aside.with_name(aside.name + suffix))
    return aside


def _remove_extras(path: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink()


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
    _remove_extras(path)
