"""The window in a hostile environment (issue 12, app side): the integrity check runs off the GUI thread
and a rebuilt database reloads the tabs; the app starts without a traceback on a read-only folder, a
damaged database and a full disk; every file the window writes is whole or absent, and a full disk or a
permission problem is one sentence naming the file."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import numpy as np
import pytest
from fault_helpers import fill, read_only, small_disk
from PySide6.QtWidgets import QApplication

from rotation_desk.data import atomic
from rotation_desk.data.store import PriceStore
from rotation_desk.errors import EnvironmentProblem
from rotation_desk.ui.app.start import build_window
from rotation_desk.ui.app.startup import TEMPORARY_PREFIX


def garbage_in_the_middle(db: Path, size: int = 8192, seed: int = 11) -> None:
    data = bytearray(db.read_bytes())
    middle = len(data) // 2
    data[middle : middle + size] = np.random.default_rng(seed).bytes(size)
    db.write_bytes(bytes(data))


def smoke(data_dir: Path, *extra) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "rotation_desk", "--offline", "--data-dir", str(data_dir), "--smoke", *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def assert_clean(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == 0, proc.stderr
    for bad in ("Traceback", "--- Logging error ---", "Error:", "unexpected"):
        assert bad not in proc.stderr, proc.stderr


# ---------------------------------------------------------------------------- start-up check
def test_the_integrity_check_runs_in_a_worker_and_a_rebuild_reloads_the_tabs(qtbot, paths, monkeypatch):
    db = paths.database
    s = PriceStore(db)
    s.close()
    garbage_in_the_middle(db)
    threads = []
    original = PriceStore.check_health

    def check(self, force=True):
        threads.append(threading.current_thread() is threading.main_thread())
        return original(self, force)

    monkeypatch.setattr(PriceStore, "check_health", check)
    w = build_window(paths, offline=True)
    qtbot.addWidget(w)
    w.persist = False
    assert threads == []  # opening the window did not check (the first paint waits for nothing)
    w.show()
    qtbot.waitExposed(w)
    reloads = []
    real_reload = type(w).reload_data

    def reload_data(self):
        reloads.append(1)
        return real_reload(self)

    monkeypatch.setattr(type(w), "reload_data", reload_data)
    w.refresh_on_start()
    assert w.startup.wait(60000)
    assert threads and not any(threads)  # only ever on a worker thread
    assert w.startup.rebuilt and reloads == [1]
    text = w.status.message_label.text()
    assert "could not be read" in text and "built from the bundled snapshot" in text
    [aside] = db.parent.glob("prices.sqlite3.corrupt-*[0-9]")
    assert aside.name in text
    overview = w.current_tab()
    overview.wait_idle()
    QApplication.processEvents()
    assert overview.watchlist.table.frame()["ticker"].tolist()[:3] == ["SPY", "QQQ", "IWM"]  # redrawn on the new file
    assert w.market.store.integrity_ok()
    w.close()
    w.market.store.close()


def test_a_sound_database_is_not_reloaded(qtbot, paths):
    w = build_window(paths, offline=True)
    qtbot.addWidget(w)
    w.persist = False
    w.refresh_on_start()
    assert w.startup.wait(60000) and not w.startup.rebuilt and not list(paths.cache_dir.glob("*.corrupt-*"))
    w.close()
    w.market.store.close()


def test_a_damaged_database_that_cannot_be_rebuilt_is_said_and_the_window_stays(qtbot, paths):
    db = paths.database
    s = PriceStore(db)
    s.close()
    garbage_in_the_middle(db)
    with read_only(paths.cache_dir):
        w = build_window(paths, offline=True)
        qtbot.addWidget(w)
        w.persist = False
        w.refresh_on_start()
        assert w.startup.wait(60000)
        text = w.status.message_label.text()
        assert text.startswith(f"the price database {db} is damaged") and "cannot be rebuilt" in text
        assert "read-only" in text and "Traceback" not in text
        w.close()
        w.market.store.close()
    assert not list(paths.cache_dir.glob("*.corrupt-*"))  # nothing moved on a read-only folder


# ---------------------------------------------------------------------------- --smoke in a real process
def test_smoke_starts_on_a_read_only_data_folder(data_dir):
    with read_only(data_dir):
        assert_clean(smoke(data_dir))


def test_smoke_starts_on_a_damaged_database_and_rebuilds_it(data_dir):
    garbage_in_the_middle(data_dir / "cache" / "prices.sqlite3")
    assert_clean(smoke(data_dir))
    assert list((data_dir / "cache").glob("prices.sqlite3.corrupt-*[0-9]"))
    s = PriceStore(data_dir / "cache" / "prices.sqlite3")
    assert s.integrity_ok() and len(s.tickers()) == 88
    s.close()


def test_smoke_starts_on_a_full_disk(data_dir):
    with small_disk(64) as disk:
        shutil.copytree(data_dir, disk / "rd")
        filler = fill(disk)
        assert_clean(smoke(disk / "rd"))
        filler.unlink()


def test_smoke_starts_on_a_read_only_folder_without_a_database_on_a_temporary_copy(tmp_path):
    empty = tmp_path / "fresh"
    empty.mkdir()
    before = set(Path(tempfile.gettempdir()).glob(TEMPORARY_PREFIX + "*"))
    with read_only(empty):
        assert_clean(smoke(empty))
    assert set(Path(tempfile.gettempdir()).glob(TEMPORARY_PREFIX + "*")) == before  # removed at exit


def test_a_read_only_folder_without_a_database_runs_on_a_temporary_copy_and_says_so(qtbot, tmp_path):
    from rotation_desk.data.paths import resolve_paths

    empty = tmp_path / "fresh"
    empty.mkdir()
    with read_only(empty):
        w = build_window(resolve_paths(empty), offline=True)
        qtbot.addWidget(w)
        w.persist = False
        folder = w.market.temporary_store
        assert folder.is_dir() and folder.name.startswith(TEMPORARY_PREFIX)
        text = w.status.message_label.text()
        assert f"The price database {empty / 'cache' / 'prices.sqlite3'} cannot be created" in text
        assert "the file system is read-only" in text or "permission denied" in text
        assert f"a temporary copy of the bundled prices in {folder}" in text
        assert "not kept after you quit" in text
        assert len(w.market.ticker_names()) == 88
        from rotation_desk.ui.app.startup import discard_temporary

        w.close()
        discard_temporary(w.market)
        assert not folder.exists()


def test_data_dir_naming_a_file_is_one_line_and_exit_4(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    proc = smoke(blocker)
    assert proc.returncode == 4 and "is a file, not a folder" in proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


# ---------------------------------------------------------------------------- files the window writes
@pytest.fixture
def no_room(monkeypatch):
    def fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", fsync)


@pytest.fixture
def out_dir(tmp_path) -> Path:
    """An empty folder for exports (tmp_path also holds the test's data folder)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def compare(qtbot, services):
    from rotation_desk.ui.tabs.compare.tab import CompareTab

    tab = CompareTab(services)
    qtbot.addWidget(tab)
    tab.resize(1200, 800)
    tab.ensure_current()
    return tab


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_a_chart_export_on_a_full_disk_keeps_the_old_file_and_says_so(compare, out_dir, fmt, monkeypatch):
    chart = compare.chart_for_view("compare")
    out = out_dir / f"growth.{fmt}"
    out.write_bytes(b"the previous chart")
    export = chart.export_png if fmt == "png" else chart.export_svg
    args = (800, 450, 2.0) if fmt == "png" else (800, 450)

    def fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    with pytest.raises(EnvironmentProblem) as caught:
        export(out, *args)
    assert str(caught.value) == f"{out}: cannot write the chart: the disk is full"
    assert out.read_bytes() == b"the previous chart"
    assert sorted(p.name for p in out_dir.iterdir()) == [out.name]  # no temporary left behind
    monkeypatch.undo()
    export(out, *args)
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG") and data.endswith(b"IEND\xaeB`\x82") if fmt == "png" else b"</svg>" in data


def test_the_export_dialog_shows_the_one_sentence(compare, tmp_path, no_room):
    from rotation_desk.ui.charts.export_dialog import ExportDialog

    dialog = ExportDialog(compare.chart_for_view("compare"))
    out = tmp_path / "c.png"
    dialog.path_edit.setText(str(out))
    dialog._save()
    assert dialog.error_label.text() == f"{out}: cannot write the chart: the disk is full"
    assert not out.exists() and dialog.saved_path is None
    dialog.close()


def test_a_table_export_on_a_full_disk_or_a_read_only_folder_writes_nothing(compare, out_dir, monkeypatch):
    out = out_dir / "metrics.csv"

    def fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    with pytest.raises(EnvironmentProblem, match="metrics.csv: cannot export the table: the disk is full$"):
        compare.table.export_csv(out)
    assert list(out_dir.iterdir()) == []
    monkeypatch.undo()
    folder = out_dir / "ro"
    folder.mkdir()
    with read_only(folder):
        with pytest.raises(EnvironmentProblem) as caught:
            compare.table.export_csv(folder / "m.csv")
    assert str(caught.value) in (
        f"{folder / 'm.csv'}: cannot export the table: the file system is read-only",
        f"{folder / 'm.csv'}: cannot export the table: permission denied",
    )
    assert list(folder.iterdir()) == []
    compare.table.export_csv(out)
    assert out.read_text().splitlines()[0].startswith("Ticker,")


def test_a_chart_export_onto_a_real_full_disk(compare):
    chart = compare.chart_for_view("compare")
    with small_disk(4) as disk:
        filler = fill(disk)
        out = disk / "c.png"
        with pytest.raises(EnvironmentProblem) as caught:
            chart.export_png(out, 1600, 900, 2.0)
        assert str(caught.value) == f"{out}: cannot write the chart: the disk is full"
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]
        filler.unlink()
        chart.export_png(out, 1600, 900, 2.0)
        assert out.read_bytes().endswith(b"IEND\xaeB`\x82")
