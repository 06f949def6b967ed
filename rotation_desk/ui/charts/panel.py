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
- Tabs can add their own items with ``add_item`` (bands, markers, heatmaps),
  and their own controls to ``toolbar``.

This module builds the widget (toolbar, scene layout, axes), applies the theme
and holds the log scale, zoom and context menu. Its parts live beside it, one
module each: series.py (the curves or bars and their in-place updates,
colours, visibility, highlight), readout.py (the crosshair and the values it
reads into the legend), legend.py (the legend and its wiring), header.py
(title, subtitle, source line: part of the scene, so exports carry them),
message.py (a message in place of the plot) and export.py (PNG at any size or
2× for HiDPI, SVG, clipboard).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QGraphicsView, QHBoxLayout, QMenu, QToolButton, QVBoxLayout, QWidget

from rotation_desk.ui.charts.axes import CategoryAxis, ValueAxis, ValueStyle, number_style
from rotation_desk.ui.charts.export import ChartExport
from rotation_desk.ui.charts.header import ChartHeader
from rotation_desk.ui.charts.legend import PanelLegend, SeriesLegend
from rotation_desk.ui.charts.message import MessageOverlay
from rotation_desk.ui.charts.plot import Plot
from rotation_desk.ui.charts.readout import HOVER_PIXELS, WEEKDAYS, CrosshairReadout
from rotation_desk.ui.charts.series import SeriesItems, SeriesStyle, unix_seconds
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.state.settings import ChartPrefs, Settings

__all__ = ["HOVER_PIXELS", "MIN_PLOT_HEIGHT", "WEEKDAYS", "ChartPanel", "SeriesStyle", "unix_seconds"]

MIN_PLOT_HEIGHT = 120  # pixels of data area a chart never goes below (its minimum size says so)


class _ViewBox(pg.ViewBox):
    """A ViewBox whose right-click opens the panel's own menu (never pyqtgraph's export dialog). It is
    made without pyqtgraph's own view menu, which is never shown: that menu is some 30 widgets a plot
    (about a third of a chart's build time, and of the memory its widgets take)."""

    def __init__(self):
        super().__init__(enableMenu=False)
        self.menu_callback = None

    def mouseClickEvent(self, ev):
        if ev.button() == Qt.MouseButton.RightButton and self.menu_callback is not None:
            ev.accept()
            self.menu_callback(ev.screenPos().toPoint())


class _ChartView(pg.GraphicsLayoutWidget):
    painted = Signal()
    left = Signal()

    def __init__(self):
        super().__init__()
        # pyqtgraph caches the background in a pixmap the size of the view; it is one flat colour, so the
        # cache saved nothing but cost ~1.5 MB a chart (30 MB once every page had been shown)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        self.painted_once = False

    def paintEvent(self, ev):
        super().paintEvent(ev)
        if not self.painted_once:
            self.painted_once = True
            self.painted.emit()

    def leaveEvent(self, ev):
        super().leaveEvent(ev)
        self.left.emit()


class ChartPanel(SeriesItems, CrosshairReadout, PanelLegend, ChartHeader, MessageOverlay, ChartExport, QWidget):
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
        self._init_series()
        self._init_export()
        self._min_height = 0
        self._build()
        self.apply_theme(theme)
        if self._prefs.log and value_style.log_allowed:
            self.set_log_scale(True)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        outer.addLayout(self._build_toolbar())

        self.view = _ChartView()
        self.view.setToolTip("")
        self.view.painted.connect(self.firstPainted)
        self.view.left.connect(self._pointer_left)
        self.view.ci.setContentsMargins(10, 6, 14, 4)
        self.view.ci.setSpacing(3)
        self._init_overlay(outer, self.view)

        ci = self.view.ci
        self._init_header()
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
        self.plot_item = Plot(viewBox=self.vb, axisItems={"bottom": bottom, "left": self.y_axis})
        # Plot.addItem imposes the plot's own clip/downsample settings on each curve,
        # so they are set here, not on the items.
        self.plot_item.setClipToView(True)
        self.plot_item.setDownsampling(auto=True, mode="peak")
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

        self.vb.sigResized.connect(self._plots_resized)
        self._init_crosshair()
        self._baseline = None
        if self.value_style.baseline is not None:
            self._baseline = pg.InfiniteLine(pos=self.value_style.baseline, angle=0, movable=False)
            self._baseline.setZValue(-5)
            self.plot_item.addItem(self._baseline, ignoreBounds=True)
        self._follow_pointer()

    def _build_toolbar(self) -> QHBoxLayout:
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
        self.export_button.setMenu(self.add_export_actions(QMenu(self)))
        self.export_button.setToolTip("Save this chart as PNG or SVG, or copy it to the clipboard")
        for b in (self.log_button, self.reset_button, self.export_button):
            b.setAutoRaise(True)
            bar.addWidget(b)
        return bar

    # ------------------------------------------------------------------ minimum size
    def plot_column(self) -> list[pg.ViewBox]:
        """The plots stacked top to bottom in the chart (one here; a grid of small plots has one per row)."""
        return [self.vb]

    def minimumSizeHint(self) -> QSize:
        """High enough for the toolbar, the texts and axes as laid out now, and ``MIN_PLOT_HEIGHT``
        pixels of every plot in ``plot_column``: layouts and splitters never squash the data area."""
        hint = super().minimumSizeHint()
        return QSize(hint.width(), max(hint.height(), self._needed_height()))

    def _needed_height(self) -> int:
        boxes = self.plot_column()
        laid_out = self.view.height() > 0 and boxes and all(b.height() > 0 for b in boxes)
        if not self._exporting and laid_out and self.view.isVisible():
            chrome = self.view.height() - sum(b.height() for b in boxes)
            self._min_height = round(self.toolbar.sizeHint().height() + 2 + chrome + len(boxes) * MIN_PLOT_HEIGHT)
        return self._min_height or (self.toolbar.sizeHint().height() + 140 + len(boxes) * MIN_PLOT_HEIGHT)

    def _plots_resized(self, *args) -> None:
        """The texts or axes around a plot changed size: the minimum height follows."""
        if not self._exporting:
            before = self._min_height
            if self._needed_height() != before:
                self.updateGeometry()

    # ------------------------------------------------------------------ theme
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
        self._style_message(theme.muted)
        self._render_texts()
        self._restyle()
        self._refresh_legend()

    def _apply_line_pens(self) -> None:
        theme, k = self.theme, self._pen_scale
        for axis in (self.x_axis, self.y_axis):
            axis.setPen(pg.mkPen(theme.grid, width=k))
        self._style_crosshair(theme.crosshair, k)
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

    # ------------------------------------------------------------------ context menu
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
        return self.add_export_actions(menu)

    def _show_context_menu(self, screen_pos) -> None:
        menu = self.context_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(screen_pos)
