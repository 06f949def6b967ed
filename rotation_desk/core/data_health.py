"""Data health of one series (pure): gaps, closes off the calendar, suspicious jumps, staleness.

Every finding is a ``Problem`` with a ``kind`` and a ``date`` (or ``start`` and
``end``), plus the figures that explain it:

- ``gap``: sessions of the series' calendar with no close, between its first
  and last close; consecutive missing sessions are one gap (``start``, ``end``,
  ``sessions``, and the ``dates``).
- ``off_calendar``: closes on days the calendar has no session (a weekend, a
  holiday), one problem per run of them.
- ``jump``: a one-day move far beyond the series' own history with no split
  recorded that day. The move is the log return ``ℓ`` (for a yield: the change
  of its level); its scale is the larger of
  (a) the series' robust scale, 1.4826 × the median absolute deviation of all
  its moves, and (b) the local scale, √(π/2) × the mean absolute move of the
  ``LOCAL`` sessions on either side, leaving out the day and its two
  neighbours (so a bad price does not vouch for itself, and a real crisis —
  March 2020, whose neighbours move a lot too — is measured against its own
  weeks). A move over several sessions (after a gap) has its scale × √sessions.
  Flagged: |ℓ| ≥ ``JUMP_K`` × scale and |ℓ| ≥ ``JUMP_FLOOR`` (3 %; for a
  yield 0.25 percentage point). A jump whose ratio is near a split ratio (2:1,
  3:1, 1:10 ...) says it looks like an unrecorded split.
- ``spike``: a price that is wrong for one day and back the next: two moves of
  opposite sign, each ≥ ``SPIKE_K`` × scale and ≥ ``SPIKE_FLOOR`` (2 %), that
  cancel to within half the smaller one. Dated on the wrong day.
- ``stale``: the last close is older than the last session of the calendar
  before ``today`` (``expected``, ``sessions`` behind).

On the snapshot's 88 ETFs (453,229 daily moves, 1993-2026) this flags two
days: SPYG 2000-10-12 (−9.9 % in a quiet month, 11× its usual move: a jump)
and UUP 2007-06-20 (−3.8 % and back +4.1 % the next session: a spike); no
gaps, no close off the NYSE calendar (tests/test_data_health.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

LOCAL = 10
JUMP_K, JUMP_FLOOR, RATE_JUMP_FLOOR = 10.0, 0.03, 0.25
SPIKE_K, SPIKE_FLOOR, RATE_SPIKE_FLOOR = 6.0, 0.02, 0.15
MAD_SCALE = 1.4826
SPLIT_RATIOS = (2, 3, 4, 5, 8, 10, 20, 3 / 2, 4 / 3, 5 / 4)
SPLIT_TOLERANCE = 0.03
MAX_DATES = 50  # dates listed in one gap problem


@dataclass(frozen=True)
class Problem:
    kind: str  # gap | off_calendar | jump | spike | stale | refresh_failed | unknown_currency | ...
    detail: str  # one line for a table
    date: pd.Timestamp | None = None
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    figures: dict = field(default_factory=dict)  # the numbers behind it (JSON keys)

    def as_dict(self) -> dict:
        out: dict = {"kind": self.kind}
        if self.date is not None:
            out["date"] = self.date
        else:
            out["start"], out["end"] = self.start, self.end
        out["detail"] = self.detail
        out.update(self.figures)
        return out

    @property
    def when(self) -> str:
        if self.date is not None:
            return f"{self.date:%Y-%m-%d}"
        if self.start == self.end:
            return f"{self.start:%Y-%m-%d}"
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"


def _runs(positions: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index pairs of the runs of consecutive integers in sorted ``positions``."""
    if len(positions) == 0:
        return []
    breaks = np.flatnonzero(np.diff(positions) != 1)
    starts = np.r_[0, breaks + 1]
    ends = np.r_[breaks, len(positions) - 1]
    return [(int(positions[a]), int(positions[b])) for a, b in zip(starts, ends)]


