"""The Relative Rotation Graph widget: a ChartPanel with a numeric x axis (RS-Ratio) and y axis (RS-Momentum).

    chart = RrgChart("sectors.rrg", theme=theme, settings=settings)
    chart.set_data(series, ["XLK", "XLF", ...])   # core.rrg.rrg_series output (long frame)
    chart.show_at(pd.Timestamp("2026-07-31"), tail=8)

- Both axes are centred on 100; the four quadrants (Leading, Weakening,
  Lagging, Improving) are tinted and labelled in the corners of the view
  (``rrg_backdrop``).
- Each ticker is one tail (its last ``tail`` points up to the shown date)
  ending in a marker with its label (``rrg_trails``). Moving to another date
  only calls ``setData``/``setPos`` on the items made by ``set_data``: nothing
  is rebuilt per frame, so the animation stays cheap. The tails' points and
  the markers of all tickers are two scatter items (one per ticker costs ~1 ms
  of paint each); each tail's line is its own curve.
- Labels are placed in pixel space beside their markers, covering no other
  (``rrg_labels``); they are re-placed when the view is resized (exports at
  another size) or zoomed.
- The points come from the series as computed by the core; the chart only
  selects the ones on or before the shown date (no computation of its own).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QGuiApplication

from rotation_desk.ui.charts.axes import number_style
from rotation_desk.ui.charts.panel import ChartPanel
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.tabs.sectors.compute import Points, split_points
from rotation_desk.ui.tabs.sectors.rrg_backdrop import CENTRE, Backdrop
from rotation_desk.ui.tabs.sectors.rrg_labels import HEAD_SIZE, LabelPlacer
from rotation_desk.ui.tabs.sectors.rrg_trails import Track, new_track, style_tracks

MIN_HALF_RANGE = 1.5  # chart units either side of 100, at least
# the axis titles, longest first: the longest that fits beside its axis is shown (never over the subtitle)
AXIS_TITLES = {
    "bottom": (
        "RS-Ratio  (relative trend: right of 100 = stronger than the benchmark)",
        "RS-Ratio  (right of 100 = stronger)",
        "RS-Ratio",
    ),
    "left": ("RS-Momentum  (above 100 = relative trend gaining)", "RS-Momentum  (above 100 = gaining)", "RS-Momentum"),
}
PAD = 1.18  # room around the outermost point


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
        self.axis_titles: dict[str, str] = {}  # the title each axis shows now
        self.tracks: dict[str, Track] = {}
        self.shown_date: pd.Timestamp | None = None
        self.tail = 8
        self._batch = False  # inside show_at: place labels once at the end
        self._half = (MIN_HALF_RANGE, MIN_HALF_RANGE)
        self.log_button.setVisible(False)
        self.reset_button.setToolTip("Fit the view to the tails shown (wheel zooms, drag pans)")
        self.plot_item.disableAutoRange()
        self.plot_item.setAutoVisible(y=False)
        self.vb.setMouseEnabled(x=True, y=True)
        self.plot_item.showGrid(x=True, y=True, alpha=0.18)

        self.backdrop = Backdrop(self.plot_item)
        self.tints, self.quadrant_labels = self.backdrop.tints, self.backdrop.quadrant_labels
        self.date_label = self.backdrop.date_label  # the shown date, large and faint at the top of the plot
        self.label_font = QFont(QGuiApplication.font())
        self.label_font.setBold(True)
        self.labels = LabelPlacer(self.vb)
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
                track = new_track(name, dates, x, y, self.label_font)
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
        x_range, y_range = self.vb.viewRange()
        self.backdrop.place(x_range, y_range)
        self.place_labels()
        if self._fitting_titles() != self.axis_titles:
            self._axis_titles()

    def place_labels(self) -> None:
        """Put each ticker label beside its marker where it covers no other marker or label; then the
        date where it covers none of them (or nowhere)."""
        self.labels.place([t for t in self.tracks.values() if t.visible])
        self.backdrop.place_date(self.vb, self.labels.taken)

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

    def _fitting_titles(self) -> dict[str, str]:
        """Per axis, the longest title no longer than the plot beside it."""
        rect = self.vb.sceneBoundingRect()
        room = {"bottom": rect.width(), "left": rect.height()}
        fm = QFontMetricsF(self.y_axis.label.font())
        out = {}
        for side, titles in AXIS_TITLES.items():
            fits = [t for t in titles if fm.horizontalAdvance(t) + 8 <= room[side]]
            out[side] = fits[0] if fits else titles[-1]
        return out

    def _axis_titles(self) -> None:
        muted = self.theme.muted
        self.axis_titles = self._fitting_titles()
        for side, title in self.axis_titles.items():
            self.plot_item.setLabel(side, title, color=muted)
            self.plot_item.getAxis(side).resizeEvent(None)  # pyqtgraph centres a new title only on a resize

    def _style_quadrants(self) -> None:
        self._axis_titles()
        self.backdrop.apply_theme(self.theme)

    def _style_tracks(self) -> None:
        self.heads.setPen(pg.mkPen(QColor(self.theme.base), width=1.5))
        style_tracks(list(self.tracks.values()), self.theme)
