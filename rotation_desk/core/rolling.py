"""Rolling return and rolling volatility over a trailing calendar window (the conventions in docs/architecture.md).

At each session t the window starts at the last close on or before
t − offset, with the same calendar offsets as the period returns (3M, 6M, 1Y,
3Y). So the rolling 1-year return on a date equals that date's 1Y period
return. The rolling volatility is stdev(ddof=1) × √252 of the daily returns
inside the same window (the returns after the anchor close, up to t); a series
on another calendar annualises with its own periods a year (``periods``:
√365 for crypto, √260 for currency pairs, core/instruments.py).

A session whose window reaches back before the series' first close has no
value: a window is never shortened (as with the period returns).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from rotation_desk.core.returns import TRADING_DAYS

ROLLING_WINDOWS: dict[str, pd.DateOffset] = {
    "3M": pd.DateOffset(months=3),
    "6M": pd.DateOffset(months=6),
    "1Y": pd.DateOffset(years=1),
    "3Y": pd.DateOffset(years=3),
}

WINDOW_WORDS = {"3M": "3-month", "6M": "6-month", "1Y": "1-year", "3Y": "3-year"}


WINDOW_MONTHS = {"3M": 3, "6M": 6, "1Y": 12, "3Y": 36}  # the offsets above, in calendar months


def _offset(window: str) -> pd.DateOffset:
    try:
        return ROLLING_WINDOWS[window]
    except KeyError:
        raise ValueError(f"rolling window {window!r}: choose one of {', '.join(ROLLING_WINDOWS)}") from None


def months_back(days: np.ndarray, months) -> np.ndarray:
    """``days`` (datetime64) minus ``months`` calendar months, the day clamped to the month's end — what
    ``DatetimeIndex - pd.DateOffset(months=…)`` gives, in plain numpy (a few times faster). ``months``: a
    number, or an array broadcast against ``days`` (several offsets in one pass)."""
    d = days.astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    day = (d - month.astype("datetime64[D]")).astype(np.int64)  # 0-based day of the month
    target = month - np.asarray(months).astype("timedelta64[M]")
    length = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        np.int64
    )
    return target.astype("datetime64[D]") + np.minimum(day, length - 1).astype("timedelta64[D]")


_ANCHORS: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}


def anchor_positions(index: pd.DatetimeIndex, window: str) -> np.ndarray:
    """For each session, the position of the last close on or before (session − window); −1 if none.

    Tickers compared side by side share their sessions, so the positions are kept for the last few
    indexes seen (keyed by the index's values, checked in full before reuse)."""
    _offset(window)
    values = index.asi8 if isinstance(index, pd.DatetimeIndex) else pd.DatetimeIndex(index).asi8
    key = (window, len(values), int(values[0]) if len(values) else 0, int(values[-1]) if len(values) else 0)
    hit = _ANCHORS.get(key)
    if hit is not None and np.array_equal(hit[0], values):
        return hit[1]
    days = values.astype("datetime64[ns]")
    starts = months_back(days, WINDOW_MONTHS[window]).astype("datetime64[ns]")
    pos = np.searchsorted(days, starts, side="right") - 1
    if len(_ANCHORS) >= 16:
        # two worker threads may evict at once: the oldest key may already be gone (or the dict change)
        with contextlib.suppress(KeyError, StopIteration, RuntimeError):
            _ANCHORS.pop(next(iter(_ANCHORS)))
    _ANCHORS[key] = (values.copy(), pos)
    return pos


def _clean(prices: pd.Series) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """The closes without gaps (the NaN clean-up is skipped when there is none)."""
    values = prices.to_numpy(dtype=np.float64)
    if np.isnan(values).any():
        prices = prices.dropna()
        values = prices.to_numpy(dtype=np.float64)
    return prices.index, values


def rolling_return(prices: pd.Series, window: str = "1Y") -> pd.Series:
    """Return over the trailing window at each session (fractions), from the first session it is defined."""
    return rolling_figures(prices, window, volatility=False)[0]


def rolling_volatility(prices: pd.Series, window: str = "1Y", periods: int = TRADING_DAYS) -> pd.Series:
    """Annualised volatility (× √periods) of the daily returns in the trailing window at each session."""
    return rolling_figures(prices, window, returns=False, periods=periods)[1]


def rolling_figures(
    prices: pd.Series, window: str = "1Y", returns: bool = True, volatility: bool = True, periods: int = TRADING_DAYS
) -> tuple[pd.Series, pd.Series]:
    """(rolling return, rolling volatility) of one series, sharing the clean-up and the window anchors;
    a part not asked for comes back empty."""
    empty = pd.Series(dtype=float, name=prices.name)
    index, values = _clean(prices)
    if len(values) < 2:
        return empty, empty
    pos = anchor_positions(index, window)
    ret = vol = empty
    if returns:
        first = int(np.searchsorted(pos, 0))  # the anchors only move forward: defined from here on
        ret = pd.Series(values[first:] / values[pos[first:]] - 1.0, index=index[first:], name=prices.name)
    if volatility and len(values) >= 3:
        vol = _volatility(index, values, pos, prices.name, periods)
    return ret, vol


def _volatility(index: pd.DatetimeIndex, values: np.ndarray, pos: np.ndarray, name, periods: int) -> pd.Series:
    daily = values[1:] / values[:-1] - 1.0
    centred = daily - daily.mean()  # sums of centred values keep the variance exact enough
    s1 = np.concatenate(([0.0], np.cumsum(centred)))  # s1[k]: sum of the returns up to price k
    s2 = np.concatenate(([0.0], np.cumsum(centred * centred)))
    here = np.arange(len(values))
    n = here - pos  # returns in the window (anchor excluded, session included)
    valid = (pos >= 0) & (n >= 2)
    if not valid.any():
        return pd.Series(dtype=float, name=name)
    first = int(np.argmax(valid))
    keep = slice(first, None) if valid[first:].all() else valid  # a prefix in practice: slicing is cheaper
    a, i, k = pos[keep], here[keep], n[keep].astype(np.float64)
    total = s1[i] - s1[a]
    squares = s2[i] - s2[a]
    variance = np.maximum(squares - total * total / k, 0.0) / (k - 1.0)
    return pd.Series(np.sqrt(variance) * math.sqrt(periods), index=index[keep], name=name)


def rolling_figures_of(
    series: Mapping[str, pd.Series], window: str = "1Y", periods: Mapping[str, int] | None = None
) -> dict[str, tuple[pd.Series, pd.Series]]:
    """``rolling_figures`` of every series (``periods``: each one's periods a year, 252 when not given).

    The series that share one gap-free index (a comparison's common window) are computed together on
    one (series × sessions) array: the same anchors, and row by row the same operations in the same
    order as one series at a time, so the numbers are the same to the bit (tested)."""
    periods = periods or {}
    out: dict[str, tuple[pd.Series, pd.Series]] = {}
    groups: list[tuple[pd.DatetimeIndex, list[str], list[np.ndarray]]] = []
    for name, prices in series.items():
        values = prices.to_numpy(dtype=np.float64)
        if len(values) < 3 or np.isnan(values).any():  # the rare one on its own
            out[name] = rolling_figures(prices, window, periods=periods.get(name, TRADING_DAYS))
            continue
        out[name] = None  # type: ignore[assignment]  # keeps the order; filled below
        for index, names, rows in groups:
            if prices.index is index or prices.index.equals(index):
                names.append(name)
                rows.append(values)
                break
        else:
            groups.append((prices.index, [name], [values]))
    for index, names, rows in groups:
        scale = [math.sqrt(periods.get(n, TRADING_DAYS)) for n in names]
        labels = [series[n].name for n in names]
        for name, figures in zip(names, _figures_of_rows(index, np.vstack(rows), window, scale, labels)):
            out[name] = figures
    return out


def _figures_of_rows(index: pd.DatetimeIndex, values: np.ndarray, window: str, scale: list[float], labels) -> list:
    """(return, volatility) of each row of ``values`` (series × sessions, no gaps, at least 3 closes)."""
    pos = anchor_positions(index, window)
    first = int(np.searchsorted(pos, 0))
    returns = values[:, first:] / values[:, pos[first:]] - 1.0
    daily = values[:, 1:] / values[:, :-1] - 1.0
    centred = daily - daily.mean(axis=1, keepdims=True)
    zero = np.zeros((len(values), 1))
    s1 = np.concatenate((zero, np.cumsum(centred, axis=1)), axis=1)
    s2 = np.concatenate((zero, np.cumsum(centred * centred, axis=1)), axis=1)
    here = np.arange(values.shape[1])
    n = here - pos
    valid = (pos >= 0) & (n >= 2)
    vols = None
    if valid.any():
        start = int(np.argmax(valid))
        keep = slice(start, None) if valid[start:].all() else valid
        a, k = pos[keep], n[keep].astype(np.float64)
        i = keep if isinstance(keep, slice) else here[keep]  # a slice of the columns: no gather
        total = s1[:, i] - s1[:, a]
        squares = s2[:, i] - s2[:, a]
        variance = np.maximum(squares - total * total / k, 0.0) / (k - 1.0)
        vols, vol_index = np.sqrt(variance), index[keep]
    out = []
    ret_index = index[first:]
    for row, (label, factor) in enumerate(zip(labels, scale)):
        ret = pd.Series(returns[row], index=ret_index, name=label, copy=False)  # rows of arrays made here
        if vols is None:
            vol = pd.Series(dtype=float, name=label)
        else:
            vol = pd.Series(vols[row] * factor, index=vol_index, name=label, copy=False)
        out.append((ret, vol))
    return out
