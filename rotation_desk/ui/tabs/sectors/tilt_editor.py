"""The core-and-satellite weights editor of the Sector Tilts tab: presets, weights, rebalance rule, window.

The weights are the rows of ``weight_rows``: the benchmark (the core), the 11
SPDR sectors, and any other cached ticker the user adds (ITA, KRE, …).
Weights are percentages; the total is checked on every keystroke with the
same rule as the ``tilt`` command (``core.tilt.validate_weights``) and the
reason is shown next to it. Presets fill the weights; editing a weight turns
the preset back to "Custom". The rebalance rule, the bands and the cost
(``tilt_rules_box``) and the window (the toolbar's range or custom dates) sit
underneath. ``changed`` fires on any edit;
``problem()`` says what stops a run. The rules themselves are in ``compute``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from rotation_desk.core import tilt as tilt_core
from rotation_desk.core.rrg import SECTORS
from rotation_desk.ui.kit.boxes import column
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.tabs.sectors import compute
from rotation_desk.ui.tabs.sectors.compute import CUSTOM
from rotation_desk.ui.tabs.sectors.tilt_rules_box import RuleControls
from rotation_desk.ui.tabs.sectors.weight_rows import WeightRows

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
    "never": "buy and hold: the weights drift with prices (with bands: rebalanced when a holding leaves its band)",
}


class TiltEditor(QWidget):
    changed = Signal()

    def minimumSizeHint(self) -> QSize:
        """At least the height its layout needs at its width (the preset note and the total wrap): the
        splitter and the scrolling column size it from this, and the plain hint leaves wrapping out."""
        hint = super().minimumSizeHint()
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth() and self.width() > 0:
            return QSize(hint.width(), max(hint.height(), layout.totalMinimumHeightForWidth(self.width())))
        return hint

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the wrapped lines, hence the minimum height, follow the width

    def __init__(
        self,
        known: Callable[[], Sequence[str]],
        name_of: Callable[[str], str],
        benchmark: str = "SPY",
        weights: dict[str, float] | None = None,
        rebalance: str = "monthly",
        theme: Theme = LIGHT,
        parent: QWidget | None = None,
        rules: RuleControls | None = None,
    ):
        super().__init__(parent)
        self.known = known
        self.name_of = name_of
        self.theme = theme
        self.benchmark = benchmark
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

        self.weight_rows = WeightRows(name_of, theme)
        self.weight_rows.edited.connect(self._weight_edited)
        self.rows = self.weight_rows.rows  # ticker -> its row (the same dict)

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
        self.add_row = add_row = QHBoxLayout()  # the page adds its "Extend history" button here
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
        self.rules = rules or RuleControls(parent=self)
        self.rules.changed.connect(self._emit)

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
        rule_row = QHBoxLayout()
        rule_row.setSpacing(6)
        rule_row.addWidget(self.rebalance_box, 1)
        rule_row.addWidget(QLabel("Cost"))
        rule_row.addWidget(self.rules.cost_spin)
        form.addWidget(QLabel("Rebalance"), 0, 0)
        form.addLayout(rule_row, 0, 1)
        form.addWidget(QLabel("Bands"), 1, 0)
        form.addLayout(self.rules.band_row, 1, 1)
        form.addWidget(QLabel("Window"), 2, 0)
        form.addWidget(self.window_box, 2, 1)
        form.addLayout(dates, 3, 1)
        form.setColumnStretch(1, 1)

        column(
            self,
            [
                top,
                self.preset_note,
                (self.weight_rows, 1),
                self.total_label,
                add_row,
                self.add_error,
                form,
                self.window_error,
            ],
        )

        self._quiet = True
        self.weight_rows.ensure_row(benchmark, removable=False)
        for t in SECTORS:
            self.weight_rows.ensure_row(t, removable=False)
        self.set_weights(weights if weights is not None else tilt_core.preset("article tilts"))
        self._quiet = False
        self._window_mode_changed(self.window_box.currentText(), emit=False)
        self.apply_theme(theme)
        self._refresh_state()

    # ------------------------------------------------------------------ rows
    def remove_row(self, ticker: str) -> None:
        self.weight_rows.remove_row(ticker)

    def add_ticker(self, ticker: str) -> str | None:
        """Add a satellite row; returns the reason when it cannot (also shown under the field)."""
        error = compute.add_problem(ticker, self.rows, self.known())
        if error:
            self._show_add_error(error)
            return error
        self._clear_add_error()
        self.weight_rows.ensure_row(ticker.strip().upper(), removable=True)
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
            self.weight_rows.ensure_row(benchmark, removable=False)
        self._weight_edited()

    # ------------------------------------------------------------------ values
    def weights(self) -> dict[str, float]:
        """The non-zero weights in percent, in row order."""
        return self.weight_rows.weights()

    def set_weights(self, weights: dict[str, float]) -> None:
        """Rows for every ticker given (added if needed); every other row to 0."""
        was = self._quiet
        self._quiet = True
        try:
            self.weight_rows.set_weights(weights)
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

    def use_toolbar_range(self) -> None:
        self.window_box.setCurrentText(TOOLBAR_RANGE)

    def custom_window(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        return _ts(self.start_edit.date()), _ts(self.end_edit.date())

    def set_custom_window(self, start, end) -> None:
        self.start_edit.setDate(_qdate(start))
        self.end_edit.setDate(_qdate(end))
        self.window_box.setCurrentText(CUSTOM_DATES)

    def weights_problem(self) -> str | None:
        return compute.weights_problem(self.weights(), self.known())

    def window_problem(self) -> str | None:
        return None if self.uses_toolbar_range() else compute.window_problem(*self.custom_window())

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
        match = compute.matching_preset(self.weights())
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
        problem = self.weights_problem()
        self.total_label.setText(compute.total_text(self.weights(), problem))
        if problem:
            self.total_label.setStyleSheet(f"color: {self.theme.loss}; font-weight: bold;")
        else:
            self.total_label.setStyleSheet(f"color: {self.theme.muted};")
        self.total_label.setToolTip(problem or "")
        self.weight_rows.mark(problem)

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
        self.weight_rows.apply_theme(theme)
        self._show_total()
        self._show_window_problem()
        if self.add_problem():
            self._show_add_error(self.add_error.text())


def _ts(d: QDate) -> pd.Timestamp:
    return pd.Timestamp(d.year(), d.month(), d.day())


def _qdate(value) -> QDate:
    ts = pd.Timestamp(value)
    return QDate(ts.year, ts.month, ts.day)
