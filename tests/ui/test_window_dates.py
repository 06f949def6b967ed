"""Honest dates and fresh data (issue 13): the data's date is "last close 2026-08-03 (4 months ago)",
never "today"; a banner when the newest close is more than 5 NYSE sessions old, with a Refresh button;
the refresh on start runs in the background when online (recorded Yahoo responses) and leaves only
the status line when Yahoo cannot be reached."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox
from yahoo_replay import YahooReplay

from rotation_desk.ui.app.smoke import _bring_to_front, _page_sets
from rotation_desk.ui.app.start import build_window
from rotation_desk.ui.charts.panel import ChartPanel
from rotation_desk.ui.kit import clock
from rotation_desk.ui.state.settings import load_settings, save_settings


def nyse_sessions_between(after: str, before: str) -> int:
    """Sessions strictly between two dates, from exchange_calendars directly (not the app's helper)."""
    import warnings

    import exchange_calendars as xcals

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # exchange_calendars' own pandas deprecation
        cal = xcals.get_calendar("XNYS", start="2026-01-01", end="2027-12-31")
    days = cal.sessions_in_range(
        pd.Timestamp(after) + pd.Timedelta(days=1), pd.Timestamp(before) - pd.Timedelta(days=1)
    )
    return len(days)


@pytest.fixture
def replay(monkeypatch, tmp_path) -> YahooReplay:
    import yahoo_replay

    yahoo_replay._snapshot_frame()
    return YahooReplay().install(monkeypatch, tmp_path / "yf-cache")


def _started(qtbot, paths, offline: bool):
    window = build_window(paths, offline=offline)
    qtbot.addWidget(window)
    window.persist = False
    window.show()
    qtbot.waitExposed(window)
    window.refresh_on_start()
    assert window.startup.wait(30000)
    return window


def _every_text(window) -> list[str]:
    """What the window says: every label, chart title, subtitle and source line, on every tab and page."""
    texts = [window.status.source_label.text(), window.status.message_label.text(), window.banner.label.text()]
    for i, tab in enumerate(window.tab_list):
        window.tabs.setCurrentIndex(i)
        for pages in _page_sets(tab):
            _bring_to_front(pages, tab)
            for j in range(pages.count()):
                pages.setCurrentIndex(j)
                QApplication.processEvents()
                tab.wait_idle()
        QApplication.processEvents()
        texts += [label.text() for label in tab.findChildren(QLabel)]
        texts += [label.toolTip() for label in tab.findChildren(QLabel)]
        for chart in tab.findChildren(ChartPanel):
            texts += [chart.title(), chart.subtitle(), chart.source()]
    return texts


def test_the_datas_date_is_the_last_close_with_its_age_never_today(main_window, pinned_clock):
    w = main_window
    texts = _every_text(w)
    offenders = [t for t in texts if "today" in t.lower()]
    assert offenders == []
    assert "Data: Yahoo Finance · snapshot · last close 2026-08-03 (4 months ago) · offline — cached data" in texts
    overview = w.tab_list[0]
    assert overview.thesis.cards[0].today_title.text() == "AT THE LAST CLOSE · 2026-08-03 (4 months ago)"
    caption = overview.watchlist.table_caption.text()
    assert caption.startswith("Returns to the last close, 2026-08-03 (4 months ago), dividends reinvested")
    source = overview.watchlist.chart.source()
    assert "last close 2026-08-03 (4 months ago)" in source  # also printed under every exported chart


def test_a_banner_says_the_prices_are_stale_and_offers_a_refresh(qtbot, paths, pinned_clock):
    w = _started(qtbot, paths, offline=True)
    missed = nyse_sessions_between("2026-08-03", "2026-12-01")
    assert missed == 83  # Aug 4 – Nov 30, less Labor Day and Thanksgiving
    assert w.banner.isVisible()
    assert w.banner.label.text() == (
        f"Prices end at the last close 2026-08-03 (4 months ago): {missed} NYSE sessions have closed since. "
        "Figures on every tab stop at that date."
    )
    assert not w.banner.refresh_button.isEnabled()  # started with --offline
    assert w.banner.refresh_button.toolTip() == "Started with --offline: refreshing needs the network"
    w.banner.close_button.click()
    assert not w.banner.isVisible()
    w.close()
    w.market.store.close()


@pytest.mark.parametrize("today, shown", [("2026-08-07", False), ("2026-08-12", True)])
def test_the_banner_waits_for_more_than_five_sessions(qtbot, paths, today, shown):
    assert nyse_sessions_between("2026-08-03", today) == (3 if not shown else 6)
    clock.pin(dt.datetime.fromisoformat(today + "T12:00:00+00:00"))
    try:
        w = _started(qtbot, paths, offline=True)
        assert w.banner.isVisible() is shown
        w.close()
        w.market.store.close()
    finally:
        clock.pin(None)


def _cut_all(store, last: str) -> None:
    for meta in store.tickers():
        store.replace_history(meta.ticker, store.read_history(meta.ticker, end=last), "snapshot")


def test_refresh_on_start_fetches_in_the_background_and_the_banner_goes(qtbot, paths, replay):
    """Online with the setting on (the default): after the start-up check the refresh runs with the
    status bar's progress bar; the new closes reach the tabs and the stale banner goes away."""
    from rotation_desk.data.market import MarketData

    market = MarketData(paths, offline=True)
    _cut_all(market.store, "2026-07-24")
    market.store.close()
    clock.pin(dt.datetime(2026, 8, 5, 12, 0, tzinfo=dt.UTC))
    try:
        w = build_window(paths, offline=False)
        qtbot.addWidget(w)
        w.persist = False
        w.show()
        qtbot.waitExposed(w)
        assert w.settings.refresh_on_start
        bars = []
        w.refresher.started.connect(lambda n: bars.append((n, w.status.progress_bar.isVisible())))
        with qtbot.waitSignal(w.refresher.finished, timeout=180_000) as blocker:
            w.refresh_on_start()
            assert w.startup.wait(30000)
            assert w.banner.isVisible()  # 7 sessions behind at start: Jul 27 – Aug 4
        report = blocker.args[0]
        assert bars == [(88, True)]  # the existing progress bar, for every cached ticker
        assert [o.status for o in report.outcomes].count("ok") == 88
        assert replay.history_calls("SPY")  # a real yfinance request, answered by the recording
        assert w.status.message_label.text() == "Refreshed 88 of 88 tickers."
        assert w.market.last_session() == pd.Timestamp("2026-08-03")
        assert not w.banner.isVisible()  # 1 session behind now
        assert "last close 2026-08-03 (2 days ago)" in w.status.source_label.text()
        w.runner.wait(10000)
        w.close()
        w.market.store.close()
    finally:
        clock.pin(None)


def test_refresh_on_start_without_a_network_says_it_once_in_the_status_line(qtbot, paths, replay, pinned_clock):
    replay.offline = True  # no route to Yahoo: curl error 7 on every request
    w = build_window(paths, offline=False)
    qtbot.addWidget(w)
    w.persist = False
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitSignal(w.refresher.finished, timeout=180_000) as blocker:
        w.refresh_on_start()
    assert blocker.args[0].offline
    assert w.status.message_label.text() == "Yahoo Finance could not be reached (offline?); cached data kept."
    assert not w.status.progress_bar.isVisible()
    popups = [d for d in QApplication.topLevelWidgets() if isinstance(d, (QDialog, QMessageBox)) and d.isVisible()]
    assert popups == []  # silent apart from the status line
    assert w.banner.isVisible() and w.banner.refresh_button.isEnabled()  # still stale; refresh by hand later
    w.runner.wait(10000)
    w.close()
    w.market.store.close()


def test_no_refresh_with_offline_or_with_the_setting_off(qtbot, paths, replay):
    w = _started(qtbot, paths, offline=True)
    assert not w.refresher.running() and replay.calls == []
    w.close()
    w.market.store.close()
    settings, _ = load_settings(paths.settings_file)
    settings.refresh_on_start = False
    save_settings(paths.settings_file, settings)
    w = _started(qtbot, paths, offline=False)
    assert not w.refresher.running() and replay.calls == []
    w.close()
    w.market.store.close()
