"""Everything the ETF Comparison view shows, computed in one pure call (no Qt).

The metrics rows come from ``comparison.metrics_rows`` (the same function as
``rotation-desk metrics``), the chart series from the same window:

- mode "common": the common window of the funds (``resolve_window(common=True)``)
- mode "full": each ticker's full history
- mode "range": the common window inside a requested start/end (the app's range)

The benchmark is measured over the same window as the funds but does not
limit it (as on the command line).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from rotation_desk.core.capture import fees_paid
from rotation_desk.core.comparison import Window, metrics_rows, resolve_window
from rotation_desk.core.correlation import Correlations, correlation_matrix, monthly_correlation_matrix
from rotation_desk.core.instruments import Instrument
from rotation_desk.core.metrics import drawdown_series, window_prices
from rotation_desk.core.returns import calendar_year_returns
from rotation_desk.core.rolling import rolling_figures_of

MODES = ("common", "full", "range")
GROWTH_BASE = 10_000.0


@dataclass(frozen=True)
class YearReturns:
    table: pd.DataFrame  # index: year, columns: tickers, values: fractions (NaN: no data that year)
    partial: frozenset[int]  # years some ticker covers only in part (its first or the unfinished year)

    def labels(self) -> list[str]:
        return [f"{y}*" if y in self.partial else str(y) for y in self.table.index]


@dataclass(frozen=True)
class Comparison:
    funds: tuple[str, ...]
    benchmark: str | None
    mode: str
    window: Window
    series: dict[str, pd.Series]  # each ticker's closes in the window (funds, then the benchmark)
    rows: list[dict]  # metrics_rows, same order as ``series``
    growth: dict[str, pd.Series]
    drawdown: dict[str, pd.Series]
    rolling_window: str
    rolling_return: dict[str, pd.Series]
    rolling_volatility: dict[str, pd.Series]
    years: YearReturns
    correlations: Correlations
    fee_amount: float
    fees: dict[str, float] = field(default_factory=dict)  # dollars charged over the window on fee_amount
    returns: str = "daily"  # the returns of the metrics rows and the correlations: daily | monthly
    rf: float = 0.0  # the annual risk-free rate of the Sharpe and Sortino ratios
    instruments: Mapping[str, Instrument] = field(default_factory=dict)  # periods a year per ticker

    @property
    def tickers(self) -> list[str]:
        return list(self.series)

    @property
    def first(self) -> pd.Timestamp:
        return min(s.index[0] for s in self.series.values())

    @property
    def last(self) -> pd.Timestamp:
        return max(s.index[-1] for s in self.series.values())

    def describe_window(self) -> str:
        """ "common window 2021-06-14 – 2026-08-03, limited by DFAT" (the command line's words)."""
        funds = [r for r in self.rows if r["ticker"] in self.funds]
        return self.window.describe(funds[0]["start"], funds[0]["end"])


def rolling_series(
    series: Mapping[str, pd.Series], window: str, instruments: Mapping[str, Instrument] | None = None
) -> tuple[dict, dict]:
    """Rolling return and rolling volatility of each series (empty ones dropped); each volatility
    annualised with its own calendar's periods a year (√365 for crypto, ``instruments``)."""
    ret, vol = {}, {}
    periods = {n: i.periods_per_year for n, i in (instruments or {}).items() if i is not None}
    for name, (r, v) in rolling_figures_of(series, window, periods).items():
        if len(r):
            ret[name] = r
        if len(v):
            vol[name] = v
    return ret, vol


def year_returns(series: Mapping[str, pd.Series]) -> YearReturns:
    per = {name: calendar_year_returns(prices) for name, prices in series.items()}
    years = sorted({int(y) for f in per.values() for y in f.index})
    table = pd.DataFrame(
        {name: f["return"].astype(float).reindex(years) for name, f in per.items()}, index=pd.Index(years, name="year")
    )
    partial = frozenset(int(y) for f in per.values() for y in f.index[f["partial"].astype(bool)])
    return YearReturns(table, partial)


def fees_over_window(
    series: Mapping[str, pd.Series], expense_ratios: Mapping[str, float | None], amount: float
) -> dict[str, float]:
    out = {}
    for name, prices in series.items():
        ratio = expense_ratios.get(name)
        out[name] = float("nan") if ratio is None else fees_paid(prices, ratio, amount)
    return out


def comparison_correlations(
    closes: pd.DataFrame, series: Mapping[str, pd.Series], window: Window, mode: str, returns: str = "daily"
) -> Correlations:
    """The heat map's matrix: each pair on the returns all share (every mode but "full": each pair on its own)."""
    if returns == "monthly":
        return monthly_correlation_matrix(closes, list(series), window.start, window.end, common=mode != "full")
    return correlation_matrix(series, common=mode != "full")


def resolve_mode_window(closes: pd.DataFrame, funds: Sequence[str], mode: str, start=None, end=None) -> Window:
    if mode not in MODES:
        raise ValueError(f"window mode {mode!r}: choose one of {', '.join(MODES)}")
    if mode == "range":
        return resolve_window(closes, list(funds), start, end, common=True)
    return resolve_window(closes, list(funds), None, None, common=mode == "common")


def build_comparison(
    closes: pd.DataFrame,
    funds: Sequence[str],
    benchmark: str | None = None,
    mode: str = "common",
    start=None,
    end=None,
    rolling: str = "1Y",
    fee_amount: float = GROWTH_BASE,
    expense_ratios: Mapping[str, float | None] | None = None,
    rf: float = 0.0,
    returns: str = "daily",
    instruments: Mapping[str, Instrument] | None = None,
) -> Comparison:
    """Metrics rows and chart series for ``funds`` (and the benchmark) over the mode's window.
    ``instruments``: what each ticker is (its periods a year and calendar, as ``metrics``).

    Raises ``comparison.WindowError`` when the funds share no sessions in the window.
    """
    funds = list(dict.fromkeys(funds))
    if not funds:
        raise ValueError("no funds to compare")
    names = funds + ([benchmark] if benchmark and benchmark not in funds else [])
    window = resolve_mode_window(closes, funds, mode, start, end)
    rows = metrics_rows(closes, names, benchmark, window, rf, returns, instruments)
    series = {n: window_prices(closes[n], window.start, window.end) for n in names}
    growth = {n: s / s.iloc[0] * GROWTH_BASE for n, s in series.items()}
    drawdown = {n: drawdown_series(s) for n, s in series.items()}
    roll_ret, roll_vol = rolling_series(series, rolling, instruments)
    return Comparison(
        funds=tuple(funds),
        benchmark=benchmark,
        mode=mode,
        window=window,
        series=series,
        rows=rows,
        growth=growth,
        drawdown=drawdown,
        rolling_window=rolling,
        rolling_return=roll_ret,
        rolling_volatility=roll_vol,
        years=year_returns(series),
        correlations=comparison_correlations(closes, series, window, mode, returns),
        returns=returns,
        fee_amount=float(fee_amount),
        fees=fees_over_window(series, expense_ratios or {}, fee_amount),
        rf=float(rf),
        instruments=dict(instruments or {}),
    )
