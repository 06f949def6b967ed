"""The ETF Comparison's Monthly returns page: one fund's year × month grid of month-end returns, each
cell tinted by its size (gains blue, losses orange), with each year's total (``analysis.grid_job``,
``core.comparison_tables.monthly_grid`` over the comparison's window). Sortable, copyable, CSV."""

from __future__ import annotations

import pandas as pd
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from rotation_desk.core.comparison_tables import MONTH_LABELS
from rotation_desk.ui.kit.theme import Theme
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.tables.table import Column, DataTable
from rotation_desk.ui.tabs.compare import analysis
from rotation_desk.ui.tabs.compare.fund_box import FundBox, fund_header

TOTAL_TIP = "the year's months compounded (a full year: December close / previous December − 1)"
GRID_COLUMNS = [
    Column("year_label", "Year", tooltip="* the window covers the year only in part"),
    *(Column(m, m, kind="percent", signed=True, colour="heat", stretch=True) for m in MONTH_LABELS),
    Column("Year", "Total", kind="percent", signed=True, colour="heat", stretch=True, tooltip=TOTAL_TIP),
]


class MonthlyPage(QWidget):
    def __init__(self, theme: Theme, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.view: analysis.GridView | None = None
        self.fund_box = FundBox(settings.compare.grid_fund, "The fund whose monthly returns are shown")
        self.fund_box.chosen.connect(self._fund_chosen)
        self.table = DataTable("compare.monthly", theme)
        top, self.caption = fund_header(self.fund_box, self.table)
        self.note = QLabel(wordWrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        for w, grow in ((top, 0), (self.table, 1), (self.note, 0)):
            layout.addWidget(w, grow)
        self.apply_theme(theme)

    def show_view(self, view: analysis.GridView) -> None:
        self.view = view
        self._show(self.fund_box.set_names(view.names))

    def _fund_chosen(self, name: str) -> None:
        self.settings.compare.grid_fund = name
        if self.view is not None:
            self._show(name)

    def _show(self, name: str | None) -> None:
        view = self.view
        grid = view.grids.get(name) if name else None
        if grid is None:
            self.show_problem(view.problems.get(name, "No fund chosen."), keep=True)
            return
        self.table.set_frame(analysis.grid_rows(grid), GRID_COLUMNS, bold_rows=[])
        self.caption.setText(analysis.grid_caption(grid, view))
        self.note.setText(grid.note())
        self.note.setVisible(bool(grid.note()))

    def show_problem(self, text: str, keep: bool = False) -> None:
        if not keep:
            self.view = None
        self.table.set_frame(pd.DataFrame(columns=[c.key for c in GRID_COLUMNS]), GRID_COLUMNS)
        self.caption.setText(text)
        self.note.hide()

    def apply_theme(self, theme: Theme) -> None:
        for label in (self.caption, self.note):
            label.setStyleSheet(f"color: {theme.muted};")
