"""The toolbar's range controls (1M … Max, Custom range…), lit and enabled by what the tab on screen shows.

The range means one thing everywhere: a preset is checked only while the tab on screen shows that
range (``Tab.range_use``). A tab that shows another window (ETF Comparison's common window, the
tilt backtest's own dates) lights none, and the controls' tooltip names the window shown; choosing
a range there switches the tab to it (``Tab.range_chosen``). A tab the range does not apply to
(the DCA Planner: the plan's own dates) gets the controls disabled, with the tooltip saying what it
uses instead. "Custom range…" opens at the window on screen.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup

from rotation_desk.ui.app.dialogs import RangeDialog
from rotation_desk.ui.state.ranges import PRESETS
from rotation_desk.ui.tabs.base import RangeUse


class RangeControls(QObject):
    """The preset actions and "Custom range…", kept honest about the current tab."""

    def __init__(self, window, current_tab: Callable[[], object]):
        super().__init__(window)
        self.window = window
        self.view_state = window.view_state
        self.market = window.market
        self.current_tab = current_tab
        self.use = RangeUse()
        self.group = QActionGroup(self)
        # ExclusiveOptional: no preset is checked while the tab shows another window
        self.group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.presets: dict[str, QAction] = {}
        for preset in PRESETS:
            if preset == "Custom":
                continue
            act = QAction(preset, window, checkable=True)
            act.triggered.connect(lambda _=False, p=preset: self.choose(p))
            self.group.addAction(act)
            self.presets[preset] = act
        self.custom = QAction("Custom range…", window, checkable=True)
        self.custom.triggered.connect(self.choose_custom)
        self.group.addAction(self.custom)
        self.view_state.changed.connect(self.sync)

    def actions(self) -> list[QAction]:
        return [*self.presets.values(), self.custom]

    def checked(self) -> str | None:
        """The preset lit in the toolbar ("Custom" for custom dates), or None."""
        act = self.group.checkedAction()
        if act is None:
            return None
        return "Custom" if act is self.custom else act.text()

    # ------------------------------------------------------------------ following the tab on screen
    def sync(self) -> None:
        """Light, enable and word the controls for the tab on screen."""
        tab = self.current_tab()
        self.use = tab.range_use() if tab is not None else RangeUse()
        preset = self.view_state.preset
        start, end = self.view_state.custom_range
        for name, act in self.presets.items():
            act.setEnabled(self.use.enabled)
            act.setChecked(self.use.follows and name == preset)
            act.setToolTip(self.use.note or _preset_tip(name))
        self.custom.setEnabled(self.use.enabled)
        self.custom.setChecked(self.use.follows and preset == "Custom")
        if preset == "Custom" and start is not None and end is not None:
            self.custom.setText(f"{start:%Y-%m-%d} – {end:%Y-%m-%d}")
        else:
            self.custom.setText("Custom range…")
        self.custom.setToolTip(self.use.note or "Choose start and end dates")

    # ------------------------------------------------------------------ choosing
    def choose(self, preset: str) -> None:
        tab = self.current_tab()
        if tab is not None:
            tab.range_chosen()
        self.view_state.set_preset(preset)
        self.sync()  # also when the preset was already the toolbar's (a click never unlights it)

    def choose_custom(self) -> None:
        firsts = [pd.Timestamp(m.first) for m in self.market.tickers() if m.first]
        last = self.market.last_session()
        if last is None or not firsts:
            self.window.status.show_message("No cached prices: a custom range needs data.", error=True)
            self.sync()
            return
        start, end = self.opening_window(min(firsts), last)
        dialog = RangeDialog(min(firsts), last, start, end, self.window)
        self.dialog = dialog
        if dialog.exec() == RangeDialog.DialogCode.Accepted:
            tab = self.current_tab()
            if tab is not None:
                tab.range_chosen()
            self.view_state.set_custom(*dialog.dates())
        self.sync()

    def opening_window(self, first: pd.Timestamp, last: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
        """Where "Custom range…" opens: the window on screen (the tab's own, or the toolbar's range)."""
        if self.use.window is not None:
            start, end = self.use.window
        else:
            window = self.view_state.window(last)
            start, end = window.start, window.end
        start = first if start is None or start < first else pd.Timestamp(start)
        end = last if end is None or end > last else pd.Timestamp(end)
        return start, end


def _preset_tip(preset: str) -> str:
    return f"Show the last {preset}" if preset not in ("YTD", "Max") else f"Range: {preset}"
