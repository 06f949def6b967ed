"""Text that ends in "…" when its widget is narrow, on purpose: a label (``ElidedLabel``, e.g. a fund's
name beside its ticker) and a combo box (``ElidedComboBox``, e.g. a long choice in a narrow form). The
whole text is then in the tooltip, and the widget carries the property ``elided`` (what the layout audit
accepts as text cut on purpose)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QStyle, QStyleOptionComboBox, QStylePainter, QWidget


class ElidedLabel(QLabel):
    """One line of text, elided at the right when the width runs out, the whole text as its tooltip.
    It never asks for more width than a few letters."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("elided", True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def shown_text(self) -> str:
        """What is painted at the current width."""
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("Abc…"), super().minimumSizeHint().height())

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), self.shown_text())


class ElidedComboBox(QComboBox):
    """A combo box whose current text is elided when the box is narrow; the whole text then heads its
    tooltip (above the tooltip set with ``setToolTip``, e.g. what the field means or what is wrong)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("elided", True)
        self._tip = ""
        self.currentIndexChanged.connect(self._update_tip)
        self.model().dataChanged.connect(self._update_tip)  # an item renamed in place

    def setToolTip(self, text: str) -> None:
        self._tip = text
        self._update_tip()

    def _field_width(self) -> int:
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, opt, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        return field.width() - 2

    def shown_text(self) -> str:
        """The current text as painted at the current width."""
        return self.fontMetrics().elidedText(self.currentText(), Qt.TextElideMode.ElideRight, self._field_width())

    def is_elided(self) -> bool:
        return self.shown_text() != self.currentText()

    def _update_tip(self, *args) -> None:
        lines = [self.currentText()] if self.is_elided() else []
        super().setToolTip("\n".join(lines + ([self._tip] if self._tip else [])))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update_tip()

    def paintEvent(self, event) -> None:
        painter = QStylePainter(self)
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, opt)
        opt.currentText = self.shown_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, opt)
