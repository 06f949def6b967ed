"""The one date syntax users type and files hold: YYYY-MM-DD, ASCII digits, 1900-01-01 to 2100-12-31.

The range is what the app supports end to end: every session date fits pandas'
nanosecond timestamps (1677-2262) with room for calendar offsets (10Y periods,
plan years), and the NYSE calendar covers it. ``2020-01-02garbage``,
``20200103``, ``2020-W02-1``, times of day and non-ASCII digits are not dates here.
"""

from __future__ import annotations

import re
from datetime import date

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)
MAX_DAYS = (LAST_DAY - FIRST_DAY).days + 1  # at most one row per calendar day

_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)


def parse_day(text: str) -> date:
    """The date ``text`` names, or ValueError saying what is wrong (the message quotes ``text``)."""
    shown = _shown(text)
    match = _ISO_DAY.fullmatch(text)
    if match is None:
        raise ValueError(f"{shown} is not a date (use YYYY-MM-DD)")
    year, month, day = (int(g) for g in match.groups())
    try:
        value = date(year, month, day)
    except ValueError:
        raise ValueError(f"{shown} is not a date on the calendar (use YYYY-MM-DD)") from None
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"{shown} is outside the supported range {FIRST_DAY} to {LAST_DAY}")
    return value


def in_range(value: date) -> bool:
    return FIRST_DAY <= value <= LAST_DAY


def _shown(text: str, limit: int = 40) -> str:
    """``text`` quoted for a one-line message (escapes newlines, cut when long)."""
    if len(text) > limit:
        return repr(text[:limit]) + f"… ({len(text)} characters)"
    return repr(text)
