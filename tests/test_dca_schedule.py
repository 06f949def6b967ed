"""Forward schedule: NYSE dates across holidays, bounds, step-up, cent splits, CSV and .ics exports."""

import datetime as dt
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from icalendar import Calendar

from rotation_desk.core import calendar as nyse
from rotation_desk.core.dca.exports import event_uid, schedule_to_csv, schedule_to_ics
from rotation_desk.core.dca.money import buy_order, split_cents, to_cents
from rotation_desk.core.dca.plan import PlanError, PlanIssue
from rotation_desk.core.dca.plan_json import parse_plan
from rotation_desk.core.dca.schedule import (
    buy_dates,
    plan_contributions,
    schedule_frame,
    schedule_issues,
    schedule_summary,
)
from rotation_desk.data.dca_exports import write_schedule_csv, write_schedule_ics


def plan(**changes):
    raw = {
        "name": "Test plan",
        "contribution": 100.0,
        "frequency": "monthly",
        "anchor": "first-session",
        "start": "2027-01-01",
        "end": "2027-12-31",
        "allocation": {"VBR": 100},
    }
    raw.update(changes)
    if changes.get("count") is not None and "end" not in changes:
        raw.pop("end")
    return parse_plan(raw)


def days(plan_):
    return [f"{d:%Y-%m-%d}" for d in buy_dates(plan_)]


# -- the calendar -------------------------------------------------------------------


def test_calendar_knows_future_holidays():
    import exchange_calendars as xcals

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Series.values returning an ndarray")
        reference = xcals.get_calendar("XNYS", start="2026-01-01", end="2041-12-31")
    # Independence Day 2027 falls on a Sunday, observed Monday 5 July: no session
    assert not reference.is_session("2027-07-05") and not nyse.is_session("2027-07-05")
    assert nyse.next_session("2027-07-05") == pd.Timestamp("2027-07-06")
    for holiday in ("2027-03-26", "2027-11-25", "2027-12-24", "2040-12-25", "2040-11-22"):
        assert not nyse.is_session(holiday), holiday
        assert not reference.is_session(holiday), holiday
    assert nyse.is_session("2027-11-26")  # the day after Thanksgiving trades (early close)
    assert nyse.CALENDAR_END >= pd.Timestamp("2040-12-31")
    assert nyse.CALENDAR_START <= pd.Timestamp("1993-01-29")  # SPY's first close
    assert nyse.xnys() is nyse.xnys()  # built once


def test_calendar_helpers():
    assert nyse.first_session_of_month(2027, 1) == pd.Timestamp("2027-01-04")
    assert nyse.last_session_of_month(2027, 12) == pd.Timestamp("2027-12-31")
    assert nyse.last_session_of_month(2024, 3) == pd.Timestamp("2024-03-28")  # Good Friday 29 March
    assert nyse.first_session_of_quarter(2027, 3) == pd.Timestamp("2027-07-01")
    assert nyse.last_session_of_quarter(2027, 1) == pd.Timestamp("2027-03-31")
    assert nyse.previous_session("2027-07-05") == pd.Timestamp("2027-07-02")
    assert nyse.weekly_anchor("2027-03-24", "fri") == pd.Timestamp("2027-03-29")  # Good Friday
    assert nyse.day_of_month_session(2027, 2, 31) == pd.Timestamp("2027-03-01")
    got = nyse.sessions_between("2027-11-22", "2027-11-29")
    assert [f"{d:%m-%d}" for d in got] == ["11-22", "11-23", "11-24", "11-26", "11-29"]
    with pytest.raises(Exception, match="outside the trading calendar"):
        nyse.next_session("2090-01-01")


# -- buy dates ----------------------------------------------------------------------


def test_monthly_day5_over_july_2027_moves_to_the_6th():
    assert days(plan(anchor="day:5", start="2027-07-01", end="2027-07-31")) == ["2027-07-06"]


