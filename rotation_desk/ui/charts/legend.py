"""The chart legend: one row per series with its swatch, name and value under the crosshair.

It sits beside the plot (never over the data) and is part of the scene, so it
appears in exported images. When the plot is too short for one row per series
the rows go into side-by-side columns, so no series is ever left out. Clicking a row toggles the series; hovering a row
highlights it. Painted directly for speed: the values change on every mouse move.

``PanelLegend`` is the part of ``ChartPanel`` that feeds it: the rows from the
panel's series, a click toggling a series, a hovered row pinning its highlight.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPen
from PySide6.QtWidgets import QApplication, QGraphicsSceneHoverEvent, QGraphicsSceneMouseEvent

from rotation_desk.ui.charts.series import FADED

PAD = 8.0
SWATCH = 18.0
GAP = 6.0
COLUMN_GAP = 14.0


@dataclass
class LegendEntry:
    name: str
    colour: str
    dashed: bool = False
    bar: bool = False  # swatch is a filled box instead of a line
    visible: bool = True
    value: str = ""


class SeriesLegend(pg.GraphicsWidget):
    toggled = Signal(str)  # series name
    hovered = Signal(object)  # series name, or None when the pointer leaves

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[LegendEntry] = []
        self.header = ""
        self.text_colour = QColor("#000000")
        self.muted_colour = QColor("#777777")
        self.font = QFont(QApplication.font())
        self.header_font = QFont(self.font)
        self.header_font.setBold(True)
        self._value_width = 0.0
        self._hover_row: int | None = None
        self._size = QSizeF(0, 0)
        self._min_height = 0.0
        self._columns = 1
        self._measured = None  # (fonts and names, their sizes): _metrics
        self.setAcceptHoverEvents(True)
        self.setFlag(self.GraphicsItemFlag.ItemClipsToShape, False)
        self._relayout()

    # -- content ------------------------------------------------------------------
    def set_entries(self, entries: list[LegendEntry], value_samples: list[str]) -> None:
        """Rows to show; ``value_samples`` fixes the value column width so it does not jitter."""
        self.entries = entries
        fm = QFontMetricsF(self.font)
        samples = [e.value for e in entries] + list(value_samples)
        self._value_width = max((fm.horizontalAdvance(s) for s in samples if s), default=0.0)
        self._columns = self._fit_columns(self.geometry().height()) if self.geometry().height() > 0 else 1
        self._relayout()

    def set_values(self, header: str, values: dict[str, str]) -> None:
        self.header = header
        for e in self.entries:
            e.value = values.get(e.name, "")
        self.update()

    def set_colours(self, text: str, muted: str) -> None:
        self.text_colour, self.muted_colour = QColor(text), QColor(muted)
        self.update()

    def set_visible(self, name: str, visible: bool) -> None:
        for e in self.entries:
            if e.name == name:
                e.visible = visible
        self.update()

    # -- geometry -----------------------------------------------------------------
    def _metrics(self) -> tuple[float, float, float]:
        """Row height, header height and widest name, measured once per fonts and names (a paint
        places every row with them: measuring each time cost ~n² text measurements per paint)."""
        key = (self.font.key(), self.header_font.key(), tuple(e.name for e in self.entries))
        if self._measured is None or self._measured[0] != key:
            fm = QFontMetricsF(self.font)
            names = max((fm.horizontalAdvance(e.name) for e in self.entries), default=0.0)
            sizes = (fm.height() + 4.0, QFontMetricsF(self.header_font).height() + 4, names)
            self._measured = (key, sizes)
        return self._measured[1]

    def _line_height(self) -> float:
        return self._metrics()[0]

    def _header_height(self) -> float:
        return self._metrics()[1]

    def _name_width(self) -> float:
        return self._metrics()[2]

    def _column_width(self) -> float:
        return SWATCH + GAP + self._name_width() + (GAP * 2 + self._value_width if self._value_width else 0)

    def rows_per_column(self) -> int:
        return max(1, math.ceil(len(self.entries) / self._columns))

    def columns(self) -> int:
        """Side-by-side columns of rows: as many as the height given needs to show every row."""
        return self._columns

    def needed_height(self) -> float:
        """The height every row needs in the columns laid out now (the header, then the rows)."""
        if not self.entries:
            return 0.0
        return PAD * 2 + self._header_height() + self._line_height() * self.rows_per_column()

    def _fit_columns(self, height: float) -> int:
        room = max(1, int((height - PAD * 2 - self._header_height() + 0.5) // self._line_height()))
        return max(1, math.ceil(len(self.entries) / room)) if self.entries else 1

    def _relayout(self) -> None:
        hfm = QFontMetricsF(self.header_font)
        if self.entries:
            cols = self._columns
            width = PAD * 2 + cols * self._column_width() + (cols - 1) * COLUMN_GAP
            width = max(width, PAD * 2 + hfm.horizontalAdvance("2026-08-03 (end)"))
            height = self.needed_height()
        else:
            width = height = 0.0
        self._size = QSizeF(width, height)
        self._min_height = PAD * 2 + self._header_height() + self._line_height() if self.entries else 0.0
        self.setMinimumWidth(width)
        self.setMaximumWidth(width)
        self.setMinimumHeight(self._min_height)
        self.updateGeometry()
        self.update()

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        cols = self._fit_columns(ev.newSize().height())
        if cols != self._columns:
            self._columns = cols
            self._relayout()

    def sizeHint(self, which, constraint=QSizeF()):
        if which == Qt.SizeHint.MinimumSize:
            return QSizeF(self._size.width(), self._min_height)
        if which == Qt.SizeHint.MaximumSize:
            return QSizeF(self._size.width(), 1e6)
        return QSizeF(self._size)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.geometry().width(), self.geometry().height())

    def _cell(self, i: int) -> QRectF:
        """Where row ``i`` is drawn (its column, then its place in the column)."""
        return self._cells()[i]

    def _cells(self) -> list[QRectF]:
        """Every row's cell (``_cell``), measured once."""
        line, head, _ = self._metrics()
        per, width = self.rows_per_column(), self._column_width()
        cells = []
        for i in range(len(self.entries)):
            col, row = divmod(i, per)
            cells.append(QRectF(PAD + col * (width + COLUMN_GAP), PAD + head + row * line, width, line))
        return cells

    def _row_at(self, pos: QPointF) -> int | None:
        for i, cell in enumerate(self._cells()):
            if cell.adjusted(0, 0, COLUMN_GAP / 2, 0).contains(pos):
                return i
        return None

    # -- painting -----------------------------------------------------------------
    def paint(self, p, *args):
        if not self.entries:
            return
        p.setRenderHint(p.RenderHint.Antialiasing)
        p.setRenderHint(p.RenderHint.TextAntialiasing)
        width = self.geometry().width()
        hfm = QFontMetricsF(self.header_font)
        p.setFont(self.header_font)
        p.setPen(self.muted_colour)
        p.drawText(QRectF(PAD, PAD, width - 2 * PAD, hfm.height()), Qt.AlignmentFlag.AlignLeft, self.header)
        p.setFont(self.font)
        for i, (e, cell) in enumerate(zip(self.entries, self._cells())):
            if cell.bottom() > self.geometry().height() + 1:
                continue
            colour = QColor(e.colour)
            if not e.visible:
                colour.setAlphaF(FADED)
            mid = cell.center().y()
            if i == self._hover_row:
                hl = QColor(self.text_colour)
                hl.setAlphaF(0.08)
                p.fillRect(cell.adjusted(-PAD + 2, 0, PAD - 2, 0), hl)
            left = cell.left()
            if e.bar:
                p.fillRect(QRectF(left + 3, mid - 5, SWATCH - 6, 10), colour)
            else:
                pen = QPen(colour, 2.5)
                if e.dashed:
                    pen.setStyle(Qt.PenStyle.DashLine)
                p.setPen(pen)
                p.drawLine(QPointF(left, mid), QPointF(left + SWATCH, mid))
            text_rect = QRectF(left + SWATCH + GAP, cell.top(), cell.width() - SWATCH - GAP, cell.height())
            p.setPen(self.text_colour if e.visible else self.muted_colour)
            font = QFont(self.font)
            font.setStrikeOut(not e.visible)
            p.setFont(font)
            p.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, e.name)
            p.setFont(self.font)
            if e.visible and e.value:
                p.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, e.value)

    # -- interaction --------------------------------------------------------------
    def mousePressEvent(self, ev: QGraphicsSceneMouseEvent):
        row = self._row_at(ev.pos())
        if row is not None and ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.toggled.emit(self.entries[row].name)
        else:
            ev.ignore()

    def mouseClickEvent(self, ev):
        ev.ignore()

    def hoverMoveEvent(self, ev: QGraphicsSceneHoverEvent):
        row = self._row_at(ev.pos())
        if row != self._hover_row:
            self._hover_row = row
            self.update()
            self.hovered.emit(None if row is None else self.entries[row].name)

    def hoverLeaveEvent(self, ev):
        if self._hover_row is not None:
            self._hover_row = None
            self.update()
            self.hovered.emit(None)


class PanelLegend:
    """The legend part of ``ChartPanel``: it fills ``self.legend`` from the series and answers its signals."""

    def _refresh_legend(self) -> None:
        bar = self.x_kind == "category"
        entries = [LegendEntry(e.name, e.colour, e.dashed, bar, e.visible) for e in self._series.values()]
        samples = []
        for e in self._series.values():
            finite = e.y[np.isfinite(e.y)]
            if len(finite):
                samples += [
                    self.value_style.readout(float(finite.min())),
                    self.value_style.readout(float(finite.max())),
                ]
        self.legend.set_entries(entries, samples)
        self._show_readout(None)

    def _toggle_from_legend(self, name: str) -> None:
        entry = self._series.get(name)
        if entry is not None:
            self.set_series_visible(name, not entry.visible)

    def _legend_hover(self, name) -> None:
        self._pinned_highlight = name
        self._apply_pens()
