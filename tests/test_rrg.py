"""RRG and sector heat map (issue 8 core): no look-ahead, formulas, quadrants, weekly sampling, heading."""

import math
import statistics

import numpy as np
import pandas as pd
import pytest

from rotation_desk.core.rrg import (
    DAILY_PARAMS,
    FORMULA_HELP,
    SECTORS,
    WEEKLY_PARAMS,
    RrgParams,
    bearing,
    compass,
    formula_help,
    quadrant,
    rrg_at,
    rrg_series,
    rrg_snapshot,
    sector_heatmap,
    week_ends,
)


@pytest.fixture(scope="module")
def weekly(closes):
    return rrg_series(closes, SECTORS, "SPY", "weekly")


@pytest.fixture(scope="module")
def daily(closes):
    return rrg_series(closes, ["XLK", "XLE", "XLRE"], "SPY", "daily")


def keyed(series):
    return series.set_index(["date", "ticker"])[["rs", "rs_ratio", "rs_momentum"]]


# ---------------------------------------------------------------------------- no look-ahead
@pytest.mark.parametrize("cut", ["2008-10-10", "2013-05-15", "2020-03-20", "2022-11-02", "2025-07-03"])
def test_weekly_points_use_only_data_up_to_their_date(closes, weekly, cut):
    cut = pd.Timestamp(cut)
    short = keyed(rrg_series(closes.loc[:cut], SECTORS, "SPY", "weekly"))
    full = keyed(weekly)
    last = short.index.get_level_values("date").max()
    assert last == closes.loc[:cut].index[-1]
    common = short.index.intersection(full.index)
    # every full-data point up to the cut's last complete week is reproduced from the truncated data
    earlier = full[full.index.get_level_values("date") < last]
    assert earlier.index.difference(common).empty
    np.testing.assert_allclose(short.loc[common].to_numpy(), full.loc[common].to_numpy(), rtol=0, atol=1e-12)
    # the only point the full data lacks is the unfinished week's latest session
    extra = short.index.difference(full.index)
    assert set(extra.get_level_values("date")) <= {last}
    week_end = bool(week_ends(closes.index)[closes.index.get_loc(last)])
    assert (len(extra) == 0) == week_end


@pytest.mark.parametrize("cut", ["2012-01-18", "2019-06-28", "2024-02-29"])
def test_daily_points_use_only_data_up_to_their_date(closes, daily, cut):
    short = keyed(rrg_series(closes.loc[:cut], ["XLK", "XLE", "XLRE"], "SPY", "daily"))
    full = keyed(daily)
    full = full[full.index.get_level_values("date") <= pd.Timestamp(cut)]
    assert short.index.equals(full.index)
    np.testing.assert_allclose(short.to_numpy(), full.to_numpy(), rtol=0, atol=1e-12)


def test_later_data_changes_nothing_before_it(closes, weekly):
    """Scramble everything after a date: the points up to it do not move."""
    cut = pd.Timestamp("2016-06-24")
    noisy = closes.copy()
    after = noisy.index > cut
    rng = np.random.default_rng(1)
    noisy.loc[after] = noisy.loc[after] * rng.uniform(0.5, 1.5, size=noisy.loc[after].shape)
    a = keyed(rrg_series(noisy, SECTORS, "SPY", "weekly"))
    b = keyed(weekly)
    a = a[a.index.get_level_values("date") <= cut]
    b = b[b.index.get_level_values("date") <= cut]
    assert a.index.equals(b.index) and len(a) > 1000
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=0, atol=1e-12)


def test_heatmap_has_no_look_ahead(closes):
    for cut in ["2015-03-13", "2023-10-26"]:
        a = sector_heatmap(closes.loc[:cut], SECTORS, "SPY", cut)
        b = sector_heatmap(closes, SECTORS, "SPY", cut)
        pd.testing.assert_frame_equal(a, b)


