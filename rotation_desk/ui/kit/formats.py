"""How numbers look on screen (the number conventions in docs/architecture.md), Qt-free so tests and exports share it.

- Returns and rates: percent with one decimal and a sign, "+12.3 %".
- Money: two decimals with thousands separators, "$10,234.56".
- Plain numbers (ratios such as Sharpe): two decimals.
- Dates: YYYY-MM-DD.
Missing values (None, NaN, NaT) show as an em dash. The minus sign is the
ASCII hyphen, as in the command line's tables, so copied text pastes as numbers.
"""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd

MISSING = "—"


def is_missing(value) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and not math.isfinite(value):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def pct(value, digits: int = 1, signed: bool = True) -> str:
    if is_missing(value):
        return MISSING
    sign = "+" if signed else ""
    return f"{float(value) * 100:{sign}.{digits}f} %"


def money(value, digits: int = 2, signed: bool = False) -> str:
    if is_missing(value):
        return MISSING
    v = float(value)
    sign = "-" if v < 0 else ("+" if signed and v > 0 else "")
    return f"{sign}${abs(v):,.{digits}f}"


def number(value, digits: int = 2, signed: bool = False) -> str:
    if is_missing(value):
        return MISSING
    sign = "+" if signed else ""
    return f"{float(value):{sign},.{digits}f}"


def day(value) -> str:
    if is_missing(value):
        return MISSING
    if isinstance(value, str):
        return value[:10]
    if isinstance(value, (datetime, date, pd.Timestamp)):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    return str(value)


def date_range(start, end) -> str:
    return f"{day(start)} – {day(end)}"


def risk_free(rate: float) -> str:
    """The risk-free rate behind a Sharpe or Sortino ratio: "risk-free 0 %", "risk-free 4.00 % a year"."""
    return "risk-free 0 %" if not rate else f"risk-free {rate * 100:.2f} % a year"


def dated_close(value, today: date | None = None) -> str:
    """A close's date and its age on ``today`` (default: the window's clock): "2026-08-03 (4 months ago)"."""
    if is_missing(value):
        return MISSING
    from rotation_desk.core.data_age import age_words
    from rotation_desk.ui.kit import clock

    return f"{day(value)} ({age_words(pd.Timestamp(value).date(), today or clock.today())})"
