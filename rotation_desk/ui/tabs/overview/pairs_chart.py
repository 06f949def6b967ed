"""The rotation pairs chart: small multiples, one plot per pair (``pair_plot``), in a grid.

All pairs are readable at once; choosing one in "Show" (or double-clicking its plot) enlarges it.
The crosshair is shared: pointing at a date in one plot reads every pair at that session in its
header.

``PairsChart`` is a ``ChartPanel`` (title, subtitle, source line, toolbar, log scale,
PNG/SVG/clipboard export, messages), whose single plot is replaced by the grid of small plots;
exports therefore carry the whole grid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from contextlib import contextmanager

import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from rotation_desk.ui.charts.axes import growth_style
from rotation_desk.ui.charts.panel import ChartPanel
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.tabs.overview.pair_plot import PairCell, PairView

ALL = ""  # the "Show" selector's value for all pairs


def grid_shape(n: int) -> tuple[int, int]:
    """(rows, columns) for ``n`` small plots: at most four columns, as square as the width allows."""
    if n <= 3:
        return 1, max(n, 1)
    if n == 4:
        return 2, 2
    cols = 4 if n <= 8 else min(4, math.ceil(n / 3))
    return math.ceil(n / cols), cols


class PairsChart(ChartPanel):
    """Small multiples of rotation pairs (see the module docstring)."""

    focusChanged = Signal(str)  # a pair key, or "" for all pairs

    def __init__(
        self,
        chart_id: str = "overview.ratios",
        *,
        theme: Theme = LIGHT,
        settings: Settings | None = None,
        parent: QWidget | None = None,
    ):
        self._cells: dict[str, PairCell] = {}
        self._order: list[str] = []
        self._focus = ALL
        self._cross_x: float | None = None
        self._line_scale = 1.0
        self._laid_out = False
        super().__init__(chart_id, growth_style(), theme=theme, settings=settings, parent=parent)
        ci = self.view.ci
        # The panel's single plot and legend make way for the grid (their attributes stay, unused).
        ci.removeItem(self.plot_item)
        ci.removeItem(self.legend)
        self.grid = pg.GraphicsLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(6)
        ci.addItem(self.grid, row=2, col=0, colspan=2)
        self.show_box = QComboBox()
        self.show_box.setToolTip("Show all pairs side by side, or one pair large (double-click a plot to switch)")
        self.show_box.setMinimumContentsLength(18)
        self.show_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.show_box.currentIndexChanged.connect(self._show_chosen)
        self.toolbar.insertWidget(0, QLabel("Show"))
        self.toolbar.insertWidget(1, self.show_box)
        self._sync_show_box()
        scene = self.view.scene()
        self._grid_mouse = pg.SignalProxy(scene.sigMouseMoved, rateLimit=60, slot=self._grid_mouse_moved)
        scene.sigMouseClicked.connect(self._grid_clicked)
        self.view.left.connect(self.clear_crosshair)
        self.apply_theme(self.theme)

    # ------------------------------------------------------------------ data
    def set_pairs(self, views: Sequence[PairView]) -> None:
        """Show these pairs in this order; existing plots are updated in place (never rebuilt)."""
        if self.message() is not None:
            super().set_series({}, {})  # the public way back from a message to the chart
        order = [v.key for v in views]
        for key in [k for k in self._cells if k not in order]:
            del self._cells[key]
        for v in views:
            cell = self._cells.get(v.key)
            if cell is None:
                cell = self._cells[v.key] = PairCell(v.key)
                cell.plot.setLogMode(x=False, y=self.log_scale())
                cell.plot.vb.sigResized.connect(self._plots_resized)
            cell.set_data(v)
        changed = order != self._order or not self._laid_out
        self._order = order
        if self._focus not in self._cells:
            self._focus = ALL
        if changed:  # a range change only updates the curves: no new items, no relayout
            self._sync_show_box()
            self._relayout()
            self._restyle_cells()
        self.clear_crosshair()
        self.reset_zoom()
        if not views:
            self.show_message("No rotation pairs to show. Add one with the fields under the chart, e.g. IWM ÷ SPY.")

    def pair_keys(self) -> list[str]:
        return list(self._order)

    def cell(self, key: str) -> PairCell:
        return self._cells[key]

    def curve_items(self) -> dict[str, dict[str, pg.PlotDataItem]]:
        return {k: dict(c.curves) for k, c in self._cells.items()}

    def header_text(self, key: str) -> str:
        return self._cells[key].header.text

    def plot_column(self) -> list[pg.ViewBox]:
        """The shortest plot of each row of the grid (the chart's minimum height gives each its room)."""
        keys = self.visible_keys()
        if not keys:
            return [self.vb]
        _rows, cols = grid_shape(len(keys))
        rows = [keys[i : i + cols] for i in range(0, len(keys), cols)]
        return [min((self._cells[k].plot.vb for k in row), key=lambda vb: vb.height()) for row in rows]

    def visible_keys(self) -> list[str]:
        return [k for k in self._order if self._focus in (ALL, k)]

    # ------------------------------------------------------------------ focus
    def focus(self) -> str:
        return self._focus

    def set_focus(self, key: str) -> None:
        key = key if key in self._cells else ALL
        if key == self._focus:
            return
        self._focus = key
        self._sync_show_box()
        self._relayout()
        self.clear_crosshair()
        self.reset_zoom()
        self.focusChanged.emit(key)

    def _sync_show_box(self) -> None:
        box = self.show_box
        box.blockSignals(True)
        box.clear()
        box.addItem("All pairs", ALL)
        for key in self._order:
            view = self._cells[key].view
            title = view.title if view is not None else ""
            box.addItem(f"{key} · {title}" if title and title != key else key, key)
        box.setCurrentIndex(max(0, box.findData(self._focus)))
        box.blockSignals(False)

    def _show_chosen(self, index: int) -> None:
        self.set_focus(self.show_box.itemData(index) or ALL)

    def _relayout(self) -> None:
        self._laid_out = True
        self.grid.clear()
        keys = self.visible_keys()
        rows, cols = grid_shape(len(keys))
        for i, key in enumerate(keys):
            cell = self._cells[key]
            self.grid.addItem(cell.box, row=i // cols, col=i % cols)
            cell.x_axis.setStyle(showValues=i + cols >= len(keys))  # dates under the lowest plot of a column
        layout = self.grid.layout
        for c in range(4):
            layout.setColumnStretchFactor(c, 1 if c < cols else 0)
        for r in range(4):
            layout.setRowStretchFactor(r, 1 if r < rows else 0)

    # ------------------------------------------------------------------ crosshair
    def _cell_at(self, scene_pos: QPointF) -> PairCell | None:
        for key in self.visible_keys():
            cell = self._cells[key]
            if cell.plot.vb.sceneBoundingRect().contains(scene_pos):
                return cell
        return None

    def _grid_mouse_moved(self, args) -> None:
        if self._exporting:
            return
        pos = args[0]
        cell = self._cell_at(pos)
        if cell is None:
            self.clear_crosshair()
            return
        self.move_pair_crosshair(cell.plot.vb.mapSceneToView(pos).x(), cell.key)

    def move_pair_crosshair(self, x: float, key: str | None = None) -> None:
        """Point at session ``x`` (Unix seconds) in every plot (snapped to ``key``'s sessions)."""
        cell = self._cells.get(key) if key else None
        snapped = cell.snap(x) if cell is not None else x
        if snapped is None:
            return
        self._cross_x = snapped
        for k in self.visible_keys():
            c = self._cells[k]
            c.vline.setPos(snapped)
            c.vline.setVisible(True)
        self._render_headers()

    def clear_crosshair(self) -> None:
        self._cross_x = None
        for c in self._cells.values():
            c.vline.setVisible(False)
        self._render_headers()

    def readout(self, key: str, x: float | None = None, short: bool = False) -> str:
        """After the pair's name: its state in words or, at the crosshair's session, the ratio level
        (100 = window start) with its change, and the two averages ("short": the levels only)."""
        return self._cells[key].readout(x, short)

    def _render_headers(self) -> None:
        for cell in self._cells.values():
            cell.render_header(self.theme, self._cross_x)

    # ------------------------------------------------------------------ clicks
    def _grid_clicked(self, ev) -> None:
        if not ev.double() or ev.button() != Qt.MouseButton.LeftButton:
            return
        cell = self._cell_at(ev.scenePos())
        if cell is not None:
            self.set_focus(ALL if self._focus == cell.key else cell.key)
            ev.accept()

    # ------------------------------------------------------------------ styling, log scale, zoom
    def apply_theme(self, theme: Theme) -> None:
        super().apply_theme(theme)
        if hasattr(self, "grid"):
            self._restyle_cells()

    def _restyle_cells(self) -> None:
        font = QGuiApplication.font()
        font.setPointSizeF(max(7.5, font.pointSizeF() * 0.8))
        for i, key in enumerate(self._order):
            self._cells[key].restyle(self.theme, self.theme.series_colour(i), font, self._line_scale)
        self._render_headers()

    def set_log_scale(self, on: bool) -> None:
        super().set_log_scale(on)
        for cell in getattr(self, "_cells", {}).values():
            cell.plot.setLogMode(x=False, y=self.log_scale())
        self.reset_zoom()

    def reset_zoom(self) -> None:
        super().reset_zoom()
        for cell in getattr(self, "_cells", {}).values():
            cell.plot.enableAutoRange(axis="x")
            cell.plot.enableAutoRange(axis="y")
            cell.plot.vb.updateAutoRange()

    # ------------------------------------------------------------------ export
    @contextmanager
    def _export_layout(self, width: float, height: float, scale: float = 1.0, enlarged: float = 1.0):
        """As the panel's, with the pair crosshair cleared, pens × ``scale`` and two-line headers."""
        crosshair = self._cross_x
        self.clear_crosshair()
        self._line_scale = scale
        self._restyle_cells()
        for cell in self._cells.values():
            cell.header.set_lines(2)
        try:
            with super()._export_layout(width, height, scale, enlarged) as rect:
                yield rect
        finally:
            for cell in self._cells.values():
                cell.header.set_lines(1)
            self._line_scale = 1.0
            self._restyle_cells()
            if crosshair is not None:
                self.move_pair_crosshair(crosshair)

    def default_file_name(self, fmt: str) -> str:
        stem = self.chart_id.replace(".", "-")
        ends = [c.x[-1] for c in self._cells.values() if len(c.x)]
        if ends:
            stem += f"-{pd.Timestamp(int(max(ends)), unit='s'):%Y-%m-%d}"
        return f"{stem}.{fmt}"
