"""``rotation-desk journal`` and ``dca --next`` (issue 15): imports checked whole, the next buy from the journal."""

import json
import sqlite3
from pathlib import Path

import pytest
from fault_helpers import files_digest

from rotation_desk.cli.main import main

PLAN = {
    "name": "Rotation core",
    "contribution": 500.0,
    "frequency": "monthly",
    "anchor": "first-session",
    "start": "2026-01-01",
    "end": "2027-12-31",
    "allocation": {"VBR": 40, "DFAT": 30, "EEMV": 30},
    "rebalance": "to-target",
}
# Bought more VBR than the plan says: at the 2026-08-03 closes (247.00, 71.577301, 71.68) VBR is 741.00 of 884.26.
BUYS = "date,ticker,shares,price,fee\n2026-01-02,VBR,3,212.24,0\n2026-02-02,DFAT,1,63.67,0\n2026-03-02,EEMV,1,66.10,\n"


def run(capsys, data_dir, *argv):
    code = main(["--offline", "--data-dir", str(data_dir), *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def plan_file(tmp_path) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(PLAN))
    return path


def listed(capsys, data_dir, *extra):
    code, out, err = run(capsys, data_dir, "journal", "list", "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


def test_done_when_next_after_an_import_sums_to_the_contribution_and_skips_the_overweight(
    data_dir, tmp_path, plan_file, capsys
):
    src = tmp_path / "buys.csv"
    src.write_text(BUYS)
    code, out, err = run(capsys, data_dir, "journal", "import", src, "--plan", "Rotation core")
    assert code == 0, err
    assert out.strip() == (
        "imported 3 buys into the journal of “Rotation core” (rows 1–3), 2026-01-02 to 2026-03-02, 766.49 in all"
    )
    code, out, err = run(capsys, data_dir, "dca", plan_file, "--next", "--format", "json", "--as-of", "2026-08-04")
    assert code == 0, err
    data = json.loads(out)
    assert data["date"] == "2026-09-01" and data["cash_left"] == 0.0
    orders = {o["ticker"]: o for o in data["orders"]}
    assert sum(round(o["amount"] * 100) for o in data["orders"]) == 50000
    # total 884.26 + 500 = 1384.26: targets VBR 553.70 (holds 741: over), DFAT and EEMV 415.278 each:
    # short 343.70 and 343.60 -> 500 x 343.70 / 687.30 = 250.04, 249.96
    assert orders["VBR"]["amount"] == 0.0 and orders["VBR"]["shares"] == 0.0
    assert (orders["DFAT"]["amount"], orders["EEMV"]["amount"]) == (250.04, 249.96)
    assert orders["EEMV"]["shares"] == pytest.approx(249.96 / 71.68)
    assert set(data) >= {"date", "orders", "cash_left"} and set(orders["DFAT"]) >= {"ticker", "amount", "shares"}
    code, out, err = run(capsys, data_dir, "dca", plan_file, "--next", "--as-of", "2026-08-04")
    assert code == 0 and "next buy 2026-09-01: 500.00, to the holdings below target" in out
    assert "  VBR              0.00" in out and "cash left 0.00" in out


def test_one_bad_row_saves_nothing_and_names_the_line(data_dir, tmp_path, capsys):
    db = data_dir / "cache" / "prices.sqlite3"
    src = tmp_path / "bad.csv"
    src.write_text(BUYS + "2026-04-01,VBR,1e2,230,0\n2026-05-01,VBR,2,230.5,\n2026-06-01,VB R,2,230,0\n")
    run(capsys, data_dir, "data", "list")  # the store exists
    before = files_digest(db.parent)
    code, out, err = run(capsys, data_dir, "journal", "import", src, "--plan", "Rotation core")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "line 5: shares '1e2' has an exponent" in err and "line 7: ticker 'VB R' is not a ticker symbol" in err
    assert err.rstrip().endswith("nothing was imported")
    assert files_digest(db.parent) == before
    assert listed(capsys, data_dir) == []


def test_other_layouts_with_map_and_buys_already_there(data_dir, tmp_path, capsys):
    src = tmp_path / "broker.csv"
    src.write_text("Trade Date,Symbol,Quantity,Price,Commission,Account\n2026-01-02,VBR,3,212.24,1.00,X1\n")
    code, _, err = run(capsys, data_dir, "journal", "import", src, "--plan", "Core")
    assert code == 2 and "no 'date' column (name the file's column with --map date=COLUMN)" in err
    mapping = "date=Trade Date,ticker=Symbol,shares=Quantity,fee=Commission"
    code, out, err = run(capsys, data_dir, "journal", "import", src, "--plan", "Core", "--map", mapping)
    assert code == 0, err
    [row] = listed(capsys, data_dir)
    assert (row["ticker"], row["shares"], row["price"], row["fee"], row["cost"]) == ("VBR", 3.0, 212.24, 1.0, 637.72)
    code, _, err = run(capsys, data_dir, "journal", "import", src, "--plan", "core", "--map", mapping)
    assert code == 2 and "line 2: 2026-01-02 VBR 3 @ 212.24 (+1.00 fee) is already row 1" in err
    code, out, _ = run(
        capsys, data_dir, "journal", "import", src, "--plan", "Core", "--map", mapping, "--skip-existing"
    )
    assert code == 0 and "nothing to import" in out
    code, _, err = run(capsys, data_dir, "journal", "import", src, "--plan", "Core", "--map", "date=When")
    assert code == 2 and "no column 'When' for date" in err
    code, _, err = run(capsys, data_dir, "journal", "import", src, "--plan", "Core", "--map", "day=Trade Date")
    assert code == 2 and "'day' is not a field" in err


def test_add_list_and_remove(data_dir, capsys):
    code, out, err = run(capsys, data_dir, "journal", "add", "--plan", "Core", "--date", "2026-08-03",
                         "--ticker", "eemv", "--shares", "2", "--price", "71.68", "--fee", "1", "--note", "payday")  # fmt: skip
    assert code == 0 and out.strip() == (
        "added row 1 to the journal of “Core”: 2026-08-03 EEMV 2 @ 71.68 (+1.00 fee), cost 144.36"
    )
    [row] = listed(capsys, data_dir, "--plan", "Core")
    assert row == {"id": 1, "plan": "Core", "date": "2026-08-03", "ticker": "EEMV", "shares": 2.0, "price": 71.68,
                   "fee": 1.0, "cost": 144.36, "note": "payday", "problem": None}  # fmt: skip
    for bad, says in (("-2", "shares '-2' must be a positive number"), ("1,5", "decimal comma")):
        code, _, err = run(capsys, data_dir, "journal", "add", "--plan", "Core", "--date", "2026-08-03",
                           "--ticker", "EEMV", "--shares", bad, "--price", "71")  # fmt: skip
        assert code == 2 and says in err
    code, _, err = run(capsys, data_dir, "journal", "add", "--plan", "Core", "--date", "2026-02-30",
                       "--ticker", "EEMV", "--shares", "1", "--price", "71")  # fmt: skip
    assert code == 2 and "2026-02-30" in err
    code, out, _ = run(capsys, data_dir, "journal", "list")
    assert "EEMV" in out and "payday" in out
    code, _, err = run(capsys, data_dir, "journal", "remove", "7")
    assert code == 2 and "the journal has no row 7; nothing was removed" in err
    code, out, _ = run(capsys, data_dir, "journal", "remove", "1")
    assert code == 0 and out.strip() == "removed row 1: 2026-08-03 EEMV 2 @ 71.68 (+1.00 fee) from “Core”"
    assert listed(capsys, data_dir) == []


def test_a_damaged_row_is_listed_and_stops_the_next_buy(data_dir, tmp_path, plan_file, capsys):
    src = tmp_path / "buys.csv"
    src.write_text(BUYS)
    assert run(capsys, data_dir, "journal", "import", src, "--plan", "Rotation core")[0] == 0
    conn = sqlite3.connect(data_dir / "cache" / "prices.sqlite3")
    conn.execute("UPDATE journal SET shares = 'three' WHERE id = 1")
    conn.commit()
    conn.close()
    code, out, err = run(capsys, data_dir, "journal", "list", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and [r["id"] for r in rows] == [1, 2, 3]
    assert rows[0]["problem"] == "shares: 'three' is not a number" and rows[0]["shares"] == "three"
    assert "journal row 1 is damaged (shares: 'three' is not a number)" in err
    code, out, err = run(capsys, data_dir, "dca", plan_file, "--next")
    assert code == 4 and out == "" and err.count("\n") == 1
    assert "1 damaged row (row 1 (shares: 'three' is not a number))" in err
    assert "rotation-desk journal remove 1" in err
    assert run(capsys, data_dir, "journal", "remove", "1")[0] == 0
    assert run(capsys, data_dir, "dca", plan_file, "--next", "--as-of", "2026-08-04")[0] == 0


def test_next_buy_option_errors(data_dir, plan_file, capsys):
    code, _, err = run(capsys, data_dir, "dca", plan_file, "--next", "--as-of", "2028-01-01")
    assert code == 3 and "has no buy on or after 2028-01-01: it has ended" in err
    code, _, err = run(capsys, data_dir, "dca", plan_file, "--format", "json")
    assert code == 2 and "--format goes with --next" in err
    code, _, err = run(capsys, data_dir, "dca", plan_file, "--remind-days", "2")
    assert code == 2 and "--remind-days goes with --ics" in err
    code, _, err = run(capsys, data_dir, "dca", plan_file, "--ics", "x.ics", "--remind-days", "soon")
    assert code == 2 and "give a number of days from 0 to 30, or none" in err
