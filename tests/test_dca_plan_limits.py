"""Issue 12, plan files: every example of the issue ends in exit 2 with one line naming the field, and leaves no
output behind; the limits of a plan file (size, depth, numbers, the name, the money range) are checked before
anything else is done with it."""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest

from rotation_desk.cli.main import main
from rotation_desk.core.dca.plan import MAX_AMOUNT, MAX_PLAN_BYTES, PlanError
from rotation_desk.core.dca.plan_json import nesting_depth, parse_plan, parse_plan_bytes, parse_plan_text
from rotation_desk.core.dca.schedule import plan_contributions, schedule_issues
from rotation_desk.data.plan_files import load_plan, read_plan_file

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
BASE = json.loads((EXAMPLES / "rotation-core.json").read_text())


def plan_text(**changes) -> str:
    raw = dict(BASE)
    for key, value in changes.items():
        if value is ...:
            raw.pop(key, None)
        else:
            raw[key] = value
    return json.dumps(raw)


def issue_text(text: str) -> str:
    with pytest.raises(PlanError) as info:
        parse_plan_text(text)
    assert info.value.exit_code == 2
    return str(info.value)


# The issue's examples, each with the field it must name and the words of the message.
ISSUE_EXAMPLES = [
    ("contribution 1e300", plan_text(contribution=1e300), "contribution: must be at most 1,000,000,000, got 1e+300"),
    ("initial 1e300", plan_text(initial=1e300), "initial: must be at most 1,000,000,000, got 1e+300"),
    (
        "contribution 1e15 weekly, count 200",
        plan_text(contribution=1e15, frequency="weekly", anchor="mon", end=..., count=200),
        "contribution: must be at most 1,000,000,000, got 1e+15",
    ),
    ("contribution 0.001", plan_text(contribution=0.001), "contribution: must be at least 0.01 (one cent), got 0.001"),
    ("a name with a newline", plan_text(name="Rotation\ncore"), "name: must be one line of text: it has a line break"),
    (
        "a name with a lone surrogate",
        plan_text(name="Rotation \ud800 core"),
        "name: must be one line of text: it has a lone surrogate U+D800 (not valid Unicode)",
    ),
    ("step_up_pct 1e308", plan_text(step_up_pct=1e308), "step_up_pct: must be at most 100, got 1e+308"),
    (
        "a number with 5,000 digits",
        plan_text(contribution=7).replace('"contribution": 7', '"contribution": ' + "9" * 5000),
        "contribution: is out of range: a number of 5,000 characters",
    ),
    (
        "JSON nested 100,000 deep",
        plan_text(fee=7).replace('"fee": 7', '"fee": ' + "[" * 100_000 + "]" * 100_000),
        "file: the JSON is nested 100,001 deep; a plan file is at most 10 deep",
    ),
    ("a 10 MB name", plan_text(name="x" * 10_000_000), "file: is 10,000,2"),
]


@pytest.mark.parametrize("label, text, words", ISSUE_EXAMPLES, ids=[e[0] for e in ISSUE_EXAMPLES])
def test_issue_examples_exit_2_with_one_line_and_no_outputs(data_dir, tmp_path, capsys, label, text, words):
    path = tmp_path / "plan.json"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    out = tmp_path / "out"
    outputs = [out / "s.csv", out / "s.ics", out / "b.json", out / "l.csv"]
    flags = ["--schedule", "--ics", "--backtest", "--ledger"]
    argv = [str(path)] + [str(a) for pair in zip(flags, outputs) for a in pair]
    start = time.perf_counter()
    code = main(["--offline", "--data-dir", str(data_dir), "dca", *argv])
    elapsed = time.perf_counter() - start
    out_text, err = capsys.readouterr()
    assert code == 2, err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err and "unexpected" not in err
    assert out_text == ""
    assert not out.exists()  # not a file, not even the folder
    assert elapsed < 5


