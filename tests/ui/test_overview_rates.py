"""Market Overview → Rates and risk: offline on the snapshot (bond-fund proxies, labelled), and with yields
refreshed through real yfinance from recorded responses (the figures equal `metrics ^TNX`)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from yahoo_replay import FIXTURES, YahooReplay, load_chart_file
from yahoo_synthetic import file_name

from rotation_desk.cli.main import main
from rotation_desk.ui.charts.series import unix_seconds
from rotation_desk.ui.tabs.overview.tab import RATES, OverviewTab

LAST = pd.Timestamp("2026-08-03")


def _tab(qtbot, services):
    t = OverviewTab(services)
    qtbot.addWidget(t)
    t.resize(1400, 860)
    t.sub_tabs.setCurrentIndex(RATES)
    t.ensure_current()
    return t


def _card(tab, key):
    card = tab.rates.cards[key]
    return card.caption.text(), card.value.text()


def test_offline_the_strip_says_so_and_shows_the_proxies(qtbot, services, closes):
    tab = _tab(qtbot, services)
    ief, shy = closes["IEF"].dropna(), closes["SHY"].dropna()
    assert _card(tab, "10y") == (
        "10Y yield: IEF proxy · 2026-08-03",
        f"{(ief[LAST] / ief['2026-07-02'] - 1) * 100:+.1f} % 1M",
    )
    assert _card(tab, "3m") == (
        "3M yield: SHY proxy · 2026-08-03",
        f"{(shy[LAST] / shy['2026-07-02'] - 1) * 100:+.1f} % 1M",
    )
    assert _card(tab, "spread") == ("Spread 10Y − 3M", "not cached") and _card(tab, "vix") == (
        "VIX (^VIX)",
        "not cached",
    )
    assert "not cached" in tab.rates.note.text() and "not a yield" in tab.rates.note.text()
    assert "needs ^TNX and ^IRX" in tab.rates.cards["spread"].toolTip()
    # IWM/SPY on the left axis, IEF's price (rebased) on the right, both named
    chart = tab.rates.chart
    assert "IEF (7–10 yr Treasury fund) price, a proxy for ^TNX" in chart.subtitle()
    assert tab.rates.rate_axis.label == "IEF price, proxy (rebased 100)"
    x, y = chart.series_data("IWM/SPY")
    assert y[0] == pytest.approx(100.0) and pd.Timestamp(int(x[-1]), unit="s") == LAST
    rx, ry = tab.rates.rate_axis.data()
    assert ry[-1] == pytest.approx(ief[LAST] / ief[pd.Timestamp(int(rx[0]), unit="s")] * 100)


def test_with_yields_cached_the_strip_equals_metrics(qtbot, services, data_dir, capsys, monkeypatch, tmp_path):
    # recorded chart answers for the three (synthetic HTTP fixtures: tests/fixtures/yahoo/README.md)
    recordings = [load_chart_file(FIXTURES / file_name(t)) for t in ("^TNX", "^IRX", "^VIX")]
    YahooReplay(recordings).install(monkeypatch, tmp_path / "yf-cache")
    assert main(["--data-dir", str(data_dir), "data", "refresh", "^TNX", "^IRX", "^VIX"]) == 0
    capsys.readouterr()
    tab = _tab(qtbot, services)
    assert main(["--offline", "--data-dir", str(data_dir), "metrics", "^TNX", "^IRX", "--format", "json"]) == 0
    tnx, irx = json.loads(capsys.readouterr().out)
    end = tnx["end"]
    assert _card(tab, "10y") == (
        f"10Y yield (^TNX) · {end}",
        f"{tnx['level_end'] * 100:.2f} %  {tnx['changes_bp']['1M']:+.0f} bp 1M",
    )
    level = f"{irx['level_end'] * 100:.2f} %"
    assert _card(tab, "3m")[1] == f"{level}  {irx['changes_bp']['1M']:+.0f} bp 1M"
    assert main(["--offline", "--data-dir", str(data_dir), "metrics", "^IRX"]) == 0
    assert f"2026-08-03  {level}" in capsys.readouterr().out  # the level the command line prints
    spread_bp = (tnx["level_end"] - irx["level_end"]) * 10_000
    assert _card(tab, "spread")[1].startswith(f"{spread_bp:+.0f} bp")
    assert not tab.rates.note.isVisible() and tab.rates.note.text() == ""
    vix = tab.market.closes(["^VIX"])["^VIX"].dropna()
    assert _card(tab, "vix") == (f"VIX (^VIX) · {vix.index[-1]:%Y-%m-%d}", _card(tab, "vix")[1])
    assert _card(tab, "vix")[1].startswith(f"{vix.iloc[-1]:.2f}")
    # the right axis holds the yield in percent, the same levels as the store, over the chart's window
    assert tab.rates.rate_axis.label == "10Y yield (%)"
    rx, ry = tab.rates.rate_axis.data()
    levels = tab.market.closes(["^TNX"])["^TNX"].dropna()
    shown = levels.loc[pd.Timestamp(int(rx[0]), unit="s") :]
    assert np.array_equal(rx, unix_seconds(shown.index)) and np.allclose(ry, shown.to_numpy())
    assert "10-year Treasury yield ^TNX" in tab.rates.chart.subtitle()
    # the thesis gains the rate-sensitive claim, checked on the cached ^IRX
    card = next(c for c in tab.thesis.cards if c.claim.id == "small_caps_when_fed_eases")
    assert "^IRX" in card.proxies.text() and "not cached" not in card.then.note.text()
