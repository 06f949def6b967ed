"""The next buy from the journal (issue 15): the failure modes of a cash-only planner, each by hand.

Holdings are valued at the last close; ``to-target`` is buy-only rebalancing with targets on holdings plus
the new cash, the cash going to the holdings below target in proportion to their shortfall; amounts add
up to the contribution to the cent; with whole shares the remainder is cash, shown.
"""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from rotation_desk.core.dca.buys import Buy
from rotation_desk.core.dca.holdings import LastClose
from rotation_desk.core.dca.next_buy import next_buy
from rotation_desk.core.dca.plan_json import parse_plan
from rotation_desk.errors import DataUnavailable

AS_OF = dt.date(2026, 8, 4)
ON = pd.Timestamp("2026-08-03")


def plan(**changes):
    raw = {
        "name": "Rotation core",
        "contribution": 500.0,
        "frequency": "monthly",
        "start": "2026-01-01",
        "end": "2027-12-31",
        "allocation": {"VBR": 40, "DFAT": 30, "EEMV": 30},
        "rebalance": "to-target",
    }
    raw.update(changes)
    return parse_plan(raw)


def prices(**values):
    return {t: LastClose(p, ON) for t, p in values.items()}


def held(**shares):
    return [Buy(dt.date(2026, 3, 2), t, n, 1.0, id=i) for i, (t, n) in enumerate(shares.items(), 1)]


def amounts(n):
    return {o.ticker: o.amount for o in n.orders}


def cents(n):
    return sum(round(o.amount * 100) for o in n.orders)


PRICES = prices(VBR=100.0, DFAT=50.0, EEMV=25.0)


def test_an_overweight_holding_gets_nothing():
    # VBR 1000, DFAT 100, EEMV 100; + 500 -> targets 680/510/510: VBR over; DFAT and EEMV short 410 each
    n = next_buy(plan(), held(VBR=10, DFAT=2, EEMV=4), PRICES, AS_OF)
    assert n.date == pd.Timestamp("2026-09-01") and n.contribution == 500.0
    assert amounts(n) == {"VBR": 0.0, "DFAT": 250.0, "EEMV": 250.0}
    assert [o.shares for o in n.orders] == [0.0, 5.0, 10.0] and n.cash_left == 0.0


def test_a_holding_far_above_target_and_the_rest_in_proportion_to_the_shortfall():
    # VBR 1000, DFAT 100, EEMV 200; total 1800 -> targets 720/540/540; short DFAT 440, EEMV 340 (sum 780)
    # DFAT 500 x 440/780 = 282.0512..., EEMV 217.9487...: floors 282.05 + 217.94 leave a cent for the larger
    # remainder (EEMV's .87)
    n = next_buy(plan(), held(VBR=10, DFAT=2, EEMV=8), PRICES, AS_OF)
    assert amounts(n) == {"VBR": 0.0, "DFAT": 282.05, "EEMV": 217.95}
    for o in n.orders[1:]:  # nobody is lifted past its target
        assert o.value_before + o.amount <= o.target * 1800


def test_all_on_target_is_the_pro_rata_split():
    n = next_buy(plan(), held(VBR=4, DFAT=6, EEMV=12), PRICES, AS_OF)  # 400 / 300 / 300: exactly 40/30/30
    assert amounts(n) == {"VBR": 200.0, "DFAT": 150.0, "EEMV": 150.0}
    empty = next_buy(plan(), [], PRICES, AS_OF)
    assert amounts(empty) == {"VBR": 200.0, "DFAT": 150.0, "EEMV": 150.0}


def test_cents_add_up_to_the_contribution_exactly():
    thirds = plan(
        contribution=100.0, allocation={"VBR": 33.3333, "DFAT": 33.3333, "EEMV": 33.3334}, rebalance="pro-rata"
    )
    n = next_buy(thirds, [], PRICES, AS_OF)
    assert amounts(n) == {"VBR": 33.33, "DFAT": 33.33, "EEMV": 33.34} and cents(n) == 10000
    rng = np.random.default_rng(15)
    for _ in range(300):
        contribution = round(float(rng.uniform(0.01, 5000)), 2)
        shares = rng.integers(0, 40, size=3).astype(float)
        p = plan(contribution=contribution)
        n = next_buy(p, held(VBR=shares[0], DFAT=shares[1], EEMV=shares[2]), PRICES, AS_OF)
        assert cents(n) == round(contribution * 100)
        values = {"VBR": shares[0] * 100, "DFAT": shares[1] * 50, "EEMV": shares[2] * 25}
        total = sum(values.values()) + contribution
        for o in n.orders:
            if values[o.ticker] >= o.target * total:  # at or above target: nothing while any is below
                assert o.amount == 0.0


