"""A second value axis on the right of a ``ChartPanel``: one curve on its own scale, x linked.

    rate = SecondAxis(panel, number_style(2), "10Y yield (%)")
    rate.set_series(levels, colour)

The curve lives in its own ``pg.ViewBox`` placed over the panel's plot and x-linked to it (zoom and
pan move both); the right axis is linked to that view and labelled, so a reader never takes the curve
for the left axis' units. The panel's export renders the scene, so the curve and axis are in PNG/SVG.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Qt

from rotation_desk.ui.charts.axes import ValueAxis, ValueStyle
from rotation_desk.ui.charts.series import unix_seconds


class SecondAxis:
    def __init__(self, panel, style: ValueStyle, label: str):
        self.panel = panel
        self.axis = ValueAxis(style, "right")
        panel.plot_item.setAxisItems({"right": self.axis})
        panel.plot_item.showAxis("right")
        self.vb = pg.ViewBox(enableMenu=False)
        self.vb.setMouseEnabled(x=False, y=False)
        panel.plot_item.scene().addItem(self.vb)
        self.axis.linkToView(self.vb)
        self.vb.setXLink(panel.vb)
        self.curve = pg.PlotDataItem()
        self.vb.addItem(self.curve)
        self.set_label(label)
        panel.vb.sigResized.connect(self._sync)
        self._sync()

    def set_label(self, text: str) -> None:
        self.label = text
        self.axis.setLabel(text)

    def _sync(self, *_args) -> None:
        self.vb.setGeometry(self.panel.vb.sceneBoundingRect())
        self.vb.linkedViewChanged(self.panel.vb, self.vb.XAxis)

    def set_series(self, series: pd.Series, colour: str, dashed: bool = False) -> None:
        clean = series.dropna()
        pen = pg.mkPen(colour, width=1.6, style=Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
        self.curve.setData(unix_seconds(clean.index), clean.to_numpy(dtype=np.float64), pen=pen)
        self.vb.enableAutoRange(axis=pg.ViewBox.YAxis)
        self.axis.setTextPen(colour)
        self.axis.setPen(colour)
        self._sync()

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        x, y = self.curve.getOriginalDataset()
        return (np.array([]), np.array([])) if x is None else (x, y)

    def clear(self) -> None:
        self.curve.setData([], [])
