"""The weight rows of the tilt editor: one row per holding, ticker, name and a percent box, in a scroll area.

The benchmark (the core) and the 11 SPDR sectors are fixed rows; a ticker
the user adds is a satellite row with a remove button. ``edited`` fires when
a weight changes or a row goes; the editor decides what that means.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rotation_desk.ui.kit.elided import ElidedLabel
from rotation_desk.ui.kit.theme import Theme

VISIBLE_ROWS = 5  # rows the list always shows (it scrolls for the rest)


@dataclass
class WeightRow:
    ticker: str
    spin: QDoubleSpinBox
    widgets: list[QWidget]  # ticker, name, box (and the remove button)
    removable: bool


class WeightRows(QScrollArea):
    edited = Signal()

    def __init__(self, name_of: Callable[[str], str], theme: Theme, parent: QWidget | None = None):
        super().__init__(parent)
        self.name_of = name_of
        self.theme = theme
        self.rows: dict[str, WeightRow] = {}  # in row order; the editor reads this same dict
        self.grid = QGridLayout()
        self.grid.setContentsMargins(6, 4, 6, 4)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(2)
        self.grid.setColumnStretch(1, 1)
        self.weights_frame = QFrame()
        self.weights_frame.setObjectName("weights")
        frame_layout = QVBoxLayout(self.weights_frame)
        frame_layout.setContentsMargins(0, 0, 0, 0)
        frame_layout.addLayout(self.grid)
        frame_layout.addStretch(1)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(self.weights_frame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        row = QDoubleSpinBox().sizeHint().height() + self.grid.verticalSpacing()
        self.setMinimumHeight(VISIBLE_ROWS * row + 8)

    def ensure_row(self, ticker: str, removable: bool) -> WeightRow:
        """The row of ``ticker``, added at the end (weight 0) if it has none."""
        row = self.rows.get(ticker)
        if row is not None:
            return row
        spin = QDoubleSpinBox(minimum=0.0, maximum=100.0, decimals=2, singleStep=5.0, suffix=" %")
        spin.setAccelerated(True)
        spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("100.00 %") + 36)
        spin.setToolTip(f"Weight of {ticker} in percent (0 = not held)")
        spin.valueChanged.connect(self._value_changed)
        name = ElidedLabel(self.name_of(ticker) or "")  # ends in "…" when narrow (never squeezes the box)
        name.setStyleSheet(f"color: {self.theme.muted};")
        tick = QLabel(ticker)
        font = tick.font()
        font.setBold(True)
        tick.setFont(font)
        widgets: list[QWidget] = [tick, name, spin]
        r = self.grid.rowCount()
        self.grid.addWidget(tick, r, 0)
        self.grid.addWidget(name, r, 1)
        self.grid.addWidget(spin, r, 2)
        if removable:
            remove = QToolButton(text="×")
            remove.setAutoRaise(True)
            remove.setToolTip(f"Remove {ticker}")
            remove.clicked.connect(lambda _=False, t=ticker: self.remove_row(t))
            self.grid.addWidget(remove, r, 3)
            widgets.append(remove)
        row = WeightRow(ticker, spin, widgets, removable)
        self.rows[ticker] = row
        return row

    def _value_changed(self, _value: float) -> None:
        self.edited.emit()

    def remove_row(self, ticker: str) -> None:
        """Drop a satellite row (fixed rows stay)."""
        row = self.rows.get(ticker)
        if row is None or not row.removable:
            return
        del self.rows[ticker]
        for w in row.widgets:
            self.grid.removeWidget(w)
            w.deleteLater()
        self.edited.emit()

    def weights(self) -> dict[str, float]:
        """The non-zero weights in percent, in row order."""
        return {t: r.spin.value() for t, r in self.rows.items() if r.spin.value() > 0}

    def set_weights(self, weights: dict[str, float]) -> None:
        """Rows for every ticker given (added as satellites if needed); every other row to 0."""
        for t in weights:
            if t not in self.rows:
                self.ensure_row(t, removable=True)
        for t, row in self.rows.items():
            row.spin.setValue(float(weights.get(t, 0.0)))

    def mark(self, problem: str | None) -> None:
        """A red border around the rows while the weights cannot run."""
        self.weights_frame.setStyleSheet(
            f"QFrame#weights {{ border: 1px solid {self.theme.loss}; border-radius: 3px; }}" if problem else ""
        )

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        for row in self.rows.values():
            row.widgets[1].setStyleSheet(f"color: {theme.muted};")
