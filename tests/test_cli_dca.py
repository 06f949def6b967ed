"""`rotation-desk dca` (issue 5's command line): schedule, calendar, backtest, errors."""

import csv
import errno
import json
from pathlib import Path

import icalendar
import pytest
from fault_helpers import assert_one_clean_line, fill, read_only, run_cli, small_disk

from rotation_desk.cli.main import main
from rotation_desk.data import file_group

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


# -- issue 12: a failed command writes no output at all ------------------------------------------------


def outputs_in(folder: Path) -> list[Path]:
    return [folder / "s.csv", folder / "s.ics", folder / "b.json", folder / "l.csv"]


def output_args(paths: list[Path]) -> list:
    return [a for pair in zip(["--schedule", "--ics", "--backtest", "--ledger"], paths) for a in pair]


def test_a_backtest_that_cannot_run_leaves_no_schedule_or_calendar(data_dir, tmp_path, capsys):
    plan = json.loads((EXAMPLES / "value-2015-2024.json").read_text())
    plan["allocation"] = {"AVUV": 100}  # AVUV starts in 2019; the plan in 2015
    path = tmp_path / "avuv.json"
    path.write_text(json.dumps(plan))
    new = outputs_in(tmp_path / "new" / "folder")
    code, out, err = run(capsys, data_dir, path, *output_args(new))
    assert code == 3 and "AVUV has no prices before 2019-09-26" in err and err.count("\n") == 1
    assert out == "" and not (tmp_path / "new").exists()
    # files already there are left exactly as they were
    work = tmp_path / "work"
    work.mkdir()
    old = outputs_in(work)
    for p in old:
        p.write_text(f"old {p.name}")
    code, _, _ = run(capsys, data_dir, path, *output_args(old))
    assert code == 3 and [p.read_text() for p in old] == [f"old {p.name}" for p in old]
    assert sorted(p.name for p in work.iterdir()) == ["b.json", "l.csv", "s.csv", "s.ics"]


def test_an_output_that_cannot_be_written_leaves_none_of_the_others(data_dir, tmp_path, capsys):
    (tmp_path / "plain").write_text("a file, not a folder")
    paths = outputs_in(tmp_path / "out")[:3] + [tmp_path / "plain" / "l.csv"]
    code, out, err = run(capsys, data_dir, EXAMPLES / "value-2015-2024.json", *output_args(paths))
    assert code == 4 and err.count("\n") == 1 and "plain/l.csv: a part of the path is a file, not a folder" in err
    assert out == "" and not (tmp_path / "out").exists()


def test_outputs_that_collide_are_refused(data_dir, tmp_path, capsys):
    tmp_path = tmp_path / "work"
    tmp_path.mkdir()
    plan = tmp_path / "p.json"
    plan.write_text((EXAMPLES / "value-2015-2024.json").read_text())
    before = plan.read_bytes()
    code, _, err = run(
        capsys,
        data_dir,
        plan,
        "--schedule",
        tmp_path / "x.csv",
        "--backtest",
        tmp_path / "b.json",
        "--ledger",
        tmp_path / "x.csv",
    )
    assert code == 2 and "--schedule and --ledger name the same file" in err
    code, _, err = run(capsys, data_dir, plan, "--schedule", plan)
    assert code == 2 and "--schedule names the plan file itself" in err and plan.read_bytes() == before
    (tmp_path / "d.ics").mkdir()
    code, _, err = run(capsys, data_dir, plan, "--ics", tmp_path / "d.ics")
    assert code == 2 and "is a folder, not a file" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.ics", "p.json"]


def test_what_was_written_is_printed_after_it_is_on_disk(data_dir, tmp_path, capsys):
    paths = outputs_in(tmp_path)
    code, out, err = run(capsys, data_dir, EXAMPLES / "value-2015-2024.json", *output_args(paths))
    assert code == 0, err
    assert all(p.exists() for p in paths)
    lines = out.splitlines()
    assert lines[0].startswith("Plan “") and lines[-1] == f"backtest → {paths[2]}"
    assert f"ledger: {len(list(csv.DictReader(paths[3].open())))} orders → {paths[3]}" in lines


def test_a_full_disk_at_the_last_output_writes_none_of_them(data_dir, tmp_path, capsys, monkeypatch):
    real_stage = file_group._stage
    calls = []

    def stage(path, data):
        calls.append(path)
        if len(calls) == 4:  # staging the ledger, the fourth output: what a full disk raises there
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_stage(path, data)

    monkeypatch.setattr(file_group, "_stage", stage)
    paths = outputs_in(tmp_path / "out")
    code, out, err = run(capsys, data_dir, EXAMPLES / "value-2015-2024.json", *output_args(paths))
    assert code == 4 and f"{paths[3]}: the disk is full" in assert_one_clean_line(err)
    assert out == "" and not (tmp_path / "out").exists()


def test_a_real_full_disk_and_a_read_only_folder(data_dir, tmp_path):
    plan = EXAMPLES / "value-2015-2024.json"
    with small_disk(8) as disk:
        filler = fill(disk, leave_bytes=20 * 1024)  # room for the schedule, not for the ledger as well
        paths = outputs_in(disk / "out")
        proc = run_cli("--offline", "--data-dir", data_dir, "dca", plan, *output_args(paths))
        assert proc.returncode == 4 and "the disk is full" in assert_one_clean_line(proc.stderr)
        assert proc.stdout == "" and sorted(p.name for p in disk.iterdir()) == ["filler"]
        filler.unlink()
        proc = run_cli("--offline", "--data-dir", data_dir, "dca", plan, *output_args(paths))
        assert proc.returncode == 0 and all(p.exists() for p in paths), proc.stderr
    locked = tmp_path / "locked"
    locked.mkdir()
    with read_only(locked):
        paths = outputs_in(tmp_path / "fine")[:3] + [locked / "l.csv"]
        proc = run_cli("--offline", "--data-dir", data_dir, "dca", plan, *output_args(paths))
        line = assert_one_clean_line(proc.stderr)
    assert proc.returncode == 4 and str(locked / "l.csv") in line, line
    assert not (tmp_path / "fine").exists() and list(locked.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc, where no folder can be made")
def test_an_output_folder_that_cannot_be_made_is_exit_4_in_one_line(data_dir, tmp_path, capsys):
    paths = outputs_in(tmp_path / "fine")[:3] + [Path("/proc/no-such-folder/l.csv")]
    code, out, err = run(capsys, data_dir, EXAMPLES / "value-2015-2024.json", *output_args(paths))
    line = assert_one_clean_line(err)
    assert code == 4 and "/proc/no-such-folder" in line and "No such file or directory" in line, line
    assert out == "" and not (tmp_path / "fine").exists()