def test_monthly_day5_whole_year():
    # weekends roll to Monday; 5 July (holiday) and 6 Sept (Labor Day) roll on to Tuesday
    assert days(plan(anchor="day:5")) == [
        "2027-01-05",
        "2027-02-05",
        "2027-03-05",
        "2027-04-05",
        "2027-05-05",
        "2027-06-07",
        "2027-07-06",
        "2027-08-05",
        "2027-09-07",
        "2027-10-05",
        "2027-11-05",
        "2027-12-06",
    ]


def test_day31_is_clipped_to_month_end_then_rolled():
    # Jan 31 is a Sunday -> Feb 1; Feb has 28 days: Sun 28 Feb -> Mon 1 Mar; April has 30 days
    assert days(plan(anchor="day:31", end="2027-04-30")) == ["2027-02-01", "2027-03-01", "2027-03-31", "2027-04-30"]


def test_first_and_last_session_anchors():
    first = days(plan(anchor="first-session"))
    assert first[0] == "2027-01-04" and first[4] == "2027-05-03" and len(first) == 12
    last = days(plan(anchor="last-session"))
    assert last[:3] == ["2027-01-29", "2027-02-26", "2027-03-31"] and last[-1] == "2027-12-31"


def test_quarterly_anchors_use_calendar_quarters():
    assert days(plan(frequency="quarterly")) == ["2027-01-04", "2027-04-01", "2027-07-01", "2027-10-01"]
    assert days(plan(frequency="quarterly", anchor="last-session")) == [
        "2027-03-31",
        "2027-06-30",
        "2027-09-30",
        "2027-12-31",
    ]
    assert days(plan(frequency="quarterly", anchor="day:5")) == ["2027-01-05", "2027-04-05", "2027-07-06", "2027-10-05"]
    # a start inside a quarter skips that quarter's first session
    assert days(plan(frequency="quarterly", start="2027-02-10"))[0] == "2027-04-01"


def test_weekly_across_thanksgiving_and_good_friday():
    thursdays = days(plan(frequency="weekly", anchor="thu", start="2027-11-01", end="2027-12-05"))
    assert thursdays == ["2027-11-04", "2027-11-11", "2027-11-18", "2027-11-26", "2027-12-02"]
    fridays = days(plan(frequency="weekly", anchor="fri", start="2027-03-15", end="2027-04-05"))
    assert fridays == ["2027-03-19", "2027-03-29", "2027-04-02"]


def test_biweekly_every_second_week_from_first_anchor():
    # MLK day (18 Jan) and Presidents' Day (15 Feb) 2027 move those Mondays to Tuesday
    got = days(plan(frequency="biweekly", anchor="mon", count=4))
    assert got == ["2027-01-04", "2027-01-19", "2027-02-01", "2027-02-16"]


def test_count_and_end_bounds():
    assert len(buy_dates(plan(count=3))) == 3
    assert days(plan(count=3)) == ["2027-01-04", "2027-02-01", "2027-03-01"]
    assert len(buy_dates(plan(frequency="weekly", anchor="wed", count=100))) == 100
    # the July buy rolls to 6 July, after the end date: it is not in the plan
    assert days(plan(anchor="day:5", start="2027-06-01", end="2027-07-05")) == ["2027-06-07"]
    # an end date on the buy session itself is inclusive
    assert days(plan(anchor="day:5", start="2027-06-01", end="2027-07-06")) == ["2027-06-07", "2027-07-06"]


def test_window_without_a_buy_date_is_reported():
    empty = plan(start="2027-07-02", end="2027-07-30")  # July's first session (1 July) is before start
    assert schedule_issues(empty) == [
        PlanIssue("end", "no buy date between 2027-07-02 and 2027-07-30 (anchor first-session)")
    ]
    with pytest.raises(PlanError, match="end: no buy date"):
        schedule_frame(empty, {})
    assert schedule_issues(plan()) == []
    assert days(plan(start="1990-01-01", end="1990-01-31")) == ["1990-01-02"]


def test_plan_past_the_calendar_says_so():
    with pytest.raises(PlanError, match="count: the schedule runs past 2075-12-31"):
        buy_dates(plan(start="2070-01-01", count=200))


# -- amounts ------------------------------------------------------------------------


