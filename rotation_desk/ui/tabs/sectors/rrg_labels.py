"""Where each ticker's label goes on the relative rotation graph, in pixel space.

First choice is ahead of the marker in the direction of its last move (away
from its own tail), then the other seven directions; the first place that
covers no other marker, no label already placed and stays inside the view
wins, else the one covering least. Labels are re-placed whenever the view
changes (a new frame, a zoom, an export at another size).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF

from rotation_desk.ui.tabs.sectors.rrg_trails import Track

GAP = 3.0  # pixels between a marker's edge and its label
HEAD_SIZE = 11.0  # the markers' size in pixels
MARGIN = 4.0  # QGraphicsTextItem's document margin around the text
# unit directions in pixel space (x right, y down), east first
DIRECTIONS = ((1, 0), (1, -1), (0, -1), (-1, -1), (-1, 0), (-1, 1), (0, 1), (1, 1))


class LabelPlacer:
    """Places the labels of the visible tracks in ``vb``; remembers each label's size."""

    def __init__(self, vb: pg.ViewBox):
        self.vb = vb
        self._sizes: dict[str, tuple[float, float]] = {}
        self.taken: list[QRectF] = []  # the labels and markers placed last (scene pixels): the date avoids them

    def place(self, visible: list[Track]) -> None:
        """Put each ticker label beside its marker where it covers no other marker or label."""
        self.taken = []
        if not visible:
            return
        view = self.vb.sceneBoundingRect()
        if view.width() < 10 or view.height() < 10:
            return
        px_w, px_h = self.vb.viewPixelSize()
        if not (px_w > 0 and px_h > 0):
            return
        heads = {t.name: self.vb.mapViewToScene(QPointF(t.x[t.shown][-1], t.y[t.shown][-1])) for t in visible}
        r = HEAD_SIZE / 2 + 1
        obstacles = {n: QRectF(p.x() - r, p.y() - r, 2 * r, 2 * r) for n, p in heads.items()}
        placed: list[QRectF] = []
        for t in visible:
            p = heads[t.name]
            w, h = self._size(t)
            best = None
            for d in self._direction_order(t):
                rect = _label_rect(p, d, w, h, r + GAP - MARGIN)
                cost = sum(_overlap(rect, o) for n, o in obstacles.items() if n != t.name)
                cost += sum(_overlap(rect, o) for o in placed)
                outside = rect.width() * rect.height() - _overlap(rect, view)
                cost += 4.0 * outside
                if best is None or cost < best[0] - 1e-9:
                    best = (cost, d, rect)
                if cost == 0:
                    break
            _, (dx, dy), rect = best
            placed.append(rect)
            off = r + GAP - MARGIN
            norm = (dx * dx + dy * dy) ** 0.5
            ox, oy = dx / norm * off, dy / norm * off
            t.label.setAnchor(((1 - dx) / 2, (1 - dy) / 2))
            t.label.setPos(t.x[t.shown][-1] + ox * px_w, t.y[t.shown][-1] - oy * px_h)
        self.taken = placed + list(obstacles.values())

    def _size(self, track: Track) -> tuple[float, float]:
        """The label's real size in pixels: its text item's bounds (document margin included),
        which can differ from plain font metrics by a pixel or two of line spacing."""
        size = self._sizes.get(track.name)
        if size is None:
            br = track.label.textItem.boundingRect()
            size = self._sizes[track.name] = (br.width(), br.height())
        return size

    def _direction_order(self, t: Track) -> list[tuple[int, int]]:
        """The eight directions, the one closest to the last move first (labels lead the tail)."""
        if t.shown.stop - t.shown.start >= 2:
            dx = t.x[t.shown][-1] - t.x[t.shown][-2]
            dy = t.y[t.shown][-1] - t.y[t.shown][-2]
            px_w, px_h = self.vb.viewPixelSize()
            vx, vy = dx / px_w, -dy / px_h  # pixels, y down
        else:
            vx, vy = 1.0, 0.0
        if vx == 0 and vy == 0:
            vx = 1.0
        angle = np.arctan2(vy, vx)
        return sorted(DIRECTIONS, key=lambda d: abs(_angle_diff(np.arctan2(d[1], d[0]), angle)))


def _label_rect(p: QPointF, d: tuple[int, int], w: float, h: float, off: float) -> QRectF:
    """The label's rectangle when anchored on the side ``d`` of the marker at ``p`` (scene pixels)."""
    dx, dy = d
    norm = (dx * dx + dy * dy) ** 0.5
    ax, ay = p.x() + dx / norm * off, p.y() + dy / norm * off
    left = ax - w * (1 - dx) / 2
    top = ay - h * (1 - dy) / 2
    return QRectF(left, top, w, h)


def _overlap(a: QRectF, b: QRectF) -> float:
    inter = a.intersected(b)
    return 0.0 if inter.isEmpty() else inter.width() * inter.height()


def _angle_diff(a: float, b: float) -> float:
    return (a - b + np.pi) % (2 * np.pi) - np.pi
