"""The Yahoo refresh (rotation_desk.data.refresh) and ``rotation-desk data refresh``, fully offline.

Every test runs real yfinance 1.7 against tests/yahoo_replay.py, which serves the
snapshot's real adjusted closes in Yahoo's chart JSON (see that module).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from yahoo_replay import YahooReplay, snapshot_recording

from rotation_desk.cli.main import main
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import resolve_paths
from rotation_desk.data.refresh import RefreshReport, TickerOutcome, refresh_facts, refresh_tickers

pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword:DeprecationWarning")

LAST = pd.Timestamp("2026-08-03")  # the recording's (and the snapshot's) last session


@pytest.fixture
def replay(monkeypatch, tmp_path) -> YahooReplay:
    return YahooReplay().install(monkeypatch, tmp_path / "yf-cache")


@pytest.fixture
def live(data_dir) -> MarketData:
    """A seeded store that may go online (the replay answers)."""
    m = MarketData(resolve_paths(data_dir), offline=False)
    yield m
    m.store.close()


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def cut(store, ticker: str, last: str) -> pd.DataFrame:
    """Keep a ticker's cached rows up to ``last`` (as if the last refresh was then)."""
    rows = store.read_history(ticker, end=last)
    store.replace_history(ticker, rows, "snapshot")
    return rows


def sessions(closes, ticker, start=None, end=None) -> pd.Series:
    return closes[ticker].dropna()[start:end]


# -- incremental update ---------------------------------------------------------------------
def test_incremental_update_fetches_from_last_date_minus_overlap(live, replay, closes):
    store = live.store
    cut(store, "VBR", "2026-06-30")
    report = refresh_tickers(store, ["VBR"], sleep=Sleeps())
    [o] = report.outcomes
    assert o.status == "ok" and not o.readjusted and o.attempts == 1
    assert o.requested_from == "2026-06-20"  # 2026-06-30 minus 10 days
    [call] = replay.history_calls("VBR")
    assert call.start == pd.Timestamp("2026-06-20")
    expected_new = sessions(closes, "VBR", "2026-07-01")
    assert o.new_rows == len(expected_new) == 23
    assert o.rows_written == len(sessions(closes, "VBR", "2026-06-20"))
    meta = store.ticker_meta("VBR")
    assert meta.last == "2026-08-03" and meta.source == "yahoo" and meta.last_error is None
    stored = store.read_history("VBR")
    np.testing.assert_array_equal(stored["adj_close"], sessions(closes, "VBR").to_numpy())  # recorded closes, exactly
    assert "1 re-adjusted" not in report.summary() and report.summary() == "Updated 1 of 1 ticker."
    assert o.message == "23 new sessions (fetched from 2026-06-20)"


def test_auto_adjust_false_is_in_effect_in_stored_rows(live, replay):
    store = live.store
    cut(store, "VBR", "2026-06-30")
    refresh_tickers(store, ["VBR"])
    row = store.read_history("VBR", "2026-06-24", "2026-06-25")
    before, ex = row.loc["2026-06-24"], row.loc["2026-06-25"]
    assert before["close"] == 240.5 and before["adj_close"] == pytest.approx(239.418762)  # differ by the dividend
    assert ex["dividend"] == pytest.approx(1.081238) and ex["close"] == ex["adj_close"]
    # rows before the overlap keep what the snapshot had (adjusted closes only)
    assert np.isnan(store.read_history("VBR", "2026-06-18", "2026-06-18")["close"].iloc[0])


def test_up_to_date_ticker_has_no_new_sessions(live, replay):
    report = refresh_tickers(live.store, ["SPY"])
    o = report.outcome("SPY")
    assert o.status == "ok" and o.new_rows == 0 and not o.readjusted
    assert o.message == "no new sessions (fetched from 2026-07-24)"


def test_a_changed_last_row_alone_is_not_a_readjustment(live, replay, closes):
    """The last cached row may hold a price taken while the market was open."""
    store = live.store
    rows = cut(store, "QQQ", "2026-07-15")
    rows.loc["2026-07-15", "adj_close"] += 1.25
    store.replace_history("QQQ", rows, "snapshot")
    o = refresh_tickers(store, ["QQQ"]).outcome("QQQ")
    assert o.status == "ok" and not o.readjusted
    assert store.read_history("QQQ", "2026-07-15", "2026-07-15")["adj_close"].iloc[0] == closes.loc["2026-07-15", "QQQ"]


