"""Painting a ``DataTable`` as it reads on screen, with a QPainter: into an image (``export-table``), an
SVG, a composite export under its chart, or a PDF report page (vector text).

What is painted is what the table shows: its columns in order (hidden ones left out), its rows in the
current sort order, each cell's text as displayed, its alignment, its sign colour or heat background
and bold rows, under a bold header with a rule, on alternating row colours of the theme.
A column too wide for the page (names) is elided; numbers are never cut.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontInfo, QFontMetricsF, QGuiApplication, QPainter, QPen

from rotation_desk.ui.kit.theme import Theme

PAD = 8.0  # horizontal padding of a cell, each side


@dataclass
class TableCells:
    """The table's content, read once from the view: texts, alignments, colours, bold rows."""

    header: list[str]
    header_align: list[int]
    rows: list[list[str]]
    align: list[list[int]]
    fg: list[list[QColor | None]]
    bg: list[list[QColor | None]]
    bold: list[bool]


def table_cells(table) -> TableCells:
    """The cells of ``table`` (a DataTable) as shown: visible columns, current order; rows put while the
    table was hidden are filled first."""
    if table.frame_pending():
        table._when_shown.flush(table)
    model = table.model()
    cols = [c for c in range(model.columnCount()) if not table.isColumnHidden(c)]
    header = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in cols]
    header_align = [
        _align(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole)) for c in cols
    ]
    rows, align, fg, bg, bold = [], [], [], [], []
    for r in range(model.rowCount()):
        idx = [model.index(r, c) for c in cols]
        rows.append([str(model.data(i) or "") for i in idx])
        align.append([_align(model.data(i, Qt.ItemDataRole.TextAlignmentRole)) for i in idx])
        fg.append([_colour(model.data(i, Qt.ItemDataRole.ForegroundRole)) for i in idx])
        bg.append([_colour(model.data(i, Qt.ItemDataRole.BackgroundRole)) for i in idx])
        font = model.data(idx[0], Qt.ItemDataRole.FontRole) if idx else None
        bold.append(bool(font is not None and font.bold()))
    return TableCells(header, header_align, rows, align, fg, bg, bold)


def _align(value) -> int:
    if value is None:
        return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return int(value.value if hasattr(value, "value") else value)


def _colour(value) -> QColor | None:
    if isinstance(value, QBrush):
        return value.color()
    if isinstance(value, QColor):
        return value
    return None


class TablePainter:
    """Lays out and paints ``TableCells`` in ``theme`` at ``font_px`` pixels (default: the screen's font)."""

    def __init__(self, cells: TableCells, theme: Theme, font_px: float | None = None):
        self.cells = cells
        self.theme = theme
        self._set_font(font_px)

    def fit_width(self, width: float, smallest: float = 0.7) -> None:
        """A smaller font (down to ``smallest`` of the screen's) when the table is wider than ``width``."""
        if self.natural_width() <= width:
            return
        size = QFontInfo(QFont(QGuiApplication.font())).pixelSize()
        for step in range(1, 7):
            factor = 1.0 - (1.0 - smallest) * step / 6
            self._set_font(size * factor)
            if self.natural_width() <= width:
                return

    def _set_font(self, font_px: float | None) -> None:
        self.font = QFont(QGuiApplication.font())
        if font_px is not None:
            self.font.setPixelSize(max(6, round(font_px)))
        self.bold_font = QFont(self.font)
        self.bold_font.setBold(True)
        fm = QFontMetricsF(self.bold_font)
        self.row_height = fm.height() + 8
        self.natural = self._natural_widths()

    def _natural_widths(self) -> list[float]:
        fm, bfm = QFontMetricsF(self.font), QFontMetricsF(self.bold_font)
        widths = [bfm.horizontalAdvance(h) + 2 * PAD for h in self.cells.header]
        for row, bold in zip(self.cells.rows, self.cells.bold):
            m = bfm if bold else fm
            for j, text in enumerate(row):
                widths[j] = max(widths[j], m.horizontalAdvance(text) + 2 * PAD)
        return widths

    def natural_width(self) -> float:
        return sum(self.natural)

    def height(self, rows: int | None = None) -> float:
        n = len(self.cells.rows) if rows is None else min(rows, len(self.cells.rows))
        return self.row_height * (n + 1) + 2

    def rows_fitting(self, height: float) -> int:
        return max(0, int((height - 2) // self.row_height) - 1)

    def widths(self, width: float) -> list[float]:
        """Column widths for ``width``: natural widths, the spare room to the first left-aligned column
        (the names); when too narrow, the widest left-aligned column shortened (its text elided, at most
        to ten characters), then the columns that still do not fit left out from the right (width 0)."""
        widths = list(self.natural)
        spare = width - sum(widths)
        lefts = [j for j, a in enumerate(self.cells.header_align) if not a & int(Qt.AlignmentFlag.AlignRight)]
        target = max(lefts, key=lambda j: widths[j]) if lefts else None
        if spare > 0:
            if lefts:
                widths[lefts[0]] += spare
            return widths
        if target is not None:
            floor = min(widths[target], QFontMetricsF(self.font).horizontalAdvance("M" * 10) + 2 * PAD)
            widths[target] = max(widths[target] + spare, floor)
        total = 0.0
        for j, w in enumerate(widths):
            total += w
            if total > width + 0.5 and j > 0:
                widths[j:] = [0.0] * (len(widths) - j)
                break
        return widths

    def left_out_columns(self, width: float) -> int:
        return sum(1 for w in self.widths(width) if w == 0.0)

    def paint(self, painter: QPainter, rect: QRectF, rows: int | None = None) -> float:
        """Paint the header and the first ``rows`` rows (all by default) at the top of ``rect``;
        returns the height used."""
        t, cells = self.theme, self.cells
        widths = self.widths(rect.width())
        h = self.row_height
        n = len(cells.rows) if rows is None else min(rows, len(cells.rows))
        painter.save()
        painter.setClipRect(rect)
        y = rect.top()
        self._row(painter, rect.left(), y, widths, cells.header, cells.header_align, None, None, True, t.text)
        y += h
        painter.setPen(QPen(QColor(t.grid), 1.2))
        painter.drawLine(rect.left(), y, rect.left() + sum(widths), y)
        y += 2
        for r in range(n):
            back = QColor(t.alt_base if r % 2 else t.base)
            painter.fillRect(QRectF(rect.left(), y, sum(widths), h), back)
            self._row(
                painter,
                rect.left(),
                y,
                widths,
                cells.rows[r],
                cells.align[r],
                cells.fg[r],
                cells.bg[r],
                cells.bold[r],
                t.text,
            )
            y += h
        painter.restore()
        return y - rect.top()

    def _row(self, painter, x, y, widths, texts, aligns, fgs, bgs, bold, text_colour) -> None:
        font = self.bold_font if bold else self.font
        fm = QFontMetricsF(font)
        painter.setFont(font)
        for j, text in enumerate(texts):
            if widths[j] == 0.0:
                break
            cell = QRectF(x, y, widths[j], self.row_height)
            if bgs is not None and bgs[j] is not None:
                painter.fillRect(cell, bgs[j])
            colour = fgs[j] if fgs is not None and fgs[j] is not None else QColor(text_colour)
            painter.setPen(colour)
            inner = cell.adjusted(PAD, 0, -PAD, 0)
            shown = fm.elidedText(text, Qt.TextElideMode.ElideRight, inner.width() + 0.5)
            painter.drawText(inner, aligns[j] | int(Qt.AlignmentFlag.AlignVCenter), shown)
            x += widths[j]
