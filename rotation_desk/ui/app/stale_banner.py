"""The banner above the tabs when the newest close is old: how old, and a Refresh button.

It is shown when more than ``core.data_age.STALE_SESSIONS`` NYSE sessions have closed since the
newest cached close ("Prices end at the last close 2026-08-03 (4 months ago): 84 NYSE sessions
have closed since."), and hidden again once a refresh brings the prices up to date. Started with
``--offline`` the button is disabled and says why.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from rotation_desk.core.data_age import DataAge
from rotation_desk.ui.kit.theme import Theme


class StaleBanner(QFrame):
    refresh_clicked = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("staleBanner")
        self.age: DataAge | None = None
        self.dismissed = False
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.refresh_button = QPushButton("Refresh prices")
        self.refresh_button.clicked.connect(self.refresh_clicked)
        self.close_button = QToolButton(text="✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Hide this notice until the app starts again")
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.refresh_button)
        layout.addWidget(self.close_button)
        self.apply_theme(theme)
        self.hide()

    def show_age(self, age: DataAge | None, offline: bool) -> None:
        """Show the banner when ``age`` is stale (and not dismissed), else hide it."""
        self.age = age
        if age is None or not age.stale or self.dismissed:
            self.hide()
            return
        n = age.sessions_behind
        self.label.setText(
            f"Prices end at the {age.describe()}: {n:,} NYSE sessions have closed since. "
            "Figures on every tab stop at that date."
        )
        self.refresh_button.setEnabled(not offline)
        self.refresh_button.setToolTip(
            "Started with --offline: refreshing needs the network"
            if offline
            else "Fetch the missing closes from Yahoo Finance (Ctrl+R)"
        )
        self.show()

    def dismiss(self) -> None:
        self.dismissed = True
        self.hide()

    def apply_theme(self, theme: Theme) -> None:
        self.setStyleSheet(
            f"QFrame#staleBanner {{ background: {theme.alt_base}; border: 1px solid {theme.grid}; "
            f"border-left: 4px solid {theme.loss}; border-radius: 4px; }}"
        )
        self.label.setStyleSheet(f"color: {theme.text};")
