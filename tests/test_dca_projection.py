"""Projection: block bootstrap of monthly allocation returns, seeded and reproducible, with sane percentiles."""

import time

import numpy as np
import pandas as pd
import pytest

from rotation_desk.core.dca.plan_json import parse_plan
from rotation_desk.core.dca.projection import (
    bootstrap_indices,
    monthly_contributions,
    monthly_portfolio_returns,
    project_plan,
)
from rotation_desk.core.dca.schedule import schedule_frame, schedule_summary
from rotation_desk.errors import DataUnavailable

DESIGN_PLAN = {
    "name": "Rotation core",
    "contribution": 500.0,
    "frequency": "monthly",
    "anchor": "first-session",
    "start": "2026-12-01",
    "end": "2027-12-31",
    "allocation": {"VBR": 40, "DFAT": 30, "EEMV": 30},
}


def make_plan(**changes):
    return parse_plan({**DESIGN_PLAN, **changes})


@pytest.fixture(scope="module")
def real(closes):
    return closes[["VBR", "DFAT", "EEMV", "VTV", "EFV", "SPY", "IWM"]]


def test_monthly_returns_against_month_end_closes(real):
    spy = monthly_portfolio_returns(real, {"SPY": 100})
    # March 2020: SPY's adjusted close 28 Feb -> 31 Mar (published total return -12.5 %)
    expected = real.at[pd.Timestamp("2020-03-31"), "SPY"] / real.at[pd.Timestamp("2020-02-28"), "SPY"] - 1
    assert spy[pd.Timestamp("2020-03-31")] == pytest.approx(expected, rel=1e-12)
    assert round(spy[pd.Timestamp("2020-03-31")], 3) == -0.125
    # the unfinished August 2026 (one session) is left out
    assert spy.index[-1] == pd.Timestamp("2026-07-31")
    mix = monthly_portfolio_returns(real, {"VBR": 40, "DFAT": 30, "EEMV": 30})
    assert mix.index[0] == pd.Timestamp("2021-07-31")  # DFAT starts in June 2021
    month = pd.Timestamp("2024-05-31")
    prev = pd.Timestamp("2024-04-30")
    by_hand = sum(
        w * (real.at[month, t] / real.at[prev, t] - 1) for t, w in (("VBR", 0.4), ("DFAT", 0.3), ("EEMV", 0.3))
    )
    assert mix[month] == pytest.approx(by_hand, rel=1e-12)


def test_reproducible_for_a_seed(real):
    plan = make_plan()
    a = project_plan(plan, real, n_paths=500, seed=7)
    b = project_plan(plan, real, n_paths=500, seed=7)
    c = project_plan(plan, real, n_paths=500, seed=8)
    pd.testing.assert_frame_equal(a.fan, b.fan)
    assert np.array_equal(a.final_values, b.final_values)
    assert not np.array_equal(a.final_values, c.final_values)
    assert a.seed == 7 and a.n_paths == 500 and a.block_months == 12


def test_fan_percentiles_and_invested_line(real):
    plan = make_plan(initial=2000.0)
    result = project_plan(plan, real, seed=1)
    fan = result.fan
    assert list(fan.columns) == ["invested", "p10", "p50", "p90"]
    assert len(fan) == 13  # December 2026 .. December 2027
    assert fan.index[0] == pd.Timestamp("2026-12-31") and fan.index[-1] == pd.Timestamp("2027-12-31")
    assert (fan["p10"] <= fan["p50"]).all() and (fan["p50"] <= fan["p90"]).all()
    assert (fan["p90"] > fan["p10"]).iloc[1:].all()
    # the invested line is the forward schedule's money, month by month
    assert fan["invested"].tolist() == [2500.0 + 500 * k for k in range(13)]
    assert result.invested == schedule_summary(schedule_frame(plan)).total_invested == 8500.0
    # month one: money arrives at the month end, no return yet
    assert fan.iloc[0][["p10", "p50", "p90"]].tolist() == [2500.0] * 3
    assert result.history_start == pd.Timestamp("2021-06-30")
    assert result.history_end == pd.Timestamp("2026-07-31")
    assert result.history_months == 61


