"""The journal against its plan: each scheduled buy on time, late, short or missed, how far behind the plan is,
and the plan's simulated account beside the real one.

Conventions:
- Scheduled buys are the plan's contributions (``schedule.plan_contributions``)
  on or before ``as_of``. Each owns the journal's buys from its date up to the
  next scheduled date (buys before the first date belong to the first): its
  ``bought`` is what they cost, fees included.
- Status: ``missed`` when it owns no buy; ``late`` when its first buy is
  after the scheduled session (``sessions_late`` NYSE sessions, ``days_late``
  calendar days); ``short`` when what was bought falls short of the planned
  amount by more than the tolerance; else ``on time``. The tolerance is 1 % of
  the planned amount (at least 1.00), or, for a plan of whole shares, the
  price of the dearest share of its tickers at that date (what a remainder
  carried to the next buy can reach).
- Behind plan = money planned up to ``as_of`` - money the journal's buys cost
  up to ``as_of`` (negative: ahead of plan).
- The plan's simulated account is the backtest of the plan from its start to
  the valuation date (``backtest.run_backtest``, no benchmark): the same
  closes, buying at each scheduled session's close.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotation_desk.core import calendar as nyse
from rotation_desk.core.dca.backtest import run_backtest
from rotation_desk.core.dca.buys import Buy
from rotation_desk.core.dca.holdings import AccountPath, account_path, holdings_frame, last_closes
from rotation_desk.core.dca.money import money
from rotation_desk.core.dca.next_buy import NextBuy, next_buy
from rotation_desk.core.dca.plan import DcaPlan, PlanError
from rotation_desk.core.dca.schedule import plan_contributions
from rotation_desk.errors import RotationDeskError

PERIOD_COLUMNS = ("date", "planned", "bought", "first_buy", "status", "sessions_late", "days_late", "short_by")
TOLERANCE = 0.01
MIN_TOLERANCE = 1.0


def buy_periods(plan: DcaPlan, buys: Sequence[Buy], as_of: dt.date, closes: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per scheduled buy up to ``as_of``: ``PERIOD_COLUMNS`` (see the module's conventions)."""
    day = pd.Timestamp(as_of)
    schedule = plan_contributions(plan)
    due = [c for c in schedule if c.date <= day]
    later = [c.date for c in schedule if c.date > day]
    bounds = [c.date for c in due[1:]] + ([later[0]] if later else [pd.Timestamp.max])
    dated = sorted(buys, key=lambda b: (b.date, b.id or 0))
    rows = []
    for k, (c, upto) in enumerate(zip(due, bounds)):
        owned = [b for b in dated if pd.Timestamp(b.date) < upto and (k == 0 or pd.Timestamp(b.date) >= c.date)]
        cents = sum(b.cost_cents for b in owned)
        first = pd.Timestamp(owned[0].date) if owned else pd.NaT
        planned = c.amount
        short = max(planned - money(cents), 0.0)
        if not owned:
            status, sessions, days = "missed", np.nan, np.nan
        else:
            sessions = _sessions_late(c.date, first)
            days = max((first - c.date).days, 0)
            status = "late" if first > c.date else "on time"
        if owned and status == "on time" and short > _tolerance(plan, c.date, planned, closes):
            status = "short"
        rows.append((c.date, planned, money(cents), first, status, sessions, days, round(short, 2)))
    frame = pd.DataFrame(rows, columns=list(PERIOD_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    frame["first_buy"] = pd.to_datetime(frame["first_buy"]).astype("datetime64[ns]")
    return frame


def _sessions_late(scheduled: pd.Timestamp, first: pd.Timestamp) -> float:
    if first <= scheduled:
        return 0.0
    try:
        return float(len(nyse.sessions_between(scheduled, first)) - 1)
    except RotationDeskError:  # a trade date outside the trading calendar
        return float("nan")


def _tolerance(plan: DcaPlan, day: pd.Timestamp, planned: float, closes: pd.DataFrame | None) -> float:
    base = max(planned * TOLERANCE, MIN_TOLERANCE)
    if plan.fractional or closes is None:
        return base
    cols = [t for t in plan.tickers if t in closes.columns]
    if not cols:
        return base
    upto = closes.loc[:day, cols].ffill()
    dearest = float(upto.iloc[-1].max()) if len(upto) else float("nan")
    return max(base, dearest + plan.fee) if np.isfinite(dearest) else base


def behind_plan(plan: DcaPlan, buys: Sequence[Buy], as_of: dt.date) -> tuple[float, float, float]:
    """(planned so far, bought so far, planned - bought) up to ``as_of``, to the cent."""
    day = pd.Timestamp(as_of)
    planned = sum(c.cents for c in plan_contributions(plan) if c.date <= day)
    bought = sum(b.cost_cents for b in buys if pd.Timestamp(b.date) <= day)
    return money(planned), money(bought), money(planned - bought)


def describe_behind(gap: float) -> str:
    """ "behind plan by $1,000.00" / "ahead of plan by $12.50" / "on plan"."""
    if abs(gap) < 0.005:
        return "on plan"
    return f"{'behind' if gap > 0 else 'ahead of'} plan by ${abs(gap):,.2f}"


@dataclass(frozen=True)
class Standing:
    """Everything the Holdings page shows for one plan's journal."""

    plan: DcaPlan
    as_of: dt.date
    buys: tuple[Buy, ...]
    holdings: pd.DataFrame  # ``holdings.HOLDING_COLUMNS``
    path: AccountPath
    periods: pd.DataFrame  # ``PERIOD_COLUMNS``
    planned: float
    bought: float
    behind: float
    plan_value: pd.Series | None  # the simulated plan account over time
    plan_invested: pd.Series | None
    plan_error: str | None
    next: NextBuy | None
    next_error: str | None
    unpriced: tuple[str, ...]  # tickers bought that have no close in the store

    @property
    def value(self) -> float:
        return float(self.holdings["value"].sum(min_count=1)) if len(self.holdings) else 0.0

    @property
    def invested(self) -> float:
        return self.path.invested_total

    @property
    def off_plan(self) -> pd.DataFrame:
        """The scheduled buys that were missed, late or short."""
        return self.periods[self.periods["status"] != "on time"]


def standing(plan: DcaPlan, buys: Sequence[Buy], closes: pd.DataFrame, as_of: dt.date) -> Standing:
    """The journal of ``plan`` against it, valued on ``closes`` (the plan's and the bought tickers')."""
    buys = tuple(sorted(buys, key=lambda b: (b.date, b.id or 0)))
    names = list(dict.fromkeys(list(plan.tickers) + [b.ticker for b in buys]))
    prices = last_closes(closes, names)
    unpriced = tuple(t for t in dict.fromkeys(b.ticker for b in buys) if t not in prices)
    holdings = holdings_frame(buys, plan.allocation, prices)
    path = account_path(buys, closes)
    periods = buy_periods(plan, buys, as_of, closes)
    planned, bought, behind = behind_plan(plan, buys, as_of)
    plan_value = plan_invested = None
    plan_error = None
    try:
        missing = [t for t in plan.tickers if t not in prices]
        if missing:
            raise RotationDeskError(f"no prices for {', '.join(missing)}")
        end = min(pd.Timestamp(as_of), min(prices[t].date for t in plan.tickers))
        result = run_backtest(plan, closes, start=plan.start, end=end, benchmark=None)
        plan_value, plan_invested = result.value_series, result.invested_series
    except (RotationDeskError, ValueError) as exc:
        plan_error = str(exc) if not isinstance(exc, PlanError) else "; ".join(str(i) for i in exc.issues)
    nxt, next_error = None, None
    try:
        nxt = next_buy(plan, buys, prices, as_of)
        if nxt is None:
            next_error = "the plan has no buy left after this date"
    except RotationDeskError as exc:
        next_error = str(exc)
    return Standing(
        plan, as_of, buys, holdings, path, periods, planned, bought, behind,
        plan_value, plan_invested, plan_error, nxt, next_error, unpriced,
    )  # fmt: skip
