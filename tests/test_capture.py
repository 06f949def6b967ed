"""Up/down capture on a hand-worked example and against empyrical; fee dollars by hand."""

import empyrical
import pandas as pd
import pytest

from rotation_desk.core.capture import capture_ratios, fees_paid, monthly_returns


def month_end_series(values, start="2023-12-29"):
    idx = pd.DatetimeIndex(
        [pd.Timestamp(start)] + list(pd.date_range("2024-01-31", periods=len(values) - 1, freq="ME"))
    )
    return pd.Series(values, index=idx, dtype=float)


def test_hand_worked_capture():
    # benchmark months: +10 %, −10 %, +10 %, −5 %; fund: +12 %, −5 %, +8 %, −2 %
    bench = month_end_series([100, 110, 99, 108.9, 103.455])
    fund = month_end_series([100, 112, 106.4, 114.912, 112.61376])
    up, down = capture_ratios(fund, bench)
    # up months (2): fund (1.12 × 1.08)^(12/2) − 1, bench (1.1 × 1.1)^(6) − 1
    up_expected = ((1.12 * 1.08) ** 6 - 1) / ((1.1 * 1.1) ** 6 - 1)
    down_expected = ((0.95 * 0.98) ** 6 - 1) / ((0.90 * 0.95) ** 6 - 1)
    assert up == pytest.approx(up_expected) and down == pytest.approx(down_expected)
    assert up == pytest.approx(0.997, abs=1e-3) and down == pytest.approx(0.572, abs=1e-3)


def test_capture_matches_empyrical_on_real_data(closes):
    prices = closes["VBR"].loc["2015-12-31":"2025-12-31"]
    bench = closes["SPY"].loc["2015-12-31":"2025-12-31"]
    up, down = capture_ratios(prices, bench)
    r, b = monthly_returns(prices), monthly_returns(bench)
    assert up == pytest.approx(empyrical.up_capture(r, b, period="monthly"), rel=1e-9)
    assert down == pytest.approx(empyrical.down_capture(r, b, period="monthly"), rel=1e-9)


def test_fees_paid_on_a_flat_year():
    idx = pd.DatetimeIndex(["2024-01-02", "2024-07-02", "2025-01-01"])  # 182 + 183 = 365 days
    prices = pd.Series([50.0, 50.0, 50.0], index=idx)
    assert fees_paid(prices, 0.0028, 10_000) == pytest.approx(10_000 * 0.0028 * 365 / 365.25)
    grown = pd.Series([50.0, 100.0, 100.0], index=idx)  # doubled after half a year
    assert fees_paid(grown, 0.001, 10_000) == pytest.approx(10 * 182 / 365.25 + 20 * 183 / 365.25)
