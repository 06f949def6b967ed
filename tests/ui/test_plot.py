"""ui.charts.plot.Plot against pyqtgraph's PlotItem: the same items and settings draw the same picture
and give the same ranges, axes and curve options, without PlotItem's menu widgets."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from rotation_desk.ui.charts.plot import Plot
from tests.snapshot_closes import source_closes

SIZE = (520, 340)


def _closes() -> tuple[np.ndarray, np.ndarray]:
    spy = source_closes("SPY").dropna().iloc[-1500:]
    x = spy.index.as_unit("s").asi8.astype(np.float64)  # unix seconds, as the charts plot dates
    return x, spy.to_numpy()


def _setup(plot, x, y, log: bool, right: bool = False):
    plot.setClipToView(True)
    plot.setDownsampling(auto=True, mode="peak")
    plot.showGrid(x=True, y=True, alpha=0.3)
    if right:  # as ui.charts.second_axis adds a rate axis to a built chart (it draws no grid)
        plot.setAxisItems({"right": pg.AxisItem("right")})
        plot.showAxis("right")
    plot.setAutoVisible(y=True)
    curve = pg.PlotDataItem(x, y, pen=pg.mkPen("#0072B2", width=2))
    plot.addItem(curve)
    line = pg.InfiniteLine(pos=float(np.median(y)), angle=0, movable=False)
    plot.addItem(line, ignoreBounds=True)
    if log:
        plot.setLogMode(x=False, y=True)
    return curve


def _render(qtbot, make, log: bool, right: bool = False):
    x, y = _closes()
    view = pg.GraphicsLayoutWidget()
    view.resize(*SIZE)
    qtbot.addWidget(view)
    plot = make()
    view.ci.addItem(plot)
    curve = _setup(plot, x, y, log, right)
    view.show()
    qtbot.waitExposed(view)
    for _ in range(3):
        QApplication.processEvents()
    image = QImage(*SIZE, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    view.render(painter)
    painter.end()
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(SIZE[1], SIZE[0], 4).copy()
    return view, plot, curve, pixels


@pytest.mark.parametrize(
    ("log", "right"), [(False, False), (True, False), (False, True)], ids=["linear", "log", "right-axis"]
)
def test_plot_draws_and_ranges_as_plotitem(qtbot, log, right):
    _view, ours, our_curve, our_pixels = _render(qtbot, lambda: Plot(), log, right)
    _their_view, theirs, their_curve, their_pixels = _render(qtbot, lambda: pg.PlotItem(enableMenu=False), log, right)

    assert np.ravel(ours.vb.viewRange()) == pytest.approx(np.ravel(theirs.vb.viewRange()), rel=1e-12)
    for side in ("left", "bottom", "top", "right"):
        a, b = ours.getAxis(side), theirs.getAxis(side)
        assert (a.isVisible(), a.grid, a.logMode) == (b.isVisible(), b.grid, b.logMode)
    for key in ("clipToView", "autoDownsample", "downsampleMethod", "downsample", "logMode"):
        assert our_curve.opts[key] == their_curve.opts[key], key
    assert ours.listDataItems() == [our_curve]
    # the same axes in the layout, hidden ones included: a chart's minimum height, and so a scrolling
    # page's height, counts them (without the hidden top and right axes the Factors chart came out shorter)
    assert sorted(ours.axes) == sorted(theirs.axes)
    for side in ours.axes:
        a, b = ours.getAxis(side), theirs.getAxis(side)
        for which in (Qt.SizeHint.MinimumSize, Qt.SizeHint.PreferredSize):
            assert a.effectiveSizeHint(which) == b.effectiveSizeHint(which), (side, which)
    # the same picture, pixel for pixel (axes, ticks, grid, the curve and the line)
    assert np.array_equal(our_pixels, their_pixels)


def test_plot_builds_no_menu_widgets(qtbot):
    before = len(QApplication.allWidgets())
    plot = Plot()
    assert len(QApplication.allWidgets()) == before  # PlotItem adds some 60 (its form and the view menu)
    plot.deleteLater()


def test_settings_reach_curves_added_before_and_after(qtbot):
    plot = Plot()
    early = pg.PlotDataItem([1.0, 2.0, 3.0], [1.0, 10.0, 100.0])
    plot.addItem(early)
    plot.setClipToView(True)
    plot.setDownsampling(ds=4, auto=False, mode="mean")
    plot.setLogMode(y=True)
    late = pg.PlotDataItem([1.0, 2.0], [1.0, 2.0])
    plot.addItem(late)
    for curve in (early, late):
        assert curve.opts["clipToView"] is True
        assert (curve.opts["downsample"], curve.opts["autoDownsample"], curve.opts["downsampleMethod"]) == (
            4,
            False,
            "mean",
        )
        assert curve.opts["logMode"] == [False, True]
    plot.removeItem(early)
    assert plot.listDataItems() == [late] and early not in plot.items
    with pytest.raises(ValueError):
        plot.setDownsampling(mode="median")
