"""The buys of a DCA backtest, day by day, in integer cents (the rules are in ``backtest``'s docstring)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from rotation_desk.core.dca.cashflows import time_weighted_return, twr_index, xirr
from rotation_desk.core.dca.money import buy_order, money, split_cents
from rotation_desk.core.dca.rebalance import to_target_cents
from rotation_desk.core.dca.results import LEDGER_COLUMNS, Outcome
from rotation_desk.core.metrics import max_drawdown

# -- the simulation ------------------------------------------------------------


def simulate(
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
    share_delta = np.zeros((t_len, n))
    cash_delta = np.zeros(t_len, dtype="int64")
    paid_in = np.zeros(t_len, dtype="int64")
    rows = np.fromiter((r for r, _ in flows), dtype="int64", count=len(flows))  # each flow's day
    fast = None if to_target or not fractional else _every_slice_spent(prices, weights, flows, rows, fee)
    if fast is not None:  # no cash is ever left over, so cash_delta stays 0
        ledger_columns, shares, cost, cash, invested, fees = _spend_every_slice(
            days, prices, tickers, rows, fee, fast, share_delta, paid_in
        )
    else:
        ledger_columns, shares, cost, cash, invested, fees = _order_by_order(
            days, prices, tickers, weights, flows, fee, fractional, to_target, share_delta, cash_delta, paid_in
        )
    ledger = pd.DataFrame(dict(zip(LEDGER_COLUMNS, ledger_columns)))
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
    flow_dates = list(days[rows]) + [days[-1]]
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


def _every_slice_spent(prices: np.ndarray, weights, flows, rows: np.ndarray, fee: int) -> np.ndarray | None:
    """The cents of each flow per ticker (rows = flows) when every slice buys in full (fractional, pro-rata:
    each slice above the fee, every price positive): no sleeve ever carries cents, so the buys need no loop.
    None when some slice would carry (then ``_order_by_order`` runs the rule buy by buy)."""
    if not flows:
        return None
    cache: dict[int, list[int]] = {}
    slices = np.array([cache.get(c) or cache.setdefault(c, split_cents(c, weights)) for _, c in flows], dtype="int64")
    at = prices[rows]
    if not (slices > fee).all() or not (at > 0).all():
        return None
    return slices


def _spend_every_slice(days, prices, tickers, rows, fee, slices, share_delta, paid_in):
    """The fast path of ``simulate``: the same arithmetic as ``buy_order`` on whole arrays (same float
    operations in the same order, so the same shares to the last bit; sums in flow order via cumsum)."""
    n = len(tickers)
    cents = slices.sum(axis=1)
    at = prices[rows].astype("float64")
    bought = (slices - fee).astype("float64") / 100 / at
    np.add.at(share_delta, rows, bought)
    np.add.at(paid_in, rows, cents)  # every cent paid in is spent the same day
    shares = np.cumsum(bought, axis=0)[-1]
    invested_after = np.cumsum(cents)
    cash_after = cents[:, None] - np.cumsum(slices, axis=1)  # cash after each order of a flow
    columns = [
        days[np.repeat(rows, n)].values.astype("datetime64[ns]"),
        np.tile(np.asarray(tickers, dtype=object), len(rows)).astype("str"),
        at.ravel(),
        slices.ravel() / 100,
        np.full(slices.size, fee / 100),
        bought.ravel(),
        cash_after.ravel() / 100,
        np.repeat(invested_after, n) / 100,
    ]
    cost = slices.sum(axis=0).tolist()
    return columns, shares, cost, 0, int(invested_after[-1]), fee * slices.size


def _order_by_order(
    days, prices, tickers, weights, flows, fee, fractional, to_target, share_delta, cash_delta, paid_in
):
    """``simulate``'s rule buy by buy: pro-rata sleeves that carry unspent cents, or the to-target pool."""
    n = len(tickers)
    day_list = list(days)  # Timestamps once: indexing a DatetimeIndex per ledger row is slow
    w = np.asarray(weights, dtype="float64")
    shares = np.zeros(n)
    cost = [0] * n
    sleeves = [0] * n  # pro-rata: each ticker's unspent cents
    pool = 0  # to-target: all unspent cents
    cash = invested = fees = 0
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
            budgets = to_target_cents(pool, shares * p, w)
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
    columns = [list(c) for c in zip(*rows)] if rows else [[] for _ in LEDGER_COLUMNS]
    columns[0] = pd.DatetimeIndex(columns[0]).values.astype("datetime64[ns]")
    columns[1] = np.asarray(columns[1], dtype=object).astype("str")
    columns[2:] = [np.asarray(c, dtype="float64") for c in columns[2:]]
    return columns, shares, cost, cash, invested, fees
