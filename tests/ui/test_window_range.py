"""The toolbar's range means one thing on every tab (issue 13): a preset is lit only while the tab on
screen shows it; a tab that shows another window lights none and names it; where the range does not
apply its controls are disabled with the reason; "Custom range…" opens at the window on screen."""

from __future__ import annotations

import pandas as pd
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from rotation_desk.ui.app.dialogs import RangeDialog

LAST = pd.Timestamp("2026-08-03")


def _settle(window):
    QApplication.processEvents()
    window.current_tab().wait_idle()
    QApplication.processEvents()


def _open(window, index):
    window.tabs.setCurrentIndex(index)
    _settle(window)
    return window.current_tab()


def _dialog_dates(window) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Open "Custom range…" and read where it opens (then cancel it)."""
    seen = {}

    def read():
        dialog = window.range_controls.dialog
        seen["dates"] = dialog.dates()
        dialog.reject()

    QTimer.singleShot(0, read)
    window.custom_range_action.trigger()
    return seen["dates"]


def test_market_overview_follows_the_range_and_lights_it(main_window):
    w = main_window
    assert w.range_controls.checked() == "5Y"
    w.range_actions["1Y"].trigger()
    assert w.range_controls.checked() == "1Y" and all(a.isEnabled() for a in w.range_controls.actions())
    assert _dialog_dates(w) == (LAST - pd.DateOffset(years=1), LAST)  # custom range opens at 1Y, not elsewhere
    w.range_actions["3Y"].trigger()
    assert _dialog_dates(w) == (LAST - pd.DateOffset(years=3), LAST)


def test_etf_comparison_in_common_window_lights_no_preset_and_names_its_window(main_window):
    w = main_window
    tab = _open(w, 1)
    assert tab.mode == "common"
    # the comparison starts at DFAT's first close, 2021-06-14: "5Y" (from 2021-08-03) is not what is shown
    assert w.range_controls.checked() is None
    note = w.range_actions["5Y"].toolTip()
    assert note == (
        "ETF Comparison shows the common window 2021-06-14 – 2026-08-03, limited by DFAT; "
        "choose a range to compare over it instead."
    )
    assert all(a.isEnabled() and a.toolTip() == note for a in w.range_controls.actions())
    assert _dialog_dates(w) == (pd.Timestamp("2021-06-14"), LAST)  # custom range opens at the window shown

    w.range_actions["5Y"].trigger()  # the toolbar's own range already: still switches the tab to it
    _settle(w)
    assert tab.mode == "range" and w.range_controls.checked() == "5Y"
    assert {str(d)[:10] for d in tab.table.raw_column("start")} == {"2021-08-03"}
    assert w.range_actions["5Y"].toolTip() == "Show the last 5Y"

    tab.set_mode("full")
    _settle(w)
    assert w.range_controls.checked() is None
    assert w.range_actions["1Y"].toolTip().startswith("ETF Comparison shows the full history of each fund (")

    _open(w, 0)  # back on a tab that follows the range: the toolbar's preset is lit again
    assert w.range_controls.checked() == "5Y"


def test_the_tilt_backtest_on_its_own_dates_lights_no_preset(main_window):
    w = main_window
    tab = _open(w, 2)
    assert w.range_controls.checked() == "5Y"  # the rotation graph's slider spans the toolbar's range
    tab.pages.setCurrentWidget(tab.tilt_page)
    _settle(w)
    assert w.range_controls.checked() == "5Y"  # the tilt follows it too, by default
    tab.editor.set_custom_window(pd.Timestamp("2016-01-04"), pd.Timestamp("2024-12-31"))
    _settle(w)
    assert w.range_controls.checked() is None
    assert w.range_actions["1Y"].toolTip().startswith("The tilt backtest uses its own dates (2016-01-04 – 2024-12-31")
    assert _dialog_dates(w) == (pd.Timestamp("2016-01-04"), pd.Timestamp("2024-12-31"))
    w.range_actions["1Y"].trigger()  # choosing a range goes back to the toolbar's range
    _settle(w)
    assert tab.editor.uses_toolbar_range() and w.range_controls.checked() == "1Y"


def test_the_dca_planner_disables_the_range_and_says_what_it_uses(main_window):
    w = main_window
    _open(w, 3)
    acts = w.range_controls.actions()
    assert not any(a.isEnabled() for a in acts) and w.range_controls.checked() is None
    assert all(a.toolTip().startswith("DCA Planner uses ") for a in acts)
    assert all("the toolbar's range does not apply here" in a.toolTip() for a in acts)
    _open(w, 0)
    assert all(a.isEnabled() for a in acts) and w.range_controls.checked() == "5Y"


@pytest.mark.parametrize("preset", ["YTD", "Max"])
def test_custom_range_opens_at_ytd_and_max(main_window, preset, closes):
    w = main_window
    w.range_actions[preset].trigger()
    start, end = _dialog_dates(w)
    first = min(closes[c].first_valid_index() for c in closes.columns)
    assert end == LAST
    assert start == (pd.Timestamp("2025-12-31") if preset == "YTD" else first)


def test_a_custom_range_is_lit_as_custom(main_window):
    w = main_window
    w.view_state.set_custom(pd.Timestamp("2019-01-02"), pd.Timestamp("2024-12-31"))
    assert w.range_controls.checked() == "Custom" and w.custom_range_action.text() == "2019-01-02 – 2024-12-31"
    assert _dialog_dates(w) == (pd.Timestamp("2019-01-02"), pd.Timestamp("2024-12-31"))
    assert isinstance(w.range_controls.dialog, RangeDialog)
