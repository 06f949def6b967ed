"""Data → Data health…: what ``rotation-desk data check`` finds, per ticker, with its actions.

The upper table has one row per cached ticker (the columns of ``data check``'s table: source, first and
last close, rows, type, currency, calendar, last refresh and its result, health); the lower table lists
the problems of the selected tickers (all of them when none is selected): gaps with their dates, jumps,
spikes, staleness, a failed refresh, an unknown currency. The check itself (data/health.py) runs on the
worker pool; the figures and wording are the command line's.

Actions on the selected tickers:

- Re-fetch full history: the window's refresh (``RefreshController``, off the GUI thread, its progress
  in the status bar), ``full=True``; the check runs again when it has finished.
- Remove…: asks first, then ``data remove`` (data/health.py ``remove_tickers``); the tabs are told.
- Export prices…: ``data export`` (data/csv_export.py ``export_prices``), written whole or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from rotation_desk.data.csv_export import export_prices
from rotation_desk.data.health import check_store, remove_tickers, summary_line
from rotation_desk.errors import RotationDeskError
from rotation_desk.ui.kit.jobs import Job
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.tables.table import Column, DataTable

TICKER_COLUMNS = [
    Column("ticker", "Ticker"),
    Column("source", "Source"),
    Column("first", "First", kind="date"),
    Column("last", "Last", kind="date"),
    Column("rows", "Rows", kind="integer"),
    Column("type", "Type"),
    Column("currency", "Cur.", tooltip="The currency of the prices (— for a yield, ? when not known)"),
    Column("calendar", "Calendar", tooltip="The exchange calendar gaps and staleness are measured against"),
    Column("refresh", "Last refresh", tooltip="The last refresh from Yahoo and its result"),
    Column("health", "Health", stretch=True),
]
PROBLEM_COLUMNS = [
    Column("ticker", "Ticker"),
    Column("kind", "Problem"),
    Column("when", "When"),
    Column("detail", "What", stretch=True),
]


def ticker_frame(report) -> pd.DataFrame:
    """One row per ticker, as ``data check`` prints them."""
    return pd.DataFrame(
        {
            "ticker": [h.ticker for h in report],
            "source": [h.source_words for h in report],
            "first": [pd.Timestamp(h.first) if h.first else None for h in report],
            "last": [pd.Timestamp(h.last) if h.last else None for h in report],
            "rows": [h.rows for h in report],
            "type": [h.instrument.type_words for h in report],
            "currency": ["—" if h.instrument.is_rate else h.instrument.currency_code or "?" for h in report],
            "calendar": [h.calendar or "none" for h in report],
            "refresh": [h.refresh_words for h in report],
            "health": [h.health_words for h in report],
        },
        columns=[c.key for c in TICKER_COLUMNS],
    )


def problem_frame(report) -> pd.DataFrame:
    rows = [(h.ticker, p.kind, p.when, p.detail) for h in report for p in h.problems]
    return pd.DataFrame(rows, columns=[c.key for c in PROBLEM_COLUMNS])


class DataHealthDialog(QDialog):
    """The data check of every cached ticker; re-fetch, remove and export the selected ones."""

    data_changed = Signal()  # tickers were removed (the tabs and the benchmark list follow)

    def __init__(self, market, refresher, theme: Theme = LIGHT, today=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Data health")
        self.market, self.refresher, self.today, self.theme = market, refresher, today, theme
        self.report: list = []
        self.summary = QLabel("Checking the cached data…")
        self.summary.setWordWrap(True)
        self.only_problems = QCheckBox("Only tickers with problems")
        self.only_problems.toggled.connect(self._show_tickers)
        self.tickers = DataTable("data-health", theme)
        self.tickers.setSelectionBehavior(DataTable.SelectionBehavior.SelectRows)
        self.problems = DataTable("data-health-problems", theme)
        self.problems_caption = QLabel("Problems")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.check_button = QPushButton("Check again")
        self.check_button.clicked.connect(self.check)
        self.refetch_button = QPushButton("Re-fetch full history")
        self.refetch_button.setToolTip("Download the selected tickers' whole history from Yahoo Finance again")
        self.refetch_button.clicked.connect(self.refetch_selected)
        self.remove_button = QPushButton("Remove…")
        self.remove_button.setToolTip(
            "Delete the selected tickers from the store (a refresh or import brings them back)"
        )
        self.remove_button.clicked.connect(self.confirm_remove)
        self.export_button = QPushButton("Export prices…")
        self.export_button.setToolTip("Save the selected tickers' stored prices as CSV (as `data export`)")
        self.export_button.clicked.connect(self.export_dialog)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.only_problems)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.problems_caption)
        lower_layout.addWidget(self.problems, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.tickers)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        buttons = QHBoxLayout()
        for b in (self.check_button, self.refetch_button, self.remove_button, self.export_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(940, 600)

        self.tickers.set_frame(ticker_frame([]), TICKER_COLUMNS)
        self.problems.set_frame(problem_frame([]), PROBLEM_COLUMNS)
        self.tickers.selectionModel().selectionChanged.connect(self._selection_changed)
        self.job = Job(
            "data check",
            self,
            gather=lambda: (self.market, self.today),
            compute=lambda inputs, _cancelled: check_store(inputs[0], None, inputs[1]),
            apply=self._show,
            fail=self._check_failed,
            busy=self._busy,
        )
        self.refresher.finished.connect(self._refresh_finished)
        self.refresher.failed.connect(self._refresh_failed)
        self._waiting_for_refresh = False
        self._enable_actions()
        self.job.invalidate()

    # ------------------------------------------------------------------ the check
    def check(self) -> None:
        self.job.run()

    def _busy(self, on: bool) -> None:
        self.check_button.setEnabled(not on)
        if on:
            self.summary.setText("Checking the cached data…")

    def _show(self, report) -> None:
        self.report = list(report)
        self.summary.setText(summary_line(self.report) if self.report else "No cached tickers.")
        self._show_tickers()

    def _check_failed(self, text: str) -> None:
        self.summary.setText(text)

    def _show_tickers(self) -> None:
        shown = [h for h in self.report if not self.only_problems.isChecked() or not h.ok]
        self.tickers.set_frame(ticker_frame(shown), TICKER_COLUMNS)
        self._selection_changed()

    def selected(self) -> list[str]:
        """The selected tickers, in table order."""
        col = self.tickers.column_index("ticker")
        rows = sorted({i.row() for i in self.tickers.selectionModel().selectedIndexes()})
        return [self.tickers.proxy.index(r, col).data() for r in rows]

    def select(self, tickers: Sequence[str]) -> None:
        """Select these tickers' rows (the others are unselected)."""
        wanted = {t.upper() for t in tickers}
        col = self.tickers.column_index("ticker")
        self.tickers.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for r in range(self.tickers.proxy.rowCount()):
            if self.tickers.proxy.index(r, col).data() in wanted:
                self.tickers.selectionModel().select(self.tickers.proxy.index(r, 0), flags)

    def _selection_changed(self, *_args) -> None:
        names = set(self.selected())
        report = [h for h in self.report if h.ticker in names] if names else self.report
        frame = problem_frame(report)
        scope = ", ".join(sorted(names)) if 0 < len(names) <= 3 else f"{len(names)} tickers" if names else "all"
        self.problems_caption.setText(f"Problems ({scope}): {len(frame)}" if len(frame) else f"No problems ({scope}).")
        self.problems.set_frame(frame, PROBLEM_COLUMNS)
        self._enable_actions()

    def _enable_actions(self) -> None:
        some = bool(self.selected())
        for b in (self.refetch_button, self.remove_button, self.export_button):
            b.setEnabled(some)
        self.refetch_button.setEnabled(some and not self.refresher.running())

    def say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.setStyleSheet(f"color: {self.theme.loss};" if error else "")

    # ------------------------------------------------------------------ actions
    def refetch_selected(self) -> bool:
        names = self.selected()
        if not names:
            return False
        if not self.refresher.start(names, full=True):
            return False  # the refresher said why (offline, one already running): _refresh_failed
        self._waiting_for_refresh = True
        self.refetch_button.setEnabled(False)
        self.say(f"Re-fetching the full history of {', '.join(names)} from Yahoo Finance…")
        return True

    def _refresh_finished(self, report) -> None:
        if not self._waiting_for_refresh:
            self.check()  # another refresh changed the data: check again
            return
        self._waiting_for_refresh = False
        outcomes = list(getattr(report, "outcomes", ()))
        words = "; ".join(f"{o.ticker}: {o.message}" if o.status != "ok" else f"{o.ticker} updated" for o in outcomes)
        bad = [o for o in outcomes if o.status != "ok"]
        self.say(("Re-fetch: " + words) if words else "Re-fetch finished.", error=bool(bad))
        self._enable_actions()
        self.check()

    def _refresh_failed(self, text: str) -> None:
        self._waiting_for_refresh = False
        self.say(text, error=True)
        self._enable_actions()

    def confirm_remove(self) -> None:
        names = self.selected()
        if not names:
            return
        listed = ", ".join(names) if len(names) <= 8 else f"{', '.join(names[:8])} and {len(names) - 8} more"
        answer = QMessageBox.question(
            self,
            "Remove tickers",
            f"Delete {listed} from the store? Their cached prices are removed; a refresh or an import "
            "brings them back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.remove(names)

    def remove(self, names: Sequence[str]) -> list[tuple[str, int]]:
        try:
            removed = remove_tickers(self.market, names)
        except RotationDeskError as exc:
            self.say(str(exc), error=True)
            return []
        self.say("Removed " + ", ".join(f"{t} ({n:,} rows)" for t, n in removed) + ".")
        self.data_changed.emit()
        self.check()
        return removed

    def export_dialog(self) -> None:
        names = self.selected()
        if not names:
            return
        default = f"{names[0]}.csv" if len(names) == 1 else "prices.csv"
        name, _ = QFileDialog.getSaveFileName(self, "Export prices", default, "CSV (*.csv)")
        if name:
            self.export(names, Path(name if name.lower().endswith(".csv") else name + ".csv"))

    def export(self, names: Sequence[str], out: Path) -> int:
        """The rows written (0 and the reason on screen when it failed; the old file is kept)."""
        try:
            done, rows = export_prices(self.market, names, out)
        except (RotationDeskError, OSError) as exc:
            self.say(str(exc), error=True)
            return 0
        self.say(f"Wrote {rows:,} rows of {', '.join(done)} to {out}.")
        return rows

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.tickers.apply_theme(theme)
        self.problems.apply_theme(theme)
