"""Rebalancing rules and transaction costs of the tilt backtest.

Bands: a holding is out of its band when its drifted weight w differs from
its target t by more than
- ``absolute``: b percentage points, |w − t| > b / 100 (5 → a 20 % target may
  drift from 15 % to 25 %);
- ``relative``: b percent of its target, |w − t| > b / 100 × t (25 → a 20 %
  target may drift from 15 % to 25 %).
Alone (calendar rule ``never``) the bands are checked at every close; with a
calendar rule (monthly, quarterly, yearly) only at the calendar dates, and the
portfolio is reset there only if a holding is out of its band. A reset always
brings every holding back to its target at that close.

Costs: ``cost_bps`` basis points of the traded value at each rebalance, the
initial purchase included (it trades the whole initial value once). The traded
value of a reset is Σ |target × value before − holding|; the cost comes out of
the portfolio, spread over the new holdings in proportion to the targets.

The benchmark line is bought and held without costs (as without this
module), so the costs show in the active return.

Turnover of a reset = ½ Σ |target × value before − holding| ÷ value before
(one-way: the share of the portfolio replaced); the total sums the resets
after the initial purchase, ``turnover_per_year`` divides it by the years of
the window (calendar days ÷ 365.25).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from rotation_desk.errors import BadInput

BAND_TYPES = ("absolute", "relative")
MAX_COST_BPS = 1000.0


@dataclass(frozen=True)
class Bands:
    width: float  # percentage points (absolute) or percent of the target (relative)
    kind: str = "absolute"

    def __post_init__(self):
        if self.kind not in BAND_TYPES:
            raise BadInput(f"--band-type {self.kind!r}: choose absolute or relative")
        if not math.isfinite(self.width) or not 0 < self.width < 100:
            raise BadInput(f"--bands {self.width:g}: give a band above 0 and below 100")

    def limits(self, target: np.ndarray) -> np.ndarray:
        """The largest allowed |w − t| of each holding (fractions)."""
        if self.kind == "absolute":
            return np.full_like(target, self.width / 100.0)
        return target * self.width / 100.0

    def describe(self) -> str:
        if self.kind == "absolute":
            return f"±{self.width:g} pp bands"
        return f"±{self.width:g} % of target bands"


def check_cost(cost_bps: float) -> float:
    value = float(cost_bps)
    if not math.isfinite(value) or value < 0 or value > MAX_COST_BPS:
        raise BadInput(f"--cost-bps {cost_bps:g}: give basis points from 0 to {MAX_COST_BPS:g} (10 = 0.10 %)")
    return value


@dataclass(frozen=True)
class Run:
    held: np.ndarray  # value of each holding at each close, after that close's reset
    resets: np.ndarray  # positions of the resets after the initial purchase
    turnover: float
    costs: float  # in money
    traded: np.ndarray  # traded value at each reset (the initial purchase first)


def run_portfolio(
    prices: np.ndarray,
    target: np.ndarray,
    calendar: np.ndarray,
    initial: float,
    bands: Bands | None = None,
    cost_bps: float = 0.0,
    check_all: bool = False,
) -> Run:
    """Buy ``target`` at the first close, then reset at the rule's closes (see the module doc)."""
    n = len(prices)
    rate = cost_bps / 10_000.0
    limits = bands.limits(target) if bands is not None else None
    checks = np.arange(1, n) if check_all else np.asarray(calendar, dtype=int)
    held = np.empty_like(prices)
    resets, traded_list = [], []
    turnover = costs = 0.0
    value = initial
    first_cost = rate * initial
    costs += first_cost
    traded_list.append(initial)
    units = (value - first_cost) * target / prices[0] if rate else value * target / prices[0]
    s = 0
    while True:
        nxt = _next_reset(prices, units, target, checks, s, limits)
        e = n if nxt is None else nxt
        held[s:e] = prices[s:e] * units
        if nxt is None:
            break
        h = prices[e] * units
        value = float(units @ prices[e])
        trade = float(np.abs(target * value - h).sum())
        cost = rate * trade
        costs += cost
        traded_list.append(trade)
        turnover += 0.5 * trade / value
        units = (value - cost) * target / prices[e] if rate else value * target / prices[e]
        resets.append(e)
        s = e
    return Run(held, np.asarray(resets, dtype=int), turnover, costs, np.asarray(traded_list))


def _next_reset(prices, units, target, checks, s, limits) -> int | None:
    """The first check position after ``s`` where the rule resets (every calendar date without bands)."""
    later = checks[checks > s]
    if not len(later):
        return None
    if limits is None:
        return int(later[0])
    held = prices[later] * units
    weights = held / held.sum(axis=1, keepdims=True)
    out = (np.abs(weights - target) > limits + 1e-12).any(axis=1)
    hit = np.flatnonzero(out)
    return int(later[hit[0]]) if len(hit) else None
