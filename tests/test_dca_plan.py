"""The DCA plan file: parsing, round trip, and a clear message naming the field for every invalid plan."""

import copy
import dataclasses
import datetime as dt
import json
import pickle

import pytest

from rotation_desk.core.dca.plan import DcaPlan, PlanError
from rotation_desk.core.dca.plan_json import parse_plan, parse_plan_text, plan_to_dict
from rotation_desk.data.plan_files import load_plan, save_plan
from rotation_desk.errors import BadInput

DESIGN_EXAMPLE = {
    "name": "Rotation core",
    "contribution": 500.0,
    "frequency": "monthly",
    "anchor": "first-session",
    "start": "2026-12-01",
    "end": "2027-12-31",
    "allocation": {"VBR": 40, "DFAT": 30, "EEMV": 30},
    "initial": 0.0,
    "step_up_pct": 0.0,
    "fee": 0.0,
    "fractional": True,
    "rebalance": "pro-rata",
}


def plan_dict(**changes):
    raw = copy.deepcopy(DESIGN_EXAMPLE)
    for key, value in changes.items():
        if value is ...:
            raw.pop(key, None)
        else:
            raw[key] = value
    return raw


def issues_of(raw) -> PlanError:
    with pytest.raises(PlanError) as info:
        parse_plan(raw)
    return info.value


def test_design_example_parses():
    plan = parse_plan(DESIGN_EXAMPLE)
    assert plan.name == "Rotation core"
    assert plan.contribution == 500.0
    assert plan.frequency == "monthly" and plan.anchor == "first-session"
    assert plan.start == dt.date(2026, 12, 1) and plan.end == dt.date(2027, 12, 31) and plan.count is None
    assert dict(plan.allocation) == {"VBR": 40.0, "DFAT": 30.0, "EEMV": 30.0}
    assert plan.tickers == ("VBR", "DFAT", "EEMV")
    assert plan.weights == pytest.approx({"VBR": 0.4, "DFAT": 0.3, "EEMV": 0.3})
    assert plan.fractional is True and plan.rebalance == "pro-rata"


def test_defaults_and_normalisation():
    raw = plan_dict(anchor=..., initial=..., step_up_pct=..., fee=..., fractional=..., rebalance=...)
    raw["allocation"] = {"vbr": 50, " dfat ": 50}
    plan = parse_plan(raw)
    assert plan.anchor == "first-session"
    assert plan.tickers == ("VBR", "DFAT")  # upper-cased, trimmed, in file order
    assert (plan.initial, plan.step_up_pct, plan.fee, plan.fractional, plan.rebalance) == (
        0.0,
        0.0,
        0.0,
        True,
        "pro-rata",
    )
    weekly = parse_plan(plan_dict(frequency="weekly", anchor=...))
    assert weekly.anchor == "mon"
    assert parse_plan(plan_dict(anchor="DAY:5")).anchor == "day:5"


def test_weights_like_thirds_are_accepted():
    plan = parse_plan(plan_dict(allocation={"VBR": 33.33, "DFAT": 33.33, "EEMV": 33.34}))
    assert sum(plan.allocation.values()) == pytest.approx(100.0)


def test_round_trip_dict_and_file(tmp_path):
    plan = parse_plan(plan_dict(end=..., count=24, initial=1000.0, step_up_pct=3.5, fee=1.0, fractional=False))
    again = parse_plan(plan_to_dict(plan))
    assert again == plan
    path = save_plan(plan, tmp_path / "plans" / "core.json")
    assert load_plan(path) == plan
    on_disk = json.loads(path.read_text())
    assert list(on_disk) == [
        "name",
        "contribution",
        "frequency",
        "anchor",
        "start",
        "count",
        "allocation",
        "initial",
        "step_up_pct",
        "fee",
        "fractional",
        "rebalance",
    ]
    assert on_disk["allocation"] == {"VBR": 40, "DFAT": 30, "EEMV": 30}
    assert on_disk["count"] == 24 and "end" not in on_disk
    # the README's example plan round-trips to the same JSON object
    assert plan_to_dict(parse_plan(DESIGN_EXAMPLE)) == DESIGN_EXAMPLE
    assert not list(path.parent.glob("*.tmp"))


