"""Money axes: one unit per axis in natural steps (issue 13 item 12), from hand-worked tick lists and
from the labels a real chart draws."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from PySide6.QtGui import QImage, QPainter

from rotation_desk.ui.charts.axes import money_style, money_ticks
from rotation_desk.ui.charts.panel import ChartPanel


@pytest.mark.parametrize(
    ("ticks", "labels"),
    [
        # the axis: major ticks every $100k and minor ones between (never "$0.2M" beside "$150k")
        ([100_000, 200_000, 50_000, 150_000], ["$100k", "$200k", "$50k", "$150k"]),
        ([0, 500_000, 1_000_000, 1_500_000], ["$0", "$0.5M", "$1.0M", "$1.5M"]),
        ([900_000, 1_000_000, 1_100_000], ["$0.9M", "$1.0M", "$1.1M"]),
        ([2_000_000, 4_000_000, 6_000_000], ["$2M", "$4M", "$6M"]),
        ([1_050_000, 1_100_000, 1_150_000], ["$1.05M", "$1.10M", "$1.15M"]),
        ([2_000, 4_000, 6_000, 8_000], ["$2k", "$4k", "$6k", "$8k"]),
        ([500, 1_000, 1_500], ["$500", "$1,000", "$1,500"]),
        ([10_000, 12_500, 15_000], ["$10.0k", "$12.5k", "$15.0k"]),
        ([-50_000, 0, 50_000], ["-$50k", "$0", "$50k"]),
        ([0, 0.25, 0.5, 0.75], ["$0", "$0.25", "$0.50", "$0.75"]),
        # a log axis: decades and the 2..9 multiples between them, one unit
        ([10_000, 20_000, 50_000, 100_000, 200_000], ["$10k", "$20k", "$50k", "$100k", "$200k"]),
        ([200_000, 500_000, 1_000_000, 2_000_000], ["$0.2M", "$0.5M", "$1.0M", "$2.0M"]),
    ],
)
def test_money_ticks_by_hand(ticks, labels):
    assert money_ticks(ticks) == labels


def _drawn_labels(panel: ChartPanel) -> list[str]:
    """The y-axis texts pyqtgraph lays out for the panel as it is now."""
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = panel.y_axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [text for _rect, _flags, text in specs[2]]


@pytest.mark.parametrize(("top", "height"), [(60_000, 700), (220_000, 400), (1_600_000, 700), (1_600_000, 260)])
def test_a_chart_writes_one_unit_per_axis(qtbot, top, height):
    panel = ChartPanel("test.money", money_style())
    qtbot.addWidget(panel)
    panel.resize(800, height)
    panel.show()
    qtbot.waitExposed(panel)
    days = pd.bdate_range("2020-01-01", periods=200)
    panel.set_series({"Plan value": pd.Series(np.linspace(0.0, top, len(days)), index=days)})
    qtbot.wait(50)
    labels = _drawn_labels(panel)
    assert len(labels) >= 3, labels
    units = {re.sub(r"[-$0-9.,]", "", label) for label in labels if label != "$0"}
    assert len(units) == 1, labels  # "k" or "M" on every label, or on none
    digits = {len(label.split(".")[1].rstrip("kM")) if "." in label else 0 for label in labels if label != "$0"}
    assert len(digits) == 1, labels  # the same decimals on every label
