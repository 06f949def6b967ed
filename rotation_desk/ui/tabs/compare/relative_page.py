"""The ETF Comparison's "Rolling vs benchmark" chart: each fund's rolling correlation or beta to the
benchmark over a trailing 3M, 6M, 1Y or 3Y window (``analysis.relative_job``,
``core.comparison_tables.rolling_relative``: the 1Y value on a date is the metrics' correlation and
beta over the year to that date). The figure is chosen on the chart (redrawn only); the window reruns
the job. A ``ChartPanel``, so it exports to PNG, SVG and the clipboard as every chart does."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from rotation_desk.core.rolling import ROLLING_WINDOWS
from rotation_desk.ui.charts.axes import number_style
from rotation_desk.ui.charts.panel import ChartPanel
from rotation_desk.ui.kit.theme import Theme
from rotation_desk.ui.kit.widgets import fit_combo
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.tabs.compare import analysis


class RelativeChart(ChartPanel):
    span_changed = Signal(str)  # the trailing window: the job reruns

    def __init__(self, theme: Theme, settings: Settings, parent: QWidget | None = None):
        super().__init__("compare.relative", number_style(2, 0.0), theme=theme, settings=settings, parent=parent)
        prefs = settings.compare
        self.result: analysis.RelativeView | None = None
        self.figure_box = QComboBox()
        for key, text in analysis.RELATIVE_FIGURES:
            self.figure_box.addItem(text, key)
        self.figure_box.setCurrentIndex(max(self.figure_box.findData(prefs.relative_figure), 0))
        self.figure_box.setToolTip("Correlation: how closely the daily returns move together; beta: how far")
        self.figure_box.currentIndexChanged.connect(self._figure_chosen)
        self.span_box = QComboBox()
        for key in ROLLING_WINDOWS:
            self.span_box.addItem(key, key)
        self.span_box.setCurrentText(prefs.relative_window)
        self.span_box.setToolTip("Length of the trailing window behind each point")
        self.span_box.currentIndexChanged.connect(self._span_chosen)
        fit_combo(self.figure_box)
        fit_combo(self.span_box)
        for i, w in enumerate((QLabel("Show"), self.figure_box, QLabel("Trailing window"), self.span_box)):
            self.toolbar.insertWidget(i, w)

    def figure(self) -> str:
        return self.figure_box.currentData()

    def span(self) -> str:
        return self.span_box.currentData()

    def show_view(self, view: analysis.RelativeView, source: str) -> None:
        self.result = view
        self.set_source(source)
        self._draw()

    def _draw(self) -> None:
        view = self.result
        series = analysis.relative_series(view, self.figure())
        if not series:
            self.show_message(
                f"The window is shorter than the {view.span} trailing window: choose a shorter one or a longer range."
            )
            return
        self.set_series(series)
        self.set_title(*analysis.relative_texts(view, self.figure()))

    def _figure_chosen(self, _index: int) -> None:
        self.settings.compare.relative_figure = self.figure()
        if self.result is not None:
            self._draw()

    def _span_chosen(self, _index: int) -> None:
        self.settings.compare.relative_window = self.span()
        self.span_changed.emit(self.span())

    def show_problem(self, text: str) -> None:
        self.result = None
        self.show_message(text)
