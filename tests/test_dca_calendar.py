"""The .ics of a plan (issue 15): a reminder on every buy, stable UIDs, read back by icalendar and calcurse.

The reminder is a VALARM whose trigger is relative to the all-day event's start, so it rings at 09:00 in the
user's own time zone (icalendar computes the alarm time as a floating 09:00). calcurse imports all-day
events as "events", which carry no alarm in calcurse's model (its alarms belong to timed appointments), so
calcurse checks what it can hold: every event, on its date, with its title and amounts, nothing skipped.
"""

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from icalendar import Calendar

from rotation_desk.cli.main import main

PLAN = {
    "name": "Rotation core",
    "contribution": 500.0,
    "frequency": "monthly",
    "start": "2026-12-01",
    "end": "2027-12-31",
    "allocation": {"VBR": 40, "DFAT": 30, "EEMV": 30},
}
FIRST_DAYS = ["2026-12-01", "2027-01-04", "2027-02-01", "2027-03-01"]  # first sessions (2 Jan 2027 is a Saturday)


def export(capsys, data_dir, tmp_path, plan: dict, name: str, *extra) -> tuple[Path, str]:
    src = tmp_path / f"{name}.json"
    src.write_text(json.dumps(plan))
    out = tmp_path / f"{name}.ics"
    code = main(["--offline", "--data-dir", str(data_dir), "dca", str(src), "--ics", str(out), *extra])
    stdout, err = capsys.readouterr()
    assert code == 0, err
    return out, stdout


def events(path: Path):
    return Calendar.from_ical(path.read_bytes()).walk("VEVENT")


def test_every_buy_has_a_reminder_the_day_before_at_nine(data_dir, tmp_path, capsys):
    path, out = export(capsys, data_dir, tmp_path, PLAN, "plan")
    assert "calendar: 13 events, reminder 1 day before at 09:00" in out
    found = events(path)
    assert [f"{e['DTSTART'].dt}" for e in found[:4]] == FIRST_DAYS and len(found) == 13
    for event in found:
        [alarm] = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY" and alarm["TRIGGER"].params["RELATED"] == "START"
        day = event["DTSTART"].dt
        assert alarm["TRIGGER"].dt == dt.timedelta(hours=-15)
        [when] = event.alarms.times  # icalendar's own reading: floating local time, the day before at 09:00
        assert (
            when.trigger == dt.datetime.combine(day - dt.timedelta(days=1), dt.time(9)) and when.trigger.tzinfo is None
        )
        assert str(alarm["DESCRIPTION"]) == f"DCA buy on {day:%Y-%m-%d}: 500.00 for Rotation core"


@pytest.mark.parametrize(("days", "hours", "said"), [("3", -63, "reminder 3 days before"), ("0", 9, "on the day")])
def test_the_lead_time_is_chosen(data_dir, tmp_path, capsys, days, hours, said):
    path, out = export(capsys, data_dir, tmp_path, PLAN, "plan", "--remind-days", days)
    assert said in out
    event = events(path)[0]
    assert event.walk("VALARM")[0]["TRIGGER"].dt == dt.timedelta(hours=hours)
    assert event.alarms.times[0].trigger == dt.datetime(2026, 12, 1, 9) + dt.timedelta(days=-int(days))


def test_no_reminder(data_dir, tmp_path, capsys):
    path, out = export(capsys, data_dir, tmp_path, PLAN, "plan", "--remind-days", "none")
    assert "13 events, no reminder" in out
    assert all(not e.walk("VALARM") for e in events(path))


def test_re_export_keeps_each_dates_uid_so_calendars_update_instead_of_duplicating(data_dir, tmp_path, capsys):
    first, _ = export(capsys, data_dir, tmp_path, PLAN, "v1")
    changed = {**PLAN, "contribution": 750.0, "end": "2028-06-30"}  # more money, a longer plan
    second, _ = export(capsys, data_dir, tmp_path, changed, "v2", "--remind-days", "2")
    before = {str(e["UID"]): e for e in events(first)}
    after = {str(e["UID"]): e for e in events(second)}
    assert len(before) == 13 and len(after) == 19  # one UID per event
    assert set(before) <= set(after)
    for uid, old in before.items():
        new = after[uid]
        assert new["DTSTART"].dt == old["DTSTART"].dt and "750.00" in str(new["SUMMARY"])
    other, _ = export(capsys, data_dir, tmp_path, {**PLAN, "name": "Another plan"}, "v3")
    assert not set(before) & {str(e["UID"]) for e in events(other)}  # per plan and date


@pytest.mark.skipif(shutil.which("calcurse") is None, reason="calcurse is not installed (apt install calcurse)")
def test_calcurse_imports_every_buy(data_dir, tmp_path, capsys):
    path, _ = export(capsys, data_dir, tmp_path, PLAN, "plan")
    home = tmp_path / "calcurse"
    home.mkdir()
    done = subprocess.run(["calcurse", "-D", str(home), "-i", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "0 apps / 13 events / 0 todos / 0 skipped" in done.stdout
    query = ["calcurse", "-D", str(home), "--input-datefmt", "4", "-Q", "--from", "2026-12-01", "--to", "2027-12-31",
             "--filter-type", "event", "--format-event", "%(raw)\\n"]  # fmt: skip
    listed = subprocess.run(query, capture_output=True, text=True, timeout=60, check=True).stdout
    raw = [line for line in listed.splitlines() if "[1]" in line]
    assert len(raw) == 13
    assert [line.split()[0] for line in raw[:4]] == ["12/01/2026", "01/04/2027", "02/01/2027", "03/01/2027"]
    assert all(line.endswith("DCA buy 500.00: Rotation core") for line in raw)
    notes = {p.read_text() for p in (home / "notes").iterdir()}
    assert notes == {"VBR: 200.00\nDFAT: 150.00\nEEMV: 150.00\nTotal: 500.00\n"}
