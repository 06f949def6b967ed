"""The Holdings page's figures and the buys the window enters (Qt-free, tested without a window).

Everything shown comes from the core's journal functions, the same ones
``rotation-desk journal list`` and ``rotation-desk dca PLAN --next`` use:
``tracking.standing`` (holdings, the account over time, XIRR, TWR, the
scheduled buys on time / late / short / missed, behind plan, the plan's
simulated account, the next buy). This module reads no database and touches
no widget: the journal rows and the closes are read on the GUI thread
(``gather``) and handed in.

- A journal with a damaged row computes nothing (``JournalRead.require_sound``,
  as ``dca --next``): a figure of part of the holdings would be wrong. The rows
  are still listed, so the damaged one can be deleted.
- ``prefill``: what "Mark as bought" puts in the buy dialog for a scheduled
  row: the row's date and ticker, that session's adjusted close (the last
  close before it when the date has no close yet: then ``estimated``), the
  plan's fee, and the shares the row's amount buys there (``money.buy_order``,
  whole shares for a whole-share plan).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from rotation_desk.core.dca.buys import FIELDS, Buy
from rotation_desk.core.dca.money import buy_order, money, to_cents
from rotation_desk.core.dca.plan import DcaPlan
from rotation_desk.core.dca.tracking import Standing, describe_behind, standing
from rotation_desk.data.journal_csv import REQUIRED, column_key
from rotation_desk.data.journal_rows import JournalRead, JournalRow
from rotation_desk.errors import Cancelled, EnvironmentProblem

SHARE_DIGITS = 6  # shares a prefilled fractional buy is rounded to


@dataclass(frozen=True)
class HoldingsInputs:
    plan: DcaPlan
    journal_name: str  # the plan's name as the journal stores it (``Journal.resolve_plan``)
    rows: tuple[JournalRow, ...]
    closes: pd.DataFrame  # the plan's and the bought tickers' adjusted closes
    as_of: dt.date


@dataclass(frozen=True)
class HoldingsOutputs:
    inputs: HoldingsInputs
    standing: Standing | None  # None: no buys yet, or ``error``
    error: str | None = None

    @property
    def rows(self) -> tuple[JournalRow, ...]:
        return self.inputs.rows

    @property
    def empty(self) -> bool:
        return not self.inputs.rows


def compute_holdings(inputs: HoldingsInputs | None, cancelled: Callable[[], bool] = lambda: False):
    """The plan's standing from its journal (None when there is no valid plan)."""
    if inputs is None:
        return None
    read = JournalRead(inputs.rows)
    if not read.rows:
        return HoldingsOutputs(inputs, None)
    try:
        buys = read.require_sound("the Holdings page")
    except EnvironmentProblem as exc:
        return HoldingsOutputs(inputs, None, str(exc))
    if cancelled():
        raise Cancelled
    return HoldingsOutputs(inputs, standing(inputs.plan, buys, inputs.closes, inputs.as_of))


# -- what the page shows ------------------------------------------------------------------------


def holdings_table(s: Standing) -> pd.DataFrame:
    """One row per ticker: ``HOLDING_COLUMNS`` plus the average cost per share."""
    h = s.holdings.reset_index()
    h["avg_cost"] = h["cost_basis"] / h["shares"].where(h["shares"] > 0)
    return h


def plan_series(s: Standing) -> dict[str, pd.Series]:
    """The chart's lines: the real account's value and money paid in, the plan's simulated value."""
    out = {"Your holdings": s.path.value, "You invested": s.path.invested}
    if s.plan_value is not None:
        out["Plan (simulated)"] = s.plan_value
        out["Plan invested"] = s.plan_invested
    return out


def status_text(row) -> str:
    """ "missed" / "late by 3 sessions (5 days)" / "short by $12.00" for one scheduled buy."""
    if row.status == "late":
        n = int(row.sessions_late) if pd.notna(row.sessions_late) else None
        sessions = f"{n} session{'s' if n != 1 else ''}" if n is not None else "some sessions"
        extra = f", {money_text(row.short_by)} short" if row.short_by >= 0.005 else ""
        return f"late by {sessions} ({int(row.days_late)} days){extra}"
    if row.status == "short":
        return f"short by {money_text(row.short_by)}"
    return str(row.status)


def off_plan_table(s: Standing) -> pd.DataFrame:
    """The missed, late and short scheduled buys, newest first, with a readable status."""
    off = s.off_plan.copy()
    off["what"] = [status_text(r) for r in off.itertuples()]
    return off.sort_values("date", ascending=False).reset_index(drop=True)


def off_plan_line(s: Standing, n_off: int) -> str:
    if not n_off:
        return "Every scheduled buy so far was made on time."
    return (
        f"{n_off} of the {len(s.periods)} scheduled buys up to {s.as_of:%Y-%m-%d} were missed, late or short "
        "(newest first). A scheduled buy owns the buys from its date to the next one."
    )


def share_digits(shares: pd.Series) -> int:
    """0 when every number of shares is whole (a whole-share plan), else 4."""
    values = shares.dropna().astype("float64")
    return 0 if len(values) and bool(((values - values.round()).abs() < 1e-9).all()) else 4


def price_digits(prices: pd.Series) -> int:
    """2 when every price is in cents, else 4 (a broker's fill at 188.4125)."""
    values = prices.dropna().astype("float64")
    return 2 if bool(((values * 100 - (values * 100).round()).abs() < 1e-6).all()) else 4


