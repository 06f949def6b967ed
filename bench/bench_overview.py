"""Issue 6 figures: the Market Overview's recompute after a range change, next to a naive pandas peer.

Ours is what the tab runs (``ui.overview_model.compute_overview``: the core
functions behind the command line). The peer is a plain pandas
implementation of the same numbers written here (``.loc`` slicing, ``asof``,
``rolling``, ``cummax``), checked equal to ours before timing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from bench.timing import best_of, row
from rotation_desk.core.pairs import DEFAULT_PAIR_KEYS, pair_from_key
from rotation_desk.core.performance import ANNUALISED, TABLE_PERIODS, performance_table
from rotation_desk.core.returns import PERIODS
from rotation_desk.core.rotation import CHANGE_PERIODS, MA_FAST, MA_SLOW
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import resolve_paths
from rotation_desk.ui.state.ranges import resolve_window
from rotation_desk.ui.state.sections import OverviewSettings
from rotation_desk.ui.tabs.overview.compute import compute_overview, needed_tickers

WATCHLIST = OverviewSettings().watchlist


# ---------------------------------------------------------------- the peer: naive pandas
def peer_table(closes: pd.DataFrame, tickers, as_of, dd_start) -> pd.DataFrame:
    rows = {}
    for t in tickers:
        s = closes[t].dropna().loc[:as_of]
        last, value = s.index[-1], s.iloc[-1]
        out = {}
        for label in TABLE_PERIODS:
            if label == "1D":
                start = s.index[-2]
            elif label == "YTD":
                start = pd.Timestamp(year=last.year - 1, month=12, day=31)
            else:
                start = last - PERIODS[label]
            if start < s.index[0]:
                out[label] = np.nan
                continue
            base = s.loc[:start]
            total = value / base.iloc[-1] - 1.0
            if label in ANNUALISED:
                total = (1.0 + total) ** (365.25 / (last - base.index[-1]).days) - 1.0
            out[label] = total
        window = s.loc[s.loc[:dd_start].index[-1] :] if dd_start is not None and s.index[0] <= dd_start else s
        out["max_drawdown"] = (window / window.cummax() - 1.0).min()
        out["from_52w_high"] = value / s.loc[last - pd.DateOffset(weeks=52) :].max() - 1.0
        rows[t] = out
    return pd.DataFrame.from_dict(rows, orient="index")


def peer_pair(closes: pd.DataFrame, num: str, den: str, start, end) -> dict:
    both = closes[[num, den]].dropna().loc[:end]
    ratio = both[num] / both[den]
    fast, slow = ratio.rolling(MA_FAST).mean(), ratio.rolling(MA_SLOW).mean()
    base_date = ratio.loc[:start].index[-1] if start is not None and ratio.index[0] <= start else ratio.index[0]
    base = ratio.loc[base_date]
    lines = {
        "ratio": ratio.loc[base_date:] / base * 100,
        "fast": fast.loc[base_date:] / base * 100,
        "slow": slow.loc[base_date:] / base * 100,
    }
    last = ratio.index[-1]
    changes = {}
    for label, offset in CHANGE_PERIODS.items():
        st = last - offset
        changes[label] = np.nan if st < ratio.index[0] else ratio.iloc[-1] / ratio.asof(st) - 1.0
    valid = slow.notna()
    above = ratio[valid] > slow[valid]
    now = bool(above.iloc[-1])
    flips = np.flatnonzero((above != now).to_numpy())
    sessions = len(above) - flips[-1] - 1 if len(flips) else None
    return {"lines": lines, "changes": changes, "above": now, "sessions": sessions}


def peer_overview(closes: pd.DataFrame, pair_keys, tickers, window) -> dict:
    pairs = {}
    for key in pair_keys:
        p = pair_from_key(key)
        pairs[key] = peer_pair(closes, p.numerator, p.denominator, window.start, window.end)
    series = {}
    for t in tickers:
        s = closes[t].dropna().loc[: window.end]
        if window.start is not None and s.index[0] <= window.start:
            s = s.loc[s.loc[: window.start].index[-1] :]
        series[t] = s / s.iloc[0] * 100
    favouring = sum(1 for p in pairs.values() if p["above"])
    return {
        "pairs": pairs,
        "table": peer_table(closes, tickers, window.end, window.start),
        "series": series,
        "breadth": (favouring, len(pairs)),
    }


# ---------------------------------------------------------------- equality check
def largest_difference(ours, peer) -> float:
    """Largest relative difference between every number of ours and the peer's (raises if they disagree)."""
    worst = 0.0

    def cmp(a, b):
        nonlocal worst
        a, b = np.asarray(a, float), np.asarray(b, float)
        assert a.shape == b.shape and np.array_equal(np.isnan(a), np.isnan(b)), "peer and ours disagree"
        ok = ~np.isnan(a)
        if ok.any():
            worst = max(worst, float(np.max(np.abs(a[ok] - b[ok]) / np.maximum(1.0, np.abs(b[ok])))))

    cols = [*TABLE_PERIODS, "max_drawdown", "from_52w_high"]
    cmp(ours.watchlist.table[cols].to_numpy(), peer["table"].loc[ours.watchlist.table.index, cols].to_numpy())
    for p in ours.pairs:
        q = peer["pairs"][p.key]
        cmp(p.lines.ratio, q["lines"]["ratio"])
        cmp(p.lines.ma_fast, q["lines"]["fast"])
        cmp(p.lines.ma_slow, q["lines"]["slow"])
        cmp([np.nan if v is None else v for v in p.score.changes.values()], list(q["changes"].values()))
        assert p.score.above_slow_ma == q["above"] and p.score.sessions_in_state == q["sessions"]
    for t, s in ours.watchlist.series.items():
        assert s.index.equals(peer["series"][t].index)
        cmp(s, peer["series"][t])
    assert (ours.breadth.favouring, ours.breadth.total) == peer["breadth"]
    return worst


