"""What a DCA backtest returns: one ``Outcome`` per way of investing, and the ``BacktestResult`` with its JSON.

JSON conventions: money to the cent, rates as fractions, NaN as null, dates
YYYY-MM-DD; the plan's ``invested, value, gain, xirr, twr`` and the same keys
under ``lump_sum`` and ``benchmark``.

An ``Outcome`` holds its daily series and totals from the start; the ledger, the holdings, the TWR index,
XIRR, TWR and max drawdown are worked out when first read (from what ``simulation`` hands over in
``OutcomeParts``) and kept, so a caller that needs only the daily values (the journal's plan-vs-real line,
the benchmark row) does not pay for them. ``BacktestResult.computed()`` works them all out at once (the
DCA tab does, in its worker thread).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from rotation_desk.core.dca.cashflows import twr_index, xirr
from rotation_desk.core.dca.plan import DcaPlan
from rotation_desk.core.metrics import Drawdown, max_drawdown

LEDGER_COLUMNS = ("date", "ticker", "price", "amount", "fee", "shares", "cash_after", "cumulative_invested")
SUMMARY_KEYS = ("invested", "value", "gain", "xirr", "twr")


@dataclass(frozen=True, eq=False)
class OutcomeParts:
    """What an ``Outcome`` needs for the figures it works out on demand."""

    ledger: Callable[[], pd.DataFrame]  # builds the ledger (LEDGER_COLUMNS)
    holdings: Callable[[], pd.DataFrame]  # builds the holdings frame
    flow_days: np.ndarray  # datetime64: each session with money paid in, in order
    flow_cents: np.ndarray  # int64: the cents paid in on each of them
    paid_in: np.ndarray  # int64 cents paid in on each day of the value series


LAZY = ("ledger", "holdings", "twr_index", "xirr", "twr", "max_drawdown")  # the figures worked out when read


@dataclass(frozen=True, eq=False)
class Outcome:
    """One way of investing the money over the window: ledger, daily series and totals."""

    label: str
    value_series: pd.Series  # account value at each close (holdings + cash)
    invested_series: pd.Series  # money paid in so far
    cash_series: pd.Series
    invested: float
    value: float
    gain: float
    cash: float
    fees: float
    orders: int  # rows of the ledger
    parts: OutcomeParts = field(repr=False)

    @cached_property
    def ledger(self) -> pd.DataFrame:
        return self.parts.ledger()

    @cached_property
    def holdings(self) -> pd.DataFrame:
        """index ticker: shares, cost_basis, last_price, value, weight"""
        return self.parts.holdings()

    @cached_property
    def twr_index(self) -> pd.Series:
        flows = pd.Series(self.parts.paid_in / 100, index=self.value_series.index)
        return twr_index(self.value_series, flows)

    @cached_property
    def xirr(self) -> float:
        days = np.concatenate((self.parts.flow_days, self.value_series.index.values[-1:]))
        amounts = np.concatenate((-self.parts.flow_cents / 100, [self.value]))
        return xirr(days, amounts)

    @cached_property
    def twr(self) -> float:
        index = self.twr_index.to_numpy()
        index = index[~np.isnan(index)]
        return float(index[-1] - 1.0) if len(index) else float("nan")

    @cached_property
    def max_drawdown(self) -> Drawdown:
        return max_drawdown(self.twr_index.dropna())

    def computed(self) -> Outcome:
        """Self, with every figure worked out (see ``LAZY``)."""
        for name in LAZY:
            getattr(self, name)
        return self

    def summary(self) -> dict:
        """The JSON numbers: money to the cent, rates as fractions, NaN as None."""
        return {
            "invested": _num(self.invested, 2),
            "value": _num(self.value, 2),
            "gain": _num(self.gain, 2),
            "xirr": _num(self.xirr),
            "twr": _num(self.twr),
            "max_drawdown": _num(self.max_drawdown.depth),
        }


@dataclass(frozen=True, eq=False)
class BacktestResult:
    """The plan's backtest (``dca``) beside the lump sum and the benchmark (None when not asked for)."""

    plan: DcaPlan  # the plan as run over the window
    start: pd.Timestamp  # first buy session
    end: pd.Timestamp  # valuation date (last close used)
    dca: Outcome
    lump_sum: Outcome
    benchmark: Outcome | None
    benchmark_ticker: str | None
    buys: int  # sessions with money paid in

    def computed(self) -> BacktestResult:
        """Self, with every outcome's ledger, holdings, XIRR, TWR and drawdown worked out (for a caller that
        hands the result to another thread, or times the whole run)."""
        for o in (self.dca, self.lump_sum, self.benchmark):
            if o is not None:
                o.computed()
        return self

    # The plan's own figures, for convenience.
    @property
    def ledger(self) -> pd.DataFrame:
        return self.dca.ledger

    @property
    def value_series(self) -> pd.Series:
        return self.dca.value_series

    @property
    def invested_series(self) -> pd.Series:
        return self.dca.invested_series

    @property
    def holdings(self) -> pd.DataFrame:
        return self.dca.holdings

    @property
    def invested(self) -> float:
        return self.dca.invested

    @property
    def value(self) -> float:
        return self.dca.value

    @property
    def gain(self) -> float:
        return self.dca.gain

    @property
    def xirr(self) -> float:
        return self.dca.xirr

    @property
    def twr(self) -> float:
        return self.dca.twr

    @property
    def max_drawdown(self) -> Drawdown:
        return self.dca.max_drawdown

    def to_json_dict(self) -> dict:
        """Stable JSON: invested, value, gain, xirr, twr for the plan and under lump_sum and benchmark."""
        out = {"plan": self.plan.name, "start": _day(self.start), "end": _day(self.end)}
        out.update(self.dca.summary())
        out["cash"] = _num(self.dca.cash, 2)
        out["fees"] = _num(self.dca.fees, 2)
        out["buys"] = self.buys
        out["orders"] = self.dca.orders
        out["holdings"] = [
            {
                "ticker": str(t),
                "shares": _num(float(r.shares)),
                "cost_basis": _num(float(r.cost_basis), 2),
                "last_price": _num(float(r.last_price)),
                "value": _num(float(r.value), 2),
            }
            for t, r in self.dca.holdings.iterrows()
        ]
        out["lump_sum"] = self.lump_sum.summary()
        if self.benchmark is None:
            out["benchmark"] = None
        else:
            out["benchmark"] = {"ticker": self.benchmark_ticker, **self.benchmark.summary()}
        return out


def _num(value: float, digits: int | None = None):
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits) if digits is not None else float(value)


def _day(value) -> str:
    return f"{pd.Timestamp(value):%Y-%m-%d}"
