"""DCA backtest: hand-worked cases, and the ledger, XIRR and TWR on real data against independent computations."""

import json
import time
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
import pyxirr

from rotation_desk.core.calendar import sessions_between
from rotation_desk.core.dca.backtest import run_backtest
from rotation_desk.core.dca.cashflows import time_weighted_return, xirr
from rotation_desk.core.dca.plan_json import parse_plan
from rotation_desk.core.dca.rebalance import to_target_amounts, to_target_cents
from rotation_desk.core.dca.results import SUMMARY_KEYS
from rotation_desk.errors import BadInput, DataUnavailable


def make_plan(**changes):
    raw = {
        "name": "Test",
        "contribution": 100.0,
        "frequency": "monthly",
        "anchor": "first-session",
        "start": "2024-01-01",
        "end": "2024-03-31",
        "allocation": {"AAA": 50, "BBB": 50},
    }
    raw.update(changes)
    return parse_plan(raw)


def frame(rows: dict[str, list[float]], dates: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, index=pd.DatetimeIndex(pd.to_datetime(dates), name="date"))


def cents(x: float) -> int:
    return int(round(x * 100))


def check_ledger_reconciles(result, closes: pd.DataFrame) -> None:
    """Every row's cash = money in - orders so far; final value = shares x last close + cash, to the cent."""
    led = result.ledger
    assert list(led.columns) == [
        "date",
        "ticker",
        "price",
        "amount",
        "fee",
        "shares",
        "cash_after",
        "cumulative_invested",
    ]
    for col in ("amount", "fee", "cash_after", "cumulative_invested"):
        assert (led[col] * 100 - (led[col] * 100).round()).abs().max() < 1e-6, f"{col} not whole cents"
    spent = (led["amount"] * 100).round().astype("int64").cumsum()
    assert ((led["cumulative_invested"] * 100).round().astype("int64") - spent).tolist() == (
        (led["cash_after"] * 100).round().astype("int64").tolist()
    )
    # each order: amount = fee + shares x price (to the cent)
    cost = (led["amount"] - led["fee"]) * 100
    assert (cost - (led["shares"] * led["price"] * 100)).abs().max() < 0.5 + 1e-6
    # the buy price is that session's adjusted close
    for row in led.sample(min(len(led), 40), random_state=1).itertuples():
        assert row.price == closes.at[row.date, row.ticker]
    last = closes.loc[: result.end].ffill().iloc[-1]
    shares = led.groupby("ticker")["shares"].sum()
    cash = result.invested - led["amount"].sum()
    assert cents(cash) == cents(result.dca.cash)
    value = sum(shares[t] * last[t] for t in shares.index) + cash
    assert cents(value) == cents(result.value)
    assert result.gain == pytest.approx(result.value - result.invested, abs=0.005)
    hold = result.holdings
    assert hold["shares"].to_dict() == pytest.approx(shares.to_dict(), rel=1e-12)
    assert hold["cost_basis"].sum() == pytest.approx(led["amount"].sum(), abs=0.005)
    assert cents(hold["value"].sum() + result.dca.cash) == cents(result.value)


def independent_twr(values: pd.Series, flows: pd.Series) -> float:
    """Unit-value method: each contribution buys units at the day's value per unit before it arrives."""
    units = 0.0
    nav = 1.0
    for day, value in values.items():
        flow = float(flows.get(day, 0.0))
        if units > 0:
            nav = (value - flow) / units
        units += flow / nav
    return nav - 1.0


# -- hand-worked -----------------------------------------------------------------------