def run(quick: bool = False) -> list[dict]:
    repeat = 3 if quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        market = MarketData(resolve_paths(Path(tmp) / "data"), offline=True)
        keys = list(DEFAULT_PAIR_KEYS)
        known = set(market.ticker_names())  # as the tab reads them: the rates strip's yields may not be cached
        closes = market.closes([t for t in needed_tickers(keys, WATCHLIST, thesis=False) if t in known])
        last = market.last_session()
        market.store.close()
    rows = []
    window = resolve_window("5Y", last)
    ours = compute_overview(closes, keys, WATCHLIST, window)
    worst = largest_difference(ours, peer_overview(closes, keys, WATCHLIST, window))

    t_ours = best_of(lambda: performance_table(closes, WATCHLIST, window.end, window.start), repeat)
    t_peer = best_of(lambda: peer_table(closes, WATCHLIST, window.end, window.start), repeat)
    rows.append(
        row(
            "overview: watchlist table, 13 tickers × 10 periods + max DD + 52w high",
            t_ours,
            "naive pandas (.loc/asof per period)",
            t_peer,
            f"largest relative difference {worst:.1e}",
        )
    )

    presets = ["1Y", "5Y", "Max"] if quick else ["1M", "1Y", "3Y", "5Y", "10Y", "Max"]
    windows = [resolve_window(p, last) for p in presets]
    for w in windows:  # every preset agrees with the peer, not only 5Y
        worst = max(
            worst,
            largest_difference(compute_overview(closes, keys, WATCHLIST, w), peer_overview(closes, keys, WATCHLIST, w)),
        )
    t_ours = best_of(lambda: [compute_overview(closes, keys, WATCHLIST, w) for w in windows], repeat) / len(windows)
    t_peer = best_of(lambda: [peer_overview(closes, keys, WATCHLIST, w) for w in windows], repeat) / len(windows)
    rows.append(
        row(
            "overview: full recompute after a range change (7 pairs + scorecard + 13-ticker table + chart "
            "series), mean over presets " + "/".join(presets),
            t_ours,
            "naive pandas, same numbers",
            t_peer,
            f"checked equal on every preset; largest relative difference {worst:.1e}; runs in a worker "
            f"thread when the tab is on screen",
        )
    )
    return rows