def standing_line(s: Standing) -> str:
    """ "Behind plan by $1,000.00: 12 buys scheduled up to 2026-12-01 (planned $6,000.00, bought $5,000.00); 2
    missed, 1 late." """
    counts = s.periods["status"].value_counts()
    parts = [f"{int(counts[k])} {k}" for k in ("missed", "late", "short") if counts.get(k, 0)]
    head = describe_behind(s.behind)
    head = head[0].upper() + head[1:]
    n = len(s.periods)
    tail = "; " + ", ".join(parts) if parts else ("; every one on time" if n else "")
    return (
        f"{head}: {n} buy{'s' if n != 1 else ''} scheduled up to {s.as_of:%Y-%m-%d} "
        f"(planned {money_text(s.planned)}, bought {money_text(s.bought)}){tail}."
    )


ORDER_COLUMNS = ["ticker", "amount", "shares", "price", "cost", "value_before", "target"]


def next_buy_table(s: Standing) -> pd.DataFrame:
    """The next buy's orders exactly as ``rotation-desk dca PLAN --next --format json`` gives them."""
    if s.next is None:
        return pd.DataFrame(columns=ORDER_COLUMNS)
    return pd.DataFrame(s.next.to_json_dict()["orders"], columns=ORDER_COLUMNS)


def next_buy_line(s: Standing) -> str:
    n = s.next
    if n is None:
        return f"Next buy: none ({s.next_error})."
    rule = "split by the allocation" if n.rule == "pro-rata" else "to the holdings below target (buy-only)"
    cash = f"; cash left {money_text(n.cash_left)}"
    if not n.fractional and n.cash_left:
        cash += " (carried to the next buy)"
    fee = f"; fee {money_text(n.fee)} per order" if n.fee else ""
    return (
        f"Next buy {n.date:%Y-%m-%d}: {money_text(n.contribution)}, {rule}{fee}{cash}. "
        f"Holdings valued at the {n.valued_at:%Y-%m-%d} close."
    )


def journal_table(rows: Sequence[JournalRow]) -> pd.DataFrame:
    """Every row as ``rotation-desk journal list`` lists it (a damaged one with its problem)."""
    out = []
    for r in rows:
        b = r.buy
        if b is None:
            out.append({"id": r.id, "date": None, "ticker": "", "shares": None, "price": None, "fee": None,
                        "cost": None, "note": f"DAMAGED: {r.problem}"})  # fmt: skip
        else:
            out.append({"id": r.id, "date": f"{b.date:%Y-%m-%d}", "ticker": b.ticker, "shares": b.shares,
                        "price": b.price, "fee": b.fee, "cost": b.cost, "note": b.note})  # fmt: skip
    return pd.DataFrame(out, columns=["id", "date", "ticker", "shares", "price", "fee", "cost", "note"])


def money_text(value: float) -> str:
    return f"${value:,.2f}" if value >= 0 else f"-${-value:,.2f}"


# -- entering buys -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Prefill:
    buy: Buy
    price_date: pd.Timestamp | None  # the close the price is from
    estimated: bool  # the date has no close yet: the price is the last one before it


def prefill(plan: DcaPlan, day, ticker: str, amount: float, closes: pd.DataFrame) -> Prefill:
    """The buy dialog's values for a scheduled row (see the module's conventions)."""
    day = pd.Timestamp(day)
    price, price_date = float("nan"), None
    if ticker in closes.columns:
        col = closes[ticker].dropna()
        col = col[col.index <= day] if len(col) and col.index[0] <= day else col.iloc[:0]
        if len(col):
            price, price_date = float(col.iloc[-1]), pd.Timestamp(col.index[-1])
    shares = 0.0
    if price_date is not None:
        _, shares = buy_order(to_cents(amount), to_cents(plan.fee), price, plan.fractional)
        shares = round(shares, SHARE_DIGITS) if plan.fractional else shares
    buy = Buy(day.date(), ticker, shares, price, plan.fee, "scheduled buy")
    return Prefill(buy, price_date, price_date is not None and price_date < day)


def guess_mapping(header: Sequence[str], remembered: Mapping[str, str] | None = None) -> dict[str, str]:
    """{field: column} to start the mapping dialog with: the remembered mapping's columns that the file has,
    then the columns named like the field or a common broker name for it."""
    keys = {column_key(h): h for h in header}
    out: dict[str, str] = {}
    for field, column in (remembered or {}).items():
        if field in FIELDS and column_key(column) in keys:
            out[field] = keys[column_key(column)]
    for field in FIELDS:
        if field in out:
            continue
        for name in (field, *SYNONYMS.get(field, ())):
            if name in keys and keys[name] not in out.values():
                out[field] = keys[name]
                break
    return out


SYNONYMS = {
    "date": ("trade_date", "settlement_date", "run_date", "transaction_date", "executed"),
    "ticker": ("symbol", "instrument", "security"),
    "shares": ("quantity", "qty", "units", "amount_of_shares"),
    "price": ("price_per_share", "unit_price", "execution_price", "fill_price", "avg_price"),
    "fee": ("commission", "fees", "commissions"),
    "note": ("description", "comment", "memo"),
}


def needs_mapping(header: Sequence[str]) -> bool:
    """The file does not name every required column itself (date, ticker, shares, price)."""
    keys = {column_key(h) for h in header}
    return not all(f in keys for f in REQUIRED)


def mapping_applies(header: Sequence[str], mapping: Mapping[str, str]) -> bool:
    """Every column ``mapping`` names is in ``header`` and every required field is mapped or named."""
    keys = {column_key(h) for h in header}
    if not all(column_key(c) in keys for c in mapping.values()):
        return False
    return all(f in mapping or f in keys for f in REQUIRED)


def cost_text(shares: float, price: float, fee: float) -> str:
    """ "Cost $1,000.00 (999.00 + 1.00 fee)" for the buy dialog."""
    base = money(to_cents(shares * price))
    total = base + money(to_cents(fee))
    return f"Cost {money_text(total)}" + (f" ({base:,.2f} + {fee:,.2f} fee)" if fee else "")
