"""rotation_desk.data.yahoo through real yfinance 1.7, answered offline by tests/yahoo_replay.py."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import pytest_socket
import socket_guard
from yahoo_replay import (
    FIXTURES,
    YahooReplay,
    load_chart_file,
    recover_last_dividend,
    snapshot_recording,
)

from rotation_desk.data import yahoo

pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword:DeprecationWarning")

CHART_FIXTURE = FIXTURES / "chart-VBR-2026-06-01_2026-08-04.json"
VBR_EX_DATE = pd.Timestamp("2026-06-25")


@pytest.fixture
def replay(monkeypatch, tmp_path) -> YahooReplay:
    r = YahooReplay().install(monkeypatch, tmp_path / "yf-cache")
    yahoo.use_cache_dir(tmp_path / "yf-cache")
    return r


@pytest.fixture(scope="module")
def snapshot_vbr(closes) -> pd.Series:
    return closes["VBR"].dropna()


# -- the network guard ---------------------------------------------------------------------
@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_guard_blocks_python_sockets_and_libcurl():
    from curl_cffi import requests

    with socket_guard.expect_blocked() as seen:
        with pytest.raises(pytest_socket.SocketBlockedError):
            socket.create_connection(("query2.finance.yahoo.com", 443), timeout=1)
        with pytest.raises(socket_guard.NetworkBlocked):
            requests.get("https://query2.finance.yahoo.com/v8/finance/chart/VBR", timeout=1)
    assert any("getaddrinfo" in s for s in seen) and any("libcurl" in s for s in seen)
    left, right = socket.socketpair()  # Unix sockets (Qt, asyncio) stay allowed
    left.close(), right.close()


def test_guard_fails_a_test_even_when_the_error_is_swallowed(tmp_path):
    """yfinance logs some errors instead of raising; the guard still fails the test at teardown."""
    inner = tmp_path / "inner"
    inner.mkdir()
    here = Path(__file__).resolve().parent
    shutil.copy(here / "conftest.py", inner / "conftest.py")
    for helper in ("socket_guard.py", "fault_helpers.py"):
        shutil.copy(here / helper, inner / helper)
    (inner / "test_swallow.py").write_text(
        textwrap.dedent("""
        def test_swallows_the_network_error():
            from curl_cffi import requests
            try:
                requests.get("https://query2.finance.yahoo.com/v8/finance/chart/VBR", timeout=1)
            except Exception:
                pass
    """)
    )
    proc = subprocess.run(
        # its own basetemp: the inner run must not clean (and warn about) the outer run's temp folders
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "--basetemp",
            str(tmp_path / "basetemp"),
            str(inner),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
    )
    assert proc.returncode != 0, proc.stdout
    summary = (proc.stdout.strip().splitlines() or [proc.stderr])[-1]
    assert "a test tried to use the network" in proc.stdout
    assert re.match(r"1 passed(, \d+ warnings?)?, 1 error in ", summary), summary


# -- where the replay's prices come from -------------------------------------------------------
def test_last_dividend_is_recovered_from_real_adjusted_closes(snapshot_vbr):
    div = recover_last_dividend(snapshot_vbr)
    assert div.ex == VBR_EX_DATE and div.amount == pytest.approx(1.0812, abs=1e-4)
    before = snapshot_vbr[snapshot_vbr.index < VBR_EX_DATE].iloc[div.first :]
    restored = before / div.factor
    assert len(restored) > 40  # back to the previous (March) ex-date
    assert np.abs(restored - restored.round(2)).max() < 3e-5  # whole cents again
    assert (snapshot_vbr[VBR_EX_DATE:] - snapshot_vbr[VBR_EX_DATE:].round(2)).abs().max() < 3e-5
    gld = recover_last_dividend(snapshot_recording("GLD").frame()["adj_close"])
    assert gld is None  # GLD pays no dividend


def test_as_of_an_earlier_day_is_what_yahoo_served_then(snapshot_vbr):
    rec = snapshot_recording("VBR")
    before = rec.as_of("2026-06-24")
    assert before.dates[-1] == pd.Timestamp("2026-06-24") and not before.dividends
    # before the ex-date the latest adjusted closes were the closes themselves
    np.testing.assert_allclose(before.adjclose[-20:], rec.close[len(before) - 20 : len(before)], rtol=1e-7)
    # and the whole history was scaled by one factor
    ratio = before.adjclose / snapshot_vbr.iloc[: len(before)].to_numpy()
    assert np.ptp(ratio) < 1e-12 and ratio[0] == pytest.approx(1 / 0.9955042, rel=1e-6)


def test_committed_chart_fixture_matches_the_snapshot(snapshot_vbr):
    rec = load_chart_file(CHART_FIXTURE)
    window = snapshot_vbr["2026-06-01":"2026-08-03"]
    assert list(rec.dates) == list(window.index)
    np.testing.assert_array_equal(rec.adjclose, window.to_numpy())
    assert rec.dividends == {VBR_EX_DATE: 1.081238}
    payload = json.loads(CHART_FIXTURE.read_text())["chart"]["result"][0]
    assert payload["meta"]["exchangeTimezoneName"] == "America/New_York"
    first = pd.Timestamp(payload["timestamp"][0], unit="s", tz="UTC").tz_convert("America/New_York")
    assert (first.hour, first.minute) == (9, 30)  # Yahoo stamps daily bars at the open


# -- fetch_history ---------------------------------------------------------------------------
def test_window_fetch_honours_period1_and_keeps_close_and_adj_close_apart(replay, snapshot_vbr):
    frame = yahoo.fetch_history("VBR", "2026-06-15")
    [call] = replay.history_calls("VBR")
    assert call.start == pd.Timestamp("2026-06-15")
    assert call.params["events"] == "div,splits,capitalGains" and call.params["interval"] == "1d"
    assert list(frame.columns) == list(yahoo.FRAME_COLUMNS)
    assert frame.index[0] == pd.Timestamp("2026-06-15") and frame.index[-1] == pd.Timestamp("2026-08-03")
    np.testing.assert_array_equal(frame["adj_close"], snapshot_vbr["2026-06-15":].to_numpy())
    # auto_adjust=False: Close is the traded close, Adj Close the dividend-adjusted one
    day = frame.loc["2026-06-24"]
    assert day["close"] == 240.5 and day["adj_close"] == pytest.approx(239.418762)
    assert frame.loc["2026-06-25", "dividend"] == pytest.approx(1.081238)
    assert (frame.loc[:"2026-06-24", "close"] > frame.loc[:"2026-06-24", "adj_close"]).all()
    after = frame.loc["2026-06-25":]
    np.testing.assert_array_equal(after["close"], after["adj_close"])
    assert (frame.loc[frame.index != VBR_EX_DATE, "dividend"] == 0).all()


def test_full_history_fetch(replay, snapshot_vbr):
    frame = yahoo.fetch_history("VBR")
    assert len(frame) == len(snapshot_vbr) == 5662
    np.testing.assert_array_equal(frame["adj_close"], snapshot_vbr.to_numpy())
    [call] = replay.history_calls("VBR")
    assert call.start < pd.Timestamp("1950-01-01")  # yfinance's "max": 99 years back
    assert frame.loc[:"2026-03-01", "close"].isna().all()  # not in the snapshot: sent as null


def test_recorded_fixture_through_yfinance(monkeypatch, tmp_path):
    replay = YahooReplay([load_chart_file(CHART_FIXTURE)], snapshot=False).install(monkeypatch, tmp_path)
    frame = yahoo.fetch_history("VBR", "2026-06-01")
    assert len(frame) == 44 and frame["dividend"].sum() == pytest.approx(1.081238)
    assert replay.unexpected == []


def test_unknown_ticker_is_no_data(replay):
    with pytest.raises(yahoo.NoData) as err:
        yahoo.fetch_history("NOPE", "2026-06-15")
    assert "no data on Yahoo" in err.value.reason
    assert replay.chart_calls("NOPE")[0].status == 404


def test_empty_window_is_no_data(replay):
    with pytest.raises(yahoo.NoData):
        yahoo.fetch_history("VBR", "2026-09-01")


@pytest.mark.parametrize(
    "setup, error, words",
    [
        (lambda r: r.fail("VBR", "rate_limit"), yahoo.RateLimited, "429"),
        (lambda r: setattr(r, "offline", True), yahoo.NetworkError, "could not be reached"),
        (lambda r: r.fail("VBR", "malformed"), yahoo.MalformedResponse, "not valid JSON"),
    ],
    ids=["rate-limit", "offline", "malformed"],
)
def test_failures_are_named(replay, setup, error, words):
    setup(replay)
    with pytest.raises(error) as err:
        yahoo.fetch_history("VBR", "2026-06-15")
    assert words in err.value.reason


def test_normalise_rejects_a_frame_without_adj_close():
    raw = pd.DataFrame({"Close": [1.0]}, index=pd.DatetimeIndex(["2026-06-01"]))
    with pytest.raises(yahoo.MalformedResponse, match="Adj Close"):
        yahoo.normalise_history("VBR", raw)
    with pytest.raises(yahoo.NoData):
        yahoo.normalise_history("VBR", pd.DataFrame())


# -- fund facts --------------------------------------------------------------------------------
def test_fetch_facts(replay):
    facts = yahoo.fetch_facts("VBR")
    assert facts == yahoo.FundInfo("VBR", "Vanguard Morningstar Small-Cap Value ETF", 0.05)
    with pytest.raises(yahoo.NoData):
        yahoo.fetch_facts("NOPE")


@pytest.mark.parametrize(
    "info, name, ratio",
    [
        ({"longName": "A  Fund", "netExpenseRatio": 0.03}, "A Fund", 0.03),
        ({"shortName": "B", "annualReportExpenseRatio": 0.0004}, "B", 0.04),
        ({"longName": "", "shortName": "C", "netExpenseRatio": None}, "C", None),
        ({"netExpenseRatio": True}, None, None),
        ({"netExpenseRatio": 45.0}, None, None),  # implausible: dropped
        ({}, None, None),
    ],
)
def test_parse_facts_tolerates_missing_and_odd_fields(info, name, ratio):
    facts = yahoo.parse_facts("X", info)
    assert facts.name == name
    assert facts.expense_ratio_pct == (pytest.approx(ratio) if ratio is not None else None)
