"""What the Sector Tilts pages say (Qt-free): titles, captions, stat cards and the rows of their tables.

Every figure is read from the core's results (``core.rrg`` rows and heat map,
``core.tilt.TiltResult``) and formatted by ``ui.kit.formats``; nothing is
computed here. The pages put these strings on their widgets; tests read them
without a window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from rotation_desk.core import rrg as rrg_core
from rotation_desk.core import tilt as tilt_core
from rotation_desk.ui.kit import formats
from rotation_desk.ui.tabs.sectors.compute import period_unit

NameOf = Callable[[str], str]

RRG_COLUMNS = ["ticker", "rs_ratio", "rs_momentum", "quadrant", "periods_in_quadrant", "heading", "date"]
HEAT_TIP = (
    "Calendar periods back from the date; YTD from the previous year's last close; "
    "the ticker's total return minus the benchmark's over the same window."
)
PORTFOLIO = "Tilted portfolio"
CARD_TITLES = {
    "cagr": "CAGR",
    "volatility": "Volatility",
    "max_drawdown": "Max drawdown",
    "tracking_error": "Tracking error",
    "information_ratio": "Information ratio",
    "active_return": "Active return",
}
CONTRIBUTION_KEYS = ["ticker", "weight", "end_weight", "contribution"]


# ---------------------------------------------------------------------------- rotation graph
def rrg_title(benchmark: str) -> str:
    return f"Relative rotation graph vs {benchmark}"


def rrg_subtitle(when: pd.Timestamp, frequency: str, tail: int, missing: list[str]) -> str:
    """The date, the tails and the windows of the formulas; the tickers with no point yet."""
    unit = period_unit(frequency)
    params = rrg_core.default_params(frequency)
    return (
        f"as of {formats.day(when)} · {frequency} points, tails of {tail} "
        f"{unit if tail > 1 else unit[:-1]} · RS smoothed over {params.smooth}, z-scores over "
        f"{params.lookback}, momentum over {params.momentum} {unit}"
        + (f" · {', '.join(missing)}: no point yet" if missing else "")
    )


def rrg_rows(rows: list[rrg_core.RrgRow], name_of: NameOf) -> tuple[pd.DataFrame, dict]:
    """The RRG table's rows (one per ticker with a point) and the tooltips of its cells."""
    frame = pd.DataFrame(
        [
            {
                "ticker": r.ticker,
                "rs_ratio": r.rs_ratio,
                "rs_momentum": r.rs_momentum,
                "quadrant": r.quadrant,
                "periods_in_quadrant": r.periods_in_quadrant,
                "heading": r.heading or formats.MISSING,
                "date": r.date,
            }
            for r in rows
        ],
        columns=RRG_COLUMNS,
    )
    tips = {}
    for i, r in enumerate(rows):
        tips[(i, "ticker")] = f"{name_of(r.ticker)} · point of {formats.day(r.date)}"
        if r.heading_degrees is not None:
            tips[(i, "heading")] = f"bearing {r.heading_degrees:.0f}° (0 = north, momentum up), move {r.distance:.2f}"
    return frame, tips


def rrg_caption(
    benchmark: str,
    frequency: str,
    when: pd.Timestamp,
    range_label: str,
    missing: list[str],
    benchmark_listed: bool,
) -> str:
    """Above the table: vs what, as of when, the slider's range; tickers with no point, a benchmark left out."""
    unit = period_unit(frequency)
    note = f"RRG vs {benchmark}, {frequency}, as of {formats.day(when)} · the slider spans the {range_label} range"
    if missing:
        needed = rrg_core.default_params(frequency).periods_needed
        note += f" · no point yet for {', '.join(missing)} (needs {needed} {unit} of history)"
    if benchmark_listed:
        note += f" · {benchmark} is the benchmark, left out"
    return note


def heat_rows(heat: pd.DataFrame, name_of: NameOf) -> tuple[pd.DataFrame, dict]:
    """The heat map's rows (``core.rrg.sector_heatmap``, ticker as a column) and the tickers' names as tips."""
    frame = heat.reset_index()
    return frame, {(i, "ticker"): name_of(t) for i, t in enumerate(frame["ticker"])}


def heat_caption(benchmark: str, heat: pd.DataFrame) -> str:
    return (
        f"Heat map: return minus {benchmark}'s to {formats.day(heat.attrs['as_of'])}, the graph's date "
        f"(not annualised; — : the ticker does not cover the period)"
    )


# ---------------------------------------------------------------------------- tilt backtest
@dataclass(frozen=True)
class Card:
    value: str
    caption: str
    tip: str
    sign: float | None = None  # coloured as a gain or a loss by this value's sign (None: plain)


