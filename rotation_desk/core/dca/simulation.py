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
