"""``Plot``: a view box with its axes, as pyqtgraph's ``PlotItem`` lays them out, without its menus.

``PlotItem`` builds a "Plot Options" form for its context menu on every plot (some 25 check boxes,
radio buttons, spin boxes and group boxes) and keeps its settings there: clip to view, downsampling,
log axes and the grid are read back from those widgets. The app never shows that menu (a chart's
right-click opens the chart's own), yet the forms were a third of the app's widgets after every page
was visited and most of a plot's build time (about 18 ms a plot against 3 ms without them).

``Plot`` keeps the part the charts use, with the same behaviour: the view box in a grid with an axis
on each side (left and bottom shown), items added to the view box (with ``ignoreBounds``), data items
given the plot's clip-to-view, downsampling and log mode when added and whenever those change, the
grid on the axes, and ``PlotItem``'s method names, so the charts read the same.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsGridLayout, QGraphicsItem, QSizePolicy

_PLACES = (("top", (1, 1)), ("bottom", (3, 1)), ("left", (2, 0)), ("right", (2, 2)))


class Plot(pg.GraphicsWidget):
    def __init__(self, viewBox: pg.ViewBox | None = None, axisItems: dict[str, pg.AxisItem] | None = None):
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.layout = QGraphicsGridLayout()
        self.layout.setContentsMargins(1, 1, 1, 1)
        self.layout.setHorizontalSpacing(0)
        self.layout.setVerticalSpacing(0)
        self.setLayout(self.layout)
        self.vb = viewBox if viewBox is not None else pg.ViewBox(enableMenu=False)
        self.layout.addItem(self.vb, 2, 1)
        self.items: list[QGraphicsItem] = []
        self.dataItems: list[QGraphicsItem] = []
        self._log = (False, False)
        self._clip = False
        self._downsample: tuple[int, bool, str] = (1, False, "peak")
        self._grid: tuple[bool, bool, float] = (False, False, 0.0)
        self.axes: dict[str, dict] = {}
        self.setAxisItems(axisItems)
        for i in range(4):
            self.layout.setRowPreferredHeight(i, 0)
            self.layout.setRowMinimumHeight(i, 0)
            self.layout.setRowSpacing(i, 0)
            self.layout.setRowStretchFactor(i, 1)
        for i in range(3):
            self.layout.setColumnPreferredWidth(i, 0)
            self.layout.setColumnMinimumWidth(i, 0)
            self.layout.setColumnSpacing(i, 0)
            self.layout.setColumnStretchFactor(i, 1)
        self.layout.setRowStretchFactor(2, 100)
        self.layout.setColumnStretchFactor(1, 100)
        self.layout.setRowFixedHeight(0, 0)  # PlotItem's title row, empty

    def implements(self, interface=None) -> bool:
        return interface in ("ViewBoxWrapper",)

    def getViewBox(self) -> pg.ViewBox:
        return self.vb

    # ------------------------------------------------------------------ axes
    def setAxisItems(self, axisItems: dict[str, pg.AxisItem] | None = None) -> None:
        """Put the given axes in place (replacing any there), shown; plain ones for the sides not given yet,
        of which left and bottom are shown. All four are made, as PlotItem makes them: the hidden top and
        right ones still count in the plot's minimum size, so the charts keep their heights."""
        axisItems = axisItems or {}
        for side, pos in _PLACES:
            if side not in axisItems and side in self.axes:
                continue
            if side in self.axes:
                old = self.axes[side]["item"]
                self.layout.removeItem(old)
                if old.scene() is not None:
                    old.scene().removeItem(old)
                old.unlinkFromView()
            axis = axisItems.get(side) or pg.AxisItem(orientation=side, parent=self)
            axis.linkToView(self.vb)
            self.axes[side] = {"item": axis, "pos": pos}
            self.layout.addItem(axis, *pos)
            axis.setZValue(0.5)  # over images at z=0; items that draw over the axes take z >= 1
            axis.setFlag(QGraphicsItem.GraphicsItemFlag.ItemNegativeZStacksBehindParent)
            axis.setVisible(side in ("left", "bottom") or side in axisItems)
            axis.setLogMode(*self._log)
        # as PlotItem: an axis put in after showGrid() draws no grid (the rates chart's right axis)

    def getAxis(self, name: str) -> pg.AxisItem:
        return self.axes[name]["item"]

    def showAxis(self, axis: str, show: bool = True) -> None:
        self.getAxis(axis).setVisible(show)

    def setLabel(self, axis: str, *args, **kwargs) -> None:
        self.getAxis(axis).setLabel(*args, **kwargs)
        self.showAxis(axis)

    def showGrid(self, x: bool | None = None, y: bool | None = None, alpha: float | None = None) -> None:
        gx, gy, ga = self._grid
        self._grid = (gx if x is None else x, gy if y is None else y, ga if alpha is None else alpha)
        self._apply_grid()

    def _apply_grid(self) -> None:
        x, y, alpha = self._grid
        level = int(min(max(alpha, 0.0), 1.0) * 255)  # as PlotItem's grid slider (0 to 255)
        for side, on in (("top", x), ("bottom", x), ("left", y), ("right", y)):
            if side in self.axes:
                self.axes[side]["item"].setGrid(level if on else False)

    # ------------------------------------------------------------------ items
    def addItem(self, item: QGraphicsItem, *args, ignoreBounds: bool = False, **kwargs) -> None:
        if item in self.items:
            return
        self.items.append(item)
        self.vb.addItem(item, *args, ignoreBounds=ignoreBounds)
        if hasattr(item, "implements") and item.implements("plotData"):
            self.dataItems.append(item)
        if hasattr(item, "setLogMode"):
            item.setLogMode(*self._log)
        self._style(item)

    def removeItem(self, item: QGraphicsItem) -> None:
        if item not in self.items:
            return
        self.items.remove(item)
        if item in self.dataItems:
            self.dataItems.remove(item)
        self.vb.removeItem(item)

    def listDataItems(self) -> list[QGraphicsItem]:
        return self.dataItems[:]

    # ------------------------------------------------------------------ how data items draw
    def setLogMode(self, x: bool | None = None, y: bool | None = None) -> None:
        lx, ly = self._log
        self._log = (lx if x is None else bool(x), ly if y is None else bool(y))
        for item in self.items:
            if hasattr(item, "setLogMode"):
                item.setLogMode(*self._log)
        for entry in self.axes.values():
            entry["item"].setLogMode(*self._log)
        self.vb.enableAutoRange()

    def logMode(self) -> tuple[bool, bool]:
        return self._log

    def setClipToView(self, clip: bool) -> None:
        self._clip = bool(clip)
        self._update_curves()

    def setDownsampling(self, ds: int | bool | None = None, auto: bool | None = None, mode: str | None = None) -> None:
        factor, automatic, method = self._downsample
        if ds is not None:
            factor = 1 if ds is False else (factor if ds is True else int(ds))
        if auto is not None:
            automatic = bool(auto)
        if mode is not None:
            if mode not in ("subsample", "mean", "peak"):
                raise ValueError("mode argument must be 'subsample', 'mean', or 'peak'.")
            method = mode
        self._downsample = (factor, automatic, method)
        self._update_curves()

    def _update_curves(self) -> None:
        for item in self.items:
            self._style(item)

    def _style(self, item: QGraphicsItem) -> None:
        """The plot's downsampling and clip-to-view on a data item (as PlotItem imposes them)."""
        if isinstance(item, pg.PlotDataItem):
            item.setDownsampling(*self._downsample)
            item.setClipToView(self._clip)

    # ------------------------------------------------------------------ what PlotItem passes to its view box
    def setAutoVisible(self, *args, **kwargs) -> None:
        self.vb.setAutoVisible(*args, **kwargs)

    def enableAutoRange(self, *args, **kwargs) -> None:
        self.vb.enableAutoRange(*args, **kwargs)

    def disableAutoRange(self, *args, **kwargs) -> None:
        self.vb.disableAutoRange(*args, **kwargs)
