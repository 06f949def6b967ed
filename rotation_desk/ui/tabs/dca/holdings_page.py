"""The DCA tab's Holdings page: what the plan's journal says you hold and how you stand against the plan.

- the standing line ("Behind plan by $1,000.00: 12 buys scheduled up to …; 2
  missed") and the cards: value at the last close, invested, gain, XIRR and
  time-weighted return of the real buys;
- Positions: per ticker shares, cost basis, last close, value, weight against
  target, gain; Value vs plan: the real account against the plan's simulated
  one (``ChartPanel``); Next buy: the orders for the plan's next date by its
  rule; Missed and late: the scheduled buys that were not made on time; Buys:
  every journal row (Edit…, Delete, with Undo).
- With no buys yet the page says how to add them.

Every figure is ``holdings_compute``'s (the core's ``tracking.standing``); this
module only lays it out. The buttons emit signals; ``journal_actions`` acts.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QPushButton, QStackedLayout, QTabWidget, QVBoxLayout, QWidget

from rotation_desk.ui.charts.axes import money_style
from rotation_desk.ui.charts.panel import ChartPanel, SeriesStyle
from rotation_desk.ui.kit import formats
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.kit.widgets import StatCard, card_row, control_row
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.tables.table import RAW_ROLE, Column, DataTable
from rotation_desk.ui.tabs.dca import holdings_compute as hc

HOW_TO_ADD = (
    "Record a buy with Mark as bought… on a row of the Schedule page, Add buy… here, or Import buys from "
    "CSV… (here or in the File menu; columns date, ticker, shares, price and optionally fee). On the command "
    "line: rotation-desk journal add --plan “{name}” …"
)


class HoldingsPage(QWidget):
    add_requested = Signal()
    import_requested = Signal()
    edit_requested = Signal(int)  # a journal row's number
    delete_requested = Signal(list)  # row numbers
    undo_requested = Signal()

    def __init__(self, theme: Theme = LIGHT, settings: Settings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.theme = theme
        self.shown = None  # the HoldingsOutputs on screen
        self.add_button = _button("Add buy…", "Record a buy you made for this plan", self.add_requested)
        self.import_button = _button(
            "Import buys from CSV…", "Import a broker's CSV of executed buys", self.import_requested
        )
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.undo_button = _button("Undo", "Undo the last change to the journal (Ctrl+Z)", self.undo_requested)
        self.undo_button.hide()
        actions = control_row(None, [self.add_button, self.import_button, (self.notice, 1), self.undo_button])
        undo = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        undo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        undo.activated.connect(self._undo_shortcut)

        self.standing = QLabel()
        self.standing.setWordWrap(True)
        self.standing.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold = self.standing.font()
        bold.setBold(True)
        self.standing.setFont(bold)
        self.cards = {
            "value": StatCard("Value", theme),
            "invested": StatCard("Invested", theme),
            "gain": StatCard("Gain", theme),
            "xirr": StatCard("XIRR", theme),
            "twr": StatCard("Time-weighted", theme),
        }
        tips = {
            "value": "Shares × each ticker's last close",
            "invested": "What the buys cost, fees included",
            "gain": "Value − invested",
            "xirr": "Money-weighted annual return of the dated buys and their value at the last close",
            "twr": "Growth of the account with the buys taken out (chain-linked), since the first buy",
        }
        for key, card in self.cards.items():
            card.caption.setToolTip(tips[key])

        self.positions = DataTable("dca.journal.positions", theme)
        self.chart = ChartPanel("dca.journal.value", money_style(), theme=theme, settings=settings)
        self.next_line = QLabel()
        self.next_line.setWordWrap(True)
        self.next_table = DataTable("dca.journal.next", theme)
        self.off_line = QLabel()
        self.off_line.setWordWrap(True)
        self.off_table = DataTable("dca.journal.missed", theme)
        self.buys = DataTable("dca.journal.buys", theme)
        self.buys.doubleClicked.connect(lambda _i: self._edit_selected())
        self.edit_button = _button("Edit…", "Change the selected buy", self._edit_selected)
        self.delete_button = _button(
            "Delete", "Delete the selected buys (Undo brings them back)", self._delete_selected
        )
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        self.views.addTab(self.positions, "Positions")
        self.views.addTab(self.chart, "Value vs plan")
        self.views.addTab(_column([self.next_line], self.next_table), "Next buy")
        self.views.addTab(_column([self.off_line], self.off_table), "Missed and late")
        buys_page = _column([], self.buys)
        buys_page.layout().addLayout(control_row(None, [self.edit_button, self.delete_button, 1]))
        self.views.addTab(buys_page, "Buys")

        content = QWidget()
        v = QVBoxLayout(content)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(6)
        v.addWidget(self.standing)
        v.addLayout(card_row(self.cards.values()))
        v.addWidget(self.views, 1)
        self.content = content
        self.message = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.message.setMargin(40)
        holder = QWidget()
        self.stack = QStackedLayout(holder)
        self.stack.addWidget(content)
        self.stack.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(actions)
        layout.addWidget(holder, 1)
        self.apply_theme(theme)
        self.show_message("The holdings appear here once the plan is valid.")

    # -- showing ---------------------------------------------------------------------------------
    def show_message(self, text: str, can_add: bool = False) -> None:
        self.shown = None
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self.add_button.setEnabled(can_add)
        self.import_button.setEnabled(can_add)

    def message_text(self) -> str | None:
        return self.message.text() if self.stack.currentWidget() is self.message else None

    def show_outputs(self, out: hc.HoldingsOutputs) -> None:
        name = out.inputs.plan.name
        if out.empty:
            self.show_message(f"No buys recorded for “{name}” yet.\n\n" + HOW_TO_ADD.format(name=name), can_add=True)
            self.shown = out
            return
        self.shown = out
        self.add_button.setEnabled(True)
        self.import_button.setEnabled(True)
        self.stack.setCurrentWidget(self.content)
        self._fill_buys(out)
        s = out.standing
        if s is None:  # damaged rows: nothing is computed, the rows can be deleted
            self.standing.setText(out.error)
            self.standing.setStyleSheet(f"color: {self.theme.loss};")
            for card in self.cards.values():
                card.set_value(formats.MISSING)
            for table in (self.positions, self.next_table, self.off_table):
                table.clear_frame()
            self.chart.show_message(out.error)
            self.next_line.setText("")
            self.off_line.setText("")
            self.views.setCurrentIndex(self.views.count() - 1)
            return
        self.standing.setText(hc.standing_line(s))
        self.standing.setStyleSheet(f"color: {self.theme.loss if s.behind >= 0.005 else self.theme.text};")
        self._fill_cards(s)
        self._fill_positions(s)
        self._fill_chart(s)
        self._fill_next(s)
        self._fill_off_plan(s)

    def _fill_cards(self, s) -> None:
        when = f"at the {s.path.valued_at:%Y-%m-%d} close" if s.path.valued_at is not None else "no close yet"
        unpriced = f"; no price for {', '.join(s.unpriced)}" if s.unpriced else ""
        self.cards["value"].set_value(formats.money(s.value), tooltip=when + unpriced)
        self.cards["invested"].set_value(formats.money(s.invested), tooltip=f"{len(s.buys)} buys")
        gain = s.value - s.invested
        ratio = gain / s.invested if s.invested else float("nan")
        self.cards["gain"].caption.setText(f"Gain ({formats.pct(ratio)})")
        self.cards["gain"].set_value(formats.money(gain, signed=True), gain)
        self.cards["xirr"].set_value(formats.pct(s.path.xirr, 2), s.path.xirr)
        self.cards["twr"].set_value(formats.pct(s.path.twr, 2), s.path.twr)

    def _fill_positions(self, s) -> None:
        frame = hc.holdings_table(s)
        self.positions.put_frame(
            frame,
            [
                Column("ticker", "Ticker"),
                Column("shares", "Shares", kind="number", digits=hc.share_digits(frame["shares"])),
                Column("cost_basis", "Cost basis", kind="money", tooltip="what the buys cost, fees included"),
                Column("value", "Value", kind="money", tooltip="shares × the last close"),
                Column("weight", "Weight", kind="percent", tooltip="share of the holdings' value"),
                Column("target", "Target", kind="percent", tooltip="the plan's allocation"),
                Column("off_target", "Off target", kind="percent", signed=True, tooltip="weight − target"),
                Column("gain", "Gain", kind="money", signed=True, colour="sign"),
                Column("gain_pct", "Gain %", kind="percent", signed=True, colour="sign"),
                Column("last_price", "Last close", kind="money"),
                Column("avg_cost", "Avg. cost", kind="money", tooltip="cost basis / shares"),
            ],
        )

    def _fill_chart(self, s) -> None:
        styles = {"You invested": SeriesStyle(role="reference"), "Plan invested": SeriesStyle(role="reference")}
        styles["Plan (simulated)"] = SeriesStyle(role="benchmark")
        self.chart.set_series(hc.plan_series(s), styles)
        sub = f"{len(s.buys)} buys since {s.buys[0].date:%Y-%m-%d}"
        sub += " · the plan simulated at each scheduled session's close" if s.plan_value is not None else ""
        self.chart.set_title(f"{s.plan.name}: your holdings vs the plan", sub)
        if s.plan_error:
            self.chart.set_title(f"{s.plan.name}: your holdings", f"No simulated plan: {s.plan_error}")

    def _fill_next(self, s) -> None:
        self.next_line.setText(hc.next_buy_line(s))
        whole = not s.plan.fractional
        self.next_table.put_frame(
            hc.next_buy_table(s),
            [
                Column("ticker", "Ticker"),
                Column("amount", "Amount", kind="money", tooltip="money for the order, fee included"),
                Column("shares", "Shares", kind="number", digits=0 if whole else 4),
                Column("price", "Last close", kind="money"),
                Column("cost", "Cost", kind="money", tooltip="shares × price + fee"),
                Column("value_before", "Held now", kind="money"),
                Column("target", "Target", kind="percent"),
            ],
        )

    def _fill_off_plan(self, s) -> None:
        off = hc.off_plan_table(s)
        self.off_line.setText("Every scheduled buy so far was made on time." if off.empty else hc.standing_line(s))
        self.off_table.put_frame(
            off,
            [
                Column("date", "Scheduled", kind="date"),
                Column("planned", "Planned", kind="money"),
                Column("bought", "Bought", kind="money", tooltip="what the buys for this date cost"),
                Column("first_buy", "First buy", kind="date"),
                Column("what", "Status", stretch=True),
            ],
        )

    def _fill_buys(self, out) -> None:
        frame = hc.journal_table(out.rows)
        self.buys.put_frame(
            frame,
            [
                Column("id", "Row", kind="integer"),
                Column("date", "Date", kind="date"),
                Column("ticker", "Ticker"),
                Column("shares", "Shares", kind="number", digits=hc.share_digits(frame["shares"])),
                Column("price", "Price", kind="money", digits=hc.price_digits(frame["price"])),
                Column("fee", "Fee", kind="money"),
                Column("cost", "Cost", kind="money"),
                Column("note", "Note", stretch=True),
            ],
        )

    # -- the journal's buttons -----------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        model = self.buys.selectionModel()
        if model is None or self.buys.proxy.rowCount() == 0:
            return []
        j = self.buys.column_index("id")
        rows = sorted({i.row() for i in model.selectedIndexes()})
        return [int(self.buys.proxy.index(r, j).data(RAW_ROLE)) for r in rows]

    def select_ids(self, ids) -> None:
        """Select the rows with these numbers (tests, and after an edit)."""
        j = self.buys.column_index("id")
        self.buys.clearSelection()
        for r in range(self.buys.proxy.rowCount()):
            if int(self.buys.proxy.index(r, j).data(RAW_ROLE)) in set(ids):
                self.buys.selectRow(r)

    def _edit_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.edit_requested.emit(ids[0])

    def _delete_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.delete_requested.emit(ids)

    def _undo_shortcut(self) -> None:
        if self.undo_button.isVisible():
            self.undo_requested.emit()

    def say(self, text: str, undo: bool = False, error: bool = False) -> None:
        """The line beside the buttons: what the last change did (with Undo when it can be undone)."""
        self.notice.setText(text)
        self.notice.setStyleSheet(f"color: {self.theme.loss if error else self.theme.muted};")
        self.undo_button.setVisible(undo)

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.message.setStyleSheet(f"color: {theme.muted}; font-size: 12pt;")
        for label in (self.next_line, self.off_line):
            label.setStyleSheet(f"color: {theme.muted};")
        self.notice.setStyleSheet(f"color: {theme.muted};")
        for card in self.cards.values():
            card.apply_theme(theme)
        if self.shown is not None and self.shown.standing is not None:
            self.show_outputs(self.shown)


def _button(text: str, tip: str, clicked) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.clicked.connect(clicked)
    return button


def _column(labels, table) -> QWidget:
    page = QWidget()
    v = QVBoxLayout(page)
    v.setContentsMargins(0, 4, 0, 0)
    v.setSpacing(4)
    for label in labels:
        v.addWidget(label)
    v.addWidget(table, 1)
    return page
