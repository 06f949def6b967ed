"""The ETF Comparison's window bar: "Window [Common window ▾]" and the sentence that says which window
every figure uses (the youngest fund that limits it, the toolbar range, "updating…" while computing).

Modes (``compute.MODES``): "Common window" (default), the dates every fund has; "Full history of
each", every fund from its own first close; "Toolbar range", the app's range cut to the common window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from rotation_desk.ui.kit.theme import Theme
from rotation_desk.ui.tabs.compare.compute import MODES

UPDATING = " · updating…"


def mode_index(mode: str) -> int:
    return [k for k, _ in MODES].index(mode)


class WindowBar(QWidget):
    """The mode box and the window sentence (muted, or in the loss colour for a problem)."""

    mode_chosen = Signal(str)  # "common", "full" or "range", chosen by the user or ``set_mode``

    def __init__(self, mode: str, range_name: str, theme: Theme, parent: QWidget | None = None):
        super().__init__(parent)
        self.theme = theme
        self._problem = False
        self.mode_box = QComboBox()
        for key, text in MODES:
            self.mode_box.addItem(text, key)
        self.mode_box.setToolTip(
            "Common window: the dates all funds have (fair comparison). Full history: each fund from its first close.\n"
            "Toolbar range: the range chosen in the toolbar, cut to the common window."
        )
        self.mode_box.setCurrentIndex(mode_index(mode))
        self.mode_box.currentIndexChanged.connect(lambda i: self.mode_chosen.emit(self.mode_box.itemData(i)))
        self.window_label = QLabel()
        self.window_label.setWordWrap(True)
        self.window_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.set_range_name(range_name)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(QLabel("Window"))
        layout.addWidget(self.mode_box)
        layout.addWidget(self.window_label, 1)

    def set_mode(self, mode: str, quiet: bool = False) -> None:
        """Show ``mode`` in the box (``quiet``: without emitting ``mode_chosen``)."""
        self.mode_box.blockSignals(quiet)
        self.mode_box.setCurrentIndex(mode_index(mode))
        self.mode_box.blockSignals(False)

    def set_range_name(self, name: str) -> None:
        """ "Toolbar range (5Y)": the third mode names the toolbar's range."""
        self.mode_box.setItemText(mode_index("range"), f"Toolbar range ({name})")

    def say(self, text: str, problem: bool = False) -> None:
        self._problem = problem
        self.window_label.setText(text)
        self.apply_theme(self.theme)

    def set_busy(self, on: bool) -> None:
        text = self.window_label.text().split(UPDATING)[0]
        self.window_label.setText(text + UPDATING if on else text)

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.window_label.setStyleSheet(f"color: {theme.loss if self._problem else theme.muted};")