def test_plan_is_frozen_hashable_and_copyable():
    plan = parse_plan(DESIGN_EXAMPLE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.contribution = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        plan.allocation["VBR"] = 50  # type: ignore[index]
    assert hash(plan) == hash(parse_plan(DESIGN_EXAMPLE))
    assert copy.deepcopy(plan) == plan
    assert pickle.loads(pickle.dumps(plan)) == plan
    assert dataclasses.replace(plan, contribution=600.0).allocation == plan.allocation
    assert json.loads(json.dumps(dataclasses.asdict(plan), default=str))["allocation"] == {
        "VBR": 40,
        "DFAT": 30,
        "EEMV": 30,
    }
    with pytest.raises(TypeError):
        copy.deepcopy(plan).allocation.update({"SPY": 10})
    assert isinstance(plan, DcaPlan)


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"allocation": {"VBR": 40, "DFAT": 30, "EEMV": 20}}, "allocation", "weights sum to 90%"),
        ({"allocation": {"VBR": 40, "DFAT": 30, "EEMV": 40.5}}, "allocation", "weights sum to 110.5%"),
        ({"allocation": {"VBR": 110, "DFAT": -10}}, "allocation", "DFAT: percent must be greater than 0"),
        ({"allocation": {"VBR": "60", "DFAT": 40}}, "allocation", "VBR: percent must be a number"),
        ({"allocation": {"vbr": 50, "VBR": 50}}, "allocation", "VBR appears twice"),
        ({"allocation": {}}, "allocation", "at least one ticker"),
        ({"allocation": ["VBR", "DFAT"]}, "allocation", "must be an object"),
        ({"allocation": {"VB R": 100}}, "allocation", "is not a ticker symbol"),
        ({"allocation": ...}, "allocation", "is required"),
        ({"contribution": -500}, "contribution", "must be greater than 0, got -500"),
        ({"contribution": 0}, "contribution", "must be greater than 0, got 0"),
        ({"contribution": "500"}, "contribution", 'must be a number, got "500"'),
        ({"contribution": True}, "contribution", "must be a number"),
        ({"contribution": ...}, "contribution", "is required"),
        ({"initial": -1000}, "initial", "must not be negative, got -1000"),
        ({"fee": -1}, "fee", "must not be negative, got -1"),
        ({"fee": 500}, "fee", "must be less than the contribution"),
        ({"step_up_pct": -3}, "step_up_pct", "must not be negative, got -3"),
        ({"end": "2026-11-30"}, "end", "end 2026-11-30 is before start 2026-12-01"),
        ({"count": 12}, "end", "either end or count, not both"),
        ({"end": ...}, "end", "needs an end date or a count"),
        ({"end": ..., "count": 0}, "count", "between 1 and 10000, got 0"),
        ({"end": ..., "count": 2.5}, "count", "must be a whole number, got 2.5"),
        ({"end": ..., "count": "12"}, "count", "must be a whole number"),
        ({"start": "2027-02-30"}, "start", "is not a real date: 2027-02-30"),
        ({"start": "12/01/2026"}, "start", "must be a date YYYY-MM-DD"),
        ({"start": ...}, "start", "is required"),
        ({"start": "1970-01-02", "end": "1971-01-01"}, "start", "outside the trading calendar"),
        ({"frequency": "daily"}, "frequency", "must be one of weekly, biweekly, monthly, quarterly"),
        ({"anchor": "mon"}, "anchor", "'mon' does not fit monthly"),
        ({"frequency": "weekly", "anchor": "first-session"}, "anchor", "does not fit weekly: use a weekday"),
        ({"frequency": "biweekly", "anchor": "sat"}, "anchor", "does not fit biweekly"),
        ({"anchor": "day:0"}, "anchor", "day:0 is out of range, N must be 1..31"),
        ({"anchor": "day:32"}, "anchor", "day:32 is out of range"),
        ({"frequency": "quarterly", "anchor": "mid-month"}, "anchor", "does not fit quarterly"),
        ({"fractional": "yes"}, "fractional", "must be true or false"),
        ({"rebalance": "monthly"}, "rebalance", "must be one of pro-rata, to-target"),
        ({"name": ""}, "name", "must be a non-empty string"),
        ({"name": ...}, "name", "is required"),
        ({"contributon": 500}, "contributon", "unknown key 'contributon'"),
    ],
)
def test_invalid_plan_names_the_field(changes, field, words):
    err = issues_of(plan_dict(**changes))
    assert field in err.fields
    assert any(words in m for m in err.for_field(field)), err.issues
    text = str(err)
    assert f"{field}: " in text and words in text
    assert isinstance(err, BadInput) and err.exit_code == 2


def test_every_problem_is_reported_at_once():
    raw = plan_dict(contribution=-5, fee=-1, end="2020-01-01", frequency="monthly", anchor="fri", colour="blue")
    raw["allocation"] = {"VBR": 40, "DFAT": 30}
    err = issues_of(raw)
    assert set(err.fields) == {"contribution", "fee", "end", "anchor", "allocation", "colour"}
    assert "weights sum to 70%" in str(err)


def test_not_an_object():
    err = issues_of(["not", "a", "plan"])
    assert err.fields == ("file",) and "must be a JSON object" in str(err)


def test_malformed_json_gives_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "name": "x",\n  "contribution": 500,,\n}\n')
    # the second comma of line 3 is its 23rd character
    with pytest.raises(PlanError) as info:
        load_plan(path)
    assert info.value.fields == ("file",)
    assert "not valid JSON" in str(info.value) and "line 3 column 23" in str(info.value)
    assert str(path) in str(info.value)
    assert info.value.exit_code == 2


def test_missing_file_and_bad_encoding(tmp_path):
    with pytest.raises(PlanError, match="no such file"):
        load_plan(tmp_path / "nope.json")
    bad = tmp_path / "latin1.json"
    bad.write_bytes(b'{"name": "caf\xe9"}')
    with pytest.raises(PlanError, match="not UTF-8"):
        load_plan(bad)


def test_hand_edited_invalid_file_is_not_changed(tmp_path):
    path = tmp_path / "edited.json"
    text = json.dumps(plan_dict(allocation={"VBR": 60, "DFAT": 30}), indent=2)
    path.write_text(text)
    with pytest.raises(PlanError, match="allocation: weights sum to 90%"):
        load_plan(path)
    assert path.read_text() == text


def test_parse_plan_text_ok():
    assert parse_plan_text(json.dumps(DESIGN_EXAMPLE)) == parse_plan(DESIGN_EXAMPLE)
