"""The status bar: where the data comes from and how fresh it is, refresh progress with cancel,
and a details popup for per-ticker failures."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from rotation_desk.ui.app import refresh as refresh_text
from rotation_desk.ui.kit import clock
from rotation_desk.ui.kit.theme import Theme
from rotation_desk.ui.tables.table import Column, DataTable

FRESHNESS_TICK_MS = 60_000  # "updated 5 min ago" is re-worded once a minute


class StatusBar(QStatusBar):
    cancel_requested = Signal()

    def __init__(self, market, theme: Theme, parent: QWidget | None = None):
        super().__init__(parent)
        self.market = market
        self.theme = theme
        self._outcomes: list = []
        self.setSizeGripEnabled(True)

        self.message_label = QLabel()
        self.message_label.setMinimumWidth(200)
        self.progress_bar = QProgressBar()
        self.progress_bar.setFixedWidth(220)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the refresh; tickers already updated are kept")
        self.cancel_button.clicked.connect(self._cancel_clicked)
        self.cancel_button.hide()
        self.details_button = QPushButton("Details…")
        self.details_button.setToolTip("Which tickers failed to refresh, and why")
        self.details_button.clicked.connect(self.show_details)
        self.details_button.hide()
        self.source_label = QLabel()
        self.source_label.setContentsMargins(8, 0, 8, 0)

        # A constant height: showing the progress bar or the buttons must not re-lay out (and
        # repaint) the whole window above the status bar while a refresh runs.
        tallest = max(w.sizeHint().height() for w in (self.progress_bar, self.cancel_button, self.details_button))
        self.setFixedHeight(tallest + 8)

        self.addWidget(self.message_label, 1)
        self.addPermanentWidget(self.progress_bar)
        self.addPermanentWidget(self.cancel_button)
        self.addPermanentWidget(self.details_button)
        self.addPermanentWidget(self.source_label)

        self._timer = QTimer(self)
        self._timer.setInterval(FRESHNESS_TICK_MS)
        self._timer.timeout.connect(self.update_freshness)
        self._timer.start()
        self.update_freshness()

    # ------------------------------------------------------------------ freshness
    def freshness_text(self) -> str:
        try:
            return "Data: Yahoo Finance · " + self.market.freshness().describe(clock.now(), clock.today())
        except Exception:  # noqa: BLE001 - the status bar must never take the app down
            return "Data: unavailable (see the log)"

    def update_freshness(self) -> None:
        self.source_label.setText(self.freshness_text())
        self.source_label.setToolTip(
            "Adjusted daily closes (dividends reinvested) from Yahoo Finance; the app ships a snapshot and "
            f"refreshes from Yahoo when online.\nDatabase: {self.market.paths.database}"
        )

    def show_message(self, text: str, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(f"color: {self.theme.loss};" if error else "")

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme

    # ------------------------------------------------------------------ refresh progress
    def refresh_started(self, total: int) -> None:
        self._outcomes = []
        self.details_button.hide()
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat(f"0 / {total}")
        self.progress_bar.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.show_message(f"Refreshing {total} tickers from Yahoo Finance…")

    def refresh_progress(self, done: int, total: int, ticker: str) -> None:
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        self.progress_bar.setFormat(f"{done} / {total}  {ticker}")

    def refresh_finished(self, report) -> None:
        self._end_progress()
        self._outcomes = list(getattr(report, "outcomes", ()))
        failed = refresh_text.failures(report)
        self.details_button.setVisible(bool(failed))
        self.show_message(refresh_text.describe(report), error=bool(failed) or getattr(report, "offline", False))
        self.update_freshness()

    def refresh_failed(self, message: str) -> None:
        self._end_progress()
        self.show_message(message, error=True)
        self.update_freshness()

    def _end_progress(self) -> None:
        self.progress_bar.hide()
        self.cancel_button.hide()

    def _cancel_clicked(self) -> None:
        self.cancel_button.setEnabled(False)
        self.show_message("Cancelling after the current ticker…")
        self.cancel_requested.emit()

    # ------------------------------------------------------------------ details
    def show_details(self) -> QDialog:
        dialog = RefreshDetails(self._outcomes, self.theme, self.window())
        dialog.open()
        return dialog


class RefreshDetails(QDialog):
    """Per-ticker outcome of the last refresh, failures first."""

    def __init__(self, outcomes, theme: Theme, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Refresh details")
        self.resize(720, 420)
        order = {"error": 0, "no_data": 1, "cancelled": 2, "skipped": 2, "ok": 3}
        rows = sorted(outcomes, key=lambda o: (order.get(o.status, 9), o.ticker))
        labels = {
            "ok": "updated",
            "no_data": "no data",
            "error": "failed",
            "cancelled": "not run (cancelled)",
            "skipped": "skipped",
        }
        frame = pd.DataFrame(
            {
                "ticker": [o.ticker for o in rows],
                "status": [labels.get(o.status, o.status) for o in rows],
                "rows": [getattr(o, "rows_written", None) for o in rows],
                "message": [o.message for o in rows],
            }
        )
        bad = sum(1 for o in outcomes if o.status in refresh_text.FAILED)
        intro = QLabel(
            f"{bad} of {len(outcomes)} tickers could not be refreshed; their cached prices are kept."
            if bad
            else f"All {len(outcomes)} tickers refreshed."
        )
        intro.setWordWrap(True)
        self.table = DataTable("refresh-details", theme)
        self.table.set_frame(
            frame,
            [
                Column("ticker", "Ticker"),
                Column("status", "Result"),
                Column("rows", "Rows written", kind="integer"),
                Column("message", "Message", stretch=True),
            ],
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
