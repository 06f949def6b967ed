"""Store health (issue 12): the open-time check, damage found at any time, rebuild and salvage.

8 KB of garbage in the middle of the database went unnoticed before: reads
succeeded and an import wrote into the damaged file. Now the damage is found
when the store opens (or by the first read that meets it), the damaged file is
kept aside byte for byte, a new database is built from the snapshot, and the
imported series and fetched fund facts that can still be read are re-applied.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fault_helpers import files_digest, read_only

from rotation_desk.cli.main import main
from rotation_desk.data import store_health
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import resolve_paths
from rotation_desk.data.recovery import SALVAGERS
from rotation_desk.data.snapshot import seed_store
from rotation_desk.data.store import PriceStore

MINE = "date,adj_close\n2024-01-02,10.5\n2024-01-03,10.75\n2024-01-04,0.0000001\n"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def garbage_in_the_middle(db: Path, size: int = 8192, seed: int = 7) -> bytes:
    data = bytearray(db.read_bytes())
    middle = len(data) // 2
    data[middle : middle + size] = np.random.default_rng(seed).bytes(size)
    db.write_bytes(bytes(data))
    return bytes(data)


@pytest.fixture
def with_imports(data_dir, tmp_path, capsys) -> Path:
    """A seeded store plus one imported ticker and one fetched fund fact, cleanly closed."""
    src = tmp_path / "mine.csv"
    src.write_text(MINE)
    code, _, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "import", src, "--ticker", "MINE")
    assert code == 0, err
    s = PriceStore(data_dir / "cache" / "prices.sqlite3")
    s.save_live_facts("VBR", "Vanguard Small-Cap Value ETF", 0.07, fetched_at="2026-08-01T12:00:00+00:00")
    s.close()
    return data_dir


def test_garbage_in_the_middle_is_found_on_open_and_the_imports_are_kept(with_imports, tmp_path, capsys):
    data_dir = with_imports
    db = data_dir / "cache" / "prices.sqlite3"
    damaged = garbage_in_the_middle(db)
    other = tmp_path / "other.csv"
    other.write_text("date,adj_close\n2025-01-02,5\n")
    code, out, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "import", other, "--ticker", "OTHER")
    assert code == 0 and "imported 1 rows of OTHER" in out
    [notice] = err.splitlines()
    assert "could not be read" in notice and "built from the bundled snapshot" in notice
    assert "kept: 1 imported or refreshed series (MINE), 1 fund fact fetched from Yahoo; nothing was lost" in notice
    [aside] = db.parent.glob("prices.sqlite3.corrupt-*[0-9]")
    assert aside.name in notice and aside.read_bytes() == damaged  # kept as it was found
    s = PriceStore(db)
    assert s.integrity_ok()
    assert s.read_closes(["MINE"])["MINE"].tolist() == [10.5, 10.75, 1e-7]
    assert s.ticker_meta("MINE").source == "import:mine.csv" and s.ticker_meta("OTHER").rows == 1
    assert s.live_facts()["VBR"] == ("Vanguard Small-Cap Value ETF", 0.07, "2026-08-01T12:00:00+00:00")
    assert len([m for m in s.tickers() if m.source == "snapshot"]) == 88
    s.close()
    # a full export, which failed with "database disk image is malformed" before, now works
    everything = tmp_path / "all.csv"
    listed = json.loads(run(capsys, "--offline", "--data-dir", data_dir, "data", "list", "--format", "json")[1])
    names = [m["ticker"] for m in listed]
    code, out, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "export", *names, "--out", everything)
    assert code == 0, err
    total = sum(m["rows"] for m in listed)
    assert len(names) == 90 and f"wrote {total} rows" in out
    assert everything.read_text().count("\n") == total + 1


def test_damage_met_by_a_later_read_rebuilds_and_answers(with_imports, capsys):
    """The check may be skipped (an unchanged file); damage that a read meets is handled the same way."""
    db = with_imports / "cache" / "prices.sqlite3"
    store = PriceStore(db, seed=seed_store, check=False)
    data = bytearray(db.read_bytes())
    data[8192:] = np.random.default_rng(3).bytes(len(data) - 8192)  # everything past the schema pages
    db.write_bytes(bytes(data))
    closes = store.read_closes(["SPY", "VBR"])  # meets the damage, rebuilds, reads again
    assert closes["SPY"].dropna().size == 8434 and closes.index[-1] == pd.Timestamp("2026-08-03")
    [notice] = store.notices
    assert "could not be read" in notice and "lost:" in notice
    assert list(db.parent.glob("prices.sqlite3.corrupt-*"))
    assert store.integrity_ok()
    store.close()


def damage_past_the_schema(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[8192:] = np.random.default_rng(3).bytes(len(data) - 8192)
    db.write_bytes(bytes(data))


def test_a_thread_that_connects_while_a_rebuild_runs_waits_and_reads_the_new_file(with_imports, monkeypatch):
    """Before the fix, a connection opened mid-rebuild stayed on the damaged file once it was moved aside."""
    from rotation_desk.data import recovery

    db = with_imports / "cache" / "prices.sqlite3"
    store = PriceStore(db, seed=seed_store, check=False)
    damage_past_the_schema(db)
    real_rebuild = recovery.rebuild
    pool = ThreadPoolExecutor(1)
    reader = {}

    def rebuild(path, reason, seed, *journal):
        # Another thread asks for prices now, with no connection yet: it must wait for the new file.
        reader["future"] = pool.submit(lambda: (store.read_closes(["SPY"]), store.integrity_ok()))
        reader["waited"] = not wait([reader["future"]], timeout=0.5).done
        return real_rebuild(path, reason, seed, *journal)

    monkeypatch.setattr(recovery, "rebuild", rebuild)
    assert store.read_closes(["VBR"])["VBR"].dropna().size > 0  # meets the damage, rebuilds
    closes, sound = reader["future"].result(60)
    pool.shutdown()
    assert reader["waited"] and sound and closes["SPY"].dropna().size == 8434
    assert store.rebuilds == 1 and len(list(db.parent.glob("prices.sqlite3.corrupt-*[0-9]"))) == 1
    store.close()


def test_a_write_from_a_thread_connected_before_a_rebuild_lands_in_the_new_file(with_imports, monkeypatch):
    """A thread that connected to the damaged file and writes while another rebuilds it waits for the
    rebuild and writes into the new file (before, its rows went into the file moved aside: lost)."""
    from rotation_desk.data import recovery

    db = with_imports / "cache" / "prices.sqlite3"
    store = PriceStore(db, seed=seed_store, check=False)
    pool = ThreadPoolExecutor(1)
    assert pool.submit(lambda: store.conn.execute("PRAGMA user_version").fetchone()).result(30)  # connected
    real_rebuild = recovery.rebuild
    writer = {}

    def rebuild(path, reason, seed, *journal):
        writer["future"] = pool.submit(store.save_live_facts, "VBR", "Vanguard Small-Cap Value ETF", 0.07)
        writer["waited"] = not wait([writer["future"]], timeout=0.5).done
        return real_rebuild(path, reason, seed, *journal)

    monkeypatch.setattr(recovery, "rebuild", rebuild)
    # damage found by a check whose pages the write does not touch: the old file still takes the write
    store.recover("planted damage")
    writer["future"].result(60)
    pool.shutdown()
    assert writer["waited"] and store.rebuilds == 1
    store.close()
    fresh = sqlite3.connect(db)
    row = fresh.execute("SELECT name, expense_ratio FROM live_facts WHERE ticker = 'VBR'").fetchone()
    fresh.close()
    assert row == ("Vanguard Small-Cap Value ETF", 0.07)


def test_two_threads_that_meet_the_damage_rebuild_it_once(with_imports):
    db = with_imports / "cache" / "prices.sqlite3"
    store = PriceStore(db, seed=seed_store, check=False)
    damage_past_the_schema(db)
    start = threading.Barrier(2)

    def read():
        assert store.conn.execute("PRAGMA user_version").fetchone()  # each thread on the damaged file
        start.wait()
        return store.read_closes(["SPY", "VBR"])["SPY"].dropna().size

    with ThreadPoolExecutor(2) as pool:
        answers = [f.result(120) for f in [pool.submit(read) for _ in range(2)]]
    assert answers == [8434, 8434]
    assert store.rebuilds == 1 and len(store.notices) == 1
    assert len(list(db.parent.glob("prices.sqlite3.corrupt-*[0-9]"))) == 1
    store.recover("met before the rebuild", seen=0)  # a late report of the same damage: nothing more
    assert store.rebuilds == 1 and store.integrity_ok()
    store.close()


def test_damaged_and_read_only_is_exit_4_and_nothing_is_moved(with_imports, capsys):
    db = with_imports / "cache" / "prices.sqlite3"
    garbage_in_the_middle(db)
    before = files_digest(db.parent)
    with read_only(with_imports):
        code, out, err = run(capsys, "--offline", "--data-dir", with_imports, "data", "list")
    assert code == 4 and out == "" and err.count("\n") == 1
    assert "is damaged" in err and "cannot be rebuilt" in err and "read-only" in err
    assert files_digest(db.parent) == before


def test_a_rebuild_that_runs_out_of_room_keeps_the_damaged_file_in_place(with_imports, capsys, monkeypatch):
    db = with_imports / "cache" / "prices.sqlite3"
    damaged = garbage_in_the_middle(db)
    connect = PriceStore._connect

    def small_disk(self):  # the new database may not grow past 50 pages: SQLITE_FULL, as on ENOSPC
        conn = connect(self)
        if self.path.name.endswith(".rebuild"):
            conn.execute("PRAGMA max_page_count = 50")
        return conn

    monkeypatch.setattr(PriceStore, "_connect", small_disk)
    code, _, err = run(capsys, "--offline", "--data-dir", with_imports, "data", "list")
    assert code == 4 and err.count("\n") == 1
    assert "is damaged" in err and "could not be rebuilt" in err and "is full" in err
    assert db.read_bytes() == damaged
    assert sorted(p.name for p in db.parent.iterdir() if "rebuild" in p.name or "corrupt" in p.name) == []


def test_random_bytes_and_a_truncated_file_are_rebuilt(data_dir, capsys):
    db = data_dir / "cache" / "prices.sqlite3"
    db.write_bytes(db.read_bytes()[: 3 * 4096])
    (db.parent / "prices.sqlite3.verified").unlink(missing_ok=True)
    code, out, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "list", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 88 and "could not be read" in err


def test_open_checks_a_changed_file_and_skips_an_unchanged_one(market, monkeypatch):
    path = market.store.path
    calls = []
    real = store_health.quick_check

    def counting(conn):
        calls.append(1)
        return real(conn)

    monkeypatch.setattr(store_health, "quick_check", counting)
    market.store.check_health(force=True)  # a clean check: its stamp is kept beside the file
    market.store.close()
    assert len(calls) == 1
    PriceStore(path).close()
    assert len(calls) == 1  # unchanged since the clean check: skipped
    s = PriceStore(path)
    s.replace_history("NEW", pd.DataFrame({"adj_close": [1.0]}, index=pd.to_datetime(["2024-01-02"])), "test")
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    PriceStore(path).close()
    assert len(calls) == 2  # the file changed: checked again


def test_quick_check_finds_8kb_of_garbage_wherever_it_lands(seeded_template, tmp_path):
    """30 places across the seeded file; every one is found by the open-time check."""
    db = tmp_path / "p.sqlite3"
    original = (seeded_template / "cache" / "prices.sqlite3").read_bytes()
    rng = np.random.default_rng(2026)
    for offset in rng.integers(4096, len(original) - 8192, size=30):
        data = bytearray(original)
        data[offset : offset + 8192] = rng.bytes(8192)
        db.write_bytes(bytes(data))
        conn = sqlite3.connect(db)
        try:
            assert store_health.quick_check(conn) is not None, offset
        finally:
            conn.close()


def test_sqlite_errors_are_sorted_by_what_they_mean():
    kinds = {}
    for text in ("database disk image is malformed", "file is not a database", "database or disk is full",
                 "attempt to write a readonly database", "unable to open database file", "disk I/O error",
                 "database is locked"):  # fmt: skip
        kinds[text] = store_health.kind_of(sqlite3.OperationalError(text))
    assert list(kinds.values()) == ["corrupt", "corrupt", "full", "readonly", "cantopen", "ioerr", "busy"]


def test_salvagers_are_a_list_a_new_table_can_join():
    assert [f.__name__ for f in SALVAGERS] == ["salvage_series", "salvage_live_facts", "salvage_journal"]


def test_market_can_defer_the_check_to_a_worker(data_dir):
    paths = resolve_paths(data_dir)
    db = paths.database
    garbage_in_the_middle(db)
    market = MarketData(paths, offline=True, check=False)  # the GUI thread opens without the check
    assert market.notices == []
    assert market.store.check_health() is False  # a worker runs it: damage found, store rebuilt
    assert len(market.notices) == 1 and len(market.tickers()) == 88
    assert hashlib.sha256(db.read_bytes()).digest() != b""
    market.store.close()


def test_no_date_outside_the_supported_range_enters_the_store(market):
    """Whatever the source (an import, Yahoo, a seed), rows pass the same gate."""
    bad = pd.DataFrame({"adj_close": [1.0, 2.0]}, index=pd.to_datetime(["2026-01-02", "2200-01-02"]))
    with pytest.raises(ValueError, match="between 1900-01-01 and 2100-12-31"):
        market.store.replace_history("SPY", bad, "yahoo")
    assert market.store.ticker_meta("SPY").rows == 8434
    assert market.store.read_closes(["SPY"]).index.max() == pd.Timestamp("2026-08-03")
