"""Rotation strategies (issue 16): timing, costs, an independent day-by-day loop, no look-ahead on a cut store."""

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from rotation_desk.cli.main import main
from rotation_desk.core import rrg as rrg_core
from rotation_desk.core.strategy_pair import pair_signal, pair_strategy
from rotation_desk.core.strategy_rrg import parse_quadrants, rrg_strategy
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import resolve_paths
from rotation_desk.errors import BadInput, DataUnavailable


def run(data_dir, capsys, *argv):
    code = main(["--offline", "--data-dir", str(data_dir), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def cut_store(data_dir, target, day):
    """A copy of the store that holds every ticker only up to ``day`` (as tests/test_cli_sectors.py does)."""
    shutil.copytree(data_dir, target)
    market = MarketData(resolve_paths(target), offline=True)
    for name in market.ticker_names():
        market.store.replace_history(name, market.store.read_history(name, end=day), "snapshot")
    assert market.last_session() <= pd.Timestamp(day)
    market.store.close()
    return target


# ---------------------------------------------------------------------------- hand-worked pair
@pytest.fixture
def toy():
    index = pd.bdate_range("2024-01-02", periods=6)
    return pd.DataFrame({"A": [10.0, 11, 12, 11, 10, 12], "B": [10.0] * 6}, index=index)


def test_pair_timing_by_hand(toy):
    """ratio 1.0 1.1 1.2 1.1 1.0 1.2; 2-session average – 1.05 1.15 1.15 1.05 1.1; signals – A A B B A.

    Start (no --start): the first session whose previous one has a signal, the 3rd (A at 12).
    The B signal of the 4th close is traded at the 5th close and first earns the 6th day's return.
    """
    sig = pair_signal(toy, "A", "B", 2)
    assert [None if pd.isna(s) else s for s in sig["signal"]] == [None, "A", "A", "B", "B", "A"]
    r = pair_strategy(toy, "A", "B", 2, benchmark=None)
    assert r.start == toy.index[2] and r.end == toy.index[5]
    assert r.values.tolist() == pytest.approx([1.0, 11 / 12, 10 / 12, 10 / 12], abs=1e-15)
    assert [(t.date, t.holding) for t in r.changes] == [(toy.index[2], "A"), (toy.index[4], "B")]
    assert r.time_in == pytest.approx({"A": 2 / 3, "B": 1 / 3})
    assert r.simulation.turnover == 1.0
    assert r.simulation.stats.total_return == pytest.approx(10 / 12 - 1, abs=1e-15)


def test_pair_costs_by_hand(toy):
    """100 bp: the purchase costs 1 % of 1, the switch 1 % of twice the value (sell and buy)."""
    r = pair_strategy(toy, "A", "B", 2, cost_bps=100, benchmark=None)
    after_buy = 0.99
    before_switch = after_buy * 10 / 12
    after_switch = before_switch * (1 - 0.02)
    assert r.values.tolist() == pytest.approx([after_buy, after_buy * 11 / 12, after_switch, after_switch], abs=1e-15)
    assert r.simulation.stats.total_return == pytest.approx(after_switch - 1, abs=1e-15)
    assert r.simulation.costs == pytest.approx(0.01 + 0.02 * before_switch, abs=1e-15)
    assert [t.cost for t in r.simulation.trades] == pytest.approx([0.01, 0.02])
    assert r.simulation.stats.max_drawdown == pytest.approx(after_switch - 1, abs=1e-15)  # the 1 of cash is the peak
    held = r.buy_and_hold["A"]
    assert held.values.iloc[-1] == pytest.approx(0.99, abs=1e-15) and held.turnover == 0


def test_pair_start_uses_data_before_it(toy):
    r = pair_strategy(toy, "A", "B", 2, start="2024-01-05", benchmark=None)  # the 4th session
    assert r.start == toy.index[3] and r.changes[0].holding == "A"  # bought on the 3rd close's signal
    moved = pair_strategy(toy, "A", "B", 3, start="2024-01-02", benchmark=None)
    assert moved.start == toy.index[3] and "start moved to 2024-01-05" in moved.notes[0]


def independent_pair(closes, num, den, average, start, cost):
    """A plain day-by-day loop: the holding after close i is the signal of close i−1."""
    frame = closes[[num, den]].dropna()
    ratio = (frame[num] / frame[den]).to_numpy()
    signal = [None] * len(ratio)
    for i in range(average - 1, len(ratio)):
        signal[i] = num if ratio[i] > ratio[i - average + 1 : i + 1].mean() else den
    s = max(int(np.searchsorted(frame.index, pd.Timestamp(start), side="right")) - 1, average)
    value, held, trades = 1.0 - cost, signal[s - 1], [(frame.index[s], signal[s - 1])]
    for i in range(s + 1, len(ratio)):
        value *= frame[held].iloc[i] / frame[held].iloc[i - 1]
        if signal[i - 1] != held:
            held = signal[i - 1]
            value *= 1 - 2 * cost
            trades.append((frame.index[i], held))
    return value, trades


@pytest.mark.parametrize(
    "num, den, average, start", [("IWM", "SPY", 50, "2012-06-29"), ("EFA", "SPY", 200, "2004-01-01")]
)
def test_pair_equals_a_day_by_day_loop(closes, num, den, average, start):
    r = pair_strategy(closes, num, den, average, start, cost_bps=10)
    value, trades = independent_pair(closes, num, den, average, start, 0.001)
    assert r.values.iloc[-1] == pytest.approx(value, rel=1e-10)
    assert [(t.date, t.holding) for t in r.changes] == trades
    assert r.simulation.turnover == len(trades) - 1


def test_pair_trades_on_a_cut_store_equal_the_full_store(data_dir, tmp_path, capsys):
    """Issue 16: the trades up to a date are the same when the store ends on that date."""
    argv = ("strategy", "pair", "IWM/SPY", "--average", "50", "--start", "2015-01-01", "--format", "json")
    code, full_out, _ = run(data_dir, capsys, *argv)
    assert code == 0
    for cut in ("2020-03-18", "2024-11-06"):
        short_dir = cut_store(data_dir, tmp_path / cut, cut)
        code, short_out, _ = run(short_dir, capsys, *argv)
        assert code == 0
        full, short = json.loads(full_out), json.loads(short_out)
        assert short["end"] == cut
        upto = [t for t in full["trades"] if t["date"] <= cut]
        assert len(upto) > 10 and short["trades"] == upto


# ---------------------------------------------------------------------------- rrg
def independent_rrg(closes, tickers, benchmark, quadrants, start):
    """Weekly: holdings from core/rrg.py's long series, traded at the next week's close; a plain loop."""
    series = rrg_core.rrg_series(closes, tickers, benchmark, "weekly")
    weeks = sorted(series["date"].unique())
    aligned = rrg_core.aligned_closes(closes, tickers, benchmark)
    plan = {}
    for a, b in zip(weeks[:-1], weeks[1:]):
        rows = series[series["date"] == a]
        members = sorted(
            r.ticker for r in rows.itertuples() if rrg_core.quadrant(r.rs_ratio, r.rs_momentum) in quadrants
        )
        plan[pd.Timestamp(b)] = members or [benchmark]
    sessions = aligned.loc[pd.Timestamp(start) :].index
    in_force = max(d for d in plan if d <= sessions[0])
    weights = {t: 1 / len(plan[in_force]) for t in plan[in_force]}
    value, units = 1.0, {}
    units = {t: w * value / aligned.loc[sessions[0], t] for t, w in weights.items()}
    for d in sessions[1:]:
        value = sum(u * aligned.loc[d, t] for t, u in units.items())
        if d in plan:
            units = {t: value / len(plan[d]) / aligned.loc[d, t] for t in plan[d]}
    return value


def test_rrg_strategy_equals_an_independent_loop(closes):
    tickers = ["XLK", "XLE", "XLU", "XLV"]
    r = rrg_strategy(closes.loc[:"2019-12-31"], tickers, "SPY", ("Leading", "Improving"), "weekly", "2014-01-03")
    assert r.start == pd.Timestamp("2014-01-03") and r.end == pd.Timestamp("2019-12-31")
    value = independent_rrg(closes.loc[:"2019-12-31"], tickers, "SPY", {"Leading", "Improving"}, "2014-01-03")
    assert r.values.iloc[-1] == pytest.approx(value, rel=1e-10)
    assert all(t.date.day_of_week == 4 or t.date == r.start for t in r.simulation.trades[1:8])  # Friday closes
    assert set(r.buy_and_hold) == {*tickers, "SPY"}


def test_rrg_trades_on_a_store_cut_mid_week_equal_the_full_store(data_dir, tmp_path, capsys):
    argv = ("strategy", "rrg", "--start", "2018-01-01", "--cost-bps", "5", "--format", "json")
    code, full_out, _ = run(data_dir, capsys, *argv)
    assert code == 0
    cut = "2023-06-14"  # a Wednesday: the unfinished week's last session is not a period close
    code, short_out, _ = run(cut_store(data_dir, tmp_path / "cut", cut), capsys, *argv)
    assert code == 0
    full, short = json.loads(full_out), json.loads(short_out)
    assert short["end"] == cut and short["trades"] == [t for t in full["trades"] if t["date"] <= cut]
    assert short["trades"][-1]["date"] == "2023-06-09"


def test_rrg_none_qualifying_holds_the_benchmark(closes):
    r = rrg_strategy(closes.loc[:"2012-12-31"], ["XLU"], "SPY", ("Leading",), "weekly", "2010-01-01")
    assert {t.holding for t in r.changes} == {"XLU", "SPY"}
    assert r.time_in["SPY"] + r.time_in["XLU"] == pytest.approx(1.0)


def test_parse_quadrants():
    assert parse_quadrants(None) == ("Leading", "Improving")
    assert parse_quadrants("LAGGING, weakening") == ("Lagging", "Weakening")
    with pytest.raises(BadInput, match="unknown quadrant 'up'"):
        parse_quadrants("leading,up")


def test_strategy_json_shape(data_dir, capsys):
    code, out, _ = run(
        data_dir,
        capsys,
        "strategy",
        "pair",
        "VBR/SPY",
        "--average",
        "100",
        "--cost-bps",
        "10",
        "--start",
        "2016-01-01",
        "--end",
        "2025-12-31",
        "--format",
        "json",
    )
    assert code == 0
    got = json.loads(out)
    for key in ("total_return", "cagr", "volatility", "max_drawdown", "trades", "turnover", "time_in", "buy_and_hold"):
        assert key in got
    assert got["start"] == "2015-12-31" and got["end"] == "2025-12-31" and got["cost_bps"] == 10
    assert set(got["buy_and_hold"]) == {"VBR", "SPY"}
    assert set(got["buy_and_hold"]["VBR"]) >= {"total_return", "cagr", "volatility", "max_drawdown"}
    assert set(got["trades"][0]) == {"date", "holding"} and got["trades"][0]["date"] == "2015-12-31"
    assert sum(got["time_in"].values()) == pytest.approx(1.0)


def test_strategy_table(data_dir, capsys):
    code, out, _ = run(data_dir, capsys, "strategy", "rrg", "--tickers", "XLK,XLE", "--start", "2020-01-01")
    assert code == 0
    assert out.startswith("Strategy: hold, equal-weight, the tickers leading or improving on the weekly RRG vs SPY")
    assert "XLK held" in out and "SPY held" in out and "Traded at close" in out


@pytest.mark.parametrize(
    "argv, code, words",
    [
        (["strategy", "pair", "IWM"], 2, "write NUM/DEN"),
        (["strategy", "pair", "IWM/IWM"], 2, "same ticker"),
        (["strategy", "pair", "IWM/SPY", "--average", "1"], 2, "--average 1"),
        (["strategy", "pair", "IWM/SPY", "--cost-bps", "-5"], 2, "--cost-bps"),
        (["strategy", "pair", "IWM/NOPE"], 3, "NOPE"),
        (["strategy", "pair", "IWM/SPY", "--start", "2021-01-01", "--end", "2020-01-01"], 2, "not after"),
        (["strategy", "pair", "XLC/SPY", "--end", "2018-07-01"], 3, "common sessions"),
        (["strategy", "rrg", "--quadrants", "leading,up"], 2, "unknown quadrant"),
        (["strategy", "rrg", "--tickers", "XLK,SPY"], 2, "SPY is the benchmark"),
        (["strategy", "rrg", "--end", "2000-06-30"], 3, "not enough history"),
        (["strategy", "rrg", "--frequency", "monthly"], 2, "invalid choice"),
    ],
)
def test_strategy_bad_input(data_dir, capsys, argv, code, words):
    got, _, err = run(data_dir, capsys, *argv)
    assert got == code and words in err


def test_core_refuses_bad_windows(closes):
    with pytest.raises(DataUnavailable):
        pair_strategy(closes, "XLC", "SPY", 200, end="2018-09-01")