def test_full_flag_replaces_the_whole_history(live, replay, closes):
    o = refresh_tickers(live.store, ["DFAT"], full=True).outcome("DFAT")
    assert o.status == "ok" and o.requested_from is None and o.rows_written == len(sessions(closes, "DFAT"))
    assert replay.history_calls("DFAT")[0].start < pd.Timestamp("1950-01-01")


# -- re-adjustment ----------------------------------------------------------------------------
def test_dividend_readjustment_refetches_and_replaces_the_full_history(live, replay, closes):
    """Cache what Yahoo served on 2026-06-24; VBR goes ex-dividend on 06-25; the next refresh sees it."""
    store = live.store
    replay.as_of("2026-06-24")
    assert refresh_tickers(store, ["VBR"], full=True).outcome("VBR").status == "ok"
    old = store.read_history("VBR")
    assert old.index[-1] == pd.Timestamp("2026-06-24")
    snap = sessions(closes, "VBR")
    ratio = old["adj_close"] / snap[: old.index[-1]]
    assert ratio.min() == pytest.approx(ratio.max()) and ratio.iloc[0] > 1.004  # before the dividend: unadjusted by it

    replay.as_of(None)
    report = refresh_tickers(store, ["VBR"])
    o = report.outcome("VBR")
    assert o.status == "ok" and o.readjusted
    calls = replay.history_calls("VBR")
    assert [c.start for c in calls[1:]][0] == pd.Timestamp("2026-06-14")  # incremental first: 06-24 minus 10 days
    assert calls[-1].start < pd.Timestamp("1950-01-01")  # then the full history
    assert o.rows_written == len(snap) == len(store.read_history("VBR"))
    np.testing.assert_array_equal(store.read_history("VBR")["adj_close"], snap.to_numpy())
    assert "1 re-adjusted by Yahoo, full history re-fetched (VBR)" in report.summary()
    assert o.message.startswith("history re-adjusted by Yahoo")


def test_failed_full_refetch_after_a_readjustment_keeps_the_old_history(live, replay):
    from rotation_desk.data import yahoo

    store = live.store
    replay.as_of("2026-06-24")
    refresh_tickers(store, ["VBR"], full=True)
    cached = store.read_history("VBR")
    replay.as_of(None)

    def fetch(name, start):  # the incremental request works, the full one is refused
        if start is None:
            raise yahoo.RateLimited(name, "rate limited by Yahoo (HTTP 429)")
        return yahoo.fetch_history(name, start)

    o = refresh_tickers(store, ["VBR"], fetch=fetch, max_retries=1, sleep=Sleeps()).outcome("VBR")
    assert o.status == "error" and o.kind == "rate_limit" and not o.readjusted
    assert o.reason.startswith("history re-adjusted by Yahoo, but the full re-fetch failed: rate limited")
    pd.testing.assert_frame_equal(store.read_history("VBR"), cached)  # no new rows on the old adjustment


def test_split_after_the_cached_date_also_triggers_a_full_refetch(live, monkeypatch, tmp_path, closes):
    """A split re-bases the whole history (Yahoo's close is split-adjusted)."""
    import dataclasses

    vbr = snapshot_recording("VBR")
    split = dataclasses.replace(vbr, splits={pd.Timestamp("2026-07-20"): (2, 1)})
    # the split-adjusted recording: prices before the split halved, as Yahoo shows them afterwards
    before = split.dates < pd.Timestamp("2026-07-20")
    split = dataclasses.replace(
        split,
        adjclose=np.where(before, split.adjclose / 2, split.adjclose),
        close=np.where(before, split.close / 2, split.close),
    )
    replay = YahooReplay([split]).install(monkeypatch, tmp_path / "yf")
    store = live.store
    replay.as_of("2026-07-10")
    refresh_tickers(store, ["VBR"], full=True)
    assert store.read_history("VBR", "2026-07-10", "2026-07-10")["adj_close"].iloc[0] == closes.loc["2026-07-10", "VBR"]
    replay.as_of(None)
    o = refresh_tickers(store, ["VBR"]).outcome("VBR")
    assert o.readjusted
    stored = store.read_history("VBR")
    assert stored.loc["2026-07-20", "split"] == 2.0
    assert stored.loc["2026-07-10", "adj_close"] == pytest.approx(closes.loc["2026-07-10", "VBR"] / 2)


