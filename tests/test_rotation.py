"""Rotation pairs, moving averages, scorecard state, breadth — on the real snapshot, checked by hand."""

import numpy as np
import pandas as pd
import pytest

from rotation_desk.core.rotation import DEFAULT_PAIRS, Pair, breadth, find_default, ratio_lines, score_pair


def test_ratio_is_rebased_and_mas_match_plain_numpy(closes):
    pair = find_default("IWM", "SPY")
    lines = ratio_lines(closes, pair, "2025-12-31", "2026-08-03")
    iwm, spy = closes["IWM"].dropna(), closes["SPY"].dropna()
    raw = (iwm / spy).dropna()
    assert lines.ratio.index[0] == pd.Timestamp("2025-12-31") and lines.ratio.iloc[0] == pytest.approx(100.0)
    base = raw.loc["2025-12-31"]
    last = raw.index[-1]
    assert lines.ratio.iloc[-1] == pytest.approx(raw.loc[last] / base * 100)
    # the 200-session average on the last day is the mean of the last 200 ratios, on the same scale
    expected_slow = raw.iloc[-200:].to_numpy().mean() / base * 100
    expected_fast = raw.iloc[-50:].to_numpy().mean() / base * 100
    assert lines.ma_slow.iloc[-1] == pytest.approx(expected_slow, rel=1e-12)
    assert lines.ma_fast.iloc[-1] == pytest.approx(expected_fast, rel=1e-12)


def test_score_state_and_sessions_since_crossing(closes):
    pair = find_default("IWM", "SPY")
    score = score_pair(closes, pair)
    raw = (closes["IWM"] / closes["SPY"]).dropna()
    slow = raw.rolling(200).mean()
    above = (raw > slow)[slow.notna()]
    now = bool(above.iloc[-1])
    # walk back by hand to the last day the state was different
    n = 0
    for value in reversed(above.to_numpy()):
        if bool(value) != now:
            break
        n += 1
    assert score.above_slow_ma == now and score.sessions_in_state == n
    who = "Small caps" if now else "Large caps"
    assert score.words() == f"{who} leading for {n} session{'s' if n != 1 else ''}"
    # 3M change of the ratio: last ratio over the ratio on the last session on/before 3 months back
    start = raw.index[-1] - pd.DateOffset(months=3)
    expected = raw.iloc[-1] / raw.loc[:start].iloc[-1] - 1
    assert score.changes["3M"] == pytest.approx(expected)


def test_state_on_a_hand_made_series():
    idx = pd.bdate_range("2020-01-01", periods=260)
    num = pd.Series(np.r_[np.full(230, 1.0), np.full(30, 2.0)], index=idx)  # jumps 30 sessions before the end
    den = pd.Series(1.0, index=idx)
    score = score_pair(pd.DataFrame({"A": num, "B": den}), Pair("A", "B", "A vs B", "A", "B"))
    assert score.above_slow_ma is True and score.sessions_in_state == 30
    assert score.state_since == idx[230]
    assert score.words() == "A leading for 30 sessions"
    assert score.changes["1M"] == pytest.approx(0.0)  # flat over the last month


def test_breadth_counts_pairs_above_their_average(closes):
    scores = [score_pair(closes, p) for p in DEFAULT_PAIRS]
    b = breadth(scores)
    assert b.total == 7
    assert b.favouring == sum(1 for s in scores if s.above_slow_ma)
    assert b.words() == f"{b.favouring} of 7 pairs favour the rotation"


def test_as_of_uses_no_later_data(closes):
    pair = find_default("IWD", "IWF")
    early = score_pair(closes, pair, as_of="2025-07-22")
    truncated = closes.loc[:"2025-07-22"]
    assert early.as_of == pd.Timestamp("2025-07-22")
    assert early == score_pair(truncated, pair)
