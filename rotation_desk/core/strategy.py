"""The engine shared by the rotation strategies (core/strategy_pair.py, core/strategy_rrg.py).

- A strategy is a list of rebalances: at the close of session s the
  portfolio is set to target weights (fractions summing to 1). The first one,
  at the start session, is the initial purchase with cash.
- Transaction cost: ``cost_bps`` basis points of the traded value at every
  rebalance, the initial purchase included. Traded value = Σ |target weight ×
  value before costs − holding|, so a full switch from one fund to another
  trades twice the value (sell and buy) and the initial purchase trades the
  whole value once. The cost is taken from the new holdings in proportion to
  their weights: value after = value before − cost.
- Turnover of a rebalance = ½ Σ |target weight × value before − holding| ÷
  value before (one-way: the share of the portfolio replaced; a full switch
  is 1.0). The strategy's turnover is the sum over all rebalances after the
  initial purchase; ``turnover_per_year`` divides it by the window's years
  (calendar days ÷ 365.25).
- Values: the growth of 1 in cash at the start session's close (the first
  value is 1 − the initial purchase cost). Total return = last value ÷ 1 − 1;
  CAGR = (1 + total)^(365.25 / calendar days) − 1; volatility = stdev(daily
  returns of the values, ddof=1) × √252; max drawdown = min(value ÷ running
  peak − 1), with the 1 of cash as the first peak.
- Buy-and-hold comparisons are the same engine with a single rebalance (the
  initial purchase, charged the same cost).
- Time in each holding: the share of the window's daily returns during which
  the ticker was held (for a basket, each member counts).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rotation_desk.core.metrics import volatility
from rotation_desk.core.returns import DAYS_PER_YEAR, annualise
from rotation_desk.errors import BadInput

MAX_COST_BPS = 1000.0


@dataclass(frozen=True)
class Stats:
    final_value: float
    total_return: float
    cagr: float
    volatility: float
    max_drawdown: float

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Trade:
    date: pd.Timestamp  # the close at which the trade is done
    holding: str  # what is held after it ("XLK" or "XLF+XLK" for an equal-weight basket)
    weights: dict[str, float]
    turnover: float  # one-way share of the portfolio replaced (1.0 for a full switch and the initial purchase)
    cost: float  # the cost as a fraction of the value before the trade

    def as_dict(self) -> dict:
        return {"date": self.date, "holding": self.holding, "turnover": self.turnover, "cost": self.cost}


@dataclass(frozen=True)
class Simulation:
    values: pd.Series  # value after each close's rebalance (growth of 1)
    weights: pd.DataFrame  # weights held over the return from each close to the next (after its rebalance)
    trades: tuple[Trade, ...]  # every rebalance, the initial purchase first
    stats: Stats
    turnover: float  # Σ one-way turnover after the initial purchase
    turnover_per_year: float
    costs: float  # Σ costs, in units of the initial 1


@dataclass(frozen=True)
class StrategyResult:
    kind: str  # "pair" | "rrg"
    description: str  # the rule in words
    start: pd.Timestamp
    end: pd.Timestamp
    cost_bps: float
    simulation: Simulation
    changes: tuple[Trade, ...]  # the trades that changed the holding (the initial purchase first)
    time_in: dict[str, float]
    buy_and_hold: dict[str, Simulation]  # each leg and the benchmark
    signal: pd.DataFrame  # what the rule looked at, per signal date (for a chart)
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def values(self) -> pd.Series:
        return self.simulation.values


def check_cost(cost_bps: float) -> float:
    value = float(cost_bps)
    if not math.isfinite(value) or value < 0 or value > MAX_COST_BPS:
        raise BadInput(f"--cost-bps {cost_bps}: give basis points from 0 to {MAX_COST_BPS:g} (10 = 0.10 %)")
    return value


def label(weights: dict[str, float]) -> str:
    return "+".join(sorted(t for t, w in weights.items() if w > 0))


def stats(values: pd.Series, initial: float = 1.0) -> Stats:
    v = values.to_numpy(dtype=np.float64)
    total = float(v[-1] / initial - 1.0)
    peaks = np.maximum.accumulate(np.r_[initial, v])[1:]
    rets = pd.Series(v[1:] / v[:-1] - 1.0)
    return Stats(
        final_value=float(v[-1]),
        total_return=total,
        cagr=annualise(total, (values.index[-1] - values.index[0]).days),
        volatility=volatility(rets),
        max_drawdown=float(min(0.0, np.min(v / peaks - 1.0))),
    )


def simulate(prices: pd.DataFrame, rebalances: list[tuple[int, dict[str, float]]], cost_bps: float = 0.0) -> Simulation:
    """Run the rebalances (positions in ``prices``' index, the first at 0) over the closes in ``prices``."""
    if not rebalances or rebalances[0][0] != 0:
        raise ValueError("the first rebalance must be at the first session")
    names = list(prices.columns)
    px = prices.to_numpy(dtype=np.float64)
    n, k = px.shape
    rate = cost_bps / 10_000.0
    col = {t: i for i, t in enumerate(names)}
    values = np.empty(n)
    held = np.zeros((n, k))
    units = np.zeros(k)
    trades, turnover, costs = [], 0.0, 0.0
    bounds = [p for p, _ in rebalances] + [n]
    for (pos, target), stop in zip(rebalances, bounds[1:]):
        w = np.zeros(k)
        for t, x in target.items():
            w[col[t]] = x
        before_h = units * px[pos]
        before = float(before_h.sum()) if pos else 1.0
        traded = float(np.abs(w * before - before_h).sum())
        cost = rate * traded
        after = before - cost
        units = w * after / px[pos]
        one_way = 0.5 * traded / before if pos else traded / before  # the initial purchase buys it all (1.0)
        if pos:
            turnover += one_way
        costs += cost
        trades.append(Trade(prices.index[pos], label(target), dict(target), one_way, cost / before))
        segment = px[pos:stop] * units
        held[pos:stop] = segment
        values[pos:stop] = segment.sum(axis=1)
    value_series = pd.Series(values, index=prices.index, name="value")
    years = (prices.index[-1] - prices.index[0]).days / DAYS_PER_YEAR
    return Simulation(
        values=value_series,
        weights=pd.DataFrame(held / values[:, None], index=prices.index, columns=names),
        trades=tuple(trades),
        stats=stats(value_series),
        turnover=turnover,
        turnover_per_year=turnover / years if years > 0 else float("nan"),
        costs=costs,
    )


def buy_and_hold(prices: pd.DataFrame, tickers, cost_bps: float = 0.0) -> dict[str, Simulation]:
    return {t: simulate(prices[[t]], [(0, {t: 1.0})], cost_bps) for t in dict.fromkeys(tickers)}


def time_in(weights: pd.DataFrame) -> dict[str, float]:
    """Share of the daily returns (from the start's close on) during which each ticker was held."""
    held = weights.iloc[:-1] > 0
    if held.empty:
        return {}
    return {t: float(held[t].mean()) for t in weights.columns if held[t].any()}


def changes(trades: tuple[Trade, ...]) -> tuple[Trade, ...]:
    out, last = [], None
    for trade in trades:
        if trade.holding != last:
            out.append(trade)
            last = trade.holding
    return tuple(out)


def result_dict(result: StrategyResult) -> dict:
    """The command line's JSON object (dates as Timestamps; rates as fractions)."""
    sim = result.simulation

    def figures(s: Simulation) -> dict:
        return {**s.stats.as_dict(), "turnover": s.turnover, "costs": s.costs}

    return {
        "strategy": result.kind,
        "rule": result.description,
        "start": result.start,
        "end": result.end,
        "cost_bps": result.cost_bps,
        **sim.stats.as_dict(),
        "turnover": sim.turnover,
        "turnover_per_year": sim.turnover_per_year,
        "costs": sim.costs,
        "rebalances": len(sim.trades) - 1,
        "time_in": dict(result.time_in),
        "trades": [{"date": t.date, "holding": t.holding} for t in result.changes],
        "buy_and_hold": {name: figures(s) for name, s in result.buy_and_hold.items()},
        "notes": list(result.notes),
    }