def test_a_10_mb_name_is_refused_without_reading_the_file(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(plan_text(name="x" * 10_000_000))
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(PlanError, match=r"file: is 10,000,\d{3} bytes; a plan file is at most 1,048,576 bytes"):
        load_plan(path)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 0.5 and peak < 2_000_000  # the size is checked before a byte is read
    opened = read_plan_file(path)
    assert not opened.ok and opened.error.fields == ("file",)


def test_a_name_within_the_file_limit_but_too_long():
    assert "name: is 300 characters long; a plan name has at most 200" in issue_text(plan_text(name="x" * 300))
    assert parse_plan_text(plan_text(name="é" * 200)).name == "é" * 200


@pytest.mark.parametrize(
    "name, words",
    [
        ("tab\there", "a tab"),
        ("bell\x07", "the control character U+0007"),
        ("line\u2028separator", "a line break"),
        ("carriage\rreturn", "a line break"),
    ],
)
def test_names_must_be_one_printable_line(name, words):
    assert f"name: must be one line of text: it has {words}" in issue_text(plan_text(name=name))


def test_unicode_names_that_print_are_kept():
    for name in ("Rotation — core ☀", "小型株", "Ñandú 2027", "Émile's plan"):
        assert parse_plan_text(plan_text(name=name)).name == name


def test_amounts_at_the_limits_are_accepted_and_exact():
    plan = parse_plan_text(plan_text(contribution=MAX_AMOUNT, initial=MAX_AMOUNT, fee=0.0))
    contributions = plan_contributions(plan)
    assert contributions[0].cents == 2 * 100_000_000_000 and sum(c.cents for c in contributions) == 14 * 10**11
    cent = parse_plan_text(plan_text(contribution=0.01, allocation={"VBR": 100}))
    assert [c.cents for c in plan_contributions(cent)] == [1] * 13


def test_more_than_the_money_range_in_all_is_refused_naming_the_field():
    # 1e9 a month, doubled every year: plan year 15 would be 1.6e13, past the 1e13 a plan may pay in
    plan = parse_plan_text(plan_text(contribution=1e9, step_up_pct=100, start="2026-01-01", end="2070-12-31"))
    (issue,) = schedule_issues(plan)
    assert issue.field == "step_up_pct" and "grows to 16,384,000,000,000 in plan year 15" in issue.message
    # twelve years of it: each contribution is within range, the sum is not
    short = parse_plan_text(plan_text(contribution=1e9, step_up_pct=100, start="2026-01-01", end="2037-12-31"))
    (issue,) = schedule_issues(short)
    assert issue.field == "step_up_pct" and issue.message.startswith("the plan pays in 49,140,000,000,000.00;")


def test_long_numbers_in_every_numeric_field():
    long = "1" + "0" * 60
    for key in ("initial", "fee", "step_up_pct"):
        text = plan_text(**{key: 7}).replace(f'"{key}": 7', f'"{key}": {long}')
        assert f"{key}: is out of range: a number of 61 characters" in issue_text(text)
    text = plan_text(end=..., count=7).replace('"count": 7', f'"count": {long}')
    assert "count: is out of range" in issue_text(text)
    text = plan_text(allocation={"VBR": 7}).replace('"VBR": 7', f'"VBR": {long}.5')
    assert "allocation: VBR: percent is out of range" in issue_text(text)
    # an ordinary long decimal still reads
    assert parse_plan_text(plan_text(fee=7).replace('"fee": 7', '"fee": 1.00000000000000000000001')).fee == 1.0


def test_keys_given_twice_are_refused():
    text = plan_text().replace('"contribution": 500.0', '"contribution": 500.0, "contribution": 5000.0')
    assert "contribution: appears twice in the file" in issue_text(text)
    text = plan_text().replace('"VBR": 40', '"VBR": 20, "VBR": 20')
    assert "allocation: VBR appears twice" in issue_text(text)


def test_too_many_tickers_and_messages_stay_short():
    many = {f"T{i}": 100 / 60 for i in range(60)}
    assert "allocation: has 60 tickers; a plan has at most 50" in issue_text(plan_text(allocation=many))
    junk = {f"k{i}": i for i in range(5000)}
    text = issue_text(json.dumps({**BASE, **junk}))
    assert len(text) < 3000 and text.endswith("; and 4,990 more")
    assert "\n" not in issue_text(json.dumps({**BASE, "bad\nkey" * 1000: 1}))


def test_byte_order_mark_and_bad_bytes():
    assert parse_plan_bytes(b"\xef\xbb\xbf" + plan_text().encode()).name == "Rotation core"
    with pytest.raises(PlanError, match="file: not UTF-8 text"):
        parse_plan_bytes(b'{"name": "\xff"}')
    with pytest.raises(PlanError, match=f"a plan file is at most {MAX_PLAN_BYTES:,} bytes"):
        parse_plan_bytes(b" " * (MAX_PLAN_BYTES + 1))


def test_nesting_depth_skips_strings_and_is_fast():
    assert nesting_depth('{"a": "[[[{{\\" ]", "b": [1, {"c": [2]}]}') == 4
    assert nesting_depth("") == 0 and nesting_depth("12") == 0
    deep = "[" * 500_000 + "]" * 500_000
    start = time.perf_counter()
    assert nesting_depth(deep) == 500_000
    assert time.perf_counter() - start < 0.5
    assert parse_plan(json.loads(plan_text())).name == "Rotation core"
