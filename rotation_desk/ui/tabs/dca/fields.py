"""The plan editor's small parts: text <-> JSON values, the date and choice fields, the error style.

Text fields keep whatever a (hand-edited) file held, so an invalid value is
shown as it is and marked, never silently replaced.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from rotation_desk.ui.kit.elided import ElidedComboBox
from rotation_desk.ui.kit.theme import Theme

# -- text <-> JSON values ------------------------------------------------------------


def number_or_text(text: str):
    """A JSON value for a number field: None when empty, a float when it reads as one, else the text
    (which ``parse_plan`` then reports as "must be a number"). "$1,000" and "3 %" read as numbers."""
    cleaned = text.strip()
    if not cleaned:
        return None
    plain = cleaned.replace(",", "").replace("$", "").replace("%", "").replace(" ", "")
    try:
        value = float(plain)
    except ValueError:
        return cleaned
    return value


def count_or_text(text: str):
    value = number_or_text(text)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def show_value(value) -> str:
    """How a JSON value from a plan file is put into a text field (numbers without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, (int, str)):
        return str(value)
    return json.dumps(value)


def equal_weights(tickers: Sequence[str]) -> dict[str, float]:
    """Percentages for an equal split, 4 decimals, the last one taking the rounding so they sum to 100."""
    n = len(tickers)
    if n == 0:
        return {}
    share = round(100.0 / n, 4)
    out = {t: share for t in tickers[:-1]}
    out[tickers[-1]] = round(100.0 - share * (n - 1), 4)
    return out


# -- small field widgets ----------------------------------------------------------------


class DateField(QWidget):
    """A YYYY-MM-DD text field with a calendar button (free text, so a bad date in a file is shown as is)."""

    textChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("YYYY-MM-DD")
        self.edit.textChanged.connect(self.textChanged)
        self.button = QToolButton(text="▾")
        self.button.setToolTip("Pick a date")
        self.button.setAutoRaise(True)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(False)
        self.calendar.clicked.connect(self._picked)
        self.menu = QMenu(self.button)
        action = QWidgetAction(self.menu)
        action.setDefaultWidget(self.calendar)
        self.menu.addAction(action)
        self.menu.aboutToShow.connect(self._sync_calendar)
        self.button.clicked.connect(lambda: self.menu.popup(self.button.mapToGlobal(self.button.rect().bottomLeft())))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def _sync_calendar(self) -> None:
        try:
            day = dt.date.fromisoformat(self.edit.text().strip())
        except ValueError:
            day = dt.date.today()
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def _picked(self, date: QDate) -> None:
        self.edit.setText(f"{date.year():04d}-{date.month():02d}-{date.day():02d}")
        self.menu.hide()


class ChoiceField(ElidedComboBox):
    """A combo box of (JSON value, label) choices; a value that is not a choice (from a hand-edited
    file) is shown as an extra "… (not valid)" item so it can be marked rather than replaced."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # long labels must not widen the editor panel: the box shrinks, eliding the label (whole in its
        # tooltip and in the popup)
        self.setSizeAdjustPolicy(ElidedComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)

    def set_choices(self, choices: Iterable[tuple[object, str]], keep=None) -> None:
        self.blockSignals(True)
        self.clear()
        for value, label in choices:
            self.addItem(label, value)
        self.blockSignals(False)
        if keep is not None:
            self.set_value(keep, add_unknown=False)

    def set_value(self, value, add_unknown: bool = True) -> bool:
        """Select ``value``; False when it is not a choice (then added as an invalid item, if asked)."""
        for i in range(self.count()):
            data = self.itemData(i)
            if data == value and type(data) is type(value):
                self.setCurrentIndex(i)
                return True
        if add_unknown:
            self.addItem(f"{show_value(value)} (not valid)", value)
            self.setCurrentIndex(self.count() - 1)
        return False

    def value(self):
        return self.currentData()


def error_style(kind: str, theme: Theme) -> str:
    """The red border of a marked field (``kind``: its Qt class name, e.g. QLineEdit)."""
    return f"{kind} {{ border: 1px solid {theme.loss}; border-radius: 3px; padding: 2px; }}"
