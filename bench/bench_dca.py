"""Issue 5 figures: a long weekly DCA backtest and a 10,000-path projection, each beside a peer
computed independently in the same run (and checked to give the same numbers).

- Backtest peer: a naive day-by-day loop over the price rows: on the first row on or after each
  Friday it buys contribution x weight / close of every ticker (fractional shares, pro-rata, no
  fee), and values the holdings at every close. The snapshot has no five tickers that span 30
  years, so the 30-year figure runs on seeded synthetic prices over the real XNYS sessions
  1996-2026; a second pair of rows runs five real tickers over their longest common span (1999-2026).
  Each backtest gives two rows against the same peer timing: ours doing the peer's work (the plan's
  value at every close, ``run_backtest(...).value_series``; the ledger, holdings, XIRR, TWR and drawdown
  are worked out only when read), and ours doing the full run (``run_backtest(...).computed()``: those
  figures for the plan and the lump sum too, what the DCA tab shows).
- Projection peer: the allocation's monthly returns recomputed with pandas (month-end closes of
  the common history, the unfinished last month dropped), the same block starts drawn from the
  same seeded generator, and then a plain loop over the paths with numpy inside each path
  (value = cumprod(growth) x cumsum(net money / cumprod(growth))).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from bench.timing import best_of, row
from rotation_desk.core.calendar import sessions_between
from rotation_desk.core.dca.backtest import run_backtest
from rotation_desk.core.dca.plan_json import parse_plan
from rotation_desk.core.dca.projection import monthly_contributions, project_plan
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import resolve_paths

REAL_TICKERS = ["SPY", "DIA", "XLK", "XLF", "QQQ"]
PROJECTION_TICKERS = ["VBR", "VTV", "EFV", "SPY", "IWM"]


def weekly_plan(tickers, start: str, end: str) -> dict:
    return {
        "name": "bench weekly",
        "contribution": 100.0,
        "frequency": "weekly",
        "anchor": "fri",
        "start": start,
        "end": end,
        "allocation": {t: 20 for t in tickers},
        "fractional": True,
        "rebalance": "pro-rata",
    }


# -- the backtest peer ----------------------------------------------------------------------------


def naive_backtest(prices: pd.DataFrame, tickers, percent, contribution: float, start, end) -> pd.Series:
    """Account value at every close from the first buy: a plain loop over days and tickers."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    friday = start + pd.Timedelta(days=(4 - start.weekday()) % 7)
    shares = [0.0] * len(tickers)
    dates, values = [], []
    frame = prices[tickers].loc[start:end].ffill()
    for day, closes in zip(frame.index, frame.to_numpy()):
        due = False
        while friday <= day:  # a Friday with no session buys on the next row
            due = True
            friday += pd.Timedelta(days=7)
        if due:
            for i in range(len(tickers)):
                shares[i] += contribution * percent[i] / 100.0 / closes[i]
        if due or dates:
            dates.append(day)
            values.append(sum(s * c for s, c in zip(shares, closes)))
    return pd.Series(values, index=pd.DatetimeIndex(dates))


def bench_backtest(label: str, prices: pd.DataFrame, tickers, start: str, end: str, repeat: int) -> list[dict]:
    """Two rows against the same peer timing: ours computing what the peer computes (the plan's value at
    every close: ``run_backtest(...).value_series``, the ledger and the rest left to be worked out when
    read), and ours doing the full run the DCA tab shows (``run_backtest(...).computed()``)."""
    plan = parse_plan(weekly_plan(tickers, start, end))
    percent = [plan.allocation[t] for t in tickers]
    result = run_backtest(plan, prices, benchmark=None).computed()
    peer = naive_backtest(prices, tickers, percent, plan.contribution, start, end)
    values_s = best_of(lambda: run_backtest(plan, prices, benchmark=None).value_series, repeat)
    full_s = best_of(lambda: run_backtest(plan, prices, benchmark=None).computed(), repeat)
    peer_s = best_of(lambda: naive_backtest(prices, tickers, percent, plan.contribution, start, end), repeat)
    value = run_backtest(plan, prices, benchmark=None).value_series  # what the first row times
    same_days = value.index.equals(peer.index)
    gap = float(np.max(np.abs(value.to_numpy() - peer.to_numpy()) / peer.to_numpy())) if same_days else float("inf")
    final_equal = abs(round(float(peer.iloc[-1]), 2) - result.value) < 0.005
    checks = (
        f"{result.buys} buys, {len(value)} days; final value {result.value:,.2f} equal to the cent: {final_equal}; "
        f"daily values max rel. gap {gap:.1e}"
    )
    return [
        row(
            label,
            values_s,
            "naive day-by-day loop",
            peer_s,
            f"{checks}; ours times the peer's work, the plan's value at every close "
            "(run_backtest(...).value_series, with the invested and cash series and the lump sum's daily values); "
            "ledger, holdings, XIRR, TWR and drawdown are worked out when read: the next row times them too",
        ),
        row(
            f"{label}, full run: ledger, holdings, lump sum, XIRR, TWR, drawdown",
            full_s,
            "naive day-by-day loop (same timing as the row above)",
            peer_s,
            f"ours: run_backtest(...).computed(), everything the DCA tab shows for the plan and the lump sum "
            f"(XIRR {result.xirr:.4%}, TWR {result.twr:.2%}, {result.dca.orders} ledger rows); "
            "the peer computes daily values only",
        ),
    ]


