"""A hostile machine (issue 12): read-only folder and file, a file for --data-dir, a full disk
(a real small tmpfs where we may mount one, and always a simulated ENOSPC), a log that cannot be
written. Each gets exit 4 and one clear line; reads keep working where SQLite allows; nothing
stored is changed or moved aside.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from fault_helpers import assert_one_clean_line, files_digest, fill, read_only, run_cli, small_disk

from rotation_desk import logsetup
from rotation_desk.cli.main import main
from rotation_desk.data import atomic
from rotation_desk.data.store import PriceStore

GOOD = "date,adj_close\n2024-01-02,10.5\n2024-01-03,10.75\n"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def big_csv(path: Path, rows: int = 40_000) -> Path:
    start = date(1950, 1, 2)
    lines = ["date,adj_close"] + [f"{start + timedelta(days=i)},{100 + (i % 97) / 8}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


def metrics_json(capsys, data_dir) -> list[dict]:
    code, out, err = run(
        capsys, "--offline", "--data-dir", data_dir, "metrics", "SPY", "--start", "2019-12-31", "--end", "2020-12-31",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    return json.loads(out)


# -- read-only folder -----------------------------------------------------------------------------
def test_read_only_folder_serves_reads_and_refuses_writes_with_exit_4(data_dir, tmp_path, capsys):
    expected = metrics_json(capsys, data_dir)  # the same numbers the writable store gives
    assert round(expected[0]["total_return"], 3) == 0.183  # SPY 2020, as the table shows it: +18.3 %
    src = tmp_path / "good.csv"
    src.write_text(GOOD)
    before = files_digest(data_dir / "cache")
    with read_only(data_dir):
        assert metrics_json(capsys, data_dir) == expected
        code, out, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "list", "--format", "json")
        assert code == 0 and len(json.loads(out)) == 88, err
        code, out, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "import", src, "--ticker", "NEW")
        line = assert_one_clean_line(err)
        assert code == 4 and out == ""
        assert "cannot write to the price database" in line and "read-only" in line and str(data_dir) in line
        code, _, err = run(capsys, "--data-dir", data_dir, "data", "refresh", "SPY")  # fails before any request
        assert code == 4 and "cannot refresh" in assert_one_clean_line(err) and "read-only" in err
        out_file = data_dir / "spy.csv"
        code, _, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "export", "SPY", "--out", out_file)
        assert code == 4 and "cannot write the file" in assert_one_clean_line(err)
    assert files_digest(data_dir / "cache") == before
    assert not list((data_dir / "cache").glob("*.corrupt-*"))


def test_read_only_folder_in_a_real_process_prints_one_line(data_dir, tmp_path):
    src = tmp_path / "good.csv"
    src.write_text(GOOD)
    with read_only(data_dir):
        proc = run_cli("--offline", "--data-dir", data_dir, "data", "list", "--format", "csv")
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
        assert len(proc.stdout.splitlines()) == 89
        proc = run_cli("--offline", "--data-dir", data_dir, "data", "import", src, "--ticker", "NEW")
        assert proc.returncode == 4 and "read-only" in assert_one_clean_line(proc.stderr)


def test_read_only_database_file_is_never_taken_for_damage(data_dir, tmp_path, capsys):
    db = data_dir / "cache" / "prices.sqlite3"
    original = db.read_bytes()
    src = tmp_path / "good.csv"
    src.write_text(GOOD)
    with read_only(db):
        code, out, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "list", "--format", "json")
        assert code == 0 and len(json.loads(out)) == 88 and err == ""
        code, _, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "import", src, "--ticker", "NEW")
        line = assert_one_clean_line(err)
        assert code == 4 and f"the database file {db}" in line and "read-only" in line
    assert db.read_bytes() == original
    assert not list(db.parent.glob("*.corrupt-*"))


# -- a file where the data folder should be --------------------------------------------------------
@pytest.mark.parametrize("below", ["", "sub"])
def test_data_dir_naming_a_file_is_exit_4(tmp_path, capsys, monkeypatch, below):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    target = a_file / below if below else a_file
    code, out, err = run(capsys, "--offline", "--data-dir", target, "data", "list")
    line = assert_one_clean_line(err)
    assert code == 4 and out == "" and f"{a_file} is a file, not a folder" in line and "--data-dir" in line
    monkeypatch.setenv("ROTATION_DESK_DATA_DIR", str(target))
    code, _, err = run(capsys, "--offline", "metrics", "SPY")
    assert code == 4 and "is a file, not a folder" in err
    assert a_file.read_text() == "not a folder"


# -- full disk: simulated (always) ------------------------------------------------------------------
@pytest.fixture
def disk_full_at_open(monkeypatch):
    """Every store connection may not grow the database by a single page: SQLite's SQLITE_FULL,
    which it also returns for ENOSPC."""
    connect = PriceStore._connect

    def limited(self):
        conn = connect(self)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return conn

    monkeypatch.setattr(PriceStore, "_connect", limited)


def test_full_disk_during_import_rolls_back_and_says_so(data_dir, tmp_path, capsys, disk_full_at_open):
    src = big_csv(tmp_path / "big.csv")
    before = files_digest(data_dir / "cache")
    code, out, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "import", src, "--ticker", "SPY")
    line = assert_one_clean_line(err)
    assert code == 4 and out == ""
    assert "is full" in line and "rolled back" in line
    log = (data_dir / "logs" / "rotation-desk.log").read_text()
    assert "cannot rollback" not in log and "Traceback" not in log
    assert files_digest(data_dir / "cache") == before
    s = PriceStore(data_dir / "cache" / "prices.sqlite3")
    assert s.integrity_ok() and s.ticker_meta("SPY").rows == 8434 and s.ticker_meta("SPY").source == "snapshot"
    s.close()


def test_full_disk_while_writing_an_export_leaves_no_file(data_dir, tmp_path, capsys, monkeypatch):
    def no_room(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", no_room)
    exports = tmp_path / "exports"
    exports.mkdir()
    out = exports / "new" / "deeper" / "all.csv"
    code, stdout, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "export", "SPY", "QQQ", "--out", out)
    assert (
        code == 4 and stdout == "" and f"{out}: cannot write the file: the disk is full" in assert_one_clean_line(err)
    )
    assert not (exports / "new").exists()  # not even the folders it made
    old = exports / "old.csv"
    old.write_text("the previous export\n")
    code, _, _ = run(capsys, "--offline", "--data-dir", data_dir, "data", "export", "SPY", "--out", old)
    assert code == 4 and old.read_text() == "the previous export\n"
    assert sorted(p.name for p in exports.iterdir()) == ["old.csv"]  # no temporary left behind


# -- full disk: a real small disk (root with mount rights) -------------------------------------------
def test_a_real_full_disk(data_dir, tmp_path):
    src = big_csv(tmp_path / "big.csv")
    with small_disk(48) as disk:
        shutil.copytree(data_dir, disk / "rd")
        rd = disk / "rd"
        db_before = files_digest(rd / "cache")
        filler = fill(disk, leave_bytes=256 * 1024)

        proc = run_cli("--offline", "--data-dir", rd, "data", "import", src, "--ticker", "BIG")
        line = assert_one_clean_line(proc.stderr)
        assert proc.returncode == 4 and "is full" in line

        proc = run_cli("--offline", "--data-dir", rd, "data", "export", "SPY", "QQQ", "IWM", "--out", disk / "out.csv")
        assert proc.returncode == 4 and "the disk is full" in assert_one_clean_line(proc.stderr)
        assert not (disk / "out.csv").exists() and not list(disk.glob(".out.csv.tmp-*"))

        proc = run_cli("--offline", "--data-dir", rd, "export-chart", "compare", "--out", disk / "c.png")
        assert proc.returncode == 4 and "the disk is full" in assert_one_clean_line(proc.stderr)  # no libpng line
        assert not list(disk.glob("*c.png*"))

        filler.unlink()
        filler = fill(disk)  # not a byte left: the store is read as it is, writes are refused
        proc = run_cli("--offline", "--data-dir", rd, "metrics", "SPY", "--start", "2020-01-01", "--format", "json")
        assert proc.returncode == 0 and json.loads(proc.stdout)[0]["ticker"] == "SPY", proc.stderr
        proc = run_cli("--offline", "--data-dir", rd, "data", "import", src, "--ticker", "BIG")
        assert proc.returncode == 4 and "full" in assert_one_clean_line(proc.stderr)

        filler.unlink()  # room again: the store was never damaged
        assert {k: v for k, v in files_digest(rd / "cache").items() if k in db_before} == db_before
        proc = run_cli("--offline", "--data-dir", rd, "data", "import", src, "--ticker", "BIG")
        assert proc.returncode == 0 and "imported 40000 rows of BIG" in proc.stdout, proc.stderr
        assert not list((rd / "cache").glob("*.corrupt-*"))


# -- the log file ------------------------------------------------------------------------------------
def test_a_log_folder_that_cannot_be_made_falls_back_quietly(tmp_path, capsys):
    blocker = tmp_path / "logs-are-here"
    blocker.write_text("a file, not a folder")
    used = logsetup.setup_logging(blocker / "rotation-desk.log")
    assert used is not None and used.parent.name.startswith(logsetup.FALLBACK_DIR_NAME)
    logging.getLogger("rotation_desk.test").warning("goes to the fallback")
    where, problem = logsetup.log_location()
    assert where == used and str(blocker) in problem
    assert "goes to the fallback" in used.read_text()
    assert capsys.readouterr().err == ""


def test_a_log_write_that_fails_stops_quietly_and_the_error_says_so(data_dir, capsys, monkeypatch):
    from rotation_desk.cli import metrics_cmd

    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full (a device whose writes fail with ENOSPC)")

    def boom(*a, **k):
        handler = logsetup._state["handler"]
        handler.stream = open("/dev/full", "a", encoding="utf-8")
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(metrics_cmd, "metrics_records", boom)
    code, out, err = run(capsys, "--offline", "--data-dir", data_dir, "metrics", "SPY")
    assert code == 1
    line = assert_one_clean_line(err)
    assert (
        "unexpected error: ZeroDivisionError" in line and "could not be logged" in line and "the disk is full" in line
    )


def test_every_environment_errno_maps_to_exit_4(data_dir, capsys, monkeypatch):
    from rotation_desk.cli import metrics_cmd

    for code_, words in [(errno.EACCES, "permission denied"), (errno.EROFS, "read-only"), (errno.ENOSPC, "full")]:

        def fails(*a, _c=code_, **k):
            raise OSError(_c, os.strerror(_c), "/somewhere/file")

        monkeypatch.setattr(metrics_cmd, "metrics_records", fails)
        code, _, err = run(capsys, "--offline", "--data-dir", data_dir, "metrics", "SPY")
        assert code == 4 and words in assert_one_clean_line(err) and "/somewhere/file" in err


def test_a_locked_database_is_exit_4_not_a_crash(data_dir, tmp_path, capsys, monkeypatch):
    from rotation_desk.data import store as store_module

    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(data_dir / "cache" / "prices.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    src = tmp_path / "good.csv"
    src.write_text(GOOD)
    try:
        code, _, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "import", src, "--ticker", "NEW")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 4 and "busy" in assert_one_clean_line(err)
