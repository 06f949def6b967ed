"""kill -9 in the middle of each kind of write (issue 12): an import, an export, a refresh.

Each run is the real command in its own process, killed while it writes (the
kill waits for the write to start: the WAL growing, the export's temporary file
appearing, the refresh's first tickers done). Afterwards the store opens
without any repair, passes SQLite's integrity check, and holds every ticker
either as it was or as the new version, never half of one; an export is either
the old file or the whole new one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from rotation_desk.data.store import PriceStore

TESTS = Path(__file__).resolve().parent
DELAYS = (0.0, 0.01, 0.03, 0.08, 0.2)  # seconds after the write started


def _start(*args: str, cwd: Path | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd)


def _kill_when(proc: subprocess.Popen, started, delay: float, timeout: float = 120) -> bool:
    """SIGKILL ``proc`` ``delay`` s after ``started()`` turns true; False if it finished first."""
    deadline = time.monotonic() + timeout
    while not started():
        if proc.poll() is not None:
            return False
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("the write never started")
        time.sleep(0.002)
    time.sleep(delay)
    if proc.poll() is not None:
        return False
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return True


def _assert_store_whole(db: Path) -> PriceStore:
    """Opens with no repair, passes integrity_check, every ticker's packed closes match its rows."""
    store = PriceStore(db)
    assert store.notices == [], store.notices
    assert store.integrity_ok()
    for meta in store.tickers():
        count = store.conn.execute("SELECT count(*) FROM prices WHERE ticker = ?", (meta.ticker,)).fetchone()[0]
        packed = store.read_closes([meta.ticker])[meta.ticker].dropna()
        assert count == meta.rows == len(packed), meta
    return store


def test_kill_9_during_an_import_leaves_the_old_or_the_new_series(data_dir, tmp_path):
    db = data_dir / "cache" / "prices.sqlite3"
    wal = db.with_name(db.name + "-wal")
    src = tmp_path / "spy-long.csv"
    start = date(1920, 1, 1)
    src.write_text("date,adj_close\n" + "".join(f"{start + timedelta(days=i)},{1 + i / 1000}\n" for i in range(60_000)))
    outcomes = []
    for delay in DELAYS:
        proc = _start("-m", "rotation_desk", "--offline", "--data-dir", str(data_dir), "data", "import", str(src),
                      "--ticker", "SPY")  # fmt: skip
        killed = _kill_when(proc, lambda: wal.exists() and wal.stat().st_size > 0, delay)
        store = _assert_store_whole(db)
        meta = store.ticker_meta("SPY")
        assert (meta.rows, meta.source) in ((8434, "snapshot"), (60_000, "import:spy-long.csv")), meta
        assert len(store.tickers()) == 88
        outcomes.append((killed, meta.rows))
        store.close()
    assert any(killed for killed, _ in outcomes), outcomes


def test_kill_9_during_an_export_leaves_the_old_file_or_the_whole_new_one(data_dir, tmp_path):
    out = tmp_path / "exports" / "all.csv"
    out.parent.mkdir()
    metas = PriceStore(data_dir / "cache" / "prices.sqlite3").tickers()
    names = [m.ticker for m in metas]
    args = ["-m", "rotation_desk", "--offline", "--data-dir", str(data_dir), "data", "export", *names, "--out"]
    reference = tmp_path / "reference.csv"
    done = subprocess.run([sys.executable, *args, str(reference)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    whole = reference.read_bytes()
    assert whole.count(b"\n") == 1 + sum(m.rows for m in metas) and whole.endswith(b"\n")
    kills = 0
    for i, delay in enumerate(DELAYS):
        old = b"date,ticker,adj_close\nthe previous export\n"
        if i % 2:
            out.write_bytes(old)
        elif out.exists():
            out.unlink()
        proc = _start(*args, str(out))
        kills += _kill_when(proc, lambda: any(out.parent.glob(".all.csv.tmp-*")), delay)
        if out.exists():
            assert out.read_bytes() in (whole, old if i % 2 else whole)
        for tmp in out.parent.glob(
            ".all.csv.tmp-*"
        ):  # a kill may leave its hidden temporary, never all.csv half-written
            tmp.unlink()
    assert kills >= 1


def test_kill_9_during_export_chart_never_leaves_a_half_written_image(data_dir, tmp_path):
    out = tmp_path / "charts" / "c.png"
    out.parent.mkdir()
    args = ["-m", "rotation_desk", "--offline", "--data-dir", str(data_dir), "export-chart", "compare"]
    env_args = [*args, "--width", "600", "--height", "400", "--out", str(out)]
    for delay in (0.0, 0.2, 0.6):
        out.write_bytes(b"the previous chart")
        proc = _start(*env_args)
        _kill_when(proc, lambda: any(out.parent.glob(".c.png.tmp-*")), delay)
        data = out.read_bytes()
        assert data == b"the previous chart" or (data.startswith(b"\x89PNG") and data.endswith(b"IEND\xaeB`\x82"))
        for tmp in out.parent.glob(".c.png.tmp-*"):
            tmp.unlink()


REFRESHER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[1])
    import socket_guard
    from yahoo_replay import YahooReplay
    from rotation_desk.data.refresh import refresh_tickers
    from rotation_desk.data.store import PriceStore

    store = PriceStore(sys.argv[2])
    names = sys.argv[4].split(",")
    with socket_guard.blocked(), YahooReplay().running(sys.argv[3]):
        refresh_tickers(store, names, progress=lambda done, total, name: print(done, name, flush=True),
                        sleep=lambda s: None)
    print("finished", flush=True)
    """
)


@pytest.mark.filterwarnings("ignore:The inplace keyword:DeprecationWarning")
def test_kill_9_during_a_refresh_leaves_each_ticker_old_or_new(data_dir, tmp_path):
    db = data_dir / "cache" / "prices.sqlite3"
    names = ["SPY", "QQQ", "IWM", "VBR", "DFAT", "AVUV", "EEMV", "IWD", "IWF", "XLK", "XLF", "XLE"]
    store = PriceStore(db)
    for name in names:  # as if the last refresh was on 2026-06-30
        store.replace_history(name, store.read_history(name, end="2026-06-30"), "snapshot")
    store.close()
    for after in (2, 6):
        proc = _start("-c", REFRESHER, str(TESTS), str(db), str(tmp_path / "yf"), ",".join(names))
        seen = []
        for line in proc.stdout:
            seen.append(line.split()[-1])
            if len(seen) >= after:
                break
        time.sleep(0.03)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        store = _assert_store_whole(db)
        for name in names:
            meta = store.ticker_meta(name)
            assert (meta.last, meta.source) in (("2026-06-30", "snapshot"), ("2026-08-03", "yahoo")), meta
        for name in seen:  # reported done, so committed
            assert store.ticker_meta(name).source == "yahoo"
        store.close()
