"""The main window: tabs with real data, shortcuts, range presets, benchmark, settings kept across launches."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from PySide6.QtCore import Qt

from rotation_desk.ui.app.start import build_window
from rotation_desk.ui.app.tab_host import TAB_CLASSES


def test_four_tabs_with_real_data(main_window, qtbot):
    assert [main_window.tabs.tabText(i) for i in range(4)] == [
        "Market Overview",
        "ETF Comparison",
        "Sector Tilts",
        "DCA Planner",
    ]
    for i, tab in enumerate(main_window.tab_list):
        main_window.tabs.setCurrentIndex(i)
        _settled(tab)
        chart = tab.current_chart()
        if chart is None:  # a page that is a table (the DCA schedule)
            table = tab.current_table()
            assert table is not None and table.model().rowCount() > 0, tab.title
            continue
        assert chart.message() is None, f"{tab.title}: {chart.message() if chart else 'no chart'}"
        image = chart.render_image(800, 450)
        colours = {image.pixel(x, y) for x in range(0, 800, 9) for y in range(0, 450, 9)}
        assert len(colours) > 20, f"{tab.title}: the chart is blank"


def _settled(tab):
    """Let a tab that computes in a worker finish and apply its result."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    assert tab.wait_idle()
    QApplication.processEvents()


def test_the_tab_entries_name_their_classes_and_import_only_the_tab_shown():
    import subprocess
    import sys

    for entry in TAB_CLASSES:
        assert (entry.key, entry.title) == (entry.cls.key, entry.cls.title)
        assert entry.views == entry.cls.views and entry.views
    # a new process importing the window loads no tab module until a tab is built
    code = (
        "import sys; import rotation_desk.ui.app.main_window; "
        "print(sorted(m for m in sys.modules if m.startswith('rotation_desk.ui.tabs.') and m.endswith('.tab')))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_ctrl_number_switches_tabs(main_window, qtbot):
    for i in range(len(TAB_CLASSES)):
        qtbot.keyClick(main_window, Qt.Key(Qt.Key.Key_1 + i), Qt.KeyboardModifier.ControlModifier)
        assert main_window.tabs.currentIndex() == i


def test_range_preset_changes_the_window_of_the_visible_chart(main_window, qtbot):
    main_window.tabs.setCurrentIndex(0)
    tab = main_window.current_tab()
    tab.select_view("overview")  # the watchlist page on screen (a page behind fills when it is shown)
    chart = tab.chart_for_view("overview")
    assert chart.isVisible()
    main_window.range_actions["1Y"].trigger()
    assert main_window.view_state.preset == "1Y"
    _settled(tab)
    x, _ = chart.series_data("SPY")
    first = pd.Timestamp(int(x[0]), unit="s")
    assert first == pd.Timestamp("2025-08-01")  # last close on or before 2025-08-03 (a Sunday)
    main_window.range_actions["Max"].trigger()
    _settled(tab)
    x, _ = chart.series_data("SPY")
    assert pd.Timestamp(int(x[0]), unit="s") < pd.Timestamp("1994-01-01")


def test_hidden_tab_recomputes_when_shown(main_window, qtbot):
    main_window.tabs.setCurrentIndex(0)
    compare = main_window.tab_list[1]
    runs = compare.job.runs
    main_window.range_actions["3Y"].trigger()
    qtbot.wait(50)
    assert compare.job.stale and compare.job.runs == runs  # not visible: waits
    main_window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not compare.job.stale)
    _settled(compare)
    assert compare.job.runs == runs + 1 and "3Y" in compare.window_label.text()


def test_benchmark_picker(main_window):
    main_window.benchmark_box.setCurrentText("IWM")
    assert main_window.view_state.benchmark == "IWM"
    assert main_window.settings.benchmark == "IWM"


def test_offline_refresh_says_so_and_keeps_data(main_window):
    before = main_window.market.last_session()
    main_window.refresh_action.trigger()
    assert "Offline" in main_window.status.message_label.text()
    assert main_window.market.last_session() == before
    assert main_window.refresh_action.isEnabled()


def test_status_bar_names_source_and_freshness(main_window, pinned_clock):
    main_window.status.update_freshness()
    text = main_window.status.source_label.text()
    assert text == "Data: Yahoo Finance · snapshot · last close 2026-08-03 (4 months ago) · offline — cached data"
    assert "today" not in text


def test_settings_survive_a_restart(qtbot, paths):
    w = build_window(paths, offline=True)
    qtbot.addWidget(w)
    w.show()
    w.tabs.setCurrentIndex(2)
    w.apply_theme("dark")
    w.benchmark_box.setCurrentText("QQQ")
    w.resize(780, 640)
    size = w.size()  # the offscreen screen may clamp the asked size; what was shown must come back
    w.close()
    w.market.store.close()
    saved = json.loads(paths.settings_file.read_text())
    assert saved["theme"] == "dark" and saved["last_tab"] == 2 and saved["benchmark"] == "QQQ"
    w2 = build_window(paths, offline=True)
    qtbot.addWidget(w2)
    assert w2.tabs.currentIndex() == 2
    assert w2.view_state.benchmark == "QQQ"
    assert w2.services.theme.name == "dark"
    assert w2.size() == size
    w2.market.store.close()


def test_corrupt_settings_file_notice_and_backup(qtbot, paths):
    paths.settings_file.parent.mkdir(parents=True, exist_ok=True)
    paths.settings_file.write_text("{{{", encoding="utf-8")
    w = build_window(paths, offline=True)
    qtbot.addWidget(w)
    assert "could not be read" in w.status.message_label.text()
    assert list(paths.settings_file.parent.glob("settings.json.corrupt-*"))
    w.market.store.close()


def test_about_names_version_source_and_licence(main_window):
    from rotation_desk import __version__

    box = main_window.show_about()
    text = box.text()
    assert __version__ in text and "Yahoo Finance" in text and "Licence" in text
    box.close()


def test_theme_switch_restyles_charts(main_window):
    main_window.apply_theme("dark")
    chart = main_window.current_tab().current_chart()
    assert chart.theme.name == "dark"
    assert chart.view.backgroundBrush().color().name().lower() == chart.theme.base.lower()
    main_window.apply_theme("light")
    assert chart.theme.name == "light"


@pytest.mark.parametrize("bad", [("2026-01-10", "2026-01-05")])
def test_custom_range_rejects_end_before_start(qtbot, bad):
    from rotation_desk.ui.app.dialogs import RangeDialog

    d = RangeDialog(pd.Timestamp("1993-01-29"), pd.Timestamp("2026-08-03"), *bad)
    qtbot.addWidget(d)
    d._accept()
    assert d.error_label.isVisibleTo(d) and "after" in d.error_label.text()
    assert d.result() != RangeDialog.DialogCode.Accepted


def test_only_the_tab_on_screen_is_built_at_start_up(qtbot, paths):
    w = build_window(paths, offline=True)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert [h.built_tab is not None for h in w.hosts] == [True, False, False, False]
    w.tabs.setCurrentIndex(2)  # the user opens Sector Tilts: it is built now, with the current theme
    assert w.hosts[2].built_tab is not None and w.current_tab() is w.hosts[2].built_tab
    assert w.hosts[2].built_tab.theme is w.services.theme
    w.apply_theme("dark")
    w.tabs.setCurrentIndex(3)  # built after the theme change: dark from the start
    assert w.current_tab().theme.name == "dark"
    w.current_tab().wait_idle()
    w.persist = False
    w.close()
    w.market.store.close()
