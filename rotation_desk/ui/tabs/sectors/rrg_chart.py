"""The Relative Rotation Graph widget: a ChartPanel with a numeric x axis (RS-Ratio) and y axis (RS-Momentum).

    chart = RrgChart("sectors.rrg", theme=theme, settings=settings)
    chart.set_data(series, ["XLK", "XLF", ...])   # core.rrg.rrg_series output (long frame)
    chart.show_at(pd.Timestamp("2026-07-31"), tail=8)

- Both axes are centred on 100; the four quadrants (Leading, Weakening,
  Lagging, Improving) are tinted and labelled in the corners of the view.
- Each ticker is one tail (its last ``tail`` points up to the shown date)
  ending in a marker with its label. Moving to another date only calls
  ``setData``/``setPos`` on the items made by ``set_data``: nothing is rebuilt
  per frame, so the animation stays cheap. The tails' points and the markers
  of all tickers are two scatter items (one per ticker costs ~1 ms of paint
  each); each tail's line is its own curve.
- Labels are placed in pixel space: first choice is ahead of the marker in the
  direction of its last move (away from its own tail), then the other seven
  directions, avoiding markers and labels already placed. They are re-placed
  when the view is resized (exports at another size) or zoomed.
- The points come from the series as computed by the core; the chart only
  selects the ones on or before the shown date (no computation of its own).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QGuiApplication, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from rotation_desk.ui.charts.axes import number_style
from rotation_desk.ui.charts.panel import ChartPanel
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.tabs.sectors.compute import Points, split_points

CENTRE = 100.0
MIN_HALF_RANGE = 1.5  # chart units either side of 100, at least
PAD = 1.18  # room around the outermost point
FAR = 1.0e4  # the quadrant tints reach this far from 100 (clipped by the view)
SYMBOLS = ("o", "s", "t", "d", "h")  # marker shape per round of the 8-colour palette
GAP = 3.0  # pixels between a marker's edge and its label
HEAD_SIZE = 11.0
# unit directions in pixel space (x right, y down), east first
DIRECTIONS = ((1, 0), (1, -1), (0, -1), (-1, -1), (-1, 0), (-1, 1), (0, 1), (1, 1))

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


@dataclass
class Track:
    """One ticker's items and points (dates as int64 nanoseconds, ascending)."""

    name: str
    dates: np.ndarray
    x: np.ndarray
    y: np.ndarray
    curve: pg.PlotCurveItem  # the tail's line
    label: pg.TextItem
    colour: str = "#000000"
    brush: object = None
    dashed: bool = False
    symbol: str = "o"
    shown: slice = field(default_factory=lambda: slice(0, 0))  # points on screen

    def items(self) -> tuple:
        return (self.curve, self.label)

    @property
    def visible(self) -> bool:
        return self.shown.stop > self.shown.start


