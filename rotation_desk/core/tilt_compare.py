"""Up to three tilt portfolios side by side with the benchmark, on one window.

Every portfolio runs on the same sessions: the ones on which all the
portfolios' holdings and the benchmark have a close, from the last of them on
or before ``start`` (core/tilt.py's window rule applied to all the tickers
together), so the growth lines, drawdowns and the table compare like with like.
Each keeps its own weights; the rebalancing rule, bands and costs are shared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from rotation_desk.core.metrics import drawdown_series
from rotation_desk.core.tilt import INITIAL, TiltResult, _window, tilt_backtest, validate_weights
from rotation_desk.core.tilt_rules import Bands
from rotation_desk.errors import BadInput

MAX_PORTFOLIOS = 3
TABLE_ROWS = (
    ("final_value", "Value of 10,000"),
    ("total_return", "Total return"),
    ("cagr", "CAGR"),
    ("volatility", "Volatility"),
    ("sharpe", "Sharpe"),
    ("max_drawdown", "Max drawdown"),
)


@dataclass(frozen=True)
class TiltComparison:
    results: tuple[TiltResult, ...]
    labels: tuple[str, ...]  # "SPY 70 % · XLI 10 % · …" per portfolio
    benchmark: str
    start: pd.Timestamp
    end: pd.Timestamp
    limited_by: str | None
    growth: dict[str, pd.Series]  # label → value, then the benchmark
    drawdown: dict[str, pd.Series]
    table: (
        pd.DataFrame
    )  # rows: TABLE_ROWS keys + active_return, tracking_error, turnover, costs; columns: labels + benchmark


def mix_label(weights: dict[str, float]) -> str:
    return " · ".join(f"{t} {w * 100:g} %" for t, w in weights.items())


def compare_tilts(
    closes: pd.DataFrame,
    portfolios: Sequence[dict[str, float]],
    benchmark: str = "SPY",
    rebalance: str = "monthly",
    start=None,
    end=None,
    bands: Bands | None = None,
    cost_bps: float = 0.0,
    initial: float = INITIAL,
    rf: float = 0.0,
) -> TiltComparison:
    if not 1 <= len(portfolios) <= MAX_PORTFOLIOS:
        raise BadInput(f"give 1 to {MAX_PORTFOLIOS} portfolios (--weights / --preset), not {len(portfolios)}")
    available = [c for c in closes.columns if closes[c].notna().any()]
    checked = [validate_weights(p, available) for p in portfolios]
    if benchmark not in available:
        raise BadInput(f"unknown benchmark {benchmark}")
    names = list(dict.fromkeys([t for w in checked for t in w] + [benchmark]))
    frame, limited_by = _window(closes, names, start, end)
    shared = closes.loc[frame.index, names]
    results = tuple(
        tilt_backtest(
            shared, {t: v * 100 for t, v in w.items()}, benchmark, rebalance, None, None, initial, bands, cost_bps, rf
        )
        for w in checked
    )
    labels = [mix_label(r.weights) for r in results]
    labels = [f"{label} (portfolio {i + 1})" if labels.count(label) > 1 else label for i, label in enumerate(labels)]
    growth = {label: r.values for label, r in zip(labels, results)}
    growth[benchmark] = results[0].benchmark_values
    table = {}
    for label, r in zip(labels, results):
        stats = r.portfolio_stats.as_dict()
        table[label] = [stats[k] for k, _ in TABLE_ROWS] + [r.active_return, r.tracking_error, r.turnover, r.costs]
    b = results[0].benchmark_stats.as_dict()
    table[benchmark] = [b[k] for k, _ in TABLE_ROWS] + [0.0, 0.0, 0.0, 0.0]
    index = [k for k, _ in TABLE_ROWS] + ["active_return", "tracking_error", "turnover", "costs"]
    return TiltComparison(
        results=results,
        labels=tuple(labels),
        benchmark=benchmark,
        start=frame.index[0],
        end=frame.index[-1],
        limited_by=limited_by,
        growth=growth,
        drawdown={k: drawdown_series(v) for k, v in growth.items()},
        table=pd.DataFrame(table, index=index),
    )
