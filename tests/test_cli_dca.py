"""`rotation-desk dca` (issue 5's command line): schedule, calendar, backtest, errors."""

import csv
import json
from pathlib import Path

import icalendar
import pytest

from rotation_desk.cli.main import main

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


def run(capsys, data_dir, *argv):
    code = main(["--offline", "--data-dir", str(data_dir), "dca", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_design_example_plan_writes_all_three(data_dir, tmp_path, capsys):
    s, ics, b = tmp_path / "s.csv", tmp_path / "s.ics", tmp_path / "b.json"
    code, out, err = run(
        capsys, data_dir, EXAMPLES / "rotation-core.json", "--schedule", s, "--ics", ics, "--backtest", b
    )
    assert code == 0, err
    rows = list(csv.DictReader(s.open()))
    assert len(rows) == 13 * 3 and rows[0]["date"] == "2026-12-01" and rows[0]["ticker"] == "VBR"
    assert rows[0]["amount"] == "200.00" and rows[-1]["running_total"] == "6500.00"
    cal = icalendar.Calendar.from_ical(ics.read_bytes())
    events = [e for e in cal.walk("VEVENT")]
    assert len(events) == 13
    assert str(events[0]["DTSTART"].dt) == "2026-12-01" and "VBR: 200.00" in str(events[0]["DESCRIPTION"])
    result = json.loads(b.read_text())
    for block in (result, result["lump_sum"], result["benchmark"]):
        assert {"invested", "value", "gain", "xirr", "twr"} <= set(block)
    assert result["invested"] == 6500.0 and result["benchmark"]["ticker"] == "SPY"


def test_2015_2024_plan_ledger_reconciles_to_the_cent(data_dir, tmp_path, capsys, closes):
    b, ledger = tmp_path / "b.json", tmp_path / "l.csv"
    code, out, err = run(capsys, data_dir, EXAMPLES / "value-2015-2024.json", "--backtest", b, "--ledger", ledger)
    assert code == 0, err
    result = json.loads(b.read_text())
    assert (result["start"], result["end"]) == ("2015-01-02", "2024-12-31") and result["invested"] == 120000.0
    holdings_value = 0.0
    for h in result["holdings"]:
        last = float(closes[h["ticker"]].loc[:"2024-12-31"].dropna().iloc[-1])
        assert h["last_price"] == pytest.approx(last)
        holdings_value += h["shares"] * last
    assert round(holdings_value + result["cash"], 2) == result["value"]
    rows = list(csv.DictReader(ledger.open()))
    assert len(rows) == result["orders"]
    assert sum(round(float(r["amount"]) * 100) for r in rows) + round(result["cash"] * 100) == 120000 * 100


def test_window_override(data_dir, tmp_path, capsys):
    b = tmp_path / "b.json"
    code, _, err = run(
        capsys,
        data_dir,
        EXAMPLES / "value-2015-2024.json",
        "--backtest",
        b,
        "--from",
        "2020-01-01",
        "--to",
        "2020-12-31",
    )
    assert code == 0, err
    result = json.loads(b.read_text())
    assert result["start"] == "2020-01-02" and result["buys"] == 12


@pytest.mark.parametrize(
    "change, field",
    [
        ({"allocation": {"VBR": 50, "VTV": 30}}, "allocation"),
        ({"contribution": -100}, "contribution"),
        ({"end": "2014-01-01"}, "end"),
        ({"frequency": "daily"}, "frequency"),
        ({"anchor": "mon"}, "anchor"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_plan_exits_2_naming_the_field(data_dir, tmp_path, capsys, change, field):
    plan = json.loads((EXAMPLES / "value-2015-2024.json").read_text())
    plan.update(change)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(plan))
    code, out, err = run(capsys, data_dir, path)
    assert code == 2 and field in err and "Traceback" not in err


def test_malformed_json_and_unknown_ticker(data_dir, tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text('{"name": "x", "contribution": 5')
    code, _, err = run(capsys, data_dir, path)
    assert code == 2 and "line 1" in err
    plan = json.loads((EXAMPLES / "value-2015-2024.json").read_text())
    plan["allocation"] = {"VBR": 50, "NOPE": 50}
    path.write_text(json.dumps(plan))
    code, _, err = run(capsys, data_dir, path)
    assert code == 3 and "NOPE" in err


def test_no_data_in_window(data_dir, tmp_path, capsys):
    plan = json.loads((EXAMPLES / "rotation-core.json").read_text())
    path = tmp_path / "p.json"
    path.write_text(json.dumps(plan))
    code, _, err = run(
        capsys, data_dir, path, "--backtest", tmp_path / "b.json", "--from", "2015-01-01", "--to", "2016-01-01"
    )
    assert code == 3 and "DFAT" in err
