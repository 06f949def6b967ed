"""Historical backtest of a DCA plan on daily adjusted closes, with a lump-sum and a benchmark comparison.

Conventions:
- The plan's schedule (see ``dca_schedule``) is re-started at the window's
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
- ``to-target``: M = new money + cash on hand, V_i = market value of holding i
  at today's close, w_i = target weight. The money tops up the holdings with
  the lowest V_i / w_i (furthest below target, the target being w_i x (sum V +
  M)) to a common level L: buy_i = max(L x w_i - V_i, 0), with L such that
  sum buy_i = M. Holdings already above that level get nothing; with an empty
  account it is the pro-rata split. Amounts are then split to cents by largest
  remainder.
- Account value on day t = sum(shares_i x close_i) + cash, at the close after
  that day's buys. XIRR and TWR: see ``cashflow_returns``. Max drawdown is of
  the TWR index (the account's value with the contributions taken out), since
  the raw value rises with every contribution.
- Lump sum: all the money the plan pays in over the window, invested on the
  first buy session with the same allocation, fee and share rule.
  Benchmark: the same contributions into the benchmark ticker only.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from rotation_desk.core.cashflow_returns import time_weighted_return, twr_index, xirr
from rotation_desk.core.dca_money import buy_order, money, split_cents, to_cents
from rotation_desk.core.dca_plan import DcaPlan
from rotation_desk.core.dca_schedule import buy_dates, plan_contributions
from rotation_desk.core.metrics import Drawdown, max_drawdown
from rotation_desk.errors import BadInput, DataUnavailable

LEDGER_COLUMNS = ("date", "ticker", "price", "amount", "fee", "shares", "cash_after", "cumulative_invested")
SUMMARY_KEYS = ("invested", "value", "gain", "xirr", "twr")


@dataclass(frozen=True, eq=False)
class Outcome:
    """One way of investing the money over the window: ledger, daily series and totals."""

    label: str
    ledger: pd.DataFrame
    value_series: pd.Series  # account value at each close (holdings + cash)
    invested_series: pd.Series  # money paid in so far
    cash_series: pd.Series
    twr_index: pd.Series
    holdings: pd.DataFrame  # index ticker: shares, cost_basis, last_price, value, weight
    invested: float
    value: float
    gain: float
    cash: float
    fees: float
    xirr: float
    twr: float
    max_drawdown: Drawdown

    def summary(self) -> dict:
        """The JSON numbers: money to the cent, rates as fractions, NaN as None."""
        return {
            "invested": _num(self.invested, 2),
            "value": _num(self.value, 2),
            "gain": _num(self.gain, 2),
            "xirr": _num(self.xirr),
            "twr": _num(self.twr),
            "max_drawdown": _num(self.max_drawdown.depth),
        }


@dataclass(frozen=True, eq=False)
class BacktestResult:
    """The plan's backtest (``dca``) beside the lump sum and the benchmark (None when not asked for)."""

    plan: DcaPlan  # the plan as run over the window
    start: pd.Timestamp  # first buy session
    end: pd.Timestamp  # valuation date (last close used)
    dca: Outcome
    lump_sum: Outcome
    benchmark: Outcome | None
    benchmark_ticker: str | None
    buys: int  # sessions with money paid in

    # The plan's own figures, for convenience.
    @property
    def ledger(self) -> pd.DataFrame:
        return self.dca.ledger

    @property
    def value_series(self) -> pd.Series:
        return self.dca.value_series

    @property
    def invested_series(self) -> pd.Series:
        return self.dca.invested_series

    @property
    def holdings(self) -> pd.DataFrame:
        return self.dca.holdings

    @property
    def invested(self) -> float:
        return self.dca.invested

    @property
    def value(self) -> float:
        return self.dca.value

    @property
    def gain(self) -> float:
        return self.dca.gain

    @property
    def xirr(self) -> float:
        return self.dca.xirr

    @property
    def twr(self) -> float:
        return self.dca.twr

    @property
    def max_drawdown(self) -> Drawdown:
        return self.dca.max_drawdown

    def to_json_dict(self) -> dict:
        """Stable JSON: invested, value, gain, xirr, twr for the plan and under lump_sum and benchmark."""
        out = {"plan": self.plan.name, "start": _day(self.start), "end": _day(self.end)}
        out.update(self.dca.summary())
        out["cash"] = _num(self.dca.cash, 2)
        out["fees"] = _num(self.dca.fees, 2)
        out["buys"] = self.buys
        out["orders"] = len(self.dca.ledger)
        out["holdings"] = [
            {
                "ticker": str(t),
                "shares": _num(float(r.shares)),
                "cost_basis": _num(float(r.cost_basis), 2),
                "last_price": _num(float(r.last_price)),
                "value": _num(float(r.value), 2),
            }
            for t, r in self.dca.holdings.iterrows()
        ]
        out["lump_sum"] = self.lump_sum.summary()
        if self.benchmark is None:
            out["benchmark"] = None
        else:
            out["benchmark"] = {"ticker": self.benchmark_ticker, **self.benchmark.summary()}
        return out

    def ledger_csv(self, path: str | os.PathLike | None = None) -> str:
        """The plan's ledger as CSV (dates YYYY-MM-DD, money to the cent, shares to 8 decimals)."""
        return ledger_to_csv(self.dca.ledger, path)


