"""A chart's line drawn fast on raster devices (charts/curve.py) and the PNG encoder (charts/png.py): an
export at width W draws at most two points per pixel column of each line, yet every line's highest,
lowest, first and last point; the picture matches pyqtgraph's own drawing; the PNG reads back as the
image it was made from."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PySide6.QtGui import QColor, QImage

from rotation_desk.ui.charts import curve
from rotation_desk.ui.charts.axes import growth_style
from rotation_desk.ui.charts.curve import column_extremes
from rotation_desk.ui.charts.panel import ChartPanel
from rotation_desk.ui.charts.png import png_data


def test_column_extremes_keeps_each_columns_lowest_and_highest_in_order():
    columns = np.array([0, 0, 0, 0, 1, 1, 1, 2, 3, 3, 3, 3])
    y = np.array([5.0, 9.0, 1.0, 4.0, 2.0, 2.0, 7.0, 3.0, 6.0, 0.0, 8.0, 5.0])
    idx = column_extremes(columns, y)
    # first point, then per column (lowest, highest) in the order they occur, then the last point
    assert idx.tolist() == [0, 1, 2, 4, 6, 7, 9, 10, 11]
    assert column_extremes(np.arange(5), np.arange(5.0)).tolist() == [0, 1, 2, 3, 4]  # one point per column


def _walk(n: int, seed: int = 3) -> pd.Series:
    rng = np.random.default_rng(seed)
    values = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, n)))
    values[n // 3] *= 1.8  # a one-day spike and a one-day crash must both be drawn
    values[2 * n // 3] *= 0.4
    return pd.Series(values, index=pd.bdate_range("1990-01-02", periods=n))


@pytest.mark.parametrize(("width", "height"), [(800, 450), (1600, 900)])
def test_export_draws_at_most_two_points_per_pixel_column_and_every_extreme(qtbot, width, height):
    panel = ChartPanel("test", growth_style())
    qtbot.addWidget(panel)
    walks = {"A": _walk(20_000), "B": _walk(12_000, seed=5)}
    panel.set_series(walks)
    image = panel.render_image(width, height)
    assert image.width() == width
    for name, s in walks.items():
        item = panel._series[name].item.curve
        xs, ys = item.drawn
        assert 0 < len(xs) <= 2 * width + 2  # ≤ two per device pixel column (the plot is narrower still)
        assert len(xs) < len(s) / 4
        assert ys.max() == pytest.approx(s.max()) and ys.min() == pytest.approx(s.min())
        first, last = panel.series_data(name)[0][[0, -1]]
        assert xs[0] - first <= 10 * 86400 and last - xs[-1] <= 10 * 86400  # pyqtgraph's peak step: a few days
        assert np.all(np.diff(xs) >= 0)  # in time order


def test_fast_line_looks_like_pyqtgraphs_own(qtbot, monkeypatch):
    panel = ChartPanel("test", growth_style())
    qtbot.addWidget(panel)
    panel.set_series({"A": _walk(5_030), "B": _walk(5_030, seed=9)})  # 20 years of sessions
    fast = panel.render_image(1920, 1080).convertToFormat(QImage.Format.Format_RGB888)
    monkeypatch.setattr(curve._FastCurveItem, "_fast", lambda self, painter: False)
    plain = panel.render_image(1920, 1080).convertToFormat(QImage.Format.Format_RGB888)
    a = np.frombuffer(fast.constBits(), np.uint8, fast.sizeInBytes()).astype(int)
    b = np.frombuffer(plain.constBits(), np.uint8, plain.sizeInBytes()).astype(int)
    assert (np.abs(a - b) > 64).mean() < 0.005  # antialiased edge pixels of a very jagged line
    ink_fast, ink_plain = (a < 200).sum(), (b < 200).sum()  # the lines are no thinner and no bolder
    assert abs(ink_fast - ink_plain) <= 0.03 * ink_plain


@pytest.mark.parametrize("alpha", [False, True])
def test_png_reads_back_as_the_image(qapp, alpha):
    fmt = QImage.Format.Format_ARGB32 if alpha else QImage.Format.Format_RGB32
    image = QImage(37, 21, fmt)  # an odd width: rows padded in memory, not in the file
    image.fill(QColor(250, 250, 250, 128 if alpha else 255))
    for x in range(37):
        image.setPixelColor(x, x % 21, QColor(200, 30 + x, 10, 255))
    data = png_data(image)
    back = QImage.fromData(data, "PNG")
    assert back.size() == image.size() and back.hasAlphaChannel() == alpha
    assert back.dotsPerMeterX() == image.dotsPerMeterX()
    for x in range(37):
        for y in range(21):
            assert back.pixelColor(x, y) == image.pixelColor(x, y), (x, y)
    assert png_data(QImage()) is None
