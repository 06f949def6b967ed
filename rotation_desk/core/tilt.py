"""Core-and-satellite tilt backtest: a fixed-weight portfolio against a benchmark.

- Weights are given in percent and must sum to 100 (± 0.01, rounding only);
  they are then scaled to sum to exactly 100 %. Negative weights (shorts) are
  refused; zero weights are dropped.
- The portfolio is bought at the close of the window's first session (the last
  session on or before the requested start on which every holding and the
  benchmark have a close; if a holding starts later, the window starts at its
  first close and ``limited_by`` names it). Sessions are the ones all of them
  share.
- Rebalancing (``monthly`` | ``quarterly`` | ``yearly``) resets the holdings to
  the target weights at the close of the first session of each new period;
  ``never`` is buy-and-hold. Optional rebalancing bands and transaction costs
  (core/tilt_rules.py); without them no costs, and no taxes. Dividends are
  reinvested through the adjusted closes.
- With costs the first value is the initial value less the purchase cost, and
  the total return and CAGR are measured from the initial value.
- Values are the growth of 10,000 (``initial``) for the portfolio and for the
  benchmark bought on the same session.
- Active line: portfolio value ÷ benchmark value − 1 (the relative wealth;
  not the difference of the two cumulative returns).
- CAGR, volatility, Sharpe and maximum drawdown follow core/metrics.py.
- Tracking error = stdev(daily active return, ddof=1) × √252, where the daily
  active return is r_portfolio − r_benchmark. Information ratio = mean(daily
  active return) × 252 ÷ tracking error (undefined when the tracking error is
  below 1e-10, i.e. the portfolio is the benchmark).
- Contribution of holding i = Σ_t w_i,t−1 · r_i,t, with w_i,t−1 its drifted
  weight at the previous close (after any rebalance). The contributions sum to
  Σ_t r_portfolio,t, the arithmetic sum of the portfolio's daily returns (not
  its compounded total return).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotation_desk.core.metrics import max_drawdown, sharpe, volatility
from rotation_desk.core.returns import DAYS_PER_YEAR, TRADING_DAYS, annualise, to_timestamp
from rotation_desk.core.tilt_rules import Bands, check_cost, run_portfolio
from rotation_desk.core.tilt_weights import (  # noqa: F401 - the tilt API: weights live in tilt_weights
    PRESETS,
    WEIGHT_TOLERANCE,
    parse_weights,
    preset,
    validate_weights,
)
from rotation_desk.errors import BadInput, DataUnavailable

REBALANCE_RULES = ("monthly", "quarterly", "yearly", "never")
INITIAL = 10_000.0
TE_FLOOR = 1e-10


def period_keys(index: pd.DatetimeIndex, rule: str) -> np.ndarray:
    if rule == "monthly":
        return index.year.to_numpy() * 12 + index.month.to_numpy()
    if rule == "quarterly":
        return index.year.to_numpy() * 4 + (index.month.to_numpy() - 1) // 3
    if rule == "yearly":
        return index.year.to_numpy()
    raise ValueError(rule)


def rebalance_positions(index: pd.DatetimeIndex, rule: str) -> np.ndarray:
    """Positions (≥ 1) of the first session of each new month/quarter/year in ``index``; none for 'never'."""
    if rule not in REBALANCE_RULES:
        raise BadInput(f"rebalance must be one of {', '.join(REBALANCE_RULES)}, not {rule!r}")
    if rule == "never" or len(index) < 2:
        return np.zeros(0, dtype=int)
    keys = period_keys(index, rule)
    return np.flatnonzero(keys[1:] != keys[:-1]) + 1


@dataclass(frozen=True)
class PerformanceStats:
    final_value: float
    total_return: float
    cagr: float
    volatility: float
    sharpe: float
    max_drawdown: float

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def performance(values: pd.Series, initial: float | None = None, rf: float = 0.0) -> PerformanceStats:
    """The standard metrics of a value series (core/metrics.py functions).

    ``initial``: the cash before the first purchase (with costs the first value
    is below it); the total return and CAGR are measured from it. ``rf``: the
    annual risk-free rate of the Sharpe ratio (a fraction; 0 by default).
    """
    base = values.iloc[0] if initial is None else initial
    total = float(values.iloc[-1] / base - 1.0)
    rets = values.pct_change().iloc[1:]
    return PerformanceStats(
        final_value=float(values.iloc[-1]),
        total_return=total,
        cagr=annualise(total, (values.index[-1] - values.index[0]).days),
        volatility=volatility(rets),
        sharpe=sharpe(rets, rf),
        max_drawdown=max_drawdown(values).depth,
    )


@dataclass(frozen=True)
class TiltResult:
    weights: dict[str, float]  # target weights as fractions (sum 1)
    benchmark: str
    rebalance: str
    start: pd.Timestamp  # first session (bought at its close)
    end: pd.Timestamp
    limited_by: str | None  # the holding whose first close set a later start than asked
    initial: float
    values: pd.Series  # portfolio, growth of ``initial``
    benchmark_values: pd.Series  # benchmark, growth of ``initial``
    active: pd.Series  # values / benchmark_values − 1
    active_returns: pd.Series  # daily r_portfolio − r_benchmark (from the second session)
    rebalance_dates: tuple[pd.Timestamp, ...]
    portfolio_stats: PerformanceStats
    benchmark_stats: PerformanceStats
    tracking_error: float
    information_ratio: float
    contributions: dict[str, float]  # Σ_t w_i,t−1 · r_i,t per holding
    return_sum: float  # Σ_t r_portfolio,t (what the contributions add up to)
    end_weights: dict[str, float]  # drifted weights at the last close
    bands: Bands | None = None  # None: the calendar rule alone
    cost_bps: float = 0.0
    turnover: float = 0.0  # Σ one-way turnover of the resets after the initial purchase
    turnover_per_year: float = 0.0
    costs: float = 0.0  # money paid in costs, the initial purchase included
    rf: float = 0.0  # the annual risk-free rate of the Sharpe ratios

    @property
    def rule(self) -> str:
        """The rebalancing rule in words: "monthly", "±5 pp bands", "quarterly, if outside ±5 pp bands"."""
        if self.bands is None:
            return "never rebalanced" if self.rebalance == "never" else f"rebalanced {self.rebalance}"
        if self.rebalance == "never":
            return f"rebalanced when outside {self.bands.describe()} (checked at every close)"
        return f"checked {self.rebalance}, rebalanced when outside {self.bands.describe()}"

    @property
    def active_return(self) -> float:
        return float(self.active.iloc[-1])

    @property
    def satellites(self) -> list[str]:
        return [t for t in self.weights if t != self.benchmark]

    def as_dict(self) -> dict:
        """Summary for JSON (no series): fractions, Timestamps for dates."""
        return {
            "weights": dict(self.weights),
            "benchmark": self.benchmark,
            "rebalance": self.rebalance,
            "start": self.start,
            "end": self.end,
            "limited_by": self.limited_by,
            "initial": self.initial,
            "portfolio": self.portfolio_stats.as_dict(),
            "benchmark_result": self.benchmark_stats.as_dict(),
            "active_return": self.active_return,
            "excess_cagr": self.portfolio_stats.cagr - self.benchmark_stats.cagr,
            "tracking_error": self.tracking_error,
            "information_ratio": self.information_ratio,
            "contributions": dict(self.contributions),
            "return_sum": self.return_sum,
            "rebalances": len(self.rebalance_dates),
            "end_weights": dict(self.end_weights),
            "bands": None if self.bands is None else {"width": self.bands.width, "type": self.bands.kind},
            "cost_bps": self.cost_bps,
            "turnover": self.turnover,
            "turnover_per_year": self.turnover_per_year,
            "costs": self.costs,
        }


def _window(closes: pd.DataFrame, names: list[str], start, end) -> tuple[pd.DataFrame, str | None]:
    frame = closes[names].dropna()
    label = ", ".join(names)
    if frame.empty:
        raise DataUnavailable(f"{label} have no sessions in common")
    start = None if start is None else to_timestamp(start)
    end = None if end is None else to_timestamp(end)
    if start is not None and end is not None and end <= start:
        raise BadInput(f"the end {end:%Y-%m-%d} is not after the start {start:%Y-%m-%d}")
    firsts = {n: closes[n].first_valid_index() for n in names}
    limiting = max(names, key=lambda n: firsts[n])
    limited_by = None
    if end is not None:
        frame = frame.loc[:end]
    if start is not None and not frame.empty:
        before = frame.loc[:start]
        if len(before):
            frame = frame.loc[before.index[-1] :]
        else:
            limited_by = limiting
    elif start is None and firsts[limiting] > min(firsts.values()):
        limited_by = limiting
    if len(frame) < 2:
        when = f"{start:%Y-%m-%d}" if start is not None else "the start"
        until = f"{end:%Y-%m-%d}" if end is not None else "the end"
        raise DataUnavailable(f"{label}: fewer than two common sessions between {when} and {until}")
    return frame, limited_by


def tilt_backtest(
    closes: pd.DataFrame,
    weights: dict[str, float],
    benchmark: str = "SPY",
    rebalance: str = "monthly",
    start=None,
    end=None,
    initial: float = INITIAL,
    bands: Bands | None = None,
    cost_bps: float = 0.0,
    rf: float = 0.0,
) -> TiltResult:
    """Backtest percent ``weights`` against ``benchmark`` over [start, end] (see the module docstring);
    ``rf`` is the annual risk-free rate of both Sharpe ratios (0 unless given)."""
    available = [c for c in closes.columns if closes[c].notna().any()]
    w = validate_weights(weights, available)
    if benchmark not in available:
        raise BadInput(f"unknown benchmark {benchmark}")
    if rebalance not in REBALANCE_RULES:
        raise BadInput(f"rebalance must be one of {', '.join(REBALANCE_RULES)}, not {rebalance!r}")
    if not initial > 0:
        raise BadInput("the initial value must be positive")
    cost_bps = check_cost(cost_bps)
    holdings = list(w)
    names = list(dict.fromkeys([*holdings, benchmark]))
    frame, limited_by = _window(closes, names, start, end)
    index = frame.index
    prices = frame[holdings].to_numpy(dtype=float)
    target = np.array([w[t] for t in holdings])

    calendar = rebalance_positions(index, rebalance)
    run = run_portfolio(
        prices, target, calendar, initial, bands, cost_bps, check_all=rebalance == "never" and bands is not None
    )
    held = run.held
    values_np = held.sum(axis=1)

    asset_returns = prices[1:] / prices[:-1] - 1.0
    prev_weights = held[:-1] / values_np[:-1, None]
    contrib = (prev_weights * asset_returns).sum(axis=0)
    port_r = values_np[1:] / values_np[:-1] - 1.0

    bench_px = frame[benchmark].to_numpy(dtype=float)
    bench_np = initial * bench_px / bench_px[0]
    bench_r = bench_px[1:] / bench_px[:-1] - 1.0
    active_r = port_r - bench_r
    te = float(np.std(active_r, ddof=1) * math.sqrt(TRADING_DAYS)) if len(active_r) >= 2 else float("nan")
    ir = float(np.mean(active_r) * TRADING_DAYS / te) if math.isfinite(te) and te > TE_FLOOR else float("nan")

    values = pd.Series(values_np, index=index, name="portfolio")
    years = (index[-1] - index[0]).days / DAYS_PER_YEAR
    bench_values = pd.Series(bench_np, index=index, name=benchmark)
    return TiltResult(
        weights=w,
        benchmark=benchmark,
        rebalance=rebalance,
        start=index[0],
        end=index[-1],
        limited_by=limited_by,
        initial=float(initial),
        values=values,
        benchmark_values=bench_values,
        active=(values / bench_values - 1.0).rename("active"),
        active_returns=pd.Series(active_r, index=index[1:], name="active_return"),
        rebalance_dates=tuple(index[run.resets]),
        portfolio_stats=performance(values, initial if cost_bps else None, rf),
        benchmark_stats=performance(bench_values, rf=rf),
        tracking_error=te,
        information_ratio=ir,
        contributions={t: float(c) for t, c in zip(holdings, contrib)},
        return_sum=float(port_r.sum()),
        end_weights={t: float(v) for t, v in zip(holdings, held[-1] / values_np[-1])},
        bands=bands,
        cost_bps=cost_bps,
        turnover=run.turnover,
        turnover_per_year=run.turnover / years if years > 0 else float("nan"),
        costs=run.costs,
        rf=rf,
    )
