"""A correlation heatmap for the shared chart panel: one cell per pair, the value printed in it.

Colours diverge from the background (0) to the theme's blue (+1) and
vermillion (−1): the Okabe–Ito pair the app uses for gains and losses, which
readers with red-green colour blindness can tell apart. The text in a cell is
dark or white, whichever contrasts more with the cell (both themes). The
diagonal (a fund with itself) is drawn neutral so it does not dominate.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QGuiApplication, QPen

from rotation_desk.ui.charts.axes import ValueStyle
from rotation_desk.ui.charts.panel import ChartPanel
from rotation_desk.ui.kit.theme import LIGHT, Theme, mix

DARK_TEXT = "#1d2330"
LIGHT_TEXT = "#ffffff"


def luminance(colour: QColor) -> float:
    """WCAG relative luminance (0 black … 1 white)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def cell_colour(value: float, theme: Theme) -> QColor:
    """Background → blue for +1, → vermillion for −1, by |value|."""
    base = QColor(theme.base)
    if value is None or not np.isfinite(value):
        return QColor(theme.window)
    target = QColor(theme.gain if value >= 0 else theme.loss)
    return mix(base, target, min(abs(float(value)), 1.0) * 0.92)


def text_colour(background: QColor) -> QColor:
    dark, light = QColor(DARK_TEXT), QColor(LIGHT_TEXT)
    return dark if contrast(background, dark) >= contrast(background, light) else light


def category_style() -> ValueStyle:
    """A value style for a category y axis (its ticks are set explicitly)."""
    return ValueStyle(axis=lambda v, spacing: "", readout=lambda v: f"{v:.2f}", log_allowed=False, baseline=None)


class CorrelationHeatmap(pg.GraphicsObject):
    """Cells at integer positions (column j, row i), row 0 at the top when the view's y is inverted.

    The numbers are painted by the item itself in scene coordinates, so they keep
    their font size whatever the view's scale (and grow with a 2× export).
    """

    def __init__(self, theme: Theme = LIGHT):
        super().__init__()
        self.theme = theme
        self.labels: list[str] = []
        self.values = np.zeros((0, 0))
        self.days = np.zeros((0, 0), dtype=np.int64)
        self.texts: list[list[str]] = []
        self.text_colours: list[list[QColor]] = []
        self.fills: list[list[QColor]] = []
        self.font = QFont(QGuiApplication.font())
        self.unit = "daily returns"  # what ``days`` counts, in the cell tooltips
        self.setAcceptHoverEvents(True)

    # ------------------------------------------------------------------ content
    def set_matrix(self, labels: Sequence[str], values: np.ndarray, days: np.ndarray | None = None) -> None:
        self.prepareGeometryChange()
        self.labels = list(labels)
        self.values = np.asarray(values, dtype=np.float64)
        self.days = np.zeros_like(self.values, dtype=np.int64) if days is None else np.asarray(days)
        n = len(self.labels)
        self.font = QFont(QGuiApplication.font())
        self.font.setPointSizeF(max(8.0, self.font.pointSizeF() * (1.0 if n <= 8 else 0.9)))
        self.texts = [[f"{v:.2f}" if np.isfinite(v) else "—" for v in row] for row in self.values]
        self._recolour()

    def text_at(self, row: int, col: int) -> str:
        return self.texts[row][col]

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._recolour()

    def _recolour(self) -> None:
        n = len(self.labels)
        self.fills, self.text_colours = [], []
        for i in range(n):
            fills, fgs = [], []
            for j in range(n):
                value = self.values[i, j]
                if i == j:
                    fill = QColor(self.theme.alt_base if not self.theme.dark else self.theme.window)
                    fg = QColor(self.theme.muted)
                else:
                    fill = cell_colour(value, self.theme)
                    fg = text_colour(fill) if np.isfinite(value) else QColor(self.theme.muted)
                fills.append(fill)
                fgs.append(fg)
            self.fills.append(fills)
            self.text_colours.append(fgs)
        self.update()

    # ------------------------------------------------------------------ QGraphicsItem
    def boundingRect(self) -> QRectF:
        n = len(self.labels)
        return QRectF(-0.5, -0.5, max(n, 0), max(n, 0))

    def paint(self, painter, option, widget=None) -> None:
        n = len(self.labels)
        if not n:
            return
        separator = QPen(QColor(self.theme.base))
        separator.setCosmetic(True)
        separator.setWidthF(2.0)
        painter.setPen(separator)
        for i in range(n):
            for j in range(n):
                painter.setBrush(self.fills[i][j])
                painter.drawRect(QRectF(j - 0.5, i - 0.5, 1.0, 1.0))
        # the numbers: in scene coordinates (not stretched by the data scale, scaled by exports)
        to_scene = self.sceneTransform()
        inverse, ok = to_scene.inverted()
        if not ok:
            return
        painter.save()
        painter.setTransform(inverse * painter.transform())
        painter.setFont(self.font)
        for i in range(n):
            for j in range(n):
                box = to_scene.mapRect(QRectF(j - 0.5, i - 0.5, 1.0, 1.0))
                painter.setPen(self.text_colours[i][j])
                painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), self.texts[i][j])
        painter.restore()

    def hoverMoveEvent(self, event) -> None:
        pos = event.pos()
        i, j = int(round(pos.y())), int(round(pos.x()))
        self.setToolTip(self.describe(i, j))

    def describe(self, i: int, j: int) -> str:
        n = len(self.labels)
        if not (0 <= i < n and 0 <= j < n):
            return ""
        value = self.values[i, j]
        a, b = self.labels[i], self.labels[j]
        if not np.isfinite(value):
            return f"{a} × {b}: not enough shared days"
        return f"{a} × {b}: {value:.2f} (Pearson, {int(self.days[i, j]):,} {self.unit})"


