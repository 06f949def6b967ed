"""Yields as what they are: levels in percent and changes in basis points (``metrics ^TNX``).

Yahoo's Treasury yield indices (core/instruments.py ``YIELDS``) quote the
yield in percent: ^TNX 4.25 means 4.25 % a year. A yield has no total return
(it is not a price; a bond's return depends on its duration as well), so its
summary over a window is:

- the level at the start (the last value on or before the start) and at the
  end, and the change in basis points (1 bp = 0.01 percentage point);
- the window's highest and lowest level with their dates, and its average;
- the change over each standard period ending at the window's end (calendar
  offsets, as core/returns.py: 1M 3M 6M YTD 1Y 3Y 5Y 10Y; None where the
  series does not reach back that far).

In JSON, levels are fractions (0.0425 for 4.25 %) like every rate the app
prints, with the change both as a fraction and in basis points (``change_bp``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from rotation_desk.core.instruments import RATE_NOTE, YIELDS
from rotation_desk.core.returns import close_on_or_before, period_start, to_timestamp

PERIODS = ("1M", "3M", "6M", "YTD", "1Y", "3Y", "5Y", "10Y")
BP_PER_PERCENT = 100.0


@dataclass(frozen=True)
class RateSummary:
    ticker: str
    name: str
    start: pd.Timestamp
    end: pd.Timestamp
    level_start: float  # percent
    level_end: float
    high: float
    high_date: pd.Timestamp
    low: float
    low_date: pd.Timestamp
    average: float
    changes_bp: dict[str, float | None] = field(default_factory=dict)

    @property
    def change_bp(self) -> float:
        return (self.level_end - self.level_start) * BP_PER_PERCENT

    def as_dict(self) -> dict:
        """JSON: levels and changes as fractions (0.0425), plus the changes in basis points."""
        return {
            "ticker": self.ticker,
            "kind": "rate",
            "name": self.name,
            "note": RATE_NOTE,
            "start": self.start,
            "end": self.end,
            "level_start": self.level_start / 100.0,
            "level_end": self.level_end / 100.0,
            "change": (self.level_end - self.level_start) / 100.0,
            "change_bp": self.change_bp,
            "high": self.high / 100.0,
            "high_date": self.high_date,
            "low": self.low / 100.0,
            "low_date": self.low_date,
            "average": self.average / 100.0,
            "changes_bp": dict(self.changes_bp),
        }


def rate_summary(ticker: str, levels: pd.Series, start=None, end=None) -> RateSummary:
    """The summary of the module doc; ValueError when the window holds fewer than two levels."""
    clean = levels.dropna()
    if clean.empty:
        raise ValueError(f"{ticker}: no levels")
    last = clean.index[-1] if end is None else to_timestamp(end)
    b = close_on_or_before(clean, last)
    first = clean.index[0] if start is None else to_timestamp(start)
    a = close_on_or_before(clean, first) or (clean.index[0], float(clean.iloc[0]))
    if b is None or b[0] <= a[0]:
        raise ValueError(f"{ticker}: fewer than two levels in the window")
    window = clean.loc[a[0] : b[0]]
    changes: dict[str, float | None] = {}
    for label in PERIODS:
        base = close_on_or_before(clean, period_start(b[0], label, clean))
        changes[label] = None if base is None else (b[1] - base[1]) * BP_PER_PERCENT
    return RateSummary(
        ticker=ticker,
        name=YIELDS.get(ticker.upper(), ticker),
        start=a[0],
        end=b[0],
        level_start=a[1],
        level_end=b[1],
        high=float(window.max()),
        high_date=window.idxmax(),
        low=float(window.min()),
        low_date=window.idxmin(),
        average=float(window.mean()),
        changes_bp=changes,
    )


def level_text(fraction: float | None) -> str:
    """A yield level as the command line and the app print it: 0.0425 -> "4.25 %" (from the fraction, as
    JSON has it, so both round the same float)."""
    return "—" if fraction is None else f"{fraction * 100:.2f} %"


def level_changes(levels: pd.Series) -> pd.Series:
    """Day-to-day changes of a yield (percentage points), the "returns" a correlation uses for a rate."""
    clean = levels.dropna()
    return clean.diff().iloc[1:]
