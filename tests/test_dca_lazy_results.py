"""A backtest's ledger, holdings, TWR index, XIRR, TWR and drawdown are worked out when first read: read
lazily (daily values first, the rest later, in any order) they equal the figures of a run that works them
all out at once (``computed()``), to the bit. Real closes from the bundled snapshot."""

from __future__ import annotations

import pandas as pd
import pytest

from rotation_desk.core.dca.backtest import run_backtest
from rotation_desk.core.dca.plan_json import parse_plan
from rotation_desk.core.dca.results import LAZY

PLAN = {
    "name": "lazy",
    "contribution": 250.0,
    "frequency": "weekly",
    "anchor": "fri",
    "start": "2009-03-02",
    "end": "2026-06-30",
    "allocation": {"SPY": 40, "VBR": 30, "EFV": 20, "XLF": 10},
    "fee": 0.35,
    "step_up_pct": 3.0,
    "initial": 2000.0,
}


def _same(lazy, eager) -> None:
    pd.testing.assert_series_equal(lazy.value_series, eager.value_series, check_exact=True)
    pd.testing.assert_series_equal(lazy.invested_series, eager.invested_series, check_exact=True)
    pd.testing.assert_series_equal(lazy.cash_series, eager.cash_series, check_exact=True)
    pd.testing.assert_frame_equal(lazy.ledger, eager.ledger, check_exact=True)
    pd.testing.assert_frame_equal(lazy.holdings, eager.holdings, check_exact=True)
    pd.testing.assert_series_equal(lazy.twr_index, eager.twr_index, check_exact=True)
    assert (lazy.invested, lazy.value, lazy.gain, lazy.cash, lazy.fees) == (
        eager.invested,
        eager.value,
        eager.gain,
        eager.cash,
        eager.fees,
    )
    assert lazy.xirr == eager.xirr and lazy.twr == eager.twr and lazy.max_drawdown == eager.max_drawdown
    assert lazy.orders == len(eager.ledger)


@pytest.mark.parametrize(
    "options",
    [
        {"fractional": True, "rebalance": "pro-rata"},  # the array path
        {"fractional": False, "rebalance": "pro-rata"},  # buy by buy, sleeves carry cents
        {"fractional": True, "rebalance": "to-target"},
    ],
)
def test_figures_read_later_equal_those_worked_out_at_once(closes, options):
    plan = parse_plan(PLAN | options)
    eager = run_backtest(plan, closes, benchmark="SPY").computed()
    lazy = run_backtest(plan, closes, benchmark="SPY")
    outcomes = (lazy.dca, lazy.lump_sum, lazy.benchmark)
    for o in outcomes:  # nothing beyond the daily series and totals is worked out yet
        assert not any(name in vars(o) for name in LAZY)
    assert len(lazy.value_series) == len(eager.value_series) and lazy.value == eager.value  # read before the rest
    for o in outcomes:  # the rest, in the reverse order
        for name in reversed(LAZY):
            getattr(o, name)
    for a, b in zip(outcomes, (eager.dca, eager.lump_sum, eager.benchmark)):
        _same(a, b)
    assert lazy.to_json_dict() == eager.to_json_dict()
    # the JSON alone (the CLI's --backtest) needs no ledger
    fresh = run_backtest(plan, closes, benchmark="SPY")
    assert fresh.to_json_dict() == eager.to_json_dict()
    assert "ledger" not in vars(fresh.dca)
