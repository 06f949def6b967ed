"""Pair rotation: hold NUM while NUM/DEN closes above its N-session simple average, else DEN.

- Sessions: the dates both NUM and DEN have a close. ratio_t = NUM_t / DEN_t;
  average_t = mean(ratio over the N sessions up to and including t). The
  signal of session t is NUM when ratio_t > average_t, else DEN.
- Timing (no look-ahead): the signal is taken at t's close and traded at
  t+1's close, so it first earns t+2's return. The holding after the close of
  session u is the signal of u−1.
- The value is 1 at the close of the last session on or before ``start``
  (the start session s), where the signal of s−1 is bought. The average may
  use closes before ``start``; when there are not N closes before s, the
  start moves to the first session that has them (a note says so).
- Costs, turnover, statistics and buy-and-hold: core/strategy.py. The
  benchmark (default SPY) is bought and held on the same sessions (its close
  on or before each).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rotation_desk.core.returns import to_timestamp
from rotation_desk.core.strategy import (
    StrategyResult,
    buy_and_hold,
    changes,
    check_cost,
    simulate,
    time_in,
)
from rotation_desk.errors import BadInput, DataUnavailable

DEFAULT_AVERAGE = 200
MAX_AVERAGE = 2520


def parse_pair(text: str) -> tuple[str, str]:
    """'IWM/SPY' → ('IWM', 'SPY'); the ticker syntax is core/tickers.py's."""
    from rotation_desk.core.tickers import parse_ticker

    parts = text.split("/")
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise BadInput(f"pair {text!r}: write NUM/DEN, e.g. IWM/SPY")
    try:
        num, den = (parse_ticker(p) for p in parts)
    except ValueError as exc:
        raise BadInput(f"pair {text!r}: {exc}") from None
    if num == den:
        raise BadInput(f"pair {text!r}: the two legs are the same ticker")
    return num, den


def pair_signal(closes: pd.DataFrame, num: str, den: str, average: int) -> pd.DataFrame:
    """Per common session: ratio, its average, and the signal (num/den; None while the average is incomplete)."""
    frame = closes[[num, den]].dropna()
    ratio = frame[num] / frame[den]
    mean = ratio.rolling(average, min_periods=average).mean()
    above = (ratio > mean).to_numpy()
    signal = np.where(mean.notna().to_numpy(), np.where(above, num, den), None)
    return pd.DataFrame({"ratio": ratio, "average": mean, "signal": signal}, index=frame.index)


def pair_strategy(
    closes: pd.DataFrame,
    num: str,
    den: str,
    average: int = DEFAULT_AVERAGE,
    start=None,
    end=None,
    cost_bps: float = 0.0,
    benchmark: str | None = "SPY",
) -> StrategyResult:
    if not isinstance(average, (int, np.integer)) or not 2 <= average <= MAX_AVERAGE:
        raise BadInput(f"--average {average}: give a number of sessions from 2 to {MAX_AVERAGE}")
    cost_bps = check_cost(cost_bps)
    start = None if start is None else to_timestamp(start)
    end = None if end is None else to_timestamp(end)
    if start is not None and end is not None and end <= start:
        raise BadInput(f"--end {end:%Y-%m-%d} is not after --start {start:%Y-%m-%d}")
    sig = pair_signal(closes, num, den, average)
    if end is not None:
        sig = sig.loc[:end]
    notes = []
    index = sig.index
    first = average  # the first session whose previous session has a complete average
    if len(index) <= first + 1:
        raise DataUnavailable(
            f"{num}/{den}: {len(index)} common sessions up to {index[-1]:%Y-%m-%d}; the {average}-session average "
            f"and one trading session need {first + 2}"
            if len(index)
            else f"{num} and {den} have no common sessions"
        )
    s = first
    if start is not None:
        pos = int(index.searchsorted(start, side="right")) - 1
        if pos >= first:
            s = pos
        else:
            notes.append(
                f"start moved to {index[first]:%Y-%m-%d}: the {average}-session average of {num}/{den} needs "
                f"{average} common closes before the first trade"
            )
    if s >= len(index) - 1:
        raise DataUnavailable(f"{num}/{den}: no session after the start {index[s]:%Y-%m-%d} in the window")
    window = sig.iloc[s:]
    held = sig["signal"].to_numpy()[s - 1 : len(sig) - 1]  # holding after each close: the previous signal
    positions = [0] + [i for i in range(1, len(held)) if held[i] != held[i - 1]]
    prices = closes.loc[window.index, [num, den]]
    rebalances = [(p, {held[p]: 1.0}) for p in positions]
    sim = simulate(prices, rebalances, cost_bps)
    legs = buy_and_hold(prices, [num, den], cost_bps)
    if benchmark and benchmark not in (num, den) and benchmark in closes.columns:
        bench = closes[benchmark].dropna()
        on = bench.reindex(window.index, method="ffill")
        if on.notna().all():
            legs.update(buy_and_hold(on.to_frame(benchmark), [benchmark], cost_bps))
        else:
            notes.append(f"{benchmark} starts after {window.index[0]:%Y-%m-%d}; no benchmark comparison")
    rule = (
        f"hold {num} while {num}/{den} closes above its {average}-session average, else {den}; "
        "signal at a close, traded at the next close"
    )
    signal = sig.iloc[max(s - 1, 0) :]
    return StrategyResult(
        kind="pair",
        description=rule,
        start=window.index[0],
        end=window.index[-1],
        cost_bps=cost_bps,
        simulation=sim,
        changes=changes(sim.trades),
        time_in=time_in(sim.weights),
        buy_and_hold=legs,
        signal=signal,
        notes=tuple(notes),
    )
