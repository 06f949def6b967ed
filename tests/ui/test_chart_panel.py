"""The shared chart panel: date axis, setData updates, crosshair readout, legend toggles, log scale, export."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PySide6.QtGui import QImage

from rotation_desk.core.returns import rebase
from rotation_desk.ui.charts.axes import growth_style, percent_style
from rotation_desk.ui.charts.panel import ChartPanel, SeriesStyle, unix_seconds
from rotation_desk.ui.kit.theme import DARK, LIGHT
from rotation_desk.ui.state.settings import Settings


@pytest.fixture
def series(closes):
    window = closes.loc["2024-12-31":"2025-12-31", ["SPY", "IWM", "VBR"]]
    return {t: rebase(window[t].dropna()) for t in window}


@pytest.fixture
def panel(qtbot):
    p = ChartPanel("test.growth", growth_style(), theme=LIGHT, settings=Settings())
    qtbot.addWidget(p)
    p.resize(1000, 600)
    p.show()
    qtbot.waitExposed(p)
    return p


def test_date_axis_positions_are_session_dates_at_utc_midnight():
    idx = pd.DatetimeIndex(["2025-01-02", "2025-07-03"])
    assert unix_seconds(idx).tolist() == [1735776000.0, 1751500800.0]


def test_set_series_updates_curves_in_place(panel, series):
    panel.set_series(series, {"SPY": SeriesStyle(role="benchmark")})
    items = {n: panel._series[n].item for n in panel.series_names()}
    half = {n: s.iloc[: len(s) // 2] for n, s in series.items()}
    panel.set_series(half)
    assert {n: panel._series[n].item for n in panel.series_names()} == items  # same objects: setData, no rebuild
    x, y = panel.series_data("IWM")
    assert len(y) == len(half["IWM"])
    assert items["IWM"].opts["clipToView"] and items["IWM"].opts["autoDownsample"]


def test_crosshair_reads_every_series_at_the_session(panel, series, closes):
    panel.set_series(series)
    day = pd.Timestamp("2025-04-08")
    panel.move_crosshair(unix_seconds(pd.DatetimeIndex([day]))[0] + 3600 * 5)  # snaps to the session
    header, texts = panel.readout_at(panel._crosshair_x)
    assert header == "Tue 2025-04-08"
    spy = closes["SPY"]
    expected = spy.loc[day] / spy.loc["2024-12-31"] - 1
    assert texts["SPY"] == f"{expected * 100:+.1f} %"


def test_legend_toggle_hides_series_and_is_remembered(panel, series):
    panel.set_series(series)
    panel._toggle_from_legend("IWM")
    assert panel.visible_series() == ["SPY", "VBR"]
    assert not panel._series["IWM"].item.isVisible()
    assert panel.settings.chart_prefs("test.growth").hidden == ["IWM"]
    panel.set_series(series)  # a recompute keeps the user's choice
    assert "IWM" not in panel.visible_series()
    panel.show_all_series()
    assert panel.visible_series() == ["SPY", "IWM", "VBR"]


def test_log_scale_toggle(panel, series):
    panel.set_series(series)
    panel.log_button.click()
    assert panel.log_scale() and panel.plot_item.logMode() == (False, True)
    assert panel.y_axis.logMode and all(c.opts["logMode"] == [False, True] for c in panel.plot_item.listDataItems())
    assert panel.settings.chart_prefs("test.growth").log is True
    percent = ChartPanel("test.dd", percent_style())
    assert not percent.log_button.isVisibleTo(percent)  # drawdowns cannot be logged


def test_hover_highlight(panel, series):
    panel.set_series(series)
    panel.highlight("VBR")
    pens = {n: panel._series[n].item.opts["pen"] for n in panel.series_names()}
    assert pens["VBR"].widthF() > pens["SPY"].widthF()
    assert pens["SPY"].color().alphaF() < 1.0


def test_png_export_size_title_and_hidpi(panel, series, tmp_path):
    panel.set_series(series)
    panel.set_title("Growth", "2024-12-31 – 2025-12-31")
    panel.set_source("Source: test")
    out = panel.export_png(tmp_path / "c.png", 1200, 700)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 700)
    out2 = panel.export_png(tmp_path / "c2.png", 1200, 700, scale=2.0)
    image2 = QImage(str(out2))
    assert (image2.width(), image2.height()) == (2400, 1400)
    # the first export after a resize equals the second (axes are laid out for the export size)
    again = panel.export_png(tmp_path / "c3.png", 1200, 700)
    assert QImage(str(again)) == image


def test_svg_export_has_title_and_curves(panel, series, tmp_path):
    panel.set_series(series)
    panel.set_title("Growth of the rotation", "2024-12-31 – 2025-12-31")
    panel.set_source("Source: Yahoo Finance")
    out = panel.export_svg(tmp_path / "c.svg", 1200, 700)
    text = out.read_text()
    assert "<svg" in text and "Growth of the rotation" in text and "Yahoo Finance" in text
    assert text.count("<path") >= 3


def test_export_refuses_wrong_suffix(panel, series, tmp_path):
    from rotation_desk.errors import BadInput

    panel.set_series(series)
    with pytest.raises(BadInput, match=r"\.png"):
        panel.export_png(tmp_path / "c.jpg", 800, 600)


def test_dark_theme_colours(qtbot, series):
    p = ChartPanel("t", growth_style(), theme=DARK)
    qtbot.addWidget(p)
    p.set_series(series)
    assert p.view.backgroundBrush().color().name().lower() == DARK.base.lower()
    assert p._series["SPY"].colour == DARK.series[0]


def test_bars_on_category_axis(qtbot):
    p = ChartPanel("years", percent_style(), x_kind="category")
    qtbot.addWidget(p)
    p.set_bars(["2022", "2023"], {"SPY": [-0.18, 0.26], "IWM": [-0.20, np.nan]})
    header, texts = p.readout_at(0)
    assert header == "2022" and texts == {"SPY": "-18.0 %", "IWM": "-20.0 %"}
    assert p.readout_at(1)[1]["IWM"] == "—"


def test_message_replaces_chart(panel):
    panel.show_message("No prices in 2030-01-01 – 2030-12-31 for these tickers.")
    assert panel.message().startswith("No prices")
