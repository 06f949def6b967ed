"""Schedule options (issue 15): every N weeks or months counted from the start, and non-sessions rolled to the
next or the previous session (payroll dates). Dates by hand from the NYSE calendar of 2026: holidays
1 Jan, 19 Jan, 16 Feb (Presidents' Day), 3 Apr, 25 May, 19 Jun, 3 Jul (Independence Day observed), 7 Sep."""

import json

import pytest

from rotation_desk.core.dca.plan import PlanError
from rotation_desk.core.dca.plan_json import parse_plan, plan_to_dict, plan_to_json
from rotation_desk.core.dca.schedule import buy_dates

BASE = {"name": "Payroll", "contribution": 300.0, "start": "2026-01-01", "allocation": {"VBR": 100}}


def dates(**raw) -> list[str]:
    return [f"{d:%Y-%m-%d}" for d in buy_dates(parse_plan({**BASE, **raw}))]


def test_previous_session_for_payroll_dates_and_next_session_as_before():
    monthly = {"frequency": "monthly", "anchor": "day:15", "end": "2026-08-31"}
    assert dates(**monthly, roll="previous-session") == [
        "2026-01-15", "2026-02-13", "2026-03-13", "2026-04-15", "2026-05-15", "2026-06-15", "2026-07-15", "2026-08-14",
    ]  # fmt: skip
    # the default: 15 Feb is a Sunday and Monday 16 Feb a holiday, so Tuesday
    assert dates(**monthly) == dates(**monthly, roll="next-session") == [
        "2026-01-15", "2026-02-17", "2026-03-16", "2026-04-15", "2026-05-15", "2026-06-15", "2026-07-15", "2026-08-17",
    ]  # fmt: skip
    # 4 July is a Saturday, Friday 3 July the holiday: Thursday before, Monday after
    july = {"frequency": "monthly", "anchor": "day:4", "start": "2026-07-01", "count": 1}
    assert dates(**july, roll="previous-session") == ["2026-07-02"]
    assert dates(**july) == ["2026-07-06"]


def test_every_n_weeks_counted_from_the_start():
    weekly = {"frequency": "weekly", "anchor": "mon", "start": "2026-01-05", "count": 4, "every": 3}
    assert dates(**weekly) == ["2026-01-05", "2026-01-26", "2026-02-17", "2026-03-09"]  # 16 Feb: a holiday
    assert dates(**weekly, roll="previous-session") == ["2026-01-05", "2026-01-26", "2026-02-13", "2026-03-09"]
    assert dates(frequency="biweekly", anchor="fri", start="2026-01-02", count=3, every=2) == [
        "2026-01-02", "2026-01-30", "2026-02-27",
    ]  # fmt: skip


def test_every_n_months_and_quarters_counted_from_the_start():
    assert dates(frequency="monthly", anchor="day:15", count=4, every=2, roll="previous-session") == [
        "2026-01-15", "2026-03-13", "2026-05-15", "2026-07-15",
    ]  # fmt: skip
    assert dates(frequency="monthly", anchor="first-session", start="2026-11-10", count=3, every=5) == [
        "2027-04-01",
        "2027-09-01",
        "2028-02-01",
    ]  # fmt: skip  (November's first session is before the start)
    assert dates(frequency="quarterly", anchor="last-session", count=3, every=2) == [
        "2026-03-31", "2026-09-30", "2027-03-31",
    ]  # fmt: skip
    assert dates(frequency="monthly", anchor="last-session", start="2026-11-01", count=3, every=2) == [
        "2026-11-30", "2027-01-29", "2027-03-31",
    ]  # fmt: skip


def test_old_files_keep_their_meaning_and_are_saved_as_before():
    old = {**BASE, "frequency": "monthly", "anchor": "day:15", "end": "2026-12-31"}
    plan = parse_plan(old)
    assert (plan.every, plan.roll) == (1, "next-session")
    assert "every" not in plan_to_dict(plan) and "roll" not in plan_to_dict(plan)
    new = parse_plan({**old, "every": 2, "roll": "previous-session"})
    data = json.loads(plan_to_json(new))
    assert (data["every"], data["roll"]) == (2, "previous-session")
    assert list(data)[:6] == ["name", "contribution", "frequency", "every", "anchor", "roll"]
    assert parse_plan(data) == new


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"every": 0}, "every: must be between 1 and 52 (months), got 0"),
        ({"every": 1.5}, "every: must be a whole number of months, got 1.5"),
        ({"every": "2"}, 'every: must be a whole number of months, got "2"'),
        ({"every": True}, "every: must be a whole number of months, got true"),
        ({"roll": "nearest"}, 'roll: must be one of next-session, previous-session, got "nearest"'),
    ],
)
def test_bad_options_are_named(change, says):
    with pytest.raises(PlanError) as err:
        parse_plan({**BASE, "frequency": "monthly", "end": "2026-12-31", **change})
    assert says in str(err.value)
