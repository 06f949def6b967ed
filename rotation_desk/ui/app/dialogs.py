"""The main window's small dialogs: custom date range, about, and the error message box (settings: settings_dialog.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from rotation_desk import APP_TITLE, __version__
from rotation_desk.ui.kit.widgets import ProblemLabel

CONVENTIONS_HELP = """<h3>How the numbers are computed</h3>
<ul>
<li><b>Prices</b>: daily adjusted closes from Yahoo Finance, so dividends are reinvested.</li>
<li><b>Window return</b>: the last close on or before the end date over the last close on or before
the start date, minus 1. Periods (1M, 3M, 6M, 1Y, 3Y, 5Y, 10Y) are calendar offsets back from the last
date; YTD starts at the previous year's last close. Periods longer than a year are also shown
annualised, labelled “ann.”.</li>
<li><b>CAGR</b> = (end / start)<sup>365.25 / calendar days</sup> − 1.</li>
<li><b>Volatility</b> = standard deviation of daily returns (ddof 1) × √252.</li>
<li><b>Sharpe</b> = mean daily excess return × 252 / (stdev of daily excess × √252); risk-free rate 0
unless set. <b>Sortino</b> uses the root mean square of the negative excess returns instead.</li>
<li><b>Max drawdown</b> = the worst fall from a running peak; <b>Calmar</b> = CAGR / |max drawdown|.</li>
<li><b>Beta</b> = cov(r, r<sub>bench</sub>) / var(r<sub>bench</sub>); <b>correlation</b> is Pearson's,
both on the dates both series have. <b>Up/down capture</b> use monthly returns.</li>
<li>Comparisons use the tickers' <b>common window</b> unless you choose otherwise; the screen says which.</li>
<li>Expense ratios are already inside adjusted prices, so growth charts are net of fees; the fee in
dollars is shown separately and never subtracted twice.</li>
<li>Money has two decimals; DCA returns are XIRR on dated cash flows (contributions negative, final value
positive) and time-weighted return.</li>
</ul>"""


def about_text(source_line: str, log_file: Path) -> str:
    return (
        f"<h2>{APP_TITLE}</h2><p>Version {__version__}</p>"
        "<p>Is the small-cap / value / international rotation happening? Ratios, ETF comparisons, sector "
        "rotation and a dollar-cost-averaging planner.</p>"
        f"<p><b>Data</b>: {source_line}. Prices are Yahoo Finance adjusted daily closes (dividends "
        "reinvested), fetched with the open-source <i>yfinance</i> library; the app ships with a snapshot "
        "and works offline. Yahoo's data is for personal use; check Yahoo's terms before redistributing "
        "it. Fund facts (names, expense ratios) come from the issuers' pages, with their as-of dates.</p>"
        "<p>Nothing here is investment advice; past returns do not predict future ones.</p>"
        "<p><b>Licence</b>: MIT. Built with PySide6 (LGPL), pyqtgraph, pandas, NumPy, yfinance, "
        "exchange_calendars and platformdirs.</p>"
        f"<p>Log file: <code>{log_file}</code></p>"
    )


class RangeDialog(QDialog):
    """Pick a custom start and end date; OK is refused (with the reason) until start < end."""

    def __init__(self, first: pd.Timestamp, last: pd.Timestamp, start=None, end=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Custom date range")
        self.first, self.last = pd.Timestamp(first), pd.Timestamp(last)
        self.start_edit = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.end_edit = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        for edit in (self.start_edit, self.end_edit):
            edit.setMinimumDate(_qdate(self.first))
            edit.setMaximumDate(_qdate(self.last))
        self.start_edit.setDate(
            _qdate(pd.Timestamp(start) if start is not None else self.last - pd.DateOffset(years=1))
        )
        self.end_edit.setDate(_qdate(pd.Timestamp(end) if end is not None else self.last))
        self.error_label = ProblemLabel()
        form = QFormLayout()
        form.addRow("From", self.start_edit)
        form.addRow("To", self.end_edit)
        note = QLabel(f"Cached data runs from {self.first:%Y-%m-%d} to {self.last:%Y-%m-%d}.")
        note.setStyleSheet("color: palette(placeholder-text);")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def dates(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        return _ts(self.start_edit.date()), _ts(self.end_edit.date())

    def _accept(self) -> None:
        start, end = self.dates()
        if end <= start:
            self.error_label.say("The end date must be after the start date.")
            return
        self.accept()


def error_box(parent: QWidget | None, title: str, text: str, details: str = "") -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if details:
        box.setInformativeText(details)
    return box


def _qdate(ts: pd.Timestamp) -> QDate:
    return QDate(ts.year, ts.month, ts.day)


def _ts(d: QDate) -> pd.Timestamp:
    return pd.Timestamp(d.year(), d.month(), d.day())
