"""The command line contract (README, docs/architecture.md): outputs, exit codes, no tracebacks."""

import json
import subprocess
import sys

import pytest

from rotation_desk.cli.main import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_data_list_json_lists_88_tickers_ending_2026_08_03(data_dir, capsys):
    code, out, err = run(capsys, "--offline", "--data-dir", str(data_dir), "data", "list", "--format", "json")
    assert code == 0, err
    items = json.loads(out)
    assert len(items) == 88
    assert {i["last"] for i in items} == {"2026-08-03"}
    assert set(items[0]) == {"ticker", "first", "last", "rows", "source"}
    spy = next(i for i in items if i["ticker"] == "SPY")
    assert spy == {"ticker": "SPY", "first": "1993-01-29", "last": "2026-08-03", "rows": 8434, "source": "snapshot"}


def test_fresh_data_dir_seeds_from_snapshot_in_a_subprocess(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "rotation_desk",
            "--offline",
            "--data-dir",
            str(tmp_path),
            "data",
            "list",
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0] == "ticker,first,last,rows,source" and len(lines) == 89
    assert (tmp_path / "cache" / "prices.sqlite3").exists()


def test_metrics_spy_2008_table_shows_minus_36_8(data_dir, capsys):
    code, out, _ = run(
        capsys, "--data-dir", str(data_dir), "metrics", "SPY", "--start", "2007-12-31", "--end", "2008-12-31"
    )
    assert code == 0
    row = out.splitlines()[2].split()
    assert row[:3] == ["SPY", "2007-12-31", "2008-12-31"]
    assert "-36.8 %" in out


def test_metrics_json_names_and_fractions(data_dir, capsys):
    code, out, _ = run(
        capsys,
        "--data-dir",
        str(data_dir),
        "metrics",
        "QQQ",
        "IWD",
        "--benchmark",
        "SPY",
        "--start",
        "2021-12-31",
        "--end",
        "2022-12-31",
        "--format",
        "json",
        "--offline",
    )
    assert code == 0
    items = json.loads(out)
    for key in (
        "ticker",
        "start",
        "end",
        "total_return",
        "cagr",
        "volatility",
        "sharpe",
        "sortino",
        "max_drawdown",
        "calmar",
        "beta",
        "correlation",
    ):
        assert key in items[0]
    qqq = items[0]
    assert qqq["ticker"] == "QQQ" and qqq["end"] == "2022-12-30"
    assert round(qqq["total_return"], 3) == -0.326  # QQQ 2022 total return −32.6 %
    assert 1.0 < qqq["beta"] < 1.4 and 0.9 < qqq["correlation"] < 1.0


def test_metrics_unknown_ticker_exits_3_naming_it():
    proc = subprocess.run(
        [sys.executable, "-m", "rotation_desk", "--offline", "metrics", "NOPE"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 3
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "NOPE" in lines[0] and "Traceback" not in proc.stderr


def test_bad_dates_and_empty_windows(data_dir, capsys):
    code, _, err = run(capsys, "--data-dir", str(data_dir), "metrics", "SPY", "--start", "2024-13-01")
    assert code == 2 and "2024-13-01" in err
    code, _, err = run(
        capsys, "--data-dir", str(data_dir), "metrics", "SPY", "--start", "2024-05-01", "--end", "2024-01-01"
    )
    assert code == 2 and "--end" in err
    code, _, err = run(
        capsys, "--data-dir", str(data_dir), "metrics", "DFAT", "--start", "1990-01-01", "--end", "1995-01-01"
    )
    assert code == 3 and "DFAT" in err


GOOD_CSV = "date,adj_close\n2024-01-02,10.5\n2024-01-03,10.75\n2024-01-04,10.6\n"


def test_import_then_export_round_trip(data_dir, tmp_path, capsys):
    src = tmp_path / "mine.csv"
    src.write_text(GOOD_CSV)
    code, out, err = run(capsys, "--data-dir", str(data_dir), "data", "import", str(src), "--ticker", "mine")
    assert code == 0, err and "imported 3 rows of MINE" in out
    dest = tmp_path / "out.csv"
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "data", "export", "MINE", "SPY", "--out", str(dest))
    assert code == 0
    text = dest.read_text().splitlines()
    assert text[0] == "date,ticker,adj_close"
    assert text[1] == "2024-01-02,MINE,10.5"  # the shortest form that reads back as the stored float
    assert len(text) == 1 + 3 + 8434
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "data", "list", "--format", "json")
    mine = next(i for i in json.loads(out) if i["ticker"] == "MINE")
    assert mine["source"] == "import:mine.csv" and mine["rows"] == 3


