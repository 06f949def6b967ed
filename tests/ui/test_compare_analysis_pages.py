"""ETF Comparison's analysis pages on screen: Factors, Monthly returns, Drawdowns, Rolling vs benchmark and
the daily | month-end switch of the metrics table and heat map; each number a user reads equals the command
line's JSON (``factors``, ``metrics``, ``correlation``) or the core function it calls, field by field."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from PySide6.QtCore import Qt

from rotation_desk.cli.main import main
from rotation_desk.core.comparison_tables import monthly_grid, worst_drawdowns
from rotation_desk.core.metrics import window_prices
from rotation_desk.ui.kit import formats
from rotation_desk.ui.tables.table import RAW_ROLE
from rotation_desk.ui.tabs.compare import factor_compute as fc
from rotation_desk.ui.tabs.compare.tab import CompareTab

FUNDS = ["DFAT", "VBR", "AVUV", "EEMV"]
COMMON = ("--start", "2021-06-14", "--end", "2026-08-03")  # the funds' common window (DFAT's first close)


@pytest.fixture
def tab(qtbot, services):
    t = CompareTab(services)
    qtbot.addWidget(t)
    t.resize(1300, 850)
    return t


def cli(data_dir, capsys, *argv):
    capsys.readouterr()
    assert main(["--offline", "--data-dir", str(data_dir), *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def show_page(tab, page):
    tab.pages.setCurrentWidget(page)
    tab.ensure_current()  # a hidden tab computes the page in front in place (as exports do)


def raw_rows(table) -> list[dict]:
    cols = [c.key for c in table.source_model.columns()]
    m = table.proxy
    return [{k: m.index(r, j).data(RAW_ROLE) for j, k in enumerate(cols)} for r in range(m.rowCount())]


def test_pages_compute_only_when_first_shown(tab):
    tab.ensure_current()
    assert tab.job.runs == 1
    assert (tab.factor_job.runs, tab.grid_job.runs, tab.drawdown_job.runs, tab.relative_job.runs) == (0, 0, 0, 0)
    show_page(tab, tab.monthly_page)
    assert tab.grid_job.runs == 1 and tab.factor_job.runs == 0


def test_factor_tables_equal_the_factors_command(tab, data_dir, capsys):
    show_page(tab, tab.factors_page)
    items = cli(data_dir, capsys, "factors", *FUNDS, "SPY", "--model", "ff5", "--frequency", "monthly", *COMMON)
    assert list(tab.factors_page.blocks) == FUNDS + ["SPY"]
    for item in items:
        block = tab.factors_page.blocks[item["ticker"]]
        rows = raw_rows(block.table)
        assert [r["term"] for r in rows] == [fc.ALPHA_TERM, "Market", "Size (SMB)", "Value (HML)"] + [
            "Profitability (RMW)",
            "Investment (CMA)",
        ]
        assert rows[0]["estimate"] == item["alpha"] * 100 and rows[0]["t_stat"] == item["alpha_t_stat"]
        assert rows[0]["std_error"] == item["alpha_std_error"] * 100
        for row, key in zip(rows[1:], ("mkt_rf", "smb", "hml", "rmw", "cma")):
            assert row["estimate"] == item["betas"][key]
            assert row["std_error"] == item["std_errors"][key]
            assert row["t_stat"] == item["t_stats"][key]
        detail = block.detail.text()
        assert detail.startswith(f"{item['start']} – {item['end']} · {item['observations']} monthly returns")
        assert f"R² {formats.pct(item['r_squared'], 1, False)}" in detail
        assert block.reading.text() == item["reading"] + "."
        assert block.table.displayed_rows()[2][1] == f"{item['betas']['smb']:+.2f}"
    assert items[2]["reading"].startswith("Strong small-cap tilt, strong value tilt")  # AVUV
    caption = tab.factors_page.caption.text()
    assert "to 2024-08-30, built from the 202408 CRSP database" in caption
    assert "the window is cut at the factors' last date, 2024-08-30" in caption
    assert "DFAT starts 2021-06-14" in tab.factors_page.blocks["DFAT"].notes.text()


def test_rolling_betas_chart_equals_the_command_and_follows_the_fund(tab, data_dir, capsys):
    show_page(tab, tab.factors_page)
    page = tab.factors_page
    assert page.span() == "2Y" and page.fund_box.current() == "DFAT"
    page.fund_box.choose("AVUV")
    (item,) = cli(data_dir, capsys, "factors", "AVUV", *COMMON, "--rolling", "24")
    points = item["rolling"]["points"]
    x, y = page.chart.series_data("Size (SMB)")
    assert y.tolist() == [p["smb"] for p in points]
    assert page.chart.series_names() == [
        "Market",
        "Size (SMB)",
        "Value (HML)",
        "Profitability (RMW)",
        "Investment (CMA)",
    ]
    assert page.chart.title() == "AVUV: rolling 2Y betas (Fama/French 5-factor)"
    assert tab.settings.compare.factor_fund == "AVUV"
    page.span_box.setCurrentText("5Y")  # longer than DFAT's and AVUV's 38-39 months: said on the chart
    tab.ensure_current()
    assert "fewer than the 60 of a 5Y rolling window" in page.chart.message()


def test_capm_on_daily_returns_equals_the_command(tab, data_dir, capsys):
    show_page(tab, tab.factors_page)
    page = tab.factors_page
    page.model_box.setCurrentIndex(page.model_box.findData("capm"))
    page.frequency_box.setCurrentIndex(page.frequency_box.findData("daily"))
    tab.ensure_current()
    (item,) = cli(data_dir, capsys, "factors", "VBR", "--model", "capm", "--frequency", "daily", *COMMON)
    rows = raw_rows(page.blocks["VBR"].table)
    assert [r["term"] for r in rows] == [fc.ALPHA_TERM, "Market"]
    assert rows[1]["estimate"] == item["betas"]["mkt_rf"] and rows[1]["t_stat"] == item["t_stats"]["mkt_rf"]
    assert f"{item['observations']} daily returns" in page.blocks["VBR"].detail.text()
    c = tab.settings.compare
    assert (c.factor_model, c.factor_frequency) == ("capm", "daily")


def test_month_end_statistics_equal_metrics_returns_monthly(tab, data_dir, capsys):
    tab.ensure_current()
    tab.metrics.returns_box.setCurrentIndex(tab.metrics.returns_box.findData("monthly"))
    tab.ensure_current()
    assert tab.data.returns == "monthly" and tab.settings.compare.returns == "monthly"
    items = cli(data_dir, capsys, "metrics", *FUNDS, "--benchmark", "SPY", "--common-window", "--returns", "monthly")
    table = tab.table
    shown = {r["ticker"]: r for r in raw_rows(table)}
    for item in items:
        row = shown[item["ticker"]]
        for key in ("total_return", "cagr", "volatility", "sharpe", "sortino", "max_drawdown", "beta", "correlation"):
            assert row[key] == item[key], (item["ticker"], key)
        assert formats.day(row["start"]) == item["start"] and formats.day(row["end"]) == item["end"]
    assert "month-end statistics: monthly returns ×12 / √12" in tab.metrics.table_caption.text()
    tip = table.proxy.headerData(
        table.column_index("volatility"), Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    assert tip == "stdev of monthly returns (ddof 1) × √12"

    tab.chart_tabs.setCurrentWidget(tab.correlation)
    report = cli(data_dir, capsys, "correlation", *FUNDS, "SPY", "--returns", "monthly")
    names = report["tickers"]
    assert tab.heatmap.labels == names
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            assert tab.heatmap.values[i, j] == pytest.approx(report["matrix"][a][b], abs=1e-15)
    assert tab.correlation.title() == "Correlation of month-end returns (the table's Returns choice)"
    assert f"on the {report['observations']} monthly returns all share" in tab.correlation.subtitle()
    assert "monthly returns)" in tab.heatmap.describe(0, 1)


def test_monthly_grid_equals_the_core_grid_over_the_window(tab, closes, settings):
    show_page(tab, tab.monthly_page)
    page = tab.monthly_page
    assert page.fund_box.current() == "DFAT"
    page.fund_box.choose("VBR")
    grid = monthly_grid(closes["VBR"].rename("VBR"), "2021-06-14", "2026-08-03")
    rows = raw_rows(page.table)
    assert [r["year_label"] for r in rows] == ["2021*", "2022", "2023", "2024", "2025", "2026*"]
    for r, (year, expected) in zip(rows, grid.table.iterrows()):
        for col in grid.table.columns:
            shown = r[col]
            assert (pd.isna(shown) and pd.isna(expected[col])) or shown == expected[col], (year, col)
    assert page.table.displayed_rows()[1][13] == formats.pct(grid.table.loc[2022, "Year"])
    assert page.caption.text().startswith("VBR: month-end to month-end returns, Jun 2021 – Jul 2026")
    assert page.note.text() == "* partial year: the total covers only the months shown"
    assert settings.compare.grid_fund == "VBR"


def test_worst_drawdowns_table_and_chart(tab, closes, data_dir, capsys):
    show_page(tab, tab.drawdowns_page)
    page = tab.drawdowns_page
    page.fund_box.choose("AVUV")
    prices = window_prices(closes["AVUV"], "2021-06-14", "2026-08-03").rename("AVUV")
    expected = worst_drawdowns(prices, 5)
    rows = raw_rows(page.table)
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    for r, (_, e) in zip(rows, expected.iterrows()):
        assert r["depth"] == e["depth"] and r["peak"] == e["peak"] and r["trough"] == e["trough"]
        assert r["days_to_trough"] == e["days_to_trough"]
        assert (r["recovery"] is None) == pd.isna(e["recovery"])
    (m,) = cli(data_dir, capsys, "metrics", "AVUV", *COMMON)
    assert rows[0]["depth"] == pytest.approx(m["max_drawdown"], abs=1e-12)
    assert formats.day(rows[0]["trough"]) == m["max_drawdown_trough"]
    assert len(page._regions) == 10  # five shaded episodes, each numbered
    _, dd = page.chart.series_data("AVUV")
    assert dd.min() == pytest.approx(m["max_drawdown"], abs=1e-12)


def test_rolling_vs_benchmark_chart_equals_the_metrics_over_each_trailing_year(tab, data_dir, capsys):
    tab.ensure_current()
    tab.chart_tabs.setCurrentWidget(tab.relative)
    tab.ensure_current()
    chart = tab.relative
    assert chart.title() == "Rolling 1-year correlation to SPY"
    (m,) = cli(data_dir, capsys, "metrics", "EEMV", "--benchmark", "SPY", "--start", "2025-08-03")
    _, corr = chart.series_data("EEMV")
    assert corr[-1] == pytest.approx(m["correlation"], abs=1e-10)
    chart.figure_box.setCurrentIndex(chart.figure_box.findData("beta"))
    _, beta = chart.series_data("EEMV")
    assert beta[-1] == pytest.approx(m["beta"], abs=1e-10) and chart.title() == "Rolling 1-year beta to SPY"
    chart.span_box.setCurrentText("3M")
    tab.ensure_current()
    (m3,) = cli(data_dir, capsys, "metrics", "EEMV", "--benchmark", "SPY", "--start", "2026-05-03")
    assert chart.series_data("EEMV")[1][-1] == pytest.approx(m3["beta"], abs=1e-10)
    assert (tab.settings.compare.relative_figure, tab.settings.compare.relative_window) == ("beta", "3M")


def test_a_benchmark_among_the_funds_is_left_off_the_rolling_chart(tab, view_state):
    view_state.set_benchmark("VBR")
    tab.chart_tabs.setCurrentWidget(tab.relative)
    tab.ensure_current()
    assert tab.relative.series_names() == ["DFAT", "AVUV", "EEMV"]
    assert tab.relative.title() == "Rolling 1-year correlation to VBR"


def test_page_choices_are_remembered(qtbot, services, settings):
    settings.compare.factor_model, settings.compare.factor_frequency = "ff3", "daily"
    settings.compare.factor_rolling, settings.compare.returns = "1Y", "monthly"
    settings.compare.grid_fund, settings.compare.relative_window = "EEMV", "6M"
    tab = CompareTab(services)
    qtbot.addWidget(tab)
    page = tab.factors_page
    assert (page.model(), page.frequency(), page.span()) == ("ff3", "daily", "1Y")
    assert tab.metrics.returns() == "monthly" and tab.relative.span() == "6M"
    show_page(tab, tab.monthly_page)
    assert tab.monthly_page.fund_box.current() == "EEMV"
