"""Data → Data health…: the `data check` findings in the window (planted problems in real data, as
tests/test_data_health.py plants them), and its actions: re-fetch (recorded Yahoo responses), remove
(confirmed), export (read back)."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest
from fault_helpers import read_only
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from yahoo_replay import YahooReplay

from rotation_desk.data.csv_import import read_price_csv
from rotation_desk.ui.app.start import build_window

AS_OF = "2026-08-04"  # the day after the snapshot's last session: nothing is stale
TEN_SESSIONS = ["2020-06-01", "2020-06-02", "2020-06-03", "2020-06-04", "2020-06-05",
                "2020-06-08", "2020-06-09", "2020-06-10", "2020-06-11", "2020-06-12"]  # fmt: skip


def _plant(store) -> pd.Series:
    """VBR from 2015 with a wrong level from 2018-03-01 (+50 % in a session) and ten sessions missing."""
    vbr = store.read_closes(["VBR"])["VBR"].dropna().loc["2015-01-02":]
    planted = vbr.copy()
    planted.loc["2018-03-01":] *= 1.5
    planted = planted.drop(pd.to_datetime(TEN_SESSIONS))
    store.replace_history("ZVBR", pd.DataFrame({"adj_close": planted}), source="import:zvbr.csv")
    return planted


def _open(qtbot, window, today=AS_OF):
    dialog = window.open_data_health(today)
    qtbot.waitUntil(lambda: dialog.job.runs >= 1 and not dialog.job.busy(), timeout=60_000)
    return dialog


def _row(dialog, ticker):
    rows = dialog.tickers.displayed_rows()
    return next(r for r in rows if r[0] == ticker)


def test_planted_jump_and_gap_are_listed_with_their_dates(qtbot, main_window):
    planted = _plant(main_window.market.store)
    dialog = _open(qtbot, main_window)
    # the summary line of `data check`: the snapshot's two flags plus the planted series' two
    assert dialog.summary.text() == "89 tickers checked: 86 clean; 1 gap, 2 jumps, 1 spike."
    assert _row(dialog, "ZVBR") == [
        "ZVBR", "file zvbr.csv", "2015-01-02", "2026-08-03", f"{len(planted):,}", "fund or stock", "USD", "XNYS",
        "never", "2 problems",
    ]  # fmt: skip
    assert _row(dialog, "SPY")[-1] == "ok"
    # nothing selected: every problem; the snapshot's own two are there
    every = dialog.problems.displayed_rows()
    assert [(r[0], r[1], r[2]) for r in every if r[0] in ("SPYG", "UUP")] == [
        ("SPYG", "jump", "2000-10-12"),
        ("UUP", "spike", "2007-06-20"),
    ]
    dialog.select(["ZVBR"])
    assert dialog.selected() == ["ZVBR"]
    rows = dialog.problems.displayed_rows()
    assert [(r[1], r[2]) for r in rows] == [("jump", "2018-03-01"), ("gap", "2020-06-01 – 2020-06-12")]
    assert "10 sessions without a close" in rows[1][3]
    assert dialog.problems_caption.text() == "Problems (ZVBR): 2"
    dialog.only_problems.setChecked(True)
    assert [r[0] for r in dialog.tickers.displayed_rows()] == ["SPYG", "UUP", "ZVBR"]


def test_staleness_is_measured_against_today(qtbot, main_window):
    dialog = _open(qtbot, main_window, "2026-09-01")
    dialog.select(["SPY"])
    [row] = dialog.problems.displayed_rows()
    assert (
        row[:3] == ["SPY", "stale", "2026-08-03"]
        and row[3] == "last close 2026-08-03; 20 newer sessions to 2026-08-31 not cached"
    )


def test_remove_asks_first_then_removes_and_the_tabs_follow(qtbot, main_window):
    planted = _plant(main_window.market.store)
    main_window.benchmark_box.addItem("ZVBR")
    dialog = _open(qtbot, main_window)
    dialog.select(["ZVBR"])
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes])

    def answer():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        assert "Delete ZVBR from the store?" in box.text()
        box.button(next(answers)).click()

    QTimer.singleShot(20, answer)
    dialog.confirm_remove()  # cancelled: nothing happens
    assert main_window.market.store.has("ZVBR")
    QTimer.singleShot(20, answer)
    dialog.confirm_remove()
    assert not main_window.market.store.has("ZVBR")
    assert dialog.message.text() == f"Removed ZVBR ({len(planted):,} rows)."
    qtbot.waitUntil(lambda: dialog.job.runs >= 2 and not dialog.job.busy(), timeout=60_000)
    assert dialog.summary.text() == "88 tickers checked: 86 clean; 1 jump, 1 spike."
    box = main_window.benchmark_box
    assert "ZVBR" not in [box.itemText(i) for i in range(box.count())]


def test_export_writes_the_stored_prices_whole_or_not_at_all(qtbot, main_window, tmp_path):
    planted = _plant(main_window.market.store)
    dialog = _open(qtbot, main_window)
    dialog.select(["ZVBR"])
    folder = tmp_path / "exports"
    out = folder / "zvbr.csv"  # the folder is made by the export
    assert dialog.export(dialog.selected(), out) == len(planted)
    assert dialog.message.text() == f"Wrote {len(planted):,} rows of ZVBR to {out}."
    back = read_price_csv(out, "ZVBR")
    assert back["adj_close"].tolist() == planted.tolist()  # exactly the stored floats
    before = out.read_bytes()
    with read_only(folder):
        assert dialog.export(["SPY"], out) == 0
    # root gets a read-only bind mount, anyone else a folder without write permission: either is named
    assert dialog.message.text().startswith(f"{out}: cannot write the file: ")
    assert out.read_bytes() == before  # the old file is kept
    assert sorted(p.name for p in folder.iterdir()) == ["zvbr.csv"]  # no temporary file left


def test_refetch_offline_says_so(qtbot, main_window):
    dialog = _open(qtbot, main_window)
    dialog.select(["VBR"])
    assert not dialog.refetch_selected()
    assert dialog.message.text().startswith("Offline mode")


@pytest.fixture
def online_window(qtbot, paths, monkeypatch, tmp_path):
    replay = YahooReplay().install(monkeypatch, tmp_path / "yf-cache")
    window = build_window(paths, offline=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window, replay
    window.runner.wait(10000)
    window.market.store.close()


def test_refetch_downloads_the_full_history_off_the_gui_thread_and_checks_again(qtbot, online_window):
    window, _replay = online_window
    store = window.market.store
    store.replace_history("VBR", store.read_history("VBR", end="2026-06-30"), "snapshot")
    dialog = _open(qtbot, window)
    dialog.select(["VBR"])
    [stale] = dialog.problems.displayed_rows()
    assert stale[:3] == ["VBR", "stale", "2026-06-30"]
    runs = dialog.job.runs
    with qtbot.waitSignal(window.refresher.finished, timeout=120_000) as blocker:
        dialog.refetch_button.click()
        assert window.status.progress_bar.isVisible()  # the window's refresh, its progress in the status bar
    [outcome] = blocker.args[0].outcomes
    assert outcome.ticker == "VBR" and outcome.status == "ok"
    assert dialog.message.text() == "Re-fetch: VBR updated"
    qtbot.waitUntil(lambda: dialog.job.runs > runs and not dialog.job.busy(), timeout=60_000)
    row = _row(dialog, "VBR")
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert (row[1], row[3], row[8], row[9]) == ("Yahoo", "2026-08-03", f"{today} ok", "ok")
