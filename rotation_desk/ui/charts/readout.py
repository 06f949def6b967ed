"""A chart panel's crosshair: the pointer snaps to a session and the legend reads every series there.

- On a date chart the crosshair snaps to the nearest session of the longest
  visible series; each series is read at its last point on or before that
  session ("—" before it starts). On a category chart it snaps to a category.
- With no pointer over the plot, the legend reads the end of the data.
- The curve closest to the pointer (within ``HOVER_PIXELS``) is highlighted.

``CrosshairReadout`` is one part of ``ChartPanel`` (panel.py): it holds the
two crosshair lines and ``_crosshair_x`` (the snapped session, None when the
pointer is away) and reads the series held by ``SeriesItems`` (series.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt

HOVER_PIXELS = 10.0  # a curve this close to the pointer is highlighted
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MISSING = "—"


def day_text(x: float) -> str:
    """A session given as Unix seconds, e.g. "Tue 2025-04-08"."""
    ts = pd.Timestamp(int(round(x)), unit="s")
    return f"{WEEKDAYS[ts.weekday()]} {ts:%Y-%m-%d}"


def nearest_index(xs: np.ndarray, x: float) -> int:
    """The position in ascending, non-empty ``xs`` of the value nearest to ``x`` (the later on a tie)."""
    i = int(np.clip(np.searchsorted(xs, x), 0, len(xs) - 1))
    if i > 0 and abs(xs[i - 1] - x) < abs(xs[i] - x):
        i -= 1
    return i


def index_on_or_before(xs: np.ndarray, x: float) -> int:
    """The position in ascending ``xs`` of the last value on or before ``x`` (-1 when all are after it)."""
    return int(np.searchsorted(xs, x, side="right")) - 1


class CrosshairReadout:
    """The crosshair part of ``ChartPanel`` (see the module docstring for the state it holds)."""

    def _init_crosshair(self) -> None:
        """The two lines (hidden until the pointer is over the plot) and the rate-limited pointer feed."""
        self._crosshair_x: float | None = None
        self._vline = pg.InfiniteLine(angle=90, movable=False)
        self._hline = pg.InfiniteLine(angle=0, movable=False)
        for line in (self._vline, self._hline):
            line.setVisible(False)
            line.setZValue(50)
            self.plot_item.addItem(line, ignoreBounds=True)

    def _follow_pointer(self) -> None:
        self._mouse_proxy = pg.SignalProxy(self.view.scene().sigMouseMoved, rateLimit=60, slot=self._mouse_moved)

    def _style_crosshair(self, colour: str, width: float) -> None:
        self._vline.setPen(pg.mkPen(colour, width=width, style=Qt.PenStyle.DashLine))
        self._hline.setPen(pg.mkPen(colour, width=width, style=Qt.PenStyle.DotLine))

    def _hide_crosshair_lines(self) -> None:
        self._vline.setVisible(False)
        self._hline.setVisible(False)

    # ------------------------------------------------------------------ reading the series
    def reference_x(self) -> np.ndarray:
        """The x positions the crosshair snaps to (the longest visible series' sessions)."""
        if self.x_kind == "category":
            return np.arange(len(self._categories), dtype=np.float64)
        visible = [e.x for e in self._series.values() if e.visible and len(e.x)]
        return max(visible, key=len) if visible else np.array([])

    def values_at(self, x: float) -> dict[str, float | None]:
        """Each series' value at ``x``: the last point on or before it (None before the series starts)."""
        out: dict[str, float | None] = {}
        for name, e in self._series.items():
            if self.x_kind == "category":
                i = int(round(x))
                out[name] = float(e.y[i]) if 0 <= i < len(e.y) and np.isfinite(e.y[i]) else None
                continue
            i = index_on_or_before(e.x, x)
            out[name] = float(e.y[i]) if 0 <= i < len(e.y) else None
        return out

    def readout_at(self, x: float | None) -> tuple[str, dict[str, str]]:
        """The legend header and value texts for the crosshair at ``x`` (None: the end of the data)."""
        if not self._series:
            return "", {}
        ref = self.reference_x()
        if x is None:
            if self.x_kind == "category":
                x = float(len(self._categories) - 1)
                return self._categories[-1] if self._categories else "", self._texts(self.values_at(x))
            end = self.last_x()
            x = end if end is not None else 0.0
            return f"{pd.Timestamp(int(x), unit='s'):%Y-%m-%d} (end)", self._texts(self.values_at(x))
        if self.x_kind == "category":
            i = int(round(x))
            label = self._categories[i] if 0 <= i < len(self._categories) else ""
            return label, self._texts(self.values_at(float(i)))
        if len(ref):
            x = float(ref[nearest_index(ref, x)])
        return day_text(x), self._texts(self.values_at(x))

    def _texts(self, values: dict[str, float | None]) -> dict[str, str]:
        return {n: (MISSING if v is None else self.value_style.readout(v)) for n, v in values.items()}

    def _show_readout(self, x: float | None) -> None:
        header, texts = self.readout_at(x)
        self.legend.set_values(header, texts)

    # ------------------------------------------------------------------ the pointer
    def _mouse_moved(self, args) -> None:
        if self._exporting:
            return
        pos: QPointF = args[0]
        if not self._series or not self.vb.sceneBoundingRect().contains(pos):
            self._pointer_left()
            return
        point = self.vb.mapSceneToView(pos)
        self.move_crosshair(point.x(), point.y(), pos)

    def move_crosshair(self, x: float, y: float | None = None, scene_pos: QPointF | None = None) -> None:
        """Put the crosshair at view coordinates (tests call this directly)."""
        ref = self.reference_x()
        if self.x_kind == "category":
            snapped = float(np.clip(round(x), 0, max(len(self._categories) - 1, 0)))
        elif len(ref):
            snapped = float(ref[nearest_index(ref, x)])
        else:
            return
        self._crosshair_x = snapped
        self._vline.setPos(snapped)
        self._vline.setVisible(True)
        if y is not None:
            self._hline.setPos(y)
            self._hline.setVisible(True)
        self._show_readout(snapped)
        if scene_pos is not None:
            self._hover_nearest(snapped, scene_pos)

    def _hover_nearest(self, x: float, scene_pos: QPointF) -> None:
        best, best_d = None, HOVER_PIXELS
        log = self.log_scale()
        for name, value in self.values_at(x).items():
            e = self._series[name]
            if value is None or not e.visible or (log and value <= 0):
                continue
            vy = np.log10(value) if log else value
            sy = self.vb.mapViewToScene(QPointF(x, vy)).y()
            d = abs(sy - scene_pos.y())
            if d < best_d:
                best, best_d = name, d
        self.highlight(best)

    def _pointer_left(self) -> None:
        self._crosshair_x = None
        self._hide_crosshair_lines()
        self.highlight(None)
        self._show_readout(None)
