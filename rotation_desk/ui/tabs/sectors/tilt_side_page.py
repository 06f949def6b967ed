"""The tilt backtest's "Side by side" view: the editor's weights and up to two pinned portfolios against the
benchmark, with the editor's rule, bands, cost and window — growth of $10,000 or drawdown (one chart at
a time, so each keeps a readable height), and the table of the ``tilt --weights A --weights B …`` figures.

"Pin the editor's weights" keeps the current weights as the next portfolio (remembered in the settings);
"Remove" drops one. What is shown comes from ``tilt_side`` (Qt-free); the tilt page runs the job.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QMenu, QStackedWidget, QToolButton, QVBoxLayout, QWidget

from rotation_desk.core import tilt as tilt_core
from rotation_desk.core.tilt_compare import MAX_PORTFOLIOS, TiltComparison
from rotation_desk.ui.charts.axes import money_style, percent_style
from rotation_desk.ui.charts.panel import ChartPanel, SeriesStyle
from rotation_desk.ui.kit.elided import ElidedLabel
from rotation_desk.ui.kit.theme import Theme
from rotation_desk.ui.kit.widgets import control_row, fit_combo, push_button, splitter
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.tables.table import Column, DataTable
from rotation_desk.ui.tabs.sectors import tilt_side
from rotation_desk.ui.tabs.sectors.compute import same_weights

SIDE_TABLE_COLUMNS = [
    Column("name", "Line"),
    Column("weights", "Weights"),
    Column("final_value", "Value of $10k", kind="money"),
    Column("total_return", "Total", kind="percent", signed=True, colour="sign"),
    Column("cagr", "CAGR", kind="percent", signed=True, colour="sign", digits=2),
    Column("volatility", "Volatility", kind="percent", tooltip="stdev of daily returns × √252"),
    Column("sharpe", "Sharpe", kind="number"),
    Column("max_drawdown", "Max DD", kind="percent", colour="sign"),
    Column("active_return", "Active", kind="percent", signed=True, colour="sign", tooltip="value ÷ benchmark − 1"),
    Column("tracking_error", "Tracking err.", kind="percent", digits=2),
    Column("turnover", "Turnover", kind="percent", digits=0, tooltip="one-way, the first purchase excluded"),
    Column("costs", "Costs", kind="money", tooltip="paid on $10,000, the first purchase included"),
]
FIGURES = (("growth", "Growth of $10,000"), ("drawdown", "Drawdown"))


class SidePage(QWidget):
    pin_requested = Signal()  # the user asked to pin the editor's weights
    pinned_changed = Signal()  # a pinned portfolio was added or removed: rerun

    def __init__(self, theme: Theme, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.comparison: TiltComparison | None = None
        self.pin_button = push_button("Pin the editor's weights", self.pin_requested.emit)
        self.remove_button = QToolButton(text="Remove")
        self.remove_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.remove_button.setMenu(QMenu(self.remove_button))
        self.remove_button.setToolTip("Drop a pinned portfolio")
        self.figure_box = QComboBox()
        for key, text in FIGURES:
            self.figure_box.addItem(text, key)
        self.figure_box.currentIndexChanged.connect(self._figure_chosen)
        fit_combo(self.figure_box)
        self.growth = ChartPanel("sectors.tilt_side", money_style(tilt_core.INITIAL), theme=theme, settings=settings)
        self.drawdown = ChartPanel("sectors.tilt_side_drawdown", percent_style(0.0), theme=theme, settings=settings)
        self.charts = QStackedWidget()
        self.charts.addWidget(self.growth)
        self.charts.addWidget(self.drawdown)
        self.charts.setMinimumHeight(250)
        self.table = DataTable("sectors.tilt_side", theme)
        self.table.setMinimumHeight(120)
        top = QWidget()
        control_row(top, [self.pin_button, self.remove_button, 1, "Show", self.figure_box])
        self.proxy_note = ElidedLabel()  # the proxies of the comparison shown (the tilt page fills it)
        self.proxy_note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(top)
        layout.addWidget(self.proxy_note)
        layout.addWidget(splitter(Qt.Orientation.Vertical, [self.charts, self.table], [3, 1], [320, 150]), 1)
        self.apply_theme(theme)
        self.show_pinned()

    # ------------------------------------------------------------------ pinned portfolios
    def pinned(self) -> list[dict[str, float]]:
        return [dict(w) for w in self.settings.sectors.pinned]

    def pin(self, weights: dict[str, float]) -> bool:
        """Keep ``weights`` (percent) as the next portfolio; False when full or already pinned."""
        pinned = self.settings.sectors.pinned
        if len(pinned) >= MAX_PORTFOLIOS - 1 or any(same_weights(weights, w) for w in pinned):
            return False
        pinned.append(dict(weights))
        self.show_pinned()
        self.pinned_changed.emit()
        return True

    def remove(self, index: int) -> None:
        del self.settings.sectors.pinned[index]
        self.show_pinned()
        self.pinned_changed.emit()

    def show_pinned(self) -> None:
        pinned = self.settings.sectors.pinned
        menu = self.remove_button.menu()
        menu.clear()
        for i, w in enumerate(pinned):
            menu.addAction(tilt_side.pinned_label(i + 2, w), lambda i=i: self.remove(i))
        self.remove_button.setEnabled(bool(pinned))
        self.pin_button.setEnabled(len(pinned) < MAX_PORTFOLIOS - 1)
        self.pin_button.setToolTip(tilt_side.hint(len(pinned)))

    # ------------------------------------------------------------------ showing
    def figure(self) -> str:
        return self.figure_box.currentData()

    def show_comparison(self, c: TiltComparison, label: str, source: str) -> None:
        self.comparison = c
        caption = tilt_side.side_caption(c, label)
        bench = {c.benchmark: SeriesStyle(role="benchmark")}
        count = len(c.results)
        self.growth.set_series(tilt_side.side_series(c, "growth"), bench)
        self.growth.set_title(f"Growth of $10,000: {count} tilt{'s' * (count > 1)} vs {c.benchmark}", caption)
        self.drawdown.set_series(tilt_side.side_series(c, "drawdown"), bench)
        self.drawdown.set_title("Drawdown from the running peak", caption)
        for chart in (self.growth, self.drawdown):
            chart.set_source(source)
        self.table.set_frame(tilt_side.side_rows(c), SIDE_TABLE_COLUMNS, bold_rows=[len(c.results)])

    def show_problem(self, text: str) -> None:
        self.comparison = None
        message = f"Not run: {text}"
        for chart in (self.growth, self.drawdown):
            chart.show_message(message)
        self.table.set_frame(pd.DataFrame(columns=[c.key for c in SIDE_TABLE_COLUMNS]), SIDE_TABLE_COLUMNS)

    def current_chart(self) -> ChartPanel:
        return self.charts.currentWidget()

    def _figure_chosen(self, _index: int) -> None:
        self.charts.setCurrentWidget(self.growth if self.figure() == "growth" else self.drawdown)

    def apply_theme(self, theme: Theme) -> None:
        """The charts and the table follow the tab's theme; nothing of its own to restyle."""
