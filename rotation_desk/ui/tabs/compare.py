"""ETF Comparison: growth of $10,000, drawdowns and calendar years over the common window, with metrics."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from rotation_desk.core.metrics import common_window, compute_metrics, drawdown_series
from rotation_desk.core.returns import calendar_year_returns
from rotation_desk.ui import analysis, formats
from rotation_desk.ui.chart_axes import money_style, percent_style
from rotation_desk.ui.chart_panel import ChartPanel, SeriesStyle
from rotation_desk.ui.table import Column, DataTable
from rotation_desk.ui.tabs.base import Tab, TabServices
from rotation_desk.ui.widgets import TickerListEdit

AMOUNT = 10_000.0

METRIC_COLUMNS = [
    Column("ticker", "Ticker"),
    Column("name", "Name", stretch=True),
    Column("start", "From", kind="date", tooltip="First close of the window (the base)"),
    Column("total_return", "Total", kind="percent", signed=True, colour="sign"),
    Column("cagr", "CAGR", kind="percent", signed=True, colour="sign", tooltip="(end/start)^(365.25/days) − 1"),
    Column("volatility", "Volatility", kind="percent", tooltip="stdev of daily returns × √252"),
    Column("sharpe", "Sharpe", kind="number", tooltip="risk-free rate 0"),
    Column("sortino", "Sortino", kind="number", tooltip="risk-free rate 0"),
    Column("max_drawdown", "Max DD", kind="percent", colour="sign", tooltip="worst fall from a running peak"),
    Column("calmar", "Calmar", kind="number", tooltip="CAGR / |max drawdown|"),
    Column("beta", "Beta", kind="number"),
    Column("correlation", "Correlation", kind="number", tooltip="Pearson, daily returns"),
    Column("expense_ratio", "Expense ratio", kind="percent", digits=2, tooltip="hover a cell for its as-of date and source"),
    Column("fee", "Fee / yr on $10k", kind="money"),
]


class CompareTab(Tab):
    title = "ETF Comparison"
    key = "compare"
    views = ("compare", "drawdown")

    def __init__(self, services: TabServices, tickers: list[str] | None = None, parent: QWidget | None = None):
        super().__init__(services, parent)
        self.tickers = tickers or self.settings.watchlist("compare")
        self.ticker_edit = TickerListEdit(self.market.ticker_names, self.tickers, "Funds", max_count=12, theme=self.theme)
        self.ticker_edit.changed.connect(self._tickers_changed)
        self.window_label = QLabel()
        self.window_label.setWordWrap(True)

        self.growth = ChartPanel("compare.growth", money_style(AMOUNT), theme=self.theme, settings=self.settings)
        self.drawdown = ChartPanel("compare.drawdown", percent_style(0.0), theme=self.theme, settings=self.settings)
        self.years = ChartPanel(
            "compare.years", percent_style(0.0), x_kind="category", theme=self.theme, settings=self.settings
        )
        self.chart_tabs = QTabWidget()
        self.chart_tabs.setDocumentMode(True)
        self.chart_tabs.addTab(self.growth, "Growth of $10,000")
        self.chart_tabs.addTab(self.drawdown, "Drawdown")
        self.chart_tabs.addTab(self.years, "Calendar years")

        self.table = DataTable("compare.metrics", self.theme)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.chart_tabs)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.ticker_edit)
        layout.addWidget(self.window_label)
        layout.addWidget(splitter, 1)
        self.theme_changed(self.theme)

    def chart_for_view(self, view: str) -> ChartPanel:
        if view == "compare":
            return self.growth
        if view == "drawdown":
            return self.drawdown
        raise KeyError(view)

    def current_chart(self) -> ChartPanel:
        return self.chart_tabs.currentWidget()

    def select_view(self, view: str) -> None:
        self.chart_tabs.setCurrentWidget(self.chart_for_view(view))

    def _tickers_changed(self, tickers: list[str]) -> None:
        self.tickers = tickers
        self.settings.watchlists["compare"] = list(tickers)
        self.invalidate()

    def add_ticker(self, ticker: str) -> None:
        """Add ``ticker`` to the compared funds (Market Overview's double-click); says why if it cannot."""
        ticker = ticker.strip().upper()
        if ticker in self.tickers:
            return
        names, error = self.ticker_edit.validate(" ".join(self.tickers + [ticker]))
        if error:
            self.status_message.emit(f"Cannot add {ticker} to the comparison: {error}", True)
            return
        self.ticker_edit.set_tickers(names)
        self._tickers_changed(names)

    def theme_changed(self, theme) -> None:
        self.window_label.setStyleSheet(f"color: {theme.muted};")

    # ------------------------------------------------------------------ compute
    def reload(self) -> None:
        window = self.current_range()
        bench = self.view_state.benchmark
        funds = self.market.require(self.tickers)
        names = funds + ([bench] if bench not in funds else [])
        closes = self.market.closes(names, end=window.end)
        first, last, limiting = common_window(closes[names])
        start = window.clip_start(first)
        series = analysis.window_series(closes, names, start, window.end)
        if len(series) < len(names):
            short = [t for t in names if t not in series]
            self.show_problem(f"Fewer than two closes for {', '.join(short)} in this window.")
            return
        real_start = max(s.index[0] for s in series.values())
        end = min(s.index[-1] for s in series.values())
        common = f"common window {formats.date_range(first, last)}, limited by {limiting}"
        if start > first:
            shown = f"Shown: {window.label} {formats.date_range(real_start, end)} (inside the {common})."
        else:
            shown = f"Shown: the {common}."
        self.window_label.setText(
            shown + f" Benchmark {bench}. Metrics follow the app's conventions (Help ▸ How the numbers are computed)."
        )
        styles = {bench: SeriesStyle(role="benchmark")}
        subtitle = f"{formats.date_range(real_start, end)} · {limiting} limits the common window" if start == first else (
            f"{formats.date_range(real_start, end)} · {window.label} window"
        )
        source = self.source_text()

        self.growth.set_series(analysis.growth_of(series, AMOUNT), styles)
        self.growth.set_title("Growth of $10,000", subtitle)
        self.growth.set_source(source)

        self.drawdown.set_series({k: drawdown_series(v) for k, v in series.items()}, styles)
        self.drawdown.set_title("Drawdown from the running peak", subtitle)
        self.drawdown.set_source(source)

        self._fill_years(series, styles, subtitle, source)
        self._fill_metrics(series, bench)

    def _fill_years(self, series, styles, subtitle, source) -> None:
        per = {k: calendar_year_returns(v) for k, v in series.items()}
        years = sorted({y for f in per.values() for y in f.index})
        partial = {y for f in per.values() for y in f.index[f["partial"]]}
        categories = [f"{y}*" if y in partial else str(y) for y in years]
        bars = {k: [float(f["return"].get(y, np.nan)) for y in years] for k, f in per.items()}
        self.years.set_bars(categories, bars, styles)
        note = " · * partial year" if partial else ""
        self.years.set_title("Calendar-year returns", subtitle + note)
        self.years.set_source(source)

    def _fill_metrics(self, series: dict[str, pd.Series], bench: str) -> None:
        facts = self.market.facts()
        bench_prices = series[bench]
        rows, tips = [], {}
        for i, (t, prices) in enumerate(series.items()):
            m = compute_metrics(t, prices, bench_prices)
            f = facts.get(t)
            ratio = f.expense_ratio if f else None
            rows.append(
                {
                    "ticker": t,
                    "name": f.name if f else "",
                    "start": m.start,
                    "total_return": m.total_return,
                    "cagr": m.cagr,
                    "volatility": m.volatility,
                    "sharpe": m.sharpe,
                    "sortino": m.sortino,
                    "max_drawdown": m.max_drawdown,
                    "calmar": m.calmar,
                    "beta": m.beta,
                    "correlation": m.correlation,
                    "expense_ratio": np.nan if ratio is None else ratio,
                    "fee": np.nan if ratio is None else f.yearly_fee(AMOUNT),
                }
            )
            if f and ratio is not None:
                tips[(i, "expense_ratio")] = f"{f.expense_ratio_pct:.2f} % as of {f.expense_ratio_as_of} · {f.source}"
            if m.drawdown_peak is not None:
                rec = formats.day(m.drawdown_recovery) if m.drawdown_recovery is not None else "not recovered"
                tips[(i, "max_drawdown")] = (
                    f"peak {formats.day(m.drawdown_peak)}, trough {formats.day(m.drawdown_trough)}, recovery {rec}"
                )
        frame = pd.DataFrame(rows)
        bold = [i for i, r in enumerate(rows) if r["ticker"] == bench]
        columns = [c if c.key not in ("beta", "correlation") else Column(
            c.key, f"{c.header} {bench}", kind=c.kind, tooltip=f"to {bench}, on daily returns") for c in METRIC_COLUMNS]
        self.table.set_frame(frame, columns, tooltips=tips, bold_rows=bold)
