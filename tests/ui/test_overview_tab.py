"""Market Overview tab: its numbers equal the core functions and the command line; pairs are edited,
the range follows the presets without rebuilding curves, a double-click opens ETF Comparison, exports work."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication

from rotation_desk.cli.main import main
from rotation_desk.core.performance import TABLE_PERIODS, column_label, performance_table
from rotation_desk.core.returns import period_start
from rotation_desk.core.rotation import DEFAULT_PAIRS, breadth, ratio_lines, score_pair
from rotation_desk.core.thesis import figure_text
from rotation_desk.ui.charts.panel import unix_seconds
from rotation_desk.ui.kit import formats
from rotation_desk.ui.state.sections import OverviewSettings
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.tables.table import RAW_ROLE
from rotation_desk.ui.tabs.compare.tab import CompareTab
from rotation_desk.ui.tabs.overview.tab import ROTATION, THESIS, WATCHLIST, OverviewTab

LAST = pd.Timestamp("2026-08-03")
WATCH = OverviewSettings().watchlist


@pytest.fixture
def tab(qtbot, services):
    t = OverviewTab(services)
    qtbot.addWidget(t)
    t.resize(1400, 860)
    t.ensure_current()  # hidden: computed in this thread
    return t


def cli_json(capsys, data_dir, *argv):
    assert main(["--offline", "--data-dir", str(data_dir), *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def table_row(table, ticker: str) -> dict:
    frame = table.frame()
    return frame.set_index("ticker").loc[ticker].to_dict()


# ---------------------------------------------------------------- watchlist table
def test_performance_table_equals_core_function(tab, closes):
    start = period_start(LAST, "5Y")
    expected = performance_table(closes, WATCH, as_of=LAST, dd_start=start)
    frame = tab.table.frame().set_index("ticker")
    assert list(frame.index) == WATCH
    cols = [*TABLE_PERIODS, "max_drawdown", "from_52w_high"]
    np.testing.assert_allclose(frame[cols].to_numpy(float), expected[cols].to_numpy(float), rtol=0, atol=0)
    # what is displayed is those numbers, formatted
    headers = [tab.table.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(tab.table.proxy.columnCount())]
    assert headers[2:] == [column_label(p) for p in TABLE_PERIODS] + ["Max DD (5Y)", "vs 52w high"]
    shown = dict(zip(headers, tab.table.displayed_rows()[WATCH.index("VBR")]))
    assert shown["1Y"] == formats.pct(expected.loc["VBR", "1Y"])
    assert shown["10Y (ann.)"] == formats.pct(expected.loc["VBR", "10Y"])
    assert np.isnan(frame.loc["DFAT", "10Y"]) and table_row(tab.table, "DFAT")["name"]  # DFAT started in 2021


def test_performance_table_equals_metrics_cli(tab, data_dir, capsys):
    one_year = (LAST - pd.DateOffset(years=1)).strftime("%F")
    five_years = (LAST - pd.DateOffset(years=5)).strftime("%F")
    for ticker in ("IWN", "ACWX", "TLT"):
        row = table_row(tab.table, ticker)
        (m1,) = cli_json(capsys, data_dir, "metrics", ticker, "--start", one_year, "--end", "2026-08-03")
        (m5,) = cli_json(capsys, data_dir, "metrics", ticker, "--start", five_years)
        (ytd,) = cli_json(capsys, data_dir, "metrics", ticker, "--start", "2025-12-31")
        assert row["1Y"] == pytest.approx(m1["total_return"], rel=1e-12)
        assert row["5Y"] == pytest.approx(m5["cagr"], rel=1e-12)
        assert row["YTD"] == pytest.approx(ytd["total_return"], rel=1e-12)
        assert row["max_drawdown"] == pytest.approx(m5["max_drawdown"], rel=1e-12)  # over the 5Y window shown


def test_table_sorts_by_value_and_caption_names_the_window(tab):
    j = tab.table.column_index("1Y")
    tab.table.sortByColumn(j, Qt.SortOrder.DescendingOrder)
    values = tab.table.raw_column("1Y")
    assert values == sorted(values, reverse=True) and len(values) == len(WATCH)
    assert "2026-08-03" in tab.table_caption.text() and "5Y window" in tab.table_caption.text()


# ---------------------------------------------------------------- scorecard and pairs chart
def test_scorecard_rows_equal_score_pair(tab, closes):
    frame = tab.scorecard.frame().set_index("pair")
    scores = []
    for pair in DEFAULT_PAIRS:
        s = score_pair(closes, pair)
        scores.append(s)
        row = frame.loc[pair.key]
        for label, value in s.changes.items():
            assert row[label] == pytest.approx(value, rel=1e-12)
        assert row["vs_slow"] == ("above" if s.above_slow_ma else "below")
        assert row["sessions"] == s.sessions_in_state
        assert pd.Timestamp(row["since"]) == s.state_since
        assert row["state"] == s.words()
    assert breadth(scores).words() in tab.breadth_label.text()
    assert tab.breadth_label.text().startswith("Breadth: 5 of 7 pairs favour the rotation")


def test_pairs_chart_draws_core_ratio_lines_and_reads_them(tab, closes):
    chart = tab.pairs_chart
    assert chart.pair_keys() == [p.key for p in DEFAULT_PAIRS]
    start = period_start(LAST, "5Y")
    pair = DEFAULT_PAIRS[0]
    lines = ratio_lines(closes, pair, start, LAST)
    ratio = chart.curve_items()[pair.key]["ratio"]
    x, y = ratio.getOriginalDataset()
    np.testing.assert_array_equal(x, unix_seconds(lines.ratio.index))
    np.testing.assert_allclose(y, lines.ratio.to_numpy(), rtol=1e-15)
    assert y[0] == pytest.approx(100.0)
    slow = chart.curve_items()[pair.key]["200-day"].getOriginalDataset()[1]
    np.testing.assert_allclose(slow, lines.ma_slow.dropna().to_numpy(), rtol=1e-15)
    # header: the state in words; under the crosshair, the values at that session
    assert chart.header_text(pair.key).startswith(f"{pair.key}  {score_pair(closes, pair).words()}")
    when = pd.Timestamp("2024-03-15")
    chart.move_pair_crosshair(float(unix_seconds(pd.DatetimeIndex([when]))[0]), pair.key)
    r, fast, slow = (s.loc[when] for s in (lines.ratio, lines.ma_fast, lines.ma_slow))
    assert "Fri 2024-03-15" in chart.header_text("IWD/IWF")  # every plot reads the same session
    assert chart.header_text(pair.key) == (
        f"{pair.key}  Fri 2024-03-15 · ratio {r:.1f} ({formats.pct(r / 100 - 1)}) · 50d {fast:.1f} · 200d {slow:.1f}"
    )
    chart.clear_crosshair()
    assert "Fri 2024-03-15" not in chart.header_text(pair.key)


def test_focus_one_pair_from_selector_and_scorecard(tab):
    chart = tab.pairs_chart
    chart.show_box.setCurrentIndex(chart.show_box.findData("ACWX/SPY"))
    assert chart.visible_keys() == ["ACWX/SPY"]
    chart.set_focus("")
    assert len(chart.visible_keys()) == 7
    row = list(tab.scorecard.frame()["pair"]).index("RSP/SPY")
    tab.rotation.focus_row(tab.scorecard.proxy.index(row, 0))
    assert chart.focus() == "RSP/SPY" and chart.show_box.currentData() == "RSP/SPY"


def test_add_and_remove_pairs(tab, qtbot, settings):
    editor = tab.pair_editor
    editor.numerator.setText("avuv")
    editor.denominator.setText("spy")
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.error() is None and tab.pair_keys[-1] == "AVUV/SPY"
    assert settings.overview.pairs[-1] == "AVUV/SPY"
    assert (
        Settings.from_json(json.loads(json.dumps(settings.to_json()))).overview.pairs == settings.overview.pairs
    )  # persisted
    tab.ensure_current()
    assert "AVUV/SPY" in tab.pairs_chart.pair_keys()
    assert list(tab.scorecard.frame()["pair"])[-1] == "AVUV/SPY"
    assert tab.pairs_chart.header_text("AVUV/SPY").startswith(
        "AVUV/SPY  AVUV leading for"
    ) or tab.pairs_chart.header_text("AVUV/SPY").startswith("AVUV/SPY  SPY leading for")

    for num, den, reason in (
        ("ZZZZ", "SPY", "no cached prices for ZZZZ"),
        ("SPY", "SPY", "must be different"),
        ("IWM", "SPY", "already shown"),
        ("IWM", "", "enter both tickers"),
        ("IW M", "SPY", "not a ticker symbol"),
    ):
        editor.numerator.setText(num)
        editor.denominator.setText(den)
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
        assert reason in editor.error(), (num, den, editor.error())
        assert "border: 1px solid" in editor.numerator.styleSheet()  # the field is marked
        assert tab.pair_keys[-1] == "AVUV/SPY" and len(tab.pair_keys) == 8
    editor.numerator.setText("I")  # typing clears the mark
    editor.numerator.textEdited.emit("I")
    assert editor.error() is None and editor.numerator.styleSheet() == ""

    tab.scorecard.clearSelection()
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert "select" in editor.error() and len(tab.pair_keys) == 8
    rows = list(tab.scorecard.frame()["pair"])
    for key in ("AVUV/SPY", "EEM/SPY"):
        tab.scorecard.selectionModel().select(
            tab.scorecard.proxy.index(rows.index(key), 0), tab.scorecard.selectionModel().SelectionFlag.Select
        )
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert tab.pair_keys == [p.key for p in DEFAULT_PAIRS[:-1]] and settings.overview.pairs == tab.pair_keys
    tab.ensure_current()
    assert tab.pairs_chart.pair_keys() == tab.pair_keys and "EEM/SPY" not in list(tab.scorecard.frame()["pair"])
    assert tab.breadth_label.text().startswith("Breadth: 5 of 6 pairs")
    tab.remove_pairs(list(tab.pair_keys))
    tab.ensure_current()
    assert "No rotation pairs to show" in tab.pairs_chart.message() and settings.overview.pairs == []
    assert tab.breadth_label.text().startswith("Breadth: no pairs to count")
    qtbot.mouseClick(editor.reset_button, Qt.MouseButton.LeftButton)
    tab.ensure_current()
    assert tab.pairs_chart.pair_keys() == [p.key for p in DEFAULT_PAIRS]


def test_saved_pairs_are_used_and_unknown_tickers_are_reported(qtbot, services):
    services.settings.overview.pairs = ["IWM/SPY", "XYZQ/SPY"]
    t = OverviewTab(services)
    qtbot.addWidget(t)
    t.ensure_current()
    assert t.pairs_chart.pair_keys() == ["IWM/SPY"]
    state = t.scorecard.frame().set_index("pair").loc["XYZQ/SPY", "state"]
    assert state == "no cached prices for XYZQ"
    assert "XYZQ/SPY: no cached prices for XYZQ" in t.pairs_chart.subtitle()
    assert t.breadth_label.text().startswith("Breadth: 1 of 1 pairs")


# ---------------------------------------------------------------- range presets
def test_range_change_updates_charts_without_rebuilding_curves(tab, view_state):
    perf_items = {item.name(): item for item in tab.chart.plot_item.listDataItems()}
    pair_items = tab.pairs_chart.curve_items()
    assert len(perf_items) == len(WATCH) and len(pair_items) == 7
    view_state.set_preset("1Y")
    tab.ensure_current()
    assert {item.name(): item for item in tab.chart.plot_item.listDataItems()} == perf_items
    after = tab.pairs_chart.curve_items()
    assert all(after[k][n] is pair_items[k][n] for k in pair_items for n in pair_items[k])
    first = pd.Timestamp(int(perf_items["SPY"].getOriginalDataset()[0][0]), unit="s")
    assert first == pd.Timestamp("2025-08-01")  # last close on or before 2025-08-03
    x, y = pair_items["IWM/SPY"]["ratio"].getOriginalDataset()
    assert pd.Timestamp(int(x[0]), unit="s") == first and y[0] == pytest.approx(100.0)
    assert tab.chart.subtitle().startswith("1Y window 2025-08-01 – 2026-08-03")
    assert (
        tab.table.horizontalHeader()
        .model()
        .headerData(tab.table.column_index("max_drawdown"), Qt.Orientation.Horizontal)
        == "Max DD (1Y)"
    )


# ---------------------------------------------------------------- thesis
def test_thesis_widget_equals_thesis_cli(tab, data_dir, capsys):
    assert main(["--offline", "--data-dir", str(data_dir), "thesis", "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)
    cards = tab.thesis.cards
    assert [c.claim.id for c in cards] == [i["id"] for i in items]
    for card, item in zip(cards, items):
        assert card.proxies.text() == "Proxies: " + ", ".join(item["proxies"])
        for block, expected in ((card.then, item), (card.today, item["as_of_today"])):
            assert block.chip.text() == expected["verdict"]
            assert block.check.window == expected["window"]["text"]
            values = [f["value"] for f in expected["figures"]]
            got = [f.value for f in block.check.figures]
            assert got == pytest.approx(values) if all(isinstance(v, float) for v in values) else got == values
            assert block.note.text() == expected["note"]
            texts = [figure_text(f) for f in block.check.figures]
            assert block.figures.text() == (" · ".join(texts) or "no figures")
    acwx = cards[[i["id"] for i in items].index("acwx_2025_h1")]
    assert acwx.then.figures.text() == "ACWX 2025 H1 +18.5 %" and acwx.then.chip.text() == "supported"
    nasdaq = cards[0].then.figures.text()
    assert nasdaq.startswith("QQQ YTD +10.1 % · IWD YTD +7.6 %") and cards[0].then.chip.text() == "not supported"
    assert tab.thesis.summary.text().startswith("8 claims. When written: 2 supported, 4 not supported, 2 not checkable")


def test_thesis_is_not_recomputed_by_a_range_change(tab, view_state):
    cards = list(tab.thesis.cards)
    view_state.set_preset("3Y")
    tab.ensure_current()
    assert tab.thesis.cards == cards  # same widgets: the thesis does not depend on the range


# ---------------------------------------------------------------- views, export, main window
def test_views_and_current_chart(tab):
    assert tab.chart_for_view("overview") is tab.chart and tab.chart_for_view("ratios") is tab.pairs_chart
    tab.select_view("ratios")
    assert tab.sub_tabs.currentIndex() == ROTATION and tab.current_chart() is tab.pairs_chart
    assert tab.current_table() is tab.scorecard
    tab.select_view("overview")
    assert tab.sub_tabs.currentIndex() == WATCHLIST and tab.current_table() is tab.table
    tab.sub_tabs.setCurrentIndex(THESIS)
    assert tab.current_chart() is None and tab.current_table() is None


def png_size(path):
    image = QImage(str(path))
    return image.width(), image.height()


def test_export_chart_overview_and_ratios(qapp, data_dir, tmp_path, capsys):
    base = ["--offline", "--data-dir", str(data_dir), "export-chart"]
    assert main(base + ["overview", "--out", str(tmp_path / "o.png"), "--width", "1200", "--height", "700"]) == 0
    assert png_size(tmp_path / "o.png") == (1200, 700)
    assert main(base + ["ratios", "--out", str(tmp_path / "r.png"), "--theme", "dark"]) == 0
    assert png_size(tmp_path / "r.png") == (1600, 900)
    assert main(base + ["ratios", "--tickers", "iwm/spy,AVUV/IWN", "--out", str(tmp_path / "r2.png")]) == 0
    assert main(base + ["overview", "--tickers", "VBR,DFAT", "--out", str(tmp_path / "o2.png")]) == 0
    capsys.readouterr()
    assert main(base + ["ratios", "--tickers", "SPY", "--out", str(tmp_path / "bad.png")]) == 2
    assert "export-chart ratios takes pairs such as IWM/SPY" in capsys.readouterr().err
    assert main(base + ["ratios", "--tickers", "IWM/ZZZZ", "--out", str(tmp_path / "bad.png")]) == 2
    assert "no cached prices for ZZZZ" in capsys.readouterr().err
    assert main(base + ["overview", "--tickers", "IWM/SPY", "--out", str(tmp_path / "bad.png")]) == 2
    assert "takes tickers, not pairs" in capsys.readouterr().err
    assert not (tmp_path / "bad.png").exists()


def test_export_of_ratios_draws_only_the_requested_pairs(qtbot, services):
    t = OverviewTab(services)
    qtbot.addWidget(t)
    t.use_tickers(["IWM/SPY", "IWD/IWF"])
    t.select_view("ratios")
    t.ensure_current()
    assert t.pairs_chart.pair_keys() == ["IWM/SPY", "IWD/IWF"]
    assert services.settings.overview.pairs == [p.key for p in DEFAULT_PAIRS]  # an export never changes the settings
    image = t.pairs_chart.render_image(900, 500)
    assert (image.width(), image.height()) == (900, 500)


def double_click(widget, point) -> None:
    """Press, release, double-click, release: what a real double-click delivers (QTest.mouseDClick
    skips the first release, and item views then do not emit doubleClicked)."""
    pos = QPointF(point)
    for kind in (
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseButtonRelease,
    ):
        held = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else Qt.MouseButton.LeftButton
        event = QMouseEvent(
            kind, pos, widget.mapToGlobal(pos), Qt.MouseButton.LeftButton, held, Qt.KeyboardModifier.NoModifier
        )
        QApplication.sendEvent(widget, event)


def wait_for(qtbot, tab, label):
    qtbot.waitUntil(lambda: tab.result is not None and tab.result.window.label == label, timeout=20000)


def test_double_click_opens_compare_tab(main_window, qtbot):
    overview = next(t for t in main_window.tab_list if isinstance(t, OverviewTab))
    compare = next(t for t in main_window.tab_list if isinstance(t, CompareTab))
    main_window.tabs.setCurrentWidget(overview)
    wait_for(qtbot, overview, main_window.view_state.preset)  # computed in the background while visible
    overview.sub_tabs.setCurrentIndex(WATCHLIST)
    table = overview.table
    rows = [table.proxy.index(r, 0).data(RAW_ROLE) for r in range(table.proxy.rowCount())]
    assert "GLD" not in compare.tickers
    index = table.proxy.index(rows.index("GLD"), 3)
    qtbot.waitUntil(table.isVisible)
    table.scrollTo(index)
    rect = table.visualRect(index)
    assert table.viewport().rect().contains(rect.center())
    double_click(table.viewport(), rect.center())
    assert main_window.current_tab() is compare
    assert "GLD" in compare.tickers  # CompareTab.add_ticker took it


def test_visible_tab_recomputes_in_the_background_on_a_range_change(main_window, qtbot):
    overview = next(t for t in main_window.tab_list if isinstance(t, OverviewTab))
    main_window.tabs.setCurrentWidget(overview)
    wait_for(qtbot, overview, main_window.view_state.preset)
    items = overview.pairs_chart.curve_items()["IWM/SPY"]["ratio"]
    main_window.view_state.set_preset("3M")
    wait_for(qtbot, overview, "3M")
    assert overview.pairs_chart.curve_items()["IWM/SPY"]["ratio"] is items
    assert overview.chart.subtitle().startswith("3M window")
    overview.wait_idle()


def test_pointer_over_a_plot_moves_the_shared_crosshair_and_log_scale_applies_to_all(tab, settings):
    chart = tab.pairs_chart
    chart.resize(1200, 700)
    tab.sub_tabs.setCurrentIndex(ROTATION)
    cell = chart.cell("IWD/IWF")
    chart.view.ci.layout.activate()
    rect = cell.plot.vb.sceneBoundingRect()
    assert rect.width() > 50 and rect.height() > 50
    chart._grid_mouse_moved((rect.center(),))
    assert all(chart.cell(k).vline.isVisible() for k in chart.pair_keys())
    assert chart.header_text("IWM/SPY").startswith("IWM/SPY  ") and " · ratio " in chart.header_text("IWM/SPY")
    chart._grid_mouse_moved((rect.topLeft() - QPointF(5, 5),))  # off the plots: back to the words
    assert not any(chart.cell(k).vline.isVisible() for k in chart.pair_keys())
    chart.log_button.setChecked(True)
    assert all(chart.cell(k).plot.getAxis("left").logMode for k in chart.pair_keys())
    assert settings.charts["overview.ratios"].log is True


def test_theme_switch_restyles_every_part(tab):
    from rotation_desk.ui.kit.theme import DARK
    from rotation_desk.ui.tabs.overview.thesis_view import chip_colours

    tab.apply_theme(DARK)
    chip = tab.thesis.cards[0].then.chip
    assert chip_colours(chip.verdict, DARK)[0] in chip.styleSheet()
    cell = tab.pairs_chart.cell("IWM/SPY")
    assert cell.colour == DARK.series[0] and cell.curves["ratio"].opts["pen"].color().name() == DARK.series[0].lower()
    segments = cell.header.segments
    assert segments[1].colour == DARK.gain  # IWM/SPY favours the rotation: gain colour in the dark theme
