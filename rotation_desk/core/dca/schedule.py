"""The forward DCA schedule: buy dates on the NYSE calendar and the amounts per ticker (``exports`` has its files).

Conventions (the backtest uses the same dates and amounts):
- Dates are XNYS sessions. A date that is not a session rolls forward to the
  next session, or back to the previous one with ``roll: previous-session``
  (payroll dates: the money is there on the last business day before).
- monthly: ``first-session`` / ``last-session`` of each calendar month;
  ``day:N`` is day N clipped to the month's last calendar day, then rolled to
  the next session (``day:31`` in February -> 28/29 Feb -> next session).
- quarterly: calendar quarters. ``first-session`` / ``last-session`` of the
  quarter; ``day:N`` is day N of the quarter's first month (Jan/Apr/Jul/Oct).
- weekly: the anchor weekday of every week, starting with the first such
  weekday on or after ``start``; biweekly: every second week from that first
  anchor date. A holiday moves that buy to the next (or previous) session.
- ``every: N`` takes every N-th period counted from the start: every N weeks
  (weekly), N fortnights (biweekly), N months from the start's month
  (monthly) or N quarters from the start's quarter (quarterly).
- Months/quarters/weeks whose buy session falls before ``start`` are skipped;
  the plan stops after ``end`` (sessions after it are dropped) or after
  ``count`` regular contributions.
- Step-up: the contribution of plan year k (k = whole years since ``start``,
  anniversaries on the same month/day) is contribution x (1 + step_up_pct/100)^k,
  rounded to the cent once (not compounded from rounded amounts).
- ``initial`` is invested on the first session on or after ``start``; if a
  regular buy falls on that session the two are one buy. ``count`` counts
  regular contributions only.
- Amounts are cents (see ``money``): each buy is split across the
  allocation by largest remainder, so the per-ticker amounts add up to the
  contribution exactly. A ``to-target`` plan's forward schedule shows the
  target split (the holdings it will top up are not known in advance).
- Estimated shares use the latest price and the backtest's order rule: the
  fee comes out of the amount; whole shares carry each ticker's unspent
  remainder to that ticker's next buy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotation_desk.core import calendar as nyse
from rotation_desk.core.dca.money import buy_order, money, split_cents, to_cents
from rotation_desk.core.dca.plan import MAX_TOTAL, DcaPlan, PlanError, PlanIssue
from rotation_desk.errors import BadInput

SCHEDULE_COLUMNS = ("date", "ticker", "amount", "est_shares", "running_total")
MAX_TOTAL_CENTS = round(MAX_TOTAL * 100)


@dataclass(frozen=True)
class Contribution:
    """Money paid in on one session: the regular contribution (with step-up) plus any initial lump."""

    date: pd.Timestamp
    regular: int  # cents
    initial: int  # cents
    plan_year: int

    @property
    def cents(self) -> int:
        return self.regular + self.initial

    @property
    def amount(self) -> float:
        return money(self.cents)


def plan_years(start: dt.date, days: pd.DatetimeIndex) -> list[int]:
    """Whole years from ``start`` to each of ``days`` (the anniversary itself starts the next year)."""
    month_day = days.month.to_numpy() * 100 + days.day.to_numpy()
    years = days.year.to_numpy() - start.year - (month_day < start.month * 100 + start.day)
    return np.maximum(years, 0).tolist()


def contribution_cents(plan: DcaPlan, year: int) -> int:
    """The regular contribution of plan year ``year`` (0-based), in cents."""
    amount = plan.contribution * (1.0 + plan.step_up_pct / 100.0) ** year
    if not amount <= MAX_TOTAL:
        raise _too_much(plan, f"the contribution grows to {amount:,.0f} in plan year {year + 1}")
    return to_cents(amount)


def _too_much(plan: DcaPlan, what: str) -> PlanError:
    field = "step_up_pct" if plan.step_up_pct else "contribution"
    return PlanError(
        [PlanIssue(field, f"{what}; a plan may pay in at most {MAX_TOTAL:,.0f} in all (the money code's range)")]
    )


def _period_targets(plan: DcaPlan):
    """Endless increasing buy sessions of a monthly or quarterly plan, from start's month/quarter."""
    span = 1 if plan.frequency == "monthly" else 3  # the months of one period
    step = span * plan.every
    year, month = plan.start.year, plan.start.month
    if span == 3:
        month = nyse.quarter_first_month(month)
    day_n = plan.day_of_month
    previous = plan.roll == "previous-session"
    while True:
        if plan.anchor == "first-session":
            yield nyse.first_session_of_month(year, month)
        elif plan.anchor == "last-session":
            last_year, last_month = year + (month + span - 2) // 12, (month + span - 2) % 12 + 1
            yield nyse.last_session_of_month(last_year, last_month)
        else:
            yield nyse.day_of_month_session(year, month, day_n, previous=previous)
        month += step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1


