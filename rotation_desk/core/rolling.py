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

import math

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


def months_back(days: np.ndarray, months: int) -> np.ndarray:
    """``days`` (datetime64) minus ``months`` calendar months, the day clamped to the month's end — what
    ``DatetimeIndex - pd.DateOffset(months=…)`` gives, in plain numpy (a few times faster)."""
    d = days.astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    day = (d - month.astype("datetime64[D]")).astype(np.int64)  # 0-based day of the month
    target = month - np.timedelta64(months, "M")
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
