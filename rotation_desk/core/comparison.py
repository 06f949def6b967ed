"""The comparison metrics table shared by ``rotation-desk metrics`` and the ETF Comparison tab."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from rotation_desk.core.capture import capture_ratios
from rotation_desk.core.instruments import Instrument
from rotation_desk.core.metrics import beta_correlation, compute_metrics, window_prices
from rotation_desk.core.monthly import month_end_closes
from rotation_desk.core.monthly_metrics import RETURNS, monthly_metrics, window_month_ends
from rotation_desk.core.returns import TRADING_DAYS, daily_returns, to_timestamp


@dataclass(frozen=True)
class Window:
    start: pd.Timestamp | None  # requested (or common) start; None = each ticker's first close
    end: pd.Timestamp | None
    common: bool
    limited_by: str | None  # the ticker whose first close sets the common start

    def describe(self, first: pd.Timestamp, last: pd.Timestamp) -> str:
        if self.common:
            who = f", limited by {self.limited_by}" if self.limited_by else ""
            return f"common window {first:%Y-%m-%d} – {last:%Y-%m-%d}{who}"
        return f"{first:%Y-%m-%d} – {last:%Y-%m-%d}"


class WindowError(ValueError):
    pass


def resolve_window(closes: pd.DataFrame, tickers: list[str], start=None, end=None, common=False) -> Window:
    """The window the table uses; with ``common`` it starts where every ticker has data."""
    start = None if start is None else to_timestamp(start)
    end = None if end is None else to_timestamp(end)
    if start is not None and end is not None and end <= start:
        raise WindowError(f"the end {end:%Y-%m-%d} is not after the start {start:%Y-%m-%d}")
    if not common:
        return Window(start, end, False, None)
    firsts = {t: closes[t].first_valid_index() for t in tickers}
    lasts = {t: closes[t].last_valid_index() for t in tickers}
    limiting = max(firsts, key=lambda t: firsts[t])
    first, last = firsts[limiting], min(lasts.values())
    limited_by = limiting if start is None or first > start else None
    c_start = first if start is None else max(start, first)
    c_end = last if end is None else min(end, last)
    if c_end <= c_start:
        raise WindowError(f"{', '.join(tickers)} have no common sessions in the window")
    return Window(c_start, c_end, True, limited_by)


def metrics_rows(
    closes: pd.DataFrame,
    tickers: list[str],
    benchmark: str | None = None,
    window: Window | None = None,
    rf: float = 0.0,
    returns: str = "daily",
    instruments: Mapping[str, Instrument] | None = None,
) -> list[dict]:
    """One dict per ticker with the metric names of the JSON contract (docs/architecture.md) (fractions; dates as Timestamps).

    ``returns="monthly"``: the month-end statistics of core/monthly_metrics.py
    (in a common window, on the months every listed ticker has).
    ``instruments`` (core/instruments.py): a series annualises with its calendar's periods a year (365 for
    crypto); a ticker on another calendar than the benchmark (BTC-USD, VWRL.L against SPY) has its beta,
    correlation and capture measured between the dates both have a close, so a weekend's crypto moves or a
    London holiday fall into the next common date's return instead of being paired with the wrong day.
    """
    if returns not in RETURNS:
        raise ValueError(f"returns must be one of {', '.join(RETURNS)}, not {returns!r}")
    window = window or Window(None, None, False, None)
    bench = closes[benchmark] if benchmark else None
    monthly = bench_monthly = None
    if returns == "monthly":
        monthly = window_month_ends(closes, tickers, window.start, window.end, window.common)
        if bench is not None:
            bench_monthly = monthly.get(benchmark)
            if bench_monthly is None:
                bench_monthly = month_end_closes(bench, window.start, window.end).closes
    rows = []
    for name in tickers:
        series = window_prices(closes[name], window.start, window.end)
        if len(series) < 2:
            raise WindowError(f"{name}: fewer than two closes in the window")
        if monthly is not None:
            if len(monthly[name]) < 2:
                raise WindowError(f"{name}: fewer than two month-end closes in the window")
            m = monthly_metrics(name, monthly[name], bench_monthly, rf)
            series = closes[name].dropna().loc[m.start : m.end]
        else:
            m = compute_metrics(name, series, bench, rf, _periods(instruments, name))
        up = down = None
        if bench is not None:
            codated = _codated(instruments, name, benchmark)
            b_series = bench.loc[series.index[0] : series.index[-1]]
            if codated and monthly is None:
                both = pd.concat([series.rename("a"), b_series.rename("b")], axis=1, sort=True).dropna()
                beta, corr = beta_correlation(daily_returns(both["a"]), daily_returns(both["b"]))
                m = replace(m, beta=beta, correlation=corr)
                series, b_series = both["a"], both["b"]
            up, down = capture_ratios(series, b_series)
        rows.append(
            {
                "ticker": name,
                "start": m.start,
                "end": m.end,
                "total_return": m.total_return,
                "cagr": m.cagr,
                "volatility": m.volatility,
                "sharpe": m.sharpe,
                "sortino": m.sortino,
                "max_drawdown": m.max_drawdown,
                "calmar": m.calmar,
                "beta": m.beta if bench is not None else None,
                "correlation": m.correlation if bench is not None else None,
                "up_capture": up,
                "down_capture": down,
                "max_drawdown_peak": m.drawdown_peak,
                "max_drawdown_trough": m.drawdown_trough,
                "max_drawdown_recovery": m.drawdown_recovery,
                "best_year": m.best_year,
                "best_year_return": m.best_year_return,
                "worst_year": m.worst_year,
                "worst_year_return": m.worst_year_return,
                "first_date": closes[name].first_valid_index(),
            }
        )
    return rows


def _periods(instruments: Mapping[str, Instrument] | None, name: str) -> int:
    inst = (instruments or {}).get(name)
    return inst.periods_per_year if inst is not None else TRADING_DAYS


def _codated(instruments: Mapping[str, Instrument] | None, name: str, benchmark: str | None) -> bool:
    if not instruments or benchmark is None or name not in instruments or benchmark not in instruments:
        return False
    return instruments[name].calendar != instruments[benchmark].calendar
