"""`metrics --common-window` with fund facts (issue 7's command-line part)."""

import json

from rotation_desk.cli.main import main


def test_common_window_starts_at_dfat_and_carries_facts(data_dir, capsys):
    argv = [
        "--offline",
        "--data-dir",
        str(data_dir),
        "metrics",
        "DFAT",
        "VBR",
        "AVUV",
        "EEMV",
        "--benchmark",
        "SPY",
        "--common-window",
        "--format",
        "json",
    ]
    assert main(argv) == 0
    items = json.loads(capsys.readouterr().out)
    assert [i["ticker"] for i in items] == ["DFAT", "VBR", "AVUV", "EEMV"]
    assert {i["start"] for i in items} == {"2021-06-14"} and {i["end"] for i in items} == {"2026-08-03"}
    dfat = items[0]
    assert dfat["expense_ratio"] == 0.0028 and dfat["expense_ratio_as_of"] == "2025-10-31"
    assert dfat["yearly_fee_on_10000"] == 28.0
    assert dfat["first_date"] == "2021-06-14" and items[1]["first_date"] == "2004-01-30"
    assert 0 < dfat["up_capture"] < 2 and 0 < dfat["down_capture"] < 2


def test_common_window_is_stated_for_the_table(data_dir, capsys):
    argv = ["--offline", "--data-dir", str(data_dir), "metrics", "VBR", "DFAT", "--common-window"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "Common window 2021-06-14 – 2026-08-03, limited by DFAT" in captured.err
    assert "0.28 %" in captured.out


def test_without_common_window_each_ticker_uses_its_history(data_dir, capsys):
    assert main(["--offline", "--data-dir", str(data_dir), "metrics", "VBR", "DFAT", "--format", "json"]) == 0
    vbr, dfat = json.loads(capsys.readouterr().out)
    assert vbr["start"] == "2004-01-30" and dfat["start"] == "2021-06-14"


def test_common_window_inside_a_requested_range(data_dir, capsys):
    argv = [
        "--offline",
        "--data-dir",
        str(data_dir),
        "metrics",
        "VBR",
        "DFAT",
        "--common-window",
        "--start",
        "2023-12-29",
        "--end",
        "2024-12-31",
        "--format",
        "json",
    ]
    assert main(argv) == 0
    items = json.loads(capsys.readouterr().out)
    assert {i["start"] for i in items} == {"2023-12-29"} and {i["end"] for i in items} == {"2024-12-31"}


def test_no_common_sessions_is_data_unavailable(data_dir, capsys):
    argv = ["--offline", "--data-dir", str(data_dir), "metrics", "DFAT", "--common-window", "--end", "2020-01-01"]
    assert main(argv) == 3
    assert "DFAT" in capsys.readouterr().err
