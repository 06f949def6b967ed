"""Month-end statistics and the correlation command (issue 16), against empyrical and pandas."""

import json

import empyrical as ep
import numpy as np
import pandas as pd
import pytest

from rotation_desk.cli.main import main
from rotation_desk.core.comparison import Window, metrics_rows
from rotation_desk.core.comparison_charts import build_comparison
from rotation_desk.core.monthly import month_end_closes, monthly_returns


def run(data_dir, capsys, *argv):
    code = main(["--offline", "--data-dir", str(data_dir), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def pandas_month_ends(prices: pd.Series) -> pd.Series:
    """Independent: the last close of each calendar month (pandas groupby), indexed by month."""
    clean = prices.dropna()
    return clean.groupby(clean.index.to_period("M")).last()


def test_month_end_closes_are_each_months_last_close(closes):
    me = month_end_closes(closes["VBR"], "2020-01-01", "2024-12-31")
    ref = pandas_month_ends(closes["VBR"]).loc["2019-12":"2024-12"]
    assert len(me.closes) == 61 and me.closes.index[0] == pd.Timestamp("2019-12-31")
    assert np.array_equal(me.closes.to_numpy(), ref.to_numpy())
    # a month ending on a holiday uses its last session: May 2021 ends Friday the 28th (Memorial Day the 31st)
    assert pd.Timestamp("2021-05-28") in me.closes.index
    # a month the data does not reach to its last session is left out (the snapshot ends 2026-08-03)
    assert month_end_closes(closes["VBR"]).closes.index[-1] == pd.Timestamp("2026-07-31")
    # a window ending before a month's last session leaves that month out
    assert monthly_returns(closes["VBR"], "2024-01-01", "2024-06-27").index[-1] == pd.Timestamp("2024-05-31")


@pytest.mark.parametrize(
    "ticker, start, end, rf", [("AVUV", "2020-01-01", "2024-12-31", 0.0), ("SPY", "2005-01-01", "2025-12-31", 0.03)]
)
def test_monthly_metrics_equal_empyrical(closes, ticker, start, end, rf):
    (row,) = metrics_rows(
        closes,
        [ticker],
        "IWM" if ticker == "SPY" else "SPY",
        Window(pd.Timestamp(start), pd.Timestamp(end), False, None),
        rf,
        "monthly",
    )
    p = pandas_month_ends(closes[ticker]).loc[pd.Period(start, "M") - 1 : pd.Period(end, "M")]
    r = p.pct_change().iloc[1:]
    bench = pandas_month_ends(closes["IWM" if ticker == "SPY" else "SPY"]).pct_change().loc[r.index]
    rf_m = (1 + rf) ** (1 / 12) - 1
    assert row["volatility"] == pytest.approx(ep.annual_volatility(r, period="monthly"), rel=1e-12)
    assert row["volatility"] == pytest.approx(r.std(ddof=1) * np.sqrt(12), rel=1e-12)
    assert row["sharpe"] == pytest.approx(ep.sharpe_ratio(r, risk_free=rf_m, period="monthly"), rel=1e-10)
    assert row["sortino"] == pytest.approx(ep.sortino_ratio(r, required_return=rf_m, period="monthly"), rel=1e-10)
    assert row["max_drawdown"] == pytest.approx(ep.max_drawdown(r), rel=1e-12)
    assert row["beta"] == pytest.approx(ep.beta(r, bench), rel=1e-10)
    assert row["correlation"] == pytest.approx(np.corrcoef(r, bench)[0, 1], rel=1e-12)
    days = (row["end"] - row["start"]).days
    assert row["total_return"] == pytest.approx(p.iloc[-1] / p.iloc[0] - 1, rel=1e-12)
    assert row["cagr"] == pytest.approx((p.iloc[-1] / p.iloc[0]) ** (365.25 / days) - 1, rel=1e-12)
    assert row["start"].to_period("M") == pd.Period(start, "M") - 1 and row["end"].to_period("M") == pd.Period(end, "M")


def test_spy_2008_from_month_end_closes(closes):
    """SPY 2008: −36.8 % (the published figure) also from the December month-ends."""
    (row,) = metrics_rows(
        closes,
        ["SPY"],
        None,
        Window(pd.Timestamp("2008-01-01"), pd.Timestamp("2008-12-31"), False, None),
        0.0,
        "monthly",
    )
    assert round(row["total_return"], 3) == -0.368 and row["start"] == pd.Timestamp("2007-12-31")


def test_daily_numbers_are_unchanged_by_the_switch(closes):
    window = Window(pd.Timestamp("2015-01-01"), pd.Timestamp("2024-12-31"), False, None)
    a = metrics_rows(closes, ["VBR", "AVUV"], "SPY", window)
    b = metrics_rows(closes, ["VBR", "AVUV"], "SPY", window, 0.0, "daily")
    assert a == b
    r = closes["VBR"].dropna().loc["2014-12-31":"2024-12-31"].pct_change().iloc[1:]
    assert a[0]["volatility"] == pytest.approx(ep.annual_volatility(r), rel=1e-12)


def test_metrics_cli_monthly(data_dir, capsys):
    code, out, err = run(
        data_dir,
        capsys,
        "metrics",
        "DFAT",
        "VBR",
        "--benchmark",
        "SPY",
        "--returns",
        "monthly",
        "--common-window",
        "--format",
        "json",
    )
    assert code == 0
    items = json.loads(out)
    # DFAT starts 2021-06-14: its first month-end base is 2021-06-30, so both start there and end at July 2026
    assert {i["start"] for i in items} == {"2021-06-30"} and {i["end"] for i in items} == {"2026-07-31"}
    code, table_out, err = run(data_dir, capsys, "metrics", "VBR", "--returns", "monthly")
    assert code == 0 and "Month-end statistics" in err
    code, _, err = run(data_dir, capsys, "metrics", "VBR", "--returns", "weekly")
    assert code == 2 and "--returns" in err


def test_correlation_cli_is_the_heat_map(data_dir, capsys, closes):
    names = ["DFAT", "VBR", "AVUV", "SPY"]
    code, out, _ = run(data_dir, capsys, "correlation", *names, "--format", "json")
    assert code == 0
    got = json.loads(out)
    tab = build_comparison(closes, names[:3], "SPY")  # what the ETF Comparison tab shows
    for a in names:
        for b in names:
            assert got["matrix"][a][b] == pytest.approx(tab.correlations.matrix.loc[a, b], abs=1e-15)
    daily = closes[names].loc["2021-06-14":].pct_change().iloc[1:].dropna()
    assert np.allclose(pd.DataFrame(got["matrix"]).loc[names, names].to_numpy(), daily.corr().to_numpy(), atol=1e-12)
    assert got["observations"] == len(daily) and got["start"] == "2021-06-14"


def test_correlation_cli_monthly(data_dir, capsys, closes):
    names = ["VBR", "EEMV", "TLT"]
    code, out, _ = run(
        data_dir,
        capsys,
        "correlation",
        *names,
        "--returns",
        "monthly",
        "--start",
        "2015-01-01",
        "--end",
        "2024-12-31",
        "--format",
        "json",
    )
    assert code == 0
    got = json.loads(out)
    ref = pd.DataFrame({n: pandas_month_ends(closes[n]).pct_change() for n in names}).loc["2015-01":"2024-12"]
    assert got["observations"] == 120 and got["start"] == "2014-12-31" and got["end"] == "2024-12-31"
    assert np.allclose(pd.DataFrame(got["matrix"]).loc[names, names].to_numpy(), ref.corr().to_numpy(), atol=1e-12)
    code, table_out, _ = run(data_dir, capsys, "correlation", *names, "--returns", "monthly")
    assert code == 0 and table_out.startswith("Correlation of monthly returns (Pearson)")


@pytest.mark.parametrize(
    "argv, code, words",
    [
        (["correlation", "VBR"], 2, "at least two tickers"),
        (["correlation", "VBR", "NOPE"], 3, "NOPE"),
        (["correlation", "VBR", "SPY", "--start", "2021-01-01", "--end", "2020-01-01"], 2, "not after"),
        (
            ["correlation", "VBR", "SPY", "--returns", "monthly", "--start", "2024-01-10", "--end", "2024-02-15"],
            3,
            "fewer than two",
        ),
    ],
)
def test_correlation_bad_input(data_dir, capsys, argv, code, words):
    got, _, err = run(data_dir, capsys, *argv)
    assert got == code and words in err
