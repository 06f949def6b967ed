"""Projection of a DCA plan: a block bootstrap of the allocation's historical monthly returns.

It is a resampling of the past, not a forecast. Conventions:
- Monthly returns: each ticker's last adjusted close of each calendar month,
  from the first month every ticker has a close (their common history); an
  unfinished last month (its last close is before the month's last NYSE
  session) is dropped. The allocation's monthly return is sum(w_i x r_i),
  i.e. rebalanced to target every month.
- Circular block bootstrap: each path is built from blocks of ``block_months``
  (default 12: a year, keeping momentum and volatility clusters within a
  year) consecutive historical months starting at uniformly drawn months,
  wrapping from the last month back to the first; blocks are concatenated and
  cut to the horizon. A history shorter than the block uses the whole history
  as one block length.
- Contributions: the plan's own schedule (dates, step-up, initial) bucketed by
  calendar month, so weekly plans put in 4 or 5 buys a month and quarterly
  plans every third month; the fee per order is taken out. Money paid in
  during a month is added at that month's end, after the month's return
  (conservative: no growth in its first month). Fractional shares.
- Horizon: the calendar months from the first to the last scheduled buy.
- Reproducible: a ``numpy.random.Generator(PCG64(seed))``; the same seed,
  plan and prices give the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotation_desk.core import calendar as nyse
from rotation_desk.core.dca.money import to_cents
from rotation_desk.core.dca.plan import DcaPlan
from rotation_desk.core.dca.schedule import plan_contributions
from rotation_desk.errors import DataUnavailable

DEFAULT_PATHS = 2000
DEFAULT_BLOCK_MONTHS = 12
MIN_HISTORY_MONTHS = 24
PERCENTILES = (10, 50, 90)


@dataclass(frozen=True, eq=False)
class ProjectionResult:
    """Percentile fan of the plan's value per month, the invested line and each path's final value."""

    fan: pd.DataFrame  # index month end; columns invested, p10, p50, p90
    final_values: np.ndarray  # one per path, read-only
    seed: int
    n_paths: int
    block_months: int
    history_start: pd.Timestamp  # first month-end close used
    history_end: pd.Timestamp  # last month-end close used
    history_months: int  # monthly returns resampled

    @property
    def invested(self) -> float:
        return float(self.fan["invested"].iloc[-1])

    def probability_of_reaching(self, target: float) -> float:
        """Share of paths whose final value is at least ``target`` (0..1)."""
        return float(np.mean(self.final_values >= float(target)))

    def final_percentile(self, q: float) -> float:
        return float(np.percentile(self.final_values, q))


def monthly_portfolio_returns(prices: pd.DataFrame, allocation: dict[str, float]) -> pd.Series:
    """Monthly returns of the allocation rebalanced to target each month (index: month-end date)."""
    tickers = list(allocation)
    missing = [t for t in tickers if t not in prices.columns or prices[t].first_valid_index() is None]
    if missing:
        raise DataUnavailable(f"no price data for {', '.join(missing)} (unknown ticker, or not in the price store)")
    frame = prices[tickers].sort_index()
    month = frame.index.to_period("M")
    closes = frame.groupby(month).last()  # last non-missing close in each month
    last_day = frame.dropna(how="all").index[-1]
    if last_day < nyse.last_session_of_month(last_day.year, last_day.month):
        closes = closes.iloc[:-1]
    complete = closes.notna().all(axis=1)
    if not complete.any():
        return pd.Series(dtype="float64", name="return")
    # from the first month all tickers have; a month a ticker lacks inside that run counts as flat
    closes = closes.loc[complete.idxmax() :].ffill()
    rets = closes.pct_change(fill_method=None).iloc[1:]
    rets.index = rets.index.to_timestamp(how="end").normalize()
    total = sum(allocation.values())
    weights = np.array([allocation[t] / total for t in tickers])
    return pd.Series(rets.to_numpy() @ weights, index=rets.index, name="return")


def monthly_contributions(plan: DcaPlan) -> pd.DataFrame:
    """Money paid in per calendar month of the plan (gross), and the fees taken out of it."""
    contributions = plan_contributions(plan)
    if not contributions:
        return pd.DataFrame(columns=["paid_in", "fees"], dtype="float64")
    fee = to_cents(plan.fee) / 100
    orders = len(plan.tickers)
    months = pd.PeriodIndex([c.date for c in contributions], freq="M")
    data = pd.DataFrame(
        {"paid_in": [c.cents / 100 for c in contributions], "fees": [fee * orders] * len(contributions)},
        index=months,
    )
    grouped = data.groupby(level=0).sum()
    full = pd.period_range(months.min(), months.max(), freq="M")
    grouped = grouped.reindex(full, fill_value=0.0)
    grouped.index = grouped.index.to_timestamp(how="end").normalize()
    return grouped


def bootstrap_indices(n_history: int, horizon: int, n_paths: int, block: int, rng: np.random.Generator) -> np.ndarray:
    """(n_paths, horizon) indices into the history: circular blocks of ``block`` months."""
    n_blocks = -(-horizon // block)
    starts = rng.integers(0, n_history, size=(n_paths, n_blocks))
    idx = (starts[:, :, None] + np.arange(block)[None, None, :]) % n_history
    return idx.reshape(n_paths, n_blocks * block)[:, :horizon]


def row_percentiles(values: np.ndarray, percentiles) -> np.ndarray:
    """``np.percentile(values, percentiles, axis=1)`` (linear interpolation) with one partial sort per
    row, done in place: ``values`` is reordered."""
    n = values.shape[1]
    ranks = [q / 100.0 * (n - 1) for q in percentiles]
    below = [int(np.floor(r)) for r in ranks]
    kth = sorted({k for b in below for k in (b, min(b + 1, n - 1))})
    values.partition(kth, axis=1)
    out = np.empty((len(ranks), values.shape[0]))
    for i, (r, b) in enumerate(zip(ranks, below)):
        lo, hi = values[:, b], values[:, min(b + 1, n - 1)]
        t = r - b  # numpy's linear interpolation, from the nearer end (the same last bits)
        out[i] = lo + (hi - lo) * t if t < 0.5 else hi - (hi - lo) * (1.0 - t)
    return out


def project_plan(
    plan: DcaPlan,
    prices: pd.DataFrame,
    n_paths: int = DEFAULT_PATHS,
    seed: int = 0,
    block_months: int = DEFAULT_BLOCK_MONTHS,
) -> ProjectionResult:
    """Simulate the plan's value over its horizon from resampled monthly returns of its allocation."""
    if n_paths < 1:
        raise ValueError("n_paths must be at least 1")
    history = monthly_portfolio_returns(prices, dict(plan.allocation))
    if len(history) < MIN_HISTORY_MONTHS:
        raise DataUnavailable(
            f"only {len(history)} months of common price history for {', '.join(plan.tickers)}; "
            f"the projection needs at least {MIN_HISTORY_MONTHS}"
        )
    money = monthly_contributions(plan)
    horizon = len(money)
    block = max(1, min(block_months, len(history)))
    rng = np.random.Generator(np.random.PCG64(seed))
    idx = bootstrap_indices(len(history), horizon, n_paths, block, rng)
    # months along the first axis: each month's step and each month's percentiles read contiguous rows
    growth = 1.0 + history.to_numpy()[idx.T]  # (horizon, paths)
    net = (money["paid_in"] - money["fees"]).to_numpy()
    values = np.empty((horizon, n_paths))
    current = np.zeros(n_paths)
    for m in range(horizon):
        np.multiply(current, growth[m], out=current)
        current += net[m]
        values[m] = current
    final = values[-1].copy()
    bands = row_percentiles(values, PERCENTILES)  # reorders each row of ``values`` in place
    fan = pd.DataFrame(
        {"invested": money["paid_in"].cumsum().to_numpy(), **{f"p{q}": bands[k] for k, q in enumerate(PERCENTILES)}},
        index=pd.DatetimeIndex(money.index, name="month"),
    )
    final.setflags(write=False)
    return ProjectionResult(
        fan=fan,
        final_values=final,
        seed=seed,
        n_paths=n_paths,
        block_months=block,
        history_start=history.index[0] - pd.offsets.MonthEnd(1),
        history_end=history.index[-1],
        history_months=len(history),
    )
