"""The ETF Comparison's charts: growth of $10,000, drawdown, rolling return and volatility (with the
trailing-window box), calendar-year returns and the correlation heat map, one sub-tab each.

A comparison is shown by drawing the chart in front now and each other chart when it is first
looked at (``WhenShown``); exports draw a hidden chart at once (``flush``).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QTabWidget, QWidget

from rotation_desk.core.comparison_charts import GROWTH_BASE, Comparison
from rotation_desk.core.rolling import ROLLING_WINDOWS, WINDOW_WORDS
from rotation_desk.ui.charts.axes import money_style, percent_style
from rotation_desk.ui.charts.heatmap import CorrelationHeatmap, category_style, prepare_panel, show_matrix
from rotation_desk.ui.charts.panel import ChartPanel, SeriesStyle
from rotation_desk.ui.kit.jobs import WhenShown
from rotation_desk.ui.kit.theme import Theme
from rotation_desk.ui.state.settings import Settings

SPAN_WORDS = {"3M": "3 months", "6M": "6 months", "1Y": "1 year", "3Y": "3 years"}


class ComparisonCharts(QTabWidget):
    """The six charts of one comparison (see the module docstring)."""

    rolling_chosen = Signal(str)  # a trailing window from either rolling chart's box

    def __init__(
        self, theme: Theme, settings: Settings, when_shown: WhenShown, rolling: str, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.theme = theme
        self.settings = settings
        self.when_shown = when_shown
        self.rolling = rolling
        self._rolling_data: tuple[dict, dict] = ({}, {})
        self._data: Comparison | None = None
        self._subtitle = ""
        self.growth = self._panel("compare.growth", money_style(GROWTH_BASE))
        self.drawdown = self._panel("compare.drawdown", percent_style(0.0))
        self.rolling_return = self._panel("compare.rolling_return", percent_style(0.0))
        self.rolling_volatility = self._panel("compare.rolling_volatility", percent_style(None, signed=False))
        self.years = self._panel("compare.years", percent_style(0.0), "category")
        self.correlation = self._panel("compare.correlation", category_style(), "category")
        self.heatmap = CorrelationHeatmap(self.theme)
        prepare_panel(self.correlation)
        self.correlation.add_item(self.heatmap)

        self.rolling_boxes: list[QComboBox] = []
        for panel in (self.rolling_return, self.rolling_volatility):
            box = QComboBox()
            for key in ROLLING_WINDOWS:
                box.addItem(key, key)
            box.setCurrentText(rolling)
            box.setToolTip("Length of the trailing window behind each point")
            box.currentIndexChanged.connect(lambda _i, b=box: self.rolling_chosen.emit(b.currentData()))
            panel.toolbar.insertWidget(0, QLabel("Trailing window"))
            panel.toolbar.insertWidget(1, box)
            self.rolling_boxes.append(box)

        self.setDocumentMode(True)
        for panel, text in (
            (self.growth, "Growth of $10,000"),
            (self.drawdown, "Drawdown"),
            (self.rolling_return, "Rolling return"),
            (self.rolling_volatility, "Rolling volatility"),
            (self.years, "Calendar years"),
            (self.correlation, "Correlation"),
        ):
            self.addTab(panel, text)
        self.currentChanged.connect(lambda i: self.when_shown.flush(self.widget(i)))
        self.currentChanged.connect(lambda _i: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:
        """The chart on screen's minimum and the tab bar (a hidden chart needs no room until shown)."""
        current = self.currentWidget()
        if current is None:
            return super().minimumSizeHint()
        chart = current.minimumSizeHint()
        return QSize(super().minimumSizeHint().width(), chart.height() + self.tabBar().sizeHint().height())

    def _panel(self, chart_id: str, style, x_kind: str = "date") -> ChartPanel:
        return ChartPanel(chart_id, style, x_kind=x_kind, theme=self.theme, settings=self.settings)

    def panels(self) -> list[ChartPanel]:
        return [self.widget(i) for i in range(self.count())]

    # ------------------------------------------------------------------ showing a comparison
    def show_comparison(self, data: Comparison, subtitle: str, source: str) -> None:
        """The chart in front now (also when the tab is hidden), the others when first looked at."""
        self._data, self._subtitle = data, subtitle
        for panel in self.panels():
            panel.set_source(source)
        self._rolling_data = (data.rolling_return, data.rolling_volatility)
        draws = {
            self.growth: lambda: self._show_lines(
                self.growth,
                data.growth,
                "Growth of $10,000",
                f"{subtitle} · after fund fees (adjusted closes, dividends reinvested)",
            ),
            self.drawdown: lambda: self._show_lines(
                self.drawdown, data.drawdown, "Drawdown from the running peak", subtitle
            ),
            self.rolling_return: lambda: self._show_rolling(self.rolling_return),
            self.rolling_volatility: lambda: self._show_rolling(self.rolling_volatility),
            self.years: lambda: self._show_years(data, subtitle),
            self.correlation: lambda: self._show_correlation(data, subtitle),
        }
        for panel, draw in draws.items():
            self.when_shown.put(panel, draw)
        self.when_shown.flush(self.currentWidget())

    def set_rolling(self, window: str, rolling_data: tuple[dict, dict] | None) -> None:
        """Another trailing window: the boxes show it; with new series, both rolling charts are redrawn
        (the one in front now)."""
        self.rolling = window
        for box in self.rolling_boxes:
            box.blockSignals(True)
            box.setCurrentText(window)
            box.blockSignals(False)
        if rolling_data is not None:
            self._rolling_data = rolling_data
            for panel in (self.rolling_return, self.rolling_volatility):
                self.when_shown.put(panel, lambda p=panel: self._show_rolling(p))
            self.when_shown.flush(self.currentWidget())

    def _styles(self, data: Comparison) -> dict[str, SeriesStyle]:
        return {data.benchmark: SeriesStyle(role="benchmark")} if data.benchmark else {}

    def _show_lines(self, panel: ChartPanel, series: dict, title: str, subtitle: str) -> None:
        panel.set_series(series, self._styles(self._data))
        panel.set_title(title, subtitle)

    def _show_rolling(self, panel: ChartPanel) -> None:
        words = WINDOW_WORDS[self.rolling]
        span = SPAN_WORDS[self.rolling]
        ret, vol = self._rolling_data
        series, what = (ret, "return") if panel is self.rolling_return else (vol, "volatility")
        if not series:
            panel.show_message(
                f"The window is shorter than {span}: choose a shorter trailing window or a longer range."
            )
            return
        panel.set_series(series, self._styles(self._data))
        panel.set_title(
            f"Rolling {words} {what}",
            f"each point: the {what} over the {span} up to that day, so lines start {span} into the window"
            f" · {self._subtitle}",
        )

    def _show_years(self, data: Comparison, subtitle: str) -> None:
        table = data.years.table
        bars = {t: table[t].to_numpy(dtype=float) for t in table.columns}
        self.years.set_bars(data.years.labels(), bars, self._styles(data))
        note = " · * partial year (from the window start, or the year to date)" if data.years.partial else ""
        self.years.set_title("Calendar-year returns", subtitle + note)

    def _show_correlation(self, data: Comparison, subtitle: str) -> None:
        corr = data.correlations
        labels = corr.tickers
        per = "monthly" if data.returns == "monthly" else "daily"
        self.heatmap.unit = f"{per} returns"
        self.heatmap.set_matrix(labels, corr.matrix.to_numpy(), corr.days.to_numpy())
        show_matrix(self.correlation, self.heatmap, labels)
        if corr.common:
            days = int(corr.days.to_numpy().max()) if len(labels) else 0
            basis = f"on the {days:,} {per} returns all share"
        else:
            basis = "each pair on the " + ("months" if per == "monthly" else "days") + " both have"
        words = "month-end returns (the table's Returns choice)" if per == "monthly" else "daily returns"
        self.correlation.set_title(
            f"Correlation of {words}",
            f"{subtitle} · Pearson, {basis} · blue: move together, orange: move opposite",
        )

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.heatmap.apply_theme(theme)
