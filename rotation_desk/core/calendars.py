"""Sessions of any listing's calendar (exchange_calendars), for the data health check and staleness.

``core/calendar.py`` is the NYSE calendar the plans and month-ends use; this
module answers the same question for every calendar a listing may follow
(``Instrument.calendar``): ``XNYS``, a foreign exchange (``XLON`` ...), ``24/7``
(crypto: every day) and ``24/5`` (currency pairs: Monday to Friday, without 25
December and 1 January, when the interbank market is closed). Each calendar is
built once over ``CALENDAR_START``..``CALENDAR_END``; dates outside are not
checked (``covered``).
"""

from __future__ import annotations

import warnings
from functools import lru_cache

import numpy as np
import pandas as pd

from rotation_desk.core.calendar import CALENDAR_END, CALENDAR_NAME, CALENDAR_START, xnys
from rotation_desk.core.instruments import WEEKDAYS

FX_CLOSED = ((12, 25), (1, 1))


@lru_cache(maxsize=16)
def _calendar(name: str):
    if name == CALENDAR_NAME:
        return xnys()
    import exchange_calendars as xcals

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Series.values returning an ndarray")
        return xcals.get_calendar(name, start=CALENDAR_START, end=CALENDAR_END)


@lru_cache(maxsize=16)
def _days(name: str) -> np.ndarray:
    sessions = pd.DatetimeIndex(_calendar(name).sessions)
    if sessions.tz is not None:
        sessions = sessions.tz_localize(None)
    if name == WEEKDAYS:
        closed = np.zeros(len(sessions), dtype=bool)
        for month, day in FX_CLOSED:
            closed |= (sessions.month == month) & (sessions.day == day)
        sessions = sessions[~closed]
    return sessions.values.astype("datetime64[D]")


def known(name: str | None) -> bool:
    """True when exchange_calendars has the calendar ``name``."""
    if not name:
        return False
    try:
        _days(name)
    except Exception:  # noqa: BLE001 - an unknown name or a calendar that cannot be built: no check
        return False
    return True


def covered(start, end) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """[start, end] cut to the range the calendars are built for (None when nothing is left)."""
    a = max(pd.Timestamp(start).normalize(), CALENDAR_START)
    b = min(pd.Timestamp(end).normalize(), CALENDAR_END)
    return (a, b) if a <= b else None


def sessions(name: str, start, end) -> pd.DatetimeIndex:
    """The calendar's sessions with start <= session <= end (cut to the calendar's range)."""
    days = _days(name)
    span = covered(start, end)
    if span is None:
        return pd.DatetimeIndex([], dtype="datetime64[ns]")
    lo = int(np.searchsorted(days, np.datetime64(span[0].date(), "D"), side="left"))
    hi = int(np.searchsorted(days, np.datetime64(span[1].date(), "D"), side="right"))
    return pd.DatetimeIndex(days[lo:hi].astype("datetime64[ns]"))


def last_session_before(name: str, day) -> pd.Timestamp | None:
    """The last session strictly before ``day`` (the newest close that should be final by ``day``)."""
    days = _days(name)
    d = np.datetime64(pd.Timestamp(day).date(), "D")
    i = int(np.searchsorted(days, d, side="left")) - 1
    return None if i < 0 else pd.Timestamp(days[i]).as_unit("ns")
