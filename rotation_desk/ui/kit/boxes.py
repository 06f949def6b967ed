"""The one way the tabs lay a run of parts out in a line or a column: widgets, layouts, words (a label
each), ``(widget, stretch)`` and stretch (an int) between them, with the margins and spacing given."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QLayout, QVBoxLayout, QWidget

Part = QWidget | QLayout | str | int | tuple[QWidget, int]
Margins = tuple[int, int, int, int]


def fill(layout: QBoxLayout, parts: Sequence[Part], margins: Margins, spacing: int) -> QBoxLayout:
    layout.setContentsMargins(*margins)
    layout.setSpacing(spacing)
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        elif isinstance(part, str):
            layout.addWidget(QLabel(part))
        elif isinstance(part, int):
            layout.addStretch(part)
        elif isinstance(part, tuple):
            layout.addWidget(*part)
        else:
            layout.addWidget(part)
    return layout


def column(
    parent: QWidget | None, parts: Sequence[Part], margins: Margins = (0, 0, 0, 0), spacing: int = 6
) -> QVBoxLayout:
    """``parts`` top to bottom in ``parent`` (or in a layout to nest, when ``parent`` is None)."""
    return fill(QVBoxLayout(parent), parts, margins, spacing)


def line(
    parent: QWidget | None, parts: Sequence[Part], margins: Margins = (0, 0, 0, 0), spacing: int = 6
) -> QHBoxLayout:
    """``parts`` left to right in ``parent`` (or in a layout to nest, when ``parent`` is None)."""
    return fill(QHBoxLayout(parent), parts, margins, spacing)
