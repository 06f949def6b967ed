"""A chart panel's message: a sentence in place of the plot (no data for this window, unknown ticker, …).

``MessageOverlay`` is one part of ``ChartPanel`` (panel.py): it holds the
stacked layout that shows either the chart view or ``message_label``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QLabel, QStackedLayout, QWidget


class MessageOverlay:
    """Either the plot or a message, in one place of the panel's layout."""

    def _init_overlay(self, outer: QBoxLayout, view: QWidget) -> None:
        """The view and the message in one stretching place of ``outer``; the view shows first."""
        self._stack = QStackedLayout()
        outer.addLayout(self._stack, 1)
        self._stack.addWidget(view)
        self.message_label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.message_label.setMargin(40)
        self._stack.addWidget(self.message_label)

    def _style_message(self, muted: str) -> None:
        self.message_label.setStyleSheet(f"color: {muted}; font-size: 12pt;")

    def show_message(self, text: str) -> None:
        """Replace the chart by a message (no data for this window, unknown ticker, …)."""
        self.clear()
        self.message_label.setText(text)
        self._stack.setCurrentWidget(self.message_label)

    def show_plot(self) -> None:
        """Bring the plot back after ``show_message``, for charts drawn only with ``add_item`` (e.g. a heatmap)."""
        self._stack.setCurrentWidget(self.view)

    def message(self) -> str | None:
        return self.message_label.text() if self._stack.currentWidget() is self.message_label else None
