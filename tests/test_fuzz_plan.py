"""Fuzzing ``rotation-desk dca PLAN.json --schedule --ics --backtest --ledger`` (issue 12) with hypothesis: seeded,
bounded (200 plan files, ~25 s).

The rules every generated plan file must obey:
- the exit code is 0, 2 or 3 (never 1: no plan file makes the app crash);
- a failure prints exactly one line on stderr, no traceback, nothing on stdout, and writes no output file
  (not even the folder the outputs were to go in);
- a success writes all four outputs, and they read back: the schedule CSV and the ledger CSV with their
  columns, the calendar with one event per buy date, the backtest JSON with the documented keys.

Plans are built field by field from values that are valid, at the edges of the limits, or hostile (huge and
tiny numbers, long digit strings, control characters and lone surrogates, deep nesting, repeated keys), and
some files are valid plans with bytes inserted, deleted or replaced.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import icalendar
import pytest
from hypothesis import HealthCheck, event, given, seed, settings
from hypothesis import strategies as st

from rotation_desk.cli.main import main

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,  # no .hypothesis folder; the seed makes every run the same
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TICKERS = ["VBR", "DFAT", "EEMV", "AVUV", "SPY", "VTV", "EFV", "NOPE", "vbr", "BRK-B", "^GSPC", "", "A B"]
HOSTILE_TEXT = ["", " ", "a\nb", "tab\t", "\ud800", "x" * 250, "é" * 200, "\x00", "\u2028", "💸 plan", "name"]
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([0, 0.001, 0.004, 0.005, 0.01, 1, 100, 500, 1e9, 1e9 + 1, 1e15, 1e300, -1, 5e-324, 2**53]),
)
ANY_VALUE = st.one_of(NUMBERS, st.sampled_from(HOSTILE_TEXT), st.booleans(), st.none(), st.just([1, 2]), st.just({}))
DATES = st.one_of(
    st.dates(min_value=dt.date(1985, 1, 1), max_value=dt.date(2080, 12, 31)).map(lambda d: d.isoformat()),
    st.sampled_from(["2027-02-30", "12/01/2026", "2026-1-1", "", "2026-12-01T00:00"]),
)


WINDOWS = [("2016-01-01", "2017-12-31"), ("2020-06-15", "2021-06-30"), ("2026-12-01", "2027-12-31")]
VALID_ALLOCATIONS = [
    {"VBR": 100},
    {"VBR": 40, "DFAT": 30, "EEMV": 30},
    {"SPY": 50, "vtv": 50},
    {"EFV": 33.3333, "VTV": 66.6667},
]
ANCHORS = {"weekly": ["mon", "fri"], "biweekly": ["wed"], "monthly": ["first-session", "last-session", "day:31"]}
ANCHORS["quarterly"] = ["day:15", "last-session"]


@st.composite
def valid_plans(draw) -> dict:
    """A plan every field of which is valid (amounts anywhere in their range, a short window)."""
    start, end = draw(st.sampled_from(WINDOWS))
    frequency = draw(st.sampled_from(sorted(ANCHORS)))
    contribution = draw(st.one_of(st.floats(0.01, 1e9), st.sampled_from([0.01, 0.015, 1e9, 500])))
    raw = {
        "name": draw(st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40)),
        "contribution": contribution,
        "frequency": frequency,
        "anchor": draw(st.sampled_from(ANCHORS[frequency])),
        "start": start,
        "allocation": draw(st.sampled_from(VALID_ALLOCATIONS)),
        "initial": draw(st.sampled_from([0.0, 0.004, 1000.0, 1e9])),
        "step_up_pct": draw(st.sampled_from([0.0, 3.5, 100.0])),
        "fee": draw(st.sampled_from([0.0, 0.004, 1.0])) if contribution > 1 else 0.0,
        "fractional": draw(st.booleans()),
        "rebalance": draw(st.sampled_from(["pro-rata", "to-target"])),
    }
    if draw(st.booleans()):
        raw["end"] = end
    else:
        raw["count"] = draw(st.integers(1, 30))
    if not raw["name"].strip():
        raw["name"] = "plan"
    return raw


@st.composite
def plan_objects(draw) -> dict:
    """A plan object: a valid plan, or one with fields at a limit or hostile."""
    raw = draw(valid_plans())
    if draw(st.integers(0, 2)) == 0:
        return raw
    if draw(st.booleans()):
        raw["allocation"] = draw(
            st.dictionaries(st.sampled_from(TICKERS), st.sampled_from([100, 50, 33.3333, 0, -5, 1e308]), max_size=3)
        )
    fields = st.sampled_from(
        ["name", "contribution", "frequency", "anchor", "start", "end", "count", "initial", "step_up_pct", "fee"]
        + ["fractional", "rebalance", "allocation", "colour"]
    )
    for key in draw(st.lists(fields, max_size=3, unique=True)):
        kind = draw(st.sampled_from(["drop", "number", "text", "any", "date"]))
        if kind == "drop":
            raw.pop(key, None)
        elif kind == "number":
            raw[key] = draw(NUMBERS)
        elif kind == "text":
            raw[key] = draw(st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=30)))
        elif kind == "date":
            raw[key] = draw(DATES)
        else:
            raw[key] = draw(ANY_VALUE)
    if draw(st.booleans()) and "end" in raw:
        raw.pop("end")
        raw["count"] = draw(st.sampled_from([1, 12, 24, 0, 10_001, 2.5]))
    if draw(st.booleans()):
        raw["frequency"] = draw(st.sampled_from(["weekly", "biweekly", "monthly", "quarterly", "daily"]))
        raw["anchor"] = draw(st.sampled_from(["mon", "fri", "first-session", "last-session", "day:31", "day:0"]))
    return raw


def encode(raw: dict, draw, tricks: bool) -> bytes:
    text = json.dumps(raw, ensure_ascii=draw(st.booleans()), allow_nan=True)
    trick = draw(st.sampled_from(["long number", "deep", "repeat", "bom", "none"])) if tricks else "none"
    if trick == "long number":
        text = '{"fee": ' + "7" * draw(st.integers(41, 6000)) + ", " + text[1:]
    elif trick == "deep":
        depth = draw(st.integers(9, 50_000))
        text = '{"x": ' + "[" * depth + "]" * depth + ", " + text[1:]
    elif trick == "repeat":
        text = text.replace('"name":', '"name": "first", "name":', 1)
    data = text.encode("utf-8", "surrogatepass")
    return b"\xef\xbb\xbf" + data if trick == "bom" else data


@st.composite
def plan_files(draw) -> bytes:
    """Half the files as written by a program, half with a trick or byte mutations."""
    raw = draw(plan_objects())
    clean = draw(st.booleans())
    data = encode(raw, draw, tricks=not clean)
    for _ in range(0 if clean else draw(st.sampled_from([0, 1, 3]))):  # byte mutations of the file
        at = draw(st.integers(0, len(data)))
        what = draw(st.sampled_from(["insert", "delete", "replace"]))
        byte = bytes([draw(st.integers(0, 255))])
        if what == "insert":
            data = data[:at] + byte + data[at:]
        elif what == "delete":
            data = data[:at] + data[at + 1 :]
        else:
            data = data[:at] + byte + data[at + 1 :]
    return data


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory, seeded_template) -> Path:
    import shutil

    target = tmp_path_factory.mktemp("fuzz") / "rd"
    shutil.copytree(seeded_template, target)
    return target


@seed(20261203)
@FUZZ
@given(data=plan_files())
def test_any_plan_file_exits_0_2_or_3_with_one_line_and_no_partial_outputs(fuzz_dir, tmp_path, capsys, data):
    folder = tmp_path / "case"
    if folder.exists():
        for p in sorted(folder.rglob("*"), reverse=True):
            p.rmdir() if p.is_dir() else p.unlink()
        folder.rmdir()
    folder.mkdir()
    plan = folder / "plan.json"
    plan.write_bytes(data)
    outputs = [folder / "out" / n for n in ("s.csv", "s.ics", "b.json", "l.csv")]
    flags = ["--schedule", "--ics", "--backtest", "--ledger"]
    argv = [str(plan)] + [str(a) for pair in zip(flags, outputs) for a in pair]
    code = main(["--offline", "--data-dir", str(fuzz_dir), "dca", *argv])
    out, err = capsys.readouterr()
    event(f"exit {code}")
    assert code in (0, 2, 3), err
    assert "Traceback" not in err and "unexpected" not in err
    if code != 0:
        assert err.count("\n") == 1 and err.startswith("rotation-desk: "), err
        assert out == "" and not (folder / "out").exists()
        return
    schedule = list(csv.DictReader(outputs[0].open(encoding="utf-8")))
    assert schedule and list(schedule[0]) == ["date", "ticker", "amount", "est_shares", "running_total"]
    events = icalendar.Calendar.from_ical(outputs[1].read_bytes()).walk("VEVENT")
    assert len(events) == len({r["date"] for r in schedule})
    result = json.loads(outputs[2].read_text(encoding="utf-8"))
    assert {"invested", "value", "gain", "xirr", "twr", "lump_sum", "benchmark"} <= set(result)
    ledger = list(csv.DictReader(outputs[3].open(encoding="utf-8")))
    assert len(ledger) == result["orders"]
