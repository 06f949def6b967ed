"""The next buy: what to buy on the plan's next scheduled date, given what the journal says is held.

Conventions (``rotation-desk dca PLAN --next`` and the Holdings page's next-buy box):
- The date is the plan's first scheduled session on or after ``as_of``
  (today); the money is that session's contribution (with the plan's step-up,
  and the initial sum when it is the first); None when the plan has no buy
  left.
- The holdings are the journal's buys of the plan's tickers, valued at each
  ticker's last close (``holdings.last_closes``); tickers the plan does not
  hold are not part of the split.
- ``pro-rata``: the money is split by the allocation (largest remainder, to
  the cent). ``to-target``: ``rebalance.to_target_cents`` on those values, the
  rule the backtest uses: buy-only, targets on holdings plus the new money, a
  holding at or above its target gets nothing while any is below, the rest in
  proportion to the shortfall.
- Each order's ``amount`` is the money assigned to it, fee included; the
  amounts add up to the contribution to the cent. Shares: (amount - fee) /
  price at the last close, or the whole shares that fit with whole shares
  (``money.buy_order``); an order that does not cover the fee (or one share
  plus the fee) buys nothing. ``cash_left`` = contribution - what the orders
  cost: the remainder a whole-share plan carries to the next buy.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from rotation_desk.core.dca.buys import Buy
from rotation_desk.core.dca.holdings import LastClose
from rotation_desk.core.dca.money import buy_order, money, split_cents, to_cents
from rotation_desk.core.dca.plan import DcaPlan
from rotation_desk.core.dca.rebalance import to_target_cents
from rotation_desk.core.dca.schedule import Contribution, plan_contributions
from rotation_desk.errors import DataUnavailable


@dataclass(frozen=True)
class Order:
    ticker: str
    amount: float  # money assigned, fee included
    shares: float
    price: float  # the last close the shares are estimated at
    cost: float  # what the shares cost plus the fee (0 when nothing is bought)
    value_before: float  # the holding at the last close
    target: float  # target weight (fraction)


@dataclass(frozen=True)
class NextBuy:
    plan: str
    date: pd.Timestamp
    contribution: float
    rule: str  # pro-rata | to-target
    orders: tuple[Order, ...]
    cash_left: float
    fee: float
    fractional: bool
    valued_at: pd.Timestamp | None  # the oldest of the last closes used

    def to_json_dict(self) -> dict:
        """``date``, ``orders`` [{``ticker``, ``amount``, ``shares``, …}], ``cash_left`` (money to the cent)."""
        return {
            "plan": self.plan,
            "date": f"{self.date:%Y-%m-%d}",
            "contribution": self.contribution,
            "rule": self.rule,
            "orders": [
                {
                    "ticker": o.ticker,
                    "amount": o.amount,
                    "shares": o.shares,
                    "price": o.price,
                    "cost": o.cost,
                    "value_before": round(o.value_before, 2),
                    "target": o.target,
                }
                for o in self.orders
            ],
            "cash_left": self.cash_left,
            "fee": self.fee,
            "fractional": self.fractional,
            "valued_at": None if self.valued_at is None else f"{self.valued_at:%Y-%m-%d}",
        }


def next_contribution(plan: DcaPlan, as_of: dt.date) -> Contribution | None:
    """The plan's first contribution on or after ``as_of`` (None: the plan has ended)."""
    day = pd.Timestamp(as_of)
    return next((c for c in plan_contributions(plan) if c.date >= day), None)


def split_money(plan: DcaPlan, cents: int, values: Sequence[float]) -> list[int]:
    """The plan's rule: cents per plan ticker (sums to ``cents``)."""
    weights = list(plan.allocation.values())
    if plan.rebalance == "to-target":
        return to_target_cents(cents, values, weights)
    return split_cents(cents, weights)


def next_buy(plan: DcaPlan, buys: Sequence[Buy], prices: Mapping[str, LastClose], as_of: dt.date) -> NextBuy | None:
    """The orders for the next scheduled date (see the module's conventions); None when the plan has ended.

    Raises ``DataUnavailable`` naming a plan ticker without a close."""
    missing = [t for t in plan.tickers if t not in prices]
    if missing:
        raise DataUnavailable(f"no price for {', '.join(missing)}: the next buy needs each ticker's last close")
    contribution = next_contribution(plan, as_of)
    if contribution is None:
        return None
    held = {t: math.fsum(b.shares for b in buys if b.ticker == t) for t in plan.tickers}
    values = [held[t] * prices[t].price for t in plan.tickers]
    budgets = split_money(plan, contribution.cents, values)
    fee = to_cents(plan.fee)
    weights = plan.weights
    orders = []
    spent_total = 0
    for t, budget, before in zip(plan.tickers, budgets, values):
        spent, shares = buy_order(budget, fee, prices[t].price, plan.fractional) if budget else (0, 0.0)
        spent_total += spent
        orders.append(Order(t, money(budget), shares, prices[t].price, money(spent), before, weights[t]))
    return NextBuy(
        plan=plan.name,
        date=contribution.date,
        contribution=contribution.amount,
        rule=plan.rebalance,
        orders=tuple(orders),
        cash_left=money(contribution.cents - spent_total),
        fee=plan.fee,
        fractional=plan.fractional,
        valued_at=min(prices[t].date for t in plan.tickers),
    )