def test_whole_shares_carry_the_remainder_as_cash():
    # pro-rata 200/150/150 at 247 / 71.58 / 71.68: 0 VBR, 2 DFAT (143.16), 2 EEMV (143.36): 213.48 left
    p = plan(fractional=False, rebalance="pro-rata")
    n = next_buy(p, [], prices(VBR=247.0, DFAT=71.58, EEMV=71.68), AS_OF)
    assert amounts(n) == {"VBR": 200.0, "DFAT": 150.0, "EEMV": 150.0}
    assert [o.shares for o in n.orders] == [0.0, 2.0, 2.0]
    assert [o.cost for o in n.orders] == [0.0, 143.16, 143.36]
    assert n.cash_left == 213.48


def test_fees_come_out_of_each_order_and_a_too_small_order_buys_nothing():
    p = plan(fee=1.0)
    n = next_buy(p, held(VBR=10, DFAT=2, EEMV=4), PRICES, AS_OF)
    assert amounts(n) == {"VBR": 0.0, "DFAT": 250.0, "EEMV": 250.0}
    assert [o.shares for o in n.orders] == pytest.approx([0.0, 249 / 50, 249 / 25])
    assert n.cash_left == 0.0
    # 1000 + 50 + 450 held, 10 new: targets 604 / 453 / 453; VBR over, DFAT short 403, EEMV short 3 (sum 406):
    # DFAT 10 x 403/406 = 9.926..., EEMV 0.0739...: floors 9.92 + 0.07 leave a cent for DFAT's larger remainder.
    # EEMV's 0.07 does not cover the 1.00 fee: nothing is bought with it, it is the cash left.
    odd = prices(VBR=100.0, DFAT=50.0, EEMV=450.0)
    n = next_buy(plan(fee=1.0, contribution=10.0), held(VBR=10, DFAT=1, EEMV=1), odd, AS_OF)
    assert amounts(n) == {"VBR": 0.0, "DFAT": 9.93, "EEMV": 0.07} and cents(n) == 1000
    assert [o.cost for o in n.orders] == [0.0, 9.93, 0.0] and n.cash_left == 0.07
    assert n.orders[1].shares == pytest.approx(8.93 / 50) and n.orders[2].shares == 0.0


def test_whole_shares_and_a_fee():
    p = plan(fee=1.0, fractional=False, rebalance="pro-rata", contribution=300.0)
    n = next_buy(p, [], prices(VBR=30.0, DFAT=44.5, EEMV=90.0), AS_OF)  # 120 / 90 / 90
    assert [o.shares for o in n.orders] == [3.0, 2.0, 0.0]  # (119 / 30), (89 / 44.5), (89 / 90) whole shares
    assert [o.cost for o in n.orders] == [91.0, 90.0, 0.0]
    assert n.cash_left == 119.0


def test_the_date_is_the_next_scheduled_session_and_an_ended_plan_has_none():
    assert next_buy(plan(), [], PRICES, dt.date(2026, 9, 1)).date == pd.Timestamp("2026-09-01")
    assert next_buy(plan(), [], PRICES, dt.date(2026, 9, 2)).date == pd.Timestamp("2026-10-01")
    assert next_buy(plan(), [], PRICES, dt.date(2028, 1, 1)) is None
    stepped = plan(step_up_pct=10.0, rebalance="pro-rata")
    assert next_buy(stepped, [], PRICES, dt.date(2027, 1, 2)).contribution == 550.0  # plan year 2
    with pytest.raises(DataUnavailable, match="no price for EEMV"):
        next_buy(plan(), [], prices(VBR=1.0, DFAT=1.0), AS_OF)


def test_tickers_outside_the_plan_are_not_part_of_the_split():
    buys = held(VBR=4, DFAT=6, EEMV=12) + [Buy(dt.date(2026, 3, 2), "SPY", 100, 1.0, id=9)]
    n = next_buy(plan(), buys, {**PRICES, "SPY": LastClose(600.0, ON)}, AS_OF)
    assert amounts(n) == {"VBR": 200.0, "DFAT": 150.0, "EEMV": 150.0}
