"""The backtest's two ways of running the buys agree to the last bit: the array path (fractional pro-rata,
every slice above the fee) and the buy-by-buy loop it replaces (which still runs whole shares, to-target and
slices that carry cents). Real closes from the bundled snapshot."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation_desk.core.dca import simulation
from rotation_desk.core.dca.backtest import run_backtest
from rotation_desk.core.dca.plan_json import parse_plan

TICKERS = ["SPY", "VBR", "EFV", "XLF"]


def weekly(fee: float = 0.0, contribution: float = 100.0) -> dict:
    return {
        "name": "paths",
        "contribution": contribution,
        "frequency": "weekly",
        "anchor": "wed",
        "start": "2010-01-04",
        "end": "2026-07-31",
        "allocation": {"SPY": 40, "VBR": 30, "EFV": 20, "XLF": 10},
        "fractional": True,
        "rebalance": "pro-rata",
        "fee": fee,
        "step_up_pct": 3.0,
        "initial": 1000.0,
    }


@pytest.mark.parametrize("fee", [0.0, 0.35])
def test_the_array_path_equals_the_buy_by_buy_loop(closes, monkeypatch, fee):
    plan = parse_plan(weekly(fee))
    fast = run_backtest(plan, closes, benchmark="SPY")
    taken = []
    real = simulation._every_slice_spent
    monkeypatch.setattr(simulation, "_every_slice_spent", lambda *a: taken.append(real(*a) is not None))
    slow = run_backtest(plan, closes, benchmark="SPY")
    assert taken == [True, True, True]  # without the patch all three runs (plan, lump sum, SPY) take the array path
    for a, b in ((fast.dca, slow.dca), (fast.lump_sum, slow.lump_sum), (fast.benchmark, slow.benchmark)):
        pd.testing.assert_frame_equal(a.ledger, b.ledger, check_exact=True)
        pd.testing.assert_series_equal(a.value_series, b.value_series, check_exact=True)
        pd.testing.assert_frame_equal(a.holdings, b.holdings, check_exact=True)
        assert (a.value, a.invested, a.cash, a.fees, a.gain) == (b.value, b.invested, b.cash, b.fees, b.gain)
        assert a.xirr == b.xirr and a.twr == b.twr
    # what a user reads, by hand from the ledger: every cent paid in was spent, fees once per order
    ledger = fast.dca.ledger
    assert fast.dca.cash == 0.0
    assert round(ledger["amount"].sum(), 2) == fast.dca.invested
    assert round(ledger["fee"].sum(), 2) == round(fee * len(ledger), 2)
    held = ledger.groupby("ticker")["shares"].sum()
    last = closes.loc[: fast.end, TICKERS].ffill().iloc[-1]
    assert round(float((held * last[held.index]).sum()), 2) == fast.dca.value


def test_a_slice_at_or_below_the_fee_takes_the_loop_and_carries_its_cents(closes):
    # $1 a week with a $0.25 fee: XLF's 10 % slice (10 cents) never clears the fee, so it carries
    plan = parse_plan(weekly(fee=0.25, contribution=1.0) | {"initial": 0.0, "step_up_pct": 0.0})
    assert simulation._every_slice_spent(np.ones((1, 4)), [40, 30, 20, 10], [(0, 100)], np.array([0]), 25) is None
    result = run_backtest(plan, closes, benchmark=None)
    ledger = result.dca.ledger
    assert (ledger["amount"] > 0.25).all()
    xlf = ledger[ledger["ticker"] == "XLF"]
    assert len(xlf) and (xlf["amount"] >= 0.26).all()  # bought only once its sleeve passed the fee
    assert result.dca.cash > 0
