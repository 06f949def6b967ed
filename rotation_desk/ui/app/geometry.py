"""Where the main window opens: sized to the screen on first launch, a saved place kept on a screen present now.

Both rules are plain functions of rectangles, so they are tested with any screen size:

- ``first_launch(available)``: the preferred 1400 × 900, shrunk to the screen's available area (the desktop
  minus panels and docks) and centred in it.
- ``clamp_to_screens(frame, screens)``: a saved window frame moved (and, if it must be, shrunk) so it lies
  inside the available area of the screen it overlaps most, or of the first screen when it overlaps none
  (the monitor it was on has been unplugged since).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRect, QSize

PREFERRED = QSize(1400, 900)


def first_launch(available: QRect, preferred: QSize = PREFERRED, minimum: QSize | None = None) -> QRect:
    """The window frame for a first launch: ``preferred`` at most, never larger than ``available``, centred."""
    width = min(preferred.width(), available.width())
    height = min(preferred.height(), available.height())
    if minimum is not None:  # a screen smaller than the window's minimum: the minimum, from the top left
        width, height = max(width, minimum.width()), max(height, minimum.height())
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return _inside(rect, available)


def clamp_to_screens(frame: QRect, screens: Sequence[QRect]) -> QRect:
    """``frame`` placed on the screen it overlaps most (the first if none), shrunk to fit its available area."""
    if not screens:
        return QRect(frame)
    best = max(screens, key=lambda s: _area(frame.intersected(s)))
    if _area(frame.intersected(best)) == 0:
        best = screens[0]
    rect = QRect(frame)
    rect.setWidth(min(rect.width(), best.width()))
    rect.setHeight(min(rect.height(), best.height()))
    return _inside(rect, best)


def _inside(rect: QRect, area: QRect) -> QRect:
    """``rect`` moved the least so it lies inside ``area`` (its top left corner first, when it is larger)."""
    out = QRect(rect)
    if out.right() > area.right():
        out.moveRight(area.right())
    if out.bottom() > area.bottom():
        out.moveBottom(area.bottom())
    if out.left() < area.left():
        out.moveLeft(area.left())
    if out.top() < area.top():
        out.moveTop(area.top())
    return out


def _area(rect: QRect) -> int:
    return 0 if rect.isEmpty() else rect.width() * rect.height()
