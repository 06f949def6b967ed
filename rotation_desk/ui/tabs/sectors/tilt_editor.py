"""The core-and-satellite weights editor of the Sector Tilts tab.

One row per holding: the benchmark (the core), the 11 SPDR sectors, and any
other cached ticker the user adds (ITA, KRE, …). Weights are percentages; the
total is checked on every keystroke with the same rule as the ``tilt``
command (``core.tilt.validate_weights``) and the reason is shown next to it.
Presets fill the weights; editing a weight turns the preset back to "Custom".
The rebalance rule and the window (the toolbar's range or custom dates) sit
underneath. ``changed`` fires on any edit; ``problem()`` says what stops a run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rotation_desk.core import tilt as tilt_core
from rotation_desk.core.rrg import SECTORS
from rotation_desk.core.tickers import is_ticker
from rotation_desk.errors import BadInput
from rotation_desk.ui.kit.theme import LIGHT, Theme

CUSTOM = "Custom"
TOOLBAR_RANGE = "Toolbar range"
CUSTOM_DATES = "Custom dates"
PRESET_NOTES = {
    "article tilts": "industrials, financials and consumer cyclicals over the S&P 500",
    "defensive": "utilities and staples as defence",
}
REBALANCE_TIPS = {
    "monthly": "back to the target weights at the close of each month's first session",
    "quarterly": "back to the target weights at the close of each quarter's first session",
    "yearly": "back to the target weights at the close of each year's first session",
    "never": "buy and hold: the weights drift with prices",
}


@dataclass
class _Row:
    ticker: str
    spin: QDoubleSpinBox
    widgets: list[QWidget]
    removable: bool


class TiltEditor(QWidget):
    changed = Signal()

    def __init__(
        self,
        known: Callable[[], Sequence[str]],
        name_of: Callable[[str], str],
        benchmark: str = "SPY",
        weights: dict[str, float] | None = None,
        rebalance: str = "monthly",
        theme: Theme = LIGHT,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.known = known
        self.name_of = name_of
        self.theme = theme
        self.benchmark = benchmark
        self.rows: dict[str, _Row] = {}
        self._quiet = False

        self.preset = QComboBox()
        self.preset.addItems([CUSTOM, *tilt_core.PRESETS])
        self.preset.setToolTip("Fill the weights from a preset")
        self.preset.currentTextChanged.connect(self._preset_chosen)
        self.preset_note = QLabel()
        self.preset_note.setWordWrap(True)
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(QLabel("Preset"))
        top.addWidget(self.preset, 1)

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
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.weights_frame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll = scroll

        self.total_label = QLabel()
        self.total_label.setWordWrap(True)
        self.total_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.add_edit = QLineEdit()
        self.add_edit.setPlaceholderText("Add a ticker, e.g. ITA")
        self.add_edit.setToolTip("Any cached ticker, added as a satellite row; press Enter")
        self.add_edit.returnPressed.connect(self.add_from_field)
        add_button = QToolButton(text="Add")
        add_button.clicked.connect(self.add_from_field)
        self.add_error = QLabel()
        self.add_error.setWordWrap(True)
        self.add_error.hide()
        add_row = QHBoxLayout()
        add_row.setSpacing(6)
        add_row.addWidget(self.add_edit, 1)
        add_row.addWidget(add_button)

        self.rebalance_box = QComboBox()
        for rule in tilt_core.REBALANCE_RULES:
            self.rebalance_box.addItem(rule)
            self.rebalance_box.setItemData(
                self.rebalance_box.count() - 1, REBALANCE_TIPS[rule], Qt.ItemDataRole.ToolTipRole
            )
        self.rebalance_box.setCurrentText(rebalance if rebalance in tilt_core.REBALANCE_RULES else "monthly")
        self.rebalance_box.setToolTip("When the holdings are reset to the target weights (at that session's close)")
        self.rebalance_box.currentTextChanged.connect(self._emit)

        self.window_box = QComboBox()
        self.window_box.addItems([TOOLBAR_RANGE, CUSTOM_DATES])
        self.window_box.setToolTip("The toolbar's range (1Y, 5Y, Max, …) or your own dates")
        self.window_box.currentTextChanged.connect(self._window_mode_changed)
        self.start_edit = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.end_edit = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.start_edit.setDate(QDate(2016, 1, 1))
        self.end_edit.setDate(QDate(2025, 12, 31))
        for edit in (self.start_edit, self.end_edit):
            edit.setMinimumDate(QDate(1990, 1, 1))
            edit.dateChanged.connect(self._emit)
        self.window_error = QLabel()
        self.window_error.setWordWrap(True)
        self.window_error.hide()
        dates = QHBoxLayout()
        dates.setSpacing(4)
        dates.addWidget(self.start_edit, 1)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.end_edit, 1)

        form = QGridLayout()
        form.setHorizontalSpacing(8)
        form.addWidget(QLabel("Rebalance"), 0, 0)
        form.addWidget(self.rebalance_box, 0, 1)
        form.addWidget(QLabel("Window"), 1, 0)
        form.addWidget(self.window_box, 1, 1)
        form.addLayout(dates, 2, 1)
        form.setColumnStretch(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.preset_note)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.total_label)
        layout.addLayout(add_row)
        layout.addWidget(self.add_error)
        layout.addLayout(form)
        layout.addWidget(self.window_error)

        self._quiet = True
        self._ensure_row(benchmark, removable=False)
        for t in SECTORS:
            self._ensure_row(t, removable=False)
        self.set_weights(weights if weights is not None else tilt_core.preset("article tilts"))
        self._quiet = False
        self._window_mode_changed(self.window_box.currentText(), emit=False)
        self.apply_theme(theme)
        self._refresh_state()

    # ------------------------------------------------------------------ rows
    def _ensure_row(self, ticker: str, removable: bool) -> _Row:
        row = self.rows.get(ticker)
        if row is not None:
            return row
        spin = QDoubleSpinBox(minimum=0.0, maximum=100.0, decimals=2, singleStep=5.0, suffix=" %")
        spin.setAccelerated(True)
        spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("100.00 %") + 36)
        spin.setToolTip(f"Weight of {ticker} in percent (0 = not held)")
        spin.valueChanged.connect(self._weight_edited)
        name = QLabel(self.name_of(ticker) or "")
        name.setToolTip(name.text())
        name.setSizePolicy(
            QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred
        )  # may be cut, never squeezes the box
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
        row = _Row(ticker, spin, widgets, removable)
        self.rows[ticker] = row
        return row

    def remove_row(self, ticker: str) -> None:
        row = self.rows.get(ticker)
        if row is None or not row.removable:
            return
        del self.rows[ticker]
        for w in row.widgets:
            self.grid.removeWidget(w)
            w.deleteLater()
        self._weight_edited()

    def add_ticker(self, ticker: str) -> str | None:
        """Add a satellite row; returns the reason when it cannot (also shown under the field)."""
        name = ticker.strip().upper()
        error = None
        if not name:
            error = "type a ticker to add"
        elif not is_ticker(name):
            error = f"{name} is not a ticker symbol"
        elif name in self.rows:
            error = f"{name} is already in the list"
        elif name not in set(self.known()):
            error = f"no cached prices for {name} (refresh or import it first)"
        if error:
            self._show_add_error(error)
            return error
        self._clear_add_error()
        self._ensure_row(name, removable=True)
        self.add_edit.clear()
        return None

    def add_from_field(self) -> None:
        self.add_ticker(self.add_edit.text())

    def set_benchmark(self, benchmark: str) -> None:
        """The core row follows the benchmark; a former benchmark with a weight stays as a row."""
        if benchmark == self.benchmark:
            return
        old = self.rows.get(self.benchmark)
        self.benchmark = benchmark
        if old is not None and old.spin.value() == 0 and old.ticker not in SECTORS:
            old.removable = True
            self.remove_row(old.ticker)
        if benchmark not in self.rows:
            self._ensure_row(benchmark, removable=False)
        self._weight_edited()

    # ------------------------------------------------------------------ values
    def weights(self) -> dict[str, float]:
        """The non-zero weights in percent, in row order."""
        return {t: r.spin.value() for t, r in self.rows.items() if r.spin.value() > 0}

    def set_weights(self, weights: dict[str, float]) -> None:
        """Rows for every ticker given (added if needed); every other row to 0."""
        was = self._quiet
        self._quiet = True
        try:
            for t in weights:
                if t not in self.rows:
                    self._ensure_row(t, removable=True)
            for t, row in self.rows.items():
                row.spin.setValue(float(weights.get(t, 0.0)))
        finally:
            self._quiet = was
        self._weight_edited()

    def choose_preset(self, name: str) -> None:
        self.preset.setCurrentText(name)

    def rebalance(self) -> str:
        return self.rebalance_box.currentText()

    def set_rebalance(self, rule: str) -> None:
        self.rebalance_box.setCurrentText(rule)

    def uses_toolbar_range(self) -> bool:
        return self.window_box.currentText() == TOOLBAR_RANGE

    def custom_window(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        return _ts(self.start_edit.date()), _ts(self.end_edit.date())

    def set_custom_window(self, start, end) -> None:
        self.start_edit.setDate(_qdate(start))
        self.end_edit.setDate(_qdate(end))
        self.window_box.setCurrentText(CUSTOM_DATES)

    def weights_problem(self) -> str | None:
        try:
            tilt_core.validate_weights(self.weights(), self.known())
        except BadInput as exc:
            return str(exc)
        return None

    def window_problem(self) -> str | None:
        if self.uses_toolbar_range():
            return None
        start, end = self.custom_window()
        if end <= start:
            return f"the end {end:%Y-%m-%d} is not after the start {start:%Y-%m-%d}"
        return None

    def problem(self) -> str | None:
        """What stops a run (weights first), or None."""
        return self.weights_problem() or self.window_problem()

    # ------------------------------------------------------------------ reactions
    def _weight_edited(self, *args) -> None:
        if self._quiet:
            return
        self._refresh_state()
        self.changed.emit()

    def _refresh_state(self) -> None:
        """The preset that matches the weights (or Custom) and the live total."""
        weights = self.weights()
        match = next((n for n, w in tilt_core.PRESETS.items() if _same(w, weights)), CUSTOM)
        self.preset.blockSignals(True)
        self.preset.setCurrentText(match)
        self.preset.blockSignals(False)
        self.preset_note.setText(PRESET_NOTES.get(match, ""))
        self.preset_note.setVisible(match in PRESET_NOTES)
        self._show_total()

    def _preset_chosen(self, name: str) -> None:
        if name in tilt_core.PRESETS:
            self.set_weights(tilt_core.preset(name))

    def _window_mode_changed(self, mode: str, emit: bool = True) -> None:
        custom = mode == CUSTOM_DATES
        self.start_edit.setEnabled(custom)
        self.end_edit.setEnabled(custom)
        if emit:
            self._emit()

    def _emit(self, *args) -> None:
        if self._quiet:
            return
        self._show_window_problem()
        self.changed.emit()

    def _show_total(self) -> None:
        total = sum(self.weights().values())
        problem = self.weights_problem()
        t = self.theme
        if problem:
            left = 100.0 - total
            hint = ""
            if left > tilt_core.WEIGHT_TOLERANCE:
                hint = f" ({left:g} % left to place)"
            elif left < -tilt_core.WEIGHT_TOLERANCE:
                hint = f" ({-left:g} % too much)"
            self.total_label.setText(f"Total {total:g} %{hint}: {problem}")
            self.total_label.setStyleSheet(f"color: {t.loss}; font-weight: bold;")
            self.weights_frame.setStyleSheet(f"QFrame#weights {{ border: 1px solid {t.loss}; border-radius: 3px; }}")
            self.total_label.setToolTip(problem)
        else:
            self.total_label.setText(f"Total {total:g} % ✓")
            self.total_label.setStyleSheet(f"color: {t.muted};")
            self.weights_frame.setStyleSheet("")
            self.total_label.setToolTip("")

    def _show_window_problem(self) -> None:
        problem = self.window_problem()
        t = self.theme
        for edit in (self.start_edit, self.end_edit):
            edit.setStyleSheet(f"QDateEdit {{ border: 1px solid {t.loss}; }}" if problem else "")
        self.window_error.setText(problem or "")
        self.window_error.setStyleSheet(f"color: {t.loss};")
        self.window_error.setVisible(bool(problem))

    def _show_add_error(self, text: str) -> None:
        self.add_error.setText(text)
        self.add_error.setStyleSheet(f"color: {self.theme.loss};")
        self.add_error.show()
        self.add_edit.setStyleSheet(f"QLineEdit {{ border: 1px solid {self.theme.loss}; border-radius: 3px; }}")

    def _clear_add_error(self) -> None:
        self.add_error.hide()
        self.add_error.setText("")
        self.add_edit.setStyleSheet("")

    def add_problem(self) -> str | None:
        return self.add_error.text() if self.add_error.isVisibleTo(self) else None

    def total_text(self) -> str:
        return self.total_label.text()

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.preset_note.setStyleSheet(f"color: {theme.muted};")
        for row in self.rows.values():
            row.widgets[1].setStyleSheet(f"color: {theme.muted};")
        self._show_total()
        self._show_window_problem()
        if self.add_problem():
            self._show_add_error(self.add_error.text())


def _same(a: dict[str, float], b: dict[str, float]) -> bool:
    keys = {k for k, v in a.items() if v} | {k for k, v in b.items() if v}
    return all(abs(a.get(k, 0.0) - b.get(k, 0.0)) < 1e-9 for k in keys)


def _ts(d: QDate) -> pd.Timestamp:
    return pd.Timestamp(d.year(), d.month(), d.day())


def _qdate(value) -> QDate:
    ts = pd.Timestamp(value)
    return QDate(ts.year, ts.month, ts.day)
