"""Composite exports and tables as images (issue 17): ``export-table VIEW``, ``export-chart VIEW
--with-table`` and the ``tilt`` view with its figure cards and active-return panel. The figures are
read back from the SVG's text and compared with the command line's JSON."""

from __future__ import annotations

import json
import re

from fault_helpers import assert_one_clean_line
from PySide6.QtGui import QColor, QImage

from rotation_desk.cli.main import main
from rotation_desk.ui.kit import formats, theme

FUNDS = ["DFAT", "VBR", "AVUV", "EEMV", "SPY"]


def _run(data_dir, *args) -> int:
    return main(["--offline", "--data-dir", str(data_dir), *args])


def _json(data_dir, capsys, *args):
    capsys.readouterr()
    assert _run(data_dir, *args, "--format", "json") == 0
    return json.loads(capsys.readouterr().out)


def _svg_texts(path) -> str:
    """The SVG's text content (Qt writes each run of text as a <text> element)."""
    return " ".join(re.sub(r"<[^>]+>", " ", m) for m in re.findall(r"<text[^>]*>(.*?)</text>", path.read_text(), re.S))


def test_metrics_table_as_svg_reads_the_figures_of_the_metrics_command(data_dir, tmp_path, capsys, qapp):
    out = tmp_path / "metrics.svg"
    assert _run(data_dir, "export-table", "compare", "--tickers", ",".join(FUNDS[:4]), "--out", str(out)) == 0
    text = _svg_texts(out)
    rows = _json(data_dir, capsys, "metrics", *FUNDS, "--common-window")
    for row in rows:
        for key in ("total_return", "cagr", "max_drawdown"):
            assert formats.pct(row[key]) in text, (row["ticker"], key)
        assert formats.pct(row["volatility"], signed=False) in text
        assert formats.number(row["sharpe"]) in text
        assert row["ticker"] in text and row["start"] in text


def test_table_png_has_every_row_and_the_theme(data_dir, tmp_path, capsys, qapp):
    light, dark = tmp_path / "light.png", tmp_path / "dark.png"
    assert _run(data_dir, "export-table", "watchlist", "--tickers", "SPY,VBR,IWM", "--out", str(light)) == 0
    args = ["export-table", "watchlist", "--tickers", "SPY,VBR,IWM,DFAT,AVUV,EEMV", "--theme", "dark"]
    assert _run(data_dir, *args, "--out", str(dark)) == 0
    small, big = QImage(str(light)), QImage(str(dark))
    assert 400 < small.width() < 2000 and 400 < big.width() < 2000
    row = (big.height() - small.height()) / 3  # three more rows
    assert 14 <= row <= 40
    assert abs(small.height() - (row * 4 + 6)) <= 2  # the header and three rows, nothing cut (px rounding)
    assert small.pixelColor(2, 2) == QColor(theme.LIGHT.base)
    assert big.pixelColor(2, 2) == QColor(theme.DARK.base)
    capsys.readouterr()


def test_tilt_export_has_its_cards_and_active_return(data_dir, tmp_path, capsys, qapp):
    out = tmp_path / "tilt.svg"
    weights = "SPY=70,XLF=10,XLI=10,XLY=10"
    window = ["--start", "2021-08-03", "--end", "2026-08-03"]
    assert _run(data_dir, "export-chart", "tilt", "--tickers", weights, *window, "--out", str(out)) == 0
    text = _svg_texts(out)
    run = _json(data_dir, capsys, "tilt", "--weights", weights, *window)
    assert "Growth of $10,000" in text and "Active return: tilt value" in text
    assert formats.pct(run["portfolio"]["cagr"], 2) in text
    assert formats.pct(run["tracking_error"], 2, signed=False) in text
    assert formats.pct(run["active_return"]) in text
    assert text.count("Source: Yahoo Finance") == 1  # printed once, under the last chart


def test_chart_with_table_keeps_the_size_and_says_what_is_left_out(data_dir, tmp_path, capsys, qapp):
    png, svg = tmp_path / "c.png", tmp_path / "c.svg"
    size = ["--width", "800", "--height", "450"]
    assert _run(data_dir, "export-chart", "compare", "--with-table", "--out", str(png), *size) == 0
    image = QImage(str(png))
    assert (image.width(), image.height()) == (800, 450)
    assert _run(data_dir, "export-chart", "compare", "--with-table", "--out", str(svg), *size) == 0
    text = _svg_texts(svg)
    assert "Growth of $10,000" in text and "Sharpe" in text
    assert re.search(r"and \d+ more columns: export-table shows the whole table", text)
    capsys.readouterr()


def test_export_table_refuses_all(data_dir, tmp_path, capsys):
    assert _run(data_dir, "export-table", "all", "--out", str(tmp_path / "t.png")) == 2
    assert "one view" in assert_one_clean_line(capsys.readouterr().err)
