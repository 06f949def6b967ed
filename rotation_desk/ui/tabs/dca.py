"""DCA Planner: what a monthly plan into the allocation would have done over the selected range."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from rotation_desk.core.metrics import common_window
from rotation_desk.ui import formats
from rotation_desk.ui.chart_axes import money_style
from rotation_desk.ui.chart_panel import ChartPanel, SeriesStyle
from rotation_desk.ui.dca_history import simulate_dca
from rotation_desk.ui.table import Column, DataTable
from rotation_desk.ui.tabs.base import Tab, TabServices
from rotation_desk.ui.widgets import StatCard

PLAN_VALUE = "Plan value"
INVESTED = "Invested"


class DcaTab(Tab):
    title = "DCA Planner"
    key = "dca"
    views = ("dca",)

    def __init__(
        self,
        services: TabServices,
        allocation: dict[str, float] | None = None,
        contribution: float | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(services, parent)
        plan = self.settings.dca
        self.allocation = dict(allocation or plan["allocation"])
        self.contribution = float(contribution or plan["contribution"])

        self.amount = QDoubleSpinBox(minimum=1.0, maximum=1_000_000.0, decimals=2, singleStep=50.0, prefix="$ ")
        self.amount.setValue(self.contribution)
        self.amount.setGroupSeparatorShown(True)
        self.amount.setKeyboardTracking(False)
        self.amount.valueChanged.connect(self._amount_changed)
        self.plan_label = QLabel()
        self.rules_label = QLabel()
        self.rules_label.setWordWrap(True)
        plan_row = QHBoxLayout()
        plan_row.setSpacing(8)
        plan_row.addWidget(QLabel("Monthly contribution"))
        plan_row.addWidget(self.amount)
        plan_row.addSpacing(12)
        plan_row.addWidget(self.plan_label, 1)

        self.cards = {
            "invested": StatCard("Invested"),
            "value": StatCard("Value"),
            "gain": StatCard("Gain"),
            "bench": StatCard("Same money into SPY"),
            "buys": StatCard("Monthly buys"),
        }
        cards_row = QHBoxLayout()
        cards_row.setSpacing(24)
        for card in self.cards.values():
            cards_row.addWidget(card)
        cards_row.addStretch(1)
        cards = QFrame()
        cards.setLayout(cards_row)

        self.chart = ChartPanel("dca.history", money_style(), theme=self.theme, settings=self.settings)
        self.table = DataTable("dca.holdings", self.theme)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.chart)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(plan_row)
        layout.addWidget(self.rules_label)
        layout.addWidget(cards)
        layout.addWidget(splitter, 1)
        self.theme_changed(self.theme)

    def chart_for_view(self, view: str) -> ChartPanel:
        if view == "dca":
            return self.chart
        raise KeyError(view)

    def _amount_changed(self, value: float) -> None:
        self.contribution = float(value)
        self.settings.dca["contribution"] = self.contribution
        self.invalidate()

    def theme_changed(self, theme) -> None:
        self.rules_label.setStyleSheet(f"color: {theme.muted};")
        for card in self.cards.values():
            card.apply_theme(theme)

    # ------------------------------------------------------------------ compute
    def reload(self) -> None:
        window = self.current_range()
        bench = self.view_state.benchmark
        tickers = self.market.require(list(self.allocation))
        closes = self.market.closes(tickers + ([bench] if bench not in tickers else []), end=window.end)
        first, _, limiting = common_window(closes[tickers])
        start = window.clip_start(first)
        history = simulate_dca(closes, self.allocation, self.contribution, start, window.end, bench)

        self.plan_label.setText(
            "Allocation: " + " · ".join(f"{t} {w:g} %" for t, w in self.allocation.items())
        )
        limited = f" (limited by {limiting}, first close {formats.day(first)})" if start == first else ""
        self.rules_label.setText(
            f"{window.label} window {formats.date_range(history.start, history.end)}{limited}. One contribution on the "
            "first session of each month (the first on the window's first session), split by the allocation, "
            "fractional shares at the adjusted close (dividends reinvested), no fees."
        )
        series = {PLAN_VALUE: history.value, INVESTED: history.invested}
        styles = {INVESTED: SeriesStyle(role="reference")}
        bench_name = f"Same money into {bench}"
        if history.benchmark_value is not None:
            series[bench_name] = history.benchmark_value
            styles[bench_name] = SeriesStyle(role="benchmark")
        self.chart.set_series(series, styles)
        alloc = " / ".join(f"{t} {w:g}" for t, w in self.allocation.items())
        self.chart.set_title(
            f"{formats.money(self.contribution)} a month into {alloc}",
            f"Value vs money invested · {formats.date_range(history.start, history.end)} · {history.contributions} monthly buys",
        )
        self.chart.set_source(self.source_text())
        self._fill_cards(history, bench)
        self._fill_table(history)

    def _fill_cards(self, history, bench: str) -> None:
        invested = float(history.invested.iloc[-1])
        value = float(history.value.iloc[-1])
        gain = value - invested
        t = self.theme
        self.cards["invested"].set_value(formats.money(invested))
        self.cards["value"].set_value(formats.money(value))
        self.cards["gain"].set_value(
            f"{formats.money(gain, signed=True)}  ({formats.pct(gain / invested)})", t.sign_colour(gain)
        )
        self.cards["bench"].caption.setText(f"Same money into {bench}")
        if history.benchmark_value is not None:
            self.cards["bench"].set_value(formats.money(float(history.benchmark_value.iloc[-1])))
        else:
            self.cards["bench"].set_value(formats.MISSING, tooltip=f"{bench} has no prices for the whole window")
        self.cards["buys"].set_value(str(history.contributions))

    def _fill_table(self, history) -> None:
        frame = history.holdings.copy()
        total = pd.DataFrame(
            [
                {
                    "ticker": "Total",
                    "target": frame["target"].sum(),
                    "shares": float("nan"),
                    "cost": frame["cost"].sum(),
                    "value": frame["value"].sum(),
                    "gain": frame["gain"].sum(),
                    "weight": 1.0,
                }
            ]
        )
        frame = pd.concat([frame, total], ignore_index=True)
        frame["gain_pct"] = frame["gain"] / frame["cost"]
        self.table.set_frame(
            frame,
            [
                Column("ticker", "Holding"),
                Column("target", "Target", kind="percent", digits=0),
                Column("shares", "Shares", kind="number", digits=4),
                Column("cost", "Invested", kind="money"),
                Column("value", f"Value {formats.day(history.end)}", kind="money"),
                Column("gain", "Gain", kind="money", signed=True, colour="sign"),
                Column("gain_pct", "Gain %", kind="percent", signed=True, colour="sign"),
                Column("weight", "Weight now", kind="percent", tooltip="share of the account's value today", stretch=True),
            ],
            bold_rows=[len(frame) - 1],
        )
