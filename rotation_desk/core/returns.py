"""Returns, rebasing and window/period returns (the conventions in docs/architecture.md).

- Daily simple returns of adjusted closes (dividends reinvested).
- A window's return: last close on or before the end date over the last close
  on or before the start date, minus 1.
- Periods are calendar offsets from the last date; YTD starts at the previous
  year's last close. Periods longer than a year are also annualised.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

DAYS_PER_YEAR = 365.25
TRADING_DAYS = 252

# label -> pandas offset from the last date; "YTD" and "1D" are special.
PERIODS: dict[str, pd.DateOffset | None] = {
    "1D": None,
    "1W": pd.DateOffset(weeks=1),
    "1M": pd.DateOffset(months=1),
    "3M": pd.DateOffset(months=3),
    "6M": pd.DateOffset(months=6),
    "YTD": None,
    "1Y": pd.DateOffset(years=1),
    "3Y": pd.DateOffset(years=3),
    "5Y": pd.DateOffset(years=5),
    "10Y": pd.DateOffset(years=10),
}


def to_timestamp(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def daily_returns(prices: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Simple returns between consecutive closes of each series (gaps are skipped, not filled)."""
    if isinstance(prices, pd.DataFrame):
        return pd.DataFrame({c: daily_returns(prices[c]) for c in prices.columns})
    clean = prices.dropna()
    return clean.pct_change().iloc[1:]


def rebase(prices: pd.Series | pd.DataFrame, base: float = 100.0) -> pd.Series | pd.DataFrame:
    """Each series divided by its first valid close, times ``base``."""
    if isinstance(prices, pd.DataFrame):
        return pd.DataFrame({c: rebase(prices[c], base) for c in prices.columns}, index=prices.index)
    first = prices.dropna()
    if first.empty:
        return prices * np.nan
    return prices / first.iloc[0] * base


def close_on_or_before(prices: pd.Series, when) -> tuple[pd.Timestamp, float] | None:
    """The last close on or before ``when``, with its date; None if the series starts later."""
    values = prices.to_numpy(dtype="float64", copy=False)
    clean = prices if not np.isnan(values).any() else prices.dropna()  # most callers pass clean series
    pos = clean.index.searchsorted(to_timestamp(when), side="right") - 1
    if pos < 0:
        return None
    return clean.index[pos], float(clean.iloc[pos])


def annualise(total_return: float, days: float) -> float:
    """(1 + r)^(365.25 / calendar days) − 1."""
    if days <= 0 or not np.isfinite(total_return):
        return float("nan")
    return (1.0 + total_return) ** (DAYS_PER_YEAR / days) - 1.0


@dataclass(frozen=True)
class WindowReturn:
    start: pd.Timestamp  # date of the close the window starts from
    end: pd.Timestamp
    total: float

    @property
    def days(self) -> int:
        return int((self.end - self.start).days)

    @property
    def annualised(self) -> float:
        return annualise(self.total, self.days)


def window_return(prices: pd.Series, start, end) -> WindowReturn | None:
    """Return from the last close on/before ``start`` to the last close on/before ``end``.

    None when the series has no close on or before ``start`` (it did not exist yet)
    or none on or before ``end``.
    """
    a = close_on_or_before(prices, start)
    b = close_on_or_before(prices, end)
    if a is None or b is None or b[0] < a[0]:
        return None
    return WindowReturn(a[0], b[0], b[1] / a[1] - 1.0)


def period_start(last: pd.Timestamp, label: str, prices: pd.Series | None = None) -> pd.Timestamp:
    """The nominal start date of a period ending at ``last``."""
    last = to_timestamp(last)
    if label == "YTD":
        return pd.Timestamp(year=last.year - 1, month=12, day=31)
    if label == "1D":
        if prices is None:
            raise ValueError("1D needs the price series")
        clean = prices.dropna()
        pos = clean.index.searchsorted(last, side="left") - 1
        return clean.index[pos] if pos >= 0 else last - pd.Timedelta(days=1)
    offset = PERIODS[label]
    return last - offset


def period_returns(prices: pd.Series, last=None, labels=None) -> dict[str, WindowReturn | None]:
    """Returns for the standard periods ending at ``last`` (default: the last close).

    A period the series does not fully cover is None, never a shorter window.
    """
    clean = prices.dropna()
    if clean.empty:
        return {label: None for label in (labels or PERIODS)}
    last = clean.index[-1] if last is None else to_timestamp(last)
    out: dict[str, WindowReturn | None] = {}
    for label in labels or PERIODS:
        start = period_start(last, label, clean)
        if start < clean.index[0]:
            out[label] = None
            continue
        out[label] = window_return(clean, start, last)
    return out


def calendar_year_returns(prices: pd.Series) -> pd.DataFrame:
    """One row per calendar year: return from the previous year's last close.

    The first year (from the first close) and the current, unfinished year are
    flagged ``partial``.
    """
    clean = prices.dropna()
    if len(clean) < 2:
        return pd.DataFrame(columns=["return", "partial"])
    values = clean.to_numpy()
    years = clean.index.year.to_numpy()
    last_of_year = np.flatnonzero(np.r_[years[1:] != years[:-1], True])
    ends = values[last_of_year]
    starts = np.r_[values[0], ends[:-1]]
    year_list = years[last_of_year]
    partial = np.zeros(len(year_list), dtype=bool)
    partial[0] = clean.index[0] > pd.Timestamp(year=int(year_list[0]), month=1, day=7)
    last_date = clean.index[-1]
    if last_date < pd.Timestamp(year=last_date.year, month=12, day=24):
        partial[-1] = True
    frame = pd.DataFrame({"return": ends / starts - 1.0, "partial": partial}, index=pd.Index(year_list, name="year"))
    return frame
