"""The ETF Comparison's Drawdowns page: one fund's five deepest falls from a running peak (peak, trough,
recovery, depth, days to the trough and to recover) over the comparison's window, and its drawdown
chart with those five episodes shaded and numbered (``analysis.drawdown_job``,
``core.comparison_tables.worst_drawdowns``)."""

from __future__ import annotations

import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from rotation_desk.ui.charts.axes import percent_style
from rotation_desk.ui.charts.panel import ChartPanel, unix_seconds
from rotation_desk.ui.kit.boxes import column
from rotation_desk.ui.kit.theme import Theme
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.tables.table import Column, DataTable
from rotation_desk.ui.tabs.compare import analysis
from rotation_desk.ui.tabs.compare.fund_box import FundBox, fund_header

DRAWDOWN_COLUMNS = [
    Column("rank", "Rank", kind="integer", tooltip="1: the deepest"),
    Column("peak", "Peak", kind="date", tooltip="the close the fall started from (above every earlier close)"),
    Column("trough", "Trough", kind="date", tooltip="the lowest close before the recovery"),
    Column("recovery", "Recovered", kind="date", tooltip="the first close back at the peak (— not yet)"),
    Column("depth", "Depth", kind="percent", colour="sign", tooltip="trough / peak − 1"),
    Column("days_to_trough", "Days to trough", kind="integer", tooltip="calendar days from the peak to the trough"),
    Column(
        "days_to_recover", "Days to recover", kind="integer", tooltip="calendar days from the trough to the recovery"
    ),
    Column(
        "days_underwater",
        "Days under water",
        kind="integer",
        tooltip="calendar days from the peak to the recovery (or to the last close)",
    ),
]


class DrawdownsPage(QWidget):
    def __init__(self, theme: Theme, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.theme = theme
        self.settings = settings
        self.view: analysis.DrawdownView | None = None
        self._regions: list = []
        self.fund_box = FundBox(settings.compare.drawdown_fund, "The fund whose drawdowns are listed")
        self.fund_box.chosen.connect(self._fund_chosen)
        self.table = DataTable("compare.worst_drawdowns", theme)
        top, self.caption = fund_header(self.fund_box, self.table)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.set_frame(pd.DataFrame(columns=[c.key for c in DRAWDOWN_COLUMNS]), DRAWDOWN_COLUMNS)
        self._fit_table()
        self.chart = ChartPanel("compare.worst_drawdowns", percent_style(0.0), theme=theme, settings=settings)
        self.chart.setMinimumHeight(250)
        column(self, [top, self.table, (self.chart, 1)], (0, 6, 0, 0), 4)
        self.apply_theme(theme)

    def _fit_table(self) -> None:
        """Tall enough for the five rows and the header (the chart takes the rest)."""
        t = self.table
        header = t.horizontalHeader().sizeHint().height() + 2 * t.frameWidth()
        t.setFixedHeight(header + analysis.WORST * t.verticalHeader().defaultSectionSize() + 2)

    def show_view(self, view: analysis.DrawdownView, source: str) -> None:
        self.view = view
        self.chart.set_source(source)
        self._show(self.fund_box.set_names(view.names))

    def _fund_chosen(self, name: str) -> None:
        self.settings.compare.drawdown_fund = name
        if self.view is not None:
            self._show(name)

    def _show(self, name: str | None) -> None:
        view = self.view
        if name not in view.worst:
            self.show_problem(view.problems.get(name, "No fund chosen."), keep=True)
            return
        frame, tips = analysis.drawdown_rows(view.worst[name])
        self.table.set_frame(frame, DRAWDOWN_COLUMNS, tooltips=tips)
        self._fit_table()
        self.caption.setText(analysis.drawdown_caption(name, view))
        self.chart.set_series({name: view.series[name]})
        self.chart.set_title(f"{name}: drawdown from the running peak", "shaded: the five deepest, numbered by depth")
        self._shade(frame, view.series[name])

    def _shade(self, frame: pd.DataFrame, series: pd.Series) -> None:
        for item in self._regions:
            self.chart.remove_item(item)
        self._regions = []
        fill = QColor(self.theme.loss)
        fill.setAlphaF(0.14 if not self.theme.dark else 0.16)
        last = series.index[-1]
        for _, row in frame.iterrows():
            end = row["recovery"] if row["recovery"] is not None else last
            x0, x1 = unix_seconds(pd.DatetimeIndex([row["peak"], end]))
            region = pg.LinearRegionItem((x0, x1), movable=False, brush=fill, pen=pg.mkPen(None))
            region.setZValue(-10)
            label = pg.TextItem(str(int(row["rank"])), color=self.theme.muted, anchor=(0.5, 0.0))
            label.setPos((x0 + x1) / 2, 0.0)
            for item in (region, label):
                self.chart.add_item(item, ignore_bounds=True)
                self._regions.append(item)

    def show_problem(self, text: str, keep: bool = False) -> None:
        if not keep:
            self.view = None
        self.table.set_frame(pd.DataFrame(columns=[c.key for c in DRAWDOWN_COLUMNS]), DRAWDOWN_COLUMNS)
        self.caption.setText(text)
        self.chart.show_message(text)

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.caption.setStyleSheet(f"color: {theme.muted};")
        name = self.fund_box.current()
        if self.view is not None and name in self.view.worst:
            self._shade(analysis.drawdown_rows(self.view.worst[name])[0], self.view.series[name])
