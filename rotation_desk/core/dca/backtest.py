"""Historical backtest of a DCA plan on daily adjusted closes, with a lump-sum and a benchmark comparison.

Conventions:
- The plan's schedule (see ``schedule``) is re-started at the window's
  start; a given window end replaces the plan's end/count. Step-up years count
  from the window start. Each buy happens at that session's adjusted close
  (if the price frame lacks that session, at the next row it has); a missing
  close inside a ticker's history uses its last close.
- Money is integer cents. ``invested`` is all money paid in (fees included).
  The fee is charged per buy order and comes out of the order's amount.
- Whole shares (``fractional: false``) leave cash: with ``pro-rata`` each
  ticker keeps its own unspent remainder and adds it to its next slice (so each
  ticker gets its allocation of the money over time); with ``to-target`` all
  cash is one pool. Cash counts in the account value.
- ``to-target``: buy-only rebalancing (``rebalance``, the rule the next buy
  from the journal uses too). M = new money + cash on hand, V_i = market value
  of holding i at today's close, w_i = target weight; the targets are
  w_i x (sum V + M). A holding at or above its target gets nothing while any
  is below; M goes to the holdings below target in proportion to their
  shortfall, so none is lifted past its target; with an empty account it is
  the pro-rata split. Amounts are then split to cents by largest remainder.
- Account value on day t = sum(shares_i x close_i) + cash, at the close after
  that day's buys. XIRR and TWR: see ``cashflows``. Max drawdown is of
  the TWR index (the account's value with the contributions taken out), since
  the raw value rises with every contribution.
- Lump sum: all the money the plan pays in over the window, invested on the
  first buy session with the same allocation, fee and share rule.
  Benchmark: the same contributions into the benchmark ticker only.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from rotation_desk.core.dca.money import to_cents
from rotation_desk.core.dca.plan import DcaPlan
from rotation_desk.core.dca.results import BacktestResult
from rotation_desk.core.dca.schedule import buy_dates, contribution_arrays
from rotation_desk.core.dca.simulation import simulate
from rotation_desk.errors import BadInput, DataUnavailable

DEFAULT_BENCHMARK = "SPY"  # the comparison: the same plan into SPY only


# -- windows and data checks -----------------------------------------------------


def _ticker_bounds(prices: pd.DataFrame, ticker: str, role: str = "") -> tuple[pd.Timestamp, pd.Timestamp]:
    return _all_bounds(prices, [ticker], role)[ticker]


def _all_bounds(prices: pd.DataFrame, tickers, role: str = "") -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """Each ticker's first and last valid row (one pass over the frame); the first ticker in order that is
    missing or has no prices raises ``DataUnavailable``."""
    names = list(dict.fromkeys(tickers))
    present = [t for t in names if t in prices.columns]
    valid = prices[present].notna().to_numpy() if present else np.zeros((len(prices), 0), dtype=bool)
    any_valid = valid.any(axis=0)
    first, last = valid.argmax(axis=0), len(valid) - 1 - valid[::-1].argmax(axis=0)
    out = {}
    for t in names:
        j = present.index(t) if t in present else -1
        if j < 0 or not any_valid[j]:
            raise DataUnavailable(f"no price data for {role}{t} (unknown ticker, or not in the price store)")
        out[t] = (prices.index[first[j]], prices.index[last[j]])
    return out


def _window(frame: pd.DataFrame, first: pd.Timestamp, limit: pd.Timestamp) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """The rows of ``frame`` from ``first`` to ``limit`` (dates sorted), each column's gaps filled with its
    last close before: ``frame.sort_index().ffill().loc[first:limit]`` in numpy, without copying the rows
    after ``limit`` or filling a frame to throw most of it away."""
    if not frame.index.is_monotonic_increasing:
        frame = frame.sort_index()
    index = pd.DatetimeIndex(frame.index)
    lo, hi = int(index.searchsorted(first, "left")), int(index.searchsorted(limit, "right"))
    values = frame.to_numpy(dtype="float64")[:hi]
    last_valid = np.where(np.isnan(values), 0, np.arange(hi)[:, None])  # a gap takes the row of the last close
    np.maximum.accumulate(last_valid, axis=0, out=last_valid)
    return index[lo:hi], np.take_along_axis(values, last_valid, axis=0)[lo:]


def default_window(plan: DcaPlan, prices: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp | None]:
    """The window a backtest uses when none is given.

    The plan's own dates when it starts on or before the last close; for a
    plan in the future, a window of the plan's length ending at the last close
    all its tickers have (cut to where they all have data).
    """
    return _default_window(plan, _all_bounds(prices, plan.tickers))


def _default_window(plan: DcaPlan, bounds: dict) -> tuple[pd.Timestamp, pd.Timestamp | None]:
    first = max(b[0] for b in bounds.values())
    last = min(b[1] for b in bounds.values())
    start = pd.Timestamp(plan.start)
    if start <= last:
        return start, (pd.Timestamp(plan.end) if plan.end is not None else None)
    if plan.end is not None:
        span = pd.Timestamp(plan.end) - start
    else:
        span = buy_dates(plan)[-1] - start
    return max(last - span, first), last


def run_backtest(
    plan: DcaPlan,
    prices: pd.DataFrame,
    start: dt.date | str | pd.Timestamp | None = None,
    end: dt.date | str | pd.Timestamp | None = None,
    benchmark: str | None = DEFAULT_BENCHMARK,
) -> BacktestResult:
    """Backtest ``plan`` on a wide frame of adjusted closes (dates x tickers) over [start, end].

    Raises ``DataUnavailable`` naming the ticker when one is missing or has no
    prices for the window, ``BadInput`` for an inverted window. The outcomes'
    ledgers, holdings, XIRR, TWR and drawdowns are worked out when first read
    (``BacktestResult.computed()`` works them all out at once).
    """
    tickers = list(plan.tickers)
    bench = benchmark.upper() if benchmark else None
    bounds = _all_bounds(prices, tickers)
    if start is None and end is None:
        start, end = _default_window(plan, bounds)
    start = pd.Timestamp(start if start is not None else plan.start).normalize()
    end = pd.Timestamp(end).normalize() if end is not None else None
    if end is not None and end < start:
        raise BadInput(f"the backtest window ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})")
    if end is None and plan.end is not None and pd.Timestamp(plan.end) >= start:
        end = pd.Timestamp(plan.end)
    run_plan = plan.with_window(start.date(), end.date() if end is not None else None)

    last_common = min(b[1] for b in bounds.values())
    limit = last_common if end is None else min(end, last_common)
    if start > limit:
        limiter = min(bounds, key=lambda t: bounds[t][1])
        raise DataUnavailable(
            f"no prices in the window from {start:%Y-%m-%d}: the data for {limiter} ends {last_common:%Y-%m-%d}"
        )
    contributions = contribution_arrays(run_plan, until=limit)
    if not len(contributions):
        raise DataUnavailable(f"no scheduled buy between {start:%Y-%m-%d} and {limit:%Y-%m-%d}")
    first = pd.Timestamp(contributions.dates[0])
    for t, (lo, _) in bounds.items():
        if lo > first:
            raise DataUnavailable(
                f"{t} has no prices before {lo:%Y-%m-%d}, but the backtest's first buy is {first:%Y-%m-%d}; "
                f"start the window on or after {lo:%Y-%m-%d}"
            )
    columns = list(dict.fromkeys(tickers + ([bench] if bench else [])))
    if bench:
        lo, hi = _ticker_bounds(prices, bench, "benchmark ")
        if lo > first or hi < limit:
            raise DataUnavailable(
                f"benchmark {bench} has prices only from {lo:%Y-%m-%d} to {hi:%Y-%m-%d}; "
                f"the backtest needs {first:%Y-%m-%d} to {limit:%Y-%m-%d}"
            )

    days, matrix = _window(prices[columns], first, limit)
    rows = np.searchsorted(days.values, contributions.dates)
    kept = rows < len(days)
    flows = np.column_stack((rows[kept], contributions.cents[kept])).astype("int64")  # (row, cents) per buy

    fee = to_cents(plan.fee)
    pos = [columns.index(t) for t in tickers]
    alloc = [plan.allocation[t] for t in tickers]
    dca = simulate(
        "dca", days, matrix[:, pos], tickers, alloc, flows, fee, plan.fractional, plan.rebalance == "to-target"
    )
    total = int(flows[:, 1].sum())
    lump = simulate("lump_sum", days, matrix[:, pos], tickers, alloc, [(0, total)], fee, plan.fractional, False)
    bench_outcome = None
    if bench:
        j = columns.index(bench)
        bench_outcome = simulate(
            "benchmark", days, matrix[:, [j]], [bench], [100.0], flows, fee, plan.fractional, False
        )
    return BacktestResult(
        plan=run_plan,
        start=days[0],
        end=days[-1],
        dca=dca,
        lump_sum=lump,
        benchmark=bench_outcome,
        benchmark_ticker=bench,
        buys=len(flows),
    )
