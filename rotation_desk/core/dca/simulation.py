"""The buys of a DCA backtest, day by day, in integer cents (the rules are in ``backtest``'s docstring)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from rotation_desk.core.dca.money import buy_order, money, split_cents
from rotation_desk.core.dca.rebalance import to_target_cents
from rotation_desk.core.dca.results import LEDGER_COLUMNS, Outcome, OutcomeParts

# -- the simulation ------------------------------------------------------------


def simulate(
    label: str,
    days: pd.DatetimeIndex,
    prices: np.ndarray,
    tickers: Sequence[str],
    weights: Sequence[float],
    flows,
    fee: int,
    fractional: bool,
    to_target: bool,
) -> Outcome:
    """Run the buys ``flows`` = [(row in ``days``, cents paid in)] (pairs, or an int64 array of shape (k, 2))
    over ``prices`` (rows = days). The daily series and totals are worked out here; the ledger, holdings,
    XIRR, TWR and drawdown when the ``Outcome`` is asked for them."""
    n, t_len = len(tickers), len(days)
    flow_array = np.asarray(flows, dtype="int64").reshape(-1, 2)
    rows, flow_cents = flow_array[:, 0], flow_array[:, 1]  # each flow's day and cents
    paid_in = np.zeros(t_len, dtype="int64")
    np.add.at(paid_in, rows, flow_cents)
    fast = None if to_target or not fractional else _every_slice_spent(prices, weights, flows, rows, fee)
    if fast is not None:  # no cash is ever left over, so the cash stays 0
        share_delta, ledger, shares, cost, cash, invested, fees, orders = _spend_every_slice(
            days, prices, tickers, rows, fee, fast
        )
        cash_cents = np.zeros(t_len, dtype="int64")
    else:
        share_delta = np.zeros((t_len, n))
        cash_delta = np.zeros(t_len, dtype="int64")
        columns, shares, cost, cash, invested, fees = _order_by_order(
            days, prices, tickers, weights, flow_array.tolist(), fee, fractional, to_target, share_delta, cash_delta
        )
        cash_cents = np.cumsum(cash_delta)
        orders = len(columns[0])
        ledger = lambda: _ledger_frame(columns)  # noqa: E731

    held = np.cumsum(share_delta, axis=0)
    market = np.where(held != 0, held * np.nan_to_num(prices), 0.0).sum(axis=1)
    value = pd.Series(market + cash_cents / 100, index=days, name="value")
    last = prices[-1]
    hold_values = shares * last
    final_value = round(math.fsum(hold_values.tolist()) + cash / 100, 2)
    parts = OutcomeParts(
        ledger=ledger,
        holdings=lambda: _holdings_frame(tickers, shares, cost, last, hold_values),
        flow_days=days.values[rows],
        flow_cents=flow_cents,
        paid_in=paid_in,
    )
    return Outcome(
        label=label,
        value_series=value,
        invested_series=pd.Series(np.cumsum(paid_in) / 100, index=days, name="invested"),
        cash_series=pd.Series(cash_cents / 100, index=days, name="cash"),
        invested=money(invested),
        value=final_value,
        gain=round(final_value - money(invested), 2),
        cash=money(cash),
        fees=money(fees),
        orders=orders,
        parts=parts,
    )


def _holdings_frame(tickers, shares, cost, last, hold_values) -> pd.DataFrame:
    total_hold = float(hold_values.sum())
    return pd.DataFrame(
        {
            "shares": shares,
            "cost_basis": [money(c) for c in cost],
            "last_price": last.astype("float64"),
            "value": hold_values,
            "weight": hold_values / total_hold if total_hold > 0 else np.zeros(len(tickers)),
        },
        index=pd.Index(list(tickers), name="ticker", dtype="str"),
    )


def _ledger_frame(columns) -> pd.DataFrame:
    """The ledger from its columns (dates, tickers, then the float columns of ``LEDGER_COLUMNS``)."""
    data = dict(zip(LEDGER_COLUMNS, columns))
    data["date"] = np.asarray(data["date"]).astype("datetime64[ns]")
    data["ticker"] = pd.array(data["ticker"], dtype="str")
    for col in LEDGER_COLUMNS[2:]:
        data[col] = np.asarray(data[col], dtype="float64")
    return pd.DataFrame(data)


def _every_slice_spent(prices: np.ndarray, weights, flows, rows: np.ndarray, fee: int) -> np.ndarray | None:
    """The cents of each flow per ticker (rows = flows) when every slice buys in full (fractional, pro-rata:
    each slice above the fee, every price positive): no sleeve ever carries cents, so the buys need no loop.
    None when some slice would carry (then ``_order_by_order`` runs the rule buy by buy)."""
    if len(flows) == 0:
        return None
    cents = np.asarray(flows, dtype="int64").reshape(-1, 2)[:, 1]
    unique, inverse = np.unique(cents, return_inverse=True)  # one split per amount, not per buy
    slices = np.array([split_cents(c, weights) for c in unique.tolist()], dtype="int64")[inverse]
    at = prices[rows]
    if not (slices > fee).all() or not (at > 0).all():
        return None
    return slices


def _spend_every_slice(days, prices, tickers, rows, fee, slices):
    """The fast path of ``simulate``: the same arithmetic as ``buy_order`` on whole arrays (same float
    operations in the same order, so the same shares to the last bit; sums in flow order via cumsum).
    The ledger is built only when asked for."""
    n = len(tickers)
    at = prices[rows].astype("float64")
    bought = (slices - fee).astype("float64") / 100 / at
    share_delta = np.zeros((len(days), n))
    np.add.at(share_delta, rows, bought)
    shares = np.cumsum(bought, axis=0)[-1]
    invested_after = np.cumsum(slices.sum(axis=1))

    def ledger() -> pd.DataFrame:
        cash_after = slices.sum(axis=1)[:, None] - np.cumsum(slices, axis=1)  # cash after each order of a flow
        columns = [
            days.values[np.repeat(rows, n)],
            pd.array(list(tickers), dtype="str").take(np.tile(np.arange(n), len(rows))),
            at.ravel(),
            slices.ravel() / 100,
            np.full(slices.size, fee / 100),
            bought.ravel(),
            cash_after.ravel() / 100,
            np.repeat(invested_after, n) / 100,
        ]
        return _ledger_frame(columns)

    cost = slices.sum(axis=0).tolist()
    return share_delta, ledger, shares, cost, 0, int(invested_after[-1]), fee * slices.size, slices.size


def _order_by_order(days, prices, tickers, weights, flows, fee, fractional, to_target, share_delta, cash_delta):
    """``simulate``'s rule buy by buy: pro-rata sleeves that carry unspent cents, or the to-target pool."""
    n = len(tickers)
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
            rows.append((row, tickers[i], float(p[i]), money(spent), money(fee), bought, money(cash), money(invested)))
    assert cash == (pool if to_target else sum(sleeves))
    columns = [list(c) for c in zip(*rows)] if rows else [[] for _ in LEDGER_COLUMNS]
    columns[0] = days.values[np.asarray(columns[0], dtype="int64")]  # rows to dates
    columns[1] = np.asarray(columns[1], dtype=object)
    return columns, shares, cost, cash, invested, fees
