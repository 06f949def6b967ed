"""The Sector Tilts tab's computations and input rules (Qt-free): what its background jobs run and check.

Nothing is computed here that the core does not compute: the RRG jobs call
the same functions as ``rotation-desk rrg`` (``rrg_series``, ``rrg_snapshot``,
``sector_heatmap``) and only pick the animation's frames, the dates of the
points inside the toolbar's range; the tilt job calls ``tilt_backtest`` as
``rotation-desk tilt`` does. The weights editor's rules (a ticker it may add,
the preset its weights match, the window's check) are here too, so they are
tested without a window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rotation_desk.core import rrg as rrg_core
from rotation_desk.core import tilt as tilt_core
from rotation_desk.core.instruments import require_exchange_sessions
from rotation_desk.core.tickers import is_ticker
from rotation_desk.core.tilt_rules import Bands
from rotation_desk.data.prepared import Prepared, prepare
from rotation_desk.errors import BadInput, DataUnavailable
from rotation_desk.ui.kit.hints import no_prices

SECTOR_NAMES = {
    "XLK": "Technology",
    "XLF": "Financials",
    "XLI": "Industrials",
    "XLY": "Consumer discretionary",
    "XLP": "Consumer staples",
    "XLU": "Utilities",
    "XLE": "Energy",
    "XLV": "Health care",
    "XLB": "Materials",
    "XLRE": "Real estate",
    "XLC": "Communication services",
}
CUSTOM = "Custom"  # the preset shown when the weights match none

Points = dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]  # ticker -> (dates as int64 ns, rs_ratio, rs_momentum)


def display_name(ticker: str, fund: Callable[[str], object | None]) -> str:
    """The sector's name for the 11 SPDR sectors, else the fund's name from its facts ("" if unknown)."""
    if ticker in SECTOR_NAMES:
        return SECTOR_NAMES[ticker]
    fact = fund(ticker)
    return fact.name if fact else ""


def period_unit(frequency: str) -> str:
    """What one RRG period is called: "weeks" (weekly points) or "sessions" (daily)."""
    return "weeks" if frequency == "weekly" else "sessions"


# ---------------------------------------------------------------------------- rotation graph
@dataclass(frozen=True)
class RrgInputs:
    closes: pd.DataFrame  # the tickers and the benchmark, up to the range's end
    names: list[str]
    benchmark: str
    frequency: str
    start: pd.Timestamp | None  # the range's start: the first frame
    end: pd.Timestamp
    tail: int
    keep: pd.Timestamp | None = None  # stay on this date (tickers or frequency changed), else go to the end


@dataclass(frozen=True)
class FrameData:
    when: pd.Timestamp
    rows: list[rrg_core.RrgRow]
    heat: pd.DataFrame


@dataclass(frozen=True)
class RrgData:
    closes: pd.DataFrame
    names: list[str]
    benchmark: str
    frequency: str
    series: pd.DataFrame  # rrg_series output
    points: Points  # the same points split by ticker, for the graph
    frames: list[pd.Timestamp]  # the points' dates inside the range (the slider's positions)
    index: int  # the frame shown first
    at: FrameData  # table and heat map at that frame


def graph_names(tickers: Iterable[str], benchmark: str) -> list[str]:
    """The tickers on the graph: all but the benchmark (BadInput when that leaves none)."""
    names = [t for t in tickers if t != benchmark]
    if not names:
        raise BadInput(f"the only ticker is the benchmark {benchmark}; add others to compare with it")
    return names


def split_points(series: pd.DataFrame, names) -> Points:
    """``rrg_series`` rows as one (dates, x, y) triple of arrays per ticker, in ``names`` order."""
    out: Points = {}
    groups = dict(tuple(series.groupby("ticker", sort=False)))
    for name in names:
        g = groups.get(name)
        if g is None:
            continue
        out[name] = (
            g["date"].to_numpy(dtype="datetime64[ns]").astype(np.int64),
            g["rs_ratio"].to_numpy(dtype=np.float64),
            g["rs_momentum"].to_numpy(dtype=np.float64),
        )
    return out


def frame_dates(series: pd.DataFrame, start: pd.Timestamp | None) -> list[pd.Timestamp]:
    """The dates of the points from ``start`` on (all when None; the last one if none is that late)."""
    dates = pd.DatetimeIndex(np.unique(series["date"].to_numpy()))
    inside = dates if start is None else dates[dates >= start]
    if len(inside) == 0:
        inside = dates[-1:]
    return list(inside)


def frame_job(series, closes, names, benchmark, when, tail) -> FrameData:
    """Where each ticker stands at ``when`` and its returns relative to the benchmark up to then."""
    rows = rrg_core.rrg_snapshot(series, as_of=when, tail=tail)
    heat = rrg_core.sector_heatmap(closes, names, benchmark, when)
    return FrameData(pd.Timestamp(when), rows, heat)


def rrg_job(inputs: RrgInputs, _cancelled=None) -> RrgData:
    """The points over all history up to ``end`` (closes already cut there), the frames from ``start``.

    The first frame shown is the last one on or before ``keep`` (the date the
    slider was on when only the tickers or the frequency changed), else the last.
    """
    i = inputs
    params = rrg_core.default_params(i.frequency)
    series = rrg_core.rrg_series(i.closes, i.names, i.benchmark, i.frequency, params)
    if series.empty:
        raise DataUnavailable(
            f"Not enough history up to {pd.Timestamp(i.end):%Y-%m-%d} for an RRG point: each ticker needs "
            f"{params.periods_needed} {period_unit(i.frequency)} of closes together with {i.benchmark}."
        )
    frames = frame_dates(series, i.start)
    index = len(frames) - 1
    if i.keep is not None:
        index = max(0, int(pd.DatetimeIndex(frames).searchsorted(pd.Timestamp(i.keep), side="right")) - 1)
    at = frame_job(series, i.closes, i.names, i.benchmark, frames[index], i.tail)
    points = split_points(series, i.names)
    return RrgData(i.closes, list(i.names), i.benchmark, i.frequency, series, points, frames, index, at)


def table_job(inputs: tuple, _cancelled=None) -> FrameData:
    """The table and heat map at the slider's date: ``inputs`` are ``frame_job``'s arguments."""
    return frame_job(*inputs)


# ---------------------------------------------------------------------------- tilt backtest
@dataclass(frozen=True)
class TiltInputs:
    closes: pd.DataFrame  # the holdings and the benchmark
    weights: dict[str, float]  # percent
    benchmark: str
    rebalance: str
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    label: str  # "5Y range" or "custom window": where the dates come from
    bands: Bands | None = None  # rebalancing bands (None: the calendar rule alone)
    cost_bps: float = 0.0  # transaction cost per trade, basis points of the traded value
    rf: float = 0.0  # the annual risk-free rate of the Sharpe ratios (the window's setting)
    splices: dict = field(default_factory=dict)  # holding -> core.proxy.Splice of ``closes`` (Extend history)


def holdings(weights: dict[str, float], benchmark: str) -> list[str]:
    """The tickers whose closes the backtest needs: the holdings, then the benchmark (once)."""
    return list(dict.fromkeys([*weights, benchmark]))


def prepared(market, names, where: str, prices_only: str, in_currency: str | None = None, proxies=None) -> Prepared:
    """The closes a tilt or a strategy runs on, checked as the command checks them (``data.prepared``):
    cached, no yields (a weight needs a price), one currency (``in_currency``: converted, as ``--in``), at least
    one exchange-listed ticker; ``proxies`` spliced as ``tilt --proxy`` splices them."""
    names = list(dict.fromkeys(names))
    prep = prepare(market, names, proxies=proxies, prices_only=prices_only, where=where, in_currency=in_currency)
    require_exchange_sessions(prep.instruments.values(), where)
    return prep


def prepared_closes(market, names, where: str, prices_only: str, in_currency: str | None = None) -> pd.DataFrame:
    """``prepared``'s closes (no proxies)."""
    return prepared(market, names, where, prices_only, in_currency).closes


