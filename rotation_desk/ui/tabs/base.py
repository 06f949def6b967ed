"""What every tab shares: its services, its background jobs, error display and theming.

A tab computes only what is on screen: a range or benchmark change marks the
jobs of hidden pages stale and they catch up when shown (``ui.kit.jobs``).
Errors while computing are logged with their traceback and shown in the tab
as a sentence.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import pandas as pd
from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QWidget

from rotation_desk.data.market import MarketData
from rotation_desk.errors import BadInput, RotationDeskError
from rotation_desk.ui.charts.panel import ChartPanel
from rotation_desk.ui.kit import clock
from rotation_desk.ui.kit.jobs import Job, WhenShown
from rotation_desk.ui.kit.theme import Theme
from rotation_desk.ui.kit.widgets import StatCard, TickerListEdit
from rotation_desk.ui.kit.workers import TaskRunner
from rotation_desk.ui.state.ranges import Window
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.state.view_state import ViewState
from rotation_desk.ui.tables.table import DataTable

log = logging.getLogger(__name__)


@dataclass
class TabServices:
    """Everything a tab may use; handed to its constructor (no global app object)."""

    market: MarketData
    settings: Settings
    view_state: ViewState
    theme: Theme


@dataclass(frozen=True)
class RangeUse:
    """How the tab on screen uses the toolbar's range (the window lights and enables its range controls by it).

    ``follows``: the tab shows the toolbar's range, and the checked preset is that range. Otherwise no
    preset is checked and ``note`` (the controls' tooltip) says what the tab shows instead; ``enabled``
    False means the controls do nothing on this tab (they are shown disabled), True that choosing a
    range switches the tab to it. ``window`` is the (start, end) the tab shows when it is not the
    toolbar's, so "Custom range…" opens at it.
    """

    follows: bool = True
    note: str = ""
    enabled: bool = True
    window: tuple[pd.Timestamp, pd.Timestamp] | None = None


def source_line(market: MarketData) -> str:
    """The provenance line printed under every chart (and in its exports)."""
    try:
        fresh = market.freshness().describe(clock.now(), clock.today())
    except Exception:  # noqa: BLE001 - provenance text must not break a chart
        fresh = "cached data"
    return f"Source: Yahoo Finance adjusted closes (dividends reinvested) · {fresh} · Rotation Desk"


class Tab(QWidget):
    """A tab: its pages, and the background jobs that compute what they show (``ui.kit.jobs``).

    A range or benchmark change (``ViewState.changed``) and new prices
    (``data_changed``) invalidate every job of the tab; each job recomputes
    when its page is on screen, or when the page is next shown.
    """

    title = ""
    key = ""
    views: tuple[str, ...] = ()  # export-chart VIEW names this tab renders
    follows_range = True  # False: the toolbar's range does not apply here (``own_range`` says what it uses)
    own_range = "its own dates"  # what a tab that does not follow the toolbar's range uses instead
    status_message = Signal(str, bool)  # text, is_error
    range_use_changed = Signal()  # what ``range_use()`` answers has changed (a mode, a page, a window)

    def __init__(self, services: TabServices, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.market = services.market
        self.settings = services.settings
        self.view_state = services.view_state
        self.theme = services.theme
        self.jobs: list[Job] = []
        self.when_shown = WhenShown(self)  # drawing deferred until a chart or table is on screen
        if self.follows_range:
            self.view_state.changed.connect(self.invalidate)
        self.view_state.currency_changed.connect(self.invalidate)

    # ------------------------------------------------------------------ background jobs
    def add_job(
        self,
        what: str,
        page: QWidget,
        gather,
        compute,
        apply,
        fail=None,
        runner: TaskRunner | None = None,
        busy=None,
        on_demand: bool = False,
    ) -> Job:
        """A job of this tab (see ``ui.kit.jobs.Job``); failures go to ``show_problem`` unless ``fail`` is given.

        The tab's jobs recompute when the range, benchmark or prices change; an ``on_demand`` job
        runs only when asked (``job.run()``, e.g. the RRG table at the slider's date)."""
        job = Job(what, page, gather, compute, apply, fail or self.show_problem, runner=runner, busy=busy)
        job.on_demand = on_demand
        self.jobs.append(job)
        if not on_demand:
            job.invalidate()  # the first computation: when the page is first shown (or ensure_current)
        return job

    def invalidate(self) -> None:
        """Inputs every job depends on changed: recompute what is on screen, the rest when shown."""
        for job in self.jobs:
            if not job.on_demand:
                job.invalidate()

    def ensure_current(self, pooled: bool = False) -> None:
        """Compute now, in place (``pooled``: on the worker pool), whatever the current view needs and is
        outdated (exports, reports)."""
        for job in self.jobs:
            if not job.on_demand and (job.page is self or job.page.isVisibleTo(self)):
                job.ensure_current(pooled)

    def wait_idle(self, msecs: int = 30000, pump=None) -> bool:
        """Block until this tab's background jobs have finished and their results were applied; used by
        exports, tests and ``--smoke``; an edit still in its typing pause is applied first. False on timeout.

        With ``pump`` (a callable that runs the event loop a moment: ``ReportProgress.pump``) the
        wait keeps the window painting and its progress dialog answering instead of blocking."""
        for job in self.jobs:
            if job.resting():
                job.ensure_current(pooled=pump is not None)
        if pump is not None:
            deadline = time.monotonic() + msecs / 1000
            while any(job.busy() for job in self.jobs):
                if time.monotonic() > deadline:
                    return False
                pump()
            # its jobs are done: no waitForDone on the shared pool, which would also wait (blocking) for
            # whatever else the window runs there, a refresh included
            ok = True
        else:
            ok = all(job.wait(msecs) for job in self.jobs)
        QCoreApplication.processEvents()  # deliver the queued results to their slots
        return ok and not any(job.busy() for job in self.jobs)

    def working(self) -> bool:
        """A job is running or waiting for an edit to rest (what ``wait_idle`` would wait for)."""
        return any(job.busy() or job.resting() for job in self.jobs)

    def show_problem(self, text: str) -> None:
        for chart in self.charts():
            chart.show_message(text)
        self.status_message.emit(text, True)

    # ------------------------------------------------------------------ the toolbar's range
    def range_use(self) -> RangeUse:
        """How this tab uses the toolbar's range now (see ``RangeUse``); tabs with modes override it."""
        if self.follows_range:
            return RangeUse()
        return RangeUse(
            follows=False,
            enabled=False,
            note=f"{self.title} uses {self.own_range}; the toolbar's range does not apply here.",
        )

    def range_chosen(self) -> None:
        """The user picked a range in the toolbar while this tab is on screen (before it is applied):
        a tab showing another window switches to the toolbar's range here."""

    # ------------------------------------------------------------------ helpers for subclasses
    def last_session(self) -> pd.Timestamp:
        last = self.market.last_session()
        if last is None:
            raise RotationDeskError("the price database is empty")
        return last

    def current_range(self) -> Window:
        return self.view_state.window(self.last_session())

    def source_text(self) -> str:
        return source_line(self.market)

    # ------------------------------------------------------------------ charts and theme
    def charts(self) -> list[ChartPanel]:
        return self.findChildren(ChartPanel)

    def current_chart(self) -> ChartPanel | None:
        charts = self.charts()
        return charts[0] if charts else None

    def chart_for_view(self, view: str) -> ChartPanel:
        raise KeyError(view)

    def select_view(self, view: str) -> None:
        """Bring the chart for ``view`` to the front (sub-tabs); tabs with one chart need nothing."""

    proxy_views: tuple[str, ...] = ()  # the views that take --proxy (ETF Comparison's, the tilt)

    def use_proxies(self, chosen: dict[str, str], view: str = "") -> None:
        """Extend funds with these proxies (``export-chart VIEW --proxy``); a view that does not take them
        refuses."""
        if chosen and view not in self.proxy_views:
            raise BadInput(
                f"the {view or self.title} chart does not take --proxy "
                "(the compare, drawdown, correlation and tilt views do)"
            )

    def use_tickers(self, tickers: list[str]) -> None:
        """Show these tickers instead of the watchlist (``export-chart --tickers``)."""
        edit = getattr(self, "ticker_edit", None)
        if edit is None:
            raise BadInput(f"the {self.title} charts do not take --tickers")
        names, error = edit.validate(" ".join(tickers))
        if error:
            raise BadInput(error)
        edit.set_tickers(names)
        self.tickers = names
        self.invalidate()

    def current_table(self) -> DataTable | None:
        tables = self.findChildren(DataTable)
        return tables[0] if tables else None

    def export_parts(self, view: str, with_table: bool = False) -> list:
        """What an export of ``view`` holds (``ui.charts.composite``): its chart, and with ``with_table``
        the table the tab shows with it. Tabs whose view is more than a chart (tilt) say so."""
        from rotation_desk.ui.charts.composite import Chart, Table

        parts: list = [Chart(self.chart_for_view(view))]
        table = self.current_table() if with_table else None
        if table is not None:
            parts.append(Table(table))
        return parts

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.services.theme = theme
        for chart in self.findChildren(ChartPanel):
            chart.apply_theme(theme)
        for table in self.findChildren(DataTable):
            table.apply_theme(theme)
        for widget in self.findChildren(TickerListEdit) + self.findChildren(StatCard):
            widget.apply_theme(theme)
        self.theme_changed(theme)

    def theme_changed(self, theme: Theme) -> None:
        """Subclasses restyle their own labels here."""

    def may_close(self) -> bool:
        """Asked before the window closes: False keeps it open (unsaved work the user did not let go)."""
        return True

    def data_changed(self) -> None:
        """New prices arrived (refresh): recompute."""
        self.invalidate()
