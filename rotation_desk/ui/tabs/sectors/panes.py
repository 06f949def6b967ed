"""A layout piece both Sector Tilts pages use: a caption over a table."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from rotation_desk.ui.tables.table import DataTable


def captioned(caption: QLabel, table: DataTable) -> QWidget:
    """The caption above the table, the table taking the height."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 0, 0, 0)
    layout.setSpacing(4)
    layout.addWidget(caption)
    layout.addWidget(table, 1)
    return box
