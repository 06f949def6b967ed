"""Month-end closes and monthly returns (the convention of the month-end statistics and the factor model).

- A month's close is the fund's last close on or before the month's last NYSE
  session (core/calendar.py), so a month that ends on a holiday or a weekend
  uses its last trading day, and a month the data does not reach to its last
  session is not complete and is left out.
- The months of a window [start, end] are the months whose last session lies
  inside the window. The first of them needs the previous month-end close as
  its base (which may lie before ``start``); a fund without a close by then
  loses that month (``MonthEnds.dropped_first`` says so).
- Monthly return = month-end close ÷ previous month-end close − 1, indexed by
  the month-end session.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from rotation_desk.core.calendar import CALENDAR_END, CALENDAR_START, sessions_between
from rotation_desk.core.returns import to_timestamp

MONTHS_PER_YEAR = 12


@lru_cache(maxsize=1)
def _month_end_sessions() -> pd.DatetimeIndex:
    sessions = sessions_between(CALENDAR_START, CALENDAR_END)
    months = sessions.year * 12 + sessions.month
    last = np.r_[months[1:] != months[:-1], True]
    return sessions[last]


def month_end_sessions(first, last) -> pd.DatetimeIndex:
    """The last NYSE session of each month, for the month-ends between ``first`` and ``last`` (inclusive)."""
    ends = _month_end_sessions()
    lo = ends.searchsorted(to_timestamp(first), side="left")
    hi = ends.searchsorted(to_timestamp(last), side="right")
    return ends[lo:hi]


@dataclass(frozen=True)
class MonthEnds:
    """Month-end closes of one series in a window: ``closes[0]`` is the base of the first month."""

    closes: pd.Series  # index: month-end sessions (base first), values: the close on or before each
    dropped_first: bool  # the window's first month had no previous month-end close (the fund started later)

    @property
    def returns(self) -> pd.Series:
        values = self.closes.to_numpy(dtype=np.float64)
        return pd.Series(values[1:] / values[:-1] - 1.0, index=self.closes.index[1:], name=self.closes.name)

    @property
    def months(self) -> pd.PeriodIndex:
        """The months of the returns (one per return)."""
        return self.closes.index[1:].to_period("M")


def month_end_closes(prices: pd.Series, start=None, end=None) -> MonthEnds:
    """The month-end closes for the months whose last session is inside [start, end] (see the module doc).

    With no ``start`` the first base is the first month-end on or after the
    series' first close. Fewer than two closes → an empty ``MonthEnds``.
    """
    clean = prices.dropna()
    name = prices.name
    empty = MonthEnds(pd.Series(dtype=float, name=name), False)
    if clean.empty:
        return empty
    first, last = clean.index[0], clean.index[-1]
    if end is not None:
        last = min(last, to_timestamp(end))
    ends = month_end_sessions(first, last)  # month-ends with a close on or before them, within the data
    dropped = False
    if start is not None:
        inside = int(ends.searchsorted(to_timestamp(start), side="left"))  # first month-end inside the window
        # inside == 0: the month before the first one has no close yet, so the first month has no base
        dropped = inside == 0 and len(ends) > 0
        ends = ends[max(inside - 1, 0) :]
    if len(ends) < 2:
        return MonthEnds(empty.closes, dropped)
    pos = clean.index.searchsorted(ends, side="right") - 1
    values = clean.to_numpy(dtype=np.float64)[pos]
    return MonthEnds(pd.Series(values, index=ends, name=name), dropped)


def monthly_returns(prices: pd.Series, start=None, end=None) -> pd.Series:
    """Month-end to month-end returns of the months inside [start, end], indexed by month-end session."""
    return month_end_closes(prices, start, end).returns
