"""A buy a person really made (one row of the DCA journal) and what a buy may hold.

Conventions:
- A buy is a date (YYYY-MM-DD, 1900-2100; the trade date, which need not be an
  NYSE session: the journal records what the broker says), a ticker
  (``core.tickers``), shares above 0, a price per share above 0, a fee of 0 or
  more and a note (one line). Sells are not journal rows.
- Its cost is the money it took: shares x price rounded to the cent (half-up,
  as ``money.to_cents``), plus the fee. The cost basis of a holding is the sum
  of its buys' costs, fees included.
- ``buy_problems`` lists what is wrong with a buy, one "field: message" each;
  every way into the journal (the command line, a CSV import, the window, a row
  read back from the database) goes through it, so a damaged row is named,
  never used and never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass

from rotation_desk.core.dates import FIRST_DAY, LAST_DAY
from rotation_desk.core.dca.money import money, to_cents
from rotation_desk.core.dca.plan import MAX_AMOUNT, MAX_TOTAL
from rotation_desk.core.tickers import is_ticker, normalize

MAX_SHARES = 1e9
MAX_PRICE = 1e12
MAX_FEE = MAX_AMOUNT
MAX_NOTE = 500
FIELDS = ("date", "ticker", "shares", "price", "fee", "note")


@dataclass(frozen=True)
class Buy:
    """One executed buy. ``id`` is the journal row's number (None before it is stored)."""

    date: dt.date
    ticker: str
    shares: float
    price: float
    fee: float = 0.0
    note: str = ""
    id: int | None = None
    source: str = "manual"

    @property
    def cost_cents(self) -> int:
        return to_cents(self.shares * self.price) + to_cents(self.fee)

    @property
    def cost(self) -> float:
        return money(self.cost_cents)

    def describe(self) -> str:
        """``2026-12-01 VBR 2 @ 201.37 (+1.00 fee)``: how a message names the buy."""
        fee = f" (+{self.fee:.2f} fee)" if self.fee else ""
        return f"{self.date:%Y-%m-%d} {self.ticker} {self.shares:g} @ {self.price:.2f}{fee}"

    def same_trade(self, other: Buy) -> bool:
        """The same date, ticker, shares, price and fee (the note and the row number aside)."""
        return (self.date, self.ticker, self.shares, self.price, self.fee) == (
            other.date,
            other.ticker,
            other.shares,
            other.price,
            other.fee,
        )


def _number(name: str, value: object, low: float, high: float, zero_ok: bool, problems: list[str]) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append(f"{name}: {value!r:.40} is not a number")
    elif not math.isfinite(value):
        problems.append(f"{name}: {value} is not a finite number")
    elif value < 0 or (value == 0 and not zero_ok):
        problems.append(f"{name}: must be {'0 or more' if zero_ok else 'greater than 0'}, got {value:g}")
    elif value > high:
        problems.append(f"{name}: must be at most {high:,.0f}, got {value:g}")
    elif 0 < value < low:
        problems.append(f"{name}: {value:g} is too small (at least {low:g})")


def note_problem(note: object) -> str | None:
    """Why ``note`` cannot be a buy's note (None: it can)."""
    if not isinstance(note, str):
        return f"{note!r:.40} is not text"
    if len(note) > MAX_NOTE:
        return f"is {len(note):,} characters long; a note has at most {MAX_NOTE}"
    if any(unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") for c in note):
        return "must be one line of text (no line breaks, tabs or control characters)"
    return None


def buy_problems(buy: Buy) -> list[str]:
    """Every problem of ``buy`` as "field: message" (empty: the buy is sound)."""
    problems: list[str] = []
    if not isinstance(buy.date, dt.date) or isinstance(buy.date, dt.datetime):
        problems.append(f"date: {buy.date!r:.40} is not a date")
    elif not FIRST_DAY <= buy.date <= LAST_DAY:
        problems.append(f"date: {buy.date} is outside the supported range {FIRST_DAY} to {LAST_DAY}")
    if not is_ticker(buy.ticker) or buy.ticker != normalize(buy.ticker):
        problems.append(f"ticker: {buy.ticker!r:.40} is not a ticker symbol")
    _number("shares", buy.shares, 1e-9, MAX_SHARES, False, problems)
    _number("price", buy.price, 1e-9, MAX_PRICE, False, problems)
    _number("fee", buy.fee, 0.01, MAX_FEE, True, problems)
    problem = note_problem(buy.note)
    if problem:
        problems.append(f"note: {problem}")
    if not problems and buy.shares * buy.price > MAX_TOTAL:
        problems.append(f"shares: the buy costs {buy.shares * buy.price:,.0f}, more than {MAX_TOTAL:,.0f}")
    return problems
