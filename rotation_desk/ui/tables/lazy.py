"""Tables filled when visible: the DCA pages hold up to four tables (a 30-year weekly plan's
schedule has thousands of rows); ``LazyTables`` keeps the newest rows of a hidden table and
hands them over when the table is shown, so a run only pays for what is on screen. (The shared
table model itself formats rows only when they are first shown.)
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QTimer

from rotation_desk.ui.tables.table import DataTable


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
