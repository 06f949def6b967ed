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
