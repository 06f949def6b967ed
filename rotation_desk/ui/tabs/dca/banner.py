"""The DCA tab's banner: a message about the opened plan file (its problems, a plan that is gone)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton

from rotation_desk.ui.kit.theme import Theme


class PlanBanner(QFrame):
    """Hidden until ``show_text``; the ✕ hides it. An error has the loss colour's edge, a notice the highlight's."""

    def __init__(self, theme: Theme):
        super().__init__()
        self.theme = theme
        self._error = True
        self.setObjectName("planBanner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.actions: list[QToolButton] = []  # the buttons of the message shown (``show_text(actions=)``)
        close = QToolButton(text="✕")
        close.setAutoRaise(True)
        close.setToolTip("Hide this message")
        close.clicked.connect(self.hide)
        self.row = h = QHBoxLayout(self)
        h.setContentsMargins(10, 6, 6, 6)
        h.addWidget(self.label, 1)
        h.addWidget(close)
        self.hide()

    def show_text(self, text: str, error: bool = True, actions: Sequence[tuple[str, Callable[[], None]]] = ()) -> None:
        """Show ``text``; ``actions``: (button text, what it does) buttons before the ✕ (each also hides it)."""
        for button in self.actions:
            self.row.removeWidget(button)
            button.deleteLater()
        self.actions = []
        for i, (label, act) in enumerate(actions):
            button = QToolButton(text=label)
            button.clicked.connect(self.hide)
            button.clicked.connect(act)
            self.row.insertWidget(1 + i, button)
            self.actions.append(button)
        self._error = error
        self.label.setText(text)
        self.apply_theme(self.theme)
        self.show()

    def text(self) -> str | None:
        """The message shown (None while hidden)."""
        return self.label.text() if not self.isHidden() else None

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        edge = theme.loss if self._error else theme.highlight
        self.setStyleSheet(
            f"QFrame#planBanner {{ border: 1px solid {edge}; border-left: 4px solid {edge}; "
            f"border-radius: 3px; background: {theme.alt_base}; }}"
        )
        self.label.setStyleSheet(f"color: {theme.text};")