# ---------------------------------------------------------------------------- formulas
def test_hand_worked_synthetic_case():
    """Benchmark flat at 1, so RS = 100 × price; windows smooth 2, lookback 3, momentum 1."""
    dates = pd.bdate_range("2024-01-01", periods=9)
    price = [1.00, 1.02, 1.01, 1.04, 1.06, 1.05, 1.08, 1.10, 1.07]
    closes = pd.DataFrame({"AAA": price, "BEN": 1.0}, index=dates)
    params = RrgParams(smooth=2, lookback=3, momentum=1)
    out = rrg_series(closes, ["AAA"], "BEN", "daily", params).set_index("date")

    rs = [100 * p for p in price]
    s = [None] + [(rs[i - 1] + rs[i]) / 2 for i in range(1, 9)]  # 101, 101.5, 102.5, 105, 105.5, 106.5, 109, 108.5
    ratio = [None] * 3 + [
        100 + (s[i] - statistics.mean(s[i - 2 : i + 1])) / statistics.stdev(s[i - 2 : i + 1]) for i in range(3, 9)
    ]
    # by hand at t=3: S = 101, 101.5, 102.5 → mean 101.6667, stdev 0.76376 → RS-Ratio 100 + 0.8333/0.76376
    assert ratio[3] == pytest.approx(101.091089, abs=1e-6)
    roc = [None] * 4 + [100 * (ratio[i] / ratio[i - 1] - 1) for i in range(4, 9)]
    mom = [None] * 6 + [
        100 + (roc[i] - statistics.mean(roc[i - 2 : i + 1])) / statistics.stdev(roc[i - 2 : i + 1]) for i in range(6, 9)
    ]
    # first complete point: smooth + momentum + 2·(lookback − 1) = 7 periods
    assert params.periods_needed == 7 and list(out.index) == list(dates[6:])
    for i in range(6, 9):
        row = out.loc[dates[i]]
        assert row["rs"] == pytest.approx(rs[i], rel=1e-12)
        assert row["rs_ratio"] == pytest.approx(ratio[i], rel=1e-12)
        assert row["rs_momentum"] == pytest.approx(mom[i], rel=1e-12)


def test_real_point_against_a_direct_numpy_computation(closes, weekly):
    """XLE vs SPY at one week, from the weekly closes sliced by hand."""
    px = closes[["XLE", "SPY"]].dropna()
    iso = px.index.isocalendar()
    last_of_week = px.groupby([iso.year.to_numpy(), iso.week.to_numpy()]).tail(1)
    rs = (100 * last_of_week["XLE"] / last_of_week["SPY"]).to_numpy()
    dates = last_of_week.index
    p = WEEKLY_PARAMS
    t = dates.get_loc(pd.Timestamp("2022-06-10"))

    def smooth(i):
        return rs[i - p.smooth + 1 : i + 1].mean()

    def ratio(i):
        s = np.array([smooth(j) for j in range(i - p.lookback + 1, i + 1)])
        return 100 + (s[-1] - s.mean()) / s.std(ddof=1)

    rocs = np.array([100 * (ratio(j) / ratio(j - p.momentum) - 1) for j in range(t - p.lookback + 1, t + 1)])
    expect_mom = 100 + (rocs[-1] - rocs.mean()) / rocs.std(ddof=1)
    got = weekly[(weekly.ticker == "XLE") & (weekly.date == dates[t])].iloc[0]
    assert got["rs_ratio"] == pytest.approx(ratio(t), abs=1e-9)
    assert got["rs_momentum"] == pytest.approx(expect_mom, abs=1e-9)
    assert got["rs_ratio"] > 100  # energy led the market in 2022


def test_defaults_and_help_text():
    assert (WEEKLY_PARAMS.smooth, WEEKLY_PARAMS.lookback, WEEKLY_PARAMS.momentum) == (10, 52, 4)
    assert DAILY_PARAMS.lookback == 252
    assert "RS-Ratio" in FORMULA_HELP and "z-score" in FORMULA_HELP
    text = formula_help("weekly")
    assert "last 52 weeks" in text and "116 weeks" in text and "{" not in text
    assert "sessions" in formula_help("daily")
    with pytest.raises(ValueError):
        RrgParams(smooth=0)
    with pytest.raises(ValueError):
        rrg_series(pd.DataFrame(), ["XLK"], "SPY", "monthly")


def test_benchmark_among_tickers_is_refused(closes):
    with pytest.raises(ValueError, match="benchmark"):
        rrg_series(closes, ["XLK", "SPY"], "SPY")


