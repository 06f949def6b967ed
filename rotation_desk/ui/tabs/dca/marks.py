"""How the plan editor marks a field with a problem: a red border, the reason under the field and in its tooltip."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QLabel, QWidget

from rotation_desk.ui.kit.theme import Theme
from rotation_desk.ui.tabs.dca.allocation_editor import AllocationEditor
from rotation_desk.ui.tabs.dca.fields import DateField, error_style


class FieldMarks:
    """The reason labels of the editor's fields (``reasons``: one per field, hidden until marked)."""

    def __init__(self, widgets: Mapping[str, QWidget], tips: Mapping[str, str], theme: Theme):
        self.widgets = widgets
        self.tips = tips
        self.theme = theme
        self.marks: dict[str, str] = {}
        self.reasons: dict[str, QLabel] = {}
        for key, widget in widgets.items():
            widget.setToolTip(tips[key])
            label = QLabel()
            label.setWordWrap(True)
            label.hide()
            self.reasons[key] = label

    def show(self, marks: dict[str, str]) -> None:
        """Mark the fields of ``marks`` (field -> reason) and clear the others."""
        self.marks = marks
        for key, widget in self.widgets.items():
            self._show(key, widget, marks.get(key))

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.show(self.marks)

    def _show(self, key: str, widget: QWidget, message: str | None) -> None:
        label = self.reasons[key]
        target = widget.edit if isinstance(widget, DateField) else widget
        if message:
            label.setText(message)
            label.setStyleSheet(f"color: {self.theme.loss};")
            label.show()
            target.setToolTip(message)
            if isinstance(widget, AllocationEditor):
                widget.set_marked(True)
            else:
                target.setStyleSheet(error_style(target.metaObject().className(), self.theme))
        else:
            label.hide()
            label.setText("")
            target.setToolTip(self.tips[key])
            if isinstance(widget, AllocationEditor):
                widget.set_marked(False)
            else:
                target.setStyleSheet("")
