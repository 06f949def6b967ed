"""The shared table: a DataFrame model with formatted columns, numeric sorting, copy and CSV export.

    table = DataTable("overview.performance", theme=theme)
    table.set_frame(frame, [
        Column("ticker", "Ticker"),
        Column("name", "Name", stretch=True),
        Column("r_1y", "1Y", kind="percent", signed=True, colour="heat"),
        Column("fee", "Yearly fee", kind="money"),
    ])

- Sorting uses the raw values (numbers as numbers, dates as dates); missing
  values stay at the bottom in both directions.
- ``colour="sign"`` colours gains and losses (blue / vermillion, readable
  with colour blindness); ``colour="heat"`` tints the cell background by
  size, per column.
- Ctrl+C copies the selected cells as tab-separated text, as displayed (with
  the header row when more than one row is selected); the context menu also
  copies the whole table and exports CSV (see ``table_csv`` for the units
  and the formula escaping).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QHeaderView, QMenu, QTableView, QWidget

from rotation_desk.errors import BadInput
from rotation_desk.ui.kit import formats
from rotation_desk.ui.kit.jobs import WhenShown
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.tables.csv_export import csv_text, tsv_text

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RAW_ROLE = Qt.ItemDataRole.UserRole + 2
KINDS = ("text", "percent", "money", "number", "integer", "date")
COLOURS = ("none", "sign", "heat")


@dataclass(frozen=True)
class Column:
    key: str  # the DataFrame column
    title: str | None = None  # header text (default: the key)
    kind: str = "text"  # text | percent (fractions) | money | number | integer | date
    digits: int | None = None
    signed: bool = False  # "+" in front of positive numbers
    colour: str = "none"  # none | sign (gain/loss text colour) | heat (cell background)
    tooltip: str | None = None  # header tooltip: what the column means
    stretch: bool = False  # take the spare width

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"column {self.key}: kind must be one of {KINDS}")
        if self.colour not in COLOURS:
            raise ValueError(f"column {self.key}: colour must be one of {COLOURS}")

    @classmethod
    def change(cls, key: str, title: str | None = None, tooltip: str | None = None) -> Column:
        """A period's return or change: signed percent on a heat-coloured cell."""
        return cls(key, title, kind="percent", signed=True, colour="heat", tooltip=tooltip)

    @property
    def header(self) -> str:
        return self.title if self.title is not None else self.key

    @property
    def numeric(self) -> bool:
        return self.kind in ("percent", "money", "number", "integer")

    def display(self, value) -> str:
        if formats.is_missing(value):
            return formats.MISSING
        if self.kind == "percent":
            return formats.pct(value, 1 if self.digits is None else self.digits, self.signed)
        if self.kind == "money":
            return formats.money(value, 2 if self.digits is None else self.digits, self.signed)
        if self.kind == "number":
            return formats.number(value, 2 if self.digits is None else self.digits, self.signed)
        if self.kind == "integer":
            return f"{int(value):,}"
        if self.kind == "date":
            return formats.day(value)
        return str(value)

    def sort_key(self, value):
        if formats.is_missing(value):
            return None
        if self.numeric:
            return float(value)
        if self.kind == "date":
            return formats.day(value)
        return str(value).lower()

    def csv_header(self) -> str:
        return {"percent": f"{self.header} (%)", "money": f"{self.header} ($)"}.get(self.kind, self.header)

    def csv_value(self, value):
        if formats.is_missing(value):
            return None
        if self.kind == "percent":
            return round(float(value) * 100.0, 4)
        if self.kind == "money":
            return round(float(value), 2)
        if self.kind == "number":
            return round(float(value), 6)
        if self.kind == "integer":
            return int(value)
        if self.kind == "date":
            return formats.day(value)
        return str(value)


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    return value


