"""The tilt backtest's "Side by side" view, computed and worded without Qt (tested without a window).

Up to three portfolios (the editor's weights, then the ones pinned beside it) against the
benchmark, on the sessions all of them share, with the editor's rule, bands, cost and window:
``core.tilt_compare.compare_tilts``, as ``rotation-desk tilt --weights A --weights B …`` runs it. The
rows of the table are the command's figures per portfolio; the charts name the portfolios by number
(the table gives each one's weights).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from rotation_desk.core.tilt_compare import MAX_PORTFOLIOS, TiltComparison, compare_tilts, mix_label
from rotation_desk.core.tilt_rules import Bands
from rotation_desk.ui.kit import formats

SIDE_COLUMNS = [
    "name",
    "weights",
    "final_value",
    "total_return",
    "cagr",
    "volatility",
    "sharpe",
    "max_drawdown",
    "active_return",
    "tracking_error",
    "turnover",
    "costs",
]


@dataclass(frozen=True)
class SideInputs:
    closes: pd.DataFrame  # every portfolio's holdings and the benchmark
    portfolios: tuple[dict[str, float], ...]  # percent weights; the editor's first
    benchmark: str
    rebalance: str
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    label: str  # where the window comes from ("5Y range", "custom window")
    bands: Bands | None = None
    cost_bps: float = 0.0
    rf: float = 0.0  # the annual risk-free rate of the Sharpe ratios (the settings' rate, as on the Backtest view)
    splices: dict = field(default_factory=dict)  # holding -> core.proxy.Splice of ``closes`` (Extend history)


def side_job(inputs: SideInputs, _cancelled=None) -> tuple[TiltComparison, str]:
    i = inputs
    c = compare_tilts(
        i.closes, list(i.portfolios), i.benchmark, i.rebalance, i.start, i.end, i.bands, i.cost_bps, rf=i.rf
    )
    return c, i.label


def names(c: TiltComparison) -> list[str]:
    """The lines' names: "Portfolio 1" … and the benchmark."""
    return [f"Portfolio {k}" for k in range(1, len(c.results) + 1)] + [c.benchmark]


def side_series(c: TiltComparison, figure: str) -> dict[str, pd.Series]:
    """Growth of 10,000 (``figure`` "growth") or the drawdown from the running peak, by line name."""
    lines = c.growth if figure == "growth" else c.drawdown
    return dict(zip(names(c), lines.values()))


def side_rows(c: TiltComparison) -> pd.DataFrame:
    """One row per portfolio and the benchmark: the command's figures (the benchmark's are bought and held)."""
    rows = []
    for name, label, column in zip(names(c), [*c.labels, f"{c.benchmark} bought and held"], c.table.columns):
        figures = c.table[column]
        rows.append({"name": name, "weights": label, **{k: float(figures[k]) for k in SIDE_COLUMNS[2:]}})
    frame = pd.DataFrame(rows, columns=SIDE_COLUMNS)
    last = len(frame) - 1
    frame.loc[last, ["active_return", "tracking_error", "turnover", "costs"]] = float("nan")  # not a tilt
    return frame


def side_caption(c: TiltComparison, label: str) -> str:
    """The window, on which sessions, the shared rule and costs."""
    r = c.results[0]
    limited = f" · starts at {c.limited_by}'s first close" if c.limited_by else ""
    costs = f"costs {r.cost_bps:g} bp of each trade's value" if r.cost_bps else "no costs"
    count = len(c.results)
    together = f" · the {count} portfolios and {c.benchmark} on the sessions they all share" if count > 1 else ""
    return (
        f"{formats.date_range(c.start, c.end)} ({label}){limited}{together} · {r.rule} · {costs}; no taxes; "
        "dividends reinvested"
    )


def hint(pinned: int) -> str:
    """What the pin button does, with how many more portfolios fit."""
    left = MAX_PORTFOLIOS - 1 - pinned
    if left <= 0:
        return f"{MAX_PORTFOLIOS} portfolios side by side: remove one to pin another"
    return "Pin the editor's weights to compare them with the next ones you try"


def pinned_label(k: int, weights: dict[str, float]) -> str:
    """ "Portfolio 2: SPY 80 % · XLU 10 % · XLP 10 %" (weights in percent)."""
    return f"Portfolio {k}: {mix_label({t: w / 100.0 for t, w in weights.items()})}"
