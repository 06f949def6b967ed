"""Sector Tilts: where sectors stand in their rotation against the benchmark, and what tilting toward them did.

Three pages, each in its own module with its background jobs:

- Rotation graph (``rotation_page``): the relative rotation graph
  (``core.rrg.rrg_series``; the same points as ``rotation-desk rrg``), a date
  slider with play/pause over the toolbar's range, the table of each ticker's
  RS-Ratio, RS-Momentum, quadrant, periods in quadrant and heading
  (``core.rrg.rrg_snapshot`` at the slider's date), and the heat map of
  returns relative to the benchmark (``core.rrg.sector_heatmap`` at the same date).
- Tilt backtest (``tilt_page``): the weights editor, and the core-and-satellite
  backtest (``core.tilt.tilt_backtest``; the same numbers as ``rotation-desk
  tilt``): growth of $10,000 against the benchmark, the active line, the stat
  cards and each holding's contribution; with rebalancing bands and costs
  (``tilt_rules_box``), and up to three portfolios side by side
  (``tilt_side_page``, ``core.tilt_compare.compare_tilts``).
- Strategies (``strategy_page``): the pair and RRG-quadrant rotation rules
  (``core.strategy_pair``, ``core.strategy_rrg``; the numbers of
  ``rotation-desk strategy``) against buying and holding each leg.

Only the page on screen is computed; the other catches up when shown. Every
figure comes from the core functions the command line calls; the pages only
select and format (``compute`` and ``texts``, both Qt-free). The tab wires the
pages to the toolbar, the views of ``export-chart`` and the theme.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtWidgets import QDialog, QTabWidget, QVBoxLayout, QWidget

from rotation_desk.core import tilt as tilt_core
from rotation_desk.errors import BadInput
from rotation_desk.ui.charts.panel import ChartPanel
from rotation_desk.ui.kit import formats
from rotation_desk.ui.tables.table import DataTable
from rotation_desk.ui.tabs.base import RangeUse, Tab, TabServices
from rotation_desk.ui.tabs.sectors import compute
from rotation_desk.ui.tabs.sectors.rotation_page import RotationPage
from rotation_desk.ui.tabs.sectors.strategy_page import StrategyPage
from rotation_desk.ui.tabs.sectors.tilt_page import TiltPage


def _held(page: str, name: str, doc: str) -> property:
    """A read-only attribute of the tab that is the page's attribute ``name``."""
    return property(lambda tab: getattr(getattr(tab, page), name), doc=doc)


