"""Issue 8 figures: the weekly RRG of the 11 SPDR sectors and a 20-year monthly tilt backtest, each next to a
straightforward peer implementation run on the same data in the same run (and checked to agree)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from bench.timing import best_of, row
from rotation_desk.core.rrg import DAILY_PARAMS, SECTORS, WEEKLY_PARAMS, rrg_series, rrg_snapshot
from rotation_desk.core.tilt import PRESETS, tilt_backtest
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import resolve_paths

TILT_START, TILT_END = "2006-01-01", "2025-12-31"


def _z_last(window: np.ndarray) -> float:
    sd = window.std(ddof=1)
    return (window[-1] - window.mean()) / sd if sd > 0 else np.nan


def peer_rrg(
    closes: pd.DataFrame, tickers=SECTORS, benchmark: str = "SPY", params=WEEKLY_PARAMS, daily: bool = False
) -> pd.DataFrame:
    """Per ticker: weekly closes by ISO week (or the daily closes), then rolling(...).apply for every window
    (no shared vectorisation)."""
    out = []
    for name in tickers:
        px = closes[[name, benchmark]].dropna()
        iso = px.index.isocalendar()
        weekly = px if daily else px.groupby([iso.year.to_numpy(), iso.week.to_numpy()]).tail(1)
        rs = 100.0 * weekly[name] / weekly[benchmark]
        smooth = rs.rolling(params.smooth).apply(np.mean, raw=True)
        ratio = 100.0 + smooth.rolling(params.lookback).apply(_z_last, raw=True)
        roc = ratio.pct_change(params.momentum, fill_method=None) * 100.0
        momentum = 100.0 + roc.rolling(params.lookback).apply(_z_last, raw=True)
        frame = pd.DataFrame(
            {
                "date": rs.index,
                "ticker": name,
                "rs": rs.to_numpy(),
                "rs_ratio": ratio.to_numpy(),
                "rs_momentum": momentum.to_numpy(),
            }
        )
        out.append(frame.dropna(subset=["rs_ratio", "rs_momentum"]))
    return pd.concat(out, ignore_index=True)


def bench_rrg(closes: pd.DataFrame, repeat: int) -> dict:
    ours = best_of(lambda: rrg_series(closes, SECTORS, "SPY", "weekly"), repeat)
    peer = best_of(lambda: peer_rrg(closes), max(1, repeat // 2))
    a = rrg_series(closes, SECTORS, "SPY", "weekly").set_index(["date", "ticker"])
    b = peer_rrg(closes).set_index(["date", "ticker"])
    same_points = a.index.sort_values().equals(b.index.sort_values())
    b = b.reindex(a.index)
    diff = float(
        np.nanmax(np.abs(a[["rs_ratio", "rs_momentum"]].to_numpy() - b[["rs_ratio", "rs_momentum"]].to_numpy()))
    )
    return row(
        f"RRG, 11 sectors vs SPY, weekly, full history ({len(a)} points)",
        ours,
        "pandas rolling.apply per ticker",
        peer,
        f"same points: {same_points}; largest difference {diff:.1e}",
    )


def bench_rrg_daily(closes: pd.DataFrame, repeat: int, tail: int = 20) -> dict:
    """Daily RRG over the last 20 years, with each ticker's tail of ``tail`` sessions as the tab shows it."""
    start = closes.index[-1] - pd.DateOffset(years=20)
    window = closes.loc[start:]

    def ours():
        series = rrg_series(window, SECTORS, "SPY", "daily")
        return series, rrg_snapshot(series, tail=tail)

    def peer():
        frame = peer_rrg(window, params=DAILY_PARAMS, daily=True)
        return {t: g.tail(tail) for t, g in frame.groupby("ticker")}

    t_ours = best_of(ours, repeat)
    t_peer = best_of(peer, max(1, repeat // 2))
    series, rows = ours()
    tails = peer()
    diff = max(
        float(np.max(np.abs(np.array([p.rs_ratio for p in r.tail]) - tails[r.ticker]["rs_ratio"].to_numpy())))
        for r in rows
    )
    return row(
        f"RRG, 11 sectors vs SPY, daily, 20 years ({len(series)} points) + tails of {tail}",
        t_ours,
        "pandas rolling.apply per ticker",
        t_peer,
        f"{len(rows)} tickers; tails agree to {diff:.1e}",
    )


def peer_tilt(closes: pd.DataFrame, weights: dict[str, float], start, end, initial: float = 10_000.0) -> pd.Series:
    """Day-by-day shares ledger in plain Python: reset to target at the first close of each month."""
    names = list(weights)
    frame = closes[list(dict.fromkeys([*names, "SPY"]))].dropna()
    frame = frame.loc[frame.loc[:start].index[-1] : end]
    target = {t: w / 100.0 for t, w in weights.items()}
    shares = {t: initial * target[t] / frame[t].iloc[0] for t in names}
    values, prev = [], None
    for day, prices in zip(frame.index, frame[names].to_dict("records")):
        value = sum(shares[t] * prices[t] for t in names)
        if prev is not None and (day.year, day.month) != (prev.year, prev.month):
            shares = {t: value * target[t] / prices[t] for t in names}
        values.append(value)
        prev = day
    return pd.Series(values, index=frame.index)


def bench_tilt(closes: pd.DataFrame, repeat: int) -> dict:
    weights = PRESETS["article tilts"]

    def ours():
        return tilt_backtest(closes, weights, "SPY", "monthly", TILT_START, TILT_END)

    t_ours = best_of(ours, repeat)
    t_peer = best_of(lambda: peer_tilt(closes, weights, TILT_START, TILT_END), max(1, repeat // 2))
    a = ours()
    b = peer_tilt(closes, weights, TILT_START, TILT_END)
    rel = float(np.max(np.abs(a.values.to_numpy() / b.to_numpy() - 1.0)))
    return row(
        f"tilt backtest 70/10/10/10, monthly, {TILT_START[:4]}–{TILT_END[:4]} ({len(a.values)} sessions, "
        "with stats and contributions)",
        t_ours,
        "day-by-day Python loop (values only)",
        t_peer,
        f"largest relative difference {rel:.1e}",
    )


def run(quick: bool = False) -> list[dict]:
    repeat = 2 if quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        market = MarketData(resolve_paths(Path(tmp) / "data"), offline=True)
        closes = market.all_closes()
        market.store.close()
    return [bench_rrg(closes, repeat), bench_rrg_daily(closes, 1 if quick else 3), bench_tilt(closes, repeat)]
