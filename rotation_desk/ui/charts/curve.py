"""A chart series' line: pyqtgraph's ``PlotDataItem`` whose curve is drawn fast on a raster image.

Qt's raster engine strokes an antialiased line wider than one pixel as one outline and fills it, and
the cost of that fill grows much faster than the number of points: a 5,000-point daily line 2 px wide
takes ~60 ms as one path, ~8 ms as 80 consecutive pieces. So on a raster device (the screen, a PNG)
``FastCurve`` draws an opaque, solid, antialiased line

- reduced to the device pixel columns it crosses: in each column the lowest and the highest point, in
  the order they occur, plus the line's first and last point (``column_extremes``). Only real data
  points are drawn, every extreme among them, so the picture is the same to the eye: a 20-year daily
  line on a 1,600 px plot has ~3 points per column, a 30-year one ~6;
- as pieces of ``PIECE`` points, each sharing its end point with the next; an opaque colour over
  itself leaves the joints invisible.

Translucent (a faded series while another is highlighted), dashed, filled or stepped lines, and SVG
output (a vector file is zoomed: it keeps every point, as one path) are drawn by pyqtgraph as before.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPaintEngine, QPainter, QPolygonF

PIECE = 48  # points per piece (fewer: more joints; more: the fill's cost climbs again)
_RASTER = (QPaintEngine.Type.Raster, QPaintEngine.Type.X11, QPaintEngine.Type.Windows, QPaintEngine.Type.CoreGraphics)


def column_extremes(columns: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices of the points to draw for points in pixel ``columns`` (non-decreasing): per run of
    equal columns its lowest and highest point in the order they occur, plus the first and last
    point. At most ``2 * runs + 2`` indices, ascending."""
    n = len(y)
    starts = np.flatnonzero(columns[1:] != columns[:-1]) + 1
    if n <= 2 * (len(starts) + 1):  # nothing to gain: at most two points per column already
        return np.arange(n)
    starts = np.concatenate(([0], starts))
    counts = np.diff(np.append(starts, n))
    at = np.arange(n)
    lowest = np.minimum.reduceat(np.where(y == np.repeat(np.minimum.reduceat(y, starts), counts), at, n), starts)
    highest = np.minimum.reduceat(np.where(y == np.repeat(np.maximum.reduceat(y, starts), counts), at, n), starts)
    pairs = np.empty((len(starts), 2), dtype=np.int64)
    np.minimum(lowest, highest, out=pairs[:, 0])
    np.maximum(lowest, highest, out=pairs[:, 1])
    picked = np.concatenate(([0], pairs.ravel(), [n - 1]))
    keep = np.empty(len(picked), dtype=bool)
    keep[0] = True
    np.not_equal(picked[1:], picked[:-1], out=keep[1:])
    return picked[keep]


def _polyline(x: np.ndarray, y: np.ndarray) -> QPolygonF:
    poly = pg.functions.create_qpolygonf(len(x))
    points = pg.functions.ndarray_from_qpolygonf(poly)
    points[:, 0] = x
    points[:, 1] = y
    return poly


class _FastCurveItem(pg.PlotCurveItem):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pieces_key = None
        self._pieces: list = []
        self.drawn = (np.empty(0), np.empty(0))  # the points of the last fast paint (tests read them)

    def _fast(self, painter: QPainter) -> bool:
        o = self.opts
        pen = o["pen"]
        engine = painter.paintEngine()
        antialias = self._exportOpts.get("antialias", True) if self._exportOpts is not False else o["antialias"]
        return (
            antialias
            and engine is not None
            and engine.type() in _RASTER
            and pen.style() == Qt.PenStyle.SolidLine
            and pen.isSolid()
            and pen.color().alphaF() == 1.0
            and (o["shadowPen"] is None or o["shadowPen"].style() == Qt.PenStyle.NoPen)
            and o["fillLevel"] is None
            and not o["stepMode"]
            and o["compositionMode"] is None
            and isinstance(o["connect"], str)
            and o["connect"] in ("all", "finite")
            and painter.transform().isAffine()
            and painter.transform().m21() == 0.0
        )

    def paint(self, p, opt, widget):
        pieces = self._pieces_for(p) if self.xData is not None and len(self.xData) > 1 and self._fast(p) else None
        if pieces is None:
            return super().paint(p, opt, widget)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(self.opts["pen"])
        for piece in pieces:
            p.drawPolyline(piece)

    def _pieces_for(self, p: QPainter) -> list | None:
        """The line's pieces for this painter's pixel grid (cached while data and grid stay); None when
        the line has gaps (non-finite values: pyqtgraph's path breaks there)."""
        x, y = self.getData()
        t = p.transform()
        ratio = p.device().devicePixelRatioF() if p.device() is not None else 1.0
        scale, offset = t.m11() * ratio, t.dx() * ratio
        key = (x, y, scale, offset)
        old = self._pieces_key
        if old is not None and old[0] is x and old[1] is y and old[2:] == key[2:]:
            return self._pieces
        if self.opts["connect"] != "all" and not (np.isfinite(x).all() and np.isfinite(y).all()):
            self._pieces_key, self._pieces = key, None
            return None
        keep = column_extremes(np.floor(x * scale + offset), y)
        xs, ys = x[keep], y[keep]
        self.drawn = (xs, ys)
        self._pieces = [_polyline(xs[s : s + PIECE + 1], ys[s : s + PIECE + 1]) for s in range(0, len(xs) - 1, PIECE)]
        self._pieces_key = key
        return self._pieces


class FastCurve(pg.PlotDataItem):
    """A ``PlotDataItem`` whose line is a ``_FastCurveItem`` (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(**kwargs)
        old = self.curve
        old.sigClicked.disconnect(self.sigClicked)
        old.setParentItem(None)
        self.curve = _FastCurveItem()
        self.curve.setParentItem(self)
        self.curve.sigClicked.connect(self.sigClicked)
        self.setProperty("styleWasChanged", True)
        if args:
            self.setData(*args)
