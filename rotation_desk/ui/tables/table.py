"""The shared table: a sortable, copyable, CSV-exportable view of a DataFrame.

    table = DataTable("overview.performance", theme=theme)
    table.set_frame(frame, [
        Column("ticker", "Ticker"),
        Column("name", "Name", stretch=True),
        Column("r_1y", "1Y", kind="percent", signed=True, colour="heat"),
        Column("fee", "Yearly fee", kind="money"),
    ])

- Columns (columns.py) say how each cell reads; the model and the sort proxy
  (model.py) hold the rows: sorting uses the raw values (numbers as numbers,
  dates as dates) and missing values stay at the bottom in both directions.
- Ctrl+C copies the selected cells as tab-separated text, as displayed (with
  the header row when more than one row is selected); the context menu also
  copies the whole table and exports CSV (see csv_export.py for the units
  and the formula escaping).
- ``put_frame`` fills a hidden table when it is next shown (``WhenShown``).
- The first column stays on screen when the table scrolls sideways (``frozen.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QHeaderView, QMenu, QMessageBox, QTableView, QWidget

from rotation_desk.data import atomic
from rotation_desk.errors import RotationDeskError, environment_problem
from rotation_desk.ui.kit.jobs import WhenShown
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.tables.columns import COLOURS, KINDS, Column, heat_scale
from rotation_desk.ui.tables.csv_export import csv_text, tsv_text
from rotation_desk.ui.tables.frozen import FrozenColumn, keep_clear
from rotation_desk.ui.tables.model import RAW_ROLE, SORT_ROLE, DataFrameModel, SortProxy, currency_tag

__all__ = [
    "COLOURS",
    "KINDS",
    "RAW_ROLE",
    "SORT_ROLE",
    "Column",
    "DataFrameModel",
    "DataTable",
    "SortProxy",
    "heat_scale",
]


class DataTable(QTableView):
    """A sortable, copyable, exportable view of a ``DataFrameModel``."""

    exported = Signal(str)  # the CSV path

    def __init__(
        self, table_id: str = "table", theme: Theme = LIGHT, parent: QWidget | None = None, resize_rows: int = 200
    ):
        super().__init__(parent)
        self.table_id = table_id
        self.source_model = DataFrameModel(theme, self)
        self.proxy = SortProxy(self)
        self.proxy.setSourceModel(self.source_model)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(False)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header.setResizeContentsPrecision(resize_rows)  # column widths measured on this many rows
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._sorted_once = False
        self._when_shown = WhenShown(self)
        self.frozen = FrozenColumn(self)  # the first column stays on screen when scrolled sideways

    def put_frame(self, frame: pd.DataFrame, columns: Sequence[Column] | None = None, **kwargs) -> None:
        """``set_frame`` now if the table is on screen, else when it is next shown (a hidden page of
        thousands of rows costs nothing until it is looked at; the newest rows win)."""
        self._when_shown.put(self, lambda: self.set_frame(frame, columns, **kwargs))

    def frame_pending(self) -> bool:
        """Rows were put while hidden and are not shown yet."""
        return self._when_shown.pending(self)

    def clear_frame(self) -> None:
        """No rows (and no pending ones)."""
        self._when_shown.discard(self)
        self.set_frame(pd.DataFrame(), [])

    # ------------------------------------------------------------------ content
    def set_frame(self, frame: pd.DataFrame, columns: Sequence[Column] | None = None, **kwargs) -> None:
        """Replace the rows (keeps the user's sort column and order)."""
        self.source_model.set_frame(frame, columns, **kwargs)
        header = self.horizontalHeader()
        self.resizeColumnsToContents()
        for j, col in enumerate(self.source_model.columns()):
            header.setSectionResizeMode(
                j, QHeaderView.ResizeMode.Stretch if col.stretch else QHeaderView.ResizeMode.Interactive
            )
            if not col.stretch:
                self.setColumnWidth(j, self.columnWidth(j) + 14)
        if not self._sorted_once:
            self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # model order until the user sorts
        self.frozen.refresh()

    # ------------------------------------------------------------------ the frozen first column
    def setToolTip(self, text: str) -> None:
        super().setToolTip(text)
        self.frozen.setToolTip(text)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.frozen.place()

    def updateGeometries(self):
        super().updateGeometries()
        if hasattr(self, "frozen"):
            self.frozen.place()

    def scrollTo(self, index, hint=QAbstractItemView.ScrollHint.EnsureVisible):
        super().scrollTo(index, hint)
        if hasattr(self, "frozen"):
            keep_clear(self, self.frozen, index, hint)

    def sortByColumn(self, column, order):
        if column >= 0:
            self._sorted_once = True
        super().sortByColumn(column, order)

    def apply_theme(self, theme: Theme) -> None:
        self.source_model.apply_theme(theme)

    def frame(self) -> pd.DataFrame:
        return self.source_model.frame()

    def column_index(self, key: str) -> int:
        for j, col in enumerate(self.source_model.columns()):
            if col.key == key:
                return j
        raise KeyError(key)

    def displayed_rows(self) -> list[list[str]]:
        """All rows as shown, in the current sort order."""
        m = self.proxy
        return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]

    def raw_column(self, key: str) -> list:
        """One column's raw values in the current sort order."""
        j = self.column_index(key)
        return [self.proxy.index(r, j).data(RAW_ROLE) for r in range(self.proxy.rowCount())]

    # ------------------------------------------------------------------ copy
    def keyPressEvent(self, event):
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            event.accept()
            return
        super().keyPressEvent(event)

    def selection_text(self) -> str:
        indexes = self.selectionModel().selectedIndexes()
        if not indexes:
            return ""
        rows = sorted({i.row() for i in indexes})
        cols = sorted({i.column() for i in indexes})
        chosen = {(i.row(), i.column()) for i in indexes}
        out = []
        if len(rows) > 1:
            out.append([self.proxy.headerData(c, Qt.Orientation.Horizontal) for c in cols])
        for r in rows:
            out.append([self.proxy.index(r, c).data() if (r, c) in chosen else "" for c in cols])
        return tsv_text(out)

    def copy_selection(self) -> str:
        text = self.selection_text()
        if text:
            QGuiApplication.clipboard().setText(text)
        return text

    def copy_all(self) -> str:
        header = [self.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(self.proxy.columnCount())]
        text = tsv_text([header] + self.displayed_rows())
        QGuiApplication.clipboard().setText(text)
        return text

    # ------------------------------------------------------------------ CSV
    def csv(self) -> str:
        """The table in its current order as CSV (units in the header, text cells escaped); the rows'
        currency as a last column when the ticker cells are tagged with it ("VWRL.L · GBP")."""
        cols = self.source_model.columns()
        frame = self.source_model.frame()
        tagged = any(currency_tag(v) for v in frame["currency"]) if "currency" in frame.columns else False
        tagged = tagged and "ticker" in [c.key for c in cols] and "currency" not in [c.key for c in cols]
        rows = []
        for r in range(self.proxy.rowCount()):
            row = [c.csv_value(self.proxy.index(r, j).data(RAW_ROLE)) for j, c in enumerate(cols)]
            if tagged:
                value = frame["currency"].iloc[self.proxy.mapToSource(self.proxy.index(r, 0)).row()]
                row.append(value if isinstance(value, str) else "")
            rows.append(row)
        return csv_text([c.csv_header() for c in cols] + (["Currency"] if tagged else []), rows)

    def export_csv(self, path) -> Path:
        """The table as CSV at ``path``, whole or not at all (``data.atomic``); a full disk or a folder
        that cannot be written is one EnvironmentProblem sentence naming the file."""
        path = Path(path)
        text = self.csv()
        try:
            with atomic.parent_folders(path):
                atomic.write_text(path, text, newline="")
        except OSError as exc:
            raise environment_problem(exc, path, "export the table") from None
        self.exported.emit(str(path))
        return path

    def export_csv_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export table", f"{self.table_id.replace('.', '-')}.csv", "CSV (*.csv)"
        )
        if not name:
            return
        if not name.lower().endswith(".csv"):
            name += ".csv"
        try:
            self.export_csv(name)
        except RotationDeskError as exc:
            QMessageBox.warning(self, "Export table", str(exc))

    def _context_menu(self, pos) -> None:
        menu = QMenu(self)
        menu.addAction("Copy", self.copy_selection).setEnabled(self.selectionModel().hasSelection())
        menu.addAction("Copy table", self.copy_all)
        menu.addSeparator()
        menu.addAction("Export CSV…", self.export_csv_dialog)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.viewport().mapToGlobal(pos))
