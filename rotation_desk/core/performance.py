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


COLUMNS = ("last_date", "last_close", *TABLE_PERIODS, "max_drawdown", "from_52w_high")
_MONTHS = np.array([PERIOD_MONTHS.get(label, 0) for label in TABLE_PERIODS])
_BY_MONTHS = np.array([label in PERIOD_MONTHS for label in TABLE_PERIODS])
_ANNUALISED = [TABLE_PERIODS.index(label) for label in ANNUALISED]
_YEAR_BACK = np.timedelta64(52 * 7, "D")


def performance_table(closes: pd.DataFrame, tickers, as_of=None, dd_start=None) -> pd.DataFrame:
    """One row per ticker: period returns as fractions (3Y/5Y/10Y annualised),
    max drawdown over [dd_start, as_of] (default: the whole history) and distance
    from the highest close of the 52 weeks to ``as_of``. NaN where history is too short.

    The same numbers as ``core.returns.period_returns`` and ``core.metrics.max_drawdown`` (tested), on
    plain arrays: the calendar starts of every period of every ticker are found in one pass (one month
    shift for the whole tickers × periods grid), then one ``searchsorted`` per ticker."""
    tickers = list(tickers)
    cut = None if as_of is None else to_timestamp(as_of).to_datetime64()
    dd_from = None if dd_start is None else to_timestamp(dd_start).to_datetime64()
    clean = [_clean_upto(closes[t], cut) for t in tickers]
    have = [i for i, (values, _) in enumerate(clean) if len(values)]
    frame_index = pd.Index(tickers, name="ticker")
    if not have:  # no ticker has a close: the rows carry no columns (as the table of empty rows did)
        return pd.DataFrame(index=frame_index, columns=pd.Index([], dtype="str"))
    last_days = np.array([clean[i][1][-1] for i in have])
    starts = _period_starts(last_days, [clean[i][1] for i in have])
    out = np.full((len(tickers), len(COLUMNS) - 1), np.nan)  # every column after last_date
    last_date = np.full(len(tickers), "NaT", dtype=last_days.dtype)
    for row, i in enumerate(have):
        values, days = clean[i]
        last_date[i] = days[-1]
        out[i] = _figures(values, days, starts[row], dd_from)
    columns = {"last_date": last_date}
    columns.update({name: out[:, k] for k, name in enumerate(COLUMNS[1:])})
    return pd.DataFrame(columns, index=frame_index)


def _clean_upto(column: pd.Series, cut) -> tuple[np.ndarray, np.ndarray]:
    """The closes and their dates without gaps, up to ``cut`` (included)."""
    values = column.to_numpy(dtype=np.float64)
    days = column.index.values
    keep = ~np.isnan(values)
    if not keep.all():
        values, days = values[keep], days[keep]
    if cut is not None:
        n = int(np.searchsorted(days, cut, side="right"))
        values, days = values[:n], days[:n]
    return values, days


def _figures(values: np.ndarray, days: np.ndarray, starts: np.ndarray, dd_from) -> np.ndarray:
    """last close, the TABLE_PERIODS returns, max drawdown and distance from the 52-week high of one ticker."""
    last_day, last = days[-1], values[-1]
    pos = np.searchsorted(days, starts, side="right") - 1
    covered = starts >= days[0]  # a series that does not cover the period: no shorter window
    totals = np.where(covered, last / values[np.maximum(pos, 0)] - 1.0, np.nan)
    for k in _ANNUALISED:
        if covered[k]:
            totals[k] = annualise(float(totals[k]), (last_day - days[pos[k]]) / _DAY)
    lo = 0 if dd_from is None else max(int(np.searchsorted(days, dd_from, side="right")) - 1, 0)
    window = values[lo:]
    drawdown = float(np.min(window / np.maximum.accumulate(window) - 1.0)) if len(window) > 1 else np.nan
    year = values[np.searchsorted(days, last_day - _YEAR_BACK, side="left") :]
    return np.concatenate(([last], totals, [drawdown, last / year.max() - 1.0]))


def _period_starts(last_days: np.ndarray, days: list[np.ndarray]) -> np.ndarray:
    """The nominal start of each TABLE_PERIODS period ending at each ticker's last day (as ``period_start``),
    tickers × periods."""
    ns = last_days.dtype
    out = np.empty((len(last_days), len(TABLE_PERIODS)), dtype=ns)
    grid = np.repeat(last_days[:, None], int(_BY_MONTHS.sum()), axis=1)
    out[:, _BY_MONTHS] = months_back(grid, _MONTHS[_BY_MONTHS]).astype(ns)
    out[:, TABLE_PERIODS.index("1W")] = last_days - 7 * _DAY
    out[:, TABLE_PERIODS.index("YTD")] = last_days.astype("datetime64[Y]").astype(ns) - _DAY  # 31 Dec before
    for row, d in enumerate(days):  # 1D: the previous close (the day before when there is none)
        out[row, 0] = d[-2] if len(d) >= 2 else last_days[row] - _DAY
    return out
