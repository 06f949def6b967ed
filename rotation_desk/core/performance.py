"""The watchlist performance table: period returns, drawdown, distance from the 52-week high."""

from __future__ import annotations

import pandas as pd

from rotation_desk.core.metrics import max_drawdown, window_prices
from rotation_desk.core.returns import period_returns

TABLE_PERIODS = ("1D", "1W", "1M", "3M", "6M", "YTD", "1Y", "3Y", "5Y", "10Y")
ANNUALISED = ("3Y", "5Y", "10Y")  # shown annualised, labelled "ann."


def column_label(period: str) -> str:
    return f"{period} (ann.)" if period in ANNUALISED else period


def performance_table(closes: pd.DataFrame, tickers, as_of=None, dd_start=None) -> pd.DataFrame:
    """One row per ticker: period returns as fractions (3Y/5Y/10Y annualised),
    max drawdown over [dd_start, as_of] (default: the whole history) and distance
    from the highest close of the 52 weeks to ``as_of``. NaN where history is too short."""
    rows = []
    for ticker in tickers:
        series = closes[ticker].dropna()
        if as_of is not None:
            series = series.loc[: pd.Timestamp(as_of)]
        if series.empty:
            rows.append({"ticker": ticker})
            continue
        last = series.index[-1]
        periods = period_returns(series, last, TABLE_PERIODS)
        row: dict = {"ticker": ticker, "last_date": last, "last_close": float(series.iloc[-1])}
        for label in TABLE_PERIODS:
            w = periods[label]
            row[label] = None if w is None else (w.annualised if label in ANNUALISED else w.total)
        window = window_prices(series, dd_start, last)
        row["max_drawdown"] = max_drawdown(window).depth if len(window) > 1 else None
        year = series.loc[last - pd.DateOffset(weeks=52) :]
        row["from_52w_high"] = float(series.iloc[-1] / year.max() - 1.0)
        rows.append(row)
    frame = pd.DataFrame(rows).set_index("ticker")
    return frame.astype({c: "float64" for c in (*TABLE_PERIODS, "max_drawdown", "from_52w_high") if c in frame})