def tilt_job(inputs: TiltInputs, _cancelled=None) -> tuple[tilt_core.TiltResult, str]:
    """The core-and-satellite backtest, as ``rotation-desk tilt --rf`` runs it; with the window's label."""
    i = inputs
    result = tilt_core.tilt_backtest(
        i.closes, i.weights, i.benchmark, i.rebalance, i.start, i.end, bands=i.bands, cost_bps=i.cost_bps, rf=i.rf
    )
    return result, i.label


def with_splices(job: Callable) -> Callable:
    """``job`` (``tilt_job``, ``tilt_side.side_job``) returning its inputs' splices too: (result, label, splices),
    so the page shows the proxies of the closes that result was computed on."""

    def run(inputs, cancelled=None):
        return (*job(inputs, cancelled), inputs.splices)

    return run


# ---------------------------------------------------------------------------- the weights editor's rules
def add_problem(text: str, rows: Iterable[str], known: Iterable[str]) -> str | None:
    """Why ``text`` cannot be added as a satellite row (None when it can): empty, not a ticker symbol,
    already a row, or without cached prices."""
    name = text.strip().upper()
    if not name:
        return "type a ticker to add"
    if not is_ticker(name):
        return f"{name} is not a ticker symbol"
    if name in set(rows):
        return f"{name} is already in the list"
    if name not in set(known):
        return no_prices([name])
    return None


def weights_problem(weights: dict[str, float], known) -> str | None:
    """What is wrong with the weights, by the ``tilt`` command's rule (``core.tilt.validate_weights``)."""
    try:
        tilt_core.validate_weights(weights, known)
    except BadInput as exc:
        return str(exc)
    return None


def window_problem(start: pd.Timestamp, end: pd.Timestamp) -> str | None:
    """A custom window must end after it starts."""
    if end <= start:
        return f"the end {end:%Y-%m-%d} is not after the start {start:%Y-%m-%d}"
    return None


def same_weights(a: dict[str, float], b: dict[str, float]) -> bool:
    """The same holdings with the same weights (zero weights are no holding)."""
    keys = {k for k, v in a.items() if v} | {k for k, v in b.items() if v}
    return all(abs(a.get(k, 0.0) - b.get(k, 0.0)) < 1e-9 for k in keys)


def matching_preset(weights: dict[str, float]) -> str:
    """The preset these weights are (``CUSTOM`` when none)."""
    return next((n for n, w in tilt_core.PRESETS.items() if same_weights(w, weights)), CUSTOM)


def total_text(weights: dict[str, float], problem: str | None) -> str:
    """The live total under the weights: "Total 100 % ✓", or the total, what is left or too much, and why."""
    total = sum(weights.values())
    if not problem:
        return f"Total {total:g} % ✓"
    left = 100.0 - total
    hint = ""
    if left > tilt_core.WEIGHT_TOLERANCE:
        hint = f" ({left:g} % left to place)"
    elif left < -tilt_core.WEIGHT_TOLERANCE:
        hint = f" ({-left:g} % too much)"
    return f"Total {total:g} %{hint}: {problem}"
