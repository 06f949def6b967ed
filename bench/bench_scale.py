"""Issue 18 scale rows: 500 cached tickers × 30 years, so the cost of growth is visible.

The store holds 500 synthetic tickers (seeded geometric random walks on the
real XNYS sessions 1996-07-01 – 2026-07-31, no real data invented: the values
are labelled synthetic) beside the bundled snapshot. Each figure is timed next
to a peer in the same run, and the peer's numbers are checked against ours:

- load all 500 into one wide frame, vs pandas.read_csv × 500 + concat;
- metrics for all 500 (the six measures empyrical has), vs empyrical-reloaded;
- the ETF Comparison recompute for 12 of them + a benchmark, vs empyrical.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from bench.bench_compare import empyrical_bundle, worst_bundle_gap
from bench.bench_data import metrics_peer, metrics_worst, read_csvs
from bench.timing import best_of, row
from rotation_desk.core.calendar import sessions_between
from rotation_desk.core.comparison_charts import build_comparison
from rotation_desk.core.metrics import compute_metrics
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import resolve_paths

N_TICKERS = 500
START, END = "1996-07-01", "2026-07-31"
BENCH = "SYN000"


def synthetic_closes(n: int = N_TICKERS, seed: int = 18) -> pd.DataFrame:
    """Seeded random walks (drift 7 %/yr, vol 15–35 %/yr) on XNYS sessions; some start later."""
    days = pd.DatetimeIndex(sessions_between(START, END))
    rng = np.random.default_rng(seed)
    vols = rng.uniform(0.15, 0.35, n) / np.sqrt(252)
    rets = rng.normal(0.07 / 252, vols, size=(len(days), n))
    prices = 50.0 * np.exp(np.cumsum(rets, axis=0))
    frame = pd.DataFrame(np.round(prices, 6), index=days, columns=[f"SYN{i:03d}" for i in range(n)])
    starts = rng.integers(0, len(days) // 2, n)
    starts[: n // 2] = 0  # half of them cover the whole 30 years
    for j, s in enumerate(starts):
        frame.iloc[:s, j] = np.nan
    frame.index.name = "date"
    return frame


def _store(root: Path, frame: pd.DataFrame) -> MarketData:
    market = MarketData(resolve_paths(root / "data"), offline=True)
    for t in frame.columns:
        market.store.replace_history(t, frame[[t]].dropna().rename(columns={t: "adj_close"}), "synthetic")
    return market


def bench_load(market: MarketData, frame: pd.DataFrame, tmp: Path, repeat: int) -> dict:
    names = list(frame.columns)
    paths = []
    for t in names:
        path = tmp / f"{t}.csv"
        frame[[t]].dropna().rename(columns={t: "adj_close"}).to_csv(path, float_format="%.6f")
        paths.append(path)
    ours = best_of(lambda: market.store.read_closes(names), repeat)
    peer = best_of(lambda: read_csvs(paths), repeat)
    a, b = market.store.read_closes(names), read_csvs(paths)
    same = np.allclose(a.to_numpy(), b[a.columns].to_numpy(), equal_nan=True, rtol=0, atol=0)
    return row(
        f"scale: load {len(names)} tickers × 30 years into one wide frame",
        ours,
        f"pandas.read_csv × {len(names)} + concat",
        peer,
        f"{a.shape[0]}×{a.shape[1]} (synthetic, XNYS sessions), identical values: {same}",
    )


def bench_metrics(frame: pd.DataFrame, repeat: int) -> dict:
    bench = frame[BENCH]
    rf = 0.04

    def ours():
        return [compute_metrics(t, frame[t].dropna(), bench, rf) for t in frame.columns]

    t_ours = best_of(ours, repeat)
    t_peer = best_of(lambda: metrics_peer(frame, bench, rf), repeat)
    worst = metrics_worst(ours(), metrics_peer(frame, bench, rf))
    return row(
        f"scale: metrics for all {frame.shape[1]} tickers × 30 years",
        t_ours,
        "empyrical-reloaded, same data",
        t_peer,
        f"largest relative difference {worst:.1e}",
    )


def bench_compare(frame: pd.DataFrame, repeat: int) -> dict:
    funds = [f"SYN{i:03d}" for i in range(1, 13)]  # 12 that cover the whole 30 years
    end = frame.index[-1]
    start = end - pd.DateOffset(years=20)

    def ours():
        return build_comparison(frame, funds, BENCH, "range", start, end, "1Y", 10_000.0, {})

    t_ours = best_of(ours, repeat)
    t_peer = best_of(lambda: empyrical_bundle(frame, funds, BENCH, start, end), repeat)
    worst = worst_bundle_gap(ours(), empyrical_bundle(frame, funds, BENCH, start, end))
    return row(
        f"scale: ETF Comparison recompute, 12 of {frame.shape[1]} cached tickers + benchmark, 20 years",
        t_ours,
        "empyrical-reloaded: 8 metrics + cum_returns + yearly + roll_annual_volatility",
        t_peer,
        f"largest relative difference on the shared figures {worst:.1e}",
    )


def run(quick: bool = False) -> list[dict]:
    repeat = 2 if quick else 3
    frame = synthetic_closes()
    with tempfile.TemporaryDirectory() as tmp:
        market = _store(Path(tmp), frame)
        try:
            rows = [bench_load(market, frame, Path(tmp), repeat)]
        finally:
            market.store.close()
    rows.append(bench_metrics(frame, repeat))
    rows.append(bench_compare(frame, repeat))
    return rows
