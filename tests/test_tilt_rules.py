"""Tilt rebalancing bands, costs, turnover and portfolios side by side (issue 16), hand-worked and on the CLI."""

import json

import numpy as np
import pandas as pd
import pytest

from rotation_desk.cli.main import main
from rotation_desk.core.tilt import PRESETS, tilt_backtest
from rotation_desk.core.tilt_compare import compare_tilts
from rotation_desk.core.tilt_rules import Bands
from rotation_desk.errors import BadInput


def run(data_dir, capsys, *argv):
    code = main(["--offline", "--data-dir", str(data_dir), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def toy():
    index = pd.DatetimeIndex(["2024-01-29", "2024-01-30", "2024-01-31", "2024-02-01", "2024-02-02"])
    return pd.DataFrame({"A": [100.0, 110, 130, 130, 130], "B": [100.0] * 5, "SPY": [100.0] * 5}, index=index)


def test_band_trigger_by_hand(toy):
    """50/50: A at 110 weighs 55/105 = 52.4 % (inside ±5 pp), at 130 65/115 = 56.5 % (outside): reset there."""
    r = tilt_backtest(toy, {"A": 50, "B": 50}, "SPY", "never", bands=Bands(5, "absolute"))
    assert r.rebalance_dates == (toy.index[2],)
    assert r.values.tolist() == pytest.approx([10_000, 10_500, 11_500, 11_500, 11_500])
    assert r.turnover == pytest.approx(750 / 11_500)  # sell 750 of A, buy 750 of B
    assert r.end_weights == pytest.approx({"A": 0.5, "B": 0.5})
    # ±20 % of the target is ±10 pp here: 56.5 % stays inside, no reset
    wide = tilt_backtest(toy, {"A": 50, "B": 50}, "SPY", "never", bands=Bands(20, "relative"))
    assert wide.rebalance_dates == () and wide.end_weights["A"] == pytest.approx(65 / 115)
    # with the calendar: checked only on the month's first session (2024-02-01), where A is still 56.5 %
    monthly = tilt_backtest(toy, {"A": 50, "B": 50}, "SPY", "monthly", bands=Bands(5))
    assert monthly.rebalance_dates == (toy.index[3],)
    assert "checked monthly, rebalanced when outside ±5 pp bands" == monthly.rule


def test_costs_by_hand(toy):
    """10 bp: the purchase pays 10 of 10,000; the reset trades 2 × 749.25 and pays 1.4985."""
    r = tilt_backtest(toy, {"A": 50, "B": 50}, "SPY", "never", bands=Bands(5), cost_bps=10)
    units = 9_990 * 0.5 / 100
    before = units * 130 + units * 100
    trade = abs(0.5 * before - units * 130) + abs(0.5 * before - units * 100)
    assert trade == pytest.approx(1498.5)
    after = before - 0.001 * trade
    assert r.values.tolist() == pytest.approx([9_990, units * 210, after, after, after], rel=1e-14)
    assert r.costs == pytest.approx(10 + 1.4985)
    assert r.portfolio_stats.total_return == pytest.approx(after / 10_000 - 1, rel=1e-14)  # from the 10,000 of cash
    assert r.benchmark_values.iloc[0] == 10_000  # the benchmark line pays no costs


def test_no_new_options_keep_the_numbers(closes):
    a = tilt_backtest(closes, PRESETS["article tilts"], "SPY", "monthly", "2006-01-01", "2025-12-31")
    b = tilt_backtest(closes, PRESETS["article tilts"], "SPY", "monthly", "2006-01-01", "2025-12-31", cost_bps=0)
    assert np.array_equal(a.values.to_numpy(), b.values.to_numpy()) and a.costs == 0
    assert len(a.rebalance_dates) == 240 and a.turnover > 0


def test_bands_equal_a_day_by_day_loop(closes):
    w = {"SPY": 60.0, "TLT": 40.0}
    r = tilt_backtest(closes, w, "SPY", "never", "2008-01-01", "2022-12-30", bands=Bands(5), cost_bps=25)
    frame = closes[["SPY", "TLT"]].dropna().loc[r.start : r.end]
    target = np.array([0.6, 0.4])
    units = 10_000 * (1 - 0.0025) * target / frame.iloc[0].to_numpy()
    resets = []
    for i in range(1, len(frame)):
        px = frame.iloc[i].to_numpy()
        held = units * px
        value = held.sum()
        if (np.abs(held / value - target) > 0.05).any():
            trade = np.abs(target * value - held).sum()
            units = (value - 0.0025 * trade) * target / px
            resets.append(frame.index[i])
    assert list(r.rebalance_dates) == resets and len(resets) >= 3
    assert r.values.iloc[-1] == pytest.approx(float(units @ frame.iloc[-1].to_numpy()), rel=1e-12)


def test_three_portfolios_share_one_window(closes):
    ps = [PRESETS["article tilts"], PRESETS["defensive"], {"SPY": 90, "XLC": 10}]
    c = compare_tilts(closes, ps, "SPY", "quarterly", "2010-01-01", "2025-12-31", cost_bps=5)
    assert c.start == pd.Timestamp("2018-06-19") and c.limited_by == "XLC"  # XLC's first close sets it for all
    assert all(r.start == c.start and r.end == c.end for r in c.results)
    alone = tilt_backtest(closes, PRESETS["defensive"], "SPY", "quarterly", "2018-06-19", "2025-12-31", cost_bps=5)
    assert c.results[1].values.iloc[-1] == pytest.approx(alone.values.iloc[-1], rel=1e-12)
    assert list(c.growth) == [*c.labels, "SPY"] and list(c.table.columns) == [*c.labels, "SPY"]
    assert c.table.loc["cagr", c.labels[0]] == c.results[0].portfolio_stats.cagr
    assert c.drawdown["SPY"].min() == pytest.approx(c.results[0].benchmark_stats.max_drawdown)
    with pytest.raises(BadInput, match="1 to 3 portfolios"):
        compare_tilts(closes, ps + [PRESETS["defensive"]])


def test_tilt_cli_bands_costs_json(data_dir, capsys):
    code, out, _ = run(
        data_dir,
        capsys,
        "tilt",
        "--weights",
        "SPY=60,TLT=40",
        "--bands",
        "5",
        "--cost-bps",
        "10",
        "--start",
        "2008-01-01",
        "--end",
        "2022-12-30",
        "--format",
        "json",
    )
    assert code == 0
    got = json.loads(out)
    assert got["bands"] == {"width": 5.0, "type": "absolute"} and got["rebalance"] == "never" and got["cost_bps"] == 10
    assert got["rebalances"] >= 3 and got["turnover"] > 0 and got["costs"] > 10


def test_tilt_cli_side_by_side(data_dir, capsys):
    code, out, _ = run(
        data_dir,
        capsys,
        "tilt",
        "--preset",
        "article tilts",
        "--weights",
        "SPY=80,XLU=10,XLP=10",
        "--start",
        "2016-01-01",
        "--format",
        "json",
    )
    assert code == 0
    got = json.loads(out)
    assert [p["label"] for p in got["portfolios"]] == [
        "SPY 80 % · XLU 10 % · XLP 10 %",
        "SPY 70 % · XLI 10 % · XLF 10 % · XLY 10 %",
    ]
    assert got["start"] == "2015-12-31" and all(p["start"] == "2015-12-31" for p in got["portfolios"])
    code, out, _ = run(data_dir, capsys, "tilt", "--preset", "defensive", "--weights", "SPY=50,XLK=50")
    assert code == 0 and out.startswith("2 tilts vs SPY, rebalanced monthly") and "Tracking error" in out


@pytest.mark.parametrize(
    "argv, words",
    [
        (["tilt", "--weights", "SPY=70,XLI=10", "--weights", "SPY=100"], "sum to 80 %"),
        (["tilt", "--preset", "defensive", "--bands", "0"], "--bands 0"),
        (["tilt", "--preset", "defensive", "--bands", "5", "--band-type", "wide"], "invalid choice"),
        (["tilt", "--preset", "defensive", "--cost-bps", "-1"], "--cost-bps -1"),
        (["tilt", "--preset", "defensive"] + ["--weights", "SPY=100"] * 3, "at most 3 portfolios"),
    ],
)
def test_tilt_cli_bad_input(data_dir, capsys, argv, words):
    code, _, err = run(data_dir, capsys, *argv)
    assert code == 2 and words in err
