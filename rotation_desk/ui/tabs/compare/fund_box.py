"""The fund chooser of the ETF Comparison's one-fund pages (monthly grid, drawdowns, rolling betas), and
the line those table pages start with: "Fund [▾]", the caption, "Copy table", "Export CSV…".

The chooser lists the comparison's tickers (the funds, then the benchmark) and keeps the chosen one when
the list changes; a fund no longer compared falls back to the first. ``chosen`` fires on the user's pick.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QToolButton, QWidget

from rotation_desk.ui.kit.widgets import control_row, fit_combo
from rotation_desk.ui.tables.table import DataTable


class FundBox(QComboBox):
    chosen = Signal(str)

    def __init__(self, preferred: str | None, tip: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.preferred = preferred
        self.setToolTip(tip)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.currentIndexChanged.connect(self._picked)

    def set_names(self, names: Sequence[str]) -> str | None:
        """List ``names``; returns the one shown (the preferred fund if listed, else the first)."""
        names = list(names)
        current = self.preferred if self.preferred in names else (names[0] if names else None)
        self.blockSignals(True)
        self.clear()
        self.addItems(names)
        if current is not None:
            self.setCurrentText(current)
        self.blockSignals(False)
        fit_combo(self)
        return current

    def current(self) -> str | None:
        return self.currentText() or None

    def choose(self, name: str) -> None:
        """Show ``name`` (a listed ticker) as if the user picked it."""
        self.setCurrentText(name)

    def _picked(self, _index: int) -> None:
        name = self.currentText()
        if name:
            self.preferred = name
            self.chosen.emit(name)


def fund_header(fund_box: FundBox, table: DataTable) -> tuple[QWidget, QLabel]:
    """The line above a one-fund table: the chooser, a wrapping caption, copy and CSV export of ``table``."""
    caption = QLabel(wordWrap=True)
    caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    buttons = []
    for text, slot in (("Copy table", table.copy_all), ("Export CSV…", table.export_csv_dialog)):
        button = QToolButton(text=text)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        buttons.append(button)
    row = QWidget()
    control_row(row, ["Fund", fund_box, (caption, 1), *buttons])
    return row, caption
