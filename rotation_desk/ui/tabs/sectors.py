"""Sector Tilts: each SPDR sector's strength relative to the benchmark, as lines and as period figures."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from rotation_desk.ui import analysis, formats
from rotation_desk.ui.chart_axes import growth_style
from rotation_desk.ui.chart_panel import ChartPanel
from rotation_desk.ui.table import Column, DataTable
from rotation_desk.ui.tabs.base import Tab, TabServices
from rotation_desk.ui.widgets import TickerListEdit

PERIODS = ("1M", "3M", "6M", "YTD", "1Y")

SECTOR_NAMES = {
    "XLK": "Technology",
    "XLF": "Financials",
    "XLI": "Industrials",
    "XLY": "Consumer discretionary",
    "XLP": "Consumer staples",
    "XLU": "Utilities",
    "XLE": "Energy",
    "XLV": "Health care",
    "XLB": "Materials",
    "XLRE": "Real estate",
    "XLC": "Communication services",
}


class SectorsTab(Tab):
    title = "Sector Tilts"
    key = "sectors"
    views = ()

    def __init__(self, services: TabServices, tickers: list[str] | None = None, parent: QWidget | None = None):
        super().__init__(services, parent)
        self.tickers = tickers or self.settings.watchlist("sectors")
        self.chart = ChartPanel("sectors.relative", growth_style(), theme=self.theme, settings=self.settings)
        self.ticker_edit = TickerListEdit(self.market.ticker_names, self.tickers, "Sectors", theme=self.theme)
        self.ticker_edit.changed.connect(self._tickers_changed)
        self.chart.toolbar.insertWidget(0, self.ticker_edit, 1)

        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.table = DataTable("sectors.relative", self.theme)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(4, 6, 4, 0)
        lower_layout.setSpacing(4)
        lower_layout.addWidget(self.caption)
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
        raise KeyError(view)

    def _tickers_changed(self, tickers: list[str]) -> None:
        self.tickers = tickers
        self.settings.watchlists["sectors"] = list(tickers)
        self.invalidate()

    def theme_changed(self, theme) -> None:
        self.caption.setStyleSheet(f"color: {theme.muted};")

    # ------------------------------------------------------------------ compute
    def reload(self) -> None:
        window = self.current_range()
        bench = self.view_state.benchmark
        names = [t for t in self.market.require(self.tickers) if t != bench]
        closes = self.market.closes(names + [bench], end=window.end)
        lines = {}
        for t in names:
            line = analysis.relative_line(closes[t], closes[bench], window.start, window.end)
            if len(line) >= 2:
                lines[t] = line
        if not lines:
            self.chart.show_message(f"No sector prices in {formats.date_range(window.start, window.end)}.")
            return
        start = min(s.index[0] for s in lines.values())
        end = max(s.index[-1] for s in lines.values())
        late = [t for t, s in lines.items() if s.index[0] > start]
        note = f"{window.label} window {formats.date_range(start, end)} · sector ÷ {bench}, rebased to 100"
        if late:
            note += f" · {', '.join(late)} from their first close"
        self.chart.set_series(lines)
        self.chart.set_title(f"Relative strength against {bench}", note + " · rising = beating the benchmark")
        self.chart.set_source(self.source_text())

        table = analysis.relative_period_table(closes, names, bench, end, PERIODS)
        table.insert(1, "sector", [SECTOR_NAMES.get(t) or self._fund_name(t) for t in table["ticker"]])
        table["window"] = [lines[t].iloc[-1] / 100.0 - 1.0 if t in lines else float("nan") for t in table["ticker"]]
        columns = [Column("ticker", "Ticker"), Column("sector", "Sector", stretch=True)]
        for label in PERIODS:
            columns.append(
                Column(label, label, kind="percent", signed=True, colour="heat", tooltip=f"relative to {bench} over {label}")
            )
        columns.append(
            Column("window", f"Range ({window.label})", kind="percent", signed=True, colour="heat",
                   tooltip="relative to the benchmark over the chart's window")
        )
        self.table.set_frame(table, columns)
        self.caption.setText(
            f"Returns relative to {bench} to {formats.day(end)}: (1 + sector return) ÷ (1 + {bench} return) − 1, "
            f"the change of the relative-strength line over each period. Positive: the sector beat {bench}."
        )

    def _fund_name(self, ticker: str) -> str:
        fact = self.market.fund(ticker)
        return fact.name if fact else ""
