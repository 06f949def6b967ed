"""Metrics against empyrical-reloaded (independent reference) and hand-worked cases."""

import math

import empyrical
import numpy as np
import pandas as pd
import pytest

from rotation_desk.core.metrics import (
    beta_correlation,
    common_window,
    compute_metrics,
    daily_risk_free,
    max_drawdown,
    sharpe,
    sortino,
    volatility,
    window_prices,
)
from rotation_desk.core.returns import daily_returns


@pytest.mark.parametrize("ticker", ["SPY", "VBR", "DFAT", "EEMV", "TLT", "XLE"])
@pytest.mark.parametrize("rf", [0.0, 0.04])
def test_metrics_match_empyrical_on_real_data(closes, ticker, rf):
    prices = window_prices(closes[ticker], "2015-12-31", "2025-12-31")
    bench = closes["SPY"]
    m = compute_metrics(ticker, prices, bench, rf)
    r = daily_returns(prices)
    rb = daily_returns(bench.dropna().loc[prices.index[0] : prices.index[-1]])
    rf_d = daily_risk_free(rf)
    assert m.total_return == pytest.approx(empyrical.cum_returns_final(r), rel=1e-9)
    assert m.volatility == pytest.approx(empyrical.annual_volatility(r), rel=1e-9)
    assert m.sharpe == pytest.approx(empyrical.sharpe_ratio(r, risk_free=rf_d), rel=1e-9)
    assert m.sortino == pytest.approx(empyrical.sortino_ratio(r, required_return=rf_d), rel=1e-9)
    assert m.max_drawdown == pytest.approx(empyrical.max_drawdown(r), rel=1e-9)
    aligned = pd.concat([r, rb], axis=1, join="inner").dropna()
    assert m.beta == pytest.approx(empyrical.beta(aligned.iloc[:, 0], aligned.iloc[:, 1]), rel=1e-6)
    assert m.correlation == pytest.approx(np.corrcoef(aligned.iloc[:, 0], aligned.iloc[:, 1])[0, 1], rel=1e-9)
    days = (prices.index[-1] - prices.index[0]).days
    cagr = (prices.iloc[-1] / prices.iloc[0]) ** (365.25 / days) - 1
    assert m.cagr == pytest.approx(cagr, rel=1e-12)
    assert m.calmar == pytest.approx(cagr / abs(m.max_drawdown), rel=1e-12)


def test_published_spy_calendar_years(closes):
    # SPY total return: 2008 −36.8 %, 2022 −18.2 % (published fund figures)
    m08 = compute_metrics("SPY", window_prices(closes["SPY"], "2007-12-31", "2008-12-31"))
    m22 = compute_metrics("SPY", window_prices(closes["SPY"], "2021-12-31", "2022-12-31"))
    assert round(m08.total_return * 100, 1) == -36.8
    assert round(m22.total_return * 100, 1) == -18.2
    assert m08.start == pd.Timestamp("2007-12-31") and m08.end == pd.Timestamp("2008-12-31")
    # 2022 ended on Friday 30 December; the last close on or before 31 Dec is used
    assert m22.end == pd.Timestamp("2022-12-30")


def test_spy_2008_drawdown_dates(closes):
    dd = max_drawdown(window_prices(closes["SPY"], "2007-01-01", "2013-12-31"))
    assert dd.peak == pd.Timestamp("2007-10-09")
    assert dd.trough == pd.Timestamp("2009-03-09")
    assert -0.56 < dd.depth < -0.54  # about −55 % with dividends reinvested
    assert dd.recovery is not None and pd.Timestamp("2012-01-01") < dd.recovery < pd.Timestamp("2012-12-31")


def hand_series(values, start="2024-01-01"):
    return pd.Series(values, index=pd.bdate_range(start, periods=len(values)), dtype=float)


def test_hand_worked_drawdown_and_recovery():
    p = hand_series([100, 120, 90, 60, 80, 121, 110])
    dd = max_drawdown(p)
    assert dd.depth == pytest.approx(60 / 120 - 1)
    assert dd.peak == p.index[1] and dd.trough == p.index[3] and dd.recovery == p.index[5]
    assert max_drawdown(hand_series([1, 2, 3])).depth == 0.0


def test_hand_worked_sharpe_sortino_volatility():
    r = pd.Series([0.01, -0.02, 0.03, 0.0])
    mean, sd = 0.005, np.std([0.01, -0.02, 0.03, 0.0], ddof=1)
    assert volatility(r) == pytest.approx(sd * math.sqrt(252))
    assert sharpe(r) == pytest.approx(mean * 252 / (sd * math.sqrt(252)))
    downside = math.sqrt((0.02**2) / 4)
    assert sortino(r) == pytest.approx(mean * 252 / (downside * math.sqrt(252)))
    # rf 4 % a year → daily (1.04)^(1/252) − 1
    rf_d = 1.04 ** (1 / 252) - 1
    ex = np.array([0.01, -0.02, 0.03, 0.0]) - rf_d
    assert sharpe(r, 0.04) == pytest.approx(ex.mean() * 252 / (ex.std(ddof=1) * math.sqrt(252)))


def test_beta_uses_common_dates_only():
    idx = pd.bdate_range("2024-01-01", periods=6)
    r = pd.Series([0.01, 0.02, -0.01, 0.00, 0.03, 0.01], index=idx)
    b = pd.Series([0.005, 0.01, -0.005, 0.0, 0.015], index=idx[:5])  # one day shorter
    beta, corr = beta_correlation(r, b)
    assert beta == pytest.approx(2.0) and corr == pytest.approx(1.0)


def test_common_window_names_the_limiting_ticker(closes):
    start, end, limiting = common_window(closes[["VBR", "DFAT", "AVUV", "EEMV"]])
    assert limiting == "DFAT" and start == pd.Timestamp("2021-06-14") and end == pd.Timestamp("2026-08-03")


def test_best_and_worst_full_years(closes):
    m = compute_metrics("SPY", window_prices(closes["SPY"], "2006-12-31", "2024-12-31"))
    assert m.worst_year == 2008 and m.best_year == 2013
    assert round(m.worst_year_return * 100, 1) == -36.8
