"""Composite exports: a view's figure cards, its charts and its table, stacked on one image, SVG or page.

    parts = [Cards([("CAGR", "+12.3 %", "#1a7f37")]), Chart(growth, 3), Chart(active, 2), Table(table)]
    image = composite_image(parts, 1600, 900, 1.0, theme)

The whole is laid out at the export's size reduced as a single chart's export is (``fit_scale``) and
enlarged, so a composite reads like the charts it holds. Cards and the table take their natural
height (the table at most half the height; rows that do not fit are counted in a last line), the
charts share the rest by their weights.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QGuiApplication, QImage, QPainter

from rotation_desk.ui.charts.export import fit_scale, painted_svg_bytes
from rotation_desk.ui.kit.theme import Theme
from rotation_desk.ui.tables.table_paint import TablePainter, table_cells

GAP = 8.0


@dataclass
class Chart:
    panel: object  # a ChartPanel
    weight: float = 1.0


@dataclass
class Table:
    table: object  # a DataTable
    caption: str = ""
    max_share: float = 0.5  # of the composite's height


@dataclass
class Cards:
    cards: list[tuple[str, str, str]]  # caption, figure, colour of the figure


def tab_cards(cards) -> Cards:
    """``Cards`` read from StatCard widgets (caption, figure as shown, its colour)."""
    return Cards([(c.caption.text(), c.value.text(), c.figure_colour()) for c in cards])


class CompositeLayout:
    """Where each part goes in a ``width``×``height`` (logical) area."""

    def __init__(self, parts: list, width: float, height: float, theme: Theme):
        self.parts, self.width, self.height, self.theme = parts, width, height, theme
        self.font = QFont(QGuiApplication.font())
        self.caption_font = QFont(self.font)
        self.figure_font = QFont(self.font)
        self.figure_font.setBold(True)
        self.figure_font.setPointSizeF(self.font.pointSizeF() * 1.45)
        self.painters = {id(p): TablePainter(table_cells(p.table), theme) for p in parts if isinstance(p, Table)}
        for tp in self.painters.values():
            tp.fit_width(width - 20, smallest=0.75)  # a wide table (the metrics) in a smaller font rather than cut
        self.rects: list[tuple[object, QRectF, int | None]] = []
        self._place()

    def _cards_height(self, part: Cards) -> float:
        per_row = self._cards_per_row(part)
        rows = -(-len(part.cards) // per_row) if part.cards else 0
        line = QFontMetricsF(self.caption_font).height() + QFontMetricsF(self.figure_font).height() + 6
        return rows * line + 4

    def _cards_per_row(self, part: Cards) -> int:
        fm = QFontMetricsF(self.figure_font)
        widest = max(
            (max(fm.horizontalAdvance(v), QFontMetricsF(self.font).horizontalAdvance(c)) for c, v, _ in part.cards),
            default=1,
        )
        return max(1, min(len(part.cards), int(self.width // (widest + 24))))

    def _place(self) -> None:
        fixed: dict[int, float] = {}
        rows: dict[int, int | None] = {}
        for part in self.parts:
            if isinstance(part, Cards):
                fixed[id(part)] = self._cards_height(part)
            elif isinstance(part, Table):
                painter = self.painters[id(part)]
                cap = QFontMetricsF(self.caption_font).height() + 4 if part.caption else 0.0
                most = self.height * part.max_share - cap
                n = len(painter.cells.rows)
                if painter.height() > most:
                    n = max(1, painter.rows_fitting(most - painter.row_height))  # a line says how many are left out
                rows[id(part)] = n
                cut = n < len(painter.cells.rows) or painter.left_out_columns(self._table_width(painter)) > 0
                more = painter.row_height if cut else 0.0
                fixed[id(part)] = cap + painter.height(n) + more
        charts = [p for p in self.parts if isinstance(p, Chart)]
        room = self.height - sum(fixed.values()) - GAP * (len(self.parts) - 1)
        total_weight = sum(c.weight for c in charts) or 1.0
        y = 0.0
        for part in self.parts:
            h = fixed.get(id(part), room * part.weight / total_weight if isinstance(part, Chart) else 0.0)
            self.rects.append((part, QRectF(0, y, self.width, max(h, 1.0)), rows.get(id(part))))
            y += h + GAP

    def paint(self, painter: QPainter, scale: float) -> None:
        """Paint every part; ``scale``: device pixels per logical unit (pens of the charts follow it)."""
        painter.fillRect(QRectF(0, 0, self.width, self.height), QColor(self.theme.base))
        last_chart = max((i for i, (p, _r, _n) in enumerate(self.rects) if isinstance(p, Chart)), default=-1)
        for i, (part, rect, rows) in enumerate(self.rects):
            if isinstance(part, Chart):
                part.panel.paint_into(painter, rect, scale, footer=i == last_chart)  # one source line
            elif isinstance(part, Table):
                self._paint_table(painter, part, rect, rows)
            else:
                self._paint_cards(painter, part, rect)

    def _paint_table(self, painter: QPainter, part: Table, rect: QRectF, rows: int | None) -> None:
        tp = self.painters[id(part)]
        top = rect.top()
        left = rect.left() + 10
        if part.caption:
            painter.setFont(self.caption_font)
            painter.setPen(QColor(self.theme.muted))
            line = QFontMetricsF(self.caption_font).height() + 4
            painter.drawText(
                QRectF(left, top, rect.width() - 20, line),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                part.caption,
            )
            top += line
        width = self._table_width(tp)
        used = tp.paint(painter, QRectF(left, top, width, rect.bottom() - top), rows)
        left_out = len(tp.cells.rows) - (rows if rows is not None else len(tp.cells.rows))
        columns = tp.left_out_columns(width)
        notes = []
        if left_out > 0:
            notes.append(f"{left_out} more row{'s' if left_out != 1 else ''}")
        if columns > 0:
            notes.append(f"{columns} more column{'s' if columns != 1 else ''}")
        if notes:
            painter.setFont(self.caption_font)
            painter.setPen(QColor(self.theme.muted))
            painter.drawText(
                QRectF(left + 8, top + used, width, tp.row_height),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                f"… and {' and '.join(notes)}: export-table shows the whole table",
            )

    def _table_width(self, tp: TablePainter) -> float:
        return min(self.width - 20, max(tp.natural_width(), (self.width - 20) * 0.6))

    def _paint_cards(self, painter: QPainter, part: Cards, rect: QRectF) -> None:
        per_row = self._cards_per_row(part)
        cap_h = QFontMetricsF(self.caption_font).height()
        fig_h = QFontMetricsF(self.figure_font).height()
        width = (rect.width() - 20) / per_row
        for i, (caption, value, colour) in enumerate(part.cards):
            x = rect.left() + 10 + (i % per_row) * width
            y = rect.top() + 2 + (i // per_row) * (cap_h + fig_h + 6)
            painter.setFont(self.caption_font)
            painter.setPen(QColor(self.theme.muted))
            painter.drawText(QRectF(x, y, width - 8, cap_h), int(Qt.AlignmentFlag.AlignLeft), caption)
            painter.setFont(self.figure_font)
            painter.setPen(QColor(colour))
            painter.drawText(QRectF(x, y + cap_h, width - 8, fig_h + 4), int(Qt.AlignmentFlag.AlignLeft), value)


def composite_image(parts: list, width: int, height: int, scale: float, theme: Theme, fit: bool = True) -> QImage:
    """The parts on an image of ``width*scale`` × ``height*scale`` pixels (``fit``: enlarged as a chart's
    export of that size; a table alone keeps the screen's size)."""
    k = fit_scale(width, height) if fit else 1.0
    layout = CompositeLayout(parts, width / k, height / k, theme)
    pixels = QSize(round(width * scale), round(height * scale))
    image = QImage(pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale * k)
    image.fill(QColor(theme.base))
    painter = QPainter(image)
    try:
        _hints(painter)
        layout.paint(painter, scale * k)
    finally:
        painter.end()
    return image


def composite_svg(parts: list, width: int, height: int, theme: Theme, title: str, fit: bool = True) -> bytes:
    """The parts as an SVG document of ``width``×``height`` (vector text and charts), in memory."""
    k = fit_scale(width, height) if fit else 1.0
    layout = CompositeLayout(parts, width / k, height / k, theme)

    def paint(painter: QPainter, target: QRectF) -> None:
        painter.save()
        painter.scale(k, k)
        layout.paint(painter, k)
        painter.restore()

    return painted_svg_bytes(paint, QSize(width, height), title, theme.base)


def table_only(table, theme: Theme, width: int | None = None, caption: str = "") -> tuple[list, int, int]:
    """A table alone (``export-table``): its parts and the natural size (width: ``width`` or the table's)."""
    tp = TablePainter(table_cells(table), theme)
    w = width or round(tp.natural_width() + 20)
    cap = QFontMetricsF(QFont(QGuiApplication.font())).height() + 4 if caption else 0
    h = round(tp.height() + cap + 4)
    return [Table(table, caption, max_share=1.0)], w, h


def _hints(painter: QPainter) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
