"""Runs a price refresh on the worker pool and reports it by signals (GUI thread).

The refresh function is ``MarketData.refresh`` unless one is injected (tests
inject a recorded or fake one at exactly this boundary). It gets a progress
callback and a cancel callback; both are safe to call from the worker thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal

from rotation_desk.ui.kit.workers import Task, TaskRunner

log = logging.getLogger(__name__)

RefreshFn = Callable[..., object]  # (tickers, full=, progress=, cancel=) -> RefreshReport


class RefreshController(QObject):
    started = Signal(int)  # number of tickers
    progress = Signal(int, int, str)  # done, total, ticker
    finished = Signal(object)  # the RefreshReport
    failed = Signal(str)  # a short message (offline, unexpected error)

    def __init__(self, market, runner: TaskRunner, refresh_fn: RefreshFn | None = None, parent=None):
        super().__init__(parent)
        self.market = market
        self.runner = runner
        self.refresh_fn = refresh_fn
        self._task: Task | None = None

    def running(self) -> bool:
        return self._task is not None

    def start(self, tickers: Sequence[str] | None = None, full: bool = False) -> bool:
        """Start a refresh; False (with ``failed``) when offline, or when one is already running."""
        if self._task is not None:
            return False
        if self.market.offline and self.refresh_fn is None:
            self.failed.emit("Offline mode (started with --offline): refresh needs the network. Cached data is shown.")
            return False
        names = list(tickers) if tickers else self.market.ticker_names()
        fn = self.refresh_fn or self.market.refresh

        def work(task: Task):
            return fn(names, full=full, progress=task.report_progress, cancel=task.is_cancelled)

        self._task = self.runner.start(
            work,
            "refresh",
            on_success=self._succeeded,
            on_failure=self._failed,
            on_progress=self.progress.emit,
        )
        self.started.emit(len(names))
        return True

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _succeeded(self, report) -> None:
        self._task = None
        self.finished.emit(report)

    def _failed(self, message: str) -> None:
        self._task = None
        self.failed.emit(message)


def failures(report) -> list:
    """The per-ticker outcomes that did not succeed (cancelled ones excluded)."""
    return [o for o in getattr(report, "outcomes", ()) if o.status in FAILED]


# rotation_desk.data.refresh's failure statuses (not imported here: it loads yfinance, which
# the window does not need until a refresh actually runs)
FAILED = ("error", "no_data")


def describe(report) -> str:
    """One line for the status bar."""
    outcomes = list(getattr(report, "outcomes", ()))
    ok = sum(1 for o in outcomes if o.status == "ok")
    bad = len(failures(report))
    if getattr(report, "offline", False):
        return "Yahoo Finance could not be reached (offline?); cached data kept."
    if getattr(report, "cancelled", False):
        return f"Refresh cancelled: {ok} of {len(outcomes)} tickers updated, the rest kept as cached."
    text = f"Refreshed {ok} of {len(outcomes)} tickers."
    if bad:
        text += f" {bad} failed (see Details)."
    return text
