"""Issue 14 end to end through real yfinance at its HTTP layer (tests/yahoo_replay.py): indices, yields, a
foreign listing, currency pairs, crypto, a mutual fund; an unfinished last bar; rows with nulls; a split.

ETF responses are built from the snapshot's real closes; the other types from the labelled synthetic
fixtures (tests/yahoo_synthetic.py: Yahoo's structure, made-up values).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from yahoo_replay import FIXTURES, YahooReplay, load_chart_file, snapshot_recording
from yahoo_synthetic import SPECS, file_name, fixture_text

from rotation_desk.cli.main import main
from rotation_desk.core import calendars
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import resolve_paths

pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword:DeprecationWarning")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def synthetic(ticker: str):
    return load_chart_file(FIXTURES / file_name(ticker))


def raw_chart(ticker: str) -> dict:
    return json.loads((FIXTURES / file_name(ticker)).read_text())["chart"]["result"][0]


@pytest.fixture
def replay(monkeypatch, tmp_path) -> YahooReplay:
    return YahooReplay([synthetic(t) for t in SPECS]).install(monkeypatch, tmp_path / "yf-cache")


@pytest.fixture
def live(data_dir):
    m = MarketData(resolve_paths(data_dir), offline=False)
    yield m
    m.store.close()


def at(*args):
    return lambda: datetime(*args, tzinfo=UTC)


def test_synthetic_fixtures_are_labelled_and_rebuilt_byte_for_byte():
    for ticker, spec in SPECS.items():
        text = (FIXTURES / file_name(ticker)).read_text()
        assert text == fixture_text(ticker), ticker
        data = json.loads(text)
        assert data["_fixture"].startswith("SYNTHETIC TEST FIXTURE") and "not market data" in data["_fixture"]
        meta = data["chart"]["result"][0]["meta"]
        assert (meta["instrumentType"], meta["currency"], meta["exchangeTimezoneName"]) == (
            spec.instrument_type,
            spec.currency,
            spec.timezone,
        )


# -- indices and yields ---------------------------------------------------------------------------
def test_refresh_rut_and_tnx_then_metrics(data_dir, replay, capsys):
    base = ["--data-dir", str(data_dir)]
    code, out, err = run(capsys, *base, "data", "refresh", "^RUT", "^TNX")
    assert code == 0, err
    assert out.splitlines()[-1] == "Updated 2 of 2 tickers."
    market = MarketData(resolve_paths(data_dir), offline=True)
    for ticker, exchange in (("^RUT", "WCB"), ("^TNX", "CGI")):
        meta = market.store.ticker_meta(ticker)
        assert (meta.instrument_type, meta.currency, meta.exchange, meta.timezone, meta.source) == (
            "INDEX",
            "USD",
            exchange,
            "America/New_York",
            "yahoo",
        )
        assert meta.refresh_status == "ok" and meta.rows == len(raw_chart(ticker)["timestamp"])
    rut = market.store.read_history("^RUT")
    assert (rut["volume"] == 0).all() and (rut["dividend"] == 0).all()  # an index: no volume, no dividends
    market.store.close()
    # metrics ^RUT: the price return between the fixture's first and last close, read from the JSON itself
    closes = raw_chart("^RUT")["indicators"]["adjclose"][0]["adjclose"]
    code, out, err = run(capsys, *base, "--offline", "metrics", "^RUT", "--format", "json")
    [row] = json.loads(out)
    assert code == 0 and row["total_return"] == pytest.approx(closes[-1] / closes[0] - 1, rel=1e-12)
    assert row["instrument_type"] == "INDEX" and "no dividends" in row["note"]
    levels = raw_chart("^TNX")["indicators"]["quote"][0]["close"]
    code, out, _ = run(capsys, *base, "--offline", "metrics", "^TNX", "--format", "json")
    [rate] = json.loads(out)
    assert rate["kind"] == "rate" and "total_return" not in rate and "no total return" in rate["note"]
    assert rate["level_end"] == pytest.approx(levels[-1] / 100) and rate["level_start"] == pytest.approx(
        levels[0] / 100
    )
    assert rate["change_bp"] == pytest.approx((levels[-1] - levels[0]) * 100)
    code, out, _ = run(capsys, *base, "--offline", "metrics", "SPY", "^TNX", "--start", "2025-06-30")
    assert code == 0
    assert "^TNX: a yield is a rate (percent a year), not a price: it has no total return" in out
    assert f"{levels[-1]:.2f} %" in out and "bp" in out
    code, _, err = run(capsys, *base, "--offline", "metrics", "SPY", "--benchmark", "^TNX")
    assert code == 2 and "cannot be used for a benchmark" in err
    code, out, _ = run(capsys, *base, "--offline", "data", "list")
    assert out.splitlines()[0].split()[-2:] == ["Type", "Currency"]
    assert [line.split()[-2:] for line in out.splitlines() if line.startswith(("^RUT", "^TNX", "SPY "))] == [
        ["ETF", "USD"],
        ["index", "USD"],
        ["yield", "—"],
    ]
    code, out, _ = run(capsys, *base, "--offline", "data", "list", "--format", "json")
    assert {tuple(item) for item in json.loads(out)} == {("ticker", "first", "last", "rows", "source")}  # stable keys


@pytest.mark.parametrize(
    "argv",
    [
        ["tilt", "--weights", "SPY=70,^TNX=30"],
        ["strategy", "pair", "IWM/^TNX"],
        ["rrg", "--tickers", "XLK,^TNX"],
        ["factors", "^TNX"],
    ],
)
def test_a_yield_is_refused_where_only_a_price_makes_sense(data_dir, capsys, argv):
    code, out, err = run(capsys, "--offline", "--data-dir", str(data_dir), *argv)
    assert code == 2 and err.count("\n") == 1 and "^TNX is a yield" in err and "not a price" in err


def test_a_dca_plan_with_a_yield_is_refused_naming_it(data_dir, capsys, tmp_path):
    plan = json.loads((Path(__file__).parents[1] / "docs/examples/rotation-core.json").read_text())
    plan["allocation"] = {"VBR": 60, "^TNX": 40}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    code, out, err = run(capsys, "--offline", "--data-dir", str(data_dir), "dca", str(path), "--schedule",
                         str(tmp_path / "buys.csv"))  # fmt: skip
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "^TNX is a yield (10-year Treasury yield, a rate in percent), not a price: it cannot be used for a DCA " \
        "allocation" in err  # fmt: skip
    assert not (tmp_path / "buys.csv").exists()


# -- a foreign listing and currencies ---------------------------------------------------------------
def test_foreign_listing_keeps_its_currency_and_calendar(live, replay, data_dir, capsys):
    report = live.refresh(["VWRL.L"], now=at(2026, 8, 4, 12))
    assert report.outcome("VWRL.L").status == "ok"
    meta = live.store.ticker_meta("VWRL.L")
    assert (meta.currency, meta.timezone, meta.exchange) == ("GBp", "Europe/London", "LSE")
    stored = live.store.read_history("VWRL.L")
    assert list(stored.index) == list(calendars.sessions("XLON", "2025-01-02", "2026-08-03"))  # London's sessions
    assert stored.loc["2026-03-12", "dividend"] == 42.5
    base = ["--offline", "--data-dir", str(data_dir)]
    code, _, err = run(capsys, *base, "metrics", "VWRL.L", "SPY")
    assert code == 2 and "VWRL.L in GBP and SPY in USD: metrics would mix currencies; add --in USD (or --in GBP)" in err
    code, _, err = run(capsys, *base, "metrics", "VWRL.L", "SPY", "--in", "USD")
    assert code == 3 and "GBPUSD=X is not cached" in err and "data refresh GBPUSD=X" in err
    code, out, _ = run(capsys, *base, "metrics", "VWRL.L")
    assert code == 0 and "Currency" in out.splitlines()[0] and "GBP" in out.splitlines()[2]


def test_in_usd_converts_through_the_cached_pair(live, replay, data_dir, capsys):
    live.refresh(["VWRL.L", "GBPUSD=X"], now=at(2026, 8, 4, 12))
    base = ["--offline", "--data-dir", str(data_dir)]
    code, out, err = run(
        capsys, *base, "metrics", "VWRL.L", "SPY", "--in", "USD", "--start", "2025-03-03", "--end", "2026-07-31",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    vwrl, spy = json.loads(out)
    assert vwrl["currency"] == "USD" and vwrl["converted"]["pair"] == "GBPUSD=X" and vwrl["converted"]["from"] == "GBP"
    # by hand from the two fixtures: pence × 0.01 × dollars per pound, on the listing's dates
    price = pd.Series(*_series("VWRL.L"))
    fx = pd.Series(*_series("GBPUSD=X"))
    a, b = price.loc[:"2025-03-03"].iloc[-1], price.loc[:"2026-07-31"].iloc[-1]
    fa, fb = (
        fx.loc[: price.loc[:"2025-03-03"].index[-1]].iloc[-1],
        fx.loc[: price.loc[:"2026-07-31"].index[-1]].iloc[-1],
    )
    assert vwrl["total_return"] == pytest.approx((b * 0.01 * fb) / (a * 0.01 * fa) - 1, rel=1e-12)
    assert spy["converted"] is None and spy["currency"] == "USD"
    code, out, _ = run(capsys, *base, "metrics", "VWRL.L", "--in", "USD")
    assert "† VWRL.L: GBP to USD through GBPUSD=X (GBp to GBP first)" in out


def _series(ticker):
    raw = raw_chart(ticker)
    zone = raw["meta"]["exchangeTimezoneName"]
    dates = pd.to_datetime(raw["timestamp"], unit="s", utc=True).tz_convert(zone).normalize().tz_localize(None)
    values = np.array([np.nan if v is None else v for v in raw["indicators"]["adjclose"][0]["adjclose"]], dtype=float)
    keep = ~np.isnan(values)
    return values[keep], dates[keep]


# -- crypto: every day ---------------------------------------------------------------------------------
def test_crypto_annualises_with_365_periods_and_correlates_on_common_dates(live, replay, data_dir, capsys):
    live.refresh(["BTC-USD"], now=at(2026, 8, 4, 12))
    assert len(live.store.read_history("BTC-USD")) == len(pd.date_range("2025-01-02", "2026-08-03"))  # every day
    base = ["--offline", "--data-dir", str(data_dir)]
    code, out, err = run(capsys, *base, "metrics", "BTC-USD", "--format", "json")
    [row] = json.loads(out)
    values, _ = _series("BTC-USD")
    r = values[1:] / values[:-1] - 1
    assert row["periods_per_year"] == 365
    assert row["volatility"] == pytest.approx(np.std(r, ddof=1) * np.sqrt(365), rel=1e-12)
    code, out, err = run(capsys, *base, "correlation", "BTC-USD", "SPY", "--format", "json")
    report = json.loads(out)
    btc = pd.Series(values, index=_series("BTC-USD")[1])
    spy = live.store.read_closes(["SPY"])["SPY"].dropna()
    both = pd.concat([btc.rename("b"), spy.rename("s")], axis=1, sort=True).dropna()  # the dates both have
    expected = both.pct_change().dropna().corr().iloc[0, 1]
    assert report["codated"] and report["matrix"]["BTC-USD"]["SPY"] == pytest.approx(expected, abs=1e-12)
    assert report["observations"] == len(both) - 1
    # a tilt runs on the sessions all holdings share: with SPY those are NYSE sessions (252 a year) ...
    code, out, _ = run(capsys, *base, "tilt", "--weights", "SPY=90,BTC-USD=10", "--format", "json")
    assert code == 0 and json.loads(out)["start"] == "2025-01-02"
    # ... crypto alone has none: refused, not annualised with the wrong number of periods
    code, _, err = run(capsys, *base, "tilt", "--weights", "BTC-USD=100", "--benchmark", "BTC-USD")
    assert code == 2 and "outside exchange sessions" in err


# -- a mutual fund, rows with nulls ----------------------------------------------------------------------
def test_mutual_fund_with_a_null_row(live, replay, data_dir, capsys):
    live.refresh(["VSIAX"], now=at(2026, 8, 4, 12))
    meta = live.store.ticker_meta("VSIAX")
    assert meta.instrument_type == "MUTUALFUND"
    assert pd.Timestamp("2025-07-03") not in live.store.read_history("VSIAX").index  # Yahoo sent it as nulls
    code, out, _ = run(capsys, "--offline", "--data-dir", str(data_dir), "data", "check", "VSIAX", "--as-of",
                       "2026-08-04", "--format", "json")  # fmt: skip
    [item] = json.loads(out)
    assert [(p["kind"], p["start"], p["end"]) for p in item["problems"]] == [("gap", "2025-07-03", "2025-07-03")]


def test_real_rows_with_nulls_are_not_stored(live, monkeypatch, tmp_path, data_dir, capsys):
    vbr = snapshot_recording("VBR")
    holes = np.isin(vbr.dates, pd.to_datetime(["2026-07-08", "2026-07-09"]))
    nulled = dataclasses.replace(
        vbr, adjclose=np.where(holes, np.nan, vbr.adjclose), close=np.where(holes, np.nan, vbr.close)
    )
    YahooReplay([nulled]).install(monkeypatch, tmp_path / "yf")
    assert live.refresh(["VBR"], full=True, now=at(2026, 8, 4, 12)).outcome("VBR").status == "ok"
    stored = live.store.read_history("VBR")
    assert len(stored) == len(vbr) - 2 and pd.Timestamp("2026-07-08") not in stored.index
    code, out, _ = run(capsys, "--offline", "--data-dir", str(data_dir), "data", "check", "VBR", "--as-of", "2026-08-04",
                       "--format", "json")  # fmt: skip
    [gap] = json.loads(out)[0]["problems"]
    assert (gap["kind"], gap["dates"]) == ("gap", ["2026-07-08", "2026-07-09"])


# -- the unfinished day --------------------------------------------------------------------------------
def _cut(store, ticker, last):
    rows = store.read_history(ticker, end=last)
    store.replace_history(ticker, rows, "snapshot")


def test_todays_unfinished_bar_is_not_stored_until_the_session_ends(live, monkeypatch, tmp_path):
    """SPY's real closes; 2026-08-03's bar served as Yahoo does while New York trades (stamped 14:05 EDT)."""
    spy = dataclasses.replace(snapshot_recording("SPY"), live=pd.Timestamp("2026-08-03 18:05", tz="UTC"))
    YahooReplay([spy]).install(monkeypatch, tmp_path / "yf")
    _cut(live.store, "SPY", "2026-07-24")
    o = live.refresh(["SPY"], now=at(2026, 8, 3, 18, 30)).outcome("SPY")  # 14:30 in New York
    assert o.status == "ok" and live.store.ticker_meta("SPY").last == "2026-07-31"
    assert "2026-08-03 not stored: the session is not over yet (the session ends 16:00 America/New_York)" in o.message
    o = live.refresh(["SPY"], now=at(2026, 8, 3, 20, 30)).outcome("SPY")  # 16:30: the close is final
    assert o.unfinished is None and live.store.ticker_meta("SPY").last == "2026-08-03"
    assert live.store.read_history("SPY", "2026-08-03")["adj_close"].iloc[0] == spy.adjclose[-1]


@pytest.mark.parametrize(
    "ticker, live_at, before, after",
    [
        # London closes 16:30 BST (15:30 UTC); at 15:45 UTC New York is open, London's day is over
        ("VWRL.L", "2026-08-03 13:00", (2026, 8, 3, 15, 0), (2026, 8, 3, 15, 45)),
        # crypto's day ends at midnight UTC
        ("BTC-USD", "2026-08-03 12:00", (2026, 8, 3, 23, 0), (2026, 8, 4, 0, 30)),
    ],
)
def test_the_exchanges_time_zone_decides_when_a_day_is_over(
    live, monkeypatch, tmp_path, ticker, live_at, before, after
):
    rec = dataclasses.replace(synthetic(ticker), live=pd.Timestamp(live_at, tz="UTC"))
    YahooReplay([rec]).install(monkeypatch, tmp_path / "yf")
    live.refresh([ticker], now=at(*before))
    assert live.store.ticker_meta(ticker).last == f"{rec.dates[-2]:%Y-%m-%d}"
    live.refresh([ticker], now=at(*after))
    assert live.store.ticker_meta(ticker).last == "2026-08-03"


# -- a split --------------------------------------------------------------------------------------------
def test_a_split_is_recorded_and_not_taken_for_a_jump(live, monkeypatch, tmp_path, data_dir, capsys):
    """VBR's real closes with a 2-for-1 split staged on 2026-07-20 (as test_refresh does)."""
    vbr = snapshot_recording("VBR")
    before = vbr.dates < pd.Timestamp("2026-07-20")
    split = dataclasses.replace(
        vbr,
        splits={pd.Timestamp("2026-07-20"): (2, 1)},
        adjclose=np.where(before, vbr.adjclose / 2, vbr.adjclose),
        close=np.where(before, vbr.close / 2, vbr.close),
    )
    YahooReplay([split.as_of("2026-07-10")]).install(monkeypatch, tmp_path / "yf")
    live.refresh(["VBR"], full=True, now=at(2026, 7, 11, 12))
    YahooReplay([split]).install(monkeypatch, tmp_path / "yf2")
    o = live.refresh(["VBR"], now=at(2026, 8, 4, 12)).outcome("VBR")
    assert o.readjusted and live.store.splits(["VBR"]) == {"VBR": {"2026-07-20": 2.0}}
    code, out, _ = run(capsys, "--offline", "--data-dir", str(data_dir), "data", "check", "VBR", "--as-of",
                       "2026-08-04", "--format", "json")  # fmt: skip
    assert json.loads(out)[0]["problems"] == []
