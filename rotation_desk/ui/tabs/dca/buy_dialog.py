"""The buy dialog: one executed buy (date, ticker, shares, price, fee, note), for Mark as bought, Add buy… and
Edit….

The fields are read exactly as ``rotation-desk journal add`` reads its options
(``parse_day``, ``parse_ticker``, ``journal_csv.parse_amount``: plain decimals)
and the buy is then checked like every journal row (``buys.buy_problems``), so
the window and the command line accept the same buys. OK stays in the dialog
while anything is wrong and says what, in one line per field.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from rotation_desk.core.dates import parse_day
from rotation_desk.core.dca.buys import Buy, buy_problems
from rotation_desk.core.tickers import parse_ticker
from rotation_desk.data.journal_csv import parse_amount
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.tabs.dca.fields import DateField
from rotation_desk.ui.tabs.dca.holdings_compute import cost_text


def _number_text(value: float, digits: int = 6) -> str:
    if value != value:  # NaN: no price known
        return ""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text or "0"


class BuyDialog(QDialog):
    """Edit one buy; ``buy()`` is the checked buy once accepted (``try_accept``)."""

    def __init__(self, title: str, plan_name: str, buy: Buy | None = None, hint: str = "",
                 theme: Theme = LIGHT, parent: QWidget | None = None):  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.theme = theme
        self._buy: Buy | None = None
        self.plan_label = QLabel(f"Plan: <b>{_escape(plan_name)}</b>")
        self.date = DateField()
        self.ticker = QLineEdit()
        self.ticker.setPlaceholderText("e.g. VBR")
        self.shares = QLineEdit()
        self.price = QLineEdit()
        self.price.setToolTip("The price per share you paid")
        self.fee = QLineEdit()
        self.fee.setPlaceholderText("0")
        self.note = QLineEdit()
        for edit in (self.shares, self.price, self.fee):
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.cost = QLabel()
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.hide()
        form = QFormLayout()
        form.addRow("Date", self.date)
        form.addRow("Ticker", self.ticker)
        form.addRow("Shares", self.shares)
        form.addRow("Price per share $", self.price)
        form.addRow("Fee $", self.fee)
        form.addRow("Note", self.note)
        form.addRow("", self.cost)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.plan_label)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        if buy is not None:
            self.set_buy(buy)
        for edit in (self.shares, self.price, self.fee):
            edit.textChanged.connect(self._update_cost)
        self._update_cost()
        self.apply_theme(theme)

    def set_buy(self, buy: Buy) -> None:
        self.date.setText(f"{buy.date:%Y-%m-%d}")
        self.ticker.setText(buy.ticker)
        self.shares.setText(_number_text(buy.shares) if buy.shares else "")
        self.price.setText(_number_text(buy.price, 4))
        self.fee.setText(_number_text(buy.fee, 2) if buy.fee else "")
        self.note.setText(buy.note)

    def read(self) -> tuple[Buy | None, list[str]]:
        """The buy the fields hold, or the problems ("shares: …"), one per field."""
        problems: list[str] = []
        day = ticker = None
        try:
            day = parse_day(self.date.text().strip())
        except ValueError as exc:
            problems.append(f"date: {exc}")
        try:
            ticker = parse_ticker(self.ticker.text().strip())
        except ValueError as exc:
            problems.append(f"ticker: {exc}")
        shares, bad_shares = parse_amount(self.shares.text().strip(), "shares:")
        price, bad_price = parse_amount(self.price.text().strip(), "price:")
        fee, bad_fee = parse_amount(self.fee.text().strip(), "fee:", zero_ok=True)
        problems += [p.replace(", or pass --decimal ,", "") for p in (bad_shares, bad_price, bad_fee) if p]
        if problems:
            return None, problems
        buy = Buy(day, ticker, shares, price, fee, self.note.text().strip())
        problems = buy_problems(buy)
        return (None, problems) if problems else (buy, [])

    def try_accept(self) -> bool:
        buy, problems = self.read()
        if problems:
            self.problems.setText("\n".join(problems))
            self.problems.show()
            return False
        self._buy = buy
        self.accept()
        return True

    def buy(self) -> Buy | None:
        return self._buy

    def _update_cost(self) -> None:
        shares, bad_shares = parse_amount(self.shares.text().strip(), "shares")
        price, bad_price = parse_amount(self.price.text().strip(), "price")
        fee, bad_fee = parse_amount(self.fee.text().strip(), "fee", zero_ok=True)
        self.cost.setText("" if bad_shares or bad_price or bad_fee else cost_text(shares, price, fee))

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.hint.setStyleSheet(f"color: {theme.muted};")
        self.cost.setStyleSheet(f"color: {theme.muted};")
        self.problems.setStyleSheet(f"color: {theme.loss};")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
