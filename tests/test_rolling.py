"""Rolling return/volatility, the correlation matrix and the comparison bundle, against direct pandas."""

import math

import numpy as np
import pandas as pd
import pytest

from rotation_desk.core.capture import fees_paid
from rotation_desk.core.comparison import WindowError, metrics_rows, resolve_window
from rotation_desk.core.comparison_charts import build_comparison
from rotation_desk.core.correlation import correlation_matrix
from rotation_desk.core.returns import period_returns
from rotation_desk.core.rolling import ROLLING_WINDOWS, rolling_return, rolling_volatility


def _direct_rolling(prices: pd.Series, offset: pd.DateOffset, dates) -> tuple[dict, dict]:
    """One window at a time with plain pandas: .loc slices, pct_change, std."""
    ret, vol = {}, {}
    for t in dates:
        start = t - offset
        before = prices.loc[:start]
        if before.empty:
            continue
        anchor = before.index[-1]
        window = prices.loc[anchor:t]
        ret[t] = window.iloc[-1] / window.iloc[0] - 1.0
        daily = window.pct_change().dropna()
        if len(daily) >= 2:
            vol[t] = daily.std(ddof=1) * math.sqrt(252)
    return ret, vol


@pytest.mark.parametrize("label", list(ROLLING_WINDOWS))
def test_rolling_matches_a_direct_pandas_computation(closes, label):
    prices = closes["DFAT"].dropna()
    rng = np.random.default_rng(7)
    dates = list(prices.index[:5]) + list(rng.choice(prices.index, 60, replace=False)) + [prices.index[-1]]
    ret_ref, vol_ref = _direct_rolling(prices, ROLLING_WINDOWS[label], sorted(set(dates)))
    ret, vol = rolling_return(prices, label), rolling_volatility(prices, label)
    assert ret_ref and vol_ref
    for t, value in ret_ref.items():
        assert ret[t] == pytest.approx(value, rel=1e-12, abs=1e-14)
    for t, value in vol_ref.items():
        assert vol[t] == pytest.approx(value, rel=1e-9)
    # nothing before the first full window: a window is never shortened
    first_full = prices.index[prices.index - ROLLING_WINDOWS[label] >= prices.index[0]][0]
    assert ret.index[0] == first_full and vol.index[0] == first_full


def test_rolling_volatility_equals_pandas_rolling_std_on_a_fixed_count(closes):
    """Where every 1Y window holds the same number of returns, pandas' rolling(n).std agrees."""
    prices = closes["SPY"].dropna().loc["2015":"2019"]
    vol = rolling_volatility(prices, "1Y")
    daily = prices.pct_change()
    for t in vol.index[::50]:
        anchor = prices.loc[: t - pd.DateOffset(years=1)].index[-1]
        n = prices.index.get_loc(t) - prices.index.get_loc(anchor)
        expected = daily.rolling(n).std(ddof=1).loc[t] * math.sqrt(252)
        assert vol[t] == pytest.approx(expected, rel=1e-9)


def test_rolling_1y_return_on_the_last_date_is_the_1y_period_return(closes):
    prices = closes["VBR"].dropna()
    assert rolling_return(prices, "1Y").iloc[-1] == pytest.approx(period_returns(prices)["1Y"].total, rel=1e-12)


def test_rolling_rejects_an_unknown_window(closes):
    with pytest.raises(ValueError, match="choose one of"):
        rolling_return(closes["SPY"], "2W")


def test_correlation_on_common_dates_equals_pandas_corr(closes):
    names = ["DFAT", "VBR", "AVUV", "EEMV", "TLT"]
    prices = {n: closes[n].dropna() for n in names}
    result = correlation_matrix(prices, common=True)
    expected = pd.concat([prices[n].pct_change().iloc[1:].rename(n) for n in names], axis=1, sort=True).dropna().corr()
    np.testing.assert_allclose(result.matrix.to_numpy(), expected.to_numpy(), rtol=1e-12, atol=1e-14)
    assert (result.days.to_numpy() == len(closes["DFAT"].dropna()) - 1).all()


def test_pairwise_correlation_equals_pandas_pairwise_and_the_metrics(closes):
    names = ["VBR", "DFAT", "SPY"]
    prices = {n: closes[n].dropna() for n in names}
    result = correlation_matrix(prices, common=False)
    returns = pd.concat([prices[n].pct_change().iloc[1:].rename(n) for n in names], axis=1, sort=True)
    np.testing.assert_allclose(result.matrix.to_numpy(), returns.corr(min_periods=2).to_numpy(), rtol=1e-12)
    # VBR × SPY uses VBR's whole history, longer than DFAT's
    assert result.days.loc["VBR", "SPY"] > result.days.loc["DFAT", "SPY"]
    rows = metrics_rows(closes, ["VBR"], "SPY")
    assert result.matrix.loc["VBR", "SPY"] == pytest.approx(rows[0]["correlation"], rel=1e-12)


def test_build_comparison_rows_are_the_command_line_rows(closes):
    funds = ["DFAT", "VBR", "AVUV", "EEMV"]
    data = build_comparison(closes, funds, "SPY", "common", expense_ratios={"DFAT": 0.0028})
    window = resolve_window(closes, funds, common=True)
    assert data.rows[:4] == metrics_rows(closes, funds, "SPY", window)
    assert data.describe_window() == "common window 2021-06-14 – 2026-08-03, limited by DFAT"
    assert data.tickers == funds + ["SPY"]
    assert {s.index[0] for s in data.series.values()} == {pd.Timestamp("2021-06-14")}
    assert data.growth["VBR"].iloc[0] == 10_000.0
    assert data.growth["VBR"].iloc[-1] == pytest.approx(10_000.0 * (1 + data.rows[1]["total_return"]))
    assert data.drawdown["DFAT"].min() == pytest.approx(data.rows[0]["max_drawdown"])
    assert data.fees["DFAT"] == pytest.approx(fees_paid(data.series["DFAT"], 0.0028, 10_000.0))
    assert math.isnan(data.fees["VBR"])  # no expense ratio given
    assert data.years.labels()[0] == "2021*" and data.years.labels()[-1] == "2026*"
    assert data.years.table.loc[2023, "DFAT"] == pytest.approx(data.rows[0]["best_year_return"])


def test_build_comparison_modes_change_the_start(closes):
    funds = ["VBR", "DFAT"]
    full = build_comparison(closes, funds, "SPY", "full")
    assert [r["start"] for r in full.rows[:2]] == [pd.Timestamp("2004-01-30"), pd.Timestamp("2021-06-14")]
    ranged = build_comparison(closes, funds, "SPY", "range", start="2023-12-29", end="2024-12-31")
    assert {r["start"] for r in ranged.rows} == {pd.Timestamp("2023-12-29")}
    assert {r["end"] for r in ranged.rows} == {pd.Timestamp("2024-12-31")}
    early = build_comparison(closes, funds, None, "range", start="2016-08-03")
    assert early.window.limited_by == "DFAT"
    with pytest.raises(WindowError):
        build_comparison(closes, ["DFAT"], None, "range", start="2019-01-01", end="2020-01-01")
