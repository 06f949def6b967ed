"""The ``to-target`` rule: buy-only rebalancing of new money, shared by the backtest and the next buy.

With V_i the market value of holding i, w_i its target weight (fractions of
the allocation's sum) and M the money to invest:

- the target values are computed on the holdings plus the new money:
  T_i = w_i x (sum V + M);
- the shortfall of a holding is s_i = max(T_i - V_i, 0); a holding at or
  above its target has none, so it receives nothing while any is below;
- M goes to the holdings below target in proportion to their shortfall:
  buy_i = M x s_i / sum s. Since sum s >= M, no holding is lifted past its
  target; when every holding is on target (or the account is empty) this is
  the pro-rata split;
- the amounts are then split to the cent by largest remainder
  (``money.split_cents``), so they add up to M exactly.

Nothing is ever sold. ``simulation.simulate`` (the backtest) and
``next_buy`` call ``to_target_cents``; it is written once, here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rotation_desk.core.dca.money import split_cents

# A shortfall this small relative to the account (floating-point noise of a holding exactly on target) is none.
NOISE = 1e-12


def shortfalls(values: Sequence[float], weights: Sequence[float], money_in: float) -> np.ndarray:
    """s_i = max(w_i x (sum V + M) - V_i, 0), with noise-sized shortfalls set to 0."""
    v = np.asarray(values, dtype="float64")
    w = np.asarray(weights, dtype="float64")
    w = w / w.sum()
    total = float(v.sum()) + float(money_in)
    gap = w * total - v
    gap[gap <= NOISE * max(total, 1.0)] = 0.0
    return gap


def to_target_amounts(values: Sequence[float], weights: Sequence[float], money_in: float) -> np.ndarray:
    """buy_i = M x s_i / sum s (floats; sum = ``money_in``). All zero when there is no money."""
    gap = shortfalls(values, weights, money_in)
    total = float(gap.sum())
    if money_in <= 0 or total <= 0:
        return np.zeros(len(gap))
    return money_in * gap / total


def to_target_cents(cents: int, values: Sequence[float], weights: Sequence[float]) -> list[int]:
    """``cents`` split by the rule above, to the cent (adds up to ``cents``; 0 for holdings at target)."""
    if cents <= 0:
        return [0] * len(values)
    wanted = to_target_amounts(values, weights, cents / 100)
    if not wanted.sum() > 0:
        return split_cents(cents, weights)
    return split_cents(cents, wanted)
