"""ETF Comparison with a series that trades every day (BTC-USD, refreshed through real yfinance from a
recorded response): its volatility, in the table and on the rolling chart, is annualised with √365, as
`metrics` does (core/instruments.py periods per year)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from yahoo_replay import FIXTURES, YahooReplay, load_chart_file
from yahoo_synthetic import file_name

from rotation_desk.cli.main import main
from rotation_desk.ui.tabs.compare.tab import CompareTab


def test_crypto_volatility_uses_365_periods(qtbot, services, data_dir, capsys, monkeypatch, tmp_path):
    YahooReplay([load_chart_file(FIXTURES / file_name("BTC-USD"))]).install(monkeypatch, tmp_path / "yf-cache")
    assert main(["--data-dir", str(data_dir), "data", "refresh", "BTC-USD"]) == 0
    capsys.readouterr()
    tab = CompareTab(services)
    qtbot.addWidget(tab)
    tab.resize(1300, 850)
    tab.use_tickers(["BTC-USD"])
    tab.ensure_current()
    assert "BTC-USD" in tab.data.series
    prices = tab.data.series["BTC-USD"]
    # the table's volatility equals the command line's for the same window
    start, end = f"{prices.index[0]:%Y-%m-%d}", f"{prices.index[-1]:%Y-%m-%d}"
    assert main(["--offline", "--data-dir", str(data_dir), "metrics", "BTC-USD", "--start", start, "--end", end,
                 "--format", "json"]) == 0  # fmt: skip
    [cli] = json.loads(capsys.readouterr().out)
    row = tab.data.rows[tab.data.tickers.index("BTC-USD")]
    assert row["volatility"] == pytest.approx(cli["volatility"], rel=1e-12)
    # by hand: the last rolling 3-month value, stdev of the daily returns after the anchor close × √365
    tab.chart_tabs.setCurrentWidget(tab.rolling_volatility)
    tab.rolling_boxes[1].setCurrentText("3M")
    tab.ensure_current()
    _, vol = tab.rolling_volatility.series_data("BTC-USD")
    last = prices.index[-1]
    anchor = prices.loc[: last - pd.DateOffset(months=3)].index[-1]
    daily = prices.loc[anchor:].pct_change().dropna()
    expected = float(np.std(daily.to_numpy(), ddof=1)) * math.sqrt(365)
    assert vol[-1] == pytest.approx(expected, rel=1e-9)
    assert vol[-1] != pytest.approx(expected / math.sqrt(365) * math.sqrt(252), rel=1e-3)
