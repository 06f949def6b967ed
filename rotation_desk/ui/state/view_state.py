"""The selection every tab follows: the date range and the benchmark (one object, passed to each tab)."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QObject, Signal

from rotation_desk.ui.state.ranges import PRESETS, Window, resolve_window


class ViewState(QObject):
    """Range preset (or custom dates) and benchmark; ``changed`` fires once per change."""

    changed = Signal()
    currency_changed = Signal()  # ``Settings.in_usd`` ("Show in USD") was changed on a page: every tab recomputes

    def __init__(self, preset: str = "5Y", benchmark: str = "SPY", parent: QObject | None = None):
        super().__init__(parent)
        self._preset = preset if preset in PRESETS and preset != "Custom" else "5Y"
        self._custom: tuple[pd.Timestamp | None, pd.Timestamp | None] = (None, None)
        self._benchmark = benchmark.upper()

    @property
    def preset(self) -> str:
        return self._preset

    @property
    def benchmark(self) -> str:
        return self._benchmark

    @property
    def custom_range(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        return self._custom

    def set_preset(self, preset: str) -> None:
        if preset not in PRESETS or preset == "Custom":
            raise ValueError(f"unknown range preset {preset!r}")
        if preset != self._preset:
            self._preset = preset
            self.changed.emit()

    def set_custom(self, start, end) -> None:
        """A custom window; ``start`` must be before ``end`` (the dialog checks before calling)."""
        start = None if start is None else pd.Timestamp(start).normalize()
        end = None if end is None else pd.Timestamp(end).normalize()
        if start is not None and end is not None and end <= start:
            raise ValueError("the end date must be after the start date")
        if self._preset != "Custom" or self._custom != (start, end):
            self._preset = "Custom"
            self._custom = (start, end)
            self.changed.emit()

    def set_benchmark(self, ticker: str) -> None:
        ticker = ticker.strip().upper()
        if ticker and ticker != self._benchmark:
            self._benchmark = ticker
            self.changed.emit()

    def window(self, last: pd.Timestamp) -> Window:
        return resolve_window(self._preset, last, *self._custom)
