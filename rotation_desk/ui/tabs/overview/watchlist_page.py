"""The Market Overview's "Watchlist performance" page: the watchlist rebased to 100 over the selected
range (log scale by default; the ticker field sits in the chart's toolbar) over the period-return
table (``core.performance.performance_table``) and its caption.

The table's figure columns are as wide as their text; the fund names are hidden when the figures
would not fit beside them (hover a ticker for its name). Double-clicking a row emits
``open_ticker`` (the main window shows the fund in ETF Comparison).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QWidget

from rotation_desk.core.performance import ANNUALISED, TABLE_PERIODS, column_label
from rotation_desk.ui.charts.axes import growth_style
from rotation_desk.ui.charts.panel import ChartPanel, SeriesStyle
from rotation_desk.ui.kit import formats
from rotation_desk.ui.kit.theme import Theme
from rotation_desk.ui.kit.widgets import TickerListEdit, chart_over_pane, fit_lower, pane
from rotation_desk.ui.state.sections import ChartPrefs
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.tables.table import RAW_ROLE, Column, DataTable
from rotation_desk.ui.tabs.overview.compute import OverviewResult

PERFORMANCE_CHART = "overview.performance"
MAX_WATCHLIST = 24


class WatchlistPage(QWidget):
    """Chart with the ticker field, table and caption (see the module docstring)."""

    open_ticker = Signal(str)  # a row was double-clicked

    def __init__(
        self,
        known,
        tickers: list[str],
        theme: Theme,
        settings: Settings,
        currency_bar: QWidget | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        if PERFORMANCE_CHART not in settings.charts:  # first run: log scale suits long windows
            settings.charts[PERFORMANCE_CHART] = ChartPrefs(log=True)
        self.chart = ChartPanel(PERFORMANCE_CHART, growth_style(), theme=theme, settings=settings)
        self.ticker_edit = TickerListEdit(known, tickers, "Watchlist", max_count=MAX_WATCHLIST, theme=theme)
        self.chart.toolbar.insertWidget(0, self.ticker_edit, 4)
        self.table = DataTable("overview.performance", theme)
        self.table.setToolTip("Double-click a row to open the fund in ETF Comparison")
        self.table.doubleClicked.connect(self._row_double_clicked)
        self.table_caption = QLabel()
        self.table_caption.setWordWrap(True)
        parts = [self.table_caption] + ([currency_bar] if currency_bar is not None else []) + [self.table]
        lower = pane(QWidget(), parts, grow=self.table)
        self.split = chart_over_pane(self, self.chart, lower, [1, 1])

    def _row_double_clicked(self, index: QModelIndex) -> None:
        ticker = self.table.proxy.index(index.row(), self.table.column_index("ticker")).data(RAW_ROLE)
        if ticker:
            self.open_ticker.emit(str(ticker))

    # ------------------------------------------------------------------ sizes
    def showEvent(self, event):
        super().showEvent(event)
        QTimer.singleShot(0, self.fit_columns)  # sizes are only known once the page is on screen

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Hide the fund names when the figures would not fit beside them (hover a ticker for its name)."""
        table = self.table
        if not table.isVisible():
            return
        try:
            j = table.column_index("name")
        except KeyError:
            return
        others = sum(table.columnWidth(c) for c in range(table.model().columnCount()) if c != j)
        table.setColumnHidden(j, table.viewport().width() < others + 170)

    def _compact_columns(self) -> None:
        """Figure columns as wide as their text (bold, for the benchmark row) and header need, no wider."""
        table = self.table
        bold = QFont(table.font())
        bold.setBold(True)
        cells, head = QFontMetrics(bold), QFontMetrics(table.horizontalHeader().font())
        rows = table.displayed_rows()
        for j, col in enumerate(table.source_model.columns()):
            if col.stretch:
                continue
            widest = max((cells.horizontalAdvance(r[j]) for r in rows), default=0)
            table.setColumnWidth(j, max(widest + 16, head.horizontalAdvance(col.header) + 28))

    def fit_split(self) -> None:
        """The chart tall enough for its legend (one row per fund) when the window allows it."""
        total = sum(self.split.sizes())
        rows = len(self.chart.series_names()) + 1
        needed = rows * (self.fontMetrics().height() + 5) + 150
        fit_lower(self.split, total - max(total // 2, needed))

    # ------------------------------------------------------------------ showing a result
    def fill(
        self,
        result: OverviewResult,
        source: str,
        benchmark: str,
        facts: Mapping,
        currencies: Mapping[str, str | None] | None = None,
        chart_out: Sequence[str] = (),
    ) -> None:
        """``currencies``: each ticker's (tagged in the table where not USD); ``chart_out``: tickers left out
        of the chart (in another currency than the rest, "Show in USD" off: ``ui.kit.currency_bar``)."""
        w = result.watchlist
        window = result.window
        series = {t: s for t, s in w.series.items() if t not in chart_out}
        if not series:
            self.chart.show_message(f"No prices in {formats.date_range(window.start, window.end)} for the watchlist.")
        else:
            styles = {benchmark: SeriesStyle(role="benchmark")} if benchmark in series else {}
            self.chart.set_series(series, styles)
            note = f"{window.label} window {formats.date_range(w.start, w.end)} · rebased to 100 at the start"
            late = [t for t in w.late if t in series]
            if late:
                note += f" · {', '.join(late)} from their first close"
            if w.missing:
                note += f" · no prices in the window: {', '.join(w.missing)}"
            self.chart.set_title("Watchlist performance", note)
            self.chart.set_source(source)
        self._fill_table(result, benchmark, facts, currencies or {})

    def _fill_table(self, result: OverviewResult, benchmark: str, facts: Mapping, currencies: Mapping) -> None:
        w = result.watchlist
        window = result.window
        table = w.table.reset_index()
        table.insert(1, "name", [facts[t].name if t in facts else "" for t in table["ticker"]])
        table["currency"] = [currencies.get(t) for t in table["ticker"]]  # "VWRL.L · GBP" where not USD
        as_of = table["last_date"].max() if len(table) else window.end
        dd_span = "the whole history" if window.start is None else f"the {window.label} window"
        columns = [Column("ticker", "Ticker"), Column("name", "Name", stretch=True)]
        for label in TABLE_PERIODS:
            tip = f"Return over {label} to {formats.day(as_of)}"
            if label in ANNUALISED:
                tip += ", annualised (CAGR)"
            columns.append(Column.change(label, column_label(label), tip))
        columns += [
            Column(
                "max_drawdown",
                f"Max DD ({window.label})",
                kind="percent",
                colour="heat",
                tooltip=f"Worst fall from a running peak over {dd_span} (as rotation-desk metrics for that window)",
            ),
            Column(
                "from_52w_high",
                "vs 52w high",
                kind="percent",
                colour="heat",
                tooltip=f"Last close vs the highest close of the 52 weeks to {formats.day(as_of)}",
            ),
        ]
        bold = [i for i, t in enumerate(table["ticker"]) if t == benchmark]
        tips = {(i, "ticker"): name for i, name in enumerate(table["name"]) if name}
        self.table.set_frame(table, columns, bold_rows=bold, tooltips=tips)
        self._compact_columns()
        self.fit_columns()
        missing = f" · no prices for {', '.join(w.missing)}" if w.missing else ""
        self.table_caption.setText(
            f"Returns to the last close, {formats.dated_close(as_of)}, dividends reinvested · 3Y/5Y/10Y annualised · max drawdown over "
            f"{dd_span}{missing} · double-click a fund to compare it"
        )
        self.table_caption.setToolTip(
            "Adjusted closes; a period starts at the last close on or before its calendar start; YTD starts at the "
            "previous year's last close. Click a header to sort; Ctrl+C copies; right-click exports CSV."
        )

    def apply_theme(self, theme: Theme) -> None:
        self.table_caption.setStyleSheet(f"color: {theme.muted};")
