"""The chip strip of the ticker picker: removable "● DFAT ×" chips laid out in lines that wrap."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QLayout, QSizePolicy, QToolButton, QWidget, QWidgetItem

from rotation_desk.ui.kit.boxes import line
from rotation_desk.ui.kit.theme import Theme


class FlowLayout(QLayout):
    """Lays widgets out left to right and wraps to a new line when the width runs out."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6):
        super().__init__(parent)
        self._items = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item):
        self._items.append(item)

    def insertWidget(self, index: int, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self._items.insert(index, QWidgetItem(widget))
        self.invalidate()

    def count(self):
        return len(self._items)

    def itemAt(self, index):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):
        return Qt.Orientation(0)

    def hasHeightForWidth(self):
        return True

    def heightForWidth(self, width):
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect):
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self):
        return self.minimumSize()

    def minimumSize(self):
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, apply: bool) -> int:
        """Place the items in lines (each item centred vertically in its line); returns the height used."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        lines: list[list] = [[]]
        x = area.x()
        for item in self._items:
            if item.widget() is not None and item.widget().isHidden():
                continue
            hint = item.sizeHint()
            if item.expandingDirections() & Qt.Orientation.Horizontal:
                hint.setWidth(max(hint.width(), 260))
            if x + hint.width() > area.right() + 1 and lines[-1]:
                lines.append([])
                x = area.x()
            lines[-1].append((item, QPoint(x, 0), hint))
            x += hint.width() + self._spacing
        y = area.y()
        for placed in lines:
            height = max((hint.height() for _, _, hint in placed), default=0)
            if apply:
                for item, pos, hint in placed:
                    item.setGeometry(QRect(QPoint(pos.x(), y + (height - hint.height()) // 2), hint))
            y += height + self._spacing
        return max(0, y - self._spacing - rect.y() + m.bottom())


class TickerChip(QFrame):
    """ "● DFAT ×": the colour of its chart line, the ticker, and a remove button."""

    remove_clicked = Signal(str)

    def __init__(self, ticker: str, tooltip: str, theme: Theme, parent: QWidget | None = None):
        super().__init__(parent)
        self.ticker = ticker
        self.setObjectName("tickerChip")
        self.setToolTip(tooltip)
        self.dot = QLabel("●")
        self.label = QLabel(ticker)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.remove_button = QToolButton(text="×")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setToolTip(f"Remove {ticker} from the comparison")
        self.remove_button.setAccessibleName(f"Remove {ticker}")
        self.remove_button.clicked.connect(lambda: self.remove_clicked.emit(self.ticker))
        line(self, [self.dot, self.label, self.remove_button], (8, 1, 2, 1), 4)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._colour = theme.muted
        self.apply_theme(theme)

    def set_colour(self, colour: str) -> None:
        self._colour = colour
        self.dot.setStyleSheet(f"color: {colour};")

    def apply_theme(self, theme: Theme) -> None:
        self.setStyleSheet(
            f"#tickerChip {{ background: {theme.alt_base}; border: 1px solid {theme.grid}; border-radius: 11px; }}"
        )
        self.remove_button.setStyleSheet(f"QToolButton {{ color: {theme.muted}; border: none; padding: 0 3px; }}")
        self.dot.setStyleSheet(f"color: {self._colour};")
