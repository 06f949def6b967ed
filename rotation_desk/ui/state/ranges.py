"""Date-range presets (1M … Max, Custom) turned into a window, Qt-free.

A preset counts back from the last cached session with the same calendar
offsets as the period returns (docs/architecture.md): "1Y" ending 2026-08-03 starts at
2025-08-03, and its base is the last close on or before that date. "YTD"
starts at the previous year's last close; "Max" has no start.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rotation_desk.core.returns import period_start

PRESETS = ("1M", "3M", "6M", "YTD", "1Y", "3Y", "5Y", "10Y", "Max", "Custom")


@dataclass(frozen=True)
class Window:
    """A resolved range: ``start`` None means from the first close; ``end`` is inclusive."""

    start: pd.Timestamp | None
    end: pd.Timestamp
    label: str  # "5Y", "Max" or "Custom"

    def clip_start(self, first: pd.Timestamp) -> pd.Timestamp:
        """The later of this window's start and ``first`` (e.g. a common window's first date)."""
        return first if self.start is None or self.start < first else self.start


def resolve_window(preset: str, last: pd.Timestamp, custom_start=None, custom_end=None) -> Window:
    last = pd.Timestamp(last).normalize()
    if preset == "Custom":
        end = pd.Timestamp(custom_end).normalize() if custom_end is not None else last
        start = pd.Timestamp(custom_start).normalize() if custom_start is not None else None
        return Window(start, min(end, last), "Custom")
    if preset == "Max":
        return Window(None, last, "Max")
    if preset not in PRESETS:
        raise ValueError(f"unknown range preset {preset!r}")
    return Window(period_start(last, preset), last, preset)
