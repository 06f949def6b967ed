"""The Sector Tilts Strategies page: would acting on a rotation signal have paid?

Left, the rule: the pair rule (hold NUM while NUM/DEN closes above its N-session average, else DEN)
or the RRG rule (hold, equal-weight, the Rotation graph's tickers in the chosen quadrants, weekly or
daily), and the cost per trade. The window is the toolbar's range, the benchmark the toolbar's.
Right: growth of $10,000 against buying and holding each leg and the benchmark, the figures (the
numbers of ``rotation-desk strategy … --format json``) and the list of trades. One job runs the rule
(``strategy_compute.strategy_job``) once the inputs rest and the page is on screen.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from rotation_desk.core import strategy_pair
from rotation_desk.core.rrg import FREQUENCIES
from rotation_desk.errors import BadInput
from rotation_desk.ui.charts.axes import money_style
from rotation_desk.ui.charts.panel import ChartPanel, SeriesStyle
from rotation_desk.ui.kit.boxes import column
from rotation_desk.ui.kit.currency_bar import CurrencyBar, CurrencyRefused
from rotation_desk.ui.kit.widgets import fit_combo, show_field_error, splitter
from rotation_desk.ui.state.sections import QUADRANTS
from rotation_desk.ui.tables.table import Column, DataTable
from rotation_desk.ui.tabs.base import Tab
from rotation_desk.ui.tabs.sectors import strategy_compute as sc
from rotation_desk.ui.tabs.sectors.compute import prepared_closes
from rotation_desk.ui.tabs.sectors.panes import stacked
from rotation_desk.ui.tabs.sectors.tilt_rules_box import cost_box

RUN_DELAY_MS = 300
FIGURE_TABLE_COLUMNS = [
    Column("name", "Line"),
    Column("final_value", "Value of $10k", kind="money", tooltip="the command's value of 1 × 10,000"),
    Column("total_return", "Total", kind="percent", signed=True, colour="sign"),
    Column("cagr", "CAGR", kind="percent", signed=True, colour="sign", digits=2),
    Column("volatility", "Volatility", kind="percent", tooltip="stdev of daily returns × √252"),
    Column("max_drawdown", "Max DD", kind="percent", colour="sign"),
    Column("trades", "Changes", kind="integer", tooltip="changes of holding after the first purchase"),
    Column("turnover", "Turnover", kind="percent", digits=0, tooltip="one-way, summed over the rebalances"),
    Column("costs", "Costs", kind="money", tooltip="paid on $10,000, the first purchase included"),
    Column("time_held", "Time held", kind="percent", tooltip="share of the window the strategy held it"),
]
TRADE_TABLE_COLUMNS = [
    Column("date", "Traded at close", kind="date"),
    Column("holding", "Holding after", stretch=True),
    Column("turnover", "Turnover", kind="percent", digits=0, tooltip="one-way share of the portfolio replaced"),
    Column("cost", "Cost", kind="percent", digits=2, tooltip="cost as a share of the value before the trade"),
]


class StrategyPage(QWidget):
    def __init__(self, tab: Tab, tickers: Callable[[], list[str]]):
        super().__init__()
        self.market, self.settings, self.view_state, self.theme = tab.market, tab.settings, tab.view_state, tab.theme
        self.current_range, self.source_text, self.rrg_names = tab.current_range, tab.source_text, tickers
        self.result = None
        self._build()
        self.job = tab.add_job("strategy backtest", self, self._inputs, sc.strategy_job, self._done, self.show_problem)
        self.tickers_changed()

    def tickers_changed(self) -> None:
        """The Rotation graph's tickers changed: the RRG rule holds them."""
        self.tickers_note.setText(self.tickers_text(list(sc.rrg_tickers(self.rrg_names(), self.view_state.benchmark))))
        if self.rule() == "rrg":
            self.job.invalidate()

    def _build(self) -> None:
        prefs = self.settings.sectors
        self.rule_box = QComboBox()
        for key, text in sc.RULES:
            self.rule_box.addItem(text, key)
        self.rule_box.setCurrentIndex(max(self.rule_box.findData(prefs.strategy_rule), 0))
        fit_combo(self.rule_box)
        self.pair_edit = QLineEdit(prefs.strategy_pair)
        self.pair_edit.setToolTip("NUM/DEN, e.g. IWM/SPY: hold NUM while the ratio is above its average, else DEN")
        self.pair_error = QLabel(wordWrap=True)
        self.pair_error.hide()
        self.average_spin = QSpinBox()
        self.average_spin.setRange(2, strategy_pair.MAX_AVERAGE)
        self.average_spin.setValue(prefs.strategy_average)
        self.average_spin.setSuffix(" sessions")
        self.average_spin.setKeyboardTracking(False)
        self.average_spin.setToolTip(
            "The simple average of the ratio's last N closes (it may use closes before the window)"
        )
        pair_box = QWidget()
        pair_form = QFormLayout(pair_box)
        pair_form.setContentsMargins(0, 0, 0, 0)
        pair_form.addRow("Pair", self.pair_edit)
        pair_form.addRow("", self.pair_error)
        pair_form.addRow("Average", self.average_spin)

        self.quadrant_checks = {q: QCheckBox(q) for q in QUADRANTS}
        for q, check in self.quadrant_checks.items():
            check.setChecked(q in prefs.strategy_quadrants)
        self.frequency_box = QComboBox()
        self.frequency_box.addItems(list(FREQUENCIES))
        self.frequency_box.setCurrentText(prefs.strategy_frequency)
        fit_combo(self.frequency_box)
        self.frequency_box.setToolTip("Weekly points (traded at the next week's last close) or daily")
        self.tickers_note = QLabel(wordWrap=True)
        rrg_box = QWidget()
        rrg_form = QFormLayout(rrg_box)
        rrg_form.setContentsMargins(0, 0, 0, 0)
        quads = QWidget()
        quad_layout = QVBoxLayout(quads)
        quad_layout.setContentsMargins(0, 0, 0, 0)
        quad_layout.setSpacing(2)
        for check in self.quadrant_checks.values():
            quad_layout.addWidget(check)
        rrg_form.addRow("Hold", quads)
        rrg_form.addRow("Points", self.frequency_box)
        rrg_form.addRow(self.tickers_note)
        self.rule_stack = QStackedWidget()
        self.rule_stack.addWidget(pair_box)
        self.rule_stack.addWidget(rrg_box)

        self.cost_spin = cost_box(prefs.strategy_cost_bps)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Rule", self.rule_box)
        form.addRow("Cost", self.cost_spin)
        self.window_note = QLabel(wordWrap=True)
        self.window_note.setText("Window and benchmark: the toolbar's range and benchmark.")
        controls = QWidget()
        column(controls, [form, self.rule_stack, self.window_note, 1], (0, 0, 8, 0), 8)
        controls.setMinimumWidth(260)

        self.caption = QLabel(wordWrap=True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.growth = ChartPanel("sectors.strategy", money_style(sc.INITIAL), theme=self.theme, settings=self.settings)
        self.growth.setMinimumHeight(250)
        self.figures = DataTable("sectors.strategy_figures", self.theme)
        self.trades = DataTable("sectors.strategy_trades", self.theme)
        for table in (self.figures, self.trades):
            table.setMinimumHeight(110)
        self.trades_caption = QLabel("Trades: each change of holding, at the close it is traded", wordWrap=True)
        left = splitter(
            Qt.Orientation.Vertical,
            [controls, stacked([self.trades_caption, self.trades], [0, 1], spacing=4)],
            [0, 1],
            [330, 300],
        )
        right = stacked(
            [self.caption, splitter(Qt.Orientation.Vertical, [self.growth, self.figures], [3, 2], [360, 200])],
            [0, 1],
            spacing=4,
        )
        self.currency_bar = CurrencyBar(self.settings, self.view_state, self.theme)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.currency_bar)
        layout.addWidget(splitter(Qt.Orientation.Horizontal, [left, right], [0, 1], [290, 1000]), 1)

        self.rule_box.currentIndexChanged.connect(self._rule_chosen)
        self.pair_edit.editingFinished.connect(self._edited)
        for w in (self.average_spin, self.cost_spin):
            w.valueChanged.connect(self._edited)
        for check in self.quadrant_checks.values():
            check.toggled.connect(self._edited)
        self.frequency_box.currentIndexChanged.connect(self._edited)
        self._rule_chosen(emit=False)

    # ------------------------------------------------------------------ inputs
    def rule(self) -> str:
        return self.rule_box.currentData()

    def quadrants(self) -> tuple[str, ...]:
        return tuple(q for q, c in self.quadrant_checks.items() if c.isChecked())

    def problem(self) -> str | None:
        if self.rule() == "pair":
            return sc.pair_problem(self.pair_edit.text(), self.market.ticker_names())[1]
        if not self.quadrants():
            return "tick at least one quadrant to hold"
        return None

    def _rule_chosen(self, *_args, emit: bool = True) -> None:
        self.rule_stack.setCurrentIndex(0 if self.rule() == "pair" else 1)
        if emit:
            self._edited()

    def _edited(self, *_args) -> None:
        prefs = self.settings.sectors
        prefs.strategy_rule, prefs.strategy_average = self.rule(), self.average_spin.value()
        prefs.strategy_cost_bps, prefs.strategy_frequency = self.cost_spin.value(), self.frequency_box.currentText()
        if self.quadrants():
            prefs.strategy_quadrants = list(self.quadrants())
        pair, error = sc.pair_problem(self.pair_edit.text(), self.market.ticker_names())
        if pair is not None:
            prefs.strategy_pair = "/".join(pair)
            self.pair_error.hide()
            self.pair_edit.setStyleSheet("")
            self.pair_edit.setToolTip("")
        elif self.rule() == "pair":
            show_field_error(self.pair_edit, self.pair_error, error, self.theme)
        problem = self.problem()
        if problem:
            self.job.cancel()
            self.show_problem(problem)
            return
        self.job.later(RUN_DELAY_MS)

    def tickers_text(self, names: list[str]) -> str:
        bench = self.view_state.benchmark
        return f"Tickers: the Rotation graph's {len(names)} ({', '.join(names)}); none qualifying: {bench}."

    def _inputs(self) -> sc.StrategyInputs:
        """On the GUI thread: the rule's inputs, the toolbar's range and benchmark, and the closes."""
        problem = self.problem()
        if problem:
            raise BadInput(problem)
        bench = self.view_state.benchmark
        tickers = sc.rrg_tickers(self.rrg_names(), bench)
        self.tickers_note.setText(self.tickers_text(list(tickers)))
        pair = sc.pair_problem(self.pair_edit.text(), self.market.ticker_names())[0] or ("IWM", "SPY")
        where, what = ("a pair strategy", "a pair ratio") if self.rule() == "pair" else ("an RRG strategy",) * 2
        names = sc.needed(self.rule(), pair, tickers, bench)
        state = self.currency_bar.check(self.market, names, "a rule across them")  # converted, or refused
        if state.refused:
            raise CurrencyRefused(state)
        closes = prepared_closes(self.market, names, where, what, in_currency="USD" if state.converted else None)
        window = self.current_range()
        return sc.StrategyInputs(
            closes,
            self.rule(),
            bench,
            window.start,
            window.end,
            f"{window.label} range",
            self.cost_spin.value(),
            pair,
            self.average_spin.value(),
            tickers,
            self.quadrants(),
            self.frequency_box.currentText(),
        )

    # ------------------------------------------------------------------ showing
    def _done(self, payload) -> None:
        result, inputs = payload
        self.result = result
        self.caption.setText(sc.caption(result, inputs))
        lines = sc.growth(result)
        styles = {n: SeriesStyle(role="benchmark") for n in lines if n == f"{inputs.benchmark} held"}
        self.growth.set_series(lines, styles)
        self.growth.set_title("Growth of $10,000: the rule vs buying and holding", sc.chart_subtitle(result))
        self.growth.set_source(self.source_text())
        self.figures.set_frame(sc.figure_rows(result), FIGURE_TABLE_COLUMNS, bold_rows=[0])
        trades = sc.trade_rows(result)
        tips = {(i, "holding"): h for i, h in enumerate(trades["holding"])}
        self.trades.set_frame(trades, TRADE_TABLE_COLUMNS, tooltips=tips)

    def show_problem(self, text: str) -> None:
        self.result = None
        if self.currency_bar.refusal(text):  # said in full in the currency line above
            text = "the tickers are in more than one currency (see above)"
        message = f"Not run: {text}"
        self.caption.setText(message)
        self.growth.show_message(message)
        self.figures.set_frame(pd.DataFrame(columns=sc.FIGURE_COLUMNS), FIGURE_TABLE_COLUMNS)
        self.trades.set_frame(pd.DataFrame(columns=sc.TRADE_COLUMNS), TRADE_TABLE_COLUMNS)

    def apply_theme(self, theme) -> None:
        self.theme = theme
        self.currency_bar.apply_theme(theme)
        for label in (self.caption, self.window_note, self.tickers_note, self.trades_caption):
            label.setStyleSheet(f"color: {theme.muted};")
