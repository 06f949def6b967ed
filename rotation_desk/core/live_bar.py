"""Is the last daily bar Yahoo sent a close, or the current, unfinished day?

While an exchange is open, Yahoo's daily chart ends with a bar for today whose
"close" is the latest trade. Such a bar must not be stored as a close. The rule,
decided in the exchange's own time zone:

- Yahoo's ``meta.currentTradingPeriod.regular`` gives the trading day it is
  in (its start, in the exchange's time zone, names the day) and the time the
  regular session ends. A bar dated that day is unfinished while ``now`` is
  before the end; a bar dated after it (never seen) is unfinished too.
- Without a trading period, a bar dated the exchange's today (or later) is
  taken as unfinished: it is fetched again, finished, by the next refresh.

Everything is passed in (``now`` included), so the rule is tested at any hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True)
class LiveBar:
    """The verdict on a last bar, with the words the refresh reports."""

    day: date
    unfinished: bool
    closes_at: datetime | None  # when the session ends (exchange time), if known
    timezone: str

    def describe(self) -> str:
        if not self.unfinished:
            return f"{self.day} is a finished session"
        when = f" (the session ends {self.closes_at:%H:%M} {self.timezone})" if self.closes_at else ""
        return f"{self.day} not stored: the session is not over yet{when}"


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def last_bar(
    bar_day: date, now: datetime, timezone: str | None, regular_start: datetime | None, regular_end: datetime | None
) -> LiveBar:
    """The verdict on a bar dated ``bar_day`` (the exchange's date) at ``now`` (aware, any zone)."""
    zone = _zone(timezone)
    name = timezone or "UTC"
    local_now = now.astimezone(zone)
    if regular_start is not None and regular_end is not None:
        period_day = regular_start.astimezone(zone).date()
        end = regular_end.astimezone(zone)
        if bar_day > period_day:
            return LiveBar(bar_day, True, None, name)
        if bar_day == period_day and local_now < end:
            return LiveBar(bar_day, True, end, name)
        return LiveBar(bar_day, False, end if bar_day == period_day else None, name)
    return LiveBar(bar_day, bar_day >= local_now.date(), None, name)