def find_gaps(dates: pd.DatetimeIndex, sessions: pd.DatetimeIndex) -> list[Problem]:
    """Runs of calendar sessions between the first and last close that have no close."""
    if len(dates) < 2 or len(sessions) == 0:
        return []
    inside = sessions[(sessions > dates[0]) & (sessions < dates[-1])]
    missing = ~inside.isin(dates)
    out = []
    for a, b in _runs(np.flatnonzero(missing)):
        span = inside[a : b + 1]
        n = len(span)
        out.append(
            Problem(
                "gap",
                f"{n} session{'s' * (n != 1)} without a close",
                start=span[0],
                end=span[-1],
                figures={"sessions": n, "dates": list(span[:MAX_DATES].strftime("%Y-%m-%d"))},
            )
        )
    return out


def find_off_calendar(dates: pd.DatetimeIndex, sessions: pd.DatetimeIndex, lo, hi) -> list[Problem]:
    """Runs of closes (within the calendar's range [lo, hi]) on days the calendar has no session."""
    within = dates[(dates >= lo) & (dates <= hi)]
    extra = np.flatnonzero(~within.isin(sessions))
    out = []
    for a, b in _runs(extra):
        span = within[a : b + 1]
        out.append(
            Problem(
                "off_calendar",
                f"{len(span)} close{'s' * (len(span) != 1)} on a day the exchange is closed",
                start=span[0],
                end=span[-1],
                figures={"closes": len(span), "dates": list(span[:MAX_DATES].strftime("%Y-%m-%d"))},
            )
        )
    return out