def test_whole_shares_carry_cash_hand_worked():
    # 100 a month, 50/50. Sessions: 2 Jan, 1 Feb, 1 Mar 2024; valued 28 Mar (29 Mar is Good Friday).
    prices = frame(
        {"AAA": [30, 30, 40, 45], "BBB": [80, 70, 60, 65]}, ["2024-01-02", "2024-02-01", "2024-03-01", "2024-03-28"]
    )
    result = run_backtest(make_plan(fractional=False), prices, benchmark=None)
    got = [
        (f"{r.date:%m-%d}", r.ticker, r.amount, r.shares, r.cash_after, r.cumulative_invested)
        for r in result.ledger.itertuples()
    ]
    assert got == [
        ("01-02", "AAA", 30.0, 1.0, 70.0, 100.0),  # AAA: 50 buys 1 at 30, 20 left; BBB: 50 < 80, all kept
        ("02-01", "AAA", 60.0, 2.0, 110.0, 200.0),  # AAA: 20 + 50 = 70 buys 2 at 30, 10 left
        ("02-01", "BBB", 70.0, 1.0, 40.0, 200.0),  # BBB: 50 + 50 = 100 buys 1 at 70, 30 left
        ("03-01", "AAA", 40.0, 1.0, 100.0, 300.0),  # AAA: 10 + 50 = 60 buys 1 at 40, 20 left
        ("03-01", "BBB", 60.0, 1.0, 40.0, 300.0),  # BBB: 30 + 50 = 80 buys 1 at 60, 20 left
    ]
    assert result.invested == 300.0
    assert result.dca.cash == 40.0
    assert result.value == 4 * 45 + 2 * 65 + 40 == 350.0
    assert result.gain == 50.0
    assert result.end == pd.Timestamp("2024-03-28")
    assert result.holdings.loc["AAA", "cost_basis"] == 130.0 and result.holdings.loc["BBB", "cost_basis"] == 130.0
    assert result.value_series.tolist() == [30 + 70, 90 + 70 + 40, 160 + 120 + 40, 180 + 130 + 40]
    assert result.invested_series.tolist() == [100.0, 200.0, 300.0, 300.0]
    # lump sum: 300 on 2 Jan, 150 each: AAA 5 at 30, BBB 1 at 80 (70 left)
    assert result.lump_sum.value == 5 * 45 + 1 * 65 + 70 == 360.0
    assert result.lump_sum.twr == pytest.approx(360 / 300 - 1)


def test_fee_per_order_comes_out_of_the_amount():
    prices = frame({"AAA": [30.0], "BBB": [80.0]}, ["2024-01-02"])
    result = run_backtest(
        make_plan(contribution=100.0, fee=1.0, allocation={"AAA": 60, "BBB": 40}, end="2024-01-31"),
        prices,
        benchmark=None,
    )
    led = result.ledger
    assert led["amount"].tolist() == [60.0, 40.0]
    assert led["fee"].tolist() == [1.0, 1.0]
    assert led["shares"].tolist() == pytest.approx([59 / 30, 39 / 80])
    assert result.invested == 100.0 and result.dca.fees == 2.0
    assert result.value == 98.0  # fees are a loss on day one
    assert result.gain == -2.0


def test_to_target_tops_up_what_is_below_target_in_proportion_to_the_shortfall():
    w = np.array([0.5, 0.3, 0.2])
    # values 400/150/150 + 100 new: total 800, targets 400/240/160 -> B short 90, C 10, A 0
    assert to_target_amounts(np.array([400.0, 150.0, 150.0]), w, 100.0) == pytest.approx([0.0, 90.0, 10.0])
    # 300 new: total 1000, targets 500/300/200 -> every shortfall filled exactly
    assert to_target_amounts(np.array([400.0, 150.0, 150.0]), w, 300.0) == pytest.approx([100.0, 150.0, 50.0])
    # empty account: the pro-rata split
    assert to_target_amounts(np.zeros(3), w, 1000.0) == pytest.approx([500.0, 300.0, 200.0])
    # A far above target gets nothing; total 1020, targets 510/306/204: B short 306, C 184 -> 100 x 306/490, x 184/490
    got = to_target_amounts(np.array([900.0, 0.0, 20.0]), w, 100.0)
    assert got == pytest.approx([0.0, 100 * 306 / 490, 100 * 184 / 490])
    assert to_target_cents(10000, [900.0, 0.0, 20.0], w) == [0, 6245, 3755]  # 62.448... and 37.551... to the cent


def test_to_target_backtest_hand_worked():
    # 2 Jan: 1000 (initial 900 + 100) split 500/300/200 at 10 -> 50/30/20 shares.
    # 1 Feb: prices 8/5/7.5 -> values 400/150/150; the 100 goes 90 to BBB and 10 to CCC.
    prices = frame({"AAA": [10.0, 8.0], "BBB": [10.0, 5.0], "CCC": [10.0, 7.5]}, ["2024-01-02", "2024-02-01"])
    plan = make_plan(
        initial=900.0, end="2024-02-15", rebalance="to-target", allocation={"AAA": 50, "BBB": 30, "CCC": 20}
    )
    result = run_backtest(plan, prices, benchmark=None)
    feb = result.ledger[result.ledger["date"] == "2024-02-01"]
    assert feb["ticker"].tolist() == ["BBB", "CCC"]
    assert feb["amount"].tolist() == [90.0, 10.0]
    assert feb["shares"].tolist() == pytest.approx([18.0, 10 / 7.5])
    hold = result.holdings
    assert (hold["value"] / hold["weight"]).round(6).nunique() == 1
    assert hold["weight"].tolist() == pytest.approx([0.5, 0.3, 0.2])  # back on target
    assert result.value == 800.0 and result.invested == 1100.0