class ColourScale(pg.GraphicsWidget):
    """The heat map's key beside it: the colour of +1 at the top through 0 to −1 at the bottom, labelled."""

    def __init__(self, panel: ChartPanel):
        super().__init__()
        self.panel = panel
        self.font = QFont(QGuiApplication.font())
        self.font.setPointSizeF(max(7.5, self.font.pointSizeF() * 0.9))
        width = QFontMetricsF(self.font).horizontalAdvance("−1.0") + 34
        self.setMinimumWidth(width)
        self.setMaximumWidth(width)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.geometry().width(), self.geometry().height())

    def paint(self, painter, *_args) -> None:
        theme = self.panel.theme
        fm = QFontMetricsF(self.font)
        h = self.geometry().height()
        top, bottom = fm.height(), h - fm.height() * 1.5
        if bottom - top < 40:
            return
        bar = QRectF(6, top, 12, bottom - top)
        steps = 40
        for k in range(steps):
            value = 1.0 - 2.0 * (k + 0.5) / steps
            painter.fillRect(
                QRectF(bar.left(), bar.top() + bar.height() * k / steps, bar.width(), bar.height() / steps + 0.5),
                cell_colour(value, theme),
            )
        painter.setPen(QPen(QColor(theme.grid), 1.0))
        painter.drawRect(bar)
        painter.setFont(self.font)
        painter.setPen(QColor(theme.muted))
        for value, text in ((1.0, "+1.0"), (0.0, "0"), (-1.0, "−1.0")):
            y = bar.top() + bar.height() * (1.0 - value) / 2.0
            painter.drawText(
                QRectF(bar.right() + 4, y - fm.height() / 2, 60, fm.height()), int(Qt.AlignmentFlag.AlignVCenter), text
            )


def prepare_panel(panel: ChartPanel) -> None:
    """Turn a category ChartPanel into a fixed matrix view: no grid, no zoom or pan, rows top to bottom,
    square cells, and the colour scale right beside the matrix, the two centred in the chart's width
    (``_centre``)."""
    panel.plot_item.showGrid(x=False, y=False)
    panel.vb.setMouseEnabled(x=False, y=False)
    panel.vb.invertY(True)
    panel.matrix_size = 0
    panel.vb.sigResized.connect(lambda *_: _fit_square(panel))
    panel.colour_scale = ColourScale(panel)
    _centre(panel)
    panel.reset_button.setVisible(False)
    panel.plot_item.setAutoVisible(y=False)


def _centre(panel: ChartPanel) -> None:
    """Lay the plot row out as [space | matrix with its axes | colour scale | legend | space]: the plot
    is no wider than the square matrix needs (``_fit_square``), the two spaces share what is left, and
    the texts above and below span the whole width."""
    ci = panel.view.ci
    grid = ci.layout
    texts = [(panel._title_item, 0), (panel._subtitle_item, 1), (panel._footer_item, 3)]
    for item, _row in texts:
        grid.removeItem(item)
    grid.removeItem(panel.plot_item)
    grid.removeItem(panel.legend)
    panel.matrix_spaces = (pg.GraphicsWidget(), pg.GraphicsWidget())
    for space in panel.matrix_spaces:
        space.setMinimumSize(0, 0)
        space.setPreferredSize(0, 0)  # no width of their own: only what the plot cannot take
    for col, item in ((0, panel.matrix_spaces[0]), (1, panel.plot_item), (2, panel.colour_scale)):
        grid.addItem(item, 2, col)
    grid.addItem(panel.legend, 2, 3)
    grid.addItem(panel.matrix_spaces[1], 2, 4)
    for item, row in texts:
        grid.addItem(item, row, 0, 1, 5)
    grid.setAlignment(panel.legend, Qt.AlignmentFlag.AlignTop)
    for col, stretch in enumerate((1, 1000, 0, 0, 1)):  # the plot takes all it may, the spaces the rest
        grid.setColumnStretchFactor(col, stretch)


def show_matrix(panel: ChartPanel, heatmap: CorrelationHeatmap, labels: Sequence[str]) -> None:
    """Label both axes with ``labels`` and fit the view to the matrix."""
    n = len(labels)
    ticks = [(i, name) for i, name in enumerate(labels)]
    panel.x_axis.set_categories(list(labels))
    panel.y_axis.setTicks([ticks, []])
    panel.vb.setLimits(xMin=None, xMax=None, yMin=None, yMax=None)
    panel.vb.disableAutoRange()
    panel.matrix_size = n
    _fit_square(panel)
    panel.show_plot()
    heatmap.update()


def _fit_square(panel: ChartPanel) -> None:
    """Square cells: the matrix fills the plot's shorter side, from its top left corner (the row and
    column labels stay beside it), whatever the chart's shape; a plot wider than tall is narrowed to
    the matrix, so the colour scale stands beside it (``_centre``)."""
    n = getattr(panel, "matrix_size", 0)
    if not n:
        return
    w, h = panel.vb.width(), panel.vb.height()
    x_span = y_span = float(n)
    if w > 0 and h > 0:
        if w > h:
            x_span = n * w / h
        else:
            y_span = n * h / w
        widest = panel.plot_item.width() - w + h  # the axes and margins, and a square as high as the plot
        if abs(panel.plot_item.maximumWidth() - widest) > 0.5:
            panel.plot_item.setMaximumWidth(widest)
    panel.vb.setRange(xRange=(-0.5, x_span - 0.5), yRange=(-0.5, y_span - 0.5), padding=0.0)