@pytest.mark.parametrize(
    "text, needle",
    [
        ("date,adj_close\n2024-01-02,10.5\n2024-01-32,10.7\n", "line 3: date '2024-01-32'"),
        ("date,adj_close\n2024-01-02,10.5\n2024-01-03,-1\n", "line 3: adj_close '-1' must be a positive"),
        ("date,adj_close\n2024-01-02,10.5\n2024-01-03,abc\n", "line 3: adj_close 'abc' is not a number"),
        ("date,adj_close\n2024-01-02,10.5\n2024-01-02,10.6\n", "line 3: date 2024-01-02 repeats line 2"),
        ("date,adj_close\n2024-01-02,nan\n", "line 2: adj_close 'nan' is not a finite number"),
        ("day,price\n2024-01-02,10\n", "no 'date' column"),
        ("date,open\n2024-01-02,10\n", "no 'adj_close' or 'close' column"),
        ("", "empty"),
        ("date,adj_close\n", "no price rows"),
    ],
)
def test_malformed_csv_exits_2_names_the_line_and_changes_nothing(data_dir, tmp_path, capsys, text, needle):
    src = tmp_path / "bad.csv"
    src.write_text(text)
    _, before, _ = run(capsys, "--data-dir", str(data_dir), "data", "list", "--format", "json")
    code, out, err = run(capsys, "--data-dir", str(data_dir), "data", "import", str(src), "--ticker", "SPY")
    assert code == 2
    assert needle in err and "Traceback" not in err
    _, after, _ = run(capsys, "--data-dir", str(data_dir), "data", "list", "--format", "json")
    assert after == before


def test_close_column_is_accepted(data_dir, tmp_path, capsys):
    src = tmp_path / "c.csv"
    src.write_text("Date,Close\n2024-01-02,5\n2024-01-03,6\n")
    code, out, err = run(capsys, "--data-dir", str(data_dir), "data", "import", str(src), "--ticker", "CCC")
    assert code == 0, err


def test_version_and_unknown_command():
    proc = subprocess.run([sys.executable, "-m", "rotation_desk", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("rotation-desk ")
    proc = subprocess.run([sys.executable, "-m", "rotation_desk", "frobnicate"], capture_output=True, text=True)
    assert proc.returncode == 2 and "frobnicate" in proc.stderr


def test_unexpected_error_is_one_line_with_log_path(data_dir, capsys, monkeypatch):
    from rotation_desk.cli import metrics_cmd

    def boom(*a, **k):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(metrics_cmd, "metrics_records", boom)
    code, out, err = run(capsys, "--data-dir", str(data_dir), "metrics", "SPY")
    assert code == 1
    assert err.count("\n") == 1 and "ZeroDivisionError" in err and "rotation-desk.log" in err
    log = (data_dir / "logs" / "rotation-desk.log").read_text()
    assert "Traceback" in log and "ZeroDivisionError" in log


def test_offline_refresh_is_refused_clearly(data_dir, capsys):
    code, _, err = run(capsys, "--offline", "--data-dir", str(data_dir), "data", "refresh", "SPY")
    assert code == 3 and "offline" in err
