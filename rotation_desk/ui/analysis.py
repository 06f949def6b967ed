"""Small pure computations the first tab versions share (Qt-free; candidates for ``core``).

All follow DESIGN.md: window returns from the last close on or before the
start, period returns as calendar offsets from the as-of date, YTD from the
previous year's last close, "ann." for periods longer than a year.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from rotation_desk.core.metrics import window_prices
from rotation_desk.core.returns import period_returns, rebase

LONG_PERIODS = ("3Y", "5Y", "10Y")  # also shown annualised


def window_series(closes: pd.DataFrame, tickers: Iterable[str], start, end) -> dict[str, pd.Series]:
    """Each ticker's closes in the window (base = last close on or before ``start``); empty ones dropped."""
    out = {}
    for t in tickers:
        s = window_prices(closes[t], start, end)
        if len(s) >= 2:
            out[t] = s
    return out


def rebased(series: dict[str, pd.Series], base: float = 100.0) -> dict[str, pd.Series]:
    return {k: rebase(v, base) for k, v in series.items()}


def period_columns(labels: Sequence[str]) -> list[str]:
    """Column keys for a period table: "1Y", and "3Y", "3Y ann." for the long ones."""
    cols = []
    for label in labels:
        cols.append(label)
        if label in LONG_PERIODS:
            cols.append(f"{label} ann.")
    return cols


def period_table(closes: pd.DataFrame, tickers: Sequence[str], as_of, labels: Sequence[str]) -> pd.DataFrame:
    """One row per ticker: the return over each period ending at ``as_of`` (NaN when not covered)."""
    rows = []
    for t in tickers:
        prices = closes[t].dropna().loc[: pd.Timestamp(as_of)]
        rets = period_returns(prices, last=as_of, labels=list(labels)) if len(prices) else {}
        row = {"ticker": t}
        for label in labels:
            w = rets.get(label)
            row[label] = np.nan if w is None else w.total
            if label in LONG_PERIODS:
                row[f"{label} ann."] = np.nan if w is None else w.annualised
        rows.append(row)
    return pd.DataFrame(rows, columns=["ticker"] + period_columns(labels))


def relative_line(asset: pd.Series, bench: pd.Series, start, end, base: float = 100.0) -> pd.Series:
    """Relative strength asset ÷ benchmark over the window, on the dates both have, rebased to ``base``."""
    both = pd.concat([window_prices(asset, start, end), window_prices(bench, start, end)], axis=1, join="inner").dropna()
    if len(both) < 2:
        return pd.Series(dtype=float)
    ratio = both.iloc[:, 0] / both.iloc[:, 1]
    return ratio / ratio.iloc[0] * base


def relative_period_table(
    closes: pd.DataFrame, tickers: Sequence[str], bench: str, as_of, labels: Sequence[str]
) -> pd.DataFrame:
    """Per ticker and period: (1 + ticker return) / (1 + benchmark return) − 1, i.e. the change of
    the relative-strength line over the period (NaN when either does not cover it)."""
    own = period_table(closes, tickers, as_of, labels).set_index("ticker")
    ref = period_table(closes, [bench], as_of, labels).set_index("ticker").iloc[0]
    out = pd.DataFrame(index=own.index)
    for label in labels:
        out[label] = (1.0 + own[label]) / (1.0 + ref[label]) - 1.0
    return out.reset_index()


def growth_of(series: dict[str, pd.Series], amount: float) -> dict[str, pd.Series]:
    return rebased(series, amount)
