"""The plan editor's allocation table: rows of ticker + percent, add / remove / split evenly, a live sum."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rotation_desk.core.instruments import rate_refusal
from rotation_desk.core.tickers import is_ticker
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.tabs.dca.fields import equal_weights, error_style, number_or_text, show_value


class AllocationRow(QWidget):
    """One ticker and its percent, with a remove button."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, known: Sequence[str], ticker: str = "", percent: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.ticker = QLineEdit(ticker)
        self.ticker.setPlaceholderText("Ticker")
        self.ticker.setMaximumWidth(110)
        completer = QCompleter(sorted(known), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.ticker.setCompleter(completer)
        self.percent = QLineEdit(percent)
        self.percent.setPlaceholderText("%")
        self.percent.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.percent.setMaximumWidth(80)
        self.remove = QToolButton(text="✕")
        self.remove.setAutoRaise(True)
        self.remove.setToolTip("Remove this ticker")
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.ticker, 1)
        layout.addWidget(self.percent)
        layout.addWidget(QLabel("%"))
        layout.addWidget(self.remove)
        self.ticker.textChanged.connect(self.changed)
        self.percent.textChanged.connect(self.changed)

    def ticker_text(self) -> str:
        return self.ticker.text().strip().upper()

    def is_blank(self) -> bool:
        return not self.ticker.text().strip() and not self.percent.text().strip()


class AllocationEditor(QFrame):
    """The allocation table: rows of ticker + percent, add / remove / split evenly, and a live sum."""

    changed = Signal()

    def __init__(self, known: Callable[[], Sequence[str]], theme: Theme = LIGHT, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("allocation")
        self.known = known
        self.theme = theme
        self.rows: list[AllocationRow] = []
        self.rows_box = QVBoxLayout()
        self.rows_box.setContentsMargins(0, 0, 0, 0)
        self.rows_box.setSpacing(3)
        self.add_button = QPushButton("Add ticker")
        self.add_button.setToolTip("Add a row; type a ticker (suggestions come from the cached tickers)")
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        self.even_button = QPushButton("Split evenly")
        self.even_button.setToolTip("Give every ticker the same percentage")
        self.even_button.clicked.connect(self.split_evenly)
        self.sum_label = QLabel()
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.even_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(self.rows_box)
        layout.addLayout(buttons)
        layout.addWidget(self.sum_label)
        self._update_sum()

    # -- rows ---------------------------------------------------------------------------
    def add_row(self, ticker: str = "", percent: str = "", focus: bool = False) -> AllocationRow:
        row = AllocationRow(self.known(), ticker, percent, self)
        row.changed.connect(self._row_changed)
        row.remove_requested.connect(self.remove_row)
        self.rows.append(row)
        self.rows_box.addWidget(row)
        if focus:
            row.ticker.setFocus()
        self._row_changed()
        return row

    def remove_row(self, row: AllocationRow) -> None:
        if row in self.rows:
            self.rows.remove(row)
            self.rows_box.removeWidget(row)
            row.hide()
            row.deleteLater()
            self._row_changed()

    def clear_rows(self) -> None:
        for row in list(self.rows):
            self.rows.remove(row)
            self.rows_box.removeWidget(row)
            row.hide()
            row.deleteLater()

    def set_allocation(self, value) -> None:
        """Rows from the file's allocation (a ticker: percent object; anything else shows as one bad row)."""
        self.blockSignals(True)
        self.clear_rows()
        if isinstance(value, dict):
            for ticker, percent in value.items():
                self.add_row(str(ticker), show_value(percent))
        self.blockSignals(False)
        self._update_sum()

    def split_evenly(self) -> None:
        rows = [r for r in self.rows if r.ticker_text()]
        weights = equal_weights([str(i) for i in range(len(rows))])
        self.blockSignals(True)
        for row, w in zip(rows, weights.values()):
            row.percent.setText(show_value(w))
        self.blockSignals(False)
        self._row_changed()

    # -- values ---------------------------------------------------------------------------
    def filled_rows(self) -> list[AllocationRow]:
        return [r for r in self.rows if not r.is_blank()]

    def raw(self) -> dict:
        """{ticker: percent} for the JSON object (first row wins for a repeated ticker; see ``issues``)."""
        out: dict = {}
        for row in self.filled_rows():
            key = row.ticker_text() or row.ticker.text()
            if key in out:
                continue
            out[key] = number_or_text(row.percent.text())
            if out[key] is None:
                out[key] = ""
        return out

    def total(self) -> float | None:
        values = [number_or_text(r.percent.text()) for r in self.filled_rows()]
        nums = [v for v in values if isinstance(v, float) and math.isfinite(v)]
        return sum(nums) if nums and len(nums) == len(values) else (sum(nums) if nums else None)

    def row_issues(self, known: set[str]) -> tuple[list[str], set[int]]:
        """Problems a JSON object cannot show (repeats, tickers without cached prices) and the bad rows."""
        messages: list[str] = []
        bad: set[int] = set()
        seen: dict[str, int] = {}
        for i, row in enumerate(self.rows):
            if row.is_blank():
                continue
            name = row.ticker_text()
            if not name:
                messages.append("a row has a percent but no ticker")
                bad.add(i)
                continue
            if not is_ticker(name):
                bad.add(i)  # parse_plan names it
                continue
            if name in seen:
                messages.append(f"{name} appears twice")
                bad.update({i, seen[name]})
                continue
            seen[name] = i
            refused = rate_refusal(name, "a DCA allocation")
            if refused:
                messages.append(refused)
                bad.add(i)
                continue
            if known and name not in known:
                messages.append(f"no cached prices for {name} (refresh or import it first)")
                bad.add(i)
            value = number_or_text(row.percent.text())
            if not isinstance(value, float) or not math.isfinite(value) or value <= 0:
                bad.add(i)
        return messages, bad

    def _row_changed(self) -> None:
        self._update_sum()
        self.changed.emit()

    def _update_sum(self) -> None:
        total = self.total()
        if total is None:
            self.sum_label.setText("Sums to — % (needs 100 %)")
            colour = self.theme.loss if self.filled_rows() else self.theme.muted
        elif abs(total - 100.0) <= 1e-6:
            self.sum_label.setText("Sums to 100 %")
            colour = self.theme.muted
        else:
            self.sum_label.setText(f"Sums to {round(total, 6):g} % (needs 100 %)")
            colour = self.theme.loss
        self.sum_label.setStyleSheet(f"color: {colour};")

    def mark_rows(self, bad: set[int]) -> None:
        for i, row in enumerate(self.rows):
            style = error_style("QLineEdit", self.theme) if i in bad else ""
            row.ticker.setStyleSheet(style)
            row.percent.setStyleSheet(style)

    def set_marked(self, on: bool) -> None:
        self.setStyleSheet(
            f"QFrame#allocation {{ border: 1px solid {self.theme.loss}; border-radius: 3px; }}" if on else ""
        )

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._update_sum()
