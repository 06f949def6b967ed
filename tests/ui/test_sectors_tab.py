"""Sector Tilts tab: the RRG, its table and heat map, the slider and animation, the tilt editor and backtest.

Every figure on screen is checked against the command line (``rrg``/``tilt --format json``,
run in-process on the same data dir) or against the core function the command calls.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from PySide6.QtGui import QImage

from rotation_desk.cli.main import main
from rotation_desk.core import rrg as rrg_core
from rotation_desk.core import tilt as tilt_core
from rotation_desk.ui.kit import formats
from rotation_desk.ui.tabs.sectors.rrg_backdrop import QUADRANT_COLOURS
from rotation_desk.ui.tabs.sectors.tab import SectorsTab


def cli(data_dir, capsys, *argv):
    code = main(["--offline", "--data-dir", str(data_dir), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def tab(qtbot, services):
    """The tab, not shown: it computes synchronously (as for export-chart)."""
    t = SectorsTab(services)
    qtbot.addWidget(t)
    t.resize(1400, 860)
    yield t
    t.timeline.stop()
    t.wait_idle()


@pytest.fixture
def shown(qtbot, services):
    """The tab on screen: the RRG computes in the worker pool, as in the app."""
    t = SectorsTab(services)
    qtbot.addWidget(t)
    t.resize(1400, 860)
    t.show()
    qtbot.waitExposed(t)
    qtbot.waitUntil(lambda: t.data is not None and t.rows_date() is not None, timeout=20000)
    yield t
    t.timeline.stop()
    t.wait_idle()


def table_rows(table) -> list[dict]:
    keys = [c.key for c in table.source_model.columns()]
    columns = {k: table.raw_column(k) for k in keys}
    return [{k: columns[k][i] for k in keys} for i in range(len(columns[keys[0]]))]


# ---------------------------------------------------------------------------- rotation graph
def test_rrg_table_markers_and_heatmap_equal_the_rrg_command(tab, data_dir, capsys):
    tab.ensure_current()
    code, out, _ = cli(data_dir, capsys, "rrg", "--format", "json")
    assert code == 0
    report = json.loads(out)
    rows = table_rows(tab.rrg_table)
    assert [r["ticker"] for r in rows] == [i["ticker"] for i in report["tickers"]] == list(rrg_core.SECTORS)
    markers = tab.chart.marker_positions()
    heat = {r["ticker"]: r for r in table_rows(tab.heat_table)}
    for row, item in zip(rows, report["tickers"]):
        assert row["rs_ratio"] == pytest.approx(item["rs_ratio"], abs=1e-9)
        assert row["rs_momentum"] == pytest.approx(item["rs_momentum"], abs=1e-9)
        assert row["quadrant"] == item["quadrant"]
        assert row["periods_in_quadrant"] == item["periods_in_quadrant"]
        assert row["heading"] == (item["heading"] or formats.MISSING)
        assert markers[item["ticker"]] == pytest.approx((item["rs_ratio"], item["rs_momentum"]), abs=1e-9)
        for label, value in item["relative_returns"].items():
            shown = heat[item["ticker"]][label.upper()]
            assert (value is None and np.isnan(shown)) or shown == pytest.approx(value, abs=1e-12)
    assert tab.rows_date() == pd.Timestamp(report["as_of"])
    assert report["as_of"] in tab.chart.subtitle() and "Relative rotation graph vs SPY" == tab.chart.title()
    displayed = tab.rrg_table.displayed_rows()[0]
    assert displayed[:4] == [
        "XLK",
        f"{report['tickers'][0]['rs_ratio']:.2f}",
        f"{report['tickers'][0]['rs_momentum']:.2f}",
        report["tickers"][0]["quadrant"],
    ]


def test_markers_and_tails_are_the_snapshot_points(tab, closes):
    tab.tail_spin.setValue(5)
    tab.ensure_current()
    series = rrg_core.rrg_series(closes, rrg_core.SECTORS, "SPY", "weekly")
    snapshot = rrg_core.rrg_snapshot(series, tail=5)
    markers = tab.chart.marker_positions()
    for row in snapshot:
        assert markers[row.ticker] == (row.rs_ratio, row.rs_momentum)
        xs, ys = tab.chart.tail_points(row.ticker)
        assert xs.tolist() == [p.rs_ratio for p in row.tail]
        assert ys.tolist() == [p.rs_momentum for p in row.tail]
    # the four quadrants are where the core puts them: a marker right of and above 100 is Leading
    for row in snapshot:
        x, y = markers[row.ticker]
        assert rrg_core.quadrant(x, y) == row.quadrant


def test_slider_to_a_past_date_shows_the_rrg_as_of_that_date(shown, closes):
    tab = shown
    tab.timeline.go_to_date("2024-03-20")  # a Wednesday: the slider goes to the Friday before
    when = tab.timeline.current()
    assert when == pd.Timestamp("2024-03-15")
    qtbot_wait(tab, lambda: tab.rows_date() == when)
    _, expected = rrg_core.rrg_at(closes, rrg_core.SECTORS, "SPY", when, "weekly", tail=tab.tail)
    rows = table_rows(tab.rrg_table)
    assert [r["ticker"] for r in rows] == [e.ticker for e in expected]
    markers = tab.chart.marker_positions()
    for row, e in zip(rows, expected):
        assert row["rs_ratio"] == pytest.approx(e.rs_ratio, abs=1e-9)
        assert row["rs_momentum"] == pytest.approx(e.rs_momentum, abs=1e-9)
        assert row["quadrant"] == e.quadrant and row["periods_in_quadrant"] == e.periods_in_quadrant
        assert markers[e.ticker] == pytest.approx((e.rs_ratio, e.rs_momentum), abs=1e-9)
        xs, _ = tab.chart.tail_points(e.ticker)
        assert xs == pytest.approx([p.rs_ratio for p in e.tail], abs=1e-9)
    heat = rrg_core.sector_heatmap(closes, rrg_core.SECTORS, "SPY", when)
    shown_heat = pd.DataFrame(table_rows(tab.heat_table)).set_index("ticker")
    pd.testing.assert_frame_equal(shown_heat, heat, check_names=False, check_dtype=False)
    assert "as of 2024-03-15" in tab.chart.subtitle() and "2024-03-15" in tab.heat_caption.text()


def test_a_ticker_without_history_yet_is_left_off_and_named(tab, view_state, closes):
    view_state.set_preset("Max")
    tab.ensure_current()
    tab.timeline.go_to_date("2019-06-28")  # XLC (2018) has no complete window yet; XLRE (2015) has
    assert "XLC" not in tab.chart.visible_tickers() and "XLRE" in tab.chart.visible_tickers()
    assert "XLC: no point yet" in tab.chart.subtitle()
    assert "no point yet for XLC" in tab.rrg_caption.text()
    _, expected = rrg_core.rrg_at(closes, rrg_core.SECTORS, "SPY", "2019-06-28", "weekly")
    assert [r["ticker"] for r in table_rows(tab.rrg_table)] == [e.ticker for e in expected]


def qtbot_wait(tab, condition, timeout=20.0):
    """Process events until ``condition`` holds (the worker's result is applied on the GUI thread)."""
    import time

    from PySide6.QtCore import QCoreApplication

    end = time.monotonic() + timeout
    while not condition():
        tab.wait_idle(1000)
        QCoreApplication.processEvents()
        if time.monotonic() > end:
            raise AssertionError("timed out")


def test_play_advances_frames_in_place_and_the_table_follows_each_frame(shown, qtbot):
    """Issue 13: while playing, the subtitle, the table and the heat map show the slider's date (they
    stayed on the date playing started from); the animation waits for each frame's table."""
    tab = shown
    n = len(tab.timeline.frames)
    assert n > 200  # five years of weeks
    tab.timeline.go_to(n - 40)
    qtbot_wait(tab, lambda: tab.rows_date() == tab.timeline.frames[n - 40])
    items = {name: tuple(id(i) for i in t.items()) for name, t in tab.chart.tracks.items()}
    shared = (id(tab.chart.dots), id(tab.chart.heads))
    count = len(tab.chart.plot_item.items)
    tab.frame_costs.clear()
    seen = []  # (slider date, subtitle, table date, heat map caption) at each frame while playing

    def look(_index):
        if tab.timeline.is_playing():
            seen.append((tab.timeline.current(), tab.chart.subtitle(), tab.rows_date(), tab.heat_caption.text()))

    tab.timeline.frame_changed.connect(look)
    tab.timeline.speed.setCurrentText("Fast")
    tab.timeline.play()
    assert tab.timeline.is_playing()
    qtbot.waitUntil(lambda: tab.timeline.index() >= n - 30, timeout=30000)
    tab.timeline.stop()
    tab.timeline.frame_changed.disconnect(look)
    assert not tab.timeline.is_playing()
    when = tab.timeline.current()
    assert len(seen) >= 10 and len(tab.frame_costs) >= 10
    for slider, subtitle, table_date, _heat in seen[1:]:
        # each frame starts when the previous frame's table is in: the table is one frame behind at
        # most for the instant between the slider's move and its table's arrival
        assert subtitle.startswith(f"as of {slider:%Y-%m-%d}")
        assert table_date in (slider, tab.timeline.frames[tab.timeline.frames.index(slider) - 1])
    for previous, current in zip(seen, seen[1:]):
        assert current[2] == previous[0]  # the table had reached each frame before the slider moved on
        assert f"{previous[0]:%Y-%m-%d}" in current[3]  # and so had the heat map
    # the same items, moved with setData: nothing was added to or removed from the plot
    assert {name: tuple(id(i) for i in t.items()) for name, t in tab.chart.tracks.items()} == items
    assert (id(tab.chart.dots), id(tab.chart.heads)) == shared
    assert len(tab.chart.plot_item.items) == count
    assert tab.chart.shown_date == when and tab.chart.date_label.toPlainText() == f"{when:%Y-%m-%d}"
    qtbot_wait(tab, lambda: tab.rows_date() == when)
    snapshot = {r.ticker: r for r in rrg_core.rrg_snapshot(tab.series, as_of=when, tail=tab.tail)}
    for name, (x, y) in tab.chart.marker_positions().items():
        assert (x, y) == (snapshot[name].rs_ratio, snapshot[name].rs_momentum)
    assert table_rows(tab.rrg_table)[0]["rs_ratio"] == snapshot["XLK"].rs_ratio


def test_changing_tickers_on_screen_keeps_the_slider_date(shown, closes):
    tab = shown
    tab.timeline.go_to_date("2023-06-30")
    when = tab.timeline.current()
    qtbot_wait(tab, lambda: tab.rows_date() == when)
    tab.ticker_edit.edit.setText("XLK XLE ITA")
    assert tab.ticker_edit.apply()
    qtbot_wait(tab, lambda: list(tab.chart.tracks) == ["XLK", "XLE", "ITA"] and tab.rows_date() is not None)
    assert tab.timeline.current() == when == tab.rows_date() == tab.chart.shown_date
    _, expected = rrg_core.rrg_at(closes, ["XLK", "XLE", "ITA"], "SPY", when, "weekly")
    assert [r["rs_ratio"] for r in table_rows(tab.rrg_table)] == pytest.approx([e.rs_ratio for e in expected], abs=1e-9)


def test_play_at_the_end_restarts_from_the_start_of_the_range_and_stops_at_the_end(shown, qtbot):
    tab = shown
    assert tab.timeline.index() == len(tab.timeline.frames) - 1
    tab.timeline.play()
    assert tab.timeline.index() == 0
    tab.timeline.stop()
    tab.timeline.go_to(len(tab.timeline.frames) - 3)
    tab.timeline.speed.setCurrentText("Fast")
    tab.timeline.play()
    qtbot.waitUntil(lambda: not tab.timeline.is_playing(), timeout=10000)
    assert tab.timeline.index() == len(tab.timeline.frames) - 1
    assert tab.timeline.play_button.text() == "Play"


def test_adding_a_ticker_and_a_bad_one(tab, closes):
    tab.ensure_current()
    tab.ticker_edit.edit.setText(" ".join([*rrg_core.SECTORS, "ITA", "KRE"]))
    assert tab.ticker_edit.apply()
    tab.ensure_current()
    assert list(tab.chart.tracks)[-2:] == ["ITA", "KRE"]
    _, expected = rrg_core.rrg_at(closes, [*rrg_core.SECTORS, "ITA", "KRE"], "SPY")
    rows = {r["ticker"]: r for r in table_rows(tab.rrg_table)}
    assert rows["ITA"]["rs_ratio"] == pytest.approx(expected[-2].rs_ratio, abs=1e-9)
    assert tab.chart.marker_positions()["KRE"] == (expected[-1].rs_ratio, expected[-1].rs_momentum)
    assert tab.settings.sectors.tickers[-2:] == ["ITA", "KRE"]

    tab.ticker_edit.edit.setText("XLK NOPE1")
    assert not tab.ticker_edit.apply()
    assert "no cached prices for NOPE1" in tab.ticker_edit.error()
    assert "NOPE1" not in tab.tickers and "ITA" in tab.tickers


def test_daily_frequency_equals_the_command(tab, data_dir, capsys):
    tab.frequency_box.setCurrentText("Daily")
    tab.ensure_current()
    assert tab.tail_unit.text() == "sessions"
    code, out, _ = cli(data_dir, capsys, "rrg", "--frequency", "daily", "--format", "json")
    assert code == 0
    report = json.loads(out)
    rows = table_rows(tab.rrg_table)
    for row, item in zip(rows, report["tickers"], strict=True):
        assert row["rs_ratio"] == pytest.approx(item["rs_ratio"], abs=1e-9)
        assert row["periods_in_quadrant"] == item["periods_in_quadrant"]
    assert tab.rrg_table.source_model.columns()[4].header == "Sessions in"
    assert "daily points" in tab.chart.subtitle()


def test_benchmark_change_moves_the_graph_to_the_new_benchmark(tab, view_state, closes):
    tab.ensure_current()
    view_state.set_benchmark("RSP")
    tab.ensure_current()
    _, expected = rrg_core.rrg_at(closes, rrg_core.SECTORS, "RSP")
    assert table_rows(tab.rrg_table)[0]["rs_ratio"] == pytest.approx(expected[0].rs_ratio, abs=1e-9)
    assert tab.chart.title() == "Relative rotation graph vs RSP"


def test_a_benchmark_in_the_ticker_list_is_left_out_and_said(tab):
    tab.use_tickers(["XLK", "SPY", "XLF"])
    tab.ensure_current()
    assert list(tab.chart.tracks) == ["XLK", "XLF"]
    assert "SPY is the benchmark, left out" in tab.rrg_caption.text()


def test_help_shows_the_formulas_for_the_frequency(tab):
    from PySide6.QtWidgets import QPlainTextEdit

    dialog = tab.show_help()
    text = dialog.findChild(QPlainTextEdit).toPlainText()
    assert text == rrg_core.formula_help("weekly")
    assert "only data up to its own date" in text
    tab.frequency_box.setCurrentText("Daily")
    assert dialog.findChild(QPlainTextEdit).toPlainText() == rrg_core.formula_help("daily")
    dialog.close()


def test_labels_do_not_cover_each_other_or_markers(shown):
    chart = shown.chart
    rects = chart.label_rects()
    assert len(rects) == 11
    names = list(rects)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not rects[a].intersects(rects[b]), (a, b)
    view = chart.vb.sceneBoundingRect()
    for name, rect in rects.items():
        assert view.contains(rect), name


def test_quadrant_tints_follow_the_theme(qtbot, services, dark_services):
    light = SectorsTab(services)
    qtbot.addWidget(light)
    dark = SectorsTab(dark_services)
    qtbot.addWidget(dark)
    for tab, key in ((light, "light"), (dark, "dark")):
        for name, rect in tab.chart.tints.items():
            colour = rect.brush().color()
            assert colour.name().upper() == QUADRANT_COLOURS[key][name][0].upper()
            assert 0.05 < colour.alphaF() < 0.15  # lightly tinted
            assert tab.chart.quadrant_labels[name].color.name().upper() == QUADRANT_COLOURS[key][name][1].upper()
    light.apply_theme(dark_services.theme)
    assert light.chart.tints["Leading"].brush().color().name().upper() == QUADRANT_COLOURS["dark"]["Leading"][0].upper()


# ---------------------------------------------------------------------------- tilt backtest
def test_weights_not_summing_to_100_are_marked_and_not_run(tab):
    tab.select_view("tilt")
    tab.ensure_current()
    assert tab.tilt_runs == 1 and tab.tilt_result is not None
    tab.editor.rows["XLI"].spin.setValue(20.0)  # 70 + 20 + 10 + 10 = 110
    problem = "weights sum to 110 %, not 100 % (tolerance ±0.01)"
    assert problem in tab.editor.total_text() and "(10 % too much)" in tab.editor.total_text()
    assert tab.editor.problem() == problem
    assert tab.theme.loss in tab.editor.total_label.styleSheet()
    assert not tab.tilt_job.resting()
    tab.run_tilt()
    assert tab.tilt_runs == 1 and tab.tilt_result is None
    assert tab.growth.message() == f"Not run: {problem}"
    assert tab.cards["cagr"].value.text() == formats.MISSING
    tab.editor.rows["XLI"].spin.setValue(10.0)
    assert tab.editor.problem() is None and "✓" in tab.editor.total_text()
    tab.run_tilt()
    assert tab.tilt_runs == 2 and tab.growth.message() is None


def test_an_added_ticker_gets_a_row_and_a_bad_one_is_refused(tab):
    assert tab.editor.add_ticker("ITA") is None
    assert "ITA" in tab.editor.rows
    assert tab.editor.add_ticker("ita") == "ITA is already in the list"
    assert (
        tab.editor.add_ticker("NOPE1")
        == "no cached prices for NOPE1 (refresh it, or import it with File → Import prices from CSV…)"
    )
    assert (
        tab.editor.add_problem()
        == "no cached prices for NOPE1 (refresh it, or import it with File → Import prices from CSV…)"
    )
    tab.editor.set_weights({"SPY": 80, "ITA": 20})
    assert tab.editor.weights() == {"SPY": 80.0, "ITA": 20.0}
    tab.editor.remove_row("ITA")
    assert "ITA" not in tab.editor.rows and "weights sum to 80 %" in tab.editor.problem()


def test_presets_fill_the_weights_and_an_edit_makes_them_custom(tab):
    tab.editor.choose_preset("defensive")
    assert tab.editor.weights() == {"SPY": 80.0, "XLP": 10.0, "XLU": 10.0}
    assert tab.editor.preset_note.text() == "utilities and staples as defence"
    tab.editor.choose_preset("article tilts")
    assert tab.editor.weights() == tilt_core.preset("article tilts")
    tab.editor.rows["XLK"].spin.setValue(5.0)
    assert tab.editor.preset.currentText() == "Custom"
    tab.editor.rows["XLK"].spin.setValue(0.0)
    assert tab.editor.preset.currentText() == "article tilts"


def test_tilt_cards_chart_and_contributions_equal_the_tilt_command(tab, data_dir, capsys):
    tab.select_view("tilt")
    tab.editor.set_weights({"SPY": 70, "XLI": 10, "XLF": 10, "XLY": 10})
    tab.editor.set_rebalance("quarterly")
    tab.editor.set_custom_window("2016-01-01", "2025-12-31")
    tab.run_tilt()
    code, out, _ = cli(
        data_dir,
        capsys,
        "tilt",
        "--weights",
        "SPY=70,XLI=10,XLF=10,XLY=10",
        "--rebalance",
        "quarterly",
        "--start",
        "2016-01-01",
        "--end",
        "2025-12-31",
        "--format",
        "json",
    )
    assert code == 0
    report = json.loads(out)
    r = tab.tilt_result
    assert f"{r.start:%Y-%m-%d}" == report["start"] and f"{r.end:%Y-%m-%d}" == report["end"]
    assert r.tracking_error == pytest.approx(report["tracking_error"], abs=1e-12)
    assert r.information_ratio == pytest.approx(report["information_ratio"], abs=1e-12)
    p = report["portfolio"]
    cards = {k: c.value.text() for k, c in tab.cards.items()}
    assert cards == {
        "cagr": formats.pct(p["cagr"], 2),
        "volatility": formats.pct(p["volatility"], 1, False),
        "max_drawdown": formats.pct(p["max_drawdown"], 1),
        "tracking_error": formats.pct(report["tracking_error"], 2, False),
        "information_ratio": formats.number(report["information_ratio"]),
        "active_return": formats.pct(report["active_return"], 1),
    }
    assert formats.pct(report["benchmark_performance"]["cagr"], 2) in tab.cards["cagr"].caption.text()
    rows = {row["ticker"]: row for row in table_rows(tab.contrib_table)}
    for h in report["holdings"]:
        assert rows[h["ticker"]]["contribution"] == pytest.approx(h["contribution"], abs=1e-12)
        assert rows[h["ticker"]]["weight"] == pytest.approx(h["weight"], abs=1e-12)
        assert rows[h["ticker"]]["end_weight"] == pytest.approx(h["end_weight"], abs=1e-12)
    x, y = tab.growth.series_data("Tilted portfolio")
    assert y[-1] == pytest.approx(p["final_value"], abs=1e-6)
    _, active = tab.active_chart.series_data("Tilt vs SPY")
    assert active[-1] == pytest.approx(report["active_return"], abs=1e-12)
    assert report["start"] in tab.growth.subtitle() and "rebalanced quarterly" in tab.growth.subtitle()
    assert f"{report['rebalances']} rebalances" in tab.tilt_caption.text()


def test_tilt_uses_the_toolbar_range_by_default(tab, view_state, closes):
    view_state.set_preset("3Y")
    tab.select_view("tilt")
    tab.ensure_current()
    window = tab.current_range()
    expected = tilt_core.tilt_backtest(
        closes, tilt_core.preset("article tilts"), "SPY", "monthly", window.start, window.end
    )
    assert tab.tilt_result.start == expected.start and tab.tilt_result.end == expected.end
    assert tab.tilt_result.information_ratio == pytest.approx(expected.information_ratio, abs=1e-12)
    assert "3Y range" in tab.growth.subtitle()


def test_custom_window_with_the_end_before_the_start_is_marked(tab):
    tab.select_view("tilt")
    tab.editor.set_custom_window("2020-01-01", "2019-01-01")
    assert tab.editor.problem() == "the end 2019-01-01 is not after the start 2020-01-01"
    assert tab.editor.window_error.isVisibleTo(tab.editor)
    runs = tab.tilt_runs
    tab.run_tilt()
    assert tab.tilt_runs == runs and tab.tilt_result is None


def test_editing_weights_on_screen_reruns_after_a_pause(shown, qtbot):
    tab = shown
    tab.pages.setCurrentWidget(tab.tilt_page)
    qtbot.waitUntil(lambda: tab.tilt_result is not None, timeout=10000)
    runs = tab.tilt_runs
    tab.editor.choose_preset("defensive")
    assert tab.tilt_job.resting()
    qtbot.waitUntil(lambda: tab.tilt_runs == runs + 1, timeout=5000)
    assert set(tab.tilt_result.weights) == {"SPY", "XLU", "XLP"}


# ---------------------------------------------------------------------------- views and export
def test_views_and_use_tickers(tab):
    assert SectorsTab.views == ("rrg", "tilt")
    assert tab.chart_for_view("rrg") is tab.chart and tab.chart_for_view("tilt") is tab.growth
    tab.select_view("tilt")
    assert tab.current_chart() is tab.growth and tab.current_table() is tab.contrib_table
    tab.use_tickers(["SPY=60", "XLU=40"])
    assert tab.editor.weights() == {"SPY": 60.0, "XLU": 40.0}
    with pytest.raises(Exception, match="rrg chart takes tickers"):
        tab.select_view("rrg")
    with pytest.raises(Exception, match="weights sum to 90"):
        tab.use_tickers(["SPY=60", "XLU=30"])
    tab.use_tickers(["XLK", "ITA"])
    with pytest.raises(Exception, match="tilt chart takes weights"):
        tab.select_view("tilt")
    tab.select_view("rrg")
    tab.ensure_current()
    assert list(tab.chart.tracks) == ["XLK", "ITA"]


@pytest.mark.parametrize(
    "view, extra",
    [
        ("rrg", []),
        ("tilt", []),
        ("rrg", ["--tickers", "XLK,XLF,ITA"]),
        ("tilt", ["--tickers", "SPY=60,XLU=20,XLP=20", "--theme", "dark"]),
    ],
)
def test_export_chart_writes_the_png(data_dir, capsys, tmp_path, qapp, view, extra):
    out = tmp_path / f"{view}.png"
    code, _, err = cli(
        data_dir, capsys, "export-chart", view, "--out", str(out), "--width", "1200", "--height", "800", *extra
    )
    assert code == 0, err
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 800)
    colours = {image.pixelColor(x, y).name() for x in range(0, 1200, 37) for y in range(0, 800, 29)}
    assert len(colours) > 12  # drawn, not blank