def test_step_up_each_plan_year():
    p = plan(anchor="day:15", start="2027-03-15", count=25, step_up_pct=10.0)
    amounts = {f"{c.date:%Y-%m-%d}": c.amount for c in plan_contributions(p)}
    assert amounts["2027-03-15"] == 100.0
    assert amounts["2028-02-15"] == 100.0  # still plan year 0
    assert amounts["2028-03-15"] == 110.0  # first anniversary
    assert amounts["2029-03-15"] == 121.0
    assert sum(amounts.values()) == 12 * 100 + 12 * 110 + 121
    odd = plan(start="2027-01-01", end="2029-12-31", step_up_pct=3.5)
    years = {c.date.year: c.amount for c in plan_contributions(odd)}
    assert years == {2027: 100.0, 2028: 103.5, 2029: 107.12}  # 100 x 1.035^2 = 107.1225


def test_initial_on_first_session():
    p = plan(anchor="day:15", start="2027-07-04", end="2027-08-31", initial=1000.0)
    got = [(f"{c.date:%Y-%m-%d}", c.amount) for c in plan_contributions(p)]
    # 4 July is a Sunday, 5 July the holiday: the lump goes in on Tuesday 6 July
    assert got == [("2027-07-06", 1000.0), ("2027-07-15", 100.0), ("2027-08-16", 100.0)]
    same_day = plan(start="2027-01-01", end="2027-02-28", initial=1000.0)
    assert [c.amount for c in plan_contributions(same_day)] == [1100.0, 100.0]


def test_cents_rounding_and_largest_remainder():
    assert to_cents(2.675) == 268 and to_cents(0.125) == 13 and to_cents(1.005) == 101
    assert to_cents(-2.675) == -268 and to_cents(107.1225) == 10712
    assert split_cents(10000, [33.33, 33.33, 33.34]) == [3333, 3333, 3334]
    assert split_cents(10, [33.33, 33.33, 33.34]) == [3, 3, 4]
    assert split_cents(3, [50, 25, 25]) == [1, 1, 1]
    assert split_cents(1, [50, 50]) == [1, 0]  # a tie goes to the first listed
    rng = np.random.default_rng(5)
    for _ in range(300):
        weights = rng.integers(1, 100, size=rng.integers(1, 8)).astype(float)
        total = int(rng.integers(0, 10**7))
        parts = split_cents(total, weights)
        assert sum(parts) == total
        exact = total * weights / weights.sum()
        assert np.all(np.abs(np.array(parts) - exact) < 1.0)


def test_buy_order_rule():
    assert buy_order(10000, 100, 30.0, True) == (10000, pytest.approx(99 / 30))
    assert buy_order(10000, 100, 30.0, False) == (9100, 3.0)  # 3 shares = 90.00 + fee 1.00
    assert buy_order(100, 100, 30.0, True) == (0, 0.0)  # the budget only pays the fee: no order
    assert buy_order(2999, 0, 30.0, False) == (0, 0.0)


def test_schedule_frame_amounts_and_summary():
    p = plan(
        anchor="day:5",
        start="2027-06-01",
        end="2027-08-31",
        contribution=100.0,
        allocation={"VBR": 33.33, "DFAT": 33.33, "EEMV": 33.34},
        initial=50.0,
    )
    frame = schedule_frame(p, {"VBR": 200.0, "DFAT": 40.0, "EEMV": 50.0})
    assert list(frame.columns) == ["date", "ticker", "amount", "est_shares", "running_total"]
    first_day = frame[frame["date"] == "2027-06-01"]
    # 50.00: 16.665, 16.665, 16.67 -> floors 16.66, 16.66, 16.67; the spare cent breaks the tie to the first
    assert first_day["amount"].tolist() == [16.67, 16.66, 16.67]
    june7 = frame[frame["date"] == "2027-06-07"]
    assert june7["amount"].tolist() == [33.33, 33.33, 33.34]
    assert june7["est_shares"].tolist() == pytest.approx([33.33 / 200, 33.33 / 40, 33.34 / 50])
    assert frame["running_total"].iloc[-1] == 350.0
    assert frame["date"].dt.strftime("%Y-%m-%d").unique().tolist() == [
        "2027-06-01",
        "2027-06-07",
        "2027-07-06",
        "2027-08-05",
    ]
    summary = schedule_summary(frame)
    assert summary.buys == 4 and summary.orders == 12
    assert summary.total_invested == 350.0
    assert summary.per_ticker == {"VBR": 116.66, "DFAT": 116.65, "EEMV": 116.69}
    assert sum(summary.per_ticker.values()) == pytest.approx(350.0, abs=1e-9)


