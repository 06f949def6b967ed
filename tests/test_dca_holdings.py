"""Holdings, the real account's returns and the scheduled buys kept or missed (issue 15), by hand and against
pyxirr; the plan's simulated account beside it on the real snapshot."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import pyxirr

from rotation_desk.core.dca.backtest import run_backtest
from rotation_desk.core.dca.buys import Buy, buy_problems
from rotation_desk.core.dca.holdings import account_path, holdings_frame, last_closes
from rotation_desk.core.dca.plan_json import parse_plan
from rotation_desk.core.dca.tracking import behind_plan, buy_periods, describe_behind, standing

D = dt.date


def closes(rows: dict, dates: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, index=pd.DatetimeIndex(pd.to_datetime(dates), name="date"))


PLAN = parse_plan(
    {
        "name": "Core",
        "contribution": 500.0,
        "frequency": "monthly",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "allocation": {"VBR": 40, "DFAT": 30, "EEMV": 30},
    }
)


def test_cost_is_shares_times_price_to_the_cent_plus_the_fee():
    assert Buy(D(2026, 1, 2), "VBR", 3, 201.37, 1.0).cost == 605.11  # 604.11 + 1.00
    assert Buy(D(2026, 1, 2), "VBR", 0.3333, 10.005).cost == 3.33  # 3.3346665 -> 3.33
    assert buy_problems(Buy(D(2026, 1, 2), "VBR", 0, 10.0)) == ["shares: must be greater than 0, got 0"]
    assert buy_problems(Buy(D(2026, 1, 2), "vbr", 1, 10.0)) == ["ticker: 'vbr' is not a ticker symbol"]
    assert buy_problems(Buy(D(2026, 1, 2), "VBR", 1, 10.0, -1.0)) == ["fee: must be 0 or more, got -1"]
    assert buy_problems(Buy(D(2026, 1, 2), "VBR", 1, float("nan"))) == ["price: nan is not a finite number"]
    assert buy_problems(Buy(D(2026, 1, 2), "VBR", 1, 1.0, note="a\nb"))[0].startswith("note: must be one line")


def test_holdings_per_ticker_hand_worked():
    buys = [
        Buy(D(2026, 1, 2), "VBR", 2, 200.0, 1.0, id=1),  # 401.00
        Buy(D(2026, 2, 2), "VBR", 1, 210.0, 1.0, id=2),  # 211.00
        Buy(D(2026, 1, 2), "DFAT", 5, 60.0, id=3),  # 300.00
        Buy(D(2026, 3, 2), "SPY", 1, 600.0, id=4),  # not in the plan
    ]
    prices = last_closes(closes({"VBR": [250.0], "DFAT": [70.0], "EEMV": [71.0], "SPY": [650.0]}, ["2026-08-03"]),
                         ["VBR", "DFAT", "EEMV", "SPY"])  # fmt: skip
    h = holdings_frame(buys, PLAN.allocation, prices)
    assert list(h.index) == ["VBR", "DFAT", "EEMV", "SPY"]
    assert h.loc["VBR", "shares"] == 3 and h.loc["VBR", "cost_basis"] == 612.0 and h.loc["VBR", "value"] == 750.0
    assert h.loc["VBR", "gain"] == 138.0 and h.loc["VBR", "gain_pct"] == pytest.approx(138 / 612)
    assert h.loc["EEMV", "shares"] == 0 and h.loc["EEMV", "value"] == 0 and np.isnan(h.loc["EEMV", "gain_pct"])
    total = 750 + 350 + 650
    assert h["weight"].tolist() == pytest.approx([750 / total, 350 / total, 0.0, 650 / total])
    assert h["target"].tolist() == [0.4, 0.3, 0.3, 0.0]
    assert h.loc["SPY", "off_target"] == pytest.approx(650 / total)


def test_xirr_matches_pyxirr_and_twr_is_chain_linked_by_hand():
    frame = closes({"AAA": [10.0, 11.0, 12.0, 12.5]}, ["2024-01-02", "2024-02-01", "2024-03-01", "2024-06-28"])
    buys = [Buy(D(2024, 1, 2), "AAA", 10, 10.0, 1.0, id=1), Buy(D(2024, 3, 1), "AAA", 5, 11.0, id=2)]
    path = account_path(buys, frame)
    assert path.value.tolist() == [100.0, 110.0, 180.0, 187.5]
    assert path.invested.tolist() == [101.0, 101.0, 156.0, 156.0]
    assert path.final_value == 187.5 and path.valued_at == pd.Timestamp("2024-06-28")
    want = pyxirr.xirr([D(2024, 1, 2), D(2024, 3, 1), D(2024, 6, 28)], [-101.0, -55.0, 187.5])
    assert path.xirr == pytest.approx(want, rel=1e-9)
    # day 1: 100 / 101 (the fee); then 110 / 100; 3 Mar: (180 - 55) / 110; June: 187.5 / 180
    assert path.twr == pytest.approx(100 / 101 * 110 / 100 * 125 / 110 * 187.5 / 180 - 1, rel=1e-12)


def test_a_buy_on_a_day_without_a_close_counts_from_the_next_and_one_after_the_last_on_the_last():
    frame = closes({"AAA": [10.0, 11.0]}, ["2024-01-02", "2024-01-03"])
    buys = [Buy(D(2023, 12, 30), "AAA", 1, 10.0, id=1), Buy(D(2024, 1, 5), "AAA", 1, 11.0, id=2)]
    path = account_path(buys, frame)
    assert path.value.tolist() == [10.0, 22.0] and path.valued_at == pd.Timestamp("2024-01-05")
    assert path.xirr == pytest.approx(pyxirr.xirr([D(2023, 12, 30), D(2024, 1, 5), D(2024, 1, 5)], [-10, -11, 22]))


def buy(day, cost, i):
    return Buy(day, "VBR", cost / 250, 250.0, id=i)


def test_scheduled_buys_on_time_late_missed_and_short():
    buys = [
        buy(D(2026, 1, 2), 500, 1),  # Jan: on the scheduled session
        buy(D(2026, 2, 5), 500, 2),  # Feb (Mon 2nd): Thursday, 3 sessions late
        buy(D(2026, 4, 1), 200, 3),  # Mar missed; Apr 1st: 300 short
    ]
    periods = buy_periods(PLAN, buys, D(2026, 4, 15))
    assert periods["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-01-02", "2026-02-02", "2026-03-02", "2026-04-01"]
    assert periods["status"].tolist() == ["on time", "late", "missed", "short"]
    assert periods["bought"].tolist() == [500.0, 500.0, 0.0, 200.0]
    assert periods.loc[1, "sessions_late"] == 3 and periods.loc[1, "days_late"] == 3
    assert periods["short_by"].tolist() == [0.0, 0.0, 500.0, 300.0]
    planned, bought, gap = behind_plan(PLAN, buys, D(2026, 4, 15))
    assert (planned, bought, gap) == (2000.0, 1200.0, 800.0)
    assert describe_behind(gap) == "behind plan by $800.00"
    assert describe_behind(-12.5) == "ahead of plan by $12.50" and describe_behind(0.0) == "on plan"


def test_whole_share_plans_are_not_short_by_the_remainder():
    whole = parse_plan({**PLAN_RAW, "allocation": {"VBR": 100}, "fractional": False})
    prices = closes({"VBR": [212.0]}, ["2026-01-02"])
    two = [Buy(D(2026, 1, 2), "VBR", 2, 212.0, id=1)]  # 424 of 500: the remainder is under a share
    assert buy_periods(whole, two, D(2026, 1, 20), prices)["status"].tolist() == ["on time"]
    one = [Buy(D(2026, 1, 2), "VBR", 1, 212.0, id=1)]  # 288 short: more than a share
    assert buy_periods(whole, one, D(2026, 1, 20), prices)["status"].tolist() == ["short"]


def test_standing_on_the_snapshot_sets_the_real_account_beside_the_plan(closes):
    plan = parse_plan(PLAN_RAW)
    c = closes[["VBR", "DFAT", "EEMV"]]
    buys = []
    for day in ["2026-01-02", "2026-02-02", "2026-03-02"]:  # three buys at the session's close
        for t, w in (("VBR", 0.4), ("DFAT", 0.3), ("EEMV", 0.3)):
            price = float(c.loc[day, t])
            buys.append(Buy(D.fromisoformat(day), t, round(500 * w / price, 6), price, id=len(buys) + 1))
    s = standing(plan, buys, c, D(2026, 8, 4))
    assert s.periods["status"].tolist()[:3] == ["on time"] * 3
    assert s.periods["status"].tolist()[3:] == ["missed"] * 5  # Apr..Aug
    assert s.behind == pytest.approx(4000 - s.invested) and describe_behind(s.behind).startswith("behind plan by $2,")
    # the plan's simulated account is the backtest over the same closes
    bt = run_backtest(plan, c, start=plan.start, end="2026-08-03", benchmark=None)
    assert s.plan_value.equals(bt.value_series)
    # the real account matches the plan's until the first missed buy (same shares to 6 decimals)
    assert s.path.value.loc["2026-03-31"] == pytest.approx(bt.value_series.loc["2026-03-31"], rel=1e-6)
    last = c.iloc[-1]
    assert s.value == pytest.approx(sum(b.shares * last[b.ticker] for b in buys))
    assert s.next is not None and s.next.date == pd.Timestamp("2026-09-01")
    assert sum(round(o.amount * 100) for o in s.next.orders) == 50000


PLAN_RAW = {
    "name": "Core",
    "contribution": 500.0,
    "frequency": "monthly",
    "start": "2026-01-01",
    "end": "2026-12-31",
    "allocation": {"VBR": 40, "DFAT": 30, "EEMV": 30},
}