def test_export_chart_tilt_with_a_ticker_list_says_what_it_takes(data_dir, capsys, tmp_path, qapp):
    code, _, err = cli(
        data_dir, capsys, "export-chart", "tilt", "--tickers", "XLK,XLF", "--out", str(tmp_path / "t.png")
    )
    assert code == 2
    assert "tilt chart takes weights" in err and not (tmp_path / "t.png").exists()


def test_export_rrg_as_of_an_end_date(data_dir, capsys, tmp_path, qapp, closes):
    from rotation_desk.data.market import MarketData
    from rotation_desk.data.paths import resolve_paths
    from rotation_desk.ui.app.render import ExportRequest, build_tab, load_settings_readonly

    market = MarketData(resolve_paths(data_dir), offline=True)
    try:
        settings, _ = load_settings_readonly(tmp_path / "none.json")
        req = ExportRequest("rrg", tmp_path / "r.png", end=pd.Timestamp("2020-03-20"))
        tab = build_tab(market, settings, req)
        _, expected = rrg_core.rrg_at(closes, rrg_core.SECTORS, "SPY", "2020-03-20", "weekly")
        markers = tab.chart.marker_positions()
        assert markers == {e.ticker: (e.rs_ratio, e.rs_momentum) for e in expected}
        assert "as of 2020-03-20" in tab.chart.subtitle()
        tab.chart.export_png(tmp_path / "r.png", 1000, 700)
        assert QImage(str(tmp_path / "r.png")).width() == 1000
        tab.deleteLater()
    finally:
        market.store.close()


