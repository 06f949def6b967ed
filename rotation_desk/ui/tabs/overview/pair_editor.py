"""The rotation pair editor under the scorecard: "Add pair [IWM] ÷ [SPY] [Add]  [Remove selected]
[Default pairs]"; a pair is checked (``core.pairs.check_new_pair``) before the tab adds it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from rotation_desk.core.pairs import check_new_pair
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.kit.widgets import FieldError, control_row, push_button


class PairEditor(QWidget):
    """ "Add pair [IWM] ÷ [SPY] [Add]  [Remove selected] [Default pairs]" with the reason shown on the
    fields when a pair cannot be added (unknown ticker, same ticker twice, already shown)."""

    add_requested = Signal(str)  # "NUM/DEN", already checked
    remove_requested = Signal()
    reset_requested = Signal()

    def __init__(self, known, theme: Theme = LIGHT, parent: QWidget | None = None):
        super().__init__(parent)
        self.known = known
        self.existing: list[str] = []
        self.numerator = QLineEdit()
        self.denominator = QLineEdit()
        self.error_label = FieldError([self.numerator, self.denominator], theme)
        for edit, tip in (
            (self.numerator, "The fund expected to lead if the rotation happens (e.g. IWM)"),
            (self.denominator, "The fund it is measured against (e.g. SPY)"),
        ):
            edit.setPlaceholderText("ticker")
            edit.setMaximumWidth(90)
            edit.setToolTip(tip)
            completer = QCompleter(sorted(known()), self)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            edit.setCompleter(completer)
            edit.returnPressed.connect(self.submit)
            edit.textEdited.connect(self.error_label.clear_error)
        self.add_button = push_button("Add pair", self.submit)
        self.remove_button = push_button(
            "Remove selected", self.remove_requested, "Remove the pairs selected in the table"
        )
        self.reset_button = push_button("Default pairs", self.reset_requested, "Show the seven built-in pairs again")
        control_row(
            self,
            ["Add pair", self.numerator, "÷", self.denominator, self.add_button, (self.error_label, 1), 0]
            + [self.remove_button, self.reset_button],
        )

    def error(self) -> str | None:
        return self.error_label.message()

    def show_error(self, text: str) -> None:
        self.error_label.show_error(text)

    def apply_theme(self, theme: Theme) -> None:
        self.error_label.apply_theme(theme)

    def submit(self) -> str | None:
        key, error = check_new_pair(self.numerator.text(), self.denominator.text(), self.known(), self.existing)
        if error:
            self.show_error(error)
            return None
        self.error_label.clear_error()
        self.numerator.clear()
        self.denominator.clear()
        self.add_requested.emit(key)
        return key