def _scales(moves: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """max(robust scale of the series, local scale) × √sessions, per move (module doc)."""
    a = np.abs(moves)
    n = len(a)
    centre = np.median(moves)
    robust = MAD_SCALE * float(np.median(np.abs(moves - centre)))
    csum = np.r_[0.0, np.cumsum(a)]
    idx = np.arange(n)
    lo, hi = np.clip(idx - LOCAL, 0, n), np.clip(idx + LOCAL + 1, 0, n)
    ex_lo, ex_hi = np.clip(idx - 1, 0, n), np.clip(idx + 2, 0, n)
    count = (hi - lo) - (ex_hi - ex_lo)
    local = math.sqrt(math.pi / 2) * ((csum[hi] - csum[lo]) - (csum[ex_hi] - csum[ex_lo])) / np.maximum(count, 1)
    return np.maximum(local, robust) * np.sqrt(np.maximum(spans, 1))


def _split_like(log_move: float) -> str | None:
    ratio = math.exp(-log_move)  # a 2:1 split halves the price: ratio 2
    for r in SPLIT_RATIOS:
        for value, words in (
            (r, f"{_fraction(r)} split"),
            (1 / r, f"1-for-{_fraction(r).split('-for-')[0]} reverse split"),
        ):
            if abs(ratio / value - 1) < SPLIT_TOLERANCE:
                return words
    return None


def _fraction(r: float) -> str:
    for den in (1, 2, 3, 4):
        if abs(r * den - round(r * den)) < 1e-9:
            return f"{round(r * den)}-for-{den}"
    return f"{r:g}-for-1"


def find_jumps(
    closes: pd.Series,
    spans: np.ndarray | None = None,
    splits: set | None = None,
    rate: bool = False,
) -> list[Problem]:
    """Jumps and spikes (module doc). ``spans``: sessions each move covers (1 without gaps), one per move;
    ``splits``: dates (Timestamps) with a recorded split, never flagged."""
    clean = closes.dropna()
    values = clean.to_numpy(dtype=np.float64)
    if len(values) < 2 * LOCAL or (not rate and (values <= 0).any()):
        return []
    moves = np.diff(values) if rate else np.diff(np.log(values))
    spans = np.ones(len(moves)) if spans is None else np.asarray(spans, dtype=np.float64)
    scale = _scales(moves, spans)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(scale > 0, np.abs(moves) / scale, np.inf * (np.abs(moves) > 0))
    dates = clean.index[1:]
    split_days = {pd.Timestamp(d) for d in (splits or ())}
    jump_floor, spike_floor = (RATE_JUMP_FLOOR, RATE_SPIKE_FLOOR) if rate else (JUMP_FLOOR, SPIKE_FLOOR)
    out: list[Problem] = []
    taken: set[int] = set()
    a = np.abs(moves)
    pair = (moves[:-1] * moves[1:] < 0) & (np.minimum(z[:-1], z[1:]) >= SPIKE_K)
    pair &= np.minimum(a[:-1], a[1:]) >= spike_floor
    pair &= np.abs(moves[:-1] + moves[1:]) <= 0.5 * np.minimum(a[:-1], a[1:])
    for i in np.flatnonzero(pair):
        if dates[i] in split_days or dates[i + 1] in split_days or i in taken:
            continue
        taken.update((i, i + 1))
        out.append(
            Problem(
                "spike",
                f"{_move_words(moves[i], rate)} then {_move_words(moves[i + 1], rate)} the next session "
                f"({z[i]:.0f}× its usual move): a wrong price that day?",
                date=dates[i],
                figures={"change": _change(moves[i], rate), "back": _change(moves[i + 1], rate), "scale": float(z[i])},
            )
        )
    for i in np.flatnonzero((z >= JUMP_K) & (a >= jump_floor)):
        if i in taken or dates[i] in split_days:
            continue
        words = None if rate else _split_like(float(moves[i]))
        hint = f"; looks like an unrecorded {words}" if words else ""
        out.append(
            Problem(
                "jump",
                f"{_move_words(moves[i], rate)} in one session ({z[i]:.0f}× its usual move){hint}",
                date=dates[i],
                figures={"change": _change(moves[i], rate), "scale": float(z[i]), "split_like": words},
            )
        )
    return sorted(out, key=lambda p: p.date)


def _change(move: float, rate: bool) -> float:
    return float(move) / 100.0 if rate else float(math.expm1(move))


def _move_words(move: float, rate: bool) -> str:
    if rate:
        return f"{move * 100:+.0f} bp"
    return f"{math.expm1(move) * 100:+.1f} %"


def staleness(last: pd.Timestamp, expected: pd.Timestamp | None, sessions_behind: int) -> Problem | None:
    """``stale`` when the last close is before ``expected`` (the last session before today)."""
    if expected is None or last >= expected:
        return None
    return Problem(
        "stale",
        f"last close {last:%Y-%m-%d}; {sessions_behind} newer session{'s' * (sessions_behind != 1)} "
        f"to {expected:%Y-%m-%d} not cached",
        date=last,
        figures={"expected": expected, "sessions": sessions_behind},
    )


def move_spans(dates: pd.DatetimeIndex, sessions: pd.DatetimeIndex) -> np.ndarray:
    """Sessions each move between consecutive closes covers (1 without a gap), by the calendar's positions."""
    if len(sessions) == 0 or len(dates) < 2:
        return np.ones(max(len(dates) - 1, 0))
    pos = sessions.searchsorted(dates)
    return np.maximum(np.diff(pos), 1).astype(np.float64)


@dataclass(frozen=True)
class SeriesHealth:
    """What ``check_series`` found for one ticker's closes."""

    calendar: str | None  # None: no calendar known, gaps not checked
    checked_from: pd.Timestamp | None  # the part of the series the calendar covers
    checked_to: pd.Timestamp | None
    problems: list[Problem]


def check_series(
    closes: pd.Series,
    calendar: str | None,
    sessions: pd.DatetimeIndex | None,
    expected_last: pd.Timestamp | None = None,
    sessions_behind: int = 0,
    splits: set | None = None,
    rate: bool = False,
) -> SeriesHealth:
    """Every check of the module doc on one series; ``sessions``: the calendar's sessions over the series'
    span (None or empty when it has no calendar or the span is outside the calendar's range)."""
    clean = closes.dropna()
    dates = pd.DatetimeIndex(clean.index)
    problems: list[Problem] = []
    have = sessions is not None and len(sessions) > 0
    if have and len(dates):
        problems += find_gaps(dates, sessions)
        problems += find_off_calendar(dates, sessions, sessions[0], sessions[-1])
        spans = move_spans(dates, sessions)
    else:
        spans = None
    problems += find_jumps(clean, spans, splits, rate)
    if len(dates):
        stale = staleness(dates[-1], expected_last, sessions_behind)
        if stale is not None:
            problems.append(stale)
    first = sessions[0] if have else None
    last = sessions[-1] if have else None
    return SeriesHealth(calendar if have else None, first, last, sorted(problems, key=_order))


def _order(p: Problem) -> tuple:
    return (p.date if p.date is not None else p.start, p.kind)
