"""Layout pieces of the Sector Tilts pages: widgets stacked in a column, a caption over a table."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from rotation_desk.ui.tables.table import DataTable


def column(
    widgets: Sequence[QWidget], stretch: Sequence[int], spacing: int, margins: tuple[int, int, int, int] = (0, 0, 0, 0)
) -> QWidget:
    """The widgets top to bottom, each with its stretch factor (0: its own height)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(*margins)
    layout.setSpacing(spacing)
    for widget, factor in zip(widgets, stretch):
        layout.addWidget(widget, factor)
    return box


def captioned(caption: QLabel, table: DataTable) -> QWidget:
    """The caption above the table, the table taking the height."""
    return column([caption, table], [0, 1], spacing=4, margins=(4, 0, 0, 0))
