"""Putting the main window on screen: the saved place kept on a screen present now, or a first
launch sized to the screen (the rules are ``geometry``'s, on rectangles)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect
from PySide6.QtGui import QGuiApplication

from rotation_desk.ui.app import geometry


def available_screens() -> list[QRect]:
    return [s.availableGeometry() for s in QGuiApplication.screens()]


def restore(window) -> None:
    """The saved geometry and toolbar state, clamped to the screens present now; else a first launch."""
    saved = window.settings.window_geometry
    if saved and window.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii"))):
        place(window, geometry.clamp_to_screens(window.frameGeometry(), available_screens()))
    else:
        primary = QGuiApplication.primaryScreen()
        if primary is not None:
            place(window, geometry.first_launch(primary.availableGeometry(), minimum=window.minimumSize()))
    if window.settings.window_state:
        window.restoreState(QByteArray.fromBase64(window.settings.window_state.encode("ascii")))


def place(window, frame: QRect) -> None:
    """Give the window this frame (title bar included, once the window system has drawn one)."""
    margins = window.frameGeometry().size() - window.geometry().size()
    window.setGeometry(frame.x(), frame.y(), frame.width() - margins.width(), frame.height() - margins.height())


def keep_on_screen(window) -> None:
    """Once shown (the frame's size is known): pull the title bar and edges back onto a screen."""
    if window.isMaximized() or window.isFullScreen():
        return
    frame = window.frameGeometry()
    fitted = geometry.clamp_to_screens(frame, available_screens())
    if fitted != frame:
        place(window, fitted)