class SectorsTab(Tab):
    title = "Sector Tilts"
    key = "sectors"
    views = ("rrg", "tilt")
    proxy_views = ("tilt",)

    def __init__(self, services: TabServices, tickers: list[str] | None = None, parent: QWidget | None = None):
        super().__init__(services, parent)
        self._requested: tuple[str, object] | None = None  # export-chart --tickers: ("tickers"|"weights", value)
        tickers = list(tickers or self.settings.sectors.tickers)
        self.rotation_page = rotation = RotationPage(self, tickers, self.name_of)
        self.tilt_page = tilt = TiltPage(self, self.name_of)
        self.strategy_page = StrategyPage(self, lambda: list(self.rotation_page.tickers))
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(rotation, "Rotation graph")
        self.pages.addTab(tilt, "Tilt backtest")
        self.pages.addTab(self.strategy_page, "Strategies")
        self.pages.currentChanged.connect(self._page_shown)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.pages)

        # the pages' parts, by the names the menus, exports and tests use
        self.ticker_edit, self.frequency_box, self.tail_spin, self.tail_unit = (
            rotation.ticker_edit,
            rotation.frequency_box,
            rotation.tail_spin,
            rotation.tail_unit,
        )
        self.chart, self.timeline = rotation.chart, rotation.timeline
        self.rrg_caption, self.rrg_table = rotation.rrg_caption, rotation.rrg_table
        self.heat_caption, self.heat_table = rotation.heat_caption, rotation.heat_table
        self.editor, self.cards, self.growth, self.active_chart = (
            tilt.editor,
            tilt.cards,
            tilt.growth,
            tilt.active_chart,
        )
        self.tilt_caption, self.contrib_caption, self.contrib_table = (
            tilt.tilt_caption,
            tilt.contrib_caption,
            tilt.contrib_table,
        )
        self.rrg_job, self.frame_job, self.tilt_job = rotation.rrg_job, rotation.frame_job, tilt.tilt_job

        rotation.failed.connect(lambda text: self.status_message.emit(text, True))
        rotation.ticker_edit.changed.connect(self._tickers_edited)
        tilt.edited.connect(self._weights_edited)
        tilt.edited.connect(self.range_use_changed)  # the editor's window: the toolbar's range or its own dates
        self.theme_changed(self.theme)

    # ------------------------------------------------------------------ what the pages hold
    tickers = _held("rotation_page", "tickers", "the tickers on the graph")
    frequency = _held("rotation_page", "frequency", '"weekly" or "daily"')
    tail = _held("rotation_page", "tail", "points in each tail")
    data = _held("rotation_page", "data", "the graph's points and frames (None until computed, or after a problem)")
    frame_costs = _held("rotation_page", "frame_costs", "seconds each move of the graph to a frame took")
    tilt_result = _held("tilt_page", "tilt_result", "the backtest shown (None while it cannot run)")

    @property
    def series(self) -> pd.DataFrame | None:
        """The graph's points (``core.rrg.rrg_series``)."""
        data = self.rotation_page.data
        return data.series if data is not None else None

    @property
    def tilt_runs(self) -> int:
        """Tilt backtests shown so far (tests read it)."""
        return self.tilt_job.runs

    def rows_date(self) -> pd.Timestamp | None:
        """The date the table and heat map show."""
        return self.rotation_page.rows_date()

    def name_of(self, ticker: str) -> str:
        return compute.display_name(ticker, self.market.fund)

    def show_help(self) -> QDialog:
        return self.rotation_page.show_help()

    def run_tilt(self) -> None:
        """Backtest the editor's weights now (no run while they are invalid: the editor says why)."""
        self.tilt_page.run()

    # ------------------------------------------------------------------ views (export-chart, menus)
    def chart_for_view(self, view: str) -> ChartPanel:
        if view == "rrg":
            return self.chart
        if view == "tilt":
            return self.growth
        raise KeyError(view)

    def export_parts(self, view: str, with_table: bool = False) -> list:
        """The tilt view is the backtest page: its figure cards, the growth and active-return charts (and
        the contributions with ``with_table``)."""
        if view != "tilt":
            return super().export_parts(view, with_table)
        from rotation_desk.ui.charts.composite import Chart, Table, tab_cards

        page = self.tilt_page
        parts = [tab_cards(page.cards.values()), Chart(page.growth, 3), Chart(page.active_chart, 2)]
        if with_table:
            parts.append(Table(page.contrib_table, page.contrib_caption.text()))
        return parts

    def select_view(self, view: str) -> None:
        kind = self._requested[0] if self._requested else None
        if view == "tilt" and kind == "tickers":
            raise BadInput(
                "the tilt chart takes weights, not a ticker list: --tickers SPY=70,XLI=10,XLF=10,XLY=10 "
                "(percent, summing to 100); or set them in the app's Tilt backtest editor, "
                "or use the `tilt --weights` command"
            )
        if view == "rrg" and kind == "weights":
            raise BadInput("the rrg chart takes tickers (--tickers XLK,XLF,ITA), not weights")
        self.pages.setCurrentWidget(self.tilt_page if view == "tilt" else self.rotation_page)
        if view == "tilt":
            self.tilt_page.show_view(self.tilt_page.backtest)

    def current_chart(self) -> ChartPanel:
        if self.pages.currentWidget() is self.tilt_page:
            side = self.tilt_page.side
            return side.current_chart() if self.tilt_page.side_shown() else self.growth
        return self.chart

    def current_table(self) -> DataTable:
        if self.pages.currentWidget() is self.tilt_page:
            side = self.tilt_page.side
            return side.table if self.tilt_page.side_shown() else self.contrib_table
        return self.rrg_table

    def use_proxies(self, chosen: dict[str, str], view: str = "") -> None:
        """``export-chart tilt --proxy``: exactly these proxies for the tilt's funds (checked as ``tilt
        --proxy`` checks them); without any, the remembered ones are not used either, so an exported tilt
        equals ``rotation-desk tilt`` with the same ``--proxy``. The RRG refuses them."""
        super().use_proxies(chosen, view)
        if chosen:
            self.tilt_page.use_proxies(chosen)
        else:
            self.tilt_page.set_proxies({})

    def use_tickers(self, tickers: list[str]) -> None:
        """RRG tickers, or for the tilt view ``T=W`` pairs (percent weights summing to 100)."""
        if tickers and all("=" in t for t in tickers):
            try:
                weights = tilt_core.parse_weights(",".join(tickers))
            except BadInput:
                weights = None  # tickers such as ES=F: a ticker list
            if weights is not None:
                self.tilt_page.use_weights(weights)
                self._requested = ("weights", weights)
                return
        self._requested = ("tickers", self.rotation_page.use_tickers(tickers))
        self.strategy_page.tickers_changed()

    def _tickers_edited(self, _tickers: list[str]) -> None:
        self._requested = None
        self.strategy_page.tickers_changed()

    def _weights_edited(self) -> None:
        if self._requested and self._requested[0] == "weights":
            self._requested = None

    # ------------------------------------------------------------------ state and theme
    def _page_shown(self, _index: int) -> None:
        self.timeline.stop()  # the page's job catches up by itself if it is stale
        self.range_use_changed.emit()

    def range_use(self) -> RangeUse:
        """The RRG's slider spans the toolbar's range; the tilt backtest uses it unless the editor has dates."""
        if self.pages.currentWidget() is not self.tilt_page or self.editor.uses_toolbar_range():
            return RangeUse()
        start, end = self.editor.custom_window()
        return RangeUse(
            follows=False,
            note=(
                f"The tilt backtest uses its own dates ({formats.date_range(start, end)}, set in the editor); "
                "choose a range to backtest over it instead."
            ),
            window=(start, end) if end > start else None,
        )

    def range_chosen(self) -> None:
        if self.pages.currentWidget() is self.tilt_page and not self.editor.uses_toolbar_range():
            self.editor.use_toolbar_range()

    def invalidate(self) -> None:
        """The range or benchmark changed: both pages are out of date."""
        self.timeline.stop()
        super().invalidate()

    def theme_changed(self, theme) -> None:
        self.rotation_page.apply_theme(theme)
        self.tilt_page.apply_theme(theme)
        self.strategy_page.apply_theme(theme)