# -- failures -------------------------------------------------------------------------------------
def test_unknown_and_delisted_tickers_are_no_data_and_the_cache_is_kept(live, monkeypatch, tmp_path):
    """DFAT is cached but unknown to this Yahoo (delisted, say); NOPE was never cached."""
    replay = YahooReplay([snapshot_recording("VBR")], snapshot=False).install(monkeypatch, tmp_path / "yf")
    store = live.store
    cached = store.read_history("DFAT")
    report = refresh_tickers(store, ["VBR", "DFAT", "NOPE"])
    dfat, nope = report.outcome("DFAT"), report.outcome("NOPE")
    assert (dfat.status, nope.status) == ("no_data", "no_data")
    assert dfat.reason.startswith("no data on Yahoo") and dfat.reason.endswith("(cached prices kept)")
    pd.testing.assert_frame_equal(store.read_history("DFAT"), cached)
    assert store.ticker_meta("DFAT").source == "snapshot" and "no data on Yahoo" in store.ticker_meta("DFAT").last_error
    assert store.ticker_meta("NOPE").rows == 0 and not live.store.has("NOPE")
    assert report.summary().startswith("Updated 1 of 3 tickers; 2 failed (DFAT: no data on Yahoo")
    assert not report.offline and replay.unexpected == []


def test_rate_limit_retries_with_backoff_then_succeeds(live, replay):
    # yfinance retries a failed request once itself, so each of our attempts costs two 429s
    replay.fail("VBR", "rate_limit", times=4)
    sleeps = Sleeps()
    o = refresh_tickers(live.store, ["VBR"], sleep=sleeps).outcome("VBR")
    assert o.status == "ok" and o.attempts == 3
    assert sum(sleeps) == 2 + 4 and max(sleeps) <= 0.5  # 2 s then 4 s, slept in cancellable slices
    assert sum(1 for c in replay.chart_calls("VBR") if c.status == 429) == 4


def test_rate_limit_forever_is_bounded_and_the_next_ticker_still_runs(live, replay):
    replay.fail("VBR", "rate_limit")
    cached = live.store.read_history("VBR")
    sleeps = Sleeps()
    report = refresh_tickers(live.store, ["VBR", "SPY"], max_retries=3, sleep=sleeps)
    vbr = report.outcome("VBR")
    assert vbr.status == "error" and vbr.kind == "rate_limit" and vbr.attempts == 4
    assert "429" in vbr.reason and sum(sleeps) == 2 + 4 + 8
    assert report.outcome("SPY").status == "ok"
    pd.testing.assert_frame_equal(live.store.read_history("VBR"), cached)
    assert "rate limited" in live.store.ticker_meta("VBR").last_error


def test_offline_keeps_the_cache_and_says_so(live, replay):
    replay.offline = True
    before = live.store.read_closes()
    names = ["VBR", "SPY", "QQQ", "IWM", "EFA"]
    report = refresh_tickers(live.store, names)
    assert report.offline and not report.cancelled
    assert [o.status for o in report.outcomes] == ["error"] * 3 + ["skipped"] * 2  # gives up after 3 in a row
    assert all(o.kind == "network" for o in report.outcomes[:3])
    assert report.summary() == "Yahoo Finance could not be reached (offline?); cached data kept for all 5 tickers."
    pd.testing.assert_frame_equal(live.store.read_closes(), before)
    assert live.store.ticker_meta("SPY").source == "snapshot"


def test_malformed_json_is_an_error_with_a_reason(live, replay):
    replay.fail("VBR", "malformed")
    cached = live.store.read_history("VBR")
    o = refresh_tickers(live.store, ["VBR"]).outcome("VBR")
    assert o.status == "error" and o.kind == "malformed" and "not valid JSON" in o.reason
    pd.testing.assert_frame_equal(live.store.read_history("VBR"), cached)


# -- progress and cancel ---------------------------------------------------------------------------
def test_progress_is_reported_per_ticker(live, replay):
    calls = []
    refresh_tickers(live.store, ["vbr", "SPY", "NOPE", "SPY"], progress=lambda *a: calls.append(a))
    assert calls == [(1, 3, "VBR"), (2, 3, "SPY"), (3, 3, "NOPE")]


