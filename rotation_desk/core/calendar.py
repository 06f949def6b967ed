"""NYSE trading calendar helpers (exchange_calendars, XNYS).

Conventions:
- A *session* is an NYSE trading day, as a tz-naive midnight ``pd.Timestamp``.
- The calendar is built once (cached) over ``CALENDAR_START``..``CALENDAR_END``
  so historical backtests (from 1993) and long forward plans both work;
  exchange_calendars' own default ends about a year after today, which would
  leave future holidays unknown. Dates outside the range raise ``BadInput``.
- "Roll forward": a date that is not a session (weekend, holiday) moves to the
  next session on or after it.
"""

from __future__ import annotations

import datetime as dt
import warnings
from functools import lru_cache

import numpy as np
import pandas as pd

from rotation_desk.errors import BadInput

CALENDAR_NAME = "XNYS"
CALENDAR_START = pd.Timestamp("1990-01-01")
CALENDAR_END = pd.Timestamp("2075-12-31")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")

DateLike = str | dt.date | dt.datetime | pd.Timestamp | np.datetime64


@lru_cache(maxsize=1)
def xnys():
    """The cached XNYS ``ExchangeCalendar`` over the supported range (slow to build: once)."""
    import exchange_calendars as xcals  # imported lazily: it takes ~0.4 s

    with warnings.catch_warnings():
        # exchange_calendars 4.13 uses Series.values on tz-aware data, deprecated in pandas 3.1
        warnings.filterwarnings("ignore", message="Series.values returning an ndarray")
        return xcals.get_calendar(CALENDAR_NAME, start=CALENDAR_START, end=CALENDAR_END)


@lru_cache(maxsize=1)
def _session_days() -> np.ndarray:
    """All sessions as sorted ``datetime64[D]`` (for fast searchsorted)."""
    return xnys().sessions.values.astype("datetime64[D]")


def as_day(value: DateLike) -> pd.Timestamp:
    """A tz-naive midnight Timestamp for any date-like value."""
    ts = pd.Timestamp(value)
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts.normalize().as_unit("ns")


def _check_range(day: pd.Timestamp) -> None:
    if day < CALENDAR_START or day > CALENDAR_END:
        raise BadInput(
            f"{day:%Y-%m-%d} is outside the trading calendar ({CALENDAR_START:%Y-%m-%d} to {CALENDAR_END:%Y-%m-%d})"
        )


def _to_ts(day: np.datetime64) -> pd.Timestamp:
    return pd.Timestamp(day).as_unit("ns")


def is_session(value: DateLike) -> bool:
    """True when NYSE trades on that date."""
    day = as_day(value)
    _check_range(day)
    days = _session_days()
    d = np.datetime64(day.date(), "D")
    i = int(np.searchsorted(days, d))
    return i < len(days) and days[i] == d


def next_session(value: DateLike) -> pd.Timestamp:
    """The session on or after ``value`` (weekends and holidays roll forward)."""
    day = as_day(value)
    _check_range(day)
    days = _session_days()
    i = int(np.searchsorted(days, np.datetime64(day.date(), "D"), side="left"))
    if i >= len(days):
        raise BadInput(f"no NYSE session on or after {day:%Y-%m-%d} within the trading calendar")
    return _to_ts(days[i])


def roll_days(days: np.ndarray, previous: bool = False) -> np.ndarray:
    """``next_session`` (or ``previous_session``) of every date in ``days`` (``datetime64[D]``) at once;
    ``NaT`` where the calendar has no such session or the date is outside it."""
    days = np.asarray(days, dtype="datetime64[D]")
    sessions = _session_days()
    lo, hi = np.datetime64(CALENDAR_START.date(), "D"), np.datetime64(CALENDAR_END.date(), "D")
    if previous:
        i = np.searchsorted(sessions, days, side="right") - 1
        ok = i >= 0
    else:
        i = np.searchsorted(sessions, days, side="left")
        ok = i < len(sessions)
    out = np.full(days.shape, np.datetime64("NaT", "D"))
    ok &= (days >= lo) & (days <= hi)
    out[ok] = sessions[i[ok]]
    return out


def previous_session(value: DateLike) -> pd.Timestamp:
    """The session on or before ``value``."""
    day = as_day(value)
    _check_range(day)
    days = _session_days()
    i = int(np.searchsorted(days, np.datetime64(day.date(), "D"), side="right")) - 1
    if i < 0:
        raise BadInput(f"no NYSE session on or before {day:%Y-%m-%d} within the trading calendar")
    return _to_ts(days[i])


def sessions_between(start: DateLike, end: DateLike) -> pd.DatetimeIndex:
    """All sessions with start <= session <= end (both inclusive)."""
    a, b = as_day(start), as_day(end)
    _check_range(a)
    _check_range(b)
    days = _session_days()
    lo = int(np.searchsorted(days, np.datetime64(a.date(), "D"), side="left"))
    hi = int(np.searchsorted(days, np.datetime64(b.date(), "D"), side="right"))
    return pd.DatetimeIndex(days[lo:hi].astype("datetime64[ns]"))


def _month_bounds(year: int, month: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    first = pd.Timestamp(year=year, month=month, day=1)
    return first, first + pd.offsets.MonthEnd(0)


def first_session_of_month(year: int, month: int) -> pd.Timestamp:
    """The first session of the calendar month."""
    return next_session(_month_bounds(year, month)[0])


def last_session_of_month(year: int, month: int) -> pd.Timestamp:
    """The last session of the calendar month."""
    return previous_session(_month_bounds(year, month)[1])


def quarter_first_month(month: int) -> int:
    """1, 4, 7 or 10: the first month of the calendar quarter holding ``month``."""
    return 3 * ((month - 1) // 3) + 1


def first_session_of_quarter(year: int, quarter: int) -> pd.Timestamp:
    """The first session of calendar quarter 1..4."""
    return first_session_of_month(year, 3 * (quarter - 1) + 1)


def last_session_of_quarter(year: int, quarter: int) -> pd.Timestamp:
    """The last session of calendar quarter 1..4."""
    return last_session_of_month(year, 3 * quarter)


def day_of_month_session(year: int, month: int, day: int, previous: bool = False) -> pd.Timestamp:
    """Day ``day`` of the month, clipped to the month's last calendar day, rolled to the next session
    (or, with ``previous``, to the previous one).

    ``day:31`` in February is 28/29 February (then the next session, which may
    fall in March); the roll happens after the clip.
    """
    last = _month_bounds(year, month)[1].day
    roll = previous_session if previous else next_session
    return roll(pd.Timestamp(year=year, month=month, day=min(day, last)))


def weekday_on_or_after(value: DateLike, weekday: str) -> pd.Timestamp:
    """The first calendar date on or after ``value`` that falls on ``weekday`` (mon..fri)."""
    day = as_day(value)
    target = WEEKDAYS.index(weekday)
    return day + pd.Timedelta(days=(target - day.weekday()) % 7)


def weekly_anchor(value: DateLike, weekday: str) -> pd.Timestamp:
    """The weekday of the week holding ``value`` (weeks start Monday), or the next session if it is a holiday."""
    day = as_day(value)
    monday = day - pd.Timedelta(days=day.weekday())
    return next_session(monday + pd.Timedelta(days=WEEKDAYS.index(weekday)))
