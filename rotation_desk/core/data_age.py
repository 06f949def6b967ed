"""How old the newest close is, in words and in NYSE sessions (pure: ``today`` is always passed in).

The app never calls the data's date "today": it says "last close 2026-08-03 (4 months ago)", and
counts the NYSE sessions that closed after that date (today's own session is not counted: it is
not over, or its close is not published yet). More than ``STALE_SESSIONS`` of them and the window
offers a refresh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from rotation_desk.core import calendar

STALE_SESSIONS = 5  # more sessions than this behind: the prices are stale


def age_words(day: dt.date, today: dt.date) -> str:
    """ "4 months ago", "3 days ago", "1 day ago", "same day" (calendar days from ``day`` to ``today``)."""
    days = (today - day).days
    if days < 0:
        return "in the future"
    if days == 0:
        return "same day"
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''} ago"
    if days < 60:
        weeks = round(days / 7)
        return f"{weeks} weeks ago"
    if days < 730:
        months = round(days / (365.25 / 12))
        return f"{months} months ago"
    years = days / 365.25
    return f"{years:.0f} years ago" if years >= 10 else f"{years:.1f} years ago"


def sessions_after(day: dt.date, today: dt.date) -> int:
    """NYSE sessions strictly after ``day`` and before ``today`` (the closes a refresh could bring)."""
    start = pd.Timestamp(day) + pd.Timedelta(days=1)
    end = pd.Timestamp(today) - pd.Timedelta(days=1)
    if end < start:
        return 0
    start = max(start, calendar.CALENDAR_START)
    end = min(end, calendar.CALENDAR_END)
    return len(calendar.sessions_between(start, end)) if end >= start else 0


@dataclass(frozen=True)
class DataAge:
    """The newest close against the date it is read on."""

    last_close: dt.date
    today: dt.date

    @property
    def words(self) -> str:
        return age_words(self.last_close, self.today)

    @property
    def sessions_behind(self) -> int:
        return sessions_after(self.last_close, self.today)

    @property
    def stale(self) -> bool:
        return self.sessions_behind > STALE_SESSIONS

    def describe(self) -> str:
        """ "last close 2026-08-03 (4 months ago)"."""
        return f"last close {self.last_close:%Y-%m-%d} ({self.words})"
