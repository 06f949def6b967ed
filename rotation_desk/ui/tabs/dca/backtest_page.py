"""The DCA tab's Backtest page: the plan over a past window, beside the same money as a lump sum and the
same plan into SPY. Every figure comes from ``run_backtest``'s ``BacktestResult`` (as ``rotation-desk dca
--backtest``); this module only lays it out."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from rotation_desk.core.calendar import CALENDAR_END, CALENDAR_START
from rotation_desk.core.dca.results import BacktestResult, Outcome
from rotation_desk.data.proxies import suggestions
from rotation_desk.ui.charts.axes import money_style
from rotation_desk.ui.charts.panel import ChartPanel, SeriesStyle
from rotation_desk.ui.kit import formats
from rotation_desk.ui.kit.boxes import column
from rotation_desk.ui.kit.proxy_choice import ProxyBar, ProxyShading, statement
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.kit.widgets import StatCard, card_row, scrolling, splitter
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.tables.table import Column, DataTable
from rotation_desk.ui.tabs.dca.schedule_page import RESIZE_ROWS, with_iso_dates

PLAN_VALUE = "Plan value"
INVESTED = "Invested"
LUMP_SUM = "Same money as a lump sum"


def bench_name(ticker: str) -> str:
    return f"Same plan into {ticker}"


def _qdate(day) -> QDate:
    day = pd.Timestamp(day)
    return QDate(day.year, day.month, day.day)


def _day(qdate: QDate) -> pd.Timestamp:
    return pd.Timestamp(dt.date(qdate.year(), qdate.month(), qdate.day()))


class BacktestPage(QWidget):
    window_edited = Signal()  # the user changed From or To
    window_reset = Signal()  # back to the plan's own window
    export_ledger_requested = Signal()

    def __init__(self, theme: Theme = LIGHT, settings: Settings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.theme = theme
        self._override: dict[str, pd.Timestamp | None] = {"start": None, "end": None}

        self.from_edit = self._date_edit("First day of the backtest window (the plan restarts here)")
        self.to_edit = self._date_edit("Last day of the backtest window (replaces the plan's end or count)")
        self.from_edit.dateChanged.connect(lambda _d: self._edited("start"))
        self.to_edit.dateChanged.connect(lambda _d: self._edited("end"))
        self.reset_button = QPushButton("Plan's window")
        self.reset_button.setToolTip(
            "The plan's own dates; a plan that starts after the last close is tried over the most recent "
            "stretch of the same length"
        )
        self.reset_button.clicked.connect(self.reset_window)
        self.window_note = QLabel()
        self.window_note.setWordWrap(True)
        controls = QHBoxLayout()
        controls.setSpacing(6)
        controls.addWidget(QLabel("Backtest from"))
        controls.addWidget(self.from_edit)
        controls.addWidget(QLabel("to"))
        controls.addWidget(self.to_edit)
        controls.addWidget(self.reset_button)
        controls.addSpacing(12)
        self.proxy_bar = ProxyBar(suggestions, theme)  # Extend history: the plan's funds before their first close
        self.proxy_bar.show_label = False  # the line goes under the window note, where there is room for it
        self.proxy_note = QLabel()
        self.proxy_note.setWordWrap(True)
        self.proxy_note.hide()
        self.shading, self._proxied = ProxyShading(), ({}, None)
        controls.addWidget(self.proxy_bar)
        controls.addStretch(1)

        self.cards = {
            "invested": StatCard("Invested", theme),
            "value": StatCard("Value", theme),
            "gain": StatCard("Gain", theme),
            "xirr": StatCard("XIRR", theme),
            "twr": StatCard("Time-weighted return", theme),
            "max_drawdown": StatCard("Max drawdown", theme),
        }
        tips = {
            "invested": "All money paid in, fees included",
            "value": "Holdings at the last close plus uninvested cash",
            "gain": "Value − invested",
            "xirr": "Money-weighted annual return of the dated contributions and the final value (365-day years)",
            "twr": "Growth of the account with the contributions taken out (chain-linked daily), whole window",
            "max_drawdown": "Worst fall of the time-weighted account index from a running peak",
        }
        for key, card in self.cards.items():
            card.caption.setToolTip(tips[key])
        cards = card_row(self.cards.values())

        self.chart = ChartPanel("dca.backtest", money_style(), theme=theme, settings=settings)
        self.comparison = DataTable("dca.comparison", theme)
        self.holdings = DataTable("dca.holdings", theme)
        self.ledger = DataTable("dca.ledger", theme, resize_rows=RESIZE_ROWS)
        self.ledger_button = QPushButton("Export ledger CSV…")
        self.ledger_button.setToolTip("Every order: date, ticker, price, amount, fee, shares, cash after, invested")
        self.ledger_button.clicked.connect(self.export_ledger_requested)
        self.ledger_note = QLabel()
        ledger_page = QWidget()
        top = QHBoxLayout()
        top.addWidget(self.ledger_note, 1)
        top.addWidget(self.ledger_button)
        column(ledger_page, [top, (self.ledger, 1)], (0, 4, 0, 0), 4)
        self.tables = QTabWidget()
        self.tables.setDocumentMode(True)
        self.tables.addTab(self.comparison, "Plan vs lump sum vs SPY")
        self.tables.addTab(self.holdings, "Shares and cost basis")
        self.tables.addTab(ledger_page, "Ledger")

        self.tables.setMinimumHeight(150)
        split = splitter(Qt.Orientation.Vertical, [self.chart, self.tables], [3, 2])
        content = QWidget()
        column(content, [controls, self.window_note, self.proxy_note, cards, (split, 1)], (0, 4, 0, 0))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content))  # a short window scrolls: the chart keeps its plot height
        self.splitter = split
        split.setSizes([520, 300])
        self.apply_theme(theme)
        self.ledger_button.setEnabled(False)

    # -- the window pickers -------------------------------------------------------------
    def _date_edit(self, tip: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setDateRange(_qdate(CALENDAR_START), _qdate(CALENDAR_END))
        edit.setToolTip(tip)
        edit.setKeyboardTracking(False)
        return edit

    def _edited(self, which: str) -> None:
        edit = self.from_edit if which == "start" else self.to_edit
        self._override[which] = _day(edit.date())
        self.window_edited.emit()

    def overrides(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        """The window the user chose (None: the plan's own, as ``rotation-desk dca`` without --from/--to)."""
        return self._override["start"], self._override["end"]

    def set_overrides(self, start, end) -> None:
        self._override = {
            "start": None if start is None else pd.Timestamp(start).normalize(),
            "end": None if end is None else pd.Timestamp(end).normalize(),
        }
        self._show_dates(self._override["start"], self._override["end"])

    def reset_window(self) -> None:
        self._override = {"start": None, "end": None}
        self.window_reset.emit()

    def set_window(self, start, end) -> None:
        """Show the window that was used (without counting it as the user's choice)."""
        self._show_dates(
            self._override["start"] if self._override["start"] is not None else start,
            self._override["end"] if self._override["end"] is not None else end,
        )

    def _show_dates(self, start, end) -> None:
        for edit, day in ((self.from_edit, start), (self.to_edit, end)):
            if day is not None:
                edit.blockSignals(True)
                edit.setDate(_qdate(day))
                edit.blockSignals(False)

    # -- results -----------------------------------------------------------------------
    def show_result(self, result: BacktestResult, default: bool, plan_start=None) -> None:
        note = (
            f"{result.buys} buys from {formats.day(result.start)} to the {formats.day(result.end)} close, "
            "each at that session's adjusted close"
        )
        if not default:
            note += " (the window chosen here)."
        elif plan_start is not None and result.end < pd.Timestamp(plan_start):
            note += ". The plan starts after the last close, so it is tried over the latest stretch of its length."
        else:
            note += " (the plan's own window)."
        self.window_note.setText(note)
        self._fill_cards(result.dca)
        self._fill_chart(result)
        self._fill_comparison(result)
        self._fill_holdings(result)
        self._fill_ledger(result)
        self.ledger_button.setEnabled(True)

    def show_proxies(self, splices: dict, start) -> None:
        """The proxied spans of the backtest shaded, and the line naming them (none: cleared)."""
        self._proxied = (splices, start)
        self.shading.show([self.chart], splices, {t: start for t in splices}, {}, self.theme)
        self.proxy_note.setText(statement(splices, "shaded in the chart"))
        self.proxy_note.setVisible(bool(splices))

    def show_message(self, text: str) -> None:
        self.chart.show_message(text)
        for card in self.cards.values():
            card.set_value(formats.MISSING)
        self.cards["gain"].caption.setText("Gain")
        for table in (self.comparison, self.holdings, self.ledger):
            table.clear_frame()
        self.ledger_note.setText("")
        self.window_note.setText("")
        self.ledger_button.setEnabled(False)

    def _fill_cards(self, o: Outcome) -> None:
        self.cards["invested"].set_value(formats.money(o.invested), tooltip=f"fees {formats.money(o.fees)}")
        self.cards["value"].set_value(formats.money(o.value), tooltip=f"of which cash {formats.money(o.cash)}")
        ratio = o.gain / o.invested if o.invested else float("nan")
        self.cards["gain"].caption.setText(f"Gain ({formats.pct(ratio)} of invested)")
        self.cards["gain"].set_value(formats.money(o.gain, signed=True), o.gain)
        self.cards["xirr"].set_value(formats.pct(o.xirr, 2), o.xirr)
        self.cards["twr"].set_value(formats.pct(o.twr, 2), o.twr)
        dd = o.max_drawdown
        tip = ""
        if getattr(dd, "peak", None) is not None:
            rec = formats.day(dd.recovery) if getattr(dd, "recovery", None) is not None else "not recovered"
            tip = f"peak {formats.day(dd.peak)}, trough {formats.day(dd.trough)}, recovery {rec}"
        self.cards["max_drawdown"].set_value(formats.pct(dd.depth, 1), dd.depth, tip)

    def _fill_chart(self, result: BacktestResult) -> None:
        plan = result.plan
        series = {PLAN_VALUE: result.dca.value_series, INVESTED: result.dca.invested_series}
        styles = {INVESTED: SeriesStyle(role="reference")}
        series[LUMP_SUM] = result.lump_sum.value_series
        if result.benchmark is not None:
            name = bench_name(result.benchmark_ticker)
            series[name] = result.benchmark.value_series
            styles[name] = SeriesStyle(role="benchmark")
        self.chart.set_series(series, styles)
        alloc = " / ".join(f"{t} {w:g} %" for t, w in plan.allocation.items())
        every = {"weekly": "a week", "biweekly": "every two weeks", "monthly": "a month", "quarterly": "a quarter"}
        self.chart.set_title(
            f"{plan.name}: value vs money invested",
            f"{formats.money(plan.contribution)} {every[plan.frequency]} into {alloc} · "
            f"{formats.date_range(result.start, result.end)} · {result.buys} buys",
        )

    def _fill_comparison(self, result: BacktestResult) -> None:
        rows = [("Plan", result.dca), ("Lump sum on day one", result.lump_sum)]
        if result.benchmark is not None:
            rows.append((f"Same plan into {result.benchmark_ticker}", result.benchmark))
        frame = pd.DataFrame(
            [
                {
                    "what": label,
                    "invested": o.invested,
                    "value": o.value,
                    "gain": o.gain,
                    "gain_pct": o.gain / o.invested if o.invested else float("nan"),
                    "xirr": o.xirr,
                    "twr": o.twr,
                    "max_drawdown": o.max_drawdown.depth,
                    "fees": o.fees,
                }
                for label, o in rows
            ]
        )
        self.comparison.put_frame(
            frame,
            [
                Column("what", "Invested as"),
                Column("invested", "Invested", kind="money"),
                Column("value", "Value", kind="money", tooltip=f"at the {formats.day(result.end)} close"),
                Column("gain", "Gain", kind="money", signed=True, colour="sign"),
                Column("gain_pct", "Gain %", kind="percent", signed=True, colour="sign"),
                Column(
                    "xirr",
                    "XIRR",
                    kind="percent",
                    digits=2,
                    signed=True,
                    colour="sign",
                    tooltip="money-weighted annual return",
                ),
                Column(
                    "twr",
                    "TWR",
                    kind="percent",
                    digits=2,
                    signed=True,
                    colour="sign",
                    tooltip="time-weighted return over the window",
                ),
                Column(
                    "max_drawdown",
                    "Max DD",
                    kind="percent",
                    colour="sign",
                    tooltip="worst fall of the time-weighted account index from a running peak",
                ),
                Column("fees", "Fees", kind="money"),
            ],
            bold_rows=[0],
        )

    def _fill_holdings(self, result: BacktestResult) -> None:
        h = result.holdings.reset_index()
        target = result.plan.weights
        h["target"] = [target.get(t, float("nan")) for t in h["ticker"]]
        h["gain"] = h["value"] - h["cost_basis"]
        h["gain_pct"] = h["gain"] / h["cost_basis"].where(h["cost_basis"] > 0)
        h["avg_cost"] = h["cost_basis"] / h["shares"].where(h["shares"] > 0)
        whole = not result.plan.fractional
        self.holdings.put_frame(
            h,
            [
                Column("ticker", "Ticker"),
                Column("shares", "Shares", kind="integer" if whole else "number", digits=None if whole else 4),
                Column("cost_basis", "Cost basis", kind="money", tooltip="money spent on the ticker, fees included"),
                Column("avg_cost", "Avg. cost / share", kind="money"),
                Column("last_price", "Last close", kind="money", tooltip=f"the {formats.day(result.end)} close"),
                Column("value", "Value", kind="money"),
                Column("gain", "Gain", kind="money", signed=True, colour="sign"),
                Column("gain_pct", "Gain %", kind="percent", signed=True, colour="sign"),
                Column("weight", "Weight now", kind="percent", tooltip="share of the holdings' value"),
                Column("target", "Target", kind="percent"),
            ],
        )

    def _fill_ledger(self, result: BacktestResult) -> None:
        ledger = result.ledger
        whole = not result.plan.fractional
        self.ledger.put_frame(
            with_iso_dates(ledger),
            [
                Column("date", "Date", kind="date"),
                Column("ticker", "Ticker"),
                Column("price", "Price", kind="money", digits=4),
                Column("amount", "Amount", kind="money", tooltip="spent on the order, fee included"),
                Column("fee", "Fee", kind="money"),
                Column("shares", "Shares", kind="integer" if whole else "number", digits=None if whole else 6),
                Column("cash_after", "Cash after", kind="money"),
                Column("cumulative_invested", "Invested so far", kind="money"),
            ],
        )
        self.ledger_note.setText(
            f"{len(ledger):,} orders · spent {formats.money(ledger['amount'].sum())} + cash "
            f"{formats.money(result.dca.cash)} = invested {formats.money(result.invested)}"
        )

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.window_note.setStyleSheet(f"color: {theme.muted};")
        self.ledger_note.setStyleSheet(f"color: {theme.muted};")
        for card in self.cards.values():
            card.apply_theme(theme)
        self.proxy_note.setStyleSheet(f"color: {theme.muted};")
        if self._proxied[0]:
            self.show_proxies(*self._proxied)
