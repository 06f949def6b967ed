"""Where the main window opens (issue 13): a first launch fits the screen's available area, at most
1400 × 900, centred; a saved place is kept on a screen present now."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication

from rotation_desk.ui.app import geometry
from rotation_desk.ui.app.start import build_window


@pytest.mark.parametrize(
    "available, expected",
    [
        # a 1366 × 768 laptop with a 27 px top panel: the old fixed 1400 × 900 put the menus and the
        # status bar off screen
        (QRect(0, 27, 1366, 741), QRect(0, 27, 1366, 741)),
        (QRect(0, 0, 1920, 1040), QRect(260, 70, 1400, 900)),  # a large screen: 1400 × 900, centred
        (QRect(0, 0, 2560, 1400), QRect(580, 250, 1400, 900)),
        (QRect(1920, 0, 1280, 984), QRect(1920, 42, 1280, 900)),  # the second monitor of two
        (QRect(0, 0, 1024, 700), QRect(0, 0, 1024, 700)),  # the smallest supported screen
    ],
)
def test_first_launch_fits_the_available_area(available, expected):
    rect = geometry.first_launch(available)
    assert rect == expected
    assert available.contains(rect)
    assert rect.width() <= 1400 and rect.height() <= 900


def test_a_screen_smaller_than_the_windows_minimum_gets_the_minimum_from_its_corner():
    rect = geometry.first_launch(QRect(0, 0, 700, 500), minimum=QSize(760, 540))
    assert rect == QRect(0, 0, 760, 540)


@pytest.mark.parametrize(
    "saved, screens, expected",
    [
        # saved on a second monitor that is gone: back on the first screen, same size
        (QRect(2100, 100, 1200, 800), [QRect(0, 0, 1920, 1040)], QRect(720, 100, 1200, 800)),
        # larger than the screen now present (a 4K monitor before, a laptop now): shrunk to fit
        (QRect(100, 50, 2400, 1300), [QRect(0, 27, 1366, 741)], QRect(0, 27, 1366, 741)),
        # half off the left edge: pulled in
        (QRect(-600, 200, 1000, 700), [QRect(0, 0, 1920, 1040)], QRect(0, 200, 1000, 700)),
        # still on the screen it overlaps most, of two: left alone
        (
            QRect(2000, 100, 1200, 800),
            [QRect(0, 0, 1920, 1040), QRect(1920, 0, 2560, 1400)],
            QRect(2000, 100, 1200, 800),
        ),
    ],
)
def test_a_saved_place_is_clamped_to_the_screens_present(saved, screens, expected):
    rect = geometry.clamp_to_screens(saved, screens)
    assert rect == expected
    assert any(s.contains(rect) for s in screens)


def test_first_launch_window_fits_the_screen_it_opens_on(qtbot, paths):
    """No settings yet: the window takes the (offscreen) screen's available area, never 1400 × 900 on it."""
    available = QGuiApplication.primaryScreen().availableGeometry()
    w = build_window(paths, offline=True)
    qtbot.addWidget(w)
    w.persist = False
    assert w.geometry().size() == QSize(min(1400, available.width()), min(900, available.height()))
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: available.contains(w.frameGeometry()), timeout=3000)  # title bar and edges on screen
    w.close()
    w.market.store.close()


def test_a_restored_window_from_a_larger_screen_is_kept_on_this_one(qtbot, paths):
    """Settings saved on a 2560 × 1440 monitor at its far right, opened on the screen present now."""
    from PySide6.QtCore import QByteArray
    from PySide6.QtWidgets import QMainWindow

    big = QMainWindow()
    qtbot.addWidget(big)
    big.setGeometry(1500, 300, 2000, 1100)  # a window on a screen that is not here
    saved = bytes(big.saveGeometry().toBase64()).decode("ascii")
    paths.settings_file.parent.mkdir(parents=True, exist_ok=True)
    paths.settings_file.write_text(json.dumps({"version": 2, "window_geometry": saved}))
    assert QByteArray.fromBase64(saved.encode("ascii"))
    w = build_window(paths, offline=True)
    qtbot.addWidget(w)
    w.persist = False
    w.show()
    qtbot.waitExposed(w)
    available = QGuiApplication.primaryScreen().availableGeometry()
    qtbot.waitUntil(lambda: available.contains(w.frameGeometry()), timeout=3000)
    assert w.width() <= available.width() and w.height() <= available.height()
    w.close()
    w.market.store.close()
