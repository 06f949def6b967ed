"""Sector Tilts on screen: the Strategies page, the tilt backtest's bands and costs, and the side-by-side view;
each figure a user reads equals ``rotation-desk strategy`` / ``rotation-desk tilt`` JSON, field by field."""

from __future__ import annotations

import json

import pytest

from rotation_desk.cli.main import main
from rotation_desk.core.rrg import SECTORS
from rotation_desk.ui.kit import formats
from rotation_desk.ui.tables.table import RAW_ROLE
from rotation_desk.ui.tabs.sectors.tab import SectorsTab

RANGE = ("--start", "2021-08-03", "--end", "2026-08-03")  # the toolbar's 5Y range


@pytest.fixture
def tab(qtbot, services):
    t = SectorsTab(services)
    qtbot.addWidget(t)
    t.resize(1400, 860)
    yield t
    t.timeline.stop()
    t.wait_idle()


def cli(data_dir, capsys, *argv):
    capsys.readouterr()
    assert main(["--offline", "--data-dir", str(data_dir), *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def raw_rows(table) -> list[dict]:
    cols = [c.key for c in table.source_model.columns()]
    m = table.proxy
    return [{k: m.index(r, j).data(RAW_ROLE) for j, k in enumerate(cols)} for r in range(m.rowCount())]


def show_strategies(tab):
    tab.pages.setCurrentWidget(tab.strategy_page)
    tab.ensure_current()
    return tab.strategy_page


def test_pair_strategy_figures_and_trades_equal_the_command(tab, data_dir, capsys, settings):
    page = show_strategies(tab)
    assert page.rule() == "pair" and page.pair_edit.text() == "IWM/SPY" and page.average_spin.value() == 200
    page.cost_spin.setValue(10.0)
    tab.ensure_current()
    item = cli(data_dir, capsys, "strategy", "pair", "IWM/SPY", "--average", "200", "--cost-bps", "10", *RANGE)
    rows = raw_rows(page.figures)
    assert [r["name"] for r in rows] == ["Strategy", "IWM held", "SPY held"]
    strategy = rows[0]
    for key in ("total_return", "cagr", "volatility", "max_drawdown", "turnover"):
        assert strategy[key] == item[key], key
    assert strategy["final_value"] == pytest.approx(item["final_value"] * 10_000, rel=1e-15)
    assert strategy["trades"] == len(item["trades"]) - 1
    for row in rows[1:]:
        name = row["name"].removesuffix(" held")
        for key in ("total_return", "cagr", "volatility", "max_drawdown"):
            assert row[key] == item["buy_and_hold"][name][key], (name, key)
        assert row["time_held"] == item["time_in"][name]
    shown = page.figures.displayed_rows()[0]
    assert formats.pct(item["total_return"]) in shown and formats.pct(item["cagr"], 2) in shown
    trades = raw_rows(page.trades)
    assert [(formats.day(t["date"]), t["holding"]) for t in trades] == [
        (t["date"], t["holding"]) for t in item["trades"]
    ]
    _, values = page.growth.series_data("Strategy")
    assert values[-1] == pytest.approx(item["final_value"] * 10_000, rel=1e-15)
    assert page.growth.series_names() == ["Strategy", "IWM held", "SPY held"]
    assert "cost 10 bp of each trade's value" in page.caption.text()
    assert settings.sectors.strategy_cost_bps == 10.0


def test_rrg_strategy_on_the_graphs_tickers_equals_the_command(tab, data_dir, capsys, settings):
    page = show_strategies(tab)
    page.rule_box.setCurrentIndex(page.rule_box.findData("rrg"))
    page.quadrant_checks["Improving"].setChecked(False)
    tab.ensure_current()
    assert page.quadrants() == ("Leading",)
    item = cli(
        data_dir,
        capsys,
        "strategy",
        "rrg",
        "--quadrants",
        "leading",
        "--tickers",
        *SECTORS,
        "--benchmark",
        "SPY",
        *RANGE,
    )
    rows = raw_rows(page.figures)
    assert [r["name"] for r in rows] == ["Strategy", *(f"{t} held" for t in item["buy_and_hold"])]
    for key in ("total_return", "cagr", "volatility", "max_drawdown", "turnover"):
        assert rows[0][key] == item[key], key
    assert [r["holding"] for r in raw_rows(page.trades)] == [t["holding"] for t in item["trades"]]
    assert page.tickers_note.text().startswith("Tickers: the Rotation graph's 11 (XLK, XLF")
    assert (settings.sectors.strategy_rule, settings.sectors.strategy_quadrants) == ("rrg", ["Leading"])
    # the graph's tickers are the rule's
    tab.ticker_edit.edit.setText("XLK XLE XLU")
    assert tab.ticker_edit.apply()
    tab.ensure_current()
    assert [r["name"] for r in raw_rows(page.figures)][1:] == ["XLK held", "XLE held", "XLU held", "SPY held"]


def test_a_bad_pair_or_no_quadrant_is_said_and_nothing_runs(tab):
    page = show_strategies(tab)
    runs = page.job.runs
    page.pair_edit.setText("IWM/ZZZZ")
    page.pair_edit.editingFinished.emit()
    assert page.pair_error.text() == "no cached prices for ZZZZ (refresh or import first)"
    assert page.growth.message() == "Not run: no cached prices for ZZZZ (refresh or import first)"
    tab.ensure_current()
    assert page.job.runs == runs
    page.pair_edit.setText("XLE/XLU")
    page.pair_edit.editingFinished.emit()
    tab.ensure_current()
    assert page.job.runs == runs + 1 and page.pair_error.isHidden()
    page.rule_box.setCurrentIndex(page.rule_box.findData("rrg"))
    for check in page.quadrant_checks.values():
        check.setChecked(False)
    assert page.growth.message() == "Not run: tick at least one quadrant to hold"


def test_tilt_bands_and_costs_equal_the_tilt_command(tab, data_dir, capsys, settings):
    tab.select_view("tilt")
    rules = tab.tilt_page.rules
    rules.set_bands("relative", 25.0)
    rules.set_cost(10.0)
    tab.editor.set_rebalance("never")
    tab.run_tilt()
    weights = "SPY=70,XLF=10,XLI=10,XLY=10"  # in the editor's order (the sums run in the same order)
    argv = ("--weights", weights, "--bands", "25", "--band-type", "relative", "--cost-bps", "10", *RANGE)
    item = cli(data_dir, capsys, "tilt", *argv)
    r = tab.tilt_result
    assert r.portfolio_stats.as_dict() == item["portfolio"]
    assert (r.turnover, r.costs, len(r.rebalance_dates)) == (item["turnover"], item["costs"], item["rebalances"])
    assert tab.cards["cagr"].value.text() == formats.pct(item["portfolio"]["cagr"], 2)
    caption = tab.tilt_caption.text()
    assert "No costs" not in caption
    assert f"costs 10 bp of each trade's value, {formats.money(item['costs'])} in all" in caption
    assert f"Turnover {formats.pct(item['turnover'], 0, False)} one-way" in caption
    assert "rebalanced when outside ±25 % of target bands (checked at every close)" in tab.growth.subtitle()
    s = settings.sectors
    assert (s.band_kind, s.band_width, s.cost_bps) == ("relative", 25.0, 10.0)


def test_side_by_side_pins_portfolios_and_equals_the_tilt_command(tab, data_dir, capsys, settings):
    page = tab.tilt_page
    tab.select_view("tilt")
    page.show_view(page.side)
    page.rules.set_cost(10.0)
    tab.ensure_current()
    assert [r["name"] for r in raw_rows(page.side.table)] == ["Portfolio 1", "SPY"]
    page.side.pin_button.click()  # the editor's article tilts
    tab.editor.choose_preset("defensive")
    tab.ensure_current()
    assert settings.sectors.pinned == [{"SPY": 70.0, "XLF": 10.0, "XLI": 10.0, "XLY": 10.0}]
    argv = ("--weights", "SPY=80,XLP=10,XLU=10", "--weights", "SPY=70,XLF=10,XLI=10,XLY=10", "--cost-bps", "10")
    item = cli(data_dir, capsys, "tilt", *argv, *RANGE)
    rows = raw_rows(page.side.table)
    assert [r["name"] for r in rows] == ["Portfolio 1", "Portfolio 2", "SPY"]
    for row, p in zip(rows, item["portfolios"]):
        assert row["weights"] == p["label"]
        for key in ("final_value", "total_return", "cagr", "volatility", "sharpe", "max_drawdown"):
            assert row[key] == p["portfolio"][key], key
        for key in ("active_return", "tracking_error", "turnover", "costs"):
            assert row[key] == p[key], key
    assert page.side.growth.series_names() == ["Portfolio 1", "Portfolio 2", "SPY"]
    page.side.figure_box.setCurrentIndex(1)
    assert tab.current_chart() is page.side.drawdown
    _, dd = page.side.drawdown.series_data("Portfolio 2")
    assert dd.min() == pytest.approx(item["portfolios"][1]["portfolio"]["max_drawdown"], abs=1e-12)
    assert tab.current_table() is page.side.table
    page.side.remove(0)
    tab.ensure_current()
    assert settings.sectors.pinned == [] and len(raw_rows(page.side.table)) == 2


def test_pinned_portfolios_are_remembered_and_at_most_two(qtbot, services, settings):
    settings.sectors.pinned = [{"SPY": 80.0, "XLU": 10.0, "XLP": 10.0}]
    tab = SectorsTab(services)
    qtbot.addWidget(tab)
    side = tab.tilt_page.side
    assert side.remove_button.isEnabled() and side.remove_button.menu().actions()[0].text().startswith("Portfolio 2")
    assert side.pin({"SPY": 60.0, "XLE": 40.0}) and not side.pin({"SPY": 50.0, "XLK": 50.0})
    assert not side.pin_button.isEnabled() and "remove one to pin another" in side.pin_button.toolTip()
