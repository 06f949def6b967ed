"""The watchlist performance table equals `rotation-desk metrics` for the same windows."""

import json

import pandas as pd
import pytest

from rotation_desk.cli.main import main
from rotation_desk.core.performance import performance_table


def metrics_json(capsys, data_dir, *argv):
    assert main(["--offline", "--data-dir", str(data_dir), "metrics", *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_table_equals_metrics_cli(closes, data_dir, capsys):
    table = performance_table(closes, ["SPY", "VBR", "DFAT"])
    last = pd.Timestamp("2026-08-03")
    one_year = (last - pd.DateOffset(years=1)).strftime("%F")
    three_years = (last - pd.DateOffset(years=3)).strftime("%F")
    for ticker in ["SPY", "VBR", "DFAT"]:
        (m1,) = metrics_json(capsys, data_dir, ticker, "--start", one_year, "--end", "2026-08-03")
        (m3,) = metrics_json(capsys, data_dir, ticker, "--start", three_years, "--end", "2026-08-03")
        (ytd,) = metrics_json(capsys, data_dir, ticker, "--start", "2025-12-31")
        assert table.loc[ticker, "1Y"] == pytest.approx(m1["total_return"], rel=1e-12)
        assert table.loc[ticker, "3Y"] == pytest.approx(m3["cagr"], rel=1e-12)
        assert table.loc[ticker, "YTD"] == pytest.approx(ytd["total_return"], rel=1e-12)
    assert pd.isna(table.loc["DFAT", "10Y"])  # DFAT started in 2021


def test_from_52_week_high_and_one_day(closes):
    table = performance_table(closes, ["TLT"])
    tlt = closes["TLT"].dropna()
    year = tlt.loc[tlt.index[-1] - pd.DateOffset(weeks=52) :]
    assert table.loc["TLT", "from_52w_high"] == pytest.approx(tlt.iloc[-1] / year.max() - 1)
    assert table.loc["TLT", "1D"] == pytest.approx(tlt.iloc[-1] / tlt.iloc[-2] - 1)


def _reference(closes, tickers, as_of=None, dd_start=None) -> pd.DataFrame:
    """The table built from the period-return and drawdown functions the metrics use, one pandas
    window at a time (what performance_table computes on arrays)."""
    from rotation_desk.core.metrics import max_drawdown, window_prices
    from rotation_desk.core.performance import ANNUALISED, TABLE_PERIODS
    from rotation_desk.core.returns import period_returns

    rows = []
    for ticker in tickers:
        series = closes[ticker].dropna()
        if as_of is not None:
            series = series.loc[: pd.Timestamp(as_of)]
        if series.empty:
            rows.append({"ticker": ticker})
            continue
        last = series.index[-1]
        periods = period_returns(series, last, TABLE_PERIODS)
        row = {"ticker": ticker, "last_date": last, "last_close": float(series.iloc[-1])}
        for label in TABLE_PERIODS:
            w = periods[label]
            row[label] = None if w is None else (w.annualised if label in ANNUALISED else w.total)
        window = window_prices(series, dd_start, last)
        row["max_drawdown"] = max_drawdown(window).depth if len(window) > 1 else None
        year = series.loc[last - pd.DateOffset(weeks=52) :]
        row["from_52w_high"] = float(series.iloc[-1] / year.max() - 1.0)
        rows.append(row)
    return pd.DataFrame(rows).set_index("ticker")


@pytest.mark.parametrize(
    "as_of, dd_start",
    [
        (None, None),
        ("2026-07-31", "2021-07-30"),
        ("2024-02-29", "2020-02-29"),
        ("2020-03-23", None),
        ("2008-12-31", "2007-10-09"),
    ],
)
def test_table_equals_the_window_functions_for_every_ticker(closes, as_of, dd_start):
    tickers = list(closes.columns)
    got = performance_table(closes, tickers, as_of=as_of, dd_start=dd_start)
    expected = _reference(closes, tickers, as_of, dd_start)
    assert list(got.index) == tickers
    for column in expected.columns:
        a, b = got[column], expected[column]
        if column == "last_date":
            assert (a.fillna(pd.Timestamp(0)) == b.fillna(pd.Timestamp(0))).all()
            continue
        pd.testing.assert_series_equal(a.astype(float), b.astype(float), rtol=1e-13, atol=0, check_names=False)
