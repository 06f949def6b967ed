"""What every tab shares: its services, lazy recomputation, error display and theming.

A tab recomputes only when it is visible: a range or benchmark change marks
hidden tabs stale and they catch up when shown. Errors while computing are
logged with their traceback and shown in the tab as a sentence.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd
from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QWidget

from rotation_desk.data.market import MarketData
from rotation_desk.errors import BadInput, RotationDeskError
from rotation_desk.ui.charts.panel import ChartPanel
from rotation_desk.ui.kit.theme import Theme
from rotation_desk.ui.kit.widgets import StatCard, TickerListEdit
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


def source_line(market: MarketData) -> str:
    """The provenance line printed under every chart (and in its exports)."""
    try:
        fresh = market.freshness().describe()
    except Exception:  # noqa: BLE001 - provenance text must not break a chart
        fresh = "cached data"
    return f"Source: Yahoo Finance adjusted closes (dividends reinvested) · {fresh} · Rotation Desk"


class Tab(QWidget):
    title = ""
    key = ""
    views: tuple[str, ...] = ()  # export-chart VIEW names this tab renders
    status_message = Signal(str, bool)  # text, is_error

    def __init__(self, services: TabServices, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.market = services.market
        self.settings = services.settings
        self.view_state = services.view_state
        self.theme = services.theme
        self._stale = True
        self.view_state.changed.connect(self.invalidate)

    # ------------------------------------------------------------------ recompute
    def invalidate(self) -> None:
        """Inputs changed: recompute now if visible, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.reload_now()

    def showEvent(self, event):
        super().showEvent(event)
        if self._stale:
            self.reload_now()

    def reload_now(self) -> None:
        self._stale = False
        try:
            self.reload()
        except RotationDeskError as exc:
            log.info("%s tab: %s", self.key, exc)
            self.show_problem(str(exc))
        except Exception as exc:
            log.exception("%s tab failed to compute", self.key)
            self.show_problem(
                f"This view could not be computed ({type(exc).__name__}: {exc}). Details are in the log file."
            )

    def reload(self) -> None:
        raise NotImplementedError

    def wait_idle(self, msecs: int = 30000) -> bool:
        """Block until this tab's background computations (``self.runner``, if any) have finished
        and their results were applied; used by exports and ``--smoke``. False on timeout."""
        runner = getattr(self, "runner", None)
        ok = runner.wait(msecs) if runner is not None else True
        QCoreApplication.processEvents()  # deliver the queued results to their slots
        return ok

    def ensure_current(self) -> None:
        """Compute now if stale (used before exporting a hidden tab)."""
        if self._stale:
            self.reload_now()

    def show_problem(self, text: str) -> None:
        for chart in self.charts():
            chart.show_message(text)
        self.status_message.emit(text, True)

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
        self._stale = True

    def current_table(self) -> DataTable | None:
        tables = self.findChildren(DataTable)
        return tables[0] if tables else None

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

    def data_changed(self) -> None:
        """New prices arrived (refresh): recompute."""
        self.invalidate()
