"""The Qt model behind every table: a read-only DataFrame model and the sort proxy over it.

- Texts and sort keys are computed per row when a row is first needed, so a
  table of thousands of rows pays only for the rows that are shown (or sorted).
- ``colour="sign"`` colours gains and losses (blue / vermillion, readable with
  colour blindness); ``colour="heat"`` tints the cell background by size, per
  column (``heat_scale``).
- Currencies: a frame with a ``currency`` column (not itself shown) marks the ticker cells of rows not in
  dollars, "VWRL.L · GBp" (``currency_tag``); the raw value and the sort key stay the ticker.
- ``SortProxy`` sorts by the raw value (``SORT_ROLE``); missing values stay at
  the bottom in both directions. ``RAW_ROLE`` gives a cell's raw value.

Needs no window: tests build a ``DataFrameModel`` and read its ``data()``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication

from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.tables.columns import Column, heat_scale

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RAW_ROLE = Qt.ItemDataRole.UserRole + 2


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    return value


def currency_tag(value) -> str:
    """ " · GBp" for a currency that is not the dollar; "" for USD or none."""
    if not isinstance(value, str) or not value.strip() or value.strip().upper() == "USD":
        return ""
    return f" · {value.strip()}"


def _with_currency(frame: pd.DataFrame, columns: list[Column], text):
    """The display rows with each ticker cell tagged by its row's currency (see the module doc)."""
    keys = [c.key for c in columns]
    if "currency" not in frame.columns or "currency" in keys or "ticker" not in keys:
        return text
    j = keys.index("ticker")
    tags = [currency_tag(v) for v in frame["currency"].tolist()]
    if not any(tags):
        return text

    def tagged(r: int) -> list[str]:
        row = list(text[r])
        row[j] += tags[r]
        return row

    return _Rows(list(range(len(tags))), tagged)


def _alignment(col: Column) -> int:
    horizontal = Qt.AlignmentFlag.AlignRight if col.right_aligned else Qt.AlignmentFlag.AlignLeft
    return int(horizontal | Qt.AlignmentFlag.AlignVCenter)


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
        self._text = _with_currency(self._frame, cols, self._text)
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
            return _alignment(col)
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
            return _alignment(col)
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