def _num(value: float, digits: int | None = None):
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits) if digits is not None else float(value)


def _day(value) -> str:
    return f"{pd.Timestamp(value):%Y-%m-%d}"


def ledger_to_csv(ledger: pd.DataFrame, path: str | os.PathLike | None = None) -> str:
    """Ledger CSV: dates YYYY-MM-DD, prices to 6 decimals, money to the cent, shares to 8 decimals."""
    buf = io.StringIO()
    buf.write(",".join(LEDGER_COLUMNS) + "\n")
    for r in ledger.itertuples(index=False):
        buf.write(
            f"{pd.Timestamp(r.date):%Y-%m-%d},{r.ticker},{r.price:.6f},{r.amount:.2f},{r.fee:.2f},{r.shares:.8f},"
            f"{r.cash_after:.2f},{r.cumulative_invested:.2f}\n"
        )
    text = buf.getvalue()
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


# -- the target top-up ---------------------------------------------------------


def water_fill(values: np.ndarray, weights: np.ndarray, money_in: float) -> np.ndarray:
    """Amounts that lift the holdings with the lowest value/weight to a common level (sum = ``money_in``)."""
    values = np.asarray(values, dtype="float64")
    weights = np.asarray(weights, dtype="float64")
    ratio = values / weights
    order = np.argsort(ratio, kind="stable")
    cum_w = cum_v = 0.0
    level = 0.0
    for k, i in enumerate(order):
        cum_w += weights[i]
        cum_v += values[i]
        level = (money_in + cum_v) / cum_w
        if k + 1 == len(order) or level <= ratio[order[k + 1]]:
            break
    return np.maximum(level * weights - values, 0.0)


# -- the simulation ------------------------------------------------------------


def _simulate(
    label: str,
    days: pd.DatetimeIndex,
    prices: np.ndarray,
    tickers: Sequence[str],
    weights: Sequence[float],
    flows: Sequence[tuple[int, int]],
    fee: int,
    fractional: bool,
    to_target: bool,
) -> Outcome:
    """Run the buys ``flows`` = [(row in ``days``, cents paid in)] over ``prices`` (rows = days)."""
    n, t_len = len(tickers), len(days)
    day_list = list(days)  # Timestamps once: indexing a DatetimeIndex per ledger row is slow
    w = np.asarray(weights, dtype="float64")
    shares = np.zeros(n)
    cost = [0] * n
    sleeves = [0] * n  # pro-rata: each ticker's unspent cents
    pool = 0  # to-target: all unspent cents
    cash = 0
    invested = 0
    fees = 0
    share_delta = np.zeros((t_len, n))
    cash_delta = np.zeros(t_len, dtype="int64")
    paid_in = np.zeros(t_len, dtype="int64")
    slice_cache: dict[int, list[int]] = {}
    rows: list[tuple] = []
    for row, cents in flows:
        p = prices[row]
        invested += cents
        cash += cents
        paid_in[row] += cents
        cash_delta[row] += cents
        if to_target:
            pool += cents
            wanted = water_fill(shares * p, w, pool / 100)
            budgets = split_cents(pool, wanted) if wanted.sum() > 0 else [0] * n
        else:
            if cents not in slice_cache:
                slice_cache[cents] = split_cents(cents, w)
            budgets = [sleeves[i] + s for i, s in enumerate(slice_cache[cents])]
        for i in range(n):
            spent, bought = buy_order(budgets[i], fee, float(p[i]), fractional) if budgets[i] else (0, 0.0)
            if to_target:
                pool -= spent
            else:
                sleeves[i] = budgets[i] - spent
            if spent == 0:
                continue
            shares[i] += bought
            share_delta[row, i] += bought
            cost[i] += spent
            cash -= spent
            cash_delta[row] -= spent
            fees += fee
            rows.append(
                (day_list[row], tickers[i], float(p[i]), money(spent), money(fee), bought, money(cash), money(invested))
            )
    assert cash == (pool if to_target else sum(sleeves))

    ledger = pd.DataFrame(rows, columns=list(LEDGER_COLUMNS))
    ledger["date"] = pd.to_datetime(ledger["date"]).astype("datetime64[ns]")
    ledger["ticker"] = ledger["ticker"].astype("str")
    for col in LEDGER_COLUMNS[2:]:
        ledger[col] = ledger[col].astype("float64")

    held = np.cumsum(share_delta, axis=0)
    cash_cents = np.cumsum(cash_delta)
    market = np.where(held != 0, held * np.nan_to_num(prices), 0.0).sum(axis=1)
    value = pd.Series(market + cash_cents / 100, index=days, name="value")
    invested_s = pd.Series(np.cumsum(paid_in) / 100, index=days, name="invested")
    cash_s = pd.Series(cash_cents / 100, index=days, name="cash")
    flow_s = pd.Series(paid_in / 100, index=days)
    index = twr_index(value, flow_s)

    last = prices[-1]
    hold_values = shares * last
    total_hold = float(hold_values.sum())
    holdings = pd.DataFrame(
        {
            "shares": shares,
            "cost_basis": [money(c) for c in cost],
            "last_price": last.astype("float64"),
            "value": hold_values,
            "weight": hold_values / total_hold if total_hold > 0 else np.zeros(n),
        },
        index=pd.Index(list(tickers), name="ticker", dtype="str"),
    )
    final_value = round(math.fsum(hold_values.tolist()) + cash / 100, 2)
    flow_dates = [days[r] for r, _ in flows] + [days[-1]]
    flow_amounts = [-c / 100 for _, c in flows] + [final_value]
    return Outcome(
        label=label,
        ledger=ledger,
        value_series=value,
        invested_series=invested_s,
        cash_series=cash_s,
        twr_index=index,
        holdings=holdings,
        invested=money(invested),
        value=final_value,
        gain=round(final_value - money(invested), 2),
        cash=money(cash),
        fees=money(fees),
        xirr=xirr(flow_dates, flow_amounts),
        twr=time_weighted_return(value, flow_s),
        max_drawdown=max_drawdown(index.dropna()),
    )


