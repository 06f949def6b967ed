"""The moment the window reads its data against: the ages of closes ("4 months ago") and of refreshes.

Everything in the window that words an age asks here, so a test can pin the clock (``pin``) and read
the same words on any day.
"""

from __future__ import annotations

import datetime as dt

_pinned: dt.datetime | None = None


def now() -> dt.datetime:
    """The current moment, time-zone aware (UTC)."""
    return _pinned if _pinned is not None else dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """The local calendar date (the pinned moment's date in UTC)."""
    return _pinned.date() if _pinned is not None else dt.date.today()


def pin(when: dt.datetime | None) -> None:
    """Fix the clock at ``when`` (naive means UTC); None lets it run again."""
    global _pinned
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    _pinned = when
