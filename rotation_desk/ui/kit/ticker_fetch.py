"""Fetching a ticker that has no cached prices, in the background, for the ticker picker.

``start(ticker)`` runs the refresh (``market.refresh`` or the ``refresh_fn``
given) for that one ticker on the task runner; when it ends, ``landed(ticker,
problem)`` is called on the GUI thread with None when the prices are in the
store, else one sentence saying why not. The refresh's exceptions never escape:
they become that sentence.
"""

from __future__ import annotations

from collections.abc import Callable

from rotation_desk.ui.kit.workers import TaskRunner


class TickerFetch:
    """The tickers being fetched and the one background refresh per ticker."""

    def __init__(
        self, market, runner: TaskRunner, landed: Callable[[str, str | None], None], refresh_fn: Callable | None = None
    ):
        self.market = market
        self.runner = runner
        self.landed = landed
        self.refresh_fn = refresh_fn
        self._fetching: set[str] = set()

    def fetching(self) -> list[str]:
        return sorted(self._fetching)

    def is_fetching(self, ticker: str) -> bool:
        return ticker in self._fetching

    def start(self, ticker: str) -> None:
        self._fetching.add(ticker)
        fn = self.refresh_fn or self.market.refresh

        def work(task):
            try:
                report = fn([ticker], progress=task.report_progress, cancel=task.is_cancelled)
            except Exception as exc:  # noqa: BLE001 - shown on the field
                return ticker, None, str(exc) or type(exc).__name__
            return ticker, report, None

        self.runner.start(work, f"fetch {ticker}", on_success=self._done)

    def _done(self, result) -> None:
        ticker, report, error = result
        self._fetching.discard(ticker)
        if error is None:
            error = fetch_problem(report, ticker)
        if error is None and not self.market.store.has(ticker):
            error = "Yahoo Finance sent no prices"
        self.landed(ticker, error)


def fetch_problem(report, ticker: str) -> str | None:
    """Why the refresh did not bring ``ticker``'s prices, or None when it did."""
    if report is None:
        return "no answer from the refresh"
    if getattr(report, "offline", False):
        return "Yahoo Finance could not be reached (offline?)"
    if getattr(report, "cancelled", False):
        return "the download was cancelled"
    outcome = next((o for o in getattr(report, "outcomes", ()) if o.ticker == ticker), None)
    if outcome is None:
        return "the refresh did not report it"
    if outcome.status != "ok":
        return getattr(outcome, "reason", "") or outcome.status.replace("_", " ")
    return None
