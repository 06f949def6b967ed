"""What the journal's buys add up to: holdings per ticker, the account's value over time, XIRR and TWR.

Conventions (the numbers on the Holdings page and in ``rotation-desk journal``):
- A holding's shares are the sum of its buys' shares; its cost basis the sum of
  their costs (shares x price to the cent, plus the fee: ``buys.Buy.cost``).
- Its value is shares x the last close in the store (the adjusted close, which
  on the last day is the price), as of that close's date; gain = value - cost
  basis. Dividends paid in cash are not buys, so they are not in the journal
  and not in the value. Weight = value / the value of all holdings; target =
  the plan's allocation (0 for a ticker the plan does not hold); off target =
  weight - target.
- The value over time: on every session from the first buy, the shares held
  after that day's buys x that day's close (a buy on a day the price frame
  lacks counts from the next session it has; one after the last close counts
  on the last close). Invested over time: the costs paid so far.
- XIRR (``cashflows.xirr``): each buy's cost as a negative flow on its own
  date, the value at the valuation date (the last close, or the last buy if
  later) as the positive one.
- TWR: sub-period returns chain-linked around the buys: on a day with money
  already in the account r = (V_t - F_t) / V_(t-1) - 1 (the day's buys, F_t,
  cost what they cost and earn nothing that day); on the first day
  r = V_t / F_t - 1 (from the money paid, fees included, to the close).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotation_desk.core.dca.buys import Buy
from rotation_desk.core.dca.cashflows import xirr
from rotation_desk.core.dca.money import money

HOLDING_COLUMNS = ("shares", "cost_basis", "last_price", "value", "weight", "target", "off_target", "gain", "gain_pct")


@dataclass(frozen=True)
class LastClose:
    price: float
    date: pd.Timestamp


def last_closes(closes: pd.DataFrame, tickers: Sequence[str]) -> dict[str, LastClose]:
    """Each ticker's last close in ``closes`` (tickers without one are left out)."""
    out = {}
    for t in tickers:
        if t in closes.columns:
            col = closes[t].dropna()
            if len(col):
                out[t] = LastClose(float(col.iloc[-1]), pd.Timestamp(col.index[-1]))
    return out


def holdings_frame(
    buys: Sequence[Buy], allocation: Mapping[str, float], prices: Mapping[str, LastClose]
) -> pd.DataFrame:
    """One row per ticker (the plan's, in its order, then the others bought): ``HOLDING_COLUMNS``.

    A ticker without a last close has NaN value, weight and gain (and the
    weights of the others are of the priced holdings only)."""
    total_w = sum(allocation.values()) or 1.0
    names = list(allocation) + sorted({b.ticker for b in buys} - set(allocation))
    shares = {t: math.fsum(b.shares for b in buys if b.ticker == t) for t in names}
    cost = {t: sum(b.cost_cents for b in buys if b.ticker == t) for t in names}
    rows = []
    for t in names:
        price = prices[t].price if t in prices else float("nan")
        value = shares[t] * price if t in prices else float("nan")
        rows.append((shares[t], money(cost[t]), price, value))
    frame = pd.DataFrame(
        rows, columns=["shares", "cost_basis", "last_price", "value"], index=pd.Index(names, name="ticker")
    )
    priced = frame["value"].sum(min_count=1)
    frame["weight"] = (
        frame["value"] / priced if priced and priced > 0 else np.where(frame["value"].notna(), 0.0, np.nan)
    )
    frame["target"] = [allocation.get(t, 0.0) / total_w for t in names]
    frame["off_target"] = frame["weight"] - frame["target"]
    frame["gain"] = frame["value"] - frame["cost_basis"]
    frame["gain_pct"] = np.where(frame["cost_basis"] > 0, frame["gain"] / frame["cost_basis"], np.nan)
    return frame[list(HOLDING_COLUMNS)]


@dataclass(frozen=True)
class AccountPath:
    """The journal's account over time, and its returns."""

    value: pd.Series  # on sessions from the first buy
    invested: pd.Series
    flows: pd.Series  # cost of the buys counted on each session
    valued_at: pd.Timestamp | None
    final_value: float
    invested_total: float
    xirr: float
    twr: float


def account_path(buys: Sequence[Buy], closes: pd.DataFrame) -> AccountPath:
    """Value, invested and flows per session, XIRR and TWR (see the module's conventions)."""
    empty = pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="date"))
    if not buys:
        return AccountPath(empty, empty, empty, None, 0.0, 0.0, float("nan"), float("nan"))
    tickers = sorted({b.ticker for b in buys})
    first = pd.Timestamp(min(b.date for b in buys))
    frame = closes.reindex(columns=tickers).sort_index().ffill()
    frame = frame.loc[frame.index >= first] if len(frame) else frame
    invested_total = money(sum(b.cost_cents for b in buys))
    last_buy = pd.Timestamp(max(b.date for b in buys))
    if frame.empty:  # every buy is after the last close: nothing to value them with
        return AccountPath(empty, empty, empty, None, float("nan"), invested_total, float("nan"), float("nan"))
    days = pd.DatetimeIndex(frame.index)
    rows = np.minimum(
        np.searchsorted(days.values, np.array([np.datetime64(b.date, "ns") for b in buys])), len(days) - 1
    )
    held = np.zeros((len(days), len(tickers)))
    flow_cents = np.zeros(len(days), dtype="int64")
    col = {t: j for j, t in enumerate(tickers)}
    for row, b in zip(rows, buys):
        held[row, col[b.ticker]] += b.shares
        flow_cents[row] += b.cost_cents
    held = np.cumsum(held, axis=0)
    prices = frame.to_numpy(dtype="float64")
    market = np.where(held != 0, held * prices, 0.0)
    value = pd.Series(np.where(np.isnan(market).any(axis=1), np.nan, market.sum(axis=1)), index=days, name="value")
    flows = pd.Series(flow_cents / 100, index=days, name="flows")
    invested = pd.Series(np.cumsum(flow_cents) / 100, index=days, name="invested")
    final_value = float(value.iloc[-1])
    valued_at = max(days[-1], last_buy)
    dates = [b.date for b in buys] + [valued_at.date()]
    amounts = [-b.cost for b in buys] + [round(final_value, 2)]
    rate = xirr(dates, amounts) if math.isfinite(final_value) else float("nan")
    return AccountPath(value, invested, flows, valued_at, final_value, invested_total, rate, _twr(value, flows))


def _twr(value: pd.Series, flows: pd.Series) -> float:
    v = value.to_numpy(dtype="float64")
    f = flows.to_numpy(dtype="float64")
    if np.isnan(v).any():
        return float("nan")
    growth = 1.0
    prev = 0.0
    for vt, ft in zip(v, f):
        if prev > 0:
            growth *= (vt - ft) / prev
        elif ft > 0:
            growth *= vt / ft
        prev = vt
    return growth - 1.0
