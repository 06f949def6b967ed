"""Tilt backtest (issue 8 core) against independent references on real data."""

import math

import numpy as np
import pandas as pd
import pytest

from rotation_desk.core.metrics import max_drawdown, volatility
from rotation_desk.core.returns import annualise
from rotation_desk.core.tilt import (
    PRESETS,
    parse_weights,
    preset,
    rebalance_positions,
    tilt_backtest,
    validate_weights,
)
from rotation_desk.errors import BadInput, DataUnavailable

ARTICLE = {"SPY": 70, "XLI": 10, "XLF": 10, "XLY": 10}


def loop_backtest(closes, weights, rule, start, end, initial=10_000.0):
    """Day-by-day shares ledger: buy at the first close, reset to target at each new period's first close."""
    names = list(weights)
    frame = closes[list(dict.fromkeys(names + ["SPY"]))].dropna()
    frame = frame.loc[frame.loc[:start].index[-1] : end]
    target = {t: w / 100.0 for t, w in weights.items()}
    shares = {t: initial * target[t] / frame[t].iloc[0] for t in names}
    values = []
    prev = frame.index[0]
    for day, row in frame.iterrows():
        value = sum(shares[t] * row[t] for t in names)
        new_period = {
            "monthly": (day.year, day.month) != (prev.year, prev.month),
            "quarterly": (day.year, (day.month - 1) // 3) != (prev.year, (prev.month - 1) // 3),
            "yearly": day.year != prev.year,
            "never": False,
        }[rule]
        if new_period:
            shares = {t: value * target[t] / row[t] for t in names}
        values.append(value)
        prev = day
    return pd.Series(values, index=frame.index)


def test_never_rebalanced_is_the_buy_and_hold_weighted_sum(closes):
    r = tilt_backtest(closes, ARTICLE, "SPY", "never", "2010-01-01", "2020-12-31")
    assert r.start == pd.Timestamp("2009-12-31") and r.end == pd.Timestamp("2020-12-31")
    px = closes.loc[r.start : r.end, list(ARTICLE)]
    expected = sum(10_000 * ARTICLE[t] / 100 * px[t] / px[t].iloc[0] for t in ARTICLE)
    np.testing.assert_allclose(r.values.to_numpy(), expected.to_numpy(), rtol=1e-12)
    assert r.rebalance_dates == ()
    # the weights drift: XLY gained on SPY over the decade
    assert r.end_weights["XLY"] > 0.10 and sum(r.end_weights.values()) == pytest.approx(1.0)


@pytest.mark.parametrize("rule", ["monthly", "quarterly", "yearly"])
def test_rebalanced_portfolio_equals_an_independent_loop(closes, rule):
    weights = {"SPY": 80, "XLU": 10, "XLP": 10}
    r = tilt_backtest(closes, weights, "SPY", rule, "2005-06-15", "2012-03-31")
    ref = loop_backtest(closes, weights, rule, "2005-06-15", "2012-03-31")
    assert r.values.index.equals(ref.index)
    np.testing.assert_allclose(r.values.to_numpy(), ref.to_numpy(), rtol=1e-11)


def test_rebalance_dates_are_the_first_session_of_each_period(closes):
    r = tilt_backtest(closes, ARTICLE, "SPY", "quarterly", "2019-12-31", "2021-12-31")
    got = [d.strftime("%F") for d in r.rebalance_dates]
    assert got == [
        "2020-01-02",
        "2020-04-01",
        "2020-07-01",
        "2020-10-01",
        "2021-01-04",
        "2021-04-01",
        "2021-07-01",
        "2021-10-01",
    ]
    idx = closes.loc["2023-12-20":"2024-03-05"].index
    assert [idx[i].strftime("%F") for i in rebalance_positions(idx, "monthly")] == [
        "2024-01-02",
        "2024-02-01",
        "2024-03-01",
    ]
    assert len(rebalance_positions(idx, "never")) == 0
    with pytest.raises(BadInput):
        rebalance_positions(idx, "weekly")


def test_all_spy_is_spy(closes):
    r = tilt_backtest(closes, {"SPY": 100}, "SPY", "monthly", "2000-01-01")
    spy = closes["SPY"].loc[r.start :]
    np.testing.assert_allclose(r.values.to_numpy(), (10_000 * spy / spy.iloc[0]).to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(r.benchmark_values.to_numpy(), r.values.to_numpy(), rtol=1e-12)
    assert r.tracking_error == pytest.approx(0.0, abs=1e-12)
    assert math.isnan(r.information_ratio)
    assert r.active_return == pytest.approx(0.0, abs=1e-12)
    assert r.portfolio_stats.cagr == pytest.approx(r.benchmark_stats.cagr, abs=1e-12)


def test_tracking_error_and_information_ratio_against_numpy(closes):
    r = tilt_backtest(closes, ARTICLE, "SPY", "monthly", "2006-01-01", "2025-12-31")
    v = r.values.to_numpy()
    b = closes["SPY"].loc[r.start : r.end].to_numpy()
    active = (v[1:] / v[:-1] - 1) - (b[1:] / b[:-1] - 1)
    te = np.std(active, ddof=1) * np.sqrt(252)
    assert r.tracking_error == pytest.approx(te, rel=1e-10)
    assert r.information_ratio == pytest.approx(np.mean(active) * 252 / te, rel=1e-9)
    np.testing.assert_allclose(r.active_returns.to_numpy(), active, atol=1e-15)
    assert r.active.iloc[-1] == pytest.approx(v[-1] / (10_000 * b[-1] / b[0]) - 1, rel=1e-12)
    assert 0.005 < r.tracking_error < 0.05


def test_stats_follow_the_metrics_conventions(closes):
    r = tilt_backtest(closes, ARTICLE, "SPY", "monthly", "2006-01-01", "2025-12-31")
    v = r.values
    total = v.iloc[-1] / v.iloc[0] - 1
    assert r.portfolio_stats.total_return == pytest.approx(total)
    assert r.portfolio_stats.cagr == pytest.approx(annualise(total, (r.end - r.start).days))
    assert r.portfolio_stats.volatility == pytest.approx(volatility(v.pct_change().dropna()))
    assert r.portfolio_stats.max_drawdown == pytest.approx(max_drawdown(v).depth)
    assert r.portfolio_stats.max_drawdown < -0.5  # 2008
    assert r.benchmark_stats.final_value == pytest.approx(r.benchmark_values.iloc[-1])


def test_contributions_sum_to_the_portfolio_return_sum(closes):
    r = tilt_backtest(closes, ARTICLE, "SPY", "monthly", "2006-01-01", "2025-12-31")
    daily = r.values.pct_change().dropna()
    assert sum(r.contributions.values()) == pytest.approx(daily.sum(), rel=1e-12)
    assert r.return_sum == pytest.approx(daily.sum(), rel=1e-12)
    # independent: previous close's drifted weights from the loop ledger, times each holding's return
    ref = loop_backtest(closes, ARTICLE, "monthly", "2006-01-01", "2025-12-31")
    px = closes.loc[ref.index, list(ARTICLE)]
    rets = px.pct_change().iloc[1:]
    # within a month holdings grow with their prices; at a month's first close they are reset to target
    months = px.index.to_period("M")
    anchor = pd.Series(np.arange(len(px)), index=px.index).groupby(months).transform("min").to_numpy()
    w = np.array([ARTICLE[t] / 100 for t in ARTICLE])
    held = ref.to_numpy()[anchor][:, None] * w * px.to_numpy() / px.to_numpy()[anchor]
    prev_w = held[:-1] / held[:-1].sum(axis=1, keepdims=True)
    expected = (prev_w * rets.to_numpy()).sum(axis=0)
    for t, e in zip(ARTICLE, expected):
        assert r.contributions[t] == pytest.approx(e, rel=1e-9)
    assert r.satellites == ["XLI", "XLF", "XLY"]


def test_window_is_limited_by_the_latest_holding(closes):
    r = tilt_backtest(closes, {"SPY": 90, "XLRE": 10}, "SPY", "yearly", "2010-01-01")
    assert r.start == pd.Timestamp("2015-10-08") and r.limited_by == "XLRE"
    r = tilt_backtest(closes, {"SPY": 90, "XLRE": 10}, "SPY", "yearly", "2018-01-01")
    assert r.limited_by is None and r.start == pd.Timestamp("2017-12-29")


# ---------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "weights, words",
    [
        ({"SPY": 70, "XLI": 10, "XLF": 10}, "sum to 90 %"),
        ({"SPY": 70, "XLI": 10, "XLF": 10, "XLY": 10.02}, "sum to 100.02 %"),
        ({"SPY": 110, "XLI": -10}, "negative"),
        ({"SPY": 90, "NOPE": 10}, "unknown ticker in the weights: NOPE"),
        ({}, "no weights"),
        ({"SPY": "lots"}, "not a number"),
    ],
)
def test_bad_weights(closes, weights, words):
    with pytest.raises(BadInput, match=words):
        tilt_backtest(closes, weights)


def test_weights_within_tolerance_are_scaled_to_one():
    w = validate_weights({"SPY": 70.004, "XLI": 30.0})
    assert sum(w.values()) == pytest.approx(1.0, abs=1e-15)
    assert validate_weights({"SPY": 100, "XLI": 0}) == {"SPY": 1.0}


def test_empty_window_and_bad_dates(closes):
    with pytest.raises(DataUnavailable):
        tilt_backtest(closes, {"SPY": 50, "XLC": 50}, end="2018-01-01")
    with pytest.raises(BadInput, match="not after"):
        tilt_backtest(closes, ARTICLE, start="2020-01-01", end="2019-01-01")
    with pytest.raises(BadInput):
        tilt_backtest(closes, ARTICLE, rebalance="weekly")


def test_parse_weights_and_presets():
    assert parse_weights("spy=70, XLI=10,XLF:10,XLY=10%") == {"SPY": 70, "XLI": 10, "XLF": 10, "XLY": 10}
    for bad in ["", "SPY", "SPY=seventy", "SPY=50,SPY=50"]:
        with pytest.raises(BadInput):
            parse_weights(bad)
    assert preset("Article-Tilts") == ARTICLE == PRESETS["article tilts"]
    assert preset("defensive") == {"SPY": 80, "XLU": 10, "XLP": 10}
    with pytest.raises(BadInput, match="article tilts"):
        preset("aggressive")
    for weights in PRESETS.values():
        assert sum(weights.values()) == 100


def test_hand_worked_two_asset_example_with_drift_and_rebalancing():
    """50/50 SPY/XLU, $10,000, worked by hand.

    30 Jan: 50 SPY @100 + 50 XLU @100 = 10,000.  31 Jan: SPY 110 -> 5,500 + 5,000 = 10,500 (drifted to
    52.4/47.6).  1 Feb: XLU 90 -> 5,500 + 4,500 = 10,000; monthly rule resets to 5,000/5,000 at this
    close (45.4545 SPY, 55.5556 XLU).  2 Feb: SPY 121 -> 5,500 + 5,000 = 10,500.  Never rebalanced,
    2 Feb is 50 x 121 + 50 x 90 = 10,550.  Contributions sum w(t-1) r(t): SPY 0.05 + 0 + 0.05 = 0.10
    (never: 0.05 + 0 + 0.55 x 0.10 = 0.105); XLU 0 - 0.1 x 5,000/10,500 + 0 = -0.047619.
    """
    idx = pd.to_datetime(["2024-01-30", "2024-01-31", "2024-02-01", "2024-02-02"])
    closes = pd.DataFrame({"SPY": [100.0, 110.0, 110.0, 121.0], "XLU": [100.0, 100.0, 90.0, 90.0]}, index=idx)
    monthly = tilt_backtest(closes, {"SPY": 50, "XLU": 50}, benchmark="SPY", rebalance="monthly")
    assert monthly.values.tolist() == pytest.approx([10_000, 10_500, 10_000, 10_500], abs=1e-9)
    assert list(monthly.rebalance_dates) == [pd.Timestamp("2024-02-01")]
    assert monthly.benchmark_values.tolist() == pytest.approx([10_000, 11_000, 11_000, 12_100])
    assert monthly.contributions["SPY"] == pytest.approx(0.10)
    assert monthly.contributions["XLU"] == pytest.approx(-0.1 * 5_000 / 10_500)
    never = tilt_backtest(closes, {"SPY": 50, "XLU": 50}, benchmark="SPY", rebalance="never")
    assert never.values.tolist() == pytest.approx([10_000, 10_500, 10_000, 10_550], abs=1e-9)
    assert never.contributions["SPY"] == pytest.approx(0.105)
    assert never.active.iloc[-1] == pytest.approx(10_550 / 12_100 - 1)
