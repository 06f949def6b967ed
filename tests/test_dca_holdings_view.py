"""The Holdings page's Qt-free parts (``ui.tabs.dca.holdings_compute``): the Mark-as-bought prefill, the column
mapping guesses, and the words and digits the page shows; hand-worked cases."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from rotation_desk.core.dca.buys import Buy
from rotation_desk.core.dca.plan_json import parse_plan
from rotation_desk.core.dca.tracking import standing
from rotation_desk.ui.tabs.dca import holdings_compute as hc

RAW = {
    "name": "P",
    "contribution": 500.0,
    "frequency": "monthly",
    "start": "2026-01-01",
    "end": "2026-12-31",
    "allocation": {"VBR": 60, "EEMV": 40},
    "fee": 1.0,
}
CLOSES = pd.DataFrame(
    {"VBR": [200.0, 210.0, 205.0], "EEMV": [50.0, 49.0, 51.0]},
    index=pd.to_datetime(["2026-01-02", "2026-01-05", "2026-02-02"]),
)


def test_prefill_buys_the_rows_amount_at_that_sessions_close():
    plan = parse_plan(RAW)
    fill = hc.prefill(plan, "2026-01-05", "VBR", 300.0, CLOSES)
    assert fill.price_date == pd.Timestamp("2026-01-05") and not fill.estimated
    assert fill.buy.price == 210.0 and fill.buy.fee == 1.0
    assert fill.buy.shares == round(299 / 210, 6)  # (amount - fee) / close
    whole = hc.prefill(parse_plan({**RAW, "fractional": False}), "2026-01-05", "VBR", 700.0, CLOSES)
    assert whole.buy.shares == 3.0  # 3 x 210 + 1 <= 700 < 4 x 210 + 1


def test_prefill_after_the_last_close_uses_it_and_says_so_and_before_the_first_has_none():
    plan = parse_plan(RAW)
    later = hc.prefill(plan, "2026-03-02", "EEMV", 200.0, CLOSES)
    assert later.estimated and later.price_date == pd.Timestamp("2026-02-02") and later.buy.price == 51.0
    early = hc.prefill(plan, "2025-12-01", "EEMV", 200.0, CLOSES)
    assert early.price_date is None and early.buy.shares == 0.0


def test_mapping_guesses_broker_names_and_prefers_the_remembered_one():
    header = ["Trade Date", "Symbol", "Quantity", "Price", "Commission", "Description"]
    assert hc.needs_mapping(header)
    assert hc.guess_mapping(header) == {"date": "Trade Date", "ticker": "Symbol", "shares": "Quantity",
                                        "price": "Price", "fee": "Commission", "note": "Description"}  # fmt: skip
    assert hc.guess_mapping(header, {"note": "Symbol", "ticker": "Symbol"})["ticker"] == "Symbol"
    assert not hc.needs_mapping(["Date", "ticker ", "SHARES", "price"])
    assert hc.mapping_applies(header, {"date": "Trade Date", "ticker": "Symbol", "shares": "Quantity"})
    assert not hc.mapping_applies(header, {"date": "Settle Date", "ticker": "Symbol", "shares": "Quantity"})


def test_the_standing_and_off_plan_words():
    plan = parse_plan(RAW)
    buys = [Buy(dt.date(2026, 1, 5), "VBR", 1, 210.0, 1.0, id=1), Buy(dt.date(2026, 1, 5), "EEMV", 2, 49.0, 1.0, id=2)]
    s = standing(plan, buys, CLOSES, dt.date(2026, 2, 3))
    # planned 2 x 500; bought 211 + 99 = 310: behind by 690; January late by one session, February missed
    assert hc.standing_line(s) == (
        "Behind plan by $690.00: 2 buys scheduled up to 2026-02-03 (planned $1,000.00, bought $310.00); "
        "1 missed, 1 late."
    )
    off = hc.off_plan_table(s)
    assert list(off["what"]) == ["missed", "late by 1 session (3 days), $190.00 short"]
    assert hc.off_plan_line(s, len(off)).startswith("2 of the 2 scheduled buys up to 2026-02-03")


@pytest.mark.parametrize(
    "values, shares, prices",
    [([1.0, 2.0], 0, 2), ([1.5, 2.0], 4, 2), ([188.4125], 4, 4)],
)
def test_digits_follow_the_values(values, shares, prices):
    series = pd.Series(values)
    assert hc.share_digits(series) == shares
    assert hc.price_digits(series) == prices
