"""Exports that read at any size (issue 17): text, lines and markers grow with the image (axis labels at
least 1.6 % of its height), every label kept at 800×450, a square heat map with its colour scale, twelve
distinct series styles with names at the line ends past six, and the benchmark drawn as the benchmark."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFont, QFontInfo, QImage

from rotation_desk.ui.app.render import ExportRequest, RenderSession
from rotation_desk.ui.charts.axes import YEAR_SECONDS, YearsDateAxis
from rotation_desk.ui.charts.export import fit_scale
from rotation_desk.ui.kit import theme as themes

SIZES = [(800, 450), (1600, 900), (1920, 1080), (3840, 2160)]


def _texts(path: Path) -> list[str]:
    return [
        re.sub(r"<[^>]+>|\s+", " ", t).strip() for t in re.findall(r"<text[^>]*>(.*?)</text>", path.read_text(), re.S)
    ]


@pytest.fixture
def session(market, tmp_path, qapp):
    def make(**kw):
        return RenderSession(
            market, tmp_path / "no-settings.json", ExportRequest(view="compare", out=tmp_path / "x.png", **kw)
        )

    return make


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_axis_labels_are_at_least_1_6_percent_of_the_image_height(session, width, height):
    with session(width=width, height=height) as s:
        chart = s.chart("compare")
        font = chart.x_axis.style["tickFont"] or QFont()
        k = fit_scale(width, height)
        assert QFontInfo(font).pixelSize() * k / height >= 0.016
        image = chart.render_image(width, height)
        assert (image.width(), image.height()) == (width, height)
        assert image.devicePixelRatio() == pytest.approx(k)  # lines and markers grow by the same factor


def test_a_larger_export_is_the_same_layout_enlarged(session, tmp_path):
    with session() as s:
        chart = s.chart("compare")
        small = chart.render_image(1000, 560)
        big = chart.render_image(2000, 1120)
        assert fit_scale(2000, 1120) == 2.0

        # same layout: the plot's left edge (the first column darker than the background) lands at twice the x
        def first_axis_column(image: QImage, y: int) -> int:
            base = QColor(themes.LIGHT.base)
            return next(x for x in range(image.width()) if image.pixelColor(x, y) != base)

        assert abs(first_axis_column(big, 560) - 2 * first_axis_column(small, 280)) <= 4


def test_rotation_pairs_at_800x450_keep_every_label_and_two_dates(session, tmp_path):
    out = tmp_path / "ratios.svg"
    with session(width=800, height=450) as s:
        s.write_chart("ratios", out)
        chart = s.chart("ratios")
        headers = {k: chart.cell(k).header for k in chart.pair_keys()}
    texts = _texts(out)
    assert not [t for t in texts if "…" in t]
    for key in headers:
        assert key in texts
    years = [t for t in texts if re.fullmatch(r"20\d\d", t)]
    assert len(years) >= 2 * 3  # the bottom row's plots each show at least two years
    axis = YearsDateAxis()
    axis.setStyle(tickFont=QFont())
    start = 1_628_000_000.0
    ((_spacing, values),) = axis.tickValues(start, start + 5 * YEAR_SECONDS, 150)
    assert len(values) >= 2


def test_heat_map_is_square_with_a_colour_scale(session, tmp_path):
    with session(width=1600, height=900, tickers=("SPY", "VBR", "IWM", "EEMV")) as s:
        chart = s.chart("correlation")
        with chart._export_layout(1000, 562) as _rect:
            (x0, x1), (y0, y1) = chart.vb.viewRange()
            assert (x1 - x0) / chart.vb.width() == pytest.approx((y1 - y0) / chart.vb.height(), rel=1e-3)
            assert (x0, y0) == (-0.5, -0.5)  # from the top left corner, beside the labels
            assert chart.colour_scale.isVisible() and chart.colour_scale.geometry().width() > 20
        out = tmp_path / "h.svg"
        s.write_chart("correlation", out)
    texts = _texts(out)
    assert "+1.0" in texts and "−1.0" in texts and "1.00" in texts


@pytest.mark.parametrize(("width", "height"), [(1600, 900), (800, 450)])
def test_heat_map_colour_scale_stands_beside_the_matrix_centred(session, width, height):
    with session(width=width, height=height, tickers=("SPY", "VBR", "IWM", "EEMV", "DFAT")) as s:
        chart = s.chart("correlation")
        k = fit_scale(width, height)
        with chart._export_layout(width / k, height / k) as rect:
            vb = chart.vb
            matrix = vb.mapViewToScene(vb.viewRect().topLeft()).x(), vb.mapViewToScene(QPointF(4.5, 4.5))
            right, bottom = matrix[1].x(), matrix[1].y()
            scale = chart.colour_scale.sceneBoundingRect()
            assert 0 <= scale.left() - right <= 16  # beside the square, not at the far edge
            assert bottom <= vb.sceneBoundingRect().bottom() + 0.5
            left_room = chart.plot_item.sceneBoundingRect().left() - rect.left()
            right_room = rect.right() - scale.right()
            assert abs(left_room - right_room) <= 30  # the composition is centred
            assert scale.right() <= rect.right() and left_room >= 0


def test_twelve_distinct_styles_and_names_at_the_line_ends(session, tmp_path):
    for theme in (themes.LIGHT, themes.DARK):
        assert len(set(theme.series[:12])) == 12 and not any(theme.series_dashed(i) for i in range(12))
    many = ("SPY", "QQQ", "IWM", "IWD", "IWF", "IWN", "VBR", "DFAT", "AVUV", "ACWX", "EEMV", "GLD")
    out_many, out_few = tmp_path / "many.svg", tmp_path / "few.svg"
    with session(width=800, height=450, tickers=many) as s:
        s.write_chart("watchlist", out_many)
    with session(width=800, height=450, tickers=many[:5]) as s:
        s.write_chart("watchlist", out_few)
    texts_many, texts_few = _texts(out_many), _texts(out_few)
    for t in many:
        assert texts_many.count(t) == 2, t  # legend and line end
    for t in many[:5]:
        assert texts_few.count(t) == 1, t  # six or fewer: the legend only


@pytest.mark.parametrize("view", ["compare", "watchlist"])
def test_the_benchmark_in_tickers_is_drawn_as_the_benchmark(session, view):
    with session(tickers=("VBR", "SPY", "IWM")) as s:
        chart = s.chart(view)
        entry = chart._series["SPY"]
        assert entry.style.role == "benchmark" and entry.colour == themes.LIGHT.benchmark
        assert all(chart._series[t].style.role == "series" for t in ("VBR", "IWM"))
