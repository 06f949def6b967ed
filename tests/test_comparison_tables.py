"""ETF Comparison tables (issue 16): monthly grid, worst drawdowns, rolling correlation and beta."""

import numpy as np
import pandas as pd
import pytest

from rotation_desk.core.comparison_tables import monthly_grid, rolling_relative, worst_drawdowns
from rotation_desk.core.metrics import beta_correlation, max_drawdown, window_prices
from rotation_desk.core.returns import calendar_year_returns, daily_returns, period_start


def test_monthly_grid_equals_pandas_and_the_calendar_years(closes):
    g = monthly_grid(closes["VBR"].rename("VBR"), "2019-10-01", "2024-12-31")
    assert list(g.table.columns) == [
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
        "Year",
    ]
    assert list(g.table.index) == [2019, 2020, 2021, 2022, 2023, 2024] and g.partial == {2019}
    assert g.year_labels()[0] == "2019*" and g.start == pd.Timestamp("2019-09-30")
    assert g.table.loc[2019, ["Jan", "Sep"]].isna().all()
    month_end = closes["VBR"].dropna().groupby(closes["VBR"].dropna().index.to_period("M")).last()
    ref = month_end.pct_change()
    assert g.table.loc[2022, "Jun"] == pytest.approx(ref[pd.Period("2022-06", "M")], rel=1e-13)
    years = calendar_year_returns(closes["VBR"])
    for y in (2020, 2021, 2022, 2023, 2024):
        assert g.table.loc[y, "Year"] == pytest.approx(years.loc[y, "return"], rel=1e-12)  # Dec → Dec
    assert g.table.loc[2019, "Year"] == pytest.approx(
        month_end[pd.Period("2019-12", "M")] / month_end[pd.Period("2019-09", "M")] - 1
    )


def test_monthly_grid_marks_the_unfinished_year(closes):
    g = monthly_grid(closes["AVUV"].rename("AVUV"))
    assert g.partial == {2019, 2026} and g.end == pd.Timestamp("2026-07-31")
    assert g.table.loc[2026, ["Aug", "Dec"]].isna().all() and np.isfinite(g.table.loc[2026, "Jul"])
    with pytest.raises(ValueError, match="no complete month"):
        monthly_grid(closes["AVUV"].rename("AVUV"), "2024-03-05", "2024-03-20")


def test_worst_drawdowns_by_hand():
    index = pd.bdate_range("2024-01-01", periods=8)
    prices = pd.Series([100.0, 110, 99, 88, 120, 108, 130, 117], index=index, name="X")
    table = worst_drawdowns(prices, 5)
    assert list(table.index) == [1, 2, 3]
    assert list(table["peak"]) == [index[1], index[4], index[6]]
    assert list(table["trough"]) == [index[3], index[5], index[7]]
    assert table["recovery"].iloc[0] == index[4] and table["recovery"].iloc[1] == index[6]
    assert pd.isna(table["recovery"].iloc[2]) and not table["recovered"].iloc[2]
    assert table["depth"].tolist() == pytest.approx([-0.2, -0.1, -0.1])
    assert table["days_to_trough"].tolist() == [(index[3] - index[1]).days, (index[5] - index[4]).days, 1]
    assert table["days_to_recover"].iloc[0] == (index[4] - index[3]).days and pd.isna(table["days_to_recover"].iloc[2])
    assert table["days_underwater"].iloc[2] == (index[7] - index[6]).days


def independent_episodes(prices: pd.Series) -> list[tuple]:
    """A plain loop over the closes: (depth, peak, trough, recovery) of each episode below a running peak."""
    out, peak_i, trough_i, inside = [], 0, None, False
    values, dates = prices.dropna().tolist(), prices.dropna().index
    for i in range(1, len(values)):
        if values[i] >= values[peak_i]:
            if inside:
                out.append((values[trough_i] / values[peak_i] - 1, dates[peak_i], dates[trough_i], dates[i]))
                inside = False
            peak_i = i
        else:
            if not inside:
                inside, trough_i = True, i
            if values[i] < values[trough_i]:
                trough_i = i
    if inside:
        out.append((values[trough_i] / values[peak_i] - 1, dates[peak_i], dates[trough_i], None))
    return sorted(out, key=lambda e: e[0])


@pytest.mark.parametrize("ticker", ["SPY", "AVUV", "TLT"])
def test_worst_drawdowns_equal_an_independent_loop_and_the_max_drawdown(closes, ticker):
    table = worst_drawdowns(closes[ticker].rename(ticker), 5)
    ref = independent_episodes(closes[ticker])[:5]
    assert len(table) == 5
    for (_, row), (depth, peak, trough, recovery) in zip(table.iterrows(), ref):
        assert row["depth"] == pytest.approx(depth, rel=1e-12)
        assert (row["peak"], row["trough"]) == (peak, trough)
        assert (None if pd.isna(row["recovery"]) else row["recovery"]) == recovery
    dd = max_drawdown(closes[ticker])
    first = table.iloc[0]
    assert first["depth"] == pytest.approx(dd.depth) and first["peak"] == dd.peak and first["trough"] == dd.trough
    spans = sorted(zip(table["peak"], table["recovery"].fillna(pd.Timestamp.max)))
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # no two episodes overlap


@pytest.mark.parametrize("window", ["3M", "6M", "1Y", "3Y"])
def test_rolling_correlation_and_beta_equal_the_metrics_over_each_window(closes, window):
    fund, bench = closes["AVUV"].rename("AVUV"), closes["SPY"].rename("SPY")
    roll = rolling_relative(fund, bench, window)
    assert roll.attrs["window"] == window and roll.attrs["benchmark"] == "SPY"
    first_ok = fund.dropna().index[0]
    assert period_start(roll.index[0], window) >= first_ok
    for day in roll.index[:: max(1, len(roll) // 7)].append(roll.index[-1:]):
        a, b = period_start(day, window), day
        f, s = window_prices(fund, a, b), window_prices(bench, a, b)
        beta, corr = beta_correlation(daily_returns(f), daily_returns(s))
        assert roll.loc[day, "beta"] == pytest.approx(beta, rel=1e-9)
        assert roll.loc[day, "correlation"] == pytest.approx(corr, rel=1e-9)


def test_rolling_1y_matches_pandas_on_a_fixed_span(closes):
    """Where the 1-year window holds exactly 252 returns, pandas' fixed rolling gives the same correlation."""
    both = closes[["VBR", "SPY"]].dropna().loc["2010":"2015"]
    roll = rolling_relative(both["VBR"], both["SPY"], "1Y")
    r = both.pct_change().iloc[1:]
    counts = roll.index.map(lambda d: len(window_prices(both["VBR"], period_start(d, "1Y"), d)) - 1)
    fixed = r["VBR"].rolling(252).corr(r["SPY"])
    days = roll.index[np.asarray(counts) == 252][:50]
    assert len(days) > 10
    assert np.allclose(roll.loc[days, "correlation"], fixed.loc[days], rtol=0, atol=1e-10)
