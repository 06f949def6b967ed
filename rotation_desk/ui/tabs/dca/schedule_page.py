"""The DCA tab's Schedule page: every forward buy (date, ticker, amount, estimated shares, running total),
a summary, the CSV / iCalendar exports, and "Mark as bought…" for the selected row (``journal_actions``)."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QStackedLayout, QVBoxLayout, QWidget

from rotation_desk.core.dca.plan import DcaPlan
from rotation_desk.core.dca.schedule import ScheduleSummary
from rotation_desk.ui.kit import formats
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.kit.widgets import StatCard, card_row, control_row
from rotation_desk.ui.tables.table import RAW_ROLE, Column, DataTable
from rotation_desk.ui.tabs.dca.schedule_fields import UNITS

FREQ_WORDS = {
    "weekly": "every week",
    "biweekly": "every two weeks",
    "monthly": "every month",
    "quarterly": "every quarter",
}


def describe_frequency(plan: DcaPlan) -> str:
    """ "every month" / "every 3 weeks" / "every 2 fortnights"."""
    if plan.every == 1:
        return FREQ_WORDS[plan.frequency]
    return f"every {plan.every} {UNITS[plan.frequency][1]}"


def describe_roll(plan: DcaPlan) -> str:
    if plan.roll == "previous-session":
        return "weekends and NYSE holidays move to the previous session"
    return "weekends and NYSE holidays move to the next session"


def describe_anchor(plan: DcaPlan) -> str:
    if plan.frequency in ("weekly", "biweekly"):
        return {"mon": "Mondays", "tue": "Tuesdays", "wed": "Wednesdays", "thu": "Thursdays", "fri": "Fridays"}[
            plan.anchor
        ]
    period = "quarter" if plan.frequency == "quarterly" else "month"
    if plan.anchor == "first-session":
        return f"the first trading day of the {period}"
    if plan.anchor == "last-session":
        return f"the last trading day of the {period}"
    where = "of the month" if period == "month" else "of the quarter's first month"
    return f"day {plan.day_of_month} {where}"


RESIZE_ROWS = 60  # rows the column widths are measured on (Qt measures 1000: slow on long plans)


def with_iso_dates(frame: pd.DataFrame, column: str = "date") -> pd.DataFrame:
    """The frame with its date column as YYYY-MM-DD text: shown, sorted and exported exactly like dates,
    but without formatting a Timestamp per cell (a 30-year weekly plan has thousands of rows)."""
    out = frame.copy()
    out[column] = pd.to_datetime(out[column]).dt.strftime("%Y-%m-%d")
    return out


class SchedulePage(QWidget):
    export_csv_requested = Signal()
    export_ics_requested = Signal()
    mark_requested = Signal(object, str, float)  # date, ticker, amount of the selected row

    def __init__(self, theme: Theme = LIGHT, parent: QWidget | None = None):
        super().__init__(parent)
        self.theme = theme
        self.cards = {
            "buys": StatCard("Buy dates", theme),
            "invested": StatCard("Total invested", theme),
            "first": StatCard("First buy", theme),
            "last": StatCard("Last buy", theme),
        }
        self.csv_button = QPushButton("Export CSV…")
        self.csv_button.setToolTip("The schedule as CSV: date, ticker, amount, estimated shares, running total")
        self.csv_button.clicked.connect(self.export_csv_requested)
        self.ics_button = QPushButton("Export .ics…")
        self.ics_button.setToolTip("One calendar event per buy date, with the amounts per ticker in its description")
        self.ics_button.clicked.connect(self.export_ics_requested)
        cards = card_row(self.cards.values())
        self.mark_button = QPushButton("Mark as bought…")
        self.mark_button.setToolTip(
            "Record the selected row's buy in the plan's journal, prefilled with its amount and that session's "
            "close (or double-click the row)"
        )
        self.mark_button.clicked.connect(self._mark_selected)
        self.mark_button.setEnabled(False)
        self.per_ticker = QLabel()
        self.per_ticker.setWordWrap(True)
        self.per_ticker.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.table = DataTable("dca.schedule", theme, resize_rows=RESIZE_ROWS)
        self.table.doubleClicked.connect(lambda index: self.mark_row(index.row()))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.message = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.message.setMargin(40)
        content = QWidget()
        v = QVBoxLayout(content)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(4)
        v.addLayout(cards)
        v.addLayout(control_row(None, [(self.per_ticker, 1), self.mark_button, self.csv_button, self.ics_button]))
        v.addWidget(self.note)
        v.addWidget(self.table, 1)
        self.stack = QStackedLayout(self)
        self.stack.addWidget(content)
        self.stack.addWidget(self.message)
        self.content = content
        self.apply_theme(theme)
        self.show_message("The schedule appears here once the plan is valid.")

    def show_schedule(
        self, plan: DcaPlan, frame: pd.DataFrame, summary: ScheduleSummary, latest: dict, latest_date
    ) -> None:
        self.stack.setCurrentWidget(self.content)
        self.cards["buys"].set_value(
            f"{summary.buys:,}", tooltip=f"{summary.orders:,} orders (one per ticker and date)"
        )
        self.cards["invested"].set_value(formats.money(summary.total_invested))
        self.cards["first"].set_value(formats.day(summary.first))
        self.cards["last"].set_value(formats.day(summary.last))
        self.per_ticker.setText(
            "Per ticker: " + " · ".join(f"{t} {formats.money(v)}" for t, v in summary.per_ticker.items())
        )
        step = f", rising {plan.step_up_pct:g} % each plan year" if plan.step_up_pct else ""
        initial = f" plus {formats.money(plan.initial)} on the first session" if plan.initial else ""
        shares = (
            "whole shares (the remainder is carried to the ticker's next buy)"
            if not plan.fractional
            else ("fractional shares")
        )
        prices = ", ".join(f"{t} {formats.money(p)}" for t, p in latest.items())
        self.note.setText(
            f"{formats.money(plan.contribution)} {describe_frequency(plan)} on {describe_anchor(plan)}{step}{initial}; "
            f"{describe_roll(plan)}. Estimated shares: {shares} at the latest close "
            f"({formats.day(latest_date)}: {prices}), after fees."
        )
        whole = not plan.fractional
        self.table.put_frame(
            with_iso_dates(frame),
            [
                Column("date", "Date", kind="date"),
                Column("ticker", "Ticker"),
                Column("amount", "Amount", kind="money"),
                Column(
                    "est_shares",
                    "Est. shares",
                    kind="integer" if whole else "number",
                    digits=None if whole else 4,
                    tooltip=f"at the latest close ({formats.day(latest_date)}), after the fee",
                ),
                Column("running_total", "Running total", kind="money"),
            ],
        )
        self.csv_button.setEnabled(True)
        self.ics_button.setEnabled(True)
        self._selection_changed()

    def show_message(self, text: str) -> None:
        self.table.clear_frame()
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self.csv_button.setEnabled(False)
        self.ics_button.setEnabled(False)
        self.mark_button.setEnabled(False)

    def mark_row(self, row: int) -> bool:
        """Ask to record the buy of the table's ``row`` (in its sort order); False when there is none."""
        proxy = self.table.proxy
        if not 0 <= row < proxy.rowCount():
            return False
        cell = {c: proxy.index(row, self.table.column_index(c)).data(RAW_ROLE) for c in ("date", "ticker", "amount")}
        self.mark_requested.emit(pd.Timestamp(cell["date"]), str(cell["ticker"]), float(cell["amount"]))
        return True

    def _mark_selected(self) -> None:
        model = self.table.selectionModel()
        rows = sorted({i.row() for i in model.selectedIndexes()}) if model is not None else []
        if rows:
            self.mark_row(rows[0])

    def _selection_changed(self, *_args) -> None:
        model = self.table.selectionModel()
        shown = self.stack.currentWidget() is self.content
        self.mark_button.setEnabled(shown and model is not None and model.hasSelection())

    def message_text(self) -> str | None:
        return self.message.text() if self.stack.currentWidget() is self.message else None

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.note.setStyleSheet(f"color: {theme.muted};")
        self.message.setStyleSheet(f"color: {theme.muted}; font-size: 12pt;")
        for card in self.cards.values():
            card.apply_theme(theme)
