"""The ETF Comparison tables: monthly returns grid, worst drawdowns, rolling correlation and beta to a benchmark.

Monthly returns grid (``monthly_grid``): year × month of the month-end
returns (core/monthly.py: each month from the previous month-end close), and
each year's total, compounded from its months (for a full year: December
close ÷ the previous December close − 1). A year the window covers only in
part (its first month is not January, or its last month is not December) is
listed in ``partial`` and its total is the return over the months shown.

Worst drawdowns (``worst_drawdowns``): the drawdown episodes of the daily
closes, each from a peak (a close above every earlier one) to the first
close back at that peak (the recovery), with the lowest close in between as
the trough. Episodes never overlap. Depth = trough ÷ peak − 1; days to trough
and days to recover are calendar days (peak → trough, trough → recovery; an
episode not yet recovered has no recovery and counts to the last close in
``days_underwater``). The ``n`` deepest, deepest first.

Rolling correlation and beta (``rolling_relative``): at each session t, over
the daily returns after the last close on or before t − window (3M, 6M, 1Y,
3Y calendar offsets, the same anchors as core/rolling.py) up to t, on the
sessions both series have: Pearson correlation and beta = cov ÷ var(bench)
(core/metrics.py). So the 1Y value on a date equals the metrics' correlation
and beta over the 1Y period ending that date. Sessions whose window reaches
before the first common close have no value.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotation_desk.core.monthly import month_end_closes
from rotation_desk.core.rolling import WINDOW_WORDS, anchor_positions

MONTH_LABELS = tuple(calendar.month_abbr[m] for m in range(1, 13))
DRAWDOWN_COLUMNS = (
    "peak",
    "trough",
    "recovery",
    "depth",
    "days_to_trough",
    "days_to_recover",
    "days_underwater",
    "recovered",
)


@dataclass(frozen=True)
class MonthlyGrid:
    ticker: str
    table: pd.DataFrame  # index: year; columns: Jan … Dec, Year (fractions; NaN: month outside the window)
    partial: frozenset[int]  # years covered only in part
    start: pd.Timestamp  # the base month-end close
    end: pd.Timestamp  # the last month-end close

    def year_labels(self) -> list[str]:
        return [f"{y}*" if y in self.partial else str(y) for y in self.table.index]

    def note(self) -> str:
        return "* partial year: the total covers only the months shown" if self.partial else ""


def monthly_grid(prices: pd.Series, start=None, end=None) -> MonthlyGrid:
    """The grid for one series (named by its ticker); ValueError with fewer than one complete month."""
    returns = month_end_closes(prices, start, end)
    r = returns.returns
    if r.empty:
        raise ValueError(f"{prices.name}: no complete month in the window")
    years = r.index.year.to_numpy()
    months = r.index.month.to_numpy()
    year_list = sorted(set(years.tolist()))
    grid = np.full((len(year_list), 13), np.nan)
    row = {y: i for i, y in enumerate(year_list)}
    for y, m, v in zip(years, months, r.to_numpy()):
        grid[row[y], m - 1] = v
    for y, i in row.items():
        chosen = r.to_numpy()[years == y]
        grid[i, 12] = float(np.prod(1.0 + chosen) - 1.0)
    partial = {y for y in year_list if np.isnan(grid[row[y], :12]).any()}
    table = pd.DataFrame(grid, index=pd.Index(year_list, name="year"), columns=[*MONTH_LABELS, "Year"])
    return MonthlyGrid(str(prices.name), table, frozenset(partial), returns.closes.index[0], returns.closes.index[-1])


def drawdown_episodes(prices: pd.Series) -> pd.DataFrame:
    """Every drawdown episode of the closes, in time order (columns: DRAWDOWN_COLUMNS)."""
    clean = prices.dropna()
    values = clean.to_numpy(dtype=np.float64)
    dates = clean.index
    if len(values) < 2:
        return pd.DataFrame(columns=list(DRAWDOWN_COLUMNS))
    peaks = np.maximum.accumulate(values)
    under = values < peaks
    rows = []
    i, n = 1, len(values)
    while i < n:
        if not under[i]:
            i += 1
            continue
        start = i  # first close below the peak
        stop = start
        while stop < n and under[stop]:
            stop += 1
        peak = start - 1  # the peak: the close before the first close below it
        trough = start + int(np.argmin(values[start:stop]))
        recovered = stop < n
        end_day = dates[stop] if recovered else dates[-1]
        rows.append(
            {
                "peak": dates[peak],
                "trough": dates[trough],
                "recovery": dates[stop] if recovered else pd.NaT,
                "depth": float(values[trough] / values[peak] - 1.0),
                "days_to_trough": int((dates[trough] - dates[peak]).days),
                "days_to_recover": int((dates[stop] - dates[trough]).days) if recovered else None,
                "days_underwater": int((end_day - dates[peak]).days),
                "recovered": recovered,
            }
        )
        i = stop + 1
    frame = pd.DataFrame(rows, columns=list(DRAWDOWN_COLUMNS))
    frame["days_to_recover"] = frame["days_to_recover"].astype("Int64")
    return frame


def worst_drawdowns(prices: pd.Series, n: int = 5) -> pd.DataFrame:
    """The ``n`` deepest episodes, deepest first, numbered from 1 (index ``rank``)."""
    episodes = drawdown_episodes(prices)
    top = episodes.sort_values("depth", kind="stable").head(n).reset_index(drop=True)
    top.index = pd.RangeIndex(1, len(top) + 1, name="rank")
    top.attrs["ticker"] = str(prices.name)
    return top


def rolling_relative(prices: pd.Series, bench: pd.Series, window: str = "1Y") -> pd.DataFrame:
    """Rolling correlation and beta of ``prices``' daily returns to ``bench``'s (columns correlation, beta)."""
    both = pd.concat([prices, bench], axis=1, join="inner").dropna()
    out = pd.DataFrame(columns=["correlation", "beta"], dtype=float)
    if len(both) < 3:
        return out
    values = both.to_numpy(dtype=np.float64)
    r = values[1:] / values[:-1] - 1.0
    x = r[:, 0] - r[:, 0].mean()  # centred on the full sample: the windows' sums keep their precision
    y = r[:, 1] - r[:, 1].mean()

    def cumulative(v):
        return np.concatenate(([0.0], np.cumsum(v)))

    sx, sy, sxx, syy, sxy = (cumulative(v) for v in (x, y, x * x, y * y, x * y))
    pos = anchor_positions(both.index, window)
    here = np.arange(len(both))
    k = here - pos
    ok = (pos >= 0) & (k >= 2)
    a, i, k = pos[ok], here[ok], k[ok].astype(np.float64)
    mx, my = (sx[i] - sx[a]) / k, (sy[i] - sy[a]) / k
    cov = (sxy[i] - sxy[a]) - k * mx * my
    var_x = np.maximum((sxx[i] - sxx[a]) - k * mx * mx, 0.0)
    var_y = np.maximum((syy[i] - syy[a]) - k * my * my, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        beta = np.where(var_y > 0, cov / var_y, np.nan)
        corr = np.where((var_x > 0) & (var_y > 0), cov / np.sqrt(var_x * var_y), np.nan)
    out = pd.DataFrame({"correlation": np.clip(corr, -1.0, 1.0), "beta": beta}, index=both.index[ok])
    out.attrs.update(window=window, words=WINDOW_WORDS.get(window, window), benchmark=str(bench.name))
    return out
