"""The ETF Comparison tab: the table equals `rotation-desk metrics`, the picker, window modes, heatmap, exports."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from rotation_desk.cli.main import main
from rotation_desk.core.capture import fees_paid
from rotation_desk.core.rolling import rolling_return, rolling_volatility
from rotation_desk.data.refresh import RefreshReport, TickerOutcome
from rotation_desk.errors import BadInput
from rotation_desk.ui.app.render import ExportRequest, render
from rotation_desk.ui.charts.heatmap import contrast
from rotation_desk.ui.kit import formats
from rotation_desk.ui.kit.theme import DARK, LIGHT
from rotation_desk.ui.tables.table import RAW_ROLE
from rotation_desk.ui.tabs.compare.tab import CompareTab

FUNDS = ["DFAT", "VBR", "AVUV", "EEMV"]
DATES = ("start", "end", "max_drawdown_peak", "max_drawdown_trough", "max_drawdown_recovery", "first_date")
NUMBERS = (
    "total_return",
    "cagr",
    "volatility",
    "sharpe",
    "sortino",
    "max_drawdown",
    "calmar",
    "beta",
    "correlation",
    "up_capture",
    "down_capture",
    "best_year_return",
    "worst_year_return",
    "expense_ratio",
    "yearly_fee_on_10000",
)
# The completer popup opens while typing; the offscreen platform cannot raise it or grab the keyboard.
POPUP = pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard)")


@pytest.fixture
def tab(qtbot, services):
    t = CompareTab(services)
    qtbot.addWidget(t)
    t.resize(1300, 850)
    t.ensure_current()
    return t


@pytest.fixture
def shown(qtbot, tab):
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: not tab.busy() and tab.data is not None, timeout=20000)
    return tab


def _row(tab: CompareTab, ticker: str) -> dict:
    table = tab.table
    tickers = table.raw_column("ticker")
    r = tickers.index(ticker)
    out = {}
    for col in table.source_model.columns():
        out[col.key] = table.proxy.index(r, table.column_index(col.key)).data(RAW_ROLE)
    return out


def _tooltip(tab: CompareTab, ticker: str, key: str) -> str:
    r = tab.table.raw_column("ticker").index(ticker)
    return tab.table.proxy.index(r, tab.table.column_index(key)).data(Qt.ItemDataRole.ToolTipRole)


def _cli_metrics(data_dir, capsys, *args) -> list[dict]:
    capsys.readouterr()
    assert main(["--offline", "--data-dir", str(data_dir), "metrics", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_metrics_table_equals_the_command_line(tab, data_dir, capsys):
    cli = _cli_metrics(data_dir, capsys, *FUNDS, "--benchmark", "SPY", "--common-window")
    assert tab.table.raw_column("ticker") == FUNDS + ["SPY"]  # the benchmark row follows, in bold
    for item in cli:
        row = _row(tab, item["ticker"])
        for key in NUMBERS:
            assert row[key] == item[key], (item["ticker"], key)
        for key in DATES:
            shown = None if row[key] is None or pd.isna(row[key]) else formats.day(row[key])
            assert shown == item[key], (item["ticker"], key)
        assert row["best_year"] == str(item["best_year"]) and row["worst_year"] == str(item["worst_year"])
        assert row["name"] == item["name"]
    dfat = _row(tab, "DFAT")
    assert formats.day(dfat["first_date"]) == "2021-06-14" and formats.day(dfat["start"]) == "2021-06-14"
    assert dfat["expense_ratio"] == 0.0028
    tip = _tooltip(tab, "DFAT", "expense_ratio")
    assert "0.28 % a year, as of 2025-10-31" in tip and "SEC prospectus" in tip
    shown = tab.table.displayed_rows()[0]
    assert "0.28 %" in shown and "$28.00" in shown
    assert "common window 2021-06-14 – 2026-08-03, limited by DFAT" in tab.window_label.text()


def test_window_modes_change_the_start_dates(tab, view_state, data_dir, capsys):
    assert {formats.day(d) for d in tab.table.raw_column("start")} == {"2021-06-14"}
    tab.set_mode("full")
    tab.ensure_current()  # hidden tabs recompute when shown (or exported)
    assert tab.mode == "full" and tab.mode_box.currentText() == "Full history of each"
    starts = dict(zip(tab.table.raw_column("ticker"), map(formats.day, tab.table.raw_column("start"))))
    cli = {i["ticker"]: i for i in _cli_metrics(data_dir, capsys, *FUNDS, "--benchmark", "SPY")}
    assert starts == {
        "DFAT": "2021-06-14",
        "VBR": "2004-01-30",
        "AVUV": "2019-09-26",
        "EEMV": "2011-10-20",
        "SPY": "1993-01-29",
    }
    assert _row(tab, "VBR")["cagr"] == cli["VBR"]["cagr"]
    assert "full history of each fund" in tab.window_label.text()

    tab.set_mode("range")  # the toolbar's 5Y, cut to the common window
    tab.ensure_current()
    assert {formats.day(d) for d in tab.table.raw_column("start")} == {"2021-08-03"}
    assert tab.window_label.text().startswith("toolbar 5Y range: 2021-08-03 – 2026-08-03, common to all funds")
    assert tab.mode_box.currentText() == "Toolbar range (5Y)"
    view_state.set_preset("10Y")  # starts before DFAT existed: the common window limits it
    tab.ensure_current()
    assert {formats.day(d) for d in tab.table.raw_column("start")} == {"2021-06-14"}
    assert tab.window_label.text().startswith(
        "toolbar 10Y range starts before DFAT's first close, so: common window 2021-06-14 – 2026-08-03, limited by DFAT"
    )
    assert tab.growth.subtitle().startswith("10Y range starts before DFAT's first close")
    assert tab.mode_box.currentText() == "Toolbar range (10Y)"


def test_choosing_a_range_while_the_tab_is_on_screen_switches_to_it(shown, qtbot, view_state):
    assert shown.mode == "common"
    view_state.set_preset("1Y")
    qtbot.waitUntil(lambda: not shown.busy(), timeout=20000)
    assert shown.mode == "range" and shown.mode_box.currentData() == "range"
    assert {formats.day(d) for d in shown.table.raw_column("start")} == {"2025-08-01"}  # last close on/before 08-03


@POPUP
def test_picker_adds_and_removes_with_the_keyboard_and_chips(shown, qtbot, settings):
    edit = shown.picker.edit
    qtbot.keyClicks(edit, "iwm")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert shown.tickers == FUNDS + ["IWM"] and edit.text() == ""
    qtbot.waitUntil(lambda: not shown.busy() and "IWM" in shown.table.raw_column("ticker"), timeout=20000)
    assert "IWM" in shown.growth.series_names()  # the growth chart is the one on screen
    assert settings.compare.tickers == FUNDS + ["IWM"]

    qtbot.keyClicks(edit, "Russell 2000 Value")  # a fund name finds its ticker
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert shown.tickers[-1] == "IWN"

    qtbot.mouseClick(shown.picker._chips["VBR"].remove_button, Qt.MouseButton.LeftButton)
    assert "VBR" not in shown.tickers
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)  # empty field: removes the last chip
    assert shown.tickers == ["DFAT", "AVUV", "EEMV", "IWM"]
    qtbot.waitUntil(lambda: not shown.busy() and shown.table.raw_column("ticker")[:4] == shown.tickers, timeout=20000)
    assert "VBR" not in shown.growth.series_names()


def test_completer_lists_name_and_group(tab):
    model = tab.picker.model
    texts = [model.item(r).text() for r in range(model.rowCount())]
    dfat = next(t for t in texts if t.startswith("DFAT"))
    assert "Dimensional U.S. Targeted Value ETF" in dfat and "Targeted and small value" in dfat


@POPUP
def test_unknown_ticker_offline_is_said_on_the_field(shown, qtbot):
    qtbot.keyClicks(shown.picker.edit, "XYZ")
    qtbot.keyClick(shown.picker.edit, Qt.Key.Key_Return)
    assert shown.picker.error() == "XYZ is not available offline (no cached prices)"
    assert shown.picker.status_label.isVisible() and shown.picker.edit.text() == "XYZ"
    assert shown.tickers == FUNDS
    qtbot.keyClicks(shown.picker.edit, "Z")  # typing again clears the mark
    assert shown.picker.error() is None


def test_twelve_at_most(tab):
    for t in ["IWM", "IWN", "QQQ", "XLE", "TLT", "GLD", "ACWX", "IJR"]:
        assert tab.add_ticker(t)
    assert len(tab.tickers) == 12
    assert not tab.add_ticker("SPY")
    assert tab.picker.error() == "At most 12 tickers: remove one to add SPY"
    with pytest.raises(BadInput, match="at most 12"):
        tab.use_tickers(tab.tickers + ["SPY"])
    with pytest.raises(BadInput, match="no cached prices for XYZ"):
        tab.use_tickers(["VBR", "XYZ"])


def _history_of(closes, source: str) -> pd.DataFrame:
    return pd.DataFrame({"adj_close": closes[source].dropna().iloc[-300:]})


@POPUP
def test_a_ticker_not_cached_is_fetched_online_and_added_when_it_lands(qtbot, services, market, closes):
    market.offline = False
    calls = []

    def fake_refresh(tickers, progress=None, cancel=None, full=False):
        calls.append(list(tickers))
        outcomes = []
        for t in tickers:
            if t == "NEWT":
                market.store.upsert_rows(t, _history_of(closes, "IWM"), "yahoo")
                outcomes.append(TickerOutcome(t, "ok", rows_written=300))
            else:
                outcomes.append(TickerOutcome(t, "no_data", reason="Yahoo Finance has no prices for it"))
        return RefreshReport(outcomes)

    tab = CompareTab(services, refresh_fn=fake_refresh)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.keyClicks(tab.picker.edit, "NEWT")
    qtbot.keyClick(tab.picker.edit, Qt.Key.Key_Return)
    assert tab.picker.info() == "Fetching NEWT from Yahoo Finance…" or "NEWT" in tab.tickers
    qtbot.waitUntil(lambda: "NEWT" in tab.tickers, timeout=20000)
    assert calls == [["NEWT"]] and tab.picker.error() is None
    qtbot.waitUntil(lambda: not tab.busy() and "NEWT" in tab.table.raw_column("ticker"), timeout=20000)
    # the 300-session newcomer now limits the common window
    assert "limited by NEWT" in tab.window_label.text()

    qtbot.keyClicks(tab.picker.edit, "NOPE")
    qtbot.keyClick(tab.picker.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.picker.error() is not None, timeout=20000)
    assert tab.picker.error() == "NOPE was not added: Yahoo Finance has no prices for it"
    assert "NOPE" not in tab.tickers
    tab.runner.wait(5000)


def test_correlation_heatmap_equals_pandas_on_common_dates(tab, closes):
    tab.chart_tabs.setCurrentWidget(tab.correlation)  # charts not on screen are drawn when first shown
    names = FUNDS + ["SPY"]
    frame = closes[names].loc["2021-06-14":"2026-08-03"]
    expected = frame.dropna().pct_change().iloc[1:].corr()
    assert tab.heatmap.labels == names
    np.testing.assert_allclose(tab.heatmap.values, expected.to_numpy(), rtol=1e-12, atol=1e-14)
    for i in range(len(names)):
        for j in range(len(names)):
            assert tab.heatmap.text_at(i, j) == f"{expected.iloc[i, j]:.2f}"
    # the table's correlation to SPY is the heatmap's SPY column
    for t in FUNDS:
        assert _row(tab, t)["correlation"] == pytest.approx(tab.heatmap.values[names.index(t), -1], rel=1e-12)
    assert "1,289 daily returns" in tab.correlation.subtitle()


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_heatmap_text_is_readable_in_both_themes(tab, theme):
    tab.select_view("correlation")
    tab.apply_theme(theme)
    heat = tab.heatmap
    n = len(heat.labels)
    for i in range(n):
        for j in range(n):
            assert contrast(heat.text_colours[i][j], heat.fills[i][j]) >= 3.5, (theme.name, i, j)
    assert heat.fills[0][1] != heat.fills[0][3]  # 0.98 and 0.53 do not look alike


def test_fees_paid_follow_the_amount(tab):
    series = tab.data.series["DFAT"]
    assert _row(tab, "DFAT")["fees_paid"] == pytest.approx(fees_paid(series, 0.0028, 10_000.0), rel=1e-12)
    tab.amount_box.setValue(25_000.0)
    assert _row(tab, "DFAT")["fees_paid"] == pytest.approx(fees_paid(series, 0.0028, 25_000.0), rel=1e-12)
    header = tab.table.proxy.headerData(tab.table.column_index("fees_paid"), Qt.Orientation.Horizontal)
    assert header == "Fees paid on $25,000.00"
    assert "already net of each fund's fees" in tab.fees_help.text() and "nothing is subtracted" in tab.fees_help.text()


def test_rolling_window_is_selectable(tab):
    tab.chart_tabs.setCurrentWidget(tab.rolling_return)
    series = tab.data.series["VBR"]
    x, y = tab.rolling_return.series_data("VBR")
    assert y[-1] == pytest.approx(rolling_return(series, "1Y").iloc[-1], rel=1e-12)
    tab.chart_tabs.setCurrentWidget(tab.rolling_volatility)
    tab.rolling_boxes[1].setCurrentText("3M")
    assert tab.rolling == "3M" and tab.rolling_boxes[0].currentText() == "3M"
    _, vol = tab.rolling_volatility.series_data("VBR")
    expected = rolling_volatility(series, "3M")
    assert len(vol) == len(expected) and vol[-1] == pytest.approx(expected.iloc[-1], rel=1e-12)
    assert tab.rolling_volatility.title() == "Rolling 3-month volatility"
    tab.chart_tabs.setCurrentWidget(tab.rolling_return)
    assert tab.rolling_return.title() == "Rolling 3-month return"
    assert tab.rolling_return.series_data("VBR")[1][-1] == pytest.approx(rolling_return(series, "3M").iloc[-1])


def test_growth_drawdown_and_years_match_the_metrics(tab):
    rows = {r["ticker"]: r for r in tab.data.rows}
    for panel in (tab.drawdown, tab.years):
        tab.chart_tabs.setCurrentWidget(panel)
    _, growth = tab.growth.series_data("AVUV")
    assert growth[0] == 10_000.0 and growth[-1] == pytest.approx(10_000.0 * (1 + rows["AVUV"]["total_return"]))
    _, dd = tab.drawdown.series_data("AVUV")
    assert dd.min() == pytest.approx(rows["AVUV"]["max_drawdown"])
    assert tab.years.x_axis.categories == ["2021*", "2022", "2023", "2024", "2025", "2026*"]
    _, bars = tab.years.series_data("DFAT")
    assert bars[2] == pytest.approx(rows["DFAT"]["best_year_return"])  # 2023


def test_no_funds_shows_an_empty_state(tab):
    tab.use_tickers(["VBR"])
    tab.ensure_current()
    tab.picker.remove("VBR")
    tab.ensure_current()
    assert tab.growth.message() == "Add up to 12 funds with the field above to compare them."
    assert tab.table.source_model.rowCount() == 0


@pytest.mark.parametrize("view", CompareTab.views)
def test_export_chart_views_write_pngs(view, market, data_dir, tmp_path):
    out = tmp_path / f"{view}.png"
    request = ExportRequest(view=view, out=out, width=1000, height=600, tickers=tuple(FUNDS))
    render(market, data_dir / "no-settings.json", request)
    image = QImage(str(out))
    assert image.width() == 1000 and image.height() == 600
    # not a blank canvas: the chart drew many distinct colours
    colours = {image.pixel(x, y) for x in range(0, 1000, 7) for y in range(0, 600, 7)}
    assert len(colours) > 20


def test_export_chart_on_the_command_line(data_dir, tmp_path, capsys):
    out = tmp_path / "corr.png"
    argv = [
        "--offline",
        "--data-dir",
        str(data_dir),
        "export-chart",
        "correlation",
        "--tickers",
        "VBR,DFAT",
        "--out",
        str(out),
        "--width",
        "800",
        "--height",
        "500",
    ]
    assert main(argv) == 0
    assert QImage(str(out)).width() == 800


def test_window_mode_rolling_and_fee_amount_are_remembered(qtbot, services, settings):
    first = CompareTab(services)
    qtbot.addWidget(first)
    first.set_mode("full")
    first.set_rolling_window("3Y")
    first.set_fee_amount(25_000.0)
    first.wait_idle()
    c = settings.compare
    assert (c.window_mode, c.rolling, c.fee_amount) == ("full", "3Y", 25_000.0)
    again = CompareTab(services)  # a new launch reads the same settings
    qtbot.addWidget(again)
    assert again.mode == "full" and again.mode_box.currentData() == "full"
    assert again.rolling == "3Y" and all(b.currentData() == "3Y" for b in again.rolling_boxes)
    assert again.amount_box.value() == 25_000.0
