"""Issue 14, data health: gaps against the calendar (hand-built), jumps and spikes (planted in real data),
staleness, refresh failures; ``rotation-desk data check``; the snapshot comes out nearly clean."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from rotation_desk.cli.main import main
from rotation_desk.core.data_health import find_gaps, find_jumps, find_off_calendar
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import resolve_paths

# Ten NYSE sessions, listed by hand: 2020-06-01 (Mon) to 2020-06-12 (Fri), no holiday between.
TEN_SESSIONS = ["2020-06-01", "2020-06-02", "2020-06-03", "2020-06-04", "2020-06-05",
                "2020-06-08", "2020-06-09", "2020-06-10", "2020-06-11", "2020-06-12"]  # fmt: skip


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_gaps_and_closes_off_the_calendar_by_hand():
    sessions = pd.to_datetime(["2025-12-22", "2025-12-23", "2025-12-24", "2025-12-26", "2025-12-29", "2025-12-30"])
    have = pd.to_datetime(["2025-12-22", "2025-12-25", "2025-12-29", "2025-12-30"])  # 25th: Christmas
    [gap] = find_gaps(have, sessions)
    assert (gap.start, gap.end, gap.figures["sessions"]) == (sessions[1], sessions[3], 3)
    assert gap.figures["dates"] == ["2025-12-23", "2025-12-24", "2025-12-26"]
    [extra] = find_off_calendar(have, sessions, sessions[0], sessions[-1])
    assert extra.kind == "off_calendar" and extra.start == pd.Timestamp("2025-12-25")


def test_a_real_crisis_is_not_a_jump(closes):
    """March 2020 (SPY −10.9 % on 03-16, +9.1 % on 03-24) and 2008 are measured against their own weeks."""
    assert find_jumps(closes["SPY"].dropna()) == []
    assert find_jumps(closes["XLE"].dropna()) == []


def test_the_snapshot_comes_out_nearly_clean(data_dir, capsys):
    code, out, err = run(
        capsys, "--offline", "--data-dir", str(data_dir), "data", "check", "--as-of", "2026-08-04", "--format", "json"
    )
    assert code == 0, err
    report = json.loads(out)
    assert len(report) == 88
    found = [(r["ticker"], p["kind"], p["date"]) for r in report for p in r["problems"]]
    assert found == [("SPYG", "jump", "2000-10-12"), ("UUP", "spike", "2007-06-20")]
    assert {r["calendar"] for r in report} == {"XNYS"} and {r["currency"] for r in report} == {"USD"}


def _import(capsys, data_dir, tmp_path, ticker, frame):
    path = tmp_path / f"{ticker.lower()}.csv"
    path.write_text("date,adj_close\n" + "".join(f"{d:%Y-%m-%d},{v:.6f}\n" for d, v in frame.items()))
    code, out, err = run(
        capsys, "--offline", "--data-dir", str(data_dir), "data", "import", str(path), "--ticker", ticker
    )
    assert code == 0, err
    return out


def test_imported_series_with_a_planted_jump_and_a_ten_session_gap(data_dir, tmp_path, capsys, closes):
    vbr = closes["VBR"].dropna().loc["2015-01-02":]
    planted = vbr.copy()
    planted.loc["2018-03-01":] *= 1.5  # a wrong level from 2018-03-01 on: +50 % in one session
    planted = planted.drop(pd.to_datetime(TEN_SESSIONS))
    out = _import(capsys, data_dir, tmp_path, "ZVBR", planted)
    assert "prices taken to be in USD" in out
    code, out, err = run(
        capsys, "--offline", "--data-dir", str(data_dir), "data", "check", "ZVBR", "--as-of", "2026-08-04",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    [item] = json.loads(out)
    assert item["source"] == "import:zvbr.csv" and item["source_kind"] == "file" and item["calendar"] == "XNYS"
    kinds = {p["kind"]: p for p in item["problems"]}
    assert set(kinds) == {"gap", "jump"}
    gap, jump = kinds["gap"], kinds["jump"]
    assert (gap["start"], gap["end"], gap["sessions"], gap["dates"]) == ("2020-06-01", "2020-06-12", 10, TEN_SESSIONS)
    assert jump["date"] == "2018-03-01"
    real = vbr["2018-03-01"] / vbr["2018-02-28"] * 1.5 - 1
    assert jump["change"] == pytest.approx(real, rel=1e-6)
    code, out, _ = run(
        capsys, "--offline", "--data-dir", str(data_dir), "data", "check", "ZVBR", "--as-of", "2026-08-04"
    )
    assert code == 0 and "2020-06-01 – 2020-06-12  10 sessions without a close" in out
    assert "ZVBR    jump     2018-03-01" in out and "1 ticker checked: 0 clean; 1 gap, 1 jump." in out
    code, _, _ = run(capsys, "--offline", "--data-dir", str(data_dir), "data", "check", "ZVBR", "--strict")
    assert code == 5
    # the health view's "remove" action
    code, out, _ = run(capsys, "--offline", "--data-dir", str(data_dir), "data", "remove", "ZVBR")
    assert code == 0 and out == f"removed ZVBR ({len(planted)} rows)\n"
    market = MarketData(resolve_paths(data_dir), offline=True)
    assert market.store.ticker_meta("ZVBR") is None and "ZVBR" not in market.store.read_closes().columns
    market.store.close()
    code, _, err = run(capsys, "--offline", "--data-dir", str(data_dir), "data", "check", "ZVBR")
    assert code == 3 and "no price data for ZVBR" in err


def test_an_unrecorded_split_is_named_and_a_recorded_one_is_not_flagged(data_dir, tmp_path, capsys, closes):
    spy = closes["SPY"].dropna().loc["2017-01-03":"2020-12-31"]
    unadjusted = spy.copy()
    unadjusted.loc[:"2018-12-31"] *= 2  # as if a 2-for-1 split on 2019-01-02 had not been applied
    _import(capsys, data_dir, tmp_path, "ZSPY", unadjusted)
    market = MarketData(resolve_paths(data_dir), offline=True)
    [problem] = [p for p in _check(market, "ZSPY") if p.kind == "jump"]
    assert problem.date == pd.Timestamp("2019-01-02") and "unrecorded 2-for-1 split" in problem.detail
    frame = pd.DataFrame({"adj_close": unadjusted, "split": np.where(unadjusted.index == "2019-01-02", 2.0, 0.0)})
    market.store.replace_history("ZSPY", frame, "import:zspy.csv")
    assert market.store.splits(["ZSPY"]) == {"ZSPY": {"2019-01-02": 2.0}}
    assert [p for p in _check(market, "ZSPY") if p.kind == "jump"] == []
    market.store.close()


def _check(market, ticker, today="2026-08-04"):
    from rotation_desk.data.health import check_store

    [h] = check_store(market, [ticker], today)
    return h.problems


def test_staleness_and_a_failed_refresh(data_dir):
    market = MarketData(resolve_paths(data_dir), offline=True)
    [stale] = _check(market, "SPY", "2026-09-01")
    # 2026-08-04 (Tue) to 2026-08-31 (Mon): 20 NYSE sessions, no holiday in August
    assert (stale.kind, stale.date, stale.figures) == (
        "stale",
        pd.Timestamp("2026-08-03"),
        {"expected": pd.Timestamp("2026-08-31"), "sessions": 20},
    )
    market.store.record_error("VBR", "rate limited by Yahoo (HTTP 429)")
    [failed] = _check(market, "VBR")
    assert failed.kind == "refresh_failed" and "HTTP 429" in failed.detail and "cached prices kept" in failed.detail
    market.store.close()


def test_a_yield_is_checked_on_its_changes_not_its_log_returns():
    days = pd.bdate_range("2020-01-01", periods=200)
    rng = np.random.default_rng(3)
    levels = pd.Series(0.10 + np.abs(np.cumsum(rng.normal(0, 0.01, 200))), index=days)  # near zero: big % moves
    assert find_jumps(levels, rate=True) == []
    levels.iloc[120:] += 1.0  # +100 bp in one session
    [jump] = find_jumps(levels, rate=True)
    assert jump.date == days[120] and jump.figures["change"] == pytest.approx(0.01, abs=0.001)