# -- windows and data checks -----------------------------------------------------


def _ticker_bounds(prices: pd.DataFrame, ticker: str, role: str = "") -> tuple[pd.Timestamp, pd.Timestamp]:
    if ticker not in prices.columns or prices[ticker].first_valid_index() is None:
        raise DataUnavailable(f"no price data for {role}{ticker} (unknown ticker, or not in the price store)")
    col = prices[ticker]
    return col.first_valid_index(), col.last_valid_index()


def default_window(plan: DcaPlan, prices: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp | None]:
    """The window a backtest uses when none is given.

    The plan's own dates when it starts on or before the last close; for a
    plan in the future, a window of the plan's length ending at the last close
    all its tickers have (cut to where they all have data).
    """
    bounds = [_ticker_bounds(prices, t) for t in plan.tickers]
    first = max(b[0] for b in bounds)
    last = min(b[1] for b in bounds)
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
    benchmark: str | None = "SPY",
) -> BacktestResult:
    """Backtest ``plan`` on a wide frame of adjusted closes (dates x tickers) over [start, end].

    Raises ``DataUnavailable`` naming the ticker when one is missing or has no
    prices for the window, ``BadInput`` for an inverted window.
    """
    tickers = list(plan.tickers)
    bench = benchmark.upper() if benchmark else None
    bounds = {t: _ticker_bounds(prices, t) for t in tickers}
    if start is None and end is None:
        start, end = default_window(plan, prices)
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
    contributions = plan_contributions(run_plan, until=limit)
    if not contributions:
        raise DataUnavailable(f"no scheduled buy between {start:%Y-%m-%d} and {limit:%Y-%m-%d}")
    first = contributions[0].date
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

    filled = prices[columns].sort_index().ffill()
    window = filled.loc[first:limit]
    days = pd.DatetimeIndex(window.index)
    matrix = window.to_numpy(dtype="float64")
    rows = np.searchsorted(days.values, np.array([c.date for c in contributions], dtype="datetime64[ns]"))
    flows = [(int(r), c.cents) for r, c in zip(rows, contributions) if r < len(days)]

    fee = to_cents(plan.fee)
    pos = [columns.index(t) for t in tickers]
    alloc = [plan.allocation[t] for t in tickers]
    dca = _simulate(
        "dca", days, matrix[:, pos], tickers, alloc, flows, fee, plan.fractional, plan.rebalance == "to-target"
    )
    total = sum(c for _, c in flows)
    lump = _simulate("lump_sum", days, matrix[:, pos], tickers, alloc, [(0, total)], fee, plan.fractional, False)
    bench_outcome = None
    if bench:
        j = columns.index(bench)
        bench_outcome = _simulate(
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
