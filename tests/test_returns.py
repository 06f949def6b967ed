"""Window and period returns, rebasing, calendar years (the conventions in docs/architecture.md), hand-worked."""

import pandas as pd
import pytest

from rotation_desk.core.returns import (
    annualise,
    calendar_year_returns,
    close_on_or_before,
    daily_returns,
    period_returns,
    rebase,
    window_return,
)


def series(pairs):
    return pd.Series([v for _, v in pairs], index=pd.to_datetime([d for d, _ in pairs]), dtype=float)


P = series(
    [
        ("2023-12-29", 100.0),
        ("2024-01-02", 101.0),
        ("2024-06-28", 110.0),
        ("2024-12-31", 120.0),
        ("2025-01-02", 118.0),
        ("2025-03-31", 126.0),
    ]
)


def test_window_uses_last_close_on_or_before_each_date():
    w = window_return(P, "2023-12-31", "2024-12-31")  # 31 Dec 2023 was a Sunday
    assert w.start == pd.Timestamp("2023-12-29") and w.end == pd.Timestamp("2024-12-31")
    assert w.total == pytest.approx(0.20)
    assert window_return(P, "2020-01-01", "2024-12-31") is None  # before the first close


def test_ytd_starts_at_previous_year_last_close():
    r = period_returns(P, labels=["YTD", "1D", "3M"])
    assert r["YTD"].start == pd.Timestamp("2024-12-31") and r["YTD"].total == pytest.approx(126 / 120 - 1)
    assert r["1D"].total == pytest.approx(126 / 118 - 1)
    # 3M back from 31 Mar 2025 is 31 Dec 2024
    assert r["3M"].start == pd.Timestamp("2024-12-31")


def test_period_not_covered_is_none_not_shorter():
    r = period_returns(P, labels=["1Y", "3Y"])
    assert r["1Y"] is not None and r["3Y"] is None


def test_annualised_uses_calendar_days():
    assert annualise(0.21, 730.5) == pytest.approx(0.10)
    w = window_return(P, "2023-12-29", "2025-03-31")
    assert w.annualised == pytest.approx(1.26 ** (365.25 / w.days) - 1)


def test_rebase_and_daily_returns_skip_gaps():
    frame = pd.DataFrame({"A": [10.0, 11.0, None, 12.1], "B": [None, 5.0, 5.5, 5.5]})
    rb = rebase(frame)
    assert rb["A"].iloc[0] == 100 and rb["B"].iloc[1] == 100 and rb["B"].iloc[2] == pytest.approx(110)
    dr = daily_returns(frame["A"])
    assert list(dr.round(6)) == [0.1, 0.1]


def test_calendar_years_flag_partial_years():
    years = calendar_year_returns(P)
    assert years.loc[2024, "return"] == pytest.approx(0.20) and not years.loc[2024, "partial"]
    assert years.loc[2025, "partial"]  # unfinished year


def test_close_on_or_before():
    assert close_on_or_before(P, "2024-01-01") == (pd.Timestamp("2023-12-29"), 100.0)
    assert close_on_or_before(P, "2023-01-01") is None