def test_xirr_matches_pyxirr_and_hand_cases():
    assert xirr(["2023-01-01", "2024-01-01"], [-100, 110]) == pytest.approx(0.10, abs=1e-12)
    assert xirr(["2024-01-01", "2024-12-31"], [-100, 110]) == pytest.approx(0.10, abs=1e-12)  # 365 days
    cases = [
        (["2020-01-01", "2020-03-01", "2020-10-30", "2021-06-15"], [-1000, -500, -250, 2100]),
        (["2020-01-01", "2020-02-01", "2020-03-01"], [-1000, -1000, 1500]),  # a loss
        (["2010-01-04", "2030-01-04"], [-1, 1000]),  # huge rate
        (["2008-01-02", "2008-02-01", "2008-12-31"], [-100, -100, 20]),  # -90 %
    ]
    for dates, amounts in cases:
        assert xirr(dates, amounts) == pytest.approx(pyxirr.xirr(pd.to_datetime(dates).date, amounts), rel=1e-9)
    assert np.isnan(xirr(["2020-01-01", "2021-01-01"], [-100, -5]))  # no positive flow


def test_twr_of_a_single_asset_is_its_price_return():
    values = pd.Series([100.0, 220.0, 18.333333333333332 * 11], index=pd.date_range("2024-01-01", periods=3))
    flows = pd.Series([100.0, 100.0, 0.0], index=values.index)
    # 10 shares at 10, then 100 more at 12 (value 120 + 100), then the price is 11: +10 %
    assert time_weighted_return(values, flows) == pytest.approx(0.10)
    assert independent_twr(values, flows) == pytest.approx(0.10)


# -- real data -------------------------------------------------------------------------


DESIGN_PLAN = {
    "name": "Rotation core",
    "contribution": 500.0,
    "frequency": "monthly",
    "anchor": "first-session",
    "start": "2026-12-01",
    "end": "2027-12-31",
    "allocation": {"VBR": 40, "DFAT": 30, "EEMV": 30},
}


@pytest.fixture(scope="module")
def real(closes):
    return closes[["VBR", "DFAT", "EEMV", "VTV", "EFV", "SPY"]]


def test_design_allocation_2022_2025_on_real_data(real):
    plan = parse_plan(DESIGN_PLAN)
    result = run_backtest(plan, real, "2022-01-01", "2025-12-31")
    assert result.start == pd.Timestamp("2022-01-03") and result.end == pd.Timestamp("2025-12-31")
    assert result.buys == 48 and len(result.ledger) == 144
    assert result.invested == 24000.0
    check_ledger_reconciles(result, real)

    # independent: 200/150/150 each first session, fractional shares at that close
    buys = result.ledger["date"].unique()
    last = real.loc["2025-12-31"]
    expected = sum(
        amount / real.at[day, t] * last[t] for day in buys for t, amount in (("VBR", 200), ("DFAT", 150), ("EEMV", 150))
    )
    assert result.value == round(expected, 2)
    # the figures a user reads (bundled snapshot through 2026-08-03)
    assert result.value == 29596.46 and result.gain == 5596.46
    assert round(result.xirr, 4) == 0.1046 and round(result.twr, 4) == 0.2483

    flows = [(d, -500.0) for d in buys] + [(result.end, result.value)]
    assert result.xirr == pytest.approx(pyxirr.xirr([f[0] for f in flows], [f[1] for f in flows]), rel=1e-9)

    # TWR from an independently built daily value (cumulative shares x closes) by the unit-value method
    window = real.loc[result.start : result.end, ["VBR", "DFAT", "EEMV"]]
    held = result.ledger.pivot_table(index="date", columns="ticker", values="shares", aggfunc="sum")
    held = held.reindex(window.index).fillna(0.0).cumsum()[window.columns]
    values = (held * window).sum(axis=1)
    flow = pd.Series(500.0, index=pd.DatetimeIndex(buys))
    assert np.allclose(values.to_numpy(), result.value_series.to_numpy(), rtol=1e-12)
    assert result.twr == pytest.approx(independent_twr(values, flow), rel=1e-9)
    # max drawdown of the TWR index, checked by hand on the unit values
    nav = [1.0]
    units = 0.0
    for day, v in values.items():
        f = float(flow.get(day, 0.0))
        if units > 0:
            nav.append((v - f) / units)
        units += f / nav[-1]
    nav = np.array(nav)
    assert result.max_drawdown.depth == pytest.approx(float(np.min(nav / np.maximum.accumulate(nav) - 1)), rel=1e-9)

    # lump sum: 24,000 on 3 Jan 2022, 40/30/30
    first = real.loc["2022-01-03"]
    lump = sum(24000 * w / first[t] * last[t] for t, w in (("VBR", 0.4), ("DFAT", 0.3), ("EEMV", 0.3)))
    assert result.lump_sum.value == round(lump, 2)
    assert result.lump_sum.invested == 24000.0
    assert result.lump_sum.twr == pytest.approx(lump / 24000 - 1, rel=1e-9)
    assert result.lump_sum.xirr == pytest.approx(
        pyxirr.xirr([result.start, result.end], [-24000.0, result.lump_sum.value]), rel=1e-9
    )
    # benchmark: the same 500s into SPY; its TWR is SPY's own return over the window
    spy = real["SPY"]
    bench = sum(500 / spy[d] * spy["2025-12-31"] for d in buys)
    assert result.benchmark.value == round(bench, 2)
    assert result.benchmark.twr == pytest.approx(spy["2025-12-31"] / spy["2022-01-03"] - 1, rel=1e-9)

    data = result.to_json_dict()
    for key in SUMMARY_KEYS:
        assert key in data and key in data["lump_sum"] and key in data["benchmark"]
    assert data["invested"] == 24000.0 and data["value"] == 29596.46 and data["gain"] == 5596.46
    assert data["start"] == "2022-01-03" and data["end"] == "2025-12-31"
    assert data["benchmark"]["ticker"] == "SPY"
    json.dumps(data, allow_nan=False)