def trading_words(r: tilt_core.TiltResult) -> str:
    """Turnover (when the portfolio is ever rebalanced) and the costs; "No costs or taxes" only without costs."""
    parts = []
    if r.rebalance != "never" or r.bands is not None:
        parts.append(
            f"turnover {formats.pct(r.turnover, 0, False)} one-way ({formats.pct(r.turnover_per_year, 0, False)} a year)"
        )
    if r.cost_bps:
        parts.append(
            f"costs {r.cost_bps:g} bp of each trade's value, {formats.money(r.costs)} in all (the first purchase "
            f"included; {r.benchmark} is bought and held without costs)"
        )
    tail = "No taxes; dividends reinvested." if r.cost_bps else "No costs or taxes; dividends reinvested."
    if not parts:
        return tail
    text = "; ".join(parts)
    return f"{text[0].upper()}{text[1:]}. {tail}"


@dataclass(frozen=True)
class TiltTexts:
    growth_title: str
    growth_subtitle: str
    active_name: str  # the active line's legend entry
    active_title: str
    active_subtitle: str
    cards: dict[str, Card]
    caption: str  # under the cards
    contributions: pd.DataFrame  # CONTRIBUTION_KEYS, one row per holding
    contribution_tips: dict
    core_rows: list[int]  # rows shown bold: the core (the benchmark)
    contributions_caption: str


def tilt_texts(r: tilt_core.TiltResult, label: str, name_of: NameOf) -> TiltTexts:
    """Everything the tilt page says about a backtest; ``label`` says where its window comes from."""
    bench = r.benchmark
    p, b = r.portfolio_stats, r.benchmark_stats
    mix = " · ".join(f"{t} {w * 100:g} %" for t, w in r.weights.items())
    rebal = "buy and hold" if r.rebalance == "never" and r.bands is None else r.rule
    span = formats.date_range(r.start, r.end)
    limited = f" · starts at {r.limited_by}'s first close" if r.limited_by else ""
    cards = {
        "cagr": Card(
            formats.pct(p.cagr, 2), f"CAGR · {bench} {formats.pct(b.cagr, 2)}", "(end/start)^(365.25/days) − 1"
        ),
        "volatility": Card(
            formats.pct(p.volatility, 1, False),
            f"Volatility · {bench} {formats.pct(b.volatility, 1, False)}",
            "stdev of daily returns × √252",
        ),
        "max_drawdown": Card(
            formats.pct(p.max_drawdown, 1),
            f"Max drawdown · {bench} {formats.pct(b.max_drawdown, 1)}",
            "worst fall from a running peak",
        ),
        "tracking_error": Card(
            formats.pct(r.tracking_error, 2, False),
            "Tracking error",
            f"stdev of daily (tilt − {bench}) returns × √252",
        ),
        "information_ratio": Card(
            formats.number(r.information_ratio),
            "Information ratio",
            "mean daily active return × 252 ÷ tracking error",
            r.information_ratio,
        ),
        "active_return": Card(
            formats.pct(r.active_return, 1),
            "Active return",
            f"tilt value ÷ {bench} value − 1 at the end; excess CAGR {formats.pct(p.cagr - b.cagr, 2)}",
            r.active_return,
        ),
    }
    rows = [
        {"ticker": tk, "weight": w, "end_weight": r.end_weights[tk], "contribution": r.contributions[tk]}
        for tk, w in r.weights.items()
    ]
    total = sum(r.contributions.values())
    return TiltTexts(
        growth_title=f"Growth of $10,000: tilt vs {bench}",
        growth_subtitle=f"{mix} · {rebal} · {span} ({label}){limited}",
        active_name=f"Tilt vs {bench}",
        active_title=f"Active return: tilt value ÷ {bench} value − 1",
        active_subtitle=f"{span} · above 0: the tilt is ahead of {bench}",
        cards=cards,
        caption=(
            f"{span} ({label}){limited} · {len(r.rebalance_dates)} rebalances · "
            f"$10,000 became {formats.money(p.final_value)} (tilt) and {formats.money(b.final_value)} ({bench}). "
            f"Sharpe {formats.number(p.sharpe)} (tilt), {formats.number(b.sharpe)} ({bench}), "
            f"{formats.risk_free(r.rf)}. {trading_words(r)}"
        ),
        contributions=pd.DataFrame(rows, columns=CONTRIBUTION_KEYS),
        contribution_tips={
            (i, "ticker"): f"{name_of(row['ticker'])} · {'core' if row['ticker'] == bench else 'satellite'}"
            for i, row in enumerate(rows)
        },
        core_rows=[i for i, row in enumerate(rows) if row["ticker"] == bench],
        contributions_caption=(
            f"Contributions: Σ daily weight at the previous close × return. They add up to {formats.pct(total, 2)}, "
            f"the sum of the daily returns (compounded: {formats.pct(p.total_return, 1)})."
        ),
    )