# ---------------------------------------------------------------------------- weekly sampling
def test_weekly_points_are_the_last_session_of_each_week(closes, weekly):
    xlk = weekly[weekly.ticker == "XLK"].set_index("date")
    sessions = closes["SPY"].dropna().index
    iso = sessions.isocalendar()
    last = pd.Series(sessions, index=sessions).groupby([iso.year.to_numpy(), iso.week.to_numpy()]).max()
    assert set(xlk.index) <= set(last)
    # Good Friday 2024 and 4 July 2025 fall on a Friday: those weeks end on Thursday
    for thursday, friday in [("2024-03-28", "2024-03-29"), ("2025-07-03", "2025-07-04")]:
        assert pd.Timestamp(thursday) in xlk.index and pd.Timestamp(friday) not in xlk.index
        expected = 100 * closes.loc[thursday, "XLK"] / closes.loc[thursday, "SPY"]
        assert xlk.loc[thursday, "rs"] == pytest.approx(expected, rel=1e-12)
    # consecutive points are one week apart (no week sampled twice)
    gaps = np.diff(xlk.index.to_numpy()).astype("timedelta64[D]").astype(int)
    assert gaps.min() >= 1 and np.all(xlk.index.to_period("W-FRI")[1:] != xlk.index.to_period("W-FRI")[:-1])
    # the data end on Monday 2026-08-03: the unfinished week shows that session
    assert xlk.index[-1] == pd.Timestamp("2026-08-03") and xlk.index[-2] == pd.Timestamp("2026-07-31")


def test_tickers_start_when_their_windows_are_full(weekly):
    firsts = weekly.groupby("ticker").date.min()
    assert firsts["XLK"] < pd.Timestamp("2001-06-01")
    assert firsts["XLRE"] > pd.Timestamp("2017-10-01") and firsts["XLC"] > pd.Timestamp("2020-06-01")
    assert weekly[["rs_ratio", "rs_momentum"]].notna().all().all()
    assert list(weekly.columns) == ["date", "ticker", "rs", "rs_ratio", "rs_momentum"]
    assert weekly.attrs["frequency"] == "weekly" and weekly.attrs["benchmark"] == "SPY"


# ---------------------------------------------------------------------------- quadrants, heading, snapshot
@pytest.mark.parametrize(
    "x, y, name",
    [
        (100.0, 100.0, "Leading"),
        (101.2, 100.3, "Leading"),
        (100.0, 99.999, "Weakening"),
        (102.0, 97.0, "Weakening"),
        (99.999, 99.999, "Lagging"),
        (97.0, 98.0, "Lagging"),
        (99.999, 100.0, "Improving"),
        (98.0, 103.0, "Improving"),
    ],
)
def test_quadrant_boundaries(x, y, name):
    assert quadrant(x, y) == name


def test_quadrant_of_missing_values():
    assert quadrant(float("nan"), 100.0) is None


@pytest.mark.parametrize(
    "dx, dy, deg, name",
    [
        (0, 1, 0, "north"),
        (1, 1, 45, "north-east"),
        (1, 0, 90, "east"),
        (1, -1, 135, "south-east"),
        (0, -1, 180, "south"),
        (-1, -1, 225, "south-west"),
        (-1, 0, 270, "west"),
        (-1, 1, 315, "north-west"),
        (math.tan(math.radians(22.4)), 1, 22.4, "north"),
        (math.tan(math.radians(22.6)), 1, 22.6, "north-east"),
    ],
)
def test_heading_compass(dx, dy, deg, name):
    b = bearing(dx, dy)
    assert b == pytest.approx(deg) and compass(b) == name


def test_no_move_has_no_heading():
    assert bearing(0.0, 0.0) is None and compass(None) is None