def test_last_inputs_are_remembered_in_the_settings(qtbot, services, settings):
    first = SectorsTab(services)
    qtbot.addWidget(first)
    first.frequency_box.setCurrentText("Daily")
    first.tail_spin.setValue(12)
    first.editor.choose_preset("defensive")
    first.editor.set_rebalance("yearly")
    first.editor.rows["XLU"].spin.setValue(30.0)  # invalid (120 %): not remembered
    s = settings.sectors
    assert (s.frequency, s.tail, s.rebalance) == ("daily", 12, "yearly")
    assert s.weights == {"SPY": 80.0, "XLP": 10.0, "XLU": 10.0}
    again = SectorsTab(services)
    qtbot.addWidget(again)
    assert again.frequency == "daily" and again.frequency_box.currentText() == "Daily"
    assert again.tail_spin.value() == 12 and again.tail_unit.text() == "sessions"
    assert again.editor.weights() == {"SPY": 80.0, "XLP": 10.0, "XLU": 10.0}
    assert again.editor.preset.currentText() == "defensive" and again.editor.rebalance() == "yearly"


def test_not_enough_history_is_said_on_the_graph(tab, view_state):
    tab.ensure_current()
    headers = [c.header for c in tab.rrg_table.source_model.columns()]
    view_state.set_custom(None, "2019-06-28")
    tab.use_tickers(["XLC"])
    messages = []
    tab.status_message.connect(lambda text, error: messages.append((text, error)))
    tab.ensure_current()
    expected = (
        "Not enough history up to 2019-06-28 for an RRG point: each ticker needs 116 weeks of closes together with SPY."
    )
    assert tab.chart.message() == expected and messages == [(expected, True)]
    assert tab.rrg_table.displayed_rows() == [] and [c.header for c in tab.rrg_table.source_model.columns()] == headers
    assert not tab.timeline.isEnabled()
    tab.use_tickers(["XLK"])
    tab.ensure_current()
    assert tab.chart.message() is None and tab.chart.marker_positions().keys() == {"XLK"}
