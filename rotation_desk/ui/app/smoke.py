"""``rotation-desk --smoke``: open the main window, visit every tab and every page in it, exit 0.

With ``--screenshot-dir`` it saves the window as a PNG per tab (``1-overview.png`` …) and per page
inside a tab (``2-compare-p1-3-rolling-return.png``: the tab's first set of pages, its third page), so
every screen can be looked at, at any ``--window-size`` and in either ``--theme``. Any error a tab
reports, an uncaught exception or a tab still computing after its time is a failure (exit 1).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication, QStackedWidget, QTabWidget

from rotation_desk import APP_NAME
from rotation_desk.errors import RotationDeskError
from rotation_desk.ui.charts.export import png_bytes, write_file

SMOKE_TAB_TIMEOUT_MS = 30_000
SMOKE_SIZE = (1400, 900)


def run_smoke(app: QApplication, window, screenshot_dir: Path | None, handler) -> int:
    """Visit every tab and its pages, let each compute and paint, save PNGs if asked; 0 when all went well."""
    problems: list[str] = []
    for tab in window.tab_list:
        tab.status_message.connect(lambda text, error, key=tab.key: error and problems.append(f"{key}: {text}"))
    if screenshot_dir is not None:
        screenshot_dir = Path(screenshot_dir)
        screenshot_dir.mkdir(parents=True, exist_ok=True)

    def shoot(name: str, key: str) -> None:
        if not _idle(app, tab):
            problems.append(f"{key}: still computing after {SMOKE_TAB_TIMEOUT_MS // 1000} s")
        if screenshot_dir is not None:
            path = screenshot_dir / f"{name}.png"
            try:
                write_file(path, png_bytes(window.grab().toImage()))
            except RotationDeskError as exc:
                problems.append(f"{key}: could not save {path} ({exc})")

    for i, tab in enumerate(window.tab_list):
        window.tabs.setCurrentIndex(i)
        shoot(f"{i + 1}-{tab.key}", tab.key)
        for k, pages in enumerate(_page_sets(tab), start=1):
            _bring_to_front(pages, tab)
            first = pages.currentIndex()
            for j in range(pages.count()):
                if not pages.isTabEnabled(j):
                    continue
                pages.setCurrentIndex(j)
                shoot(f"{i + 1}-{tab.key}-p{k}-{j + 1}-{_slug(pages.tabText(j))}", f"{tab.key} / {pages.tabText(j)}")
            pages.setCurrentIndex(first)
        print(f"smoke: {tab.title} ok", file=sys.stderr)
    window.close()
    _settle(app, 50)
    problems += [f"uncaught: {e}" for e in handler.errors]
    for p in problems:
        print(f"{APP_NAME} smoke: {p}", file=sys.stderr)
    return 1 if problems else 0


def _page_sets(tab) -> list[QTabWidget]:
    """The tab's page widgets (sub-tabs), outermost first."""
    return sorted(tab.findChildren(QTabWidget), key=lambda w: _depth(w, tab))


def _bring_to_front(widget, top) -> None:
    """Make the pages that hold ``widget`` the current ones (a set of pages inside another page)."""
    while widget is not None and widget is not top:
        stack = widget.parentWidget()
        owner = stack.parentWidget() if stack is not None else None
        if isinstance(stack, QStackedWidget) and isinstance(owner, QTabWidget):
            owner.setCurrentWidget(widget)
        widget = stack


def _depth(widget, top) -> int:
    depth = 0
    while widget is not None and widget is not top:
        widget = widget.parentWidget()
        depth += 1
    return depth


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:30] or "page"


def _idle(app: QApplication, tab) -> bool:
    _settle(app, 100)
    ok = tab.wait_idle(SMOKE_TAB_TIMEOUT_MS)
    app.processEvents()  # deliver the results
    _settle(app, 200)
    return ok


def _settle(app: QApplication, ms: int) -> None:
    """Process events for ``ms`` milliseconds (lets layouts, first paints and timers run)."""
    timer = QElapsedTimer()
    timer.start()
    while timer.elapsed() < ms:
        app.processEvents()
        QTimer.singleShot(5, lambda: None)
        app.processEvents()
