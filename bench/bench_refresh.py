"""Issue 2 figure: incremental refresh of all 88 tickers vs re-downloading their full history.

Both go through real yfinance 1.7 and the refresh code, answered offline by the
Yahoo replay of the test suite (tests/yahoo_replay.py: Yahoo's chart JSON built
from the snapshot's real adjusted closes), in the same run on the same store:
every ticker's cache is cut back to 2026-07-02, the recording runs to
2026-08-03. Ours asks Yahoo only for the last cached date minus the 10-day
overlap onwards; the peer is ``refresh --full`` (what a naive refresh does).
Network latency is not in the figure (the replay answers at once), so the
real-world gap is larger: it scales with the bytes asked for.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import time
from pathlib import Path

from bench.timing import row

ROOT = Path(__file__).resolve().parent.parent
CUT = "2026-07-02"


def _prepare(market, folder: Path) -> Path:
    """A copy of the market's store with every ticker cut back to CUT (not timed)."""
    from rotation_desk.data.store import PriceStore

    folder.mkdir(parents=True, exist_ok=True)
    base = folder / "cut.sqlite3"
    dest = sqlite3.connect(base)
    market.store.conn.backup(dest)
    dest.close()
    store = PriceStore(base)
    for meta in store.tickers():
        store.replace_history(meta.ticker, store.read_history(meta.ticker, end=CUT), "snapshot")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return base


def _run(base: Path, name: str, replay, full: bool) -> tuple[float, int, object]:
    from rotation_desk.data.refresh import refresh_tickers
    from rotation_desk.data.store import PriceStore

    path = base.with_name(f"{name}.sqlite3")
    shutil.copyfile(base, path)
    store = PriceStore(path)
    tickers = [m.ticker for m in store.tickers()]
    before = len(replay.calls)
    t0 = time.perf_counter()
    report = refresh_tickers(store, tickers, full=full)
    elapsed = time.perf_counter() - t0
    rows = sum(c.rows for c in replay.calls[before:] if c.is_chart and "period1" in c.params)
    store.close()
    return elapsed, rows, report


def bench_refresh(market, tmp: Path, repeat: int = 1) -> dict:
    """One figure row (bench_data appends it); ``repeat`` runs each, the fastest kept (each run takes seconds)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from yahoo_replay import YahooReplay

    folder = Path(tmp) / "refresh-bench"
    base = _prepare(market, folder)
    replay = YahooReplay()
    with replay.running(folder / "yfinance"):
        _run(base, "warm-up", replay, full=False)  # yfinance's time-zone cache, as after a first refresh
        ours = [_run(base, f"ours-{i}", replay, full=False) for i in range(repeat)]
        peer = [_run(base, f"peer-{i}", replay, full=True) for i in range(repeat)]
    t_ours, rows_ours, report_ours = min(ours, key=lambda r: r[0])
    t_peer, rows_peer, report_peer = min(peer, key=lambda r: r[0])
    n = len(report_ours.outcomes)
    ok_ours, ok_peer = len(report_ours.updated), len(report_peer.updated)
    note = (
        f"{n} tickers cut to {CUT}; rows requested {rows_ours:,} vs {rows_peer:,} "
        f"({rows_peer / max(rows_ours, 1):.0f}× fewer); updated {ok_ours}/{n} vs {ok_peer}/{n}; "
        f"replayed offline (no network latency)"
    )
    return row(
        "refresh 88 tickers from Yahoo (incremental, 10-day overlap)",
        t_ours,
        "full re-download of the same tickers",
        t_peer,
        note,
    )
