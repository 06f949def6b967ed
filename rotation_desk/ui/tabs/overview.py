"""Market Overview: the watchlist's performance over the selected range, and its period returns."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from rotation_desk.ui import analysis, formats
from rotation_desk.ui.chart_axes import growth_style
from rotation_desk.ui.chart_panel import ChartPanel, SeriesStyle
from rotation_desk.ui.table import Column, DataTable
from rotation_desk.ui.tabs.base import Tab, TabServices
from rotation_desk.ui.widgets import TickerListEdit

PERIODS = ("1M", "3M", "6M", "YTD", "1Y", "3Y", "5Y")


class OverviewTab(Tab):
    title = "Market Overview"
    key = "overview"
    views = ("overview",)

    def __init__(self, services: TabServices, tickers: list[str] | None = None, parent: QWidget | None = None):
        super().__init__(services, parent)
        self.tickers = tickers or self.settings.watchlist("overview")
        self.chart = ChartPanel("overview.performance", growth_style(), theme=self.theme, settings=self.settings)
        self.ticker_edit = TickerListEdit(self.market.ticker_names, self.tickers, "Watchlist", theme=self.theme)
        self.ticker_edit.changed.connect(self._tickers_changed)
        self.chart.toolbar.insertWidget(0, self.ticker_edit, 1)

        self.table = DataTable("overview.periods", self.theme)
        self.table_caption = QLabel()
        self.table_caption.setWordWrap(True)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(4, 6, 4, 0)
        lower_layout.setSpacing(4)
        lower_layout.addWidget(self.table_caption)
        lower_layout.addWidget(self.table, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.chart)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter)
        self.theme_changed(self.theme)

    def chart_for_view(self, view: str) -> ChartPanel:
        if view == "overview":
            return self.chart
        raise KeyError(view)

    def _tickers_changed(self, tickers: list[str]) -> None:
        self.tickers = tickers
        self.settings.watchlists["overview"] = list(tickers)
        self.invalidate()

    def theme_changed(self, theme) -> None:
        self.table_caption.setStyleSheet(f"color: {theme.muted};")

    # ------------------------------------------------------------------ compute
    def reload(self) -> None:
        window = self.current_range()
        names = self.market.require(self.tickers)
        closes = self.market.closes(names, end=window.end)
        series = analysis.window_series(closes, names, window.start, window.end)
        if not series:
            self.chart.show_message(f"No prices in {formats.date_range(window.start, window.end)} for these tickers.")
            return
        start = min(s.index[0] for s in series.values())
        end = max(s.index[-1] for s in series.values())
        late = [t for t, s in series.items() if s.index[0] > start]
        missing = [t for t in names if t not in series]
        bench = self.view_state.benchmark
        styles = {bench: SeriesStyle(role="benchmark")} if bench in series else {}
        self.chart.set_series(analysis.rebased(series), styles)
        note = f"{window.label} window {formats.date_range(start, end)} · rebased to 100 at the start"
        if late:
            note += f" · {', '.join(late)} from their first close"
        if missing:
            note += f" · no prices in the window: {', '.join(missing)}"
        self.chart.set_title("Watchlist performance", note)
        self.chart.set_source(self.source_text())
        self._fill_table(closes, names, end)

    def _fill_table(self, closes: pd.DataFrame, names: list[str], as_of: pd.Timestamp) -> None:
        table = analysis.period_table(closes, names, as_of, PERIODS)
        facts = self.market.facts()
        table.insert(1, "name", [facts[t].name if t in facts else "" for t in names])
        columns = [Column("ticker", "Ticker"), Column("name", "Name", stretch=True)]
        for key in analysis.period_columns(PERIODS):
            tip = f"Return over {key.replace(' ann.', '')} to {formats.day(as_of)}"
            if key.endswith("ann."):
                tip += ", annualised"
            columns.append(Column(key, key, kind="percent", signed=True, colour="heat", tooltip=tip))
        bench = self.view_state.benchmark
        bold = [i for i, t in enumerate(names) if t == bench]
        self.table.set_frame(table, columns, bold_rows=bold)
        self.table_caption.setText(
            f"Period returns to {formats.day(as_of)} (adjusted closes, dividends reinvested). YTD starts at the "
            f"previous year's last close; 3Y and 5Y also annualised. "
            f"Click a header to sort; Ctrl+C copies; right-click to export CSV."
        )