# -- the projection peer ----------------------------------------------------------------------------


def peer_monthly_returns(prices: pd.DataFrame, tickers, percent) -> np.ndarray:
    frame = prices[tickers].sort_index()
    month_end = frame.groupby(frame.index.to_period("M")).last()
    last_day = frame.dropna(how="all").index[-1]
    if (last_day + pd.offsets.BDay(1)).month == last_day.month:  # the last month is unfinished
        month_end = month_end.iloc[:-1]
    complete = month_end.notna().all(axis=1)
    month_end = month_end.loc[complete.idxmax() :].ffill()
    rets = month_end.pct_change().iloc[1:].to_numpy()
    w = np.asarray(percent, dtype=float) / sum(percent)
    return rets @ w


def peer_projection(history: np.ndarray, net: np.ndarray, n_paths: int, seed: int, block: int) -> np.ndarray:
    horizon, n_hist = len(net), len(history)
    n_blocks = -(-horizon // block)
    rng = np.random.Generator(np.random.PCG64(seed))
    starts = rng.integers(0, n_hist, size=(n_paths, n_blocks))
    values = np.empty((n_paths, horizon))
    offsets = np.arange(block)
    for p in range(n_paths):
        idx = ((starts[p][:, None] + offsets[None, :]) % n_hist).ravel()[:horizon]
        growth = np.cumprod(1.0 + history[idx])
        values[p] = growth * np.cumsum(net / growth)
    return np.percentile(values, (10, 50, 90), axis=0)


def bench_projection(prices: pd.DataFrame, repeat: int, n_paths: int = 10_000, seed: int = 11) -> dict:
    first = dt.date.today().replace(day=1) + dt.timedelta(days=32)
    start = first.replace(day=1)
    end = start.replace(year=start.year + 30) - dt.timedelta(days=1)
    plan = parse_plan(weekly_plan(PROJECTION_TICKERS, start.isoformat(), end.isoformat()))
    result = project_plan(plan, prices, n_paths=n_paths, seed=seed)
    money = monthly_contributions(plan)
    net = (money["paid_in"] - money["fees"]).to_numpy()
    history = peer_monthly_returns(prices, PROJECTION_TICKERS, [plan.allocation[t] for t in PROJECTION_TICKERS])
    bands = peer_projection(history, net, n_paths, seed, result.block_months)
    ours_s = best_of(lambda: project_plan(plan, prices, n_paths=n_paths, seed=seed), repeat)
    peer_s = best_of(lambda: peer_projection(history, net, n_paths, seed, result.block_months), repeat)
    fan = result.fan[["p10", "p50", "p90"]].to_numpy().T
    same = np.allclose(fan, bands, rtol=1e-9, atol=1e-6)
    return row(
        f"projection, {n_paths:,} paths × {len(net)} months (30-year weekly plan, 5 tickers)",
        ours_s,
        "numpy loop over paths",
        peer_s,
        f"{len(history)} months of history; p10/p50/p90 fan equal: {same}; median end {result.final_percentile(50):,.0f}",
    )


def run(quick: bool = False) -> list[dict]:
    repeat = 1 if quick else 3
    rows = []
    days = sessions_between("1996-07-01", "2026-07-31")
    rng = np.random.default_rng(0)
    names = ["AAA", "BBB", "CCC", "DDD", "EEE"]
    synthetic = pd.DataFrame(
        100 * np.exp(np.cumsum(rng.normal(0.0003, 0.012, (len(days), 5)), axis=0)), index=days, columns=names
    )
    rows.extend(
        bench_backtest(
            "30-year weekly backtest, 5 tickers (synthetic prices on XNYS sessions)",
            synthetic,
            names,
            "1996-08-01",
            "2026-07-31",
            repeat,
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        market = MarketData(resolve_paths(Path(tmp) / "data"), offline=True)
        real = market.closes(sorted(set(REAL_TICKERS + PROJECTION_TICKERS)))
        market.store.close()
    rows.extend(
        bench_backtest(
            "27-year weekly backtest, 5 real tickers (SPY DIA XLK XLF QQQ)",
            real,
            REAL_TICKERS,
            "1999-04-01",
            "2026-07-31",
            repeat,
        )
    )
    rows.append(bench_projection(real, repeat))
    return rows