class _Rows:
    """Row ``r`` of a derived table (display texts, sort keys), computed from the raw row on first
    access: a table of thousands of rows pays only for the rows that are shown (or sorted)."""

    def __init__(self, raw: list, make):
        self._raw = raw
        self._make = make
        self._cache: list = [None] * len(raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __getitem__(self, r: int):
        row = self._cache[r]
        if row is None:
            row = self._cache[r] = self._make(self._raw[r])
        return row

    def __iter__(self):
        return (self[r] for r in range(len(self._raw)))


class DataFrameModel(QAbstractTableModel):
    """Read-only model over a DataFrame; texts and sort keys are computed per row when first needed."""

    def __init__(self, theme: Theme = LIGHT, parent=None):
        super().__init__(parent)
        self.theme = theme
        self._frame = pd.DataFrame()
        self._columns: list[Column] = []
        self._raw: list[list] = []
        self._text: list[list[str]] = []
        self._keys: list[list] = []
        self._tips: dict[tuple[int, int], str] = {}
        self._bold_rows: set[int] = set()
        self._scales: list[float] = []

    # ------------------------------------------------------------------ content
    def set_frame(
        self,
        frame: pd.DataFrame,
        columns: Sequence[Column] | None = None,
        tooltips: dict[tuple[int, str], str] | None = None,
        bold_rows: Sequence[int] = (),
    ) -> None:
        """Show ``frame``'s rows; ``columns`` picks and formats columns (default: all, as text).

        ``tooltips`` maps (row position, column key) to a cell tooltip;
        ``bold_rows`` are row positions shown in bold (e.g. the benchmark).
        """
        self.beginResetModel()
        self._frame = frame.reset_index(drop=True)
        self._columns = list(columns) if columns is not None else [Column(str(c)) for c in frame.columns]
        missing = [c.key for c in self._columns if c.key not in self._frame.columns]
        if missing:
            self.endResetModel()
            raise KeyError(f"columns not in the frame: {', '.join(missing)}")
        values = [[_plain(v) for v in self._frame[c.key].tolist()] for c in self._columns]
        self._raw = [list(row) for row in zip(*values)] if values else []
        cols = list(self._columns)
        self._text = _Rows(self._raw, lambda row: [c.display(v) for c, v in zip(cols, row)])
        self._keys = _Rows(self._raw, lambda row: [c.sort_key(v) for c, v in zip(cols, row)])
        keys = {c.key: j for j, c in enumerate(self._columns)}
        self._tips = {(r, keys[k]): t for (r, k), t in (tooltips or {}).items() if k in keys}
        self._bold_rows = set(bold_rows)
        self._scales = [
            heat_scale([row[j] for row in self._keys]) if c.colour == "heat" else 0.0
            for j, c in enumerate(self._columns)
        ]
        self.endResetModel()

    def frame(self) -> pd.DataFrame:
        return self._frame

    def columns(self) -> list[Column]:
        return list(self._columns)

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        if self._raw:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._raw) - 1, len(self._columns) - 1))

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._raw)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        col = self._columns[c]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text[r][c]
        if role == SORT_ROLE:
            return self._keys[r][c]
        if role == RAW_ROLE:
            return self._raw[r][c]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if col.numeric or col.kind == "date" else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col.colour == "sign":
            key = self._keys[r][c]
            colour = self.theme.sign_colour(key) if key is not None else None
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.BackgroundRole and col.colour == "heat":
            colour = self.theme.heat_colour(self._keys[r][c], self._scales[c])
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tips.get((r, c))
        if role == Qt.ItemDataRole.FontRole and r in self._bold_rows:
            font = QFont(QGuiApplication.font())
            font.setBold(True)
            return font
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        col = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return col.tooltip
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if col.numeric or col.kind == "date" else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None


class SortProxy(QSortFilterProxyModel):
    """Sorts by the raw value (``SORT_ROLE``); missing values last whichever the direction."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)

    def lessThan(self, left, right):
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a is None or b is None:
            if a is None and b is None:
                return False
            ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
            return (b is None) if ascending else (a is None)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)


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
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
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
        """The table in its current order as CSV (units in the header, text cells escaped)."""
        cols = self.source_model.columns()
        rows = []
        for r in range(self.proxy.rowCount()):
            rows.append([c.csv_value(self.proxy.index(r, j).data(RAW_ROLE)) for j, c in enumerate(cols)])
        return csv_text([c.csv_header() for c in cols], rows)

    def export_csv(self, path) -> Path:
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(self.csv(), encoding="utf-8", newline="")
        except OSError as exc:
            raise BadInput(f"{path}: cannot write ({exc.strerror})") from None
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
        except BadInput as exc:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "Export table", str(exc))

    def _context_menu(self, pos) -> None:
        menu = QMenu(self)
        menu.addAction("Copy", self.copy_selection).setEnabled(self.selectionModel().hasSelection())
        menu.addAction("Copy table", self.copy_all)
        menu.addSeparator()
        menu.addAction("Export CSV…", self.export_csv_dialog)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.viewport().mapToGlobal(pos))


def heat_scale(values: Sequence[float]) -> float:
    """The magnitude that gets full heat colour (90th percentile of |values|)."""
    finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
    return float(np.percentile(finite, 90)) if finite else 0.0
