"""The watchlist performance table: period returns, drawdown, distance from the 52-week high."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rotation_desk.core.returns import annualise, to_timestamp
from rotation_desk.core.rolling import months_back

TABLE_PERIODS = ("1D", "1W", "1M", "3M", "6M", "YTD", "1Y", "3Y", "5Y", "10Y")
ANNUALISED = ("3Y", "5Y", "10Y")  # shown annualised, labelled "ann."


def column_label(period: str) -> str:
    return f"{period} (ann.)" if period in ANNUALISED else period


PERIOD_MONTHS = {"1M": 1, "3M": 3, "6M": 6, "1Y": 12, "3Y": 36, "5Y": 60, "10Y": 120}
_DAY = np.timedelta64(1, "D")


def performance_table(closes: pd.DataFrame, tickers, as_of=None, dd_start=None) -> pd.DataFrame:
    """One row per ticker: period returns as fractions (3Y/5Y/10Y annualised),
    max drawdown over [dd_start, as_of] (default: the whole history) and distance
    from the highest close of the 52 weeks to ``as_of``. NaN where history is too short.

    The same numbers as ``core.returns.period_returns`` and ``core.metrics.max_drawdown`` (tested), on
    plain arrays: the calendar starts of all periods are found with one ``searchsorted`` per ticker."""
    cut = None if as_of is None else to_timestamp(as_of).to_datetime64()
    dd_from = None if dd_start is None else to_timestamp(dd_start).to_datetime64()
    rows = []
    for ticker in tickers:
        column = closes[ticker]
        values = column.to_numpy(dtype=np.float64)
        days = column.index.values
        keep = ~np.isnan(values)
        if not keep.all():
            values, days = values[keep], days[keep]
        if cut is not None:
            n = int(np.searchsorted(days, cut, side="right"))
            values, days = values[:n], days[:n]
        if len(values) == 0:
            rows.append({"ticker": ticker})
            continue
        rows.append(_row(ticker, values, days, dd_from))
    frame = pd.DataFrame(rows).set_index("ticker")
    return frame.astype({c: "float64" for c in (*TABLE_PERIODS, "max_drawdown", "from_52w_high") if c in frame})


def _row(ticker: str, values: np.ndarray, days: np.ndarray, dd_from) -> dict:
    last_day = days[-1]
    last = values[-1]
    starts = _period_starts(last_day, days)
    pos = np.searchsorted(days, starts, side="right") - 1
    row: dict = {"ticker": ticker, "last_date": pd.Timestamp(last_day), "last_close": float(last)}
    for label, start, p in zip(TABLE_PERIODS, starts, pos):
        if start < days[0]:  # the series does not cover the period: no shorter window
            row[label] = None
            continue
        total = last / values[p] - 1.0
        row[label] = annualise(total, (last_day - days[p]) / _DAY) if label in ANNUALISED else float(total)
    lo = 0 if dd_from is None else max(int(np.searchsorted(days, dd_from, side="right")) - 1, 0)
    window = values[lo:]
    row["max_drawdown"] = float(np.min(window / np.maximum.accumulate(window) - 1.0)) if len(window) > 1 else None
    year = values[np.searchsorted(days, last_day - np.timedelta64(52 * 7, "D"), side="left") :]
    row["from_52w_high"] = float(last / year.max() - 1.0)
    return row


def _period_starts(last_day: np.datetime64, days: np.ndarray) -> np.ndarray:
    """The nominal start of each TABLE_PERIODS period ending at ``last_day`` (as ``period_start``)."""
    ns = "datetime64[ns]"
    out = []
    for label in TABLE_PERIODS:
        if label == "1D":
            prev = int(np.searchsorted(days, last_day, side="left")) - 1
            out.append(days[prev] if prev >= 0 else last_day - _DAY)
        elif label == "1W":
            out.append(last_day - 7 * _DAY)
        elif label == "YTD":
            year = last_day.astype("datetime64[Y]")
            out.append(year.astype(ns) - _DAY)  # the previous year's 31 December
        else:
            out.append(months_back(np.array([last_day]), PERIOD_MONTHS[label])[0].astype(ns))
    return np.array(out, dtype=ns)