def test_snapshot_matches_the_series(weekly):
    as_of = pd.Timestamp("2022-09-14")  # a Wednesday: the week before's Friday point is the latest
    rows = {r.ticker: r for r in rrg_snapshot(weekly, as_of, tail=5)}
    assert list(rows) == list(SECTORS)  # XLC has points by 2022
    for name, r in rows.items():
        pts = weekly[(weekly.ticker == name) & (weekly.date <= as_of)]
        last, prev = pts.iloc[-1], pts.iloc[-2]
        assert r.date == pd.Timestamp("2022-09-09") == last["date"]
        assert (r.rs_ratio, r.rs_momentum) == (last["rs_ratio"], last["rs_momentum"])
        assert r.quadrant == quadrant(last["rs_ratio"], last["rs_momentum"])
        dx, dy = last["rs_ratio"] - prev["rs_ratio"], last["rs_momentum"] - prev["rs_momentum"]
        assert r.heading_degrees == pytest.approx((90 - math.degrees(math.atan2(dy, dx))) % 360)
        assert r.distance == pytest.approx(math.hypot(dx, dy))
        assert len(r.tail) == 5 and r.tail[-1].date == r.date and r.tail[0].date == pts.iloc[-5]["date"]
        quads = [quadrant(a, b) for a, b in zip(pts.rs_ratio, pts.rs_momentum)]
        n = r.periods_in_quadrant
        assert n >= 1 and all(q == r.quadrant for q in quads[-n:])
        assert len(quads) == n or quads[-n - 1] != r.quadrant


def test_rrg_at_cuts_the_closes_first(closes, weekly):
    series, rows = rrg_at(closes, ["XLK", "XLU"], "SPY", "2022-09-14", "weekly", tail=3)
    assert {r.date for r in rows} == {pd.Timestamp("2022-09-14")}  # the unfinished week's latest session
    assert series.date.max() == pd.Timestamp("2022-09-14")
    series, rows = rrg_at(closes, ["XLK"], "SPY", "2022-09-09", "weekly")
    (row,) = rows
    ref = rrg_snapshot(weekly, "2022-09-09")[0]
    assert row.date == ref.date == pd.Timestamp("2022-09-09") and row.quadrant == ref.quadrant
    assert row.rs_ratio == pytest.approx(ref.rs_ratio, abs=1e-12)
    assert row.rs_momentum == pytest.approx(ref.rs_momentum, abs=1e-12)


def test_snapshot_skips_tickers_without_points(weekly):
    rows = rrg_snapshot(weekly, "2019-01-04")
    assert "XLC" not in {r.ticker for r in rows} and "XLK" in {r.ticker for r in rows}
    assert rrg_snapshot(weekly, "1999-01-01") == []


# ---------------------------------------------------------------------------- heat map
def test_heatmap_against_direct_computation(closes):
    hm = sector_heatmap(closes, SECTORS, "SPY", "2024-06-15")  # a Saturday: the as-of session is Friday
    assert hm.attrs["as_of"] == pd.Timestamp("2024-06-14")
    assert list(hm.columns) == ["1W", "1M", "3M", "6M", "YTD", "1Y", "3Y"] and list(hm.index) == list(SECTORS)

    def ret(t, a, b):
        s = closes[t].dropna()
        return s.loc[:b].iloc[-1] / s.loc[:a].iloc[-1] - 1

    end = "2024-06-14"
    starts = {
        "1W": "2024-06-07",
        "1M": "2024-05-14",
        "3M": "2024-03-14",
        "6M": "2023-12-14",
        "YTD": "2023-12-31",
        "1Y": "2023-06-14",
        "3Y": "2021-06-14",
    }
    for t in ["XLK", "XLE", "XLRE", "XLC"]:
        for label, start in starts.items():
            assert hm.loc[t, label] == pytest.approx(ret(t, start, end) - ret("SPY", start, end), abs=1e-12)
    own = sector_heatmap(closes, ["XLK"], "SPY", "2024-06-14", relative=False)
    assert own.loc["XLK", "YTD"] == pytest.approx(ret("XLK", "2023-12-31", end))


def test_heatmap_leaves_uncovered_periods_empty(closes):
    hm = sector_heatmap(closes, ["XLC", "XLK"], "SPY", "2020-01-31")
    assert np.isnan(hm.loc["XLC", "3Y"]) and np.isfinite(hm.loc["XLC", "1Y"]) and np.isfinite(hm.loc["XLK", "3Y"])
    with pytest.raises(ValueError):
        sector_heatmap(closes, ["XLK"], "SPY", "1990-01-01")