WEEK_CHUNK = 256  # weekly targets rolled to sessions this many at a time (one searchsorted each)


def _week_targets(plan: DcaPlan):
    """Endless buy sessions of a weekly or biweekly plan, ``WEEK_CHUNK`` at a time (``datetime64[D]``
    arrays; ``NaT`` past the calendar)."""
    step = np.timedelta64((7 if plan.frequency == "weekly" else 14) * plan.every, "D")
    first = np.datetime64(nyse.weekday_on_or_after(plan.start, plan.anchor).date(), "D")
    previous = plan.roll == "previous-session"
    k = 0
    while True:
        yield nyse.roll_days(first + np.arange(k, k + WEEK_CHUNK) * step, previous)
        k += WEEK_CHUNK


def _period_chunks(plan: DcaPlan):
    """``_period_targets`` as one-element ``datetime64[D]`` arrays (the calendar raises past its end)."""
    for session in _period_targets(plan):
        yield np.array([session.date()], dtype="datetime64[D]")


def _day(value) -> np.datetime64:
    return np.datetime64(pd.Timestamp(value).date(), "D")


def buy_dates(plan: DcaPlan, until: dt.date | pd.Timestamp | None = None) -> pd.DatetimeIndex:
    """The regular buy sessions of the plan, bounded by end or count (and by ``until`` if given).

    The targets come in increasing chunks (rolling to a session keeps their order); each chunk is
    filtered at once: before the start dropped, past the end or ``until`` the last, a target rolled
    onto the session of the one before it dropped, and at most ``count``."""
    start = _day(plan.start)
    bounds = [_day(d) for d in (plan.end, until) if d is not None]
    bound = min(bounds) if bounds else None
    weekly = plan.frequency in ("weekly", "biweekly")
    out: list[np.ndarray] = []
    taken, last = 0, np.datetime64("NaT", "D")
    try:
        for chunk in _week_targets(plan) if weekly else _period_chunks(plan):
            nat = np.isnat(chunk)
            past_calendar = bool(nat.any())
            if past_calendar:
                chunk = chunk[: int(np.argmax(nat))]
            done = False
            if bound is not None and len(chunk) and chunk[-1] > bound:
                chunk, done = chunk[: int(np.searchsorted(chunk, bound, side="right"))], True
            chunk = chunk[chunk >= start]
            if len(chunk):
                previous = np.concatenate(([last], chunk[:-1]))
                chunk = chunk[np.isnat(previous) | (chunk > previous)]
            if plan.count is not None and taken + len(chunk) >= plan.count:
                chunk, done = chunk[: plan.count - taken], True
            if len(chunk):
                out.append(chunk)
                taken, last = taken + len(chunk), chunk[-1]
            if done:
                break
            if past_calendar:
                raise BadInput("a buy date is outside the trading calendar")
    except BadInput:
        field = "end" if plan.end is not None else "count"
        raise PlanError(
            [PlanIssue(field, f"the schedule runs past {nyse.CALENDAR_END:%Y-%m-%d}, the end of the trading calendar")]
        ) from None
    days = np.concatenate(out) if out else np.array([], dtype="datetime64[D]")
    return pd.DatetimeIndex(days.astype("datetime64[ns]"), name="date")


@dataclass(frozen=True)
class ContributionArrays:
    """``plan_contributions`` as arrays (one entry per session with money paid in, in date order), for the
    backtest: no object per buy."""

    dates: np.ndarray  # datetime64[ns]
    regular: np.ndarray  # int64 cents (with step-up)
    initial: np.ndarray  # int64 cents
    plan_year: np.ndarray  # int64

    @property
    def cents(self) -> np.ndarray:
        return self.regular + self.initial

    def __len__(self) -> int:
        return len(self.dates)


