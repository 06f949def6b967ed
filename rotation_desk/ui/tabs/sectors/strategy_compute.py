"""The Sector Tilts Strategies page, computed and worded without Qt (tested without a window).

``strategy_job`` runs ``core.strategy_pair.pair_strategy`` or ``core.strategy_rrg.rrg_strategy`` with
the page's inputs, the toolbar's range and benchmark, exactly as ``rotation-desk strategy pair NUM/DEN
--average N --benchmark B --cost-bps C --start S --end E`` or ``strategy rrg --quadrants … --frequency …
--tickers … --benchmark B …`` runs it (the RRG rule on the Rotation graph's tickers, the benchmark left
out as the graph leaves it out). The figures are the command's, as on its JSON; the value and the
costs are shown on $10,000 (the command's "value of 1" × 10,000).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rotation_desk.core import strategy_pair, strategy_rrg
from rotation_desk.core.strategy import StrategyResult
from rotation_desk.errors import BadInput
from rotation_desk.ui.kit import formats

RULES = (("pair", "Pair (NUM/DEN)"), ("rrg", "RRG quadrants"))
INITIAL = 10_000.0  # the chart and the money columns: growth of $10,000
STRATEGY = "Strategy"
FIGURE_COLUMNS = [
    "name",
    "final_value",
    "total_return",
    "cagr",
    "volatility",
    "max_drawdown",
    "trades",
    "turnover",
    "costs",
    "time_held",
]
TRADE_COLUMNS = ["date", "holding", "turnover", "cost"]


@dataclass(frozen=True)
class StrategyInputs:
    closes: pd.DataFrame  # the legs (or the RRG tickers) and the benchmark
    rule: str  # "pair" | "rrg"
    benchmark: str
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    label: str  # "5Y range": where the window comes from
    cost_bps: float = 0.0
    pair: tuple[str, str] = ("IWM", "SPY")
    average: int = strategy_pair.DEFAULT_AVERAGE
    tickers: tuple[str, ...] = ()  # the RRG rule's tickers (the benchmark left out)
    quadrants: tuple[str, ...] = strategy_rrg.DEFAULT_QUADRANTS
    frequency: str = "weekly"


def needed(rule: str, pair: tuple[str, str], tickers, benchmark: str) -> list[str]:
    """The tickers whose closes the rule needs, in the command's order."""
    names = [*pair, benchmark] if rule == "pair" else [*tickers, benchmark]
    return list(dict.fromkeys(names))


def rrg_tickers(tickers, benchmark: str) -> tuple[str, ...]:
    return tuple(t for t in tickers if t != benchmark)


def strategy_job(inputs: StrategyInputs, _cancelled=None) -> tuple[StrategyResult, StrategyInputs]:
    i = inputs
    if i.rule == "pair":
        num, den = i.pair
        result = strategy_pair.pair_strategy(i.closes, num, den, i.average, i.start, i.end, i.cost_bps, i.benchmark)
    else:
        result = strategy_rrg.rrg_strategy(
            i.closes, list(i.tickers), i.benchmark, i.quadrants, i.frequency, i.start, i.end, i.cost_bps
        )
    return result, i


def growth(result: StrategyResult) -> dict[str, pd.Series]:
    """The chart's lines on $10,000: the strategy, each leg held (the pair rule) and the benchmark held."""
    lines = {STRATEGY: result.values * INITIAL}
    held = list(result.buy_and_hold)
    for name in held if result.kind == "pair" else held[-1:]:  # the RRG rule: the benchmark (listed last)
        lines[f"{name} held"] = result.buy_and_hold[name].values * INITIAL
    return lines


def figure_rows(result: StrategyResult) -> pd.DataFrame:
    """The strategy and each buy-and-hold: the command's figures (value and costs on $10,000), the changes
    of holding, and the share of the time the strategy held each ticker."""
    sim = result.simulation
    rows = [
        {
            "name": STRATEGY,
            "final_value": sim.stats.final_value * INITIAL,
            **{k: getattr(sim.stats, k) for k in ("total_return", "cagr", "volatility", "max_drawdown")},
            "trades": len(result.changes) - 1,
            "turnover": sim.turnover,
            "costs": sim.costs * INITIAL,
            "time_held": None,
        }
    ]
    for name, s in result.buy_and_hold.items():
        rows.append(
            {
                "name": f"{name} held",
                "final_value": s.stats.final_value * INITIAL,
                **{k: getattr(s.stats, k) for k in ("total_return", "cagr", "volatility", "max_drawdown")},
                "trades": 0,
                "turnover": s.turnover,
                "costs": s.costs * INITIAL,
                "time_held": result.time_in.get(name, 0.0),
            }
        )
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS)


def trade_rows(result: StrategyResult) -> pd.DataFrame:
    """Every change of holding (the command's ``trades``), the first purchase first."""
    rows = [{"date": t.date, "holding": t.holding, "turnover": t.turnover, "cost": t.cost} for t in result.changes]
    return pd.DataFrame(rows, columns=TRADE_COLUMNS)


def caption(result: StrategyResult, inputs: StrategyInputs) -> str:
    """Above the chart: the rule, the window, the cost, how often it traded, and any note."""
    sim = result.simulation
    cost = f"cost {result.cost_bps:g} bp of each trade's value" if result.cost_bps else "no costs"
    text = (
        f"{result.description[0].upper()}{result.description[1:]} · {formats.date_range(result.start, result.end)} "
        f"({inputs.label}) · {cost} · {len(result.changes) - 1} changes of holding, {len(sim.trades) - 1} "
        f"rebalances, turnover {formats.pct(sim.turnover_per_year, 0, False)} a year (one-way)"
    )
    for note in result.notes:
        text += f" · {note[0].upper()}{note[1:]}"
    return text


def chart_subtitle(result: StrategyResult) -> str:
    base = f"{formats.date_range(result.start, result.end)} · value $10,000 at the start's close"
    if result.kind == "rrg":
        return base + " · each ticker held on its own: in the table"
    return base


def pair_problem(text: str, known) -> tuple[tuple[str, str] | None, str | None]:
    """The pair typed, or why it cannot be used (not NUM/DEN, the same leg twice, no cached prices)."""
    try:
        num, den = strategy_pair.parse_pair(text.strip())
    except BadInput as exc:
        return None, str(exc)
    missing = [t for t in (num, den) if t not in set(known)]
    if missing:
        return None, f"no cached prices for {', '.join(missing)} (refresh or import first)"
    return (num, den), None