def naive_to_target_whole_shares(prices: pd.DataFrame, weights: list[float]) -> float:
    """The "Value tilt" plan below in a plain loop, written from the rule's words: the last session of each
    month of 2015-2024 (from the data's own dates) plus 10,000 on the first; 1,000 a month, 5 % more each plan
    year; targets w x (holdings + cash); the cash to the holdings below target in proportion to their shortfall,
    in cents (largest remainder); whole shares at the close after a 1.00 fee; what is left stays in the pool."""
    window = prices.loc["2015-01-01":"2024-12-31"]
    month_ends = set(window.groupby(window.index.to_period("M")).tail(1).index)
    shares = [0] * len(weights)
    pool = 0
    for day, row in window.iterrows():
        money_in = 0
        if day == window.index[0]:
            money_in += 1_000_000
        if day in month_ends:
            years = day.year - 2015
            money_in += int(Decimal(1000 * 1.05**years).quantize(Decimal("0.01"), ROUND_HALF_UP) * 100)
        if not money_in:
            continue
        pool += money_in
        values = [n * p for n, p in zip(shares, row)]
        total = sum(values) + pool / 100
        short = [max(w * total - v, 0.0) for w, v in zip(weights, values)]
        exact = [Fraction(pool) * Fraction(x) / Fraction(sum(short)) for x in short]
        budget = [int(e) for e in exact]
        for i in sorted(range(len(exact)), key=lambda i: (-(exact[i] - budget[i]), i))[: pool - sum(budget)]:
            budget[i] += 1
        for i, price in enumerate(row):
            n = int((budget[i] - 100) / 100 // price) if budget[i] > 100 else 0
            while n and int(Decimal(repr(n * price)).quantize(Decimal("0.01"), ROUND_HALF_UP) * 100) + 100 > budget[i]:
                n -= 1
            if n:
                shares[i] += n
                pool -= int(Decimal(repr(n * price)).quantize(Decimal("0.01"), ROUND_HALF_UP) * 100) + 100
    last = window.iloc[-1]
    return round(sum(n * p for n, p in zip(shares, last)) + pool / 100, 2)


def test_2015_2024_whole_shares_step_up_to_target_on_real_data(real):
    plan = parse_plan(
        {
            "name": "Value tilt",
            "contribution": 1000.0,
            "frequency": "monthly",
            "anchor": "last-session",
            "start": "2015-01-01",
            "end": "2024-12-31",
            "allocation": {"VBR": 40, "VTV": 30, "EFV": 30},
            "initial": 10000.0,
            "step_up_pct": 5.0,
            "fee": 1.0,
            "fractional": False,
            "rebalance": "to-target",
        }
    )
    result = run_backtest(plan, real)  # the plan's own (past) window
    assert result.start == pd.Timestamp("2015-01-02") and result.end == pd.Timestamp("2024-12-31")
    assert result.buys == 121
    # 10,000 + 12 x (1000, 1050, 1102.50, 1157.63, 1215.51, 1276.28, 1340.10, 1407.10, 1477.46, 1551.33)
    ladder = [1000, 1050, 1102.50, 1157.63, 1215.51, 1276.28, 1340.10, 1407.10, 1477.46, 1551.33]
    assert result.invested == round(10000 + 12 * sum(ladder), 2) == 160934.92
    assert (result.ledger["shares"] % 1 == 0).all()
    assert result.dca.fees == len(result.ledger) * 1.0
    check_ledger_reconciles(result, real)
    # cash never piles up: each pool is under the price of the cheapest share plus fees
    assert result.dca.cash < real.loc["2024-12-31", ["VBR", "VTV", "EFV"]].max() + 3
    weights = result.holdings["weight"]
    assert weights.sub(pd.Series({"VBR": 0.4, "VTV": 0.3, "EFV": 0.3})).abs().max() < 0.02
    assert result.value == naive_to_target_whole_shares(real[["VBR", "VTV", "EFV"]], [0.4, 0.3, 0.3])
    assert result.value == 254031.66 and result.gain == 93096.74
    flows = result.invested_series.diff().fillna(result.invested_series.iloc[0])
    flows = flows[flows != 0]
    assert result.xirr == pytest.approx(
        pyxirr.xirr(list(flows.index) + [result.end], list(-flows) + [result.value]), rel=1e-9
    )


def test_2015_2024_pro_rata_whole_shares(real):
    plan = parse_plan(
        {
            "name": "VVE",
            "contribution": 750.0,
            "frequency": "weekly",
            "anchor": "wed",
            "start": "2015-01-01",
            "end": "2024-12-31",
            "allocation": {"VBR": 34, "VTV": 33, "EFV": 33},
            "fractional": False,
        }
    )
    result = run_backtest(plan, real)
    check_ledger_reconciles(result, real)
    # each ticker's unspent remainder is below its own share price
    assert result.dca.cash < real.loc["2024-12-31", ["VBR", "VTV", "EFV"]].sum()
    assert result.holdings["cost_basis"].sum() + result.dca.cash == pytest.approx(result.invested, abs=0.005)


def test_future_plan_uses_a_recent_window_of_its_length(real):
    result = run_backtest(parse_plan(DESIGN_PLAN), real)
    assert result.end == pd.Timestamp("2026-08-03")
    assert result.start == pd.Timestamp("2025-08-01") and result.buys == 13
    check_ledger_reconciles(result, real)


def test_unknown_ticker_and_no_data_in_window(real):
    plan = parse_plan({**DESIGN_PLAN, "allocation": {"VBR": 50, "ZZZQ": 50}})
    with pytest.raises(DataUnavailable, match="no price data for ZZZQ") as info:
        run_backtest(plan, real, "2022-01-01", "2025-12-31")
    assert info.value.exit_code == 3
    with pytest.raises(DataUnavailable, match="DFAT has no prices before 2021-06-14"):
        run_backtest(parse_plan(DESIGN_PLAN), real, "2019-01-01", "2020-12-31")
    with pytest.raises(DataUnavailable, match="no prices in the window from 2027-01-01"):
        run_backtest(parse_plan(DESIGN_PLAN), real, "2027-01-01", "2027-12-31")
    with pytest.raises(DataUnavailable, match="benchmark NOPE"):
        run_backtest(parse_plan(DESIGN_PLAN), real.assign(NOPE=np.nan), "2022-01-01", "2025-12-31", benchmark="NOPE")
    with pytest.raises(BadInput, match="ends .* before it starts"):
        run_backtest(parse_plan(DESIGN_PLAN), real, "2025-01-01", "2024-01-01")


def test_thirty_year_weekly_five_tickers_is_fast():
    days = sessions_between("1996-01-02", "2026-07-31")
    rng = np.random.default_rng(0)
    names = ["AAA", "BBB", "CCC", "DDD", "SPY"]
    prices = pd.DataFrame(
        100 * np.exp(np.cumsum(rng.normal(0.0003, 0.012, (len(days), 5)), axis=0)), index=days, columns=names
    )
    plan = parse_plan(
        {
            "name": "30y",
            "contribution": 100.0,
            "frequency": "weekly",
            "anchor": "fri",
            "start": "1996-08-01",
            "end": "2026-07-31",
            "allocation": {n: 20 for n in names},
            "initial": 5000.0,
            "step_up_pct": 3.0,
            "fee": 1.0,
            "fractional": False,
            "rebalance": "to-target",
        }
    )
    t0 = time.perf_counter()
    result = run_backtest(plan, prices)
    elapsed = time.perf_counter() - t0
    fridays = pd.date_range("1996-08-02", "2026-07-31", freq="W-FRI")
    assert result.buys == len(fridays) + 1  # every Friday (or the next session) + the initial on Thu 1 Aug 1996
    check_ledger_reconciles(result, prices)
    assert elapsed < 3.0
