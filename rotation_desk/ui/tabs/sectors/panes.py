"""Layout pieces of the Sector Tilts pages: widgets stacked in a column, a caption over a table."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QWidget

from rotation_desk.ui.kit.boxes import column
from rotation_desk.ui.tables.table import DataTable


def stacked(
    widgets: Sequence[QWidget], stretch: Sequence[int], spacing: int, margins: tuple[int, int, int, int] = (0, 0, 0, 0)
) -> QWidget:
    """The widgets top to bottom in a new widget, each with its stretch factor (0: its own height)."""
    box = QWidget()
    column(box, list(zip(widgets, stretch)), margins, spacing)
    return box


def captioned(caption: QLabel, table: DataTable) -> QWidget:
    """The caption above the table, the table taking the height."""
    return stacked([caption, table], [0, 1], spacing=4, margins=(4, 0, 0, 0))