def contribution_arrays(plan: DcaPlan, until: dt.date | pd.Timestamp | None = None) -> ContributionArrays:
    """Every session with money paid in, as arrays; the rules and errors of ``plan_contributions``."""
    dates = buy_dates(plan, until)
    if until is None and len(dates) == 0:
        raise PlanError(
            [
                PlanIssue(
                    "end",
                    f"no buy date between {plan.start.isoformat()} and {plan.end} (anchor {plan.anchor})",
                )
            ]
        )
    years = np.asarray(plan_years(plan.start, dates), dtype="int64")
    unique, counts = np.unique(years, return_counts=True)  # one power per plan year, not per buy
    cents_of = [contribution_cents(plan, int(y)) for y in unique]
    total = sum(c * int(n) for c, n in zip(cents_of, counts))
    regular = np.asarray(cents_of, dtype="int64")[np.searchsorted(unique, years)]
    days = dates.values.astype("datetime64[ns]")
    initial = np.zeros(len(days), dtype="int64")
    if plan.initial > 0:
        first = nyse.next_session(plan.start)  # on or before every regular buy (they are sessions >= start)
        if until is None or first <= pd.Timestamp(until):
            cents = to_cents(plan.initial)
            total += cents
            at = np.datetime64(first.to_datetime64(), "ns")
            if len(days) and days[0] == at:
                initial[0] = cents
                years[0] = 0
            else:
                days = np.concatenate(([at], days))
                regular = np.concatenate(([0], regular))
                initial = np.concatenate(([cents], initial))
                years = np.concatenate(([0], years))
    if total > MAX_TOTAL_CENTS:
        raise _too_much(plan, f"the plan pays in {money(total):,.2f}")
    return ContributionArrays(days, regular, initial, years)


def plan_contributions(plan: DcaPlan, until: dt.date | pd.Timestamp | None = None) -> list[Contribution]:
    """Every session with money paid in, in date order (regular buys with step-up, plus the initial lump).

    A plan with no buy session at all raises ``PlanError`` (field ``end``), and
    so does one that pays in more than ``MAX_TOTAL`` (field ``contribution``, or
    ``step_up_pct`` when it steps up); with ``until`` (a backtest's data limit)
    the list may be empty.
    """
    a = contribution_arrays(plan, until)
    return [
        Contribution(d, r, i, y)
        for d, r, i, y in zip(
            pd.DatetimeIndex(a.dates, name="date"), a.regular.tolist(), a.initial.tolist(), a.plan_year.tolist()
        )
    ]


def schedule_issues(plan: DcaPlan) -> list[PlanIssue]:
    """Problems only the calendar can find (no buy session in the window, a plan past the calendar)."""
    try:
        plan_contributions(plan)
    except PlanError as exc:
        return list(exc.issues)
    return []


def split_contribution(plan: DcaPlan, cents: int) -> dict[str, int]:
    """Per-ticker cents of one buy (largest remainder over the allocation; sums to ``cents``)."""
    return dict(zip(plan.tickers, split_cents(cents, list(plan.allocation.values()))))


def schedule_frame(plan: DcaPlan, latest_prices: Mapping[str, float] | None = None) -> pd.DataFrame:
    """One row per buy date and ticker: date, ticker, amount, est_shares, running_total.

    ``est_shares`` is at the latest price (NaN when the ticker has none);
    whole numbers when the plan buys whole shares. ``running_total`` is the
    cumulative money paid in, row by row.
    """
    prices = {str(k).upper(): float(v) for k, v in (latest_prices or {}).items() if v is not None}
    fee = to_cents(plan.fee)
    carry = {t: 0 for t in plan.tickers}
    rows = []
    total = 0
    for c in plan_contributions(plan):
        for ticker, cents in split_contribution(plan, c.cents).items():
            if cents == 0:
                continue
            total += cents
            price = prices.get(ticker, float("nan"))
            if np.isfinite(price) and price > 0:
                budget = carry[ticker] + cents
                spent, shares = buy_order(budget, fee, price, plan.fractional)
                carry[ticker] = budget - spent
            else:
                shares = float("nan")
            rows.append((c.date, ticker, money(cents), shares, money(total)))
    frame = pd.DataFrame(rows, columns=list(SCHEDULE_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    frame["ticker"] = frame["ticker"].astype("str")
    for col in ("amount", "est_shares", "running_total"):
        frame[col] = frame[col].astype("float64")
    frame.attrs["fractional"] = bool(plan.fractional)
    return frame


@dataclass(frozen=True)
class ScheduleSummary:
    """Totals of a schedule: number of buy dates, money paid in, per-ticker totals."""

    buys: int
    orders: int
    total_invested: float
    per_ticker: dict[str, float]
    first: pd.Timestamp | None
    last: pd.Timestamp | None


def schedule_summary(frame: pd.DataFrame) -> ScheduleSummary:
    """Summarise a ``schedule_frame`` (totals are summed in cents, so they are exact)."""
    if frame.empty:
        return ScheduleSummary(0, 0, 0.0, {}, None, None)
    cents = (frame["amount"] * 100).round().astype("int64")
    per = cents.groupby(frame["ticker"], sort=False).sum()
    return ScheduleSummary(
        buys=int(frame["date"].nunique()),
        orders=len(frame),
        total_invested=money(int(cents.sum())),
        per_ticker={str(t): money(int(v)) for t, v in per.items()},
        first=pd.Timestamp(frame["date"].iloc[0]),
        last=pd.Timestamp(frame["date"].iloc[-1]),
    )
