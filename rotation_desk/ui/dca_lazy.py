"""Long tables without a long wait: rows formatted when first shown, tables filled when visible.

The DCA pages hold up to four tables, and a 30-year weekly plan's schedule
has thousands of rows. The shared table model formats every cell up front;
``LazyFrameModel`` (the same model, same ``Column`` rules, so the same
text, sort order and CSV) formats a row only when the view first asks for it.
``LazyTables`` keeps the newest rows of a hidden table and hands them over
when the table is shown, so a run only pays for what is on screen.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QTimer

from rotation_desk.ui.table import DataFrameModel, DataTable, _plain, heat_scale


class _Rows:
    """Row ``r`` of a derived table, computed from the raw row on first access."""

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


class LazyFrameModel(DataFrameModel):
    """``DataFrameModel`` whose display texts and sort keys are computed per row on demand."""

    def set_frame(self, frame: pd.DataFrame, columns=None, tooltips=None, bold_rows=()) -> None:
        self.beginResetModel()
        self._frame = frame.reset_index(drop=True)
        from rotation_desk.ui.table import Column

        self._columns = list(columns) if columns is not None else [Column(str(c)) for c in frame.columns]
        missing = [c.key for c in self._columns if c.key not in self._frame.columns]
        if missing:
            self.endResetModel()
            raise KeyError(f"columns not in the frame: {', '.join(missing)}")
        values = [[_plain(v) for v in self._frame[c.key].tolist()] for c in self._columns]
        self._raw = [list(row) for row in zip(*values)] if values else []
        cols = self._columns
        self._text = _Rows(self._raw, lambda row: [c.display(v) for c, v in zip(cols, row)])
        self._keys = _Rows(self._raw, lambda row: [c.sort_key(v) for c, v in zip(cols, row)])
        keys = {c.key: j for j, c in enumerate(cols)}
        self._tips = {(r, keys[k]): t for (r, k), t in (tooltips or {}).items() if k in keys}
        self._bold_rows = set(bold_rows)
        self._scales = [
            heat_scale([row[j] for row in self._keys]) if c.colour == "heat" else 0.0 for j, c in enumerate(cols)
        ]
        self.endResetModel()


def use_lazy_model(table: DataTable, resize_rows: int = 200) -> DataTable:
    """Give ``table`` the lazy model; column widths are measured on ``resize_rows`` rows (Qt's default 1000)."""
    model = LazyFrameModel(table.source_model.theme, table)
    table.source_model = model
    table.proxy.setSourceModel(model)
    table.horizontalHeader().setResizeContentsPrecision(resize_rows)
    return table


class LazyTables:
    def __init__(self):
        self._pending: dict[DataTable, tuple[pd.DataFrame, list, dict]] = {}

    def put(self, table: DataTable, frame: pd.DataFrame, columns, **kwargs) -> None:
        """Show these rows now if the table is visible, else when it next is."""
        self._pending[table] = (frame, list(columns), kwargs)
        self.flush()

    def clear(self, table: DataTable) -> None:
        self._pending.pop(table, None)
        table.set_frame(pd.DataFrame(), [])

    def flush(self) -> None:
        for table in [t for t in self._pending if t.isVisible()]:
            frame, columns, kwargs = self._pending.pop(table)
            table.set_frame(frame, columns, **kwargs)

    def flush_soon(self) -> None:
        """Now, and once more after the current event (a page switch shows its widgets first)."""
        self.flush()
        if self._pending:
            QTimer.singleShot(0, self.flush)

    def pending(self, table: DataTable) -> bool:
        return table in self._pending
