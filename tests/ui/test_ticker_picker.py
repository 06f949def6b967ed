"""The ETF Comparison's fund picker as a user drives it: picking a suggestion with the mouse empties the
field (the next ticker is not appended to it), funds already chosen are not suggested, a duplicate says so."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from rotation_desk.ui.tabs.compare.tab import CompareTab

POPUP = pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard|propagateSizeHints)")
FUNDS = ["DFAT", "VBR", "AVUV", "EEMV"]


@pytest.fixture
def focused(qtbot, services):
    """The tab on screen with the picker's field focused, as when the user clicks into it (QLineEdit
    connects its completer only while it has the focus: that is when the bug showed)."""
    tab = CompareTab(services)
    qtbot.addWidget(tab)
    tab.resize(1300, 850)
    tab.show()
    qtbot.waitExposed(tab)
    tab.activateWindow()
    tab.picker.edit.setFocus()
    qtbot.waitUntil(tab.picker.edit.hasFocus, timeout=5000)
    yield tab
    tab.wait_idle()


def _suggestions(picker, text: str) -> list[str]:
    from rotation_desk.ui.kit.ticker_choices import TICKER_ROLE

    completer = picker.completer
    completer.setCompletionPrefix(text)
    model = completer.completionModel()
    return [model.index(r, 0).data(TICKER_ROLE) for r in range(model.rowCount())]


@POPUP
def test_picking_a_suggestion_with_the_mouse_empties_the_field(focused, qtbot):
    picker, edit = focused.picker, focused.picker.edit
    qtbot.keyClicks(edit, "avd")
    popup = picker.completer.popup()
    assert popup.isVisible() and _suggestions(picker, "avd") == ["AVDV"]
    rect = popup.visualRect(popup.model().index(0, 0))
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: edit.text() == "", timeout=2000)
    assert focused.tickers == [*FUNDS, "AVDV"]
    qtbot.keyClicks(edit, "qqq")  # the next ticker starts from an empty field ("AVDVQQQ" before)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert focused.tickers == [*FUNDS, "AVDV", "QQQ"] and picker.error() is None and edit.text() == ""


@POPUP
def test_picking_with_the_keyboard_empties_the_field(focused, qtbot):
    picker, edit = focused.picker, focused.picker.edit
    qtbot.keyClicks(edit, "russell 2000 value")
    popup = picker.completer.popup()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: edit.text() == "", timeout=2000)
    assert focused.tickers[-1] == "IWN"


def test_funds_already_chosen_are_not_suggested(focused, qtbot):
    picker = focused.picker
    assert _suggestions(picker, "DFAT") == []
    small_value = _suggestions(picker, "small value")
    assert "AVUV" not in small_value and "DFAT" not in small_value and small_value  # others still offered
    picker.remove("DFAT")
    assert _suggestions(picker, "DFAT") == ["DFAT"]
    assert picker.add("DFAT")
    qtbot.waitUntil(lambda: _suggestions(picker, "DFAT") == [], timeout=2000)  # once the pick is delivered


@POPUP
def test_a_duplicate_says_it_is_chosen_already(focused, qtbot):
    picker, edit = focused.picker, focused.picker.edit
    qtbot.keyClicks(edit, "vbr")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert picker.info() == "VBR is already chosen" and picker.status_label.isVisible()
    assert focused.tickers == FUNDS and edit.text() == ""
    qtbot.keyClicks(edit, "i")  # typing again takes the note away
    assert picker.info() is None
