"""Layout audit: visit every tab and every page of the main window and list what a user would see wrong.

Checks, on the widgets that are on screen:

- text that does not fit: a label, button, check box or combo box whose text is wider (or, wrapped,
  taller) than the widget, unless the widget elides on purpose (property ``elided`` set true) and shows
  the full text as its tooltip;
- siblings that overlap: two visible widgets in the same layout whose rectangles intersect;
- squashed charts: a plot whose data area is under ``MIN_PLOT_HEIGHT`` pixels high;
- a legend that hides series: a chart legend laid out shorter than its rows need.

Used by tests/ui/test_layout_audit.py, and runnable by hand to see every problem at one size::

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/ui/layout_audit.py 1024x700 dark
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QRect
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QRadioButton,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

MIN_PLOT_HEIGHT = 120
SIZES = ((1024, 700), (1366, 768), (1920, 1080), (2560, 1440))
THEMES = ("light", "dark")


@dataclass(frozen=True)
class Problem:
    page: str
    kind: str  # "text", "overlap", "chart", "legend"
    what: str

    def __str__(self) -> str:
        return f"{self.page}: {self.kind}: {self.what}"


# ---------------------------------------------------------------- checks on one screen
def audit_screen(root: QWidget, page: str) -> list[Problem]:
    """Every problem on what ``root`` shows now."""
    problems: list[Problem] = []
    widgets = [w for w in root.findChildren(QWidget) if w.isVisible() and not w.isWindow()]
    for w in widgets:
        text_problem = _text_problem(w)
        if text_problem:
            problems.append(Problem(page, "text", text_problem))
    problems += [Problem(page, "overlap", p) for p in _overlaps(widgets)]
    for view in root.findChildren(pg.GraphicsView):
        if view.isVisible():
            problems += [Problem(page, kind, p) for kind, p in _chart_problems(view)]
    return problems


def _name(w: QWidget) -> str:
    label = getattr(w, "text", None)
    shown = label() if callable(label) else ""
    if isinstance(w, QComboBox):
        shown = w.currentText()
    shown = re.sub(r"<[^>]+>", "", shown or "").replace("\n", " ")
    kind = type(w).__name__
    return f"{kind} “{shown[:40]}”" if shown else f"{kind} {w.objectName() or ''}".strip()


def _elided_on_purpose(w: QWidget, full: str) -> bool:
    return bool(w.property("elided")) and w.toolTip().strip() != "" and full.strip()[:20] in w.toolTip()


def _text_problem(w: QWidget) -> str | None:
    if isinstance(w, QLabel):
        text = w.text()
        if not text or w.pixmap() is not None and not w.pixmap().isNull():
            return None
        if _elided_on_purpose(w, _plain(text)):
            return None
        inner = w.contentsRect()
        if w.wordWrap():
            needed = w.heightForWidth(w.width())
            if needed > w.height() + 1:
                return f"{_name(w)} needs {needed} px of height, has {w.height()}"
            longest = max((_advance(w, word) for word in _plain(text).split()), default=0)
            if longest > inner.width() + 1:
                return f"{_name(w)}: a word is {longest} px wide in {inner.width()} px"
            return None
        needed = _text_width(w, text)
        if needed > inner.width() + 1:
            return f"{_name(w)} needs {needed} px, has {inner.width()}"
        return None
    if isinstance(w, QComboBox):
        text = w.currentText()
        if not text:
            return None
        needed = _advance(w, text) + 32  # frame, padding and the drop-down arrow
        if needed > w.width() + 1 and not _elided_on_purpose(w, text):
            return f"{_name(w)} needs about {needed} px, has {w.width()}"
        return None
    if isinstance(w, QAbstractButton) and not w.icon().isNull() and not w.text():
        return None
    if isinstance(w, (QAbstractButton,)) and w.text():
        hint = w.sizeHint().width() if not isinstance(w, (QCheckBox, QRadioButton)) else w.sizeHint().width()
        if hint > w.width() + 1 and not _elided_on_purpose(w, w.text()):
            return f"{_name(w)} needs {hint} px, has {w.width()}"
    return None


def _plain(text: str) -> str:
    if "<" in text and ">" in text:
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def _advance(w: QWidget, text: str) -> int:
    return QFontMetrics(w.font()).horizontalAdvance(text)


def _text_width(label: QLabel, text: str) -> int:
    if "<" in text and ">" in text:
        doc = QTextDocument()
        doc.setDefaultFont(label.font())
        doc.setHtml(text)
        doc.setDocumentMargin(0)
        return int(doc.idealWidth())
    return max((_advance(label, line) for line in text.split("\n")), default=0)


def _overlaps(widgets: list[QWidget]) -> list[str]:
    """Visible siblings placed by the same layout whose rectangles intersect."""
    out = []
    seen = set()
    for w in widgets:
        parent = w.parentWidget()
        if parent is None or id(parent) in seen or isinstance(parent, QStackedWidget):
            continue
        seen.add(id(parent))
        layout = parent.layout()
        if layout is None:
            continue
        children = [
            c
            for c in parent.findChildren(QWidget, options=_direct())
            if c.isVisible() and not c.isWindow() and layout.indexOf(c) >= 0
        ]
        for i, a in enumerate(children):
            for b in children[i + 1 :]:
                overlap = a.geometry().intersected(b.geometry())
                if overlap.width() > 2 and overlap.height() > 2:
                    out.append(f"{_name(a)} and {_name(b)} overlap by {overlap.width()}×{overlap.height()} px")
    return out


def _direct():
    from PySide6.QtCore import Qt

    return Qt.FindChildOption.FindDirectChildrenOnly


def _chart_problems(view: pg.GraphicsView) -> list[tuple[str, str]]:
    out = []
    scene = view.scene()
    if scene is None:
        return out
    visible = QRect(0, 0, view.width(), view.height())
    for item in scene.items():
        if isinstance(item, pg.ViewBox) and item.isVisible():
            rect = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
            if not rect.intersects(visible) or rect.width() < 40:
                continue  # a hidden or collapsed helper plot
            if rect.height() < MIN_PLOT_HEIGHT:
                out.append(
                    ("chart", f"a plot in {_owner(view)} is {rect.height()} px high (at least {MIN_PLOT_HEIGHT})")
                )
        needed = getattr(item, "needed_height", None)
        if callable(needed) and item.isVisible():
            have = item.boundingRect().height()
            if needed() > have + 1:
                rows = len(getattr(item, "entries", []))
                out.append(
                    ("legend", f"the legend of {_owner(view)} needs {needed():.0f} px for {rows} rows, has {have:.0f}")
                )
    return out


def _owner(view: QWidget) -> str:
    w = view
    while w is not None:
        chart_id = getattr(w, "chart_id", None)
        if chart_id:
            return str(chart_id)
        w = w.parentWidget()
    return type(view).__name__


# ---------------------------------------------------------------- walking the window
def page_sets(tab: QWidget) -> list[QTabWidget]:
    from rotation_desk.ui.app.smoke import _page_sets

    return _page_sets(tab)


def audit_window(window, app: QApplication, size: tuple[int, int]) -> list[Problem]:
    """Every tab and page of the main window at ``size``."""
    from rotation_desk.ui.app.smoke import _bring_to_front, _idle

    window.resize(*size)
    problems: list[Problem] = []
    for i, tab in enumerate(window.tab_list):
        window.tabs.setCurrentIndex(i)
        _idle(app, tab)
        problems += audit_screen(window, f"{tab.title}")
        for pages in page_sets(tab):
            _bring_to_front(pages, tab)
            first = pages.currentIndex()
            for j in range(pages.count()):
                pages.setCurrentIndex(j)
                _idle(app, tab)
                problems += audit_screen(window, f"{tab.title} / {pages.tabText(j)}")
            pages.setCurrentIndex(first)
    unique = list(dict.fromkeys(problems))
    return unique


def main(argv: list[str]) -> int:
    from rotation_desk.data.paths import resolve_paths
    from rotation_desk.ui.app.start import application, build_window, dispose

    size = tuple(int(x) for x in (argv[0] if argv else "1024x700").split("x"))
    theme = argv[1] if len(argv) > 1 else "light"
    data = Path(argv[2]) if len(argv) > 2 else Path("/tmp/layout-audit-data")
    app = application()
    window = build_window(resolve_paths(data), offline=True)
    window.persist = False
    window.apply_theme(theme, save=False)
    window.show()
    problems = audit_window(window, app, size)
    for p in problems:
        print(p)
    print(f"{len(problems)} problems at {size[0]}x{size[1]} ({theme})")
    window.close()
    dispose(app, window)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
