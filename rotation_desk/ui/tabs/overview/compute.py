"""What the Market Overview tab shows, computed in one pass from a frame of closes (Qt-free).

Every figure comes from the same core functions the command line uses:
``core.rotation`` (ratio lines, scorecard, breadth), ``core.performance``
(the watchlist table) and ``core.thesis`` (the article's claims). This module
only picks the window, calls them and collects the results, so it can run in
a worker thread and in the benchmark.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rotation_desk.core.pairs import pair_from_key
from rotation_desk.core.performance import performance_table
from rotation_desk.core.rates_strip import RATE_TICKERS, RatesChart, RatesStrip, rates_strip, small_caps_vs_rates
from rotation_desk.core.returns import to_timestamp
from rotation_desk.core.rotation import Breadth, Pair, PairScore, RatioLines, breadth, pair_view
from rotation_desk.core.thesis import OPTIONAL_TICKERS, THESIS_TICKERS, Claim, thesis_scorecard
from rotation_desk.ui.kit.hints import IMPORT_WHERE
from rotation_desk.ui.state.ranges import Window


@dataclass(frozen=True)
class PairResult:
    key: str
    pair: Pair
    lines: RatioLines | None = None
    score: PairScore | None = None
    problem: str | None = None  # why there is nothing to show (no prices, no common sessions)


@dataclass(frozen=True)
class WatchlistResult:
    tickers: list[str]  # the ones with prices in the window, in watchlist order
    table: pd.DataFrame  # core.performance.performance_table, indexed by ticker
    series: dict[str, pd.Series]  # closes in the window rebased to 100 at each one's first close
    start: pd.Timestamp | None  # first session shown
    end: pd.Timestamp | None
    late: list[str] = field(default_factory=list)  # started after the window start
    missing: list[str] = field(default_factory=list)  # no prices in the window


@dataclass(frozen=True)
class OverviewResult:
    window: Window
    pairs: list[PairResult]
    breadth: Breadth
    watchlist: WatchlistResult
    claims: list[Claim] | None  # None when a thesis ticker is not cached
    thesis_problem: str | None = None
    rates: RatesStrip | None = None  # None when nothing is cached for it
    rates_chart: RatesChart | None = None


def needed_tickers(pair_keys: Sequence[str], watchlist: Sequence[str], thesis: bool = True) -> list[str]:
    names: list[str] = []
    for key in pair_keys:
        p = pair_from_key(key)
        names += [p.numerator, p.denominator]
    names += list(watchlist)
    if thesis:
        names += list(THESIS_TICKERS) + list(OPTIONAL_TICKERS)
    names += list(RATE_TICKERS)  # the rates strip (the ones not cached are left out when read)
    return list(dict.fromkeys(names))


def compute_pairs(
    closes: pd.DataFrame, pair_keys: Sequence[str], window: Window, refused: Mapping[str, str] | None = None
) -> list[PairResult]:
    """``refused``: pairs not drawn, and why (their legs in two currencies, "Show in USD" off)."""
    out = []
    for key in pair_keys:
        pair = pair_from_key(key)
        if refused and key in refused:
            out.append(PairResult(key, pair, problem=refused[key]))
            continue
        absent = [t for t in (pair.numerator, pair.denominator) if t not in closes.columns]
        if absent:
            out.append(PairResult(key, pair, problem=f"no cached prices for {', '.join(absent)}"))
            continue
        try:
            score, lines = pair_view(closes, pair, window.start, window.end)
        except ValueError:
            out.append(
                PairResult(key, pair, problem=f"{pair.numerator} and {pair.denominator} have no common sessions")
            )
            continue
        if len(lines.ratio) < 2:
            out.append(PairResult(key, pair, score=score, problem="fewer than two common sessions in this window"))
            continue
        out.append(PairResult(key, pair, lines, score))
    return out


def compute_watchlist(closes: pd.DataFrame, tickers: Sequence[str], window: Window) -> WatchlistResult:
    n = len(closes.index) if window.end is None else int(closes.index.searchsorted(window.end, side="right"))
    columns = {t: closes[t].to_numpy(dtype=np.float64) for t in dict.fromkeys(tickers) if t in closes.columns}
    present = [t for t in tickers if t in columns and not np.isnan(columns[t][:n]).all()]
    missing = [t for t in tickers if t not in present]
    table = performance_table(closes, present, as_of=window.end, dd_start=window.start)
    series: dict[str, pd.Series] = {}
    for t in present:
        prices = _rebased_window(closes.index, columns[t], t, window)
        if prices is not None:
            series[t] = prices
        else:
            missing.append(t)
    start = min((s.index[0] for s in series.values()), default=None)
    end = max((s.index[-1] for s in series.values()), default=None)
    late = [t for t, s in series.items() if start is not None and s.index[0] > start]
    shown = [t for t in present if t in series]
    return WatchlistResult(shown, table.loc[shown], series, start, end, late, [t for t in tickers if t in missing])


def _rebased_window(index: pd.DatetimeIndex, values, name: str, window: Window) -> pd.Series | None:
    """``rebase(window_prices(column, start, end), 100)`` on the column's array (None under two closes)."""
    keep = ~np.isnan(values)
    if not keep.all():
        values, index = values[keep], index[keep]
    hi = len(index) if window.end is None else int(index.searchsorted(to_timestamp(window.end), side="right"))
    lo = 0
    if window.start is not None and hi > 0:
        lo = max(int(index[:hi].searchsorted(to_timestamp(window.start), side="right")) - 1, 0)
    if hi - lo < 2:
        return None
    cut = values[lo:hi]
    return pd.Series(cut / cut[0] * 100.0, index=index[lo:hi], name=name)


def compute_thesis(closes: pd.DataFrame, facts: Mapping) -> tuple[list[Claim] | None, str | None]:
    absent = [t for t in THESIS_TICKERS if t not in closes.columns]
    if absent:
        return (
            None,
            f"The thesis scorecard needs prices for {', '.join(absent)} (refresh them, or import them with {IMPORT_WHERE}).",
        )
    return thesis_scorecard(closes, facts), None


def compute_overview(
    closes: pd.DataFrame,
    pair_keys: Sequence[str],
    watchlist: Sequence[str],
    window: Window,
    facts: Mapping | None = None,
    refused_pairs: Mapping[str, str] | None = None,
) -> OverviewResult:
    """Pairs (lines for the window, scorecard as of its end), breadth, the watchlist table and chart
    series, and (when ``facts`` is given) the thesis claims as of the last cached session."""
    pairs = compute_pairs(closes, pair_keys, window, refused_pairs)
    scores = [p.score for p in pairs if p.score is not None]
    claims, problem = compute_thesis(closes, facts) if facts is not None else (None, None)
    strip = rates_strip(closes, window.end) if len(closes) else None
    chart = small_caps_vs_rates(closes, window.start, window.end)
    watch = compute_watchlist(closes, watchlist, window)
    return OverviewResult(window, pairs, breadth(scores), watch, claims, problem, strip, chart)