def test_whole_share_estimates_carry_the_remainder():
    # 100.00 a month into a 150.00 share: 0 shares, then 1 (200 - 150 = 50 left), then 1 (150 - 150 = 0)
    p = plan(count=4, fractional=False, allocation={"VBR": 100})
    frame = schedule_frame(p, {"VBR": 150.0})
    assert frame["est_shares"].tolist() == [0.0, 1.0, 1.0, 0.0]
    fee = plan(count=2, fractional=False, fee=1.0)
    assert schedule_frame(fee, {"VBR": 33.0})["est_shares"].tolist() == [3.0, 3.0]
    unknown = schedule_frame(p, {})
    assert unknown["est_shares"].isna().all()


def test_csv_export(tmp_path):
    p = plan(count=2, allocation={"VBR": 60, "DFAT": 40}, fractional=False)
    frame = schedule_frame(p, {"VBR": 25.0, "DFAT": 7.0})
    path = write_schedule_csv(tmp_path / "s.csv", frame)
    text = schedule_to_csv(frame)
    assert path.read_text() == text
    assert text.splitlines() == [
        "date,ticker,amount,est_shares,running_total",
        "2027-01-04,VBR,60.00,2,60.00",
        "2027-01-04,DFAT,40.00,5,100.00",
        "2027-02-01,VBR,60.00,2,160.00",
        "2027-02-01,DFAT,40.00,6,200.00",
    ]
    back = pd.read_csv(path)
    assert back["amount"].sum() == pytest.approx(200.0)


def test_ics_export_parses_back(tmp_path):
    p = plan(
        name="Rotation core",
        contribution=500.0,
        start="2026-12-01",
        end="2027-12-31",
        allocation={"VBR": 40, "DFAT": 30, "EEMV": 30},
        initial=1000.0,
    )
    frame = schedule_frame(p, {"VBR": 210.0, "DFAT": 59.0, "EEMV": 63.0})
    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    path = write_schedule_ics(tmp_path / "s.ics", p, frame, now=now)
    data = schedule_to_ics(p, frame, now=now)
    assert path.read_bytes() == data
    assert b"\r\n" in data
    cal = Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0"
    assert "Rotation Desk" in str(cal["PRODID"])
    events = cal.walk("VEVENT")
    assert len(events) == 13  # 13 first sessions, Dec 2026 .. Dec 2027; the initial lump joins the first
    starts = [e.decoded("DTSTART") for e in events]
    assert all(type(s) is dt.date for s in starts)  # all-day events
    assert starts[0] == dt.date(2026, 12, 1) and starts[1] == dt.date(2027, 1, 4)
    assert [e.decoded("DTEND") - e.decoded("DTSTART") for e in events] == [dt.timedelta(days=1)] * 13
    assert all(e.decoded("DTSTAMP") == now for e in events)
    first = str(events[0]["DESCRIPTION"])
    assert first.splitlines() == ["VBR: 600.00", "DFAT: 450.00", "EEMV: 450.00", "Total: 1500.00"]
    for event in events:
        amounts = {k: float(v) for k, v in re.findall(r"^(\w+): ([\d.]+)$", str(event["DESCRIPTION"]), re.M)}
        assert amounts["VBR"] + amounts["DFAT"] + amounts["EEMV"] == pytest.approx(amounts["Total"])
    total = sum(float(re.search(r"Total: ([\d.]+)", str(e["DESCRIPTION"])).group(1)) for e in events)
    assert total == schedule_summary(frame).total_invested == 13 * 500 + 1000
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == 13
    assert uids[0] == event_uid("Rotation core", dt.date(2026, 12, 1))
    again = Calendar.from_ical(schedule_to_ics(p, frame))
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == uids  # stable across exports
