"""Money rules shared by the DCA schedule and backtest: cents, splits and buy orders.

Conventions:
- Money is kept as integer cents. A float amount is rounded to the cent
  half-up on its shortest decimal form (``2.675`` -> ``2.68``, ``-2.675`` ->
  ``-2.68``), i.e. the way a person rounds the number they see.
- A split of an amount across weights is a largest-remainder split: each part
  gets the floor of its exact share in cents and the leftover cents go one
  each to the largest fractional remainders (ties: the first listed). The
  parts always add up to the amount exactly.
- A buy order with ``budget`` cents and a fee per order: nothing is bought
  (and no fee charged) when the budget does not exceed the fee, or, with
  whole shares, when it does not pay for one share plus the fee. Fractional:
  the whole budget is spent, ``(budget - fee) / price`` shares. Whole
  shares: ``floor((budget - fee) / price)`` shares, cost rounded to the cent;
  what is left stays cash.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import lcm


def to_cents(amount: float) -> int:
    """Round a money amount to integer cents, half-up on its shortest decimal representation."""
    if not math.isfinite(amount):
        raise ValueError(f"not a finite amount: {amount}")
    return int(Decimal(repr(float(amount))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).scaleb(2))


def money(cents: int) -> float:
    """Integer cents as a float amount (the nearest float to the exact cents value)."""
    return cents / 100


def split_cents(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` cents across ``weights`` (any positive scale) by largest remainder; sums to ``total``."""
    if total < 0:
        raise ValueError("cannot split a negative amount")
    fracs = [Fraction(repr(float(w))) for w in weights]
    if any(f < 0 for f in fracs):
        raise ValueError("weights must not be negative")
    denom = lcm(*(f.denominator for f in fracs)) if fracs else 1
    ints = [f.numerator * (denom // f.denominator) for f in fracs]
    whole = sum(ints)
    if whole == 0:
        raise ValueError("weights sum to zero")
    parts = [total * w // whole for w in ints]
    remainders = [total * w % whole for w in ints]
    left = total - sum(parts)
    order = sorted(range(len(ints)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def buy_order(budget: int, fee: int, price: float, fractional: bool) -> tuple[int, float]:
    """(cents spent including the fee, shares bought) for a buy with ``budget`` cents at ``price``."""
    if budget <= fee or not price > 0:
        return 0, 0.0
    if fractional:
        return budget, (budget - fee) / 100 / price
    shares = math.floor((budget - fee) / 100 / price)
    while shares > 0:
        cost = to_cents(shares * price)
        if cost + fee <= budget:
            return cost + fee, float(shares)
        shares -= 1
    return 0, 0.0
