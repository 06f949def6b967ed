"""What the relative rotation graph draws behind the tails: the quadrants and the shown date.

- The four quadrants (Leading, Weakening, Lagging, Improving) around
  (100, 100), lightly tinted in Okabe–Ito hues (colour-blind safe) and named
  in the corners of the view, whatever the zoom.
- The vertical line at RS-Ratio 100 (the horizontal one is the y axis's baseline).
- The shown date, large and faint, at the top of the plot where it covers no
  ticker label, marker or quadrant name: the top centre, else further along the
  top or bottom edge; hidden when every place is taken (the subtitle and the
  slider still say the date). It changes every animation frame: one ``setText``.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from rotation_desk.ui.charts.plot import Plot
from rotation_desk.ui.kit.theme import Theme

CENTRE = 100.0
FAR = 1.0e4  # the quadrant tints reach this far from 100 (clipped by the view)
QUADRANT_CORNERS = {  # name -> (x side, y side) of the view corner it is labelled in
    "Leading": (1, 1),
    "Weakening": (1, -1),
    "Lagging": (-1, -1),
    "Improving": (-1, 1),
}
# Okabe–Ito hues (colour-blind safe): fill tint and a readable label colour per theme
QUADRANT_COLOURS = {
    "light": {
        "Leading": ("#009E73", "#00684C"),
        "Weakening": ("#E69F00", "#8A5F00"),
        "Lagging": ("#D55E00", "#A24700"),
        "Improving": ("#0072B2", "#00557F"),
    },
    "dark": {
        "Leading": ("#2FC193", "#6FDDB7"),
        "Weakening": ("#E69F00", "#F2C15A"),
        "Lagging": ("#FF8A4C", "#FFA877"),
        "Improving": ("#56B4E9", "#8DCBF0"),
    },
}
TINT_ALPHA = {"light": 0.075, "dark": 0.11}
# where the date may go, in order: (x as a fraction of the view's width, top (1) or bottom (0) edge)
DATE_SPOTS = ((0.5, 1), (0.32, 1), (0.68, 1), (0.5, 0), (0.32, 0), (0.68, 0))
EDGE_GAP = 2.0  # pixels between the date and the plot's edge


class Backdrop:
    """The quadrant tints and names, the line at 100 and the date label, added to ``plot_item``."""

    def __init__(self, plot_item: Plot):
        self.vline = pg.InfiniteLine(pos=CENTRE, angle=90, movable=False)
        self.vline.setZValue(-5)
        plot_item.addItem(self.vline, ignoreBounds=True)
        self.tints: dict[str, QGraphicsRectItem] = {}
        self.quadrant_labels: dict[str, pg.TextItem] = {}
        for name, (sx, sy) in QUADRANT_CORNERS.items():
            rect = QGraphicsRectItem(QRectF(min(CENTRE, CENTRE + sx * FAR), min(CENTRE, CENTRE + sy * FAR), FAR, FAR))
            rect.setPen(QPen(Qt.PenStyle.NoPen))
            rect.setZValue(-20)
            plot_item.addItem(rect, ignoreBounds=True)
            self.tints[name] = rect
            label = pg.TextItem(name, anchor=((1 + sx) / 2, (1 - sy) / 2))  # inside the view's corner
            label.setZValue(-10)
            plot_item.addItem(label, ignoreBounds=True)
            self.quadrant_labels[name] = label
        self.quadrant_font = QFont(QGuiApplication.font())
        self.quadrant_font.setPointSizeF(self.quadrant_font.pointSizeF() * 1.25)
        self.quadrant_font.setBold(True)
        for label in self.quadrant_labels.values():
            label.setFont(self.quadrant_font)
        self.date_label = pg.TextItem("", anchor=(0.5, 0))
        self.date_label.setZValue(-9)
        date_font = QFont(QGuiApplication.font())
        date_font.setPointSizeF(date_font.pointSizeF() * 1.6)
        date_font.setBold(True)
        self.date_label.setFont(date_font)
        plot_item.addItem(self.date_label, ignoreBounds=True)

    def place(self, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
        """The quadrant names in the view's corners, the date at the top centre (``place_date`` moves it)."""
        (x0, x1), (y0, y1) = x_range, y_range
        for name, (sx, sy) in QUADRANT_CORNERS.items():
            self.quadrant_labels[name].setPos(x1 if sx > 0 else x0, y1 if sy > 0 else y0)
        self.date_label.setAnchor((0.5, 0))
        self.date_label.setPos((x0 + x1) / 2, y1)

    def place_date(self, vb: pg.ViewBox, taken: list[QRectF]) -> QRectF | None:
        """Put the date where it covers none of ``taken`` (scene pixels: labels, markers) and no quadrant
        name; hide it when no place is free. Returns its rectangle, or None when hidden."""
        if not self.date_label.toPlainText():
            self.date_label.setVisible(False)
            return None
        view = vb.sceneBoundingRect()
        box = self.date_label.textItem.boundingRect()
        w, h = box.width(), box.height()
        blocked = list(taken) + [_corner_rect(label, view) for label in self.quadrant_labels.values()]
        for fx, top in DATE_SPOTS:
            cx = view.left() + fx * view.width()
            y = view.top() + EDGE_GAP if top else view.bottom() - EDGE_GAP - h
            rect = QRectF(cx - w / 2, y, w, h)
            if view.contains(rect) and not any(rect.intersects(b) for b in blocked):
                anchor_y = 0 if top else 1
                self.date_label.setAnchor((0.5, anchor_y))
                self.date_label.setPos(vb.mapSceneToView(QPointF(cx, y if top else y + h)))
                self.date_label.setVisible(True)
                return rect
        self.date_label.setVisible(False)
        return None

    def apply_theme(self, theme: Theme) -> None:
        key = "dark" if theme.dark else "light"
        for name, rect in self.tints.items():
            fill, text = QUADRANT_COLOURS[key][name]
            colour = QColor(fill)
            colour.setAlphaF(TINT_ALPHA[key])
            rect.setBrush(QBrush(colour))
            self.quadrant_labels[name].setColor(QColor(text))
        self.vline.setPen(pg.mkPen(theme.muted, width=1.2))
        faint = QColor(theme.muted)
        faint.setAlphaF(0.55)
        self.date_label.setColor(faint)


def _corner_rect(label: pg.TextItem, view: QRectF) -> QRectF:
    """A quadrant name's rectangle in scene pixels: in the view's corner its anchor points at."""
    box = label.textItem.boundingRect()
    ax, ay = label.anchor.x(), label.anchor.y()
    x = view.right() - box.width() if ax >= 0.5 else view.left()
    y = view.bottom() - box.height() if ay >= 0.5 else view.top()
    return QRectF(x, y, box.width(), box.height())