def test_probability_of_reaching(real):
    result = project_plan(make_plan(), real, n_paths=2000, seed=3)
    assert result.probability_of_reaching(0) == 1.0
    assert result.probability_of_reaching(1e9) == 0.0
    targets = np.linspace(5000, 9000, 30)
    probs = [result.probability_of_reaching(t) for t in targets]
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert all(a >= b for a, b in zip(probs, probs[1:]))
    assert result.probability_of_reaching(result.fan["p50"].iloc[-1]) == pytest.approx(0.5, abs=0.01)
    assert result.probability_of_reaching(result.fan["p90"].iloc[-1]) == pytest.approx(0.1, abs=0.01)


def test_constant_growth_matches_the_annuity_formula():
    # every month +1 %: each path is the same; 100 at each month end for 24 months
    months = pd.date_range("2000-01-31", periods=61, freq="ME")
    prices = pd.DataFrame({"AAA": 100 * 1.01 ** np.arange(61)}, index=months)
    plan = parse_plan(
        {
            "name": "flat",
            "contribution": 100.0,
            "frequency": "monthly",
            "anchor": "last-session",
            "start": "2027-01-01",
            "count": 24,
            "allocation": {"AAA": 100},
        }
    )
    result = project_plan(plan, prices, n_paths=50, seed=0)
    annuity = 100 * (1.01**24 - 1) / 0.01
    assert result.fan["p10"].iloc[-1] == pytest.approx(annuity, rel=1e-12)
    assert result.fan["p90"].iloc[-1] == pytest.approx(annuity, rel=1e-12)
    assert result.probability_of_reaching(annuity - 0.01) == 1.0


def test_frequency_to_months():
    weekly = parse_plan({**DESIGN_PLAN, "frequency": "weekly", "anchor": "wed", "contribution": 100.0, "fee": 0.5})
    money = monthly_contributions(weekly)
    assert set(money["paid_in"]) <= {400.0, 500.0}  # 4 or 5 Wednesdays a month
    assert money["paid_in"].sum() == schedule_summary(schedule_frame(weekly)).total_invested
    assert (money["fees"] == money["paid_in"] / 100 * 0.5 * 3).all()  # 3 orders per buy
    quarterly = parse_plan({**DESIGN_PLAN, "frequency": "quarterly", "start": "2027-01-01"})
    assert monthly_contributions(quarterly)["paid_in"].tolist() == [500, 0, 0, 500, 0, 0, 500, 0, 0, 500]


def test_circular_blocks():
    rng = np.random.Generator(np.random.PCG64(0))
    idx = bootstrap_indices(n_history=30, horizon=50, n_paths=200, block=12, rng=rng)
    assert idx.shape == (200, 50)
    assert idx.min() >= 0 and idx.max() < 30
    steps = (np.diff(idx, axis=1)) % 30
    inside = np.ones(49, dtype=bool)
    inside[11::12] = False  # block boundaries
    assert (steps[:, inside] == 1).all()  # consecutive months within a block, wrapping 29 -> 0
    assert (idx[:, :-1][:, inside] == 29).any()


def test_short_history_is_refused(real):
    with pytest.raises(DataUnavailable, match="only .* months of common price history"):
        project_plan(make_plan(), real.loc["2025-01-01":])  # 18 months
    with pytest.raises(DataUnavailable, match="ZZZQ"):
        project_plan(make_plan(allocation={"ZZZQ": 100}), real)


def test_ten_thousand_paths_over_thirty_years_is_quick(real):
    plan = parse_plan(
        {
            "name": "30y",
            "contribution": 100.0,
            "frequency": "weekly",
            "anchor": "fri",
            "start": "2026-12-01",
            "end": "2056-11-30",
            "allocation": {"VBR": 20, "VTV": 20, "EFV": 20, "SPY": 20, "IWM": 20},
            "step_up_pct": 3.0,
        }
    )
    t0 = time.perf_counter()
    result = project_plan(plan, real, n_paths=10_000, seed=11)
    elapsed = time.perf_counter() - t0
    assert len(result.fan) == 360 and result.final_values.shape == (10_000,)
    assert (result.fan["p10"] <= result.fan["p50"]).all() and (result.fan["p50"] <= result.fan["p90"]).all()
    assert elapsed < 3.0


def test_row_percentiles_equal_numpy_to_the_bit():
    from rotation_desk.core.dca.projection import row_percentiles

    rng = np.random.default_rng(7)
    for shape in [(360, 10_000), (12, 7), (5, 2), (3, 1)]:
        values = rng.normal(size=shape) * 1e5
        expected = np.percentile(values, (10, 50, 90), axis=1)
        assert np.array_equal(row_percentiles(values.copy(), (10, 50, 90)), expected)
