"""Sector Tilts' Strategies page and the tilt rules, side-by-side view, Qt-free (``strategy_compute``,
``tilt_side``, ``compute.tilt_job``, ``texts``): every figure equals ``rotation-desk strategy`` and
``rotation-desk tilt`` JSON, field by field, and the wording follows the costs."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from rotation_desk.cli.main import main
from rotation_desk.core.rrg import SECTORS
from rotation_desk.core.tilt_rules import Bands
from rotation_desk.ui.tabs.sectors import compute, texts, tilt_side
from rotation_desk.ui.tabs.sectors import strategy_compute as sc

START, END = pd.Timestamp("2021-08-03"), pd.Timestamp("2026-08-03")  # the toolbar's 5Y range
ARTICLE = {"SPY": 70.0, "XLI": 10.0, "XLF": 10.0, "XLY": 10.0}
DEFENSIVE = {"SPY": 80.0, "XLU": 10.0, "XLP": 10.0}


def cli(data_dir, capsys, *argv):
    capsys.readouterr()
    assert main(["--offline", "--data-dir", str(data_dir), *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def day(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def test_the_new_sectors_modules_import_no_qt():
    code = (
        "import sys, rotation_desk.ui.tabs.sectors.strategy_compute, rotation_desk.ui.tabs.sectors.tilt_side; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def assert_figures_equal(rows: pd.DataFrame, item: dict) -> None:
    strategy = rows.iloc[0]
    assert strategy["name"] == "Strategy"
    for key in ("total_return", "cagr", "volatility", "max_drawdown", "turnover"):
        assert strategy[key] == item[key], key
    assert strategy["final_value"] == pytest.approx(item["final_value"] * 10_000, rel=1e-15)
    assert strategy["costs"] == pytest.approx(item["costs"] * 10_000, rel=1e-15)
    assert strategy["trades"] == len(item["trades"]) - 1
    held = {r["name"]: r for _, r in rows.iloc[1:].iterrows()}
    assert list(held) == [f"{n} held" for n in item["buy_and_hold"]]
    for name, figures in item["buy_and_hold"].items():
        row = held[f"{name} held"]
        for key in ("total_return", "cagr", "volatility", "max_drawdown", "turnover"):
            assert row[key] == figures[key], (name, key)
        assert row["costs"] == pytest.approx(figures["costs"] * 10_000, rel=1e-15)
        assert row["time_held"] == item["time_in"].get(name, 0.0)


def test_pair_strategy_equals_the_strategy_command(market, data_dir, capsys):
    closes = market.closes(sc.needed("pair", ("IWM", "SPY"), (), "SPY"))
    inputs = sc.StrategyInputs(closes, "pair", "SPY", START, END, "5Y range", 10.0, ("IWM", "SPY"), 200)
    result, _ = sc.strategy_job(inputs)
    item = cli(
        data_dir, capsys, "strategy", "pair", "IWM/SPY", "--cost-bps", "10", "--start", day(START), "--end", day(END)
    )
    assert_figures_equal(sc.figure_rows(result), item)
    trades = sc.trade_rows(result)
    assert [{"date": day(d), "holding": h} for d, h in zip(trades["date"], trades["holding"])] == item["trades"]
    lines = sc.growth(result)
    assert list(lines) == ["Strategy", "IWM held", "SPY held"]
    assert lines["Strategy"].iloc[-1] == pytest.approx(item["final_value"] * 10_000, rel=1e-15)
    caption = sc.caption(result, inputs)
    assert caption.startswith("Hold IWM while IWM/SPY closes above its 200-session average, else SPY")
    assert "2021-08-03 – 2026-08-03 (5Y range) · cost 10 bp of each trade's value · 39 changes of holding" in caption


def test_a_pair_whose_benchmark_is_separate_has_three_holds(market, data_dir, capsys):
    closes = market.closes(sc.needed("pair", ("XLK", "XLU"), (), "SPY"))
    inputs = sc.StrategyInputs(closes, "pair", "SPY", START, END, "5Y range", 0.0, ("XLK", "XLU"), 50)
    result, _ = sc.strategy_job(inputs)
    item = cli(data_dir, capsys, "strategy", "pair", "XLK/XLU", "--average", "50", "--start", day(START))
    assert_figures_equal(sc.figure_rows(result), item)
    assert list(sc.growth(result)) == ["Strategy", "XLK held", "XLU held", "SPY held"]


def test_rrg_strategy_equals_the_strategy_command(market, data_dir, capsys):
    tickers = sc.rrg_tickers([*SECTORS, "SPY"], "SPY")  # the graph leaves the benchmark out
    assert "SPY" not in tickers
    closes = market.closes(sc.needed("rrg", ("IWM", "SPY"), tickers, "SPY"))
    inputs = sc.StrategyInputs(
        closes, "rrg", "SPY", START, END, "5Y range", 5.0, tickers=tickers, quadrants=("Leading",), frequency="weekly"
    )
    result, _ = sc.strategy_job(inputs)
    argv = ["strategy", "rrg", "--quadrants", "leading", "--frequency", "weekly", "--cost-bps", "5"]
    item = cli(data_dir, capsys, *argv, "--tickers", *tickers, "--start", day(START), "--end", day(END))
    assert_figures_equal(sc.figure_rows(result), item)
    trades = sc.trade_rows(result)
    assert [{"date": day(d), "holding": h} for d, h in zip(trades["date"], trades["holding"])] == item["trades"]
    assert list(sc.growth(result)) == ["Strategy", "SPY held"]  # the tickers held on their own: in the table
    assert sc.chart_subtitle(result).endswith("each ticker held on its own: in the table")


def test_pair_problems_are_said():
    known = ["IWM", "SPY", "XLK"]
    assert sc.pair_problem("iwm/spy", known) == (("IWM", "SPY"), None)
    assert sc.pair_problem("IWM", known)[1] == "pair 'IWM': write NUM/DEN, e.g. IWM/SPY"
    assert sc.pair_problem("SPY/SPY", known)[1] == "pair 'SPY/SPY': the two legs are the same ticker"
    assert sc.pair_problem("IWM/ZZZZ", known)[1] == "no cached prices for ZZZZ (refresh or import first)"


@pytest.mark.parametrize(
    "bands, argv",
    [(Bands(5.0), ["--bands", "5"]), (Bands(25.0, "relative"), ["--bands", "25", "--band-type", "relative"])],
)
def test_tilt_job_with_bands_and_costs_equals_the_tilt_command(market, data_dir, capsys, bands, argv):
    closes = market.closes(compute.holdings(ARTICLE, "SPY"))
    inputs = compute.TiltInputs(closes, ARTICLE, "SPY", "quarterly", START, END, "5Y range", bands, 10.0)
    result, _ = compute.tilt_job(inputs)
    weights = "SPY=70,XLI=10,XLF=10,XLY=10"
    rule = ["--rebalance", "quarterly", *argv, "--cost-bps", "10", "--start", day(START), "--end", day(END)]
    item = cli(data_dir, capsys, "tilt", "--weights", weights, *rule)
    assert result.portfolio_stats.as_dict() == item["portfolio"]
    for key in ("turnover", "turnover_per_year", "costs", "active_return", "tracking_error"):
        assert getattr(result, key) == item[key], key
    assert len(result.rebalance_dates) == item["rebalances"]
    shown = texts.tilt_texts(result, "5Y range", lambda t: "")
    assert "No costs" not in shown.caption
    assert f"costs 10 bp of each trade's value, ${item['costs']:,.2f} in all" in shown.caption
    assert f"Turnover {item['turnover'] * 100:.0f} % one-way" in shown.caption
    assert result.rule in shown.growth_subtitle and "checked quarterly, rebalanced when outside" in result.rule


def test_without_costs_the_caption_says_so(market):
    closes = market.closes(compute.holdings(ARTICLE, "SPY"))
    result, _ = compute.tilt_job(compute.TiltInputs(closes, ARTICLE, "SPY", "monthly", START, END, "5Y range"))
    caption = texts.tilt_texts(result, "5Y range", lambda t: "").caption
    assert caption.endswith("one-way (6 % a year). No costs or taxes; dividends reinvested.")


def test_side_by_side_equals_the_tilt_command_with_several_weights(market, data_dir, capsys):
    portfolios = (ARTICLE, DEFENSIVE, {"SPY": 60.0, "XLE": 40.0})
    names = compute.holdings({t: 1.0 for w in portfolios for t in w}, "SPY")
    inputs = tilt_side.SideInputs(
        market.closes(names), portfolios, "SPY", "never", START, END, "5Y range", Bands(5.0), 10.0
    )
    c, _ = tilt_side.side_job(inputs)
    argv = ["tilt", "--weights", "SPY=70,XLI=10,XLF=10,XLY=10", "--weights", "SPY=80,XLU=10,XLP=10"]
    argv += ["--weights", "SPY=60,XLE=40", "--bands", "5", "--cost-bps", "10", "--start", day(START), "--end", day(END)]
    item = cli(data_dir, capsys, *argv)
    rows = tilt_side.side_rows(c)
    assert rows["name"].tolist() == ["Portfolio 1", "Portfolio 2", "Portfolio 3", "SPY"]
    for (_, row), p in zip(rows.iterrows(), item["portfolios"]):
        assert row["weights"] == p["label"]
        for key in ("final_value", "total_return", "cagr", "volatility", "sharpe", "max_drawdown"):
            assert row[key] == p["portfolio"][key], key
        for key in ("active_return", "tracking_error", "turnover", "costs"):
            assert row[key] == p[key], key
    bench = rows.iloc[-1]
    first = item["portfolios"][0]["benchmark_performance"]
    assert bench["weights"] == "SPY bought and held" and bench["cagr"] == first["cagr"]
    assert pd.isna(bench["turnover"])
    assert day(c.start) == item["start"] and list(tilt_side.side_series(c, "growth")) == rows["name"].tolist()
    caption = tilt_side.side_caption(c, "5Y range")
    assert "the 3 portfolios and SPY on the sessions they all share" in caption and "costs 10 bp" in caption
    assert tilt_side.hint(2).startswith("3 portfolios side by side")
    assert tilt_side.pinned_label(2, DEFENSIVE) == "Portfolio 2: SPY 80 % · XLU 10 % · XLP 10 %"
