"""ETF Comparison: growth, drawdowns, rolling return and volatility, calendar years, correlation, metrics, fees.

Everything shown is one ``core.comparison_charts.build_comparison`` result,
whose metrics rows are ``core.comparison.metrics_rows``, the function behind
``rotation-desk metrics`` — so the table equals the command line's numbers.

Window modes:
- "Common window" (default): the dates every fund has, "limited by" the youngest;
- "Full history of each": every fund from its own first close;
- "Toolbar range": the app's range preset or custom dates, cut to the common window.
Choosing a range in the toolbar while this tab is on screen switches to the
last mode; the label next to the mode always says which window is used.

A recomputation for many tickers over decades takes a few hundred ms, so on
screen it runs on the worker pool; hidden (export-chart) it runs in place.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rotation_desk.core.comparison import WindowError
from rotation_desk.core.comparison_charts import (
    GROWTH_BASE,
    Comparison,
    build_comparison,
    fees_over_window,
    rolling_series,
)
from rotation_desk.core.rolling import ROLLING_WINDOWS, WINDOW_WORDS
from rotation_desk.errors import BadInput, DataUnavailable
from rotation_desk.ui.charts.axes import money_style, percent_style
from rotation_desk.ui.charts.heatmap import CorrelationHeatmap, category_style, prepare_panel, show_matrix
from rotation_desk.ui.charts.panel import ChartPanel, SeriesStyle
from rotation_desk.ui.kit import formats
from rotation_desk.ui.kit.ticker_picker import TickerPicker
from rotation_desk.ui.kit.widgets import splitter
from rotation_desk.ui.kit.workers import TaskRunner
from rotation_desk.ui.tables.table import Column, DataTable
from rotation_desk.ui.tabs.base import Tab, TabServices

log = logging.getLogger(__name__)

MAX_FUNDS = 12
FEE_ON = 10_000.0  # the yearly fee column, as on the command line
SPAN_WORDS = {"3M": "3 months", "6M": "6 months", "1Y": "1 year", "3Y": "3 years"}
MODES = (("common", "Common window"), ("full", "Full history of each"), ("range", "Toolbar range"))

FEES_HELP = (
    "Returns and the growth chart are already net of each fund's fees: adjusted closes fall by the expense "
    "ratio every day, so nothing is subtracted a second time. “Fees paid” is what each fund charged on the "
    "amount above, held over the window (accrued daily on the growing balance); “Fee / yr” is the current "
    "expense ratio on $10,000."
)


def metric_columns(bench: str | None, amount: float) -> list[Column]:
    cols = [
        Column("ticker", "Ticker"),
        Column("name", "Name"),
        Column("start", "From", kind="date", tooltip="The window's first close (the base of every figure)"),
        Column("end", "To", kind="date", tooltip="The window's last close"),
        Column("total_return", "Total", kind="percent", signed=True, colour="sign", tooltip="last / first close − 1"),
        Column("cagr", "CAGR", kind="percent", signed=True, colour="sign", tooltip="(end/start)^(365.25 / days) − 1"),
        Column("volatility", "Volatility", kind="percent", tooltip="stdev of daily returns (ddof 1) × √252"),
        Column("sharpe", "Sharpe", kind="number", tooltip="mean daily excess × 252 / (stdev × √252); risk-free 0"),
        Column("sortino", "Sortino", kind="number", tooltip="mean daily excess × 252 / (downside deviation × √252)"),
        Column("max_drawdown", "Max DD", kind="percent", colour="sign", tooltip="worst fall from a running peak"),
        Column("max_drawdown_peak", "DD peak", kind="date", tooltip="the close the worst drawdown fell from"),
        Column("max_drawdown_trough", "DD trough", kind="date", tooltip="the lowest close of the worst drawdown"),
        Column(
            "max_drawdown_recovery",
            "Recovered",
            kind="date",
            tooltip="first close back at the peak (— not yet recovered)",
        ),
        Column("calmar", "Calmar", kind="number", tooltip="CAGR / |max drawdown|"),
        Column("best_year", "Best year", tooltip="best full calendar year in the window"),
        Column("best_year_return", "Best yr %", kind="percent", signed=True, colour="sign"),
        Column("worst_year", "Worst year", tooltip="worst full calendar year in the window"),
        Column("worst_year_return", "Worst yr %", kind="percent", signed=True, colour="sign"),
    ]
    if bench:
        cols += [
            Column(
                "beta", f"Beta {bench}", kind="number", tooltip=f"cov(r, r_{bench}) / var(r_{bench}), daily returns"
            ),
            Column("correlation", f"Corr {bench}", kind="number", tooltip=f"Pearson, daily returns, to {bench}"),
            Column(
                "up_capture",
                "Up capture",
                kind="percent",
                digits=0,
                tooltip=f"in the months {bench} rose: the fund's annualised return / {bench}'s",
            ),
            Column(
                "down_capture",
                "Down capture",
                kind="percent",
                digits=0,
                tooltip=f"in the months {bench} fell: the fund's annualised return / {bench}'s (lower is better)",
            ),
        ]
    cols += [
        Column(
            "expense_ratio",
            "Exp. ratio",
            kind="percent",
            digits=2,
            tooltip="yearly expense ratio; hover a cell for its as-of date and source",
        ),
        Column("yearly_fee_on_10000", "Fee / yr on $10k", kind="money", tooltip="expense ratio × $10,000"),
        Column(
            "fees_paid",
            f"Fees paid on {formats.money(amount)}",
            kind="money",
            tooltip="dollars of expense ratio charged over the window (already inside the returns)",
        ),
        Column("first_date", "First date", kind="date", tooltip="first close in the price store"),
    ]
    return cols


class CompareTab(Tab):
    title = "ETF Comparison"
    key = "compare"
    views = ("compare", "drawdown", "correlation")

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
        self.data: Comparison | None = None
        self._rolling_data: tuple[dict, dict] = ({}, {})
        self._seen_range = self._range_key()

        self.picker = TickerPicker(
            self.market, self.tickers, MAX_FUNDS, self.theme, self.runner, refresh_fn, label="Funds"
        )
        self.picker.changed.connect(self._tickers_changed)

        self.mode_box = QComboBox()
        for key, text in MODES:
            self.mode_box.addItem(text, key)
        self.mode_box.setToolTip(
            "Common window: the dates all funds have (fair comparison). Full history: each fund from its first close.\n"
            "Toolbar range: the range chosen in the toolbar, cut to the common window."
        )
        self.mode_box.setCurrentIndex(self._mode_index(self.mode))
        self.mode_box.currentIndexChanged.connect(self._mode_chosen)
        self.window_label = QLabel()
        self.window_label.setWordWrap(True)
        self.window_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._update_mode_names()

        self._build_charts()
        self._build_table()

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(8)
        top.addWidget(QLabel("Window"))
        top.addWidget(self.mode_box)
        top.addWidget(self.window_label, 1)

        self.splitter = splitter(Qt.Orientation.Vertical, [self.chart_tabs, self.lower], [5, 3], [500, 300])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.picker)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self.theme_changed(self.theme)
        self.job = self.add_job(
            "comparison",
            self,
            self._gather,
            lambda args, _c: _compute(args) if args else None,
            self._computed,
            runner=self.runner,
            busy=self._busy,
        )

    # ------------------------------------------------------------------ building
    def _panel(self, chart_id: str, style, x_kind: str = "date") -> ChartPanel:
        return ChartPanel(chart_id, style, x_kind=x_kind, theme=self.theme, settings=self.settings)

    def _build_charts(self) -> None:
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
            box.setCurrentText(self.rolling)
            box.setToolTip("Length of the trailing window behind each point")
            box.currentIndexChanged.connect(lambda _i, b=box: self.set_rolling_window(b.currentData()))
            panel.toolbar.insertWidget(0, QLabel("Trailing window"))
            panel.toolbar.insertWidget(1, box)
            self.rolling_boxes.append(box)

        self.chart_tabs = QTabWidget()
        self.chart_tabs.setDocumentMode(True)
        for panel, text in (
            (self.growth, "Growth of $10,000"),
            (self.drawdown, "Drawdown"),
            (self.rolling_return, "Rolling return"),
            (self.rolling_volatility, "Rolling volatility"),
            (self.years, "Calendar years"),
            (self.correlation, "Correlation"),
        ):
            self.chart_tabs.addTab(panel, text)
        self.chart_tabs.currentChanged.connect(lambda i: self.when_shown.flush(self.chart_tabs.widget(i)))

    def _build_table(self) -> None:
        self.table = DataTable("compare.metrics", self.theme)
        self.table.setMinimumHeight(120)
        self.table_caption = QLabel("Metrics over the window")
        copy_button = QToolButton(text="Copy table")
        copy_button.setToolTip("Copy the whole table as tab-separated text (Ctrl+C copies the selected cells)")
        copy_button.clicked.connect(self.table.copy_all)
        export_button = QToolButton(text="Export CSV…")
        export_button.setToolTip("Save the table as CSV (percent and dollar columns are marked in the header)")
        export_button.clicked.connect(self.table.export_csv_dialog)
        for b in (copy_button, export_button):
            b.setAutoRaise(True)

        self.amount_box = QDoubleSpinBox()
        self.amount_box.setRange(1.0, 1e9)
        self.amount_box.setDecimals(2)
        self.amount_box.setPrefix("$")
        self.amount_box.setGroupSeparatorShown(True)
        self.amount_box.setSingleStep(1000.0)
        self.amount_box.setValue(self.fee_amount)
        self.amount_box.setKeyboardTracking(False)
        self.amount_box.setToolTip("The investment the “Fees paid” column is computed on")
        self.amount_box.valueChanged.connect(self.set_fee_amount)
        self.fees_help = QLabel(FEES_HELP)
        self.fees_help.setWordWrap(True)

        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.table_caption, 1)
        head.addWidget(QLabel("Fees paid on"))
        head.addWidget(self.amount_box)
        head.addSpacing(12)
        head.addWidget(copy_button)
        head.addWidget(export_button)

        self.lower = QWidget()
        lower = QVBoxLayout(self.lower)
        lower.setContentsMargins(4, 6, 4, 0)
        lower.setSpacing(4)
        lower.addLayout(head)
        lower.addWidget(self.table, 1)
        lower.addWidget(self.fees_help)

    # ------------------------------------------------------------------ views (export-chart)
    def chart_for_view(self, view: str) -> ChartPanel:
        panels = {"compare": self.growth, "drawdown": self.drawdown, "correlation": self.correlation}
        if view not in panels:
            raise KeyError(view)
        self.when_shown.flush(panels[view])  # drawn now even when the tab is not on screen (exports)
        return panels[view]

    def current_chart(self) -> ChartPanel:
        return self.chart_tabs.currentWidget()

    def select_view(self, view: str) -> None:
        self.chart_tabs.setCurrentWidget(self.chart_for_view(view))

    def use_tickers(self, tickers: list[str]) -> None:
        names = list(dict.fromkeys(t.strip().upper() for t in tickers if t.strip()))
        error = self.picker.validate(names)
        if error:
            raise BadInput(error)
        self.picker.set_tickers(names)
        self.tickers = names
        self.invalidate()

    def current_table(self) -> DataTable:
        return self.table

    # ------------------------------------------------------------------ inputs
    def add_ticker(self, ticker: str) -> bool:
        """Add a fund to the comparison (e.g. from another tab); False with the reason on the field if not."""
        return self.picker.add(ticker)

    def _tickers_changed(self, tickers: list[str]) -> None:
        self.tickers = list(tickers)
        self.settings.compare.tickers = list(tickers)
        self.invalidate()

    @staticmethod
    def _mode_index(mode: str) -> int:
        return [k for k, _ in MODES].index(mode)

    def set_mode(self, mode: str) -> None:
        """ "common", "full" or "range"."""
        if mode not in dict(MODES):
            raise ValueError(f"unknown window mode {mode!r}")
        self.mode_box.setCurrentIndex(self._mode_index(mode))  # re-enters through _mode_chosen

    def _mode_chosen(self, index: int) -> None:
        mode = self.mode_box.itemData(index)
        if mode != self.mode:
            self.mode = mode
            self.settings.compare.window_mode = mode
            self.invalidate()

    def set_rolling_window(self, window: str) -> None:
        if (
            window not in ROLLING_WINDOWS
            or window == self.rolling
            and all(b.currentData() == window for b in self.rolling_boxes)
        ):
            return
        self.rolling = window
        self.settings.compare.rolling = window
        for box in self.rolling_boxes:
            box.blockSignals(True)
            box.setCurrentText(window)
            box.blockSignals(False)
        if self.data is not None:
            self._rolling_data = rolling_series(self.data.series, window)
            for panel in (self.rolling_return, self.rolling_volatility):
                self.when_shown.put(panel, lambda p=panel: self._show_rolling(p))
            self.when_shown.flush(self.current_chart())

    def set_fee_amount(self, amount: float) -> None:
        self.fee_amount = float(amount)
        self.settings.compare.fee_amount = self.fee_amount
        if abs(self.amount_box.value() - self.fee_amount) > 0.004:
            self.amount_box.blockSignals(True)
            self.amount_box.setValue(self.fee_amount)
            self.amount_box.blockSignals(False)
        if self.data is not None:
            fees = fees_over_window(self.data.series, self._expense_ratios(self.data.tickers), self.fee_amount)
            self._fill_table(self.data, fees, self.fee_amount)

    def _range_key(self):
        return self.view_state.preset, self.view_state.custom_range

    def _range_words(self) -> str:
        """The toolbar's range in a word or two: "5Y", "custom"."""
        return "custom" if self.view_state.preset == "Custom" else self.view_state.preset

    def _range_phrase(self) -> str:
        """ "5Y range", "custom range 2019-01-01 – 2024-12-31", "custom range from 2019-01-01"."""
        if self.view_state.preset != "Custom":
            return f"{self.view_state.preset} range"
        start, end = self.view_state.custom_range
        if start is not None and end is not None:
            return f"custom range {formats.date_range(start, end)}"
        if start is not None:
            return f"custom range from {formats.day(start)}"
        return f"custom range to {formats.day(end)}" if end is not None else "custom range"

    def _update_mode_names(self) -> None:
        self.mode_box.setItemText(self._mode_index("range"), f"Toolbar range ({self._range_words()})")

    def invalidate(self) -> None:
        key = self._range_key()
        if key != self._seen_range:
            self._seen_range = key
            self._update_mode_names()
            if self.isVisible() and self.mode != "range":
                # the user picked a range in the toolbar while looking at this tab: use it
                self.mode = "range"
                self.settings.compare.window_mode = "range"
                self.mode_box.blockSignals(True)
                self.mode_box.setCurrentIndex(self._mode_index("range"))
                self.mode_box.blockSignals(False)
        super().invalidate()

    # ------------------------------------------------------------------ compute
    def busy(self) -> bool:
        """A recomputation is running on the worker pool."""
        return self.job.busy()

    def _expense_ratios(self, tickers) -> dict[str, float | None]:
        out = {}
        for t in tickers:
            fund = self.market.fund(t)
            out[t] = fund.expense_ratio if fund is not None else None
        return out

    def _gather(self) -> dict | None:
        """On the GUI thread: the closes (from the store) and the inputs; None when no fund is chosen."""
        funds = list(self.tickers)
        if not funds:
            return None
        bench = self.view_state.benchmark or None
        names = funds + ([bench] if bench and bench not in funds else [])
        closes = self.market.closes(names)  # DataUnavailable names what is missing
        rng = self.current_range()
        return dict(
            closes=closes,
            funds=funds,
            benchmark=bench,
            mode=self.mode,
            start=rng.start if self.mode == "range" else None,
            end=rng.end if self.mode == "range" else None,
            rolling=self.rolling,
            fee_amount=self.fee_amount,
            expense_ratios=self._expense_ratios(names),
        )

    def _computed(self, data: Comparison | None) -> None:
        if data is None:
            self._show_empty()
        else:
            self._show(data)

    def _busy(self, on: bool) -> None:
        text = self.window_label.text().split(" · updating…")[0]
        self.window_label.setText(text + " · updating…" if on else text)

    def show_problem(self, text: str) -> None:
        self.when_shown.discard()
        super().show_problem(text)
        self.data = None
        self.table.set_frame(
            pd.DataFrame(columns=[c.key for c in metric_columns(None, self.fee_amount)]),
            metric_columns(None, self.fee_amount),
        )
        self.window_label.setText(text)
        self.window_label.setStyleSheet(f"color: {self.theme.loss};")

    def _show_empty(self) -> None:
        self.data = None
        self.when_shown.discard()
        text = f"Add up to {MAX_FUNDS} funds with the field above to compare them."
        for chart in self.charts():
            chart.show_message(text)
        self.table.set_frame(
            pd.DataFrame(columns=[c.key for c in metric_columns(None, self.fee_amount)]),
            metric_columns(None, self.fee_amount),
        )
        self.window_label.setText("No funds chosen.")
        self.window_label.setStyleSheet(f"color: {self.theme.muted};")

    # ------------------------------------------------------------------ display
    def window_text(self, data: Comparison) -> str:
        bench = f" · benchmark {data.benchmark}" if data.benchmark else ""
        if data.mode == "common":
            return (
                f"{data.describe_window()}{bench} · the toolbar range ({self._range_words()}) "
                "is used only in “Toolbar range” mode"
            )
        if data.mode == "full":
            starts = sorted((r["start"], r["ticker"]) for r in data.rows if r["ticker"] in data.funds)
            first, last = starts[0], starts[-1]
            span = f"{first[1]} from {formats.day(first[0])}"
            if last[1] != first[1]:
                span += f" … {last[1]} from {formats.day(last[0])}"
            end = max(r["end"] for r in data.rows)
            return (
                f"full history of each fund ({span}; to {formats.day(end)}): rows cover different periods, "
                f"so compare them with care{bench}"
            )
        return f"toolbar {self._range_in_window(data)}{bench}"

    def _range_in_window(self, data: Comparison) -> str:
        """How the toolbar's range meets the funds' common window (range mode)."""
        phrase = self._range_phrase()
        if data.window.limited_by:
            return f"{phrase} starts before {data.window.limited_by}'s first close, so: {data.describe_window()}"
        row = next(r for r in data.rows if r["ticker"] in data.funds)
        closes = formats.date_range(row["start"], row["end"])
        if self.view_state.preset == "Custom":
            return f"{phrase} (closes {closes}, common to all funds)"
        return f"{phrase}: {closes}, common to all funds"

    def _subtitle(self, data: Comparison) -> str:
        if data.mode == "full":
            return f"full history of each · {formats.date_range(data.first, data.last)}"
        if data.mode == "range":
            return self._range_in_window(data)
        return data.describe_window()

    def _styles(self, data: Comparison) -> dict[str, SeriesStyle]:
        return {data.benchmark: SeriesStyle(role="benchmark")} if data.benchmark else {}

    def _show(self, data: Comparison) -> None:
        """Show a result: the table and the chart on screen now, the other charts when first looked at."""
        self.data = data
        self.window_label.setText(self.window_text(data))
        self.window_label.setStyleSheet(f"color: {self.theme.muted};")
        styles = self._styles(data)
        subtitle = self._subtitle(data)
        source = self.source_text()
        for panel in self.charts():
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
            self.years: lambda: self._show_years(data, styles, subtitle),
            self.correlation: lambda: self._show_correlation(data, subtitle),
        }
        for panel, draw in draws.items():
            self.when_shown.put(panel, draw)
        self.when_shown.flush(self.current_chart())  # the chart in front, also when the tab is hidden
        self._fill_table(data, data.fees, data.fee_amount)
        self._colour_chips(data)

    def _show_lines(self, panel: ChartPanel, series: dict, title: str, subtitle: str) -> None:
        panel.set_series(series, self._styles(self.data))
        panel.set_title(title, subtitle)

    def _show_rolling(self, panel: ChartPanel) -> None:
        data = self.data
        words = WINDOW_WORDS[self.rolling]
        span = SPAN_WORDS[self.rolling]
        ret, vol = self._rolling_data
        series, what = (ret, "return") if panel is self.rolling_return else (vol, "volatility")
        if not series:
            panel.show_message(
                f"The window is shorter than {span}: choose a shorter trailing window or a longer range."
            )
            return
        panel.set_series(series, self._styles(data))
        panel.set_title(
            f"Rolling {words} {what}",
            f"each point: the {what} over the {span} up to that day, so lines start {span} into the window"
            f" · {self._subtitle(data)}",
        )

    def _show_years(self, data: Comparison, styles, subtitle: str) -> None:
        table = data.years.table
        bars = {t: table[t].to_numpy(dtype=float) for t in table.columns}
        self.years.set_bars(data.years.labels(), bars, styles)
        note = " · * partial year (from the window start, or the year to date)" if data.years.partial else ""
        self.years.set_title("Calendar-year returns", subtitle + note)

    def _show_correlation(self, data: Comparison, subtitle: str) -> None:
        corr = data.correlations
        labels = corr.tickers
        self.heatmap.set_matrix(labels, corr.matrix.to_numpy(), corr.days.to_numpy())
        show_matrix(self.correlation, self.heatmap, labels)
        if corr.common:
            days = int(corr.days.to_numpy().max()) if len(labels) else 0
            basis = f"on the {days:,} daily returns all share"
        else:
            basis = "each pair on the days both have"
        self.correlation.set_title(
            "Correlation of daily returns",
            f"{subtitle} · Pearson, {basis} · blue: move together, orange: move opposite",
        )

    def _colour_chips(self, data: Comparison) -> None:
        colours, k = {}, 0
        for name in data.tickers:
            if name == data.benchmark:
                colours[name] = self.theme.benchmark
            else:
                colours[name] = self.theme.series_colour(k)
                k += 1
        self.picker.set_colours(colours)

    def _fill_table(self, data: Comparison, fees: dict[str, float], amount: float) -> None:
        rows, tips = [], {}
        for i, r in enumerate(data.rows):
            t = r["ticker"]
            fund = self.market.fund(t)
            ratio = fund.expense_ratio if fund is not None else None
            row = dict(r)
            row["name"] = fund.name if fund is not None else ""
            row["expense_ratio"] = np.nan if ratio is None else ratio
            row["yearly_fee_on_10000"] = np.nan if ratio is None else fund.yearly_fee(FEE_ON)
            row["fees_paid"] = fees.get(t, np.nan)
            row["best_year"] = "" if r["best_year"] is None else str(r["best_year"])
            row["worst_year"] = "" if r["worst_year"] is None else str(r["worst_year"])
            rows.append(row)
            if fund is not None:
                tips[(i, "name")] = f"{fund.name} · {fund.group} · {fund.issuer}"
                tips[(i, "ticker")] = tips[(i, "name")]
            if ratio is not None:
                tips[(i, "expense_ratio")] = (
                    f"{fund.expense_ratio_pct:.2f} % a year, as of {fund.expense_ratio_as_of}\nSource: {fund.source}"
                )
                tips[(i, "fees_paid")] = (
                    f"{fund.expense_ratio_pct:.2f} % a year on {formats.money(amount)} held "
                    f"{formats.date_range(r['start'], r['end'])}, accrued daily on the growing balance"
                )
            if r["max_drawdown_peak"] is not None:
                rec = formats.day(r["max_drawdown_recovery"]) if r["max_drawdown_recovery"] is not None else "not yet"
                tips[(i, "max_drawdown")] = (
                    f"peak {formats.day(r['max_drawdown_peak'])}, trough {formats.day(r['max_drawdown_trough'])}, "
                    f"recovered {rec}"
                )
            if r["max_drawdown_recovery"] is None and r["max_drawdown_peak"] is not None:
                tips[(i, "max_drawdown_recovery")] = f"not back at the {formats.day(r['max_drawdown_peak'])} peak yet"
        columns = metric_columns(data.benchmark, amount)
        frame = pd.DataFrame(rows)
        bold = [i for i, r in enumerate(rows) if r["ticker"] == data.benchmark and r["ticker"] not in data.funds]
        self.table.set_frame(frame, columns, tooltips=tips, bold_rows=bold)
        name_col = self.table.column_index("name")
        self.table.setColumnWidth(name_col, min(self.table.columnWidth(name_col), 240))
        self.table_caption.setText(f"Metrics over the window ({self._subtitle(data)}) · hover a header for its formula")

    # ------------------------------------------------------------------ theme
    def theme_changed(self, theme) -> None:
        self.picker.apply_theme(theme)
        self.heatmap.apply_theme(theme)
        problem = self.data is None and self.window_label.text() and not self.window_label.text().startswith("No funds")
        self.window_label.setStyleSheet(f"color: {theme.loss if problem else theme.muted};")
        self.fees_help.setStyleSheet(f"color: {theme.muted};")
        self.table_caption.setStyleSheet(f"color: {theme.muted};")
        if self.data is not None:
            self._colour_chips(self.data)


def _compute(args: dict) -> Comparison:
    """The pure computation (runs on a worker thread when the tab is on screen)."""
    try:
        return build_comparison(**args)
    except WindowError as exc:
        raise DataUnavailable(str(exc)) from None