class RrgChart(ChartPanel):
    """A relative rotation graph; ``show_at`` moves every tail to a date by updating items in place."""

    def __init__(self, chart_id: str, *, theme: Theme = LIGHT, settings: Settings | None = None, parent=None):
        self._ready = False
        super().__init__(
            chart_id,
            number_style(1, baseline=CENTRE),
            x_kind="numeric",
            x_style=number_style(1),
            theme=theme,
            settings=settings,
            parent=parent,
        )
        self.tracks: dict[str, Track] = {}
        self.shown_date: pd.Timestamp | None = None
        self.tail = 8
        self._batch = False  # inside show_at: place labels once at the end
        self._label_sizes: dict[str, tuple[float, float]] = {}
        self._half = (MIN_HALF_RANGE, MIN_HALF_RANGE)
        self.log_button.setVisible(False)
        self.reset_button.setToolTip("Fit the view to the tails shown (wheel zooms, drag pans)")
        self.plot_item.disableAutoRange()
        self.plot_item.setAutoVisible(y=False)
        self.vb.setMouseEnabled(x=True, y=True)
        self.plot_item.showGrid(x=True, y=True, alpha=0.18)

        self.vline = pg.InfiniteLine(pos=CENTRE, angle=90, movable=False)
        self.vline.setZValue(-5)
        self.plot_item.addItem(self.vline, ignoreBounds=True)
        self.tints: dict[str, QGraphicsRectItem] = {}
        self.quadrant_labels: dict[str, pg.TextItem] = {}
        for name, (sx, sy) in QUADRANT_CORNERS.items():
            rect = QGraphicsRectItem(QRectF(min(CENTRE, CENTRE + sx * FAR), min(CENTRE, CENTRE + sy * FAR), FAR, FAR))
            rect.setPen(QPen(Qt.PenStyle.NoPen))
            rect.setZValue(-20)
            self.plot_item.addItem(rect, ignoreBounds=True)
            self.tints[name] = rect
            label = pg.TextItem(name, anchor=((1 + sx) / 2, (1 - sy) / 2))  # inside the view's corner
            label.setZValue(-10)
            self.plot_item.addItem(label, ignoreBounds=True)
            self.quadrant_labels[name] = label
        self.label_font = QFont(QGuiApplication.font())
        self.label_font.setBold(True)
        self.quadrant_font = QFont(QGuiApplication.font())
        self.quadrant_font.setPointSizeF(self.quadrant_font.pointSizeF() * 1.25)
        self.quadrant_font.setBold(True)
        for label in self.quadrant_labels.values():
            label.setFont(self.quadrant_font)
        # the shown date, large and faint at the top of the plot (it changes every animation frame)
        self.date_label = pg.TextItem("", anchor=(0.5, 0))
        self.date_label.setZValue(-9)
        date_font = QFont(QGuiApplication.font())
        date_font.setPointSizeF(date_font.pointSizeF() * 1.6)
        date_font.setBold(True)
        self.date_label.setFont(date_font)
        self.plot_item.addItem(self.date_label, ignoreBounds=True)
        # every tail's points (growing toward the marker) and every marker: one scatter item each
        self.dots = pg.ScatterPlotItem(pen=None)
        self.dots.setZValue(6)
        self.heads = pg.ScatterPlotItem(size=HEAD_SIZE, hoverable=True, tip=self._tip)
        self.heads.setZValue(20)
        for item in (self.dots, self.heads):
            self.plot_item.addItem(item, ignoreBounds=True)
        self.vb.sigRangeChanged.connect(self._view_changed)
        self.vb.sigResized.connect(self._view_changed)
        self._ready = True
        self.apply_theme(theme)
        self.set_range(MIN_HALF_RANGE, MIN_HALF_RANGE)

    # ------------------------------------------------------------------ data
    def set_data(self, series: pd.DataFrame, tickers: list[str]) -> None:
        """The points of each ticker (``rrg_series`` output). Items of tickers kept are reused."""
        self.set_points(split_points(series, tickers))

    def set_points(self, points: Points) -> None:
        """Per ticker (in order): dates (int64 ns, ascending), RS-Ratio and RS-Momentum arrays."""
        self.show_plot()
        for name in [n for n in self.tracks if n not in points]:
            track = self.tracks.pop(name)
            for item in track.items():
                self.plot_item.removeItem(item)
        for name, (dates, x, y) in points.items():
            track = self.tracks.get(name)
            if track is None:
                curve = pg.PlotCurveItem(antialias=True, skipFiniteCheck=True)
                curve.setZValue(5)
                label = pg.TextItem(name, anchor=(0, 0.5))
                label.setZValue(30)
                label.setFont(self.label_font)
                track = Track(name, dates, x, y, curve, label)
                for item in track.items():
                    self.plot_item.addItem(item, ignoreBounds=True)
                self.tracks[name] = track
            track.dates, track.x, track.y = dates, x, y
        self.tracks = {n: self.tracks[n] for n in points}
        self._style_tracks()

    def _tip(self, x, y, data) -> str:
        """Hover text of a marker (``data`` is its ticker)."""
        when = f"{self.shown_date:%Y-%m-%d}" if self.shown_date is not None else ""
        return f"{data}  {when}\nRS-Ratio {x:.2f}\nRS-Momentum {y:.2f}"

    def show_at(self, when, tail: int | None = None, expand_only: bool = False) -> None:
        """Each ticker's last ``tail`` points on or before ``when``; tickers with none are hidden.

        ``expand_only`` (while playing or dragging): the view grows to keep the
        points in sight but never shrinks, so it does not jitter; otherwise it
        is fitted to the tails shown.
        """
        if tail is not None:
            self.tail = max(1, int(tail))
        when = pd.Timestamp(when)
        self.shown_date = when
        self.date_label.setText(f"{when:%Y-%m-%d}")
        cut = np.int64(when.value)
        dot_x, dot_y, dot_size, dot_brush = [], [], [], []
        head_x, head_y, head_brush, head_symbol, head_name = [], [], [], [], []
        for track in self.tracks.values():
            end = int(np.searchsorted(track.dates, cut, side="right"))
            start = max(0, end - self.tail)
            track.shown = slice(start, end)
            if end == 0:
                track.curve.setData([], [])
                track.label.setVisible(False)
                continue
            xs, ys = track.x[start:end], track.y[start:end]
            n = len(xs)
            track.curve.setData(xs, ys)
            dot_x.append(xs)
            dot_y.append(ys)
            dot_size.append(np.linspace(3.0, 6.0, n) if n > 1 else np.array([6.0]))
            dot_brush += [track.brush] * n
            head_x.append(xs[-1])
            head_y.append(ys[-1])
            head_brush.append(track.brush)
            head_symbol.append(track.symbol)
            head_name.append(track.name)
            track.label.setVisible(True)
            track.label.setPos(xs[-1], ys[-1])
        if dot_x:
            self.dots.setData(
                x=np.concatenate(dot_x), y=np.concatenate(dot_y), size=np.concatenate(dot_size), brush=dot_brush
            )
        else:
            self.dots.setData(x=[], y=[])
        self.heads.setData(x=head_x, y=head_y, brush=head_brush, symbol=head_symbol, data=head_name)
        hx, hy = self._needed_half()
        self._batch = True
        try:
            if expand_only:
                cx, cy = self._half
                if hx > cx or hy > cy:
                    self.set_range(max(hx, cx), max(hy, cy))
            else:
                self.set_range(hx, hy)
        finally:
            self._batch = False
        self._view_changed()

    def _needed_half(self) -> tuple[float, float]:
        xs = [np.abs(t.x[t.shown] - CENTRE).max() for t in self.tracks.values() if t.visible]
        ys = [np.abs(t.y[t.shown] - CENTRE).max() for t in self.tracks.values() if t.visible]
        hx = max(xs, default=0.0) * PAD
        hy = max(ys, default=0.0) * PAD
        return max(hx, MIN_HALF_RANGE), max(hy, MIN_HALF_RANGE)

    def set_range(self, half_x: float, half_y: float) -> None:
        """Show 100 ± half_x by 100 ± half_y."""
        self._half = (half_x, half_y)
        self.vb.setRange(
            xRange=(CENTRE - half_x, CENTRE + half_x), yRange=(CENTRE - half_y, CENTRE + half_y), padding=0
        )
        if not self._batch:
            self._view_changed()

    def reset_zoom(self) -> None:
        if getattr(self, "_ready", False):
            hx, hy = self._needed_half()
            self.set_range(hx, hy)

    # ------------------------------------------------------------------ reading back (tests, readout)
    def marker_positions(self) -> dict[str, tuple[float, float]]:
        """Where each visible ticker's marker is drawn (chart units)."""
        xs, ys = self.heads.getData()
        names = self.heads.data["data"]
        return {str(n): (float(x), float(y)) for n, x, y in zip(names, xs, ys)}

    def tail_points(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        xs, ys = self.tracks[name].curve.getData()
        return np.asarray(xs), np.asarray(ys)

    def visible_tickers(self) -> list[str]:
        return [n for n, t in self.tracks.items() if t.visible]

    # ------------------------------------------------------------------ labels
    def _view_changed(self, *args) -> None:
        if not getattr(self, "_ready", False) or self._batch:
            return
        (x0, x1), (y0, y1) = self.vb.viewRange()
        for name, (sx, sy) in QUADRANT_CORNERS.items():
            self.quadrant_labels[name].setPos(x1 if sx > 0 else x0, y1 if sy > 0 else y0)
        self.date_label.setPos((x0 + x1) / 2, y1)
        self.place_labels()

    def place_labels(self) -> None:
        """Put each ticker label beside its marker where it covers no other marker or label."""
        visible = [t for t in self.tracks.values() if t.visible]
        if not visible:
            return
        view = self.vb.sceneBoundingRect()
        if view.width() < 10 or view.height() < 10:
            return
        px_w, px_h = self.vb.viewPixelSize()
        if not (px_w > 0 and px_h > 0):
            return
        margin = 4.0  # QGraphicsTextItem's document margin around the text
        heads = {t.name: self.vb.mapViewToScene(QPointF(t.x[t.shown][-1], t.y[t.shown][-1])) for t in visible}
        r = HEAD_SIZE / 2 + 1
        obstacles = {n: QRectF(p.x() - r, p.y() - r, 2 * r, 2 * r) for n, p in heads.items()}
        placed: list[QRectF] = []
        for t in visible:
            p = heads[t.name]
            w, h = self._label_size(t.name, margin)
            best = None
            for d in self._direction_order(t):
                rect = _label_rect(p, d, w, h, r + GAP - margin)
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
            off = r + GAP - margin
            norm = (dx * dx + dy * dy) ** 0.5
            ox, oy = dx / norm * off, dy / norm * off
            t.label.setAnchor(((1 - dx) / 2, (1 - dy) / 2))
            t.label.setPos(t.x[t.shown][-1] + ox * px_w, t.y[t.shown][-1] - oy * px_h)

    def _label_size(self, name: str, margin: float) -> tuple[float, float]:
        """The label's real size in pixels: its text item's bounds (document margin included),
        which can differ from plain font metrics by a pixel or two of line spacing."""
        size = self._label_sizes.get(name)
        if size is None:
            track = self.tracks.get(name)
            if track is not None:
                br = track.label.textItem.boundingRect()
                size = (br.width(), br.height())
            else:
                fm = QFontMetricsF(self.label_font)
                size = (fm.horizontalAdvance(name) + 2 * margin, fm.height() + 2 * margin)
            self._label_sizes[name] = size
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

    def label_rects(self) -> dict[str, QRectF]:
        """Each visible label's rectangle in scene pixels (tests check they do not collide)."""
        return {t.name: t.label.sceneBoundingRect() for t in self.tracks.values() if t.visible}

    # ------------------------------------------------------------------ theme
    def apply_theme(self, theme: Theme) -> None:
        super().apply_theme(theme)
        if getattr(self, "_ready", False):
            self._style_quadrants()
            self._style_tracks()
            if self.shown_date is not None:
                self.show_at(self.shown_date, expand_only=True)  # the markers take the new colours

    def _apply_line_pens(self) -> None:
        # pyqtgraph's AxisItem.setPen also recolours the axis title (to the grid colour): put it back
        super()._apply_line_pens()
        if getattr(self, "_ready", False):
            self._axis_titles()

    def _axis_titles(self) -> None:
        muted = self.theme.muted
        self.plot_item.setLabel(
            "bottom", "RS-Ratio  (relative trend: right of 100 = stronger than the benchmark)", color=muted
        )
        self.plot_item.setLabel("left", "RS-Momentum  (above 100 = relative trend gaining)", color=muted)

    def _style_quadrants(self) -> None:
        key = "dark" if self.theme.dark else "light"
        self._axis_titles()
        for name, rect in self.tints.items():
            fill, text = QUADRANT_COLOURS[key][name]
            colour = QColor(fill)
            colour.setAlphaF(TINT_ALPHA[key])
            rect.setBrush(QBrush(colour))
            self.quadrant_labels[name].setColor(QColor(text))
        self.vline.setPen(pg.mkPen(self.theme.muted, width=1.2))
        faint = QColor(self.theme.muted)
        faint.setAlphaF(0.55)
        self.date_label.setColor(faint)

    def _style_tracks(self) -> None:
        base = QColor(self.theme.base)
        self.heads.setPen(pg.mkPen(base, width=1.5))
        fill = QColor(self.theme.base)
        fill.setAlphaF(0.72)
        for i, track in enumerate(self.tracks.values()):
            track.colour = self.theme.series_colour(i)
            track.dashed = self.theme.series_dashed(i)
            track.symbol = SYMBOLS[(i // len(self.theme.series)) % len(SYMBOLS)]
            colour = QColor(track.colour)
            pen = pg.mkPen(colour, width=1.8)
            if track.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            track.curve.setPen(pen)
            track.brush = pg.mkBrush(colour)
            track.label.setColor(QColor(self.theme.text))
            track.label.fill = pg.mkBrush(fill)
            track.label.border = pg.mkPen(colour, width=1.2)
            track.label.update()


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
