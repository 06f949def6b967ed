"""The SQLite store: WAL, schema version, migrations with backup, crash safety, corruption, concurrency."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pandas as pd
import pytest

from rotation_desk.data import schema as schema_module
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import resolve_paths
from rotation_desk.data.store import PriceStore, StoreTooNew


def frame(dates, values):
    return pd.DataFrame({"adj_close": values}, index=pd.DatetimeIndex(pd.to_datetime(dates), name="date"))


def test_seeded_store_is_wal_versioned_and_complete(market):
    conn = market.store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert market.store.schema_version() == schema_module.SCHEMA_VERSION
    metas = market.tickers()
    assert len(metas) == 88 and all(m.last == "2026-08-03" and m.source == "snapshot" for m in metas)
    assert market.store.get_meta("snapshot_as_of") == "2026-08-03"
    assert market.store.integrity_ok()


def test_wide_load_equals_per_ticker_rows(market):
    wide = market.store.read_closes(["SPY", "DFAT"], "2021-06-01", "2021-06-30")
    spy = market.store.read_history("SPY", "2021-06-01", "2021-06-30")["adj_close"]
    pd.testing.assert_series_equal(wide["SPY"].dropna(), spy, check_names=False)
    assert wide["DFAT"].first_valid_index() == pd.Timestamp("2021-06-14")
    assert wide.loc[:"2021-06-11", "DFAT"].isna().all()


def test_upsert_and_replace_keep_packed_series_in_step(market):
    s = market.store
    s.upsert_rows("SPY", frame(["2026-08-04", "2026-08-05"], [756.0, 757.5]), "yahoo")
    assert s.read_closes(["SPY"]).index[-1] == pd.Timestamp("2026-08-05")
    meta = s.ticker_meta("SPY")
    assert meta.last == "2026-08-05" and meta.source == "yahoo" and meta.rows == 8434 + 2
    s.replace_history("ZZZ", frame(["2026-01-02", "2026-01-05"], [10.0, 11.0]), "import:z.csv")
    assert list(s.read_closes(["ZZZ"])["ZZZ"]) == [10.0, 11.0]
    s.replace_history("ZZZ", frame(["2026-02-02"], [12.0]), "import:z.csv")
    assert list(s.read_closes(["ZZZ"])["ZZZ"]) == [12.0] and s.ticker_meta("ZZZ").rows == 1


def test_ticker_list_is_read_again_after_any_write_here_or_elsewhere(market):
    s = market.store
    first = s.tickers()
    assert s.tickers() == first and s.tickers() is not s.tickers()  # a copy each time, of the same rows
    s.replace_history("ZZZ", frame(["2026-01-02"], [10.0]), "import:z.csv")  # a write through this store
    assert "ZZZ" in [m.ticker for m in s.tickers()]
    other = PriceStore(s.path)  # another connection (the command line while the window is open)
    other.remove("ZZZ")
    other.upsert_rows("SPY", frame(["2026-08-04"], [756.0]), "yahoo")
    other.close()
    after = {m.ticker: m for m in s.tickers()}
    assert "ZZZ" not in after and after["SPY"].last == "2026-08-04" and after["SPY"].rows == 8434 + 1
    seen = {}
    thread = threading.Thread(target=lambda: seen.update(names=[m.ticker for m in s.tickers()]))
    thread.start()
    thread.join()
    assert seen["names"] == list(after)  # a worker thread reads through its own connection


def test_record_error_keeps_rows(market):
    s = market.store
    before = s.ticker_meta("VBR")
    s.record_error("VBR", "rate limited by Yahoo")
    after = s.ticker_meta("VBR")
    assert after.rows == before.rows and after.last_error == "rate limited by Yahoo"
    s.upsert_rows("VBR", frame(["2026-08-04"], [1.0]), "yahoo")
    assert s.ticker_meta("VBR").last_error is None


def test_failed_write_rolls_back_whole_ticker(market):
    s = market.store
    bad = frame(["2026-08-04", "2026-08-05"], [1.0, np.nan])  # adj_close NOT NULL fails on row 2
    with pytest.raises(sqlite3.IntegrityError):
        s.upsert_rows("SPY", bad, "yahoo")
    assert s.ticker_meta("SPY").last == "2026-08-03"
    assert s.read_history("SPY", "2026-08-04").empty


def test_corrupt_file_is_moved_aside_and_rebuilt(tmp_path):
    paths = resolve_paths(tmp_path).ensure()
    rng = np.random.default_rng(7)
    paths.database.write_bytes(rng.bytes(64 * 1024))
    market = MarketData(paths, offline=True)
    assert len(market.tickers()) == 88
    aside = list(paths.cache_dir.glob("prices.sqlite3.corrupt-*"))
    assert len(aside) == 1 and aside[0].stat().st_size == 64 * 1024
    assert any("could not be read" in n and aside[0].name in n for n in market.notices)
    market.store.close()


def test_migration_backs_up_before_changing(tmp_path, monkeypatch, market):
    path = market.store.path
    market.store.close()
    now = schema_module.SCHEMA_VERSION  # a next version, whatever the current one is
    monkeypatch.setattr(schema_module, "SCHEMA_VERSION", now + 1)  # the migrations live in data/schema.py
    monkeypatch.setitem(schema_module.MIGRATIONS, now, "ALTER TABLE tickers ADD COLUMN extra TEXT;")
    notices = []
    s = PriceStore(path, notices=notices)
    assert s.schema_version() == now + 1
    cols = [r[1] for r in s.conn.execute("PRAGMA table_info(tickers)")]
    assert "extra" in cols
    backup = path.with_name(path.name + f".bak-v{now}")
    assert backup.exists() and any("backup" in n for n in notices)
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == now
    assert old.execute("SELECT count(*) FROM prices WHERE ticker='SPY'").fetchone()[0] == 8434
    old.close()
    s.close()


def test_newer_schema_is_refused_with_a_message(tmp_path):
    path = tmp_path / "p.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreTooNew, match="newer Rotation Desk"):
        PriceStore(path)


WRITER = textwrap.dedent(
    """
    import sys, pandas as pd
    from rotation_desk.data.store import PriceStore
    store = PriceStore(sys.argv[1])
    prefix, count = sys.argv[2], int(sys.argv[3])
    dates = pd.bdate_range("2000-01-03", periods=2000)
    for i in range(count):
        frame = pd.DataFrame({"adj_close": [float(i + 1)] * len(dates)}, index=dates)
        store.replace_history(f"{prefix}{i}", frame, "test")
        print(i, flush=True)
    """
)


def _writer(path, prefix, count):
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), prefix, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_kill_9_mid_write_keeps_committed_rows(market):
    path = market.store.path
    spy_rows = market.store.ticker_meta("SPY").rows
    market.store.close()
    proc = _writer(path, "K", 10_000)
    committed = []
    for line in proc.stdout:
        committed.append(int(line))
        if len(committed) >= 25:
            break
    time.sleep(0.05)  # let it get into the middle of the next write
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    s = PriceStore(path)
    assert s.integrity_ok()
    for i in committed:
        meta = s.ticker_meta(f"K{i}")
        assert meta is not None and meta.rows == 2000
        assert s.read_closes([f"K{i}"])[f"K{i}"].eq(float(i + 1)).all()
    assert s.ticker_meta("SPY").rows == spy_rows
    # no ticker is half-written: every K-ticker present is whole
    for meta in s.tickers():
        if meta.ticker.startswith("K") and meta.ticker[1:].isdigit():
            assert meta.rows == 2000
    s.close()


def test_two_processes_writing_at_once_do_not_lock(market):
    path = market.store.path
    market.store.close()
    procs = [_writer(path, "A", 40), _writer(path, "B", 40)]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert "locked" not in err
    s = PriceStore(path)
    names = {m.ticker for m in s.tickers()}
    assert {f"A{i}" for i in range(40)} <= names and {f"B{i}" for i in range(40)} <= names
    s.close()