def test_cancel_between_tickers_keeps_the_rest_as_cached(live, replay):
    names = ["VBR", "SPY", "QQQ", "IWM", "EFA"]
    done = []
    report = refresh_tickers(live.store, names, progress=lambda d, t, n: done.append(n), cancel=lambda: len(done) >= 2)
    assert report.cancelled and not report.offline
    assert [o.status for o in report.outcomes] == ["ok", "ok", "cancelled", "cancelled", "cancelled"]
    assert replay.history_calls("QQQ") == []
    assert live.store.ticker_meta("QQQ").source == "snapshot"
    assert report.summary() == "Cancelled after 2 of 5 tickers: 2 updated, the rest kept as cached."


def test_cancel_while_backing_off_from_a_rate_limit(live, replay):
    replay.fail("VBR", "rate_limit")
    sleeps = Sleeps()
    report = refresh_tickers(live.store, ["VBR", "SPY"], sleep=sleeps, cancel=lambda: len(sleeps) >= 1)
    assert report.cancelled and [o.status for o in report.outcomes] == ["cancelled", "cancelled"]
    assert report.outcome("VBR").attempts == 1 and sleeps == [0.5]
    assert live.store.ticker_meta("VBR").last_error is None


# -- report ------------------------------------------------------------------------------------------
def test_summary_sentence_matches_the_issue():
    outcomes = [TickerOutcome(f"T{i}", "ok") for i in range(12)] + [
        TickerOutcome("XYZ", "no_data", "no data on Yahoo", kind="no_data")
    ]
    assert RefreshReport(outcomes).summary() == "Updated 12 of 13 tickers; 1 failed (XYZ: no data on Yahoo)."


# -- facts and the façade -------------------------------------------------------------------------------
def test_refresh_facts_saves_live_values_and_skips_fresh_ones(live, replay):
    assert refresh_facts(live.store, ["VBR", "NOPE"]) == ["VBR"]
    name, ratio, fetched_at = live.store.live_facts()["VBR"]
    assert (name, ratio) == ("Vanguard Morningstar Small-Cap Value ETF", 0.05)
    n = len(replay.calls)
    assert refresh_facts(live.store, ["VBR"]) == [] and len(replay.calls) == n  # fresh: not asked again


def test_market_refresh_updates_prices_then_facts(live, replay):
    cut(live.store, "AVUV", "2026-07-01")
    report = live.refresh(["AVUV"])
    assert report.outcome("AVUV").status == "ok" and live.store.ticker_meta("AVUV").last == "2026-08-03"
    fund = live.fund("AVUV")
    assert fund.confidence == "yahoo" and fund.expense_ratio_as_of == pd.Timestamp.now("UTC").strftime("%Y-%m-%d")


# -- the command line --------------------------------------------------------------------------------------
def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_refresh_prints_each_ticker_and_exits_0(data_dir, replay, capsys):
    market = MarketData(resolve_paths(data_dir), offline=True)
    cut(market.store, "VBR", "2026-07-01")
    market.store.close()
    code, out, err = run(capsys, "--data-dir", str(data_dir), "data", "refresh", "VBR", "spy")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["VBR", "ok"] and "22 new sessions (fetched from 2026-06-21)" in lines[0]
    assert lines[1].split()[:2] == ["SPY", "ok"] and "no new sessions" in lines[1]
    assert lines[-1] == "Updated 2 of 2 tickers."
    assert err == ""
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "data", "list", "--format", "csv")
    assert "VBR,2004-01-30,2026-08-03,5662,yahoo" in out


def test_cli_refresh_unknown_ticker_exits_3_with_a_clear_message(data_dir, replay, capsys):
    code, out, err = run(capsys, "--data-dir", str(data_dir), "data", "refresh", "NOPE")
    assert code == 3
    assert out.splitlines()[0].split()[:3] == ["NOPE", "no", "data"]
    assert err.count("\n") == 1 and "NOPE: no data on Yahoo" in err and "Traceback" not in err


def test_cli_refresh_offline_exits_3_and_keeps_the_cache(data_dir, replay, capsys):
    replay.offline = True
    code, out, err = run(capsys, "--data-dir", str(data_dir), "data", "refresh", "VBR", "SPY")
    assert code == 3 and "could not be reached" in err
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "data", "list", "--format", "csv")
    assert "VBR,2004-01-30,2026-08-03,5662,snapshot" in out
