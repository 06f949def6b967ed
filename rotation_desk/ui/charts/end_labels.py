"""Direct labels at the line ends of a crowded chart's export (more than ``MANY`` lines): each series'
name in its colour beside its last value, pushed apart so none overlap, in room made at the right of
the plot. They exist only during a render (``ChartExport._export_layout``); the screen has its legend
and crosshair."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QPointF
from PySide6.QtGui import QFont, QFontMetricsF, QGuiApplication

MANY = 6


class EndLabels:
    def __init__(self, panel):
        self.panel = panel
        self.items: list[pg.TextItem] = []
        self._range = None  # the x range before make_room (None: no names at the line ends)

    def _ends(self) -> list[tuple[str, float, float, str]]:
        """(name, x, y, colour) of each shown line's last finite point, as displayed (log10 on a log axis)."""
        ends = []
        for name, entry in self.panel._series.items():
            if not entry.visible or not isinstance(entry.item, pg.PlotDataItem):
                continue
            x, y = entry.item.getData()
            if x is None or not len(x):
                continue
            ok = np.isfinite(y)
            if ok.any():
                i = np.flatnonzero(ok)[-1]
                ends.append((name, float(x[i]), float(y[i]), entry.colour))
        return ends

    def make_room(self) -> None:
        """Before the scene settles at the export size: widen the x range past the data's end by the
        widest name (nothing for ``MANY`` lines or fewer), so one settle serves the room and the render."""
        p = self.panel
        if p.x_kind != "date":
            return
        ends = self._ends()
        if len(ends) <= MANY:
            return
        vb = p.vb
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        vb.scene().prepareForPaint()  # the view's size and auto range at the export size
        self._range = vb.viewRange()
        self._auto = vb.state["autoRange"][0]
        self.font = QFont(QGuiApplication.font())
        self.font.setPointSizeF(max(7.5, self.font.pointSizeF() * 0.85))
        fm = QFontMetricsF(self.font)
        widest = max(fm.horizontalAdvance(name) for name, *_ in ends) + 10
        (x0, x1), _ = self._range
        width = max(vb.width(), 1.0)
        room = (x1 - x0) * widest / max(width - widest, 1.0)
        self._limits = list(vb.state["limits"]["xLimits"])
        vb.setLimits(xMin=None, xMax=None)  # the room lies past the data's end
        vb.setXRange(x0, x1 + room, padding=0.0)
        vb.updateAutoRange()

    def show(self) -> None:
        """After the scene settled: the names beside the line ends, pushed apart so none overlap."""
        if self._range is None:
            return
        p, vb, ends = self.panel, self.panel.vb, self._ends()  # the line ends as the settled scene shows them
        font = self.font
        fm = QFontMetricsF(font)
        at = sorted(((vb.mapViewToScene(QPointF(x, y)).y(), name, x, colour) for name, x, y, colour in ends))
        gap = fm.height() * 0.95
        ys = [a[0] for a in at]
        for i in range(1, len(ys)):  # push down what overlaps the label above
            ys[i] = max(ys[i], ys[i - 1] + gap)
        bottom = vb.sceneBoundingRect().bottom() - gap / 2
        if ys and ys[-1] > bottom:  # then back up from the bottom
            ys[-1] = bottom
            for i in range(len(ys) - 2, -1, -1):
                ys[i] = min(ys[i], ys[i + 1] - gap)
        for y_scene, (_, name, x, colour) in zip(ys, at):
            point = vb.mapSceneToView(QPointF(vb.mapViewToScene(QPointF(x, 0)).x(), y_scene))
            item = pg.TextItem(name, color=colour, anchor=(0, 0.5))
            item.setFont(font)
            item.setPos(x, point.y())
            p.plot_item.addItem(item, ignoreBounds=True)
            self.items.append(item)

    def hide(self) -> None:
        for item in self.items:
            self.panel.plot_item.removeItem(item)
        self.items.clear()
        if self._range is not None:
            vb = self.panel.vb
            vb.setLimits(xMin=self._limits[0], xMax=self._limits[1])
            vb.setXRange(*self._range[0], padding=0.0)
            if self._auto is not False:
                vb.enableAutoRange(axis="x", enable=self._auto)
            self._range = None
