"""A chart panel's series: the plot items, their data updates in place, colours, pens and visibility.

- ``set_series`` updates existing curves with ``setData`` (clip-to-view and
  peak downsampling are the plot's settings), adds new ones and drops missing
  ones; a range change never rebuilds the chart.
- ``set_bars`` draws grouped bars on a category axis (one group per category).
- Colours come from the theme by role: "series" takes the next palette colour
  (dashed where the palette says so), "benchmark" the neutral colour, a little
  thicker, "reference" muted and dashed.
- A hidden series is remembered in the chart's prefs (``ChartPrefs.hidden``),
  so a recompute keeps the user's choice.

``SeriesItems`` is one part of ``ChartPanel`` (panel.py): it holds ``_series``
(name -> ``PlottedSeries``, in drawing order), ``_categories`` and the
highlight (``_highlighted`` by the pointer, ``_pinned_highlight`` by the
legend) and uses the panel's ``plot_item``, ``vb``, ``theme``, ``_prefs``,
``legend`` and ``_pen_scale``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from rotation_desk.ui.charts.curve import FastCurve

FADED = 0.35  # alpha of the series that are not highlighted (and of a hidden one's legend swatch)
DAY = 86400.0


@dataclass(frozen=True)
class SeriesStyle:
    """How one series is drawn. ``role``: "series" (palette colour), "benchmark"
    (neutral colour, a little thicker) or "reference" (muted, dashed: e.g. money invested)."""

    colour: str | None = None
    width: float = 1.6
    dashed: bool | None = None
    role: str = "series"


@dataclass
class PlottedSeries:
    """One series on the plot: its data (x = Unix seconds or category positions), item and resolved look."""

    name: str
    x: np.ndarray
    y: np.ndarray
    item: pg.GraphicsObject
    style: SeriesStyle
    colour: str = "#000000"
    dashed: bool = False
    visible: bool = True


def unix_seconds(index: pd.Index) -> np.ndarray:
    """Session dates as Unix seconds at 00:00 UTC (what ``DateAxisItem(utcOffset=0)`` expects)."""
    values = pd.DatetimeIndex(index).values.astype("datetime64[s]").astype(np.int64)
    return values.astype(np.float64)


class SeriesItems:
    """The series part of ``ChartPanel`` (see the module docstring for the state it holds)."""

    def _init_series(self) -> None:
        self._series: dict[str, PlottedSeries] = {}
        self._categories: list[str] = []
        self._highlighted: str | None = None
        self._pinned_highlight: str | None = None

    # ------------------------------------------------------------------ data
    def set_series(self, series: Mapping[str, pd.Series], styles: Mapping[str, SeriesStyle] | None = None) -> None:
        """Lines for date-indexed series (NaNs dropped per series). Existing curves are updated in place."""
        if self.x_kind != "date":
            raise ValueError("set_series needs a date chart; use set_bars on a category chart")
        styles = styles or {}
        self.show_plot()
        keep = set(series)
        for name in [n for n in self._series if n not in keep]:
            self.plot_item.removeItem(self._series.pop(name).item)
        for name, values in series.items():
            clean = values.dropna()
            x = unix_seconds(clean.index)
            y = clean.to_numpy(dtype=np.float64)
            style = styles.get(name, SeriesStyle())
            entry = self._series.get(name)
            if entry is None:
                item = FastCurve(
                    clipToView=True,
                    autoDownsample=True,
                    downsampleMethod="peak",
                    skipFiniteCheck=True,
                    antialias=True,
                    name=name,
                )
                self.plot_item.addItem(item)
                entry = PlottedSeries(name, x, y, item, style)
                self._series[name] = entry
            entry.x, entry.y, entry.style = x, y, style
            entry.item.setData(x, y)
        self._order_series(list(series))
        self._after_data_change()

    def set_bars(
        self,
        categories: Sequence[str],
        series: Mapping[str, Sequence[float]],
        styles: Mapping[str, SeriesStyle] | None = None,
    ) -> None:
        """Grouped bars: one group per category, one bar per series (NaN = no bar)."""
        if self.x_kind != "category":
            raise ValueError("set_bars needs x_kind='category'")
        styles = styles or {}
        self.show_plot()
        self._categories = list(categories)
        self.x_axis.set_categories(self._categories)
        self._remove_all_series()
        for name, values in series.items():
            y = np.asarray(values, dtype=np.float64)
            x = np.arange(len(y), dtype=np.float64)
            item = pg.BarGraphItem(x=x, height=np.zeros_like(y), width=0.1)
            self.plot_item.addItem(item)
            self._series[name] = PlottedSeries(name, x, y, item, styles.get(name, SeriesStyle()))
        self._order_series(list(series))
        self._after_data_change()

    def clear(self) -> None:
        self._remove_all_series()
        self.legend.set_entries([], [])

    def add_item(self, item, ignore_bounds: bool = False) -> None:
        """Add a tab's own graphics item (band, marker, image) to the plot."""
        self.plot_item.addItem(item, ignoreBounds=ignore_bounds)

    def remove_item(self, item) -> None:
        self.plot_item.removeItem(item)

    def _remove_all_series(self) -> None:
        for entry in self._series.values():
            self.plot_item.removeItem(entry.item)
        self._series.clear()

    def _order_series(self, order: list[str]) -> None:
        self._series = {name: self._series[name] for name in order}

    def _after_data_change(self) -> None:
        hidden = set(self._prefs.hidden)
        for entry in self._series.values():
            entry.visible = entry.name not in hidden
        self._restyle()
        self._update_limits()
        self._refresh_legend()
        self.reset_zoom()

    # ------------------------------------------------------------------ what is shown
    def series_names(self) -> list[str]:
        return list(self._series)

    def visible_series(self) -> list[str]:
        return [n for n, e in self._series.items() if e.visible]

    def series_data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The x (Unix seconds or category positions) and y arrays of one series."""
        e = self._series[name]
        return e.x, e.y

    def last_x(self) -> float | None:
        """The latest x of any series (the data's end date on a date chart), None without data."""
        ends = [float(e.x[-1]) for e in self._series.values() if len(e.x)]
        return max(ends) if ends else None

    def set_series_visible(self, name: str, visible: bool) -> None:
        entry = self._series.get(name)
        if entry is None or entry.visible == visible:
            return
        entry.visible = visible
        entry.item.setVisible(visible)
        hidden = set(self._prefs.hidden)
        hidden.discard(name) if visible else hidden.add(name)
        self._prefs.hidden = sorted(hidden)
        self.legend.set_visible(name, visible)
        self._layout_bars()
        self.vb.updateAutoRange()
        self.seriesToggled.emit(name, visible)

    def show_all_series(self) -> None:
        for name in list(self._series):
            self.set_series_visible(name, True)

    def highlight(self, name: str | None) -> None:
        """Emphasise one series (thicker, others faded); None clears."""
        if name != self._highlighted:
            self._highlighted = name
            self._apply_pens()

    def highlighted(self) -> str | None:
        return self._pinned_highlight or self._highlighted

    # ------------------------------------------------------------------ styling
    def _restyle(self) -> None:
        palette_index = 0
        for entry in self._series.values():
            style = entry.style
            if style.colour:
                colour = style.colour
            elif style.role == "benchmark":
                colour = self.theme.benchmark
            elif style.role == "reference":
                colour = self.theme.muted
            else:
                colour = self.theme.series_colour(palette_index)
            dashed = style.dashed
            if dashed is None:
                dashed = style.role == "reference" or (
                    style.role == "series" and not style.colour and self.theme.series_dashed(palette_index)
                )
            if style.role == "series" and not style.colour:
                palette_index += 1
            entry.colour, entry.dashed = colour, bool(dashed)
            entry.item.setVisible(entry.visible)
        self._apply_pens()
        self._layout_bars()

    def _apply_pens(self) -> None:
        focus = self._pinned_highlight or self._highlighted
        for entry in self._series.values():
            colour = QColor(entry.colour)
            width = entry.style.width + (0.6 if entry.style.role == "benchmark" else 0.0)
            if focus is not None and entry.name != focus:
                colour.setAlphaF(FADED)
            if focus == entry.name:
                width += 1.6
            width *= self._line_pen_scale  # export: grows slower than the image (ChartExport)
            if focus == entry.name:
                entry.item.setZValue(10)
            else:
                entry.item.setZValue(1 if entry.style.role == "benchmark" else 0)
            if isinstance(entry.item, pg.BarGraphItem):
                entry.item.setOpts(brush=pg.mkBrush(colour), pen=pg.mkPen(None))
            else:
                pen = pg.mkPen(colour, width=width)
                if entry.dashed:
                    pen.setStyle(Qt.PenStyle.DashLine)
                entry.item.setPen(pen)

    def _layout_bars(self) -> None:
        if self.x_kind != "category":
            return
        shown = [e for e in self._series.values() if e.visible]
        n = max(1, len(shown))
        group = 0.8
        width = group / n
        for k, entry in enumerate(shown):
            offset = -group / 2 + width * (k + 0.5)
            ok = np.isfinite(entry.y)
            entry.item.setOpts(x=entry.x[ok] + offset, height=entry.y[ok], width=width * 0.92)

    def _update_limits(self) -> None:
        if self.x_kind == "category":
            n = len(self._categories)
            self.vb.setLimits(xMin=-0.7, xMax=max(n - 0.3, 0.7))
            return
        xs = [e.x for e in self._series.values() if len(e.x)]
        if not xs:
            return
        lo = min(float(x[0]) for x in xs)
        hi = max(float(x[-1]) for x in xs)
        pad = max((hi - lo) * 0.01, DAY)
        self.vb.setLimits(xMin=lo - pad, xMax=hi + pad, minXRange=DAY * 5)
