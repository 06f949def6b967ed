"""ETF Comparison: growth, drawdowns, rolling return and volatility, calendar years, correlation, metrics, fees;
factor exposure, monthly returns, the worst drawdowns and the rolling correlation and beta to the benchmark.

The first page is one ``core.comparison_charts.build_comparison`` result (``compute.compute``),
whose metrics rows are those of ``rotation-desk metrics`` (daily, or ``--returns monthly``), so the
table equals the command line. The other pages each have their own job over the same window
(``analysis``, ``factor_compute``), computed when the page is first shown. This module wires the
pieces: the fund picker, the window bar (``window_bar``), the pages — charts (``charts_page``, with
``relative_page``) over the metrics table (``metrics_page``), ``factors_page``, ``monthly_page``,
``drawdowns_page`` — and the jobs that compute them.

Choosing a range in the toolbar while this tab is on screen switches to "Toolbar range" mode; the
window bar always says which window is used. In the other modes no toolbar preset is lit (the
window shown is not one of them) and the range controls' tooltip names the window instead. A recomputation for many tickers over decades takes a
few hundred ms, so on screen it runs on the worker pool; hidden (export-chart) it runs in place.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from rotation_desk.core.comparison_charts import Comparison, fees_over_window, rolling_series
from rotation_desk.core.rolling import ROLLING_WINDOWS
from rotation_desk.data.proxies import suggestions
from rotation_desk.errors import BadInput
from rotation_desk.ui.charts.panel import ChartPanel
from rotation_desk.ui.kit import formats
from rotation_desk.ui.kit.boxes import column
from rotation_desk.ui.kit.currency_bar import IN_USD, CurrencyBar
from rotation_desk.ui.kit.ticker_picker import TickerPicker
from rotation_desk.ui.kit.widgets import fit_lower, scrolling, splitter
from rotation_desk.ui.kit.workers import TaskRunner
from rotation_desk.ui.tables.table import DataTable
from rotation_desk.ui.tabs.base import RangeUse, Tab, TabServices
from rotation_desk.ui.tabs.compare import analysis, proxies
from rotation_desk.ui.tabs.compare.analysis_pages import AnalysisPages
from rotation_desk.ui.tabs.compare.charts_page import ComparisonCharts
from rotation_desk.ui.tabs.compare.compute import MAX_FUNDS, MODES, WindowWords, compute, expense_ratios
from rotation_desk.ui.tabs.compare.metrics_page import MetricsPage
from rotation_desk.ui.tabs.compare.proxy_bar import ProxyBar, ProxyChoice, ProxyShading
from rotation_desk.ui.tabs.compare.window_bar import WindowBar

COMPARED = "growth, drawdowns, correlation and beta side by side"


class CompareTab(ProxyChoice, Tab):
    title = "ETF Comparison"
    key = "compare"
    views = ("compare", "drawdown", "correlation")
    proxy_views = views

    def __init__(
        self, services: TabServices, tickers: list[str] | None = None, parent: QWidget | None = None, refresh_fn=None
    ):
        super().__init__(services, parent)
        self.runner = TaskRunner(parent=self)
        self.tickers = list(tickers or self.settings.compare.tickers)[:MAX_FUNDS]
        saved = self.settings.compare  # the last window mode, rolling window and fee amount (settings file)
        self.mode = "range" if self.view_state.preset == "Custom" else saved.window_mode
        self.rolling = saved.rolling
        self.fee_amount = saved.fee_amount
        self.returns = saved.returns
        self.data: Comparison | None = None
        self._seen_range = self._range_key()

        self.picker = TickerPicker(
            self.market, self.tickers, MAX_FUNDS, self.theme, self.runner, refresh_fn, label="Funds"
        )
        self.picker.changed.connect(self._tickers_changed)
        self.window_bar = WindowBar(self.mode, self._words().range_name(), self.theme)
        self.window_bar.mode_chosen.connect(self._mode_chosen)
        self.proxy_bar = ProxyBar(suggestions, self.theme)  # "Extend history…" and the proxies in use
        self.proxy_bar.chosen.connect(self.set_proxy)
        self.window_bar.layout().addWidget(self.proxy_bar.button)  # the row below only when a proxy is used
        self.proxy_bar.set_funds(self.tickers, saved.proxies)
        self.shading, self.splices, self._spliced = ProxyShading(), {}, {}
        self.currency_bar = CurrencyBar(self.settings, self.view_state, self.theme)
        self.chart_tabs = ComparisonCharts(self.theme, self.settings, self.when_shown, self.rolling)
        self.chart_tabs.rolling_chosen.connect(self.set_rolling_window)
        self.metrics = MetricsPage(self.theme, self.fee_amount, self.returns)
        self.metrics.amount_changed.connect(self.set_fee_amount)
        self.metrics.returns_changed.connect(self.set_returns)
        self.analysis = a = AnalysisPages(self)
        self.relative, self.factors_page, self.monthly_page, self.drawdowns_page = (
            a.relative,
            a.factors,
            a.monthly,
            a.drawdowns,
        )
        self.chart_tabs.addTab(self.relative, "Rolling vs benchmark")
        # the parts that tests, menus and exports reach
        bar, charts, metrics = self.window_bar, self.chart_tabs, self.metrics
        self.mode_box, self.window_label = bar.mode_box, bar.window_label
        self.growth, self.drawdown, self.years = charts.growth, charts.drawdown, charts.years
        self.rolling_return, self.rolling_volatility = charts.rolling_return, charts.rolling_volatility
        self.correlation, self.heatmap, self.rolling_boxes = charts.correlation, charts.heatmap, charts.rolling_boxes
        self.table, self.amount_box, self.fees_help = metrics.table, metrics.amount_box, metrics.fees_help

        self.splitter = splitter(Qt.Orientation.Vertical, [self.chart_tabs, self.metrics], [5, 3], [500, 300])
        self._fitted_rows = -1  # the table rows the splitter was last fitted to
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        for page, text in (
            (self.splitter, "Charts and metrics"),
            (self.factors_page, "Factors"),
            (self.monthly_page, "Monthly returns"),
            (self.drawdowns_page, "Drawdowns"),
        ):
            self.pages.addTab(page, text)
        content = QWidget()
        column(
            content, [self.picker, self.window_bar, self.currency_bar, self.proxy_bar, (self.pages, 1)], (8, 8, 8, 8)
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content))  # many funds in a short window: scroll, the charts keep their height
        self.theme_changed(self.theme)
        self.job = self.add_job(
            "comparison", self, self._gather, compute, self._computed, runner=self.runner, busy=self.window_bar.set_busy
        )
        a.add_jobs()
        self.factor_job, self.grid_job, self.drawdown_job, self.relative_job = (
            a.factor_job,
            a.grid_job,
            a.drawdown_job,
            a.relative_job,
        )

    # ------------------------------------------------------------------ views (export-chart)
    def chart_for_view(self, view: str) -> ChartPanel:
        panels = {"compare": self.growth, "drawdown": self.drawdown, "correlation": self.correlation}
        if view not in panels:
            raise KeyError(view)
        self.when_shown.flush(panels[view])  # drawn now even when the tab is not on screen (exports)
        return panels[view]

    def current_chart(self) -> ChartPanel | None:
        page = self.pages.currentWidget()
        if page is self.splitter:
            return self.chart_tabs.currentWidget()
        return getattr(page, "chart", None)

    def select_view(self, view: str) -> None:
        self.pages.setCurrentWidget(self.splitter)
        self.chart_tabs.setCurrentWidget(self.chart_for_view(view))

    def use_tickers(self, tickers: list[str]) -> None:
        names = list(dict.fromkeys(t.strip().upper() for t in tickers if t.strip()))
        error = self.picker.validate(names)
        if error:
            raise BadInput(error)
        self.picker.set_tickers(names)
        self.tickers = names
        self.proxy_bar.set_funds(names, self.settings.compare.proxies)
        self.invalidate()

    def current_table(self) -> DataTable | None:
        page = self.pages.currentWidget()
        if page is self.factors_page:
            return None  # a table per fund: each has its own copy and export
        return self.table if page is self.splitter else page.table

    # ------------------------------------------------------------------ inputs
    def add_ticker(self, ticker: str) -> bool:
        """Add a fund to the comparison (e.g. from another tab); False with the reason on the field if not."""
        return self.picker.add(ticker)

    def _tickers_changed(self, tickers: list[str]) -> None:
        self.tickers = list(tickers)
        self.settings.compare.tickers = list(tickers)
        self.proxy_bar.set_funds(self.tickers, self.settings.compare.proxies)
        self.invalidate()

    def set_mode(self, mode: str) -> None:
        """ "common", "full" or "range"."""
        if mode not in dict(MODES):
            raise ValueError(f"unknown window mode {mode!r}")
        self.window_bar.set_mode(mode)  # re-enters through _mode_chosen

    def _mode_chosen(self, mode: str) -> None:
        if mode != self.mode:
            self.mode = mode
            self.settings.compare.window_mode = mode
            self.invalidate()
            self.range_use_changed.emit()

    def range_use(self) -> RangeUse:
        """The toolbar's range in "Toolbar range" mode; else the window shown, named in the tooltip."""
        if self.mode == "range":
            return RangeUse()
        data = self.data if self.data is not None and self.data.mode == self.mode else None
        if self.mode == "common":
            shown = f"the {data.describe_window()}" if data is not None else "the funds' common window"
        else:
            shown = "the full history of each fund"
            if data is not None:
                shown += f" ({formats.date_range(data.first, data.last)})"
        return RangeUse(
            follows=False,
            note=f"ETF Comparison shows {shown}; choose a range to compare over it instead.",
            window=(data.first, data.last) if data is not None else None,
        )

    def range_chosen(self) -> None:
        if self.mode != "range":
            self.set_mode("range")

    def set_rolling_window(self, window: str) -> None:
        if (
            window not in ROLLING_WINDOWS
            or window == self.rolling
            and all(b.currentData() == window for b in self.rolling_boxes)
        ):
            return
        self.rolling = window
        self.settings.compare.rolling = window
        rolled = rolling_series(self.data.series, window, self.data.instruments) if self.data else None
        self.chart_tabs.set_rolling(window, rolled)

    def set_fee_amount(self, amount: float) -> None:
        self.fee_amount = float(amount)
        self.settings.compare.fee_amount = self.fee_amount
        self.metrics.set_amount(self.fee_amount)
        if self.data is not None:
            fees = fees_over_window(
                self.data.series, expense_ratios(self.data.tickers, self.market.fund), self.fee_amount
            )
            self._fill_table(self.data, fees, self.fee_amount)

    def set_returns(self, returns: str) -> None:
        """Daily returns or month-end statistics for the metrics table and the correlation heat map."""
        if returns != self.returns:
            self.returns = returns
            self.settings.compare.returns = returns
            self.job.invalidate()

    def _range_key(self):
        return self.view_state.preset, self.view_state.custom_range

    def _words(self) -> WindowWords:
        return WindowWords(self.view_state.preset, self.view_state.custom_range)

    def invalidate(self) -> None:
        key = self._range_key()
        if key != self._seen_range:
            self._seen_range = key
            self.window_bar.set_range_name(self._words().range_name())
            if self.isVisible() and self.mode != "range":
                # the user picked a range in the toolbar while looking at this tab: use it
                self.mode = "range"
                self.settings.compare.window_mode = "range"
                self.window_bar.set_mode("range", quiet=True)
                self.range_use_changed.emit()
        super().invalidate()

    # ------------------------------------------------------------------ compute
    def busy(self) -> bool:
        """A recomputation is running on the worker pool."""
        return self.job.busy()

    def window_inputs(self) -> analysis.WindowInputs | None:
        """On the GUI thread: the closes (from the store) and the window; None when no fund is chosen."""
        funds = list(self.tickers)
        if not funds:
            return None
        bench = self.view_state.benchmark or None
        names = funds + ([bench] if bench and bench not in funds else [])
        # DataUnavailable names what is missing; funds in more than one currency: converted ("Show in USD")
        # as `metrics --in USD`, or refused in the currency line; the funds' proxies spliced as `metrics --proxy`
        closes = self.prepared_closes(names, funds, what=COMPARED, where="the comparison")
        rng = self.current_range() if self.mode == "range" else None
        start, end = (rng.start, rng.end) if rng is not None else (None, None)
        return analysis.WindowInputs(closes, tuple(funds), bench, self.mode, start, end)

    def _gather(self) -> dict | None:
        """The comparison's inputs (``core.comparison_charts.build_comparison``)."""
        w = self.window_inputs()
        if w is None:
            return None
        return dict(
            closes=w.closes,
            funds=list(w.funds),
            benchmark=w.benchmark,
            mode=w.mode,
            start=w.start,
            end=w.end,
            rolling=self.rolling,
            fee_amount=self.fee_amount,
            expense_ratios=expense_ratios(w.names, self.market.fund),
            returns=self.returns,
            rf=self.settings.risk_free,
            instruments=self.market.instruments(w.names),  # crypto annualises with 365 (as `metrics`)
        )

    def name_of(self, ticker: str) -> str:
        fund = self.market.fund(ticker)
        return fund.name if fund is not None else ""

    def _computed(self, data: Comparison | None) -> None:
        if data is None:
            self._show_empty()
        else:
            self._show(data)
        self.range_use_changed.emit()  # the window shown is known now

    def empty_text(self) -> str:
        return f"Add up to {MAX_FUNDS} funds with the field above to compare them."

    def comparison_charts(self) -> list[ChartPanel]:
        """The charts of the comparison itself (the analysis pages show their own problems)."""
        return [p for p in self.chart_tabs.panels() if p is not self.relative]

    def show_problem(self, text: str) -> None:
        self.when_shown.discard()
        refused = self.currency_bar.refusal(text)  # said in full in the currency line: a choice, not an error
        if refused:
            text = f"Not compared: the funds are in more than one currency; tick “{IN_USD}” to convert them."
        for chart in self.comparison_charts():
            chart.show_message(text)
        if not refused:
            self.status_message.emit(text, True)
        self.data = None
        self.metrics.clear(self.fee_amount)
        self.window_bar.say(text, problem=True)
        self._show_proxies(None)

    def _show_empty(self) -> None:
        self.data = None
        self.when_shown.discard()
        text = self.empty_text()
        for chart in self.comparison_charts():
            chart.show_message(text)
        self.metrics.clear(self.fee_amount)
        self.window_bar.say("No funds chosen.")
        self._show_proxies(None)

    # ------------------------------------------------------------------ display
    def _show(self, data: Comparison) -> None:
        """Show a result: the table and the chart on screen now, the other charts when first looked at."""
        self.data = data
        self.splices = proxies.used(self._spliced, {t: s.index[0] for t, s in data.series.items()})
        words = self._words()
        self.window_bar.say(words.window_text(data))
        self.chart_tabs.show_comparison(
            data, words.subtitle(data), self.source_text() + proxies.source_note(self.splices)
        )
        self._fill_table(data, data.fees, data.fee_amount)
        self._show_proxies(data)

    def _fill_table(self, data: Comparison, fees: dict[str, float], amount: float) -> None:
        state = self.currency_bar.state
        converted = state is not None and state.converted
        window = self._words().subtitle(data)
        self.metrics.fill(data, self.market.fund, fees, amount, window, converted, self.splices)
        self.fit_table()

    def fit_table(self, force: bool = False) -> None:
        """Room for every row of the metrics table, as far as the charts' plot height allows (on first
        show and when the number of funds changes; a splitter the user moved is left alone otherwise)."""
        rows = self.table.model().rowCount()
        if (force or rows != self._fitted_rows) and self.isVisible():
            self._fitted_rows = rows
            fit_lower(self.splitter, self.metrics.wanted_height(rows))

    def showEvent(self, event):
        super().showEvent(event)
        self.fit_table(force=self._fitted_rows < 0)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self._fitted_rows >= 0:
            self.fit_table(force=True)

    def _colour_chips(self, data: Comparison) -> dict[str, str]:
        colours, k = {}, 0
        for name in data.tickers:
            if name == data.benchmark:
                colours[name] = self.theme.benchmark
            else:
                colours[name] = self.theme.series_colour(k)
                k += 1
        self.picker.set_colours(colours)
        return colours

    # ------------------------------------------------------------------ theme
    def theme_changed(self, theme) -> None:
        self.picker.apply_theme(theme)
        self.chart_tabs.apply_theme(theme)
        self.window_bar.apply_theme(theme)
        self.currency_bar.apply_theme(theme)
        self.metrics.apply_theme(theme)
        self.analysis.apply_theme(theme)
        self.proxy_bar.apply_theme(theme)
        if self.data is not None:
            self._show_proxies(self.data)
