"""The shared chart widget every tab uses (pyqtgraph).

    panel = ChartPanel("compare.growth", money_style(), theme=theme, settings=settings)
    panel.set_title("Growth of $10,000", "2021-06-14 – 2026-08-03 · common window")
    panel.set_source("Source: Yahoo Finance adjusted closes · snapshot as of 2026-08-03")
    panel.set_series({"VBR": series, "SPY": spy}, {"SPY": SeriesStyle(role="benchmark")})
    panel.export_png("growth.png", 1600, 900)

- x is a date axis (``pg.DateAxisItem(utcOffset=0)``, x = Unix seconds of each
  session date) or, with ``x_kind="category"``, category positions for grouped
  bars (``set_bars``), or, with ``x_kind="numeric"``, a plain number axis
  (labelled by ``x_style``) for scatter-like charts drawn with ``add_item``
  (e.g. the relative rotation graph).
- ``set_series`` updates existing curves with ``setData`` (clip-to-view and
  peak downsampling), adds new ones and drops missing ones; a range change
  never rebuilds the chart.
- The crosshair reads every visible series at the pointer's session into the
  legend; the legend sits beside the plot and toggles a series on click;
  hovering a curve or its legend row highlights it.
- Title, subtitle, legend and source line are part of the scene, so exports
  (PNG at any size or 2× for HiDPI, SVG, clipboard) carry them.
- Tabs can add their own items with ``add_item`` (bands, markers, heatmaps),
  and their own controls to ``toolbar``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QStackedLayout, QToolButton, QVBoxLayout, QWidget

from rotation_desk.ui.charts import export as chart_export
from rotation_desk.ui.charts.axes import CategoryAxis, ValueAxis, ValueStyle, number_style
from rotation_desk.ui.charts.legend import LegendEntry, SeriesLegend
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.state.settings import ChartPrefs, ExportPrefs, Settings

HOVER_PIXELS = 10.0  # a curve this close to the pointer is highlighted
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class SeriesStyle:
    """How one series is drawn. ``role``: "series" (palette colour), "benchmark"
    (neutral colour, a little thicker) or "reference" (muted, dashed: e.g. money invested)."""

    colour: str | None = None
    width: float = 1.6
    dashed: bool | None = None
    role: str = "series"


@dataclass
class _Series:
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


def _day_text(x: float) -> str:
    ts = pd.Timestamp(int(round(x)), unit="s")
    return f"{WEEKDAYS[ts.weekday()]} {ts:%Y-%m-%d}"


class _ViewBox(pg.ViewBox):
    """A ViewBox whose right-click opens the panel's own menu (never pyqtgraph's export dialog)."""

    def __init__(self):
        super().__init__()
        self.menu_callback = None

    def raiseContextMenu(self, ev):
        if self.menu_callback is not None:
            self.menu_callback(ev.screenPos().toPoint())


class _WrappingLabel(pg.LabelItem):
    """A LabelItem that wraps its text to the width it is given instead of demanding the
    width of the whole text (a long subtitle would otherwise widen the chart past its pane)."""

    def updateMin(self):
        width = self.geometry().width()
        self.item.setTextWidth(-1)
        if width > 40 and self.item.boundingRect().width() > width:
            self.item.setTextWidth(width)  # wrap only what does not fit (keeps right-justified text right)
        bounds = self.itemRect()
        self.setMinimumWidth(0)
        self.setMinimumHeight(bounds.height())
        self._sizeHint = {
            Qt.SizeHint.MinimumSize: (0, bounds.height()),
            Qt.SizeHint.PreferredSize: (min(bounds.width(), 400), bounds.height()),
            Qt.SizeHint.MaximumSize: (-1, -1),
            Qt.SizeHint.MinimumDescent: (0, 0),
        }
        self.updateGeometry()

    def resizeEvent(self, ev):
        natural = self.item.textWidth() < 0
        if (natural and self.item.boundingRect().width() > self.geometry().width()) or (
            not natural and self.item.textWidth() != self.geometry().width()
        ):
            self.updateMin()
        super().resizeEvent(ev)


class _ChartView(pg.GraphicsLayoutWidget):
    painted = Signal()
    left = Signal()

    def __init__(self):
        super().__init__()
        self.painted_once = False

    def paintEvent(self, ev):
        super().paintEvent(ev)
        if not self.painted_once:
            self.painted_once = True
            self.painted.emit()

    def leaveEvent(self, ev):
        super().leaveEvent(ev)
        self.left.emit()


class ChartPanel(QWidget):
    """A titled chart with date (or category) x axis, crosshair readout, toggling legend and export."""

    seriesToggled = Signal(str, bool)
    firstPainted = Signal()
    exported = Signal(str)  # a file path, or "clipboard"

    def __init__(
        self,
        chart_id: str,
        value_style: ValueStyle,
        *,
        x_kind: str = "date",
        theme: Theme = LIGHT,
        settings: Settings | None = None,
        parent: QWidget | None = None,
        x_style: ValueStyle | None = None,
    ):
        super().__init__(parent)
        if x_kind not in ("date", "category", "numeric"):
            raise ValueError("x_kind must be 'date', 'category' or 'numeric'")
        self.chart_id = chart_id
        self.value_style = value_style
        self.x_style = x_style or number_style()  # tick labels of a numeric x axis
        self.x_kind = x_kind
        self.theme = theme
        self.settings = settings
        self._prefs = settings.chart_prefs(chart_id) if settings is not None else ChartPrefs()
        self._series: dict[str, _Series] = {}
        self._categories: list[str] = []
        self._title = ""
        self._subtitle = ""
        self._source = ""
        self._highlighted: str | None = None
        self._pinned_highlight: str | None = None
        self._crosshair_x: float | None = None
        self._exporting = False
        self._pen_scale = 1.0  # > 1 while rendering a HiDPI export (cosmetic pens do not scale)
        self._build()
        self.apply_theme(theme)
        if self._prefs.log and value_style.log_allowed:
            self.set_log_scale(True)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)

        bar = QHBoxLayout()
        bar.setContentsMargins(4, 0, 4, 0)
        bar.setSpacing(6)
        self.toolbar = bar  # tabs may insert their own controls at the left
        bar.addStretch(1)
        self.log_button = QToolButton(text="Log scale", checkable=True)
        self.log_button.setToolTip("Logarithmic value axis: equal distances are equal percentage changes")
        self.log_button.toggled.connect(self.set_log_scale)
        self.log_button.setVisible(self.value_style.log_allowed)
        self.reset_button = QToolButton(text="Reset zoom")
        self.reset_button.setToolTip("Show the whole window again (wheel zooms, drag pans)")
        self.reset_button.clicked.connect(self.reset_zoom)
        self.export_button = QToolButton(text="Export")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_button.setMenu(self._export_menu(self))
        self.export_button.setToolTip("Save this chart as PNG or SVG, or copy it to the clipboard")
        for b in (self.log_button, self.reset_button, self.export_button):
            b.setAutoRaise(True)
            bar.addWidget(b)
        outer.addLayout(bar)

        self._stack = QStackedLayout()
        outer.addLayout(self._stack, 1)
        self.view = _ChartView()
        self.view.setToolTip("")
        self.view.painted.connect(self.firstPainted)
        self.view.left.connect(self._pointer_left)
        self.view.ci.setContentsMargins(10, 8, 14, 6)
        self.view.ci.setSpacing(4)
        self._stack.addWidget(self.view)
        self.message_label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.message_label.setMargin(40)
        self._stack.addWidget(self.message_label)

        ci = self.view.ci
        self._title_item = _WrappingLabel("", justify="left")
        self._subtitle_item = _WrappingLabel("", justify="left")
        self._footer_item = _WrappingLabel("", justify="right")
        ci.addItem(self._title_item, row=0, col=0, colspan=2)
        ci.addItem(self._subtitle_item, row=1, col=0, colspan=2)
        self.vb = _ViewBox()
        self.vb.menu_callback = self._show_context_menu
        self.y_axis = ValueAxis(self.value_style, "left")
        if self.x_kind == "date":
            bottom = pg.DateAxisItem(orientation="bottom", utcOffset=0)
        elif self.x_kind == "numeric":
            bottom = ValueAxis(self.x_style, "bottom")
        else:
            bottom = CategoryAxis()
        self.x_axis = bottom
        self.plot_item = pg.PlotItem(viewBox=self.vb, axisItems={"bottom": bottom, "left": self.y_axis})
        self.plot_item.hideButtons()
        # PlotItem.addItem imposes the plot's own clip/downsample settings on each curve,
        # so they are set here, not on the items.
        self.plot_item.setClipToView(True)
        self.plot_item.setDownsampling(auto=True, mode="peak")
        self.plot_item.setMenuEnabled(False, None)
        self.plot_item.showGrid(x=True, y=True, alpha=0.35)
        self.vb.setMouseEnabled(x=True, y=False)
        self.plot_item.setAutoVisible(y=True)
        self.plot_item.enableAutoRange(axis="y")
        ci.addItem(self.plot_item, row=2, col=0)
        self.legend = SeriesLegend()
        self.legend.toggled.connect(self._toggle_from_legend)
        self.legend.hovered.connect(self._legend_hover)
        ci.addItem(self.legend, row=2, col=1)
        ci.layout.setAlignment(self.legend, Qt.AlignmentFlag.AlignTop)
        ci.addItem(self._footer_item, row=3, col=0, colspan=2)
        ci.layout.setRowStretchFactor(2, 1)
        ci.layout.setColumnStretchFactor(0, 1)
        self.view.scene().contextMenu = []  # pyqtgraph's export dialog has a broken SVG exporter

        self._vline = pg.InfiniteLine(angle=90, movable=False)
        self._hline = pg.InfiniteLine(angle=0, movable=False)
        for line in (self._vline, self._hline):
            line.setVisible(False)
            line.setZValue(50)
            self.plot_item.addItem(line, ignoreBounds=True)
        self._baseline = None
        if self.value_style.baseline is not None:
            self._baseline = pg.InfiniteLine(pos=self.value_style.baseline, angle=0, movable=False)
            self._baseline.setZValue(-5)
            self.plot_item.addItem(self._baseline, ignoreBounds=True)
        self._mouse_proxy = pg.SignalProxy(self.view.scene().sigMouseMoved, rateLimit=60, slot=self._mouse_moved)

    # ------------------------------------------------------------------ text
    def set_title(self, title: str, subtitle: str = "") -> None:
        self._title, self._subtitle = title, subtitle
        self._render_texts()

    def set_source(self, text: str) -> None:
        self._source = text
        self._render_texts()

    def title(self) -> str:
        return self._title

    def subtitle(self) -> str:
        return self._subtitle

    def _render_texts(self) -> None:
        t = self.theme
        base = QGuiApplication.font().pointSizeF() or 10.0
        self._title_item.setText(self._title, color=t.text, size=f"{base * 1.35:.1f}pt", bold=True)
        self._subtitle_item.setText(self._subtitle, color=t.muted, size=f"{base * 0.95:.1f}pt")
        self._footer_item.setText(self._source, color=t.muted, size=f"{base * 0.8:.1f}pt")
        self._subtitle_item.setVisible(bool(self._subtitle))

    # ------------------------------------------------------------------ data
    def set_series(self, series: Mapping[str, pd.Series], styles: Mapping[str, SeriesStyle] | None = None) -> None:
        """Lines for date-indexed series (NaNs dropped per series). Existing curves are updated in place."""
        if self.x_kind != "date":
            raise ValueError("set_series needs a date chart; use set_bars on a category chart")
        styles = styles or {}
        self._stack.setCurrentWidget(self.view)
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
                item = pg.PlotDataItem(
                    clipToView=True,
                    autoDownsample=True,
                    downsampleMethod="peak",
                    skipFiniteCheck=True,
                    antialias=True,
                    name=name,
                )
                self.plot_item.addItem(item)
                entry = _Series(name, x, y, item, style)
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
        self._stack.setCurrentWidget(self.view)
        self._categories = list(categories)
        self.x_axis.set_categories(self._categories)
        for entry in self._series.values():
            self.plot_item.removeItem(entry.item)
        self._series.clear()
        for name, values in series.items():
            y = np.asarray(values, dtype=np.float64)
            x = np.arange(len(y), dtype=np.float64)
            item = pg.BarGraphItem(x=x, height=np.zeros_like(y), width=0.1)
            self.plot_item.addItem(item)
            self._series[name] = _Series(name, x, y, item, styles.get(name, SeriesStyle()))
        self._order_series(list(series))
        self._after_data_change()

    def show_message(self, text: str) -> None:
        """Replace the chart by a message (no data for this window, unknown ticker, …)."""
        self.clear()
        self.message_label.setText(text)
        self._stack.setCurrentWidget(self.message_label)

    def show_plot(self) -> None:
        """Bring the plot back after ``show_message``, for charts drawn only with ``add_item`` (e.g. a heatmap)."""
        self._stack.setCurrentWidget(self.view)

    def message(self) -> str | None:
        return self.message_label.text() if self._stack.currentWidget() is self.message_label else None

    def clear(self) -> None:
        for entry in self._series.values():
            self.plot_item.removeItem(entry.item)
        self._series.clear()
        self.legend.set_entries([], [])

    def add_item(self, item, ignore_bounds: bool = False) -> None:
        """Add a tab's own graphics item (band, marker, image) to the plot."""
        self.plot_item.addItem(item, ignoreBounds=ignore_bounds)

    def remove_item(self, item) -> None:
        self.plot_item.removeItem(item)

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
                colour.setAlphaF(0.35)
            if focus == entry.name:
                width += 1.6
            width *= self._pen_scale
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
        xs = [e.x for e in self._series.values() if len(e.x)]
        if self.x_kind == "category":
            n = len(self._categories)
            self.vb.setLimits(xMin=-0.7, xMax=max(n - 0.3, 0.7))
            return
        if not xs:
            return
        lo = min(float(x[0]) for x in xs)
        hi = max(float(x[-1]) for x in xs)
        pad = max((hi - lo) * 0.01, 86400.0)
        self.vb.setLimits(xMin=lo - pad, xMax=hi + pad, minXRange=86400.0 * 5)

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.view.setBackground(theme.base)
        font = QFont(QGuiApplication.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() * 0.9))
        for axis in (self.x_axis, self.y_axis):
            axis.setTextPen(pg.mkPen(theme.muted))
            axis.setStyle(tickFont=font, tickTextOffset=6)
        self._apply_line_pens()
        self.legend.set_colours(theme.text, theme.muted)
        self.message_label.setStyleSheet(f"color: {theme.muted}; font-size: 12pt;")
        self._render_texts()
        self._restyle()
        self._refresh_legend()

    def _apply_line_pens(self) -> None:
        theme, k = self.theme, self._pen_scale
        for axis in (self.x_axis, self.y_axis):
            axis.setPen(pg.mkPen(theme.grid, width=k))
        self._vline.setPen(pg.mkPen(theme.crosshair, width=k, style=Qt.PenStyle.DashLine))
        self._hline.setPen(pg.mkPen(theme.crosshair, width=k, style=Qt.PenStyle.DotLine))
        if self._baseline is not None:
            self._baseline.setPen(pg.mkPen(theme.muted, width=1.2 * k))

    # ------------------------------------------------------------------ log scale and zoom
    def set_log_scale(self, on: bool) -> None:
        on = bool(on) and self.value_style.log_allowed
        if self.log_button.isChecked() != on:
            self.log_button.setChecked(on)  # re-enters through toggled
            return
        self.plot_item.setLogMode(x=False, y=on)
        self._prefs.log = on
        self.reset_zoom()

    def log_scale(self) -> bool:
        return self.log_button.isChecked()

    def reset_zoom(self) -> None:
        if self._series:
            self.plot_item.enableAutoRange(axis="x")
            self.plot_item.enableAutoRange(axis="y")
            self.vb.updateAutoRange()

    # ------------------------------------------------------------------ visibility
    def series_names(self) -> list[str]:
        return list(self._series)

    def visible_series(self) -> list[str]:
        return [n for n, e in self._series.items() if e.visible]

    def series_data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The x (Unix seconds or category positions) and y arrays of one series."""
        e = self._series[name]
        return e.x, e.y

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

    def _toggle_from_legend(self, name: str) -> None:
        entry = self._series.get(name)
        if entry is not None:
            self.set_series_visible(name, not entry.visible)

    def show_all_series(self) -> None:
        for name in list(self._series):
            self.set_series_visible(name, True)

    # ------------------------------------------------------------------ legend and readout
    def _refresh_legend(self) -> None:
        bar = self.x_kind == "category"
        entries = [LegendEntry(e.name, e.colour, e.dashed, bar, e.visible) for e in self._series.values()]
        samples = []
        for e in self._series.values():
            finite = e.y[np.isfinite(e.y)]
            if len(finite):
                samples += [
                    self.value_style.readout(float(finite.min())),
                    self.value_style.readout(float(finite.max())),
                ]
        self.legend.set_entries(entries, samples)
        self._show_readout(None)

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
            i = int(np.searchsorted(e.x, x, side="right")) - 1
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
            x = (
                max(float(e.x[-1]) for e in self._series.values() if len(e.x))
                if any(len(e.x) for e in self._series.values())
                else 0.0
            )
            return f"{pd.Timestamp(int(x), unit='s'):%Y-%m-%d} (end)", self._texts(self.values_at(x))
        if self.x_kind == "category":
            i = int(round(x))
            label = self._categories[i] if 0 <= i < len(self._categories) else ""
            return label, self._texts(self.values_at(float(i)))
        if len(ref):
            i = int(np.clip(np.searchsorted(ref, x), 0, len(ref) - 1))
            if i > 0 and abs(ref[i - 1] - x) < abs(ref[i] - x):
                i -= 1
            x = float(ref[i])
        return _day_text(x), self._texts(self.values_at(x))

    def _texts(self, values: dict[str, float | None]) -> dict[str, str]:
        return {n: ("—" if v is None else self.value_style.readout(v)) for n, v in values.items()}

    def _show_readout(self, x: float | None) -> None:
        header, texts = self.readout_at(x)
        self.legend.set_values(header, texts)

    # ------------------------------------------------------------------ pointer
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
            i = int(np.clip(np.searchsorted(ref, x), 0, len(ref) - 1))
            if i > 0 and abs(ref[i - 1] - x) < abs(ref[i] - x):
                i -= 1
            snapped = float(ref[i])
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
        self._vline.setVisible(False)
        self._hline.setVisible(False)
        self.highlight(None)
        self._show_readout(None)

    def _legend_hover(self, name) -> None:
        self._pinned_highlight = name
        self._apply_pens()

    def highlight(self, name: str | None) -> None:
        """Emphasise one series (thicker, others faded); None clears."""
        if name != self._highlighted:
            self._highlighted = name
            self._apply_pens()

    def highlighted(self) -> str | None:
        return self._pinned_highlight or self._highlighted

    # ------------------------------------------------------------------ context menu
    def _export_menu(self, parent) -> QMenu:
        menu = QMenu(parent)
        menu.addAction("Save as PNG…", lambda: self.open_export_dialog("png"))
        menu.addAction("Save as SVG…", lambda: self.open_export_dialog("svg"))
        menu.addAction("Copy image", self.copy_image)
        return menu

    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction("Reset zoom", self.reset_zoom)
        if self.value_style.log_allowed:
            act = menu.addAction("Log scale", lambda: self.set_log_scale(not self.log_scale()))
            act.setCheckable(True)
            act.setChecked(self.log_scale())
        if any(not e.visible for e in self._series.values()):
            menu.addAction("Show all series", self.show_all_series)
        menu.addSeparator()
        menu.addAction("Save as PNG…", lambda: self.open_export_dialog("png"))
        menu.addAction("Save as SVG…", lambda: self.open_export_dialog("svg"))
        menu.addAction("Copy image", self.copy_image)
        return menu

    def _show_context_menu(self, screen_pos) -> None:
        menu = self.context_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(screen_pos)

    # ------------------------------------------------------------------ export
    @contextmanager
    def _export_layout(self, width: float, height: float, scale: float = 1.0):
        """Lay the scene out at ``width``×``height`` for one render (pens × ``scale``), then put it back."""
        ci = self.view.ci
        old = QRectF(ci.geometry())
        crosshair = self._crosshair_x
        self._exporting = True
        self._vline.setVisible(False)
        self._hline.setVisible(False)
        saved_focus = (self._highlighted, self._pinned_highlight)
        self._highlighted = self._pinned_highlight = None
        self._pen_scale = scale
        self._apply_pens()
        self._apply_line_pens()
        self._show_readout(None)
        ci.setGeometry(QRectF(0, 0, width, height))
        ci.layout.activate()
        self._settle_scene()
        try:
            yield QRectF(0, 0, width, height)
        finally:
            ci.setGeometry(old)
            ci.layout.activate()
            self._settle_scene(warm_up=False)  # the screen repaints normally
            self._highlighted, self._pinned_highlight = saved_focus
            self._pen_scale = 1.0
            self._apply_pens()
            self._apply_line_pens()
            self._exporting = False
            if crosshair is not None:
                self.move_crosshair(crosshair)

    def _settle_scene(self, warm_up: bool = True) -> None:
        """Apply pending auto-range and re-draw the axes for the current geometry before a render.

        pyqtgraph updates the auto-range lazily, at paint time; rendering right
        after a resize would draw the axes' tick labels for the old range.
        """
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        scene = self.view.scene()
        scene.prepareForPaint()
        for axis in (self.x_axis, self.y_axis):
            axis.picture = None
            axis.update()
        if not warm_up:
            return
        # A throwaway render of the axes (data items hidden: curves need no warm-up) makes
        # them compute their paint-time state (text sizes, tick layout) for this geometry;
        # the real render then matches.
        hidden = [e.item for e in self._series.values() if e.item.isVisible()]
        for item in hidden:
            item.setVisible(False)
        scratch = QImage(8, 8, QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(scratch)
        try:
            for axis in (self.x_axis, self.y_axis):
                scene.render(painter, QRectF(0, 0, 8, 8), axis.sceneBoundingRect())
        finally:
            painter.end()
            for item in hidden:
                item.setVisible(True)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        scene.prepareForPaint()

    def render_image(self, width: int, height: int, scale: float = 1.0) -> QImage:
        """The chart laid out at ``width``×``height`` logical pixels, rendered at ``scale`` (2 for HiDPI)."""
        with self._export_layout(width, height, scale) as rect:
            return chart_export.render_to_image(self.view.scene(), rect, scale, self.theme.base)

    def export_png(self, path, width: int, height: int, scale: float = 1.0) -> Path:
        """Write a PNG of ``width*scale`` × ``height*scale`` pixels."""
        image = self.render_image(width, height, scale)
        return chart_export.save_png(image, Path(path))

    def export_svg(self, path, width: int, height: int) -> Path:
        with self._export_layout(width, height) as rect:
            return chart_export.write_svg(
                self.view.scene(), rect, Path(path), self._title or self.chart_id, self.theme.base
            )

    def copy_image(self, width: int | None = None, height: int | None = None) -> QImage:
        size = self.view.size()
        w = width or max(size.width(), 800)
        h = height or max(size.height(), 450)
        scale = self.devicePixelRatioF() or 1.0
        image = self.render_image(w, h, scale)
        QGuiApplication.clipboard().setImage(image)
        self.exported.emit("clipboard")
        return image

    def default_file_name(self, fmt: str) -> str:
        stem = self.chart_id.replace(".", "-")
        ends = [e.x[-1] for e in self._series.values() if len(e.x)] if self.x_kind == "date" else []
        if ends:
            stem += f"-{pd.Timestamp(int(max(ends)), unit='s'):%Y-%m-%d}"
        return f"{stem}.{fmt}"

    def export_prefs(self) -> ExportPrefs:
        return self.settings.export if self.settings is not None else ExportPrefs()

    def open_export_dialog(self, fmt: str = "png") -> None:
        from rotation_desk.ui.charts.export_dialog import ExportDialog

        dialog = ExportDialog(self, fmt)
        dialog.open()
