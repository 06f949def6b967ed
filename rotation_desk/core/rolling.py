"""Rolling return and rolling volatility over a trailing calendar window (DESIGN.md conventions).

At each session t the window starts at the last close on or before
t − offset, with the same calendar offsets as the period returns (3M, 6M, 1Y,
3Y). So the rolling 1-year return on a date equals that date's 1Y period
return. The rolling volatility is stdev(ddof=1) × √252 of the daily returns
inside the same window (the returns after the anchor close, up to t).

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


def _offset(window: str) -> pd.DateOffset:
    try:
        return ROLLING_WINDOWS[window]
    except KeyError:
        raise ValueError(f"rolling window {window!r}: choose one of {', '.join(ROLLING_WINDOWS)}") from None


def anchor_positions(index: pd.DatetimeIndex, window: str) -> np.ndarray:
    """For each session, the position of the last close on or before (session − window); −1 if none."""
    starts = index - _offset(window)
    return index.searchsorted(starts, side="right") - 1


def rolling_return(prices: pd.Series, window: str = "1Y") -> pd.Series:
    """Return over the trailing window at each session (fractions), from the first session it is defined."""
    clean = prices.dropna()
    if len(clean) < 2:
        return pd.Series(dtype=float, name=prices.name)
    pos = anchor_positions(clean.index, window)
    ok = pos >= 0
    values = clean.to_numpy(dtype=np.float64)
    out = values[ok] / values[pos[ok]] - 1.0
    return pd.Series(out, index=clean.index[ok], name=prices.name)


def rolling_volatility(prices: pd.Series, window: str = "1Y") -> pd.Series:
    """Annualised volatility of the daily returns in the trailing window at each session."""
    clean = prices.dropna()
    if len(clean) < 3:
        return pd.Series(dtype=float, name=prices.name)
    values = clean.to_numpy(dtype=np.float64)
    returns = values[1:] / values[:-1] - 1.0
    centred = returns - returns.mean()  # sums of centred values keep the variance exact enough
    s1 = np.concatenate(([0.0], np.cumsum(centred)))  # s1[k]: sum of the returns up to price k
    s2 = np.concatenate(([0.0], np.cumsum(centred * centred)))
    pos = anchor_positions(clean.index, window)
    here = np.arange(len(values))
    n = here - pos  # returns in the window (anchor excluded, session included)
    ok = (pos >= 0) & (n >= 2)
    a, i, k = pos[ok], here[ok], n[ok].astype(np.float64)
    total = s1[i] - s1[a]
    squares = s2[i] - s2[a]
    variance = np.maximum(squares - total * total / k, 0.0) / (k - 1.0)
    out = np.sqrt(variance) * math.sqrt(TRADING_DAYS)
    return pd.Series(out, index=clean.index[ok], name=prices.name)
