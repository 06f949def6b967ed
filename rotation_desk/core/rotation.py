"""Rotation pairs: ratio lines, their moving averages and a plain-words scorecard.

A pair is numerator ÷ denominator of adjusted closes on the sessions both
have. The chart shows the ratio rebased to 100 at the start of the window with
its 50- and 200-session simple moving averages (computed on the full history,
so they exist from the first day of any window; rebasing does not change
whether the ratio is above its average). A pair "favours the rotation" when the
ratio is above its 200-session average: the numerator is the rotation side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotation_desk.core.returns import to_timestamp
from rotation_desk.core.rolling import months_back

MA_FAST = 50
MA_SLOW = 200
CHANGE_PERIODS = {
    "1M": pd.DateOffset(months=1),
    "3M": pd.DateOffset(months=3),
    "6M": pd.DateOffset(months=6),
    "12M": pd.DateOffset(months=12),
}
CHANGE_MONTHS = {"1M": 1, "3M": 3, "6M": 6, "12M": 12}  # the same periods, in calendar months


@dataclass(frozen=True)
class Pair:
    numerator: str
    denominator: str
    title: str = ""
    leads: str = ""  # who leads when the ratio is above its 200-day average
    lags: str = ""

    @property
    def key(self) -> str:
        return f"{self.numerator}/{self.denominator}"

    @property
    def label(self) -> str:
        return self.title or self.key

    @property
    def leader_words(self) -> str:
        return self.leads or self.numerator

    @property
    def laggard_words(self) -> str:
        return self.lags or self.denominator


DEFAULT_PAIRS: tuple[Pair, ...] = (
    Pair("IWM", "SPY", "Small vs large", "small caps", "large caps"),
    Pair("IWD", "IWF", "Value vs growth", "value", "growth"),
    Pair("IWN", "QQQ", "Small value vs Nasdaq-100", "small value", "the Nasdaq-100"),
    Pair("VBR", "VUG", "Small value vs growth (Vanguard)", "small value", "growth"),
    Pair("ACWX", "SPY", "International vs US", "international stocks", "US stocks"),
    Pair("RSP", "SPY", "Breadth: equal vs cap weight", "the average stock", "the cap-weighted index"),
    Pair("EEM", "SPY", "Emerging markets vs US", "emerging markets", "US stocks"),
)


def find_default(numerator: str, denominator: str) -> Pair:
    for pair in DEFAULT_PAIRS:
        if pair.numerator == numerator and pair.denominator == denominator:
            return pair
    return Pair(numerator, denominator)


def ratio_series(closes: pd.DataFrame, pair: Pair, end=None) -> pd.Series:
    """numerator ÷ denominator on the sessions both have (full history, or up to ``end`` included)."""
    num = closes[pair.numerator].to_numpy(dtype=np.float64)
    den = closes[pair.denominator].to_numpy(dtype=np.float64)
    index = closes.index
    if end is not None:  # as closes.loc[:end] on the sorted sessions, without copying the frame
        n = int(index.searchsorted(to_timestamp(end), side="right"))
        num, den, index = num[:n], den[:n], index[:n]
    both = ~(np.isnan(num) | np.isnan(den))
    if both.all():
        return pd.Series(num / den, index=index, name=pair.key)
    return pd.Series(num[both] / den[both], index=index[both], name=pair.key)


def _moving_average(values: pd.Series, sessions: int) -> pd.Series:
    return values.rolling(sessions, min_periods=sessions).mean()


@dataclass(frozen=True)
class RatioLines:
    pair: Pair
    ratio: pd.Series  # rebased to 100 at the window's first session
    ma_fast: pd.Series
    ma_slow: pd.Series


def ratio_lines(closes: pd.DataFrame, pair: Pair, start=None, end=None) -> RatioLines:
    """The ratio rebased to 100 at the window start, with 50/200-session averages on the same scale."""
    raw = ratio_series(closes, pair)
    return _lines(pair, raw, None, start, end)


def _lines(pair: Pair, raw: pd.Series, slow: pd.Series | None, start, end) -> RatioLines:
    """ratio_lines of the ratio ``raw`` (its 200-session average ``slow`` when already computed)."""
    idx = raw.index
    hi = len(idx) if end is None else int(idx.searchsorted(to_timestamp(end), side="right"))
    lo = 0
    if start is not None:
        before = int(idx[:hi].searchsorted(to_timestamp(start), side="right")) - 1
        lo = max(before, 0)  # the last session on or before the start (the first one if none)
    if hi <= lo:
        empty = pd.Series(dtype=float)
        return RatioLines(pair, empty, empty, empty)
    fast = _moving_average(raw, MA_FAST).iloc[lo:hi]
    slow = (_moving_average(raw, MA_SLOW) if slow is None else slow).iloc[lo:hi]
    window = raw.iloc[lo:hi]
    base = window.iloc[0] / 100.0
    return RatioLines(pair, window / base, fast / base, slow / base)


@dataclass(frozen=True)
class PairScore:
    pair: Pair
    as_of: pd.Timestamp
    changes: dict[str, float | None]  # ratio change over 1M 3M 6M 12M, as fractions
    above_slow_ma: bool | None  # None when there are not yet 200 sessions
    sessions_in_state: int | None  # sessions since the ratio last crossed its 200-day average
    state_since: pd.Timestamp | None

    @property
    def favours_rotation(self) -> bool:
        return bool(self.above_slow_ma)

    def words(self) -> str:
        if self.above_slow_ma is None:
            return "not enough history for a 200-day average"
        who = self.pair.leader_words if self.above_slow_ma else self.pair.laggard_words
        n = self.sessions_in_state
        span = f"{n} session{'s' if n != 1 else ''}" if n is not None else "the whole history"
        return f"{who[0].upper() + who[1:]} leading for {span}"


def score_pair(closes: pd.DataFrame, pair: Pair, as_of=None) -> PairScore:
    """Scorecard row of a pair as of a date (default: the last common session)."""
    return _score(pair, ratio_series(closes, pair, as_of))[0]


def pair_view(closes: pd.DataFrame, pair: Pair, start=None, end=None) -> tuple[PairScore, RatioLines]:
    """``score_pair(closes, pair, end)`` and ``ratio_lines`` of the window [start, end] from one ratio and
    one 200-session average (what the Market Overview shows for a pair). ValueError: no common sessions."""
    raw = ratio_series(closes, pair, end)
    score, slow = _score(pair, raw)
    return score, _lines(pair, raw, slow, start, None)


def _score(pair: Pair, raw: pd.Series) -> tuple[PairScore, pd.Series]:
    """The scorecard row as of the last session of the ratio ``raw``, and its 200-session average."""
    if raw.empty:
        raise ValueError(f"{pair.key}: no common sessions")
    days = raw.index.values
    values = raw.to_numpy()
    last = raw.index[-1]
    starts = months_back(np.repeat(days[-1:], len(CHANGE_MONTHS)), list(CHANGE_MONTHS.values())).astype(days.dtype)
    pos = np.searchsorted(days, starts, "right") - 1
    changes: dict[str, float | None] = {
        label: None if start < days[0] else float(values[-1] / values[p] - 1.0)
        for label, start, p in zip(CHANGE_MONTHS, starts, pos)
    }
    slow_series = _moving_average(raw, MA_SLOW)
    slow = slow_series.to_numpy()
    valid = ~np.isnan(slow)
    if not valid.any():
        return PairScore(pair, last, changes, None, None, None), slow_series
    above = values[valid] > slow[valid]
    now = bool(above[-1])
    flips = np.flatnonzero(above != now)
    if len(flips):
        since_pos = flips[-1] + 1
        sessions = len(above) - since_pos
        since = raw.index[valid][since_pos]
    else:
        sessions, since = None, None  # unchanged since the average first existed
    return PairScore(pair, last, changes, now, sessions, since), slow_series


@dataclass(frozen=True)
class Breadth:
    favouring: int
    total: int

    def words(self) -> str:
        return f"{self.favouring} of {self.total} pairs favour the rotation"


def breadth(scores: list[PairScore]) -> Breadth:
    counted = [s for s in scores if s.above_slow_ma is not None]
    return Breadth(sum(1 for s in counted if s.above_slow_ma), len(counted))
