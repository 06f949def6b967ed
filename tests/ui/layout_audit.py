"""Layout audit: visit every tab and every page of the main window and list what a user would see wrong.

Checks, on the widgets that are on screen, measured the way Qt paints them:

- the window: it has the size asked for (a minimum size larger than the screen would push it off);
- text that does not fit: a label, button, check box, combo box, a spin box's value or a field's
  placeholder whose text is wider (or, wrapped, taller) than the room the style gives it (the label
  rectangle of a button, the edit field of a combo box), unless the widget elides on purpose
  (property ``elided`` set true) and shows the full text as its tooltip;
- clipped widgets: a widget that reaches outside its parent (other than a scroll area's content);
- siblings that overlap: two visible widgets laid out by the same layout (or its nested layouts)
  whose rectangles intersect;
- squashed charts: a plot whose data area shown on screen is under ``MIN_PLOT_HEIGHT`` pixels high;
- a legend that hides series: a chart legend laid out shorter than its rows need
  (``SeriesLegend.needed_height``), or reaching out of its chart;
- texts of a chart drawn over each other: title, subtitle, source line, axis titles and legend.

Used by tests/ui/test_layout_audit.py, and runnable by hand to see every problem at one size::

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/ui/layout_audit.py 1024x700 dark
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QStyleOptionToolButton,
    QTabWidget,
    QToolButton,
    QWidget,
)

MIN_PLOT_HEIGHT = 120
SIZES = ((1024, 700), (1366, 768), (1920, 1080), (2560, 1440))
THEMES = ("light", "dark")
SLACK = 1  # pixels of rounding allowed


@dataclass(frozen=True)
class Problem:
    page: str
    kind: str  # "window", "text", "clipped", "overlap", "chart", "legend", "chart text"
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
        clipped = _clipped(w)
        if clipped:
            problems.append(Problem(page, "clipped", clipped))
    problems += [Problem(page, "overlap", p) for p in _overlaps(widgets)]
    for view in root.findChildren(pg.GraphicsView):
        if view.isVisible():
            problems += [Problem(page, kind, p) for kind, p in _chart_problems(view)]
    return problems


def _name(w: QWidget) -> str:
    label = getattr(w, "text", None)
    shown = label() if callable(label) and not isinstance(w, QLineEdit) else ""
    if isinstance(w, QComboBox):
        shown = w.currentText()
    shown = re.sub(r"<[^>]+>", "", shown or "").replace("\n", " ")
    kind = type(w).__name__
    return f"{kind} “{shown[:40]}”" if shown else f"{kind} {w.objectName() or ''}".strip()


def _elided_on_purpose(w: QWidget, full: str) -> bool:
    return bool(w.property("elided")) and w.toolTip().strip() != "" and full.strip()[:20] in w.toolTip()


def _text_problem(w: QWidget) -> str | None:
    if isinstance(w, QLabel):
        return _label_problem(w)
    if isinstance(w, QComboBox):
        return _combo_problem(w)
    if isinstance(w, QLineEdit):
        return _line_edit_problem(w)
    if isinstance(w, QAbstractButton) and w.text():
        return _button_problem(w)
    return None


def _label_problem(w: QLabel) -> str | None:
    text = w.text()
    if not text or w.pixmap() is not None and not w.pixmap().isNull():
        return None
    if _elided_on_purpose(w, _plain(text)):
        return None
    inner = w.contentsRect().adjusted(w.indent() if w.indent() > 0 else 0, 0, 0, 0)
    if w.wordWrap():
        needed = w.heightForWidth(w.width())
        if needed > w.height() + SLACK:
            return f"{_name(w)} needs {needed} px of height, has {w.height()}"
        longest = max((_advance(w, word) for word in _plain(text).split()), default=0)
        if longest > inner.width() + SLACK:
            return f"{_name(w)}: a word is {longest} px wide in {inner.width()} px"
        return None
    needed = _text_width(w, text)
    if needed > inner.width() + SLACK:
        return f"{_name(w)} needs {needed} px, has {inner.width()}"
    lines = _plain(text).count("\n") + 1
    high = QFontMetrics(w.font()).lineSpacing() * lines
    if high > inner.height() + 2:
        return f"{_name(w)} needs {high} px of height, has {inner.height()}"
    return None


def _combo_problem(w: QComboBox) -> str | None:
    """The current text against the edit field the style paints it in (a combo box clips, never elides)."""
    text = w.currentText()
    if not text or w.isEditable():
        return None
    opt = QStyleOptionComboBox()
    w.initStyleOption(opt)
    field = w.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt, QStyle.SubControl.SC_ComboBoxEditField, w)
    room = field.width() - 2  # the label is drawn 1 px in from each side
    if not w.itemIcon(w.currentIndex()).isNull():
        room -= w.iconSize().width() + 4
    needed = _advance(w, text)
    if needed > room + SLACK and not _elided_on_purpose(w, text):
        return f"{_name(w)} needs {needed} px, has {room}"
    return None


def _line_edit_problem(w: QLineEdit) -> str | None:
    """A spin box's value, or the placeholder of an empty field, must show whole (typed text may scroll)."""
    parent = w.parentWidget()
    if isinstance(parent, QAbstractSpinBox):
        text = w.text()
        owner = parent
    elif not w.text() and w.placeholderText():
        text = w.placeholderText()
        owner = w
    else:
        return None
    if not text or _elided_on_purpose(owner, text):
        return None
    margins = w.textMargins()
    room = w.contentsRect().width() - margins.left() - margins.right() - 4  # QLineEdit's horizontal margin
    if w.isClearButtonEnabled() and w.text():
        room -= w.height() // 2 + 4
    needed = _advance(w, text)
    if needed > room + SLACK:
        return f"{_name(owner)} shows “{text[:30]}” in {room} px, needs {needed}"
    return None


def _button_problem(w: QAbstractButton) -> str | None:
    """The text against the rectangle the style draws the label in (buttons clip, never elide)."""
    text = w.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    style = w.style()
    icon = 0 if w.icon().isNull() else w.iconSize().width() + 4
    if isinstance(w, QPushButton):
        opt = QStyleOptionButton()
        w.initStyleOption(opt)
        rect = style.subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, w)
        room = rect.width()
        if w.menu() is not None:
            room -= style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, opt, w)
    elif isinstance(w, QToolButton):
        if w.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly and icon:
            return None
        opt = QStyleOptionToolButton()
        w.initStyleOption(opt)
        rect = style.subControlRect(QStyle.ComplexControl.CC_ToolButton, opt, QStyle.SubControl.SC_ToolButton, w)
        frame = style.pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, opt, w)
        room = rect.width() - 2 * frame
    elif isinstance(w, (QCheckBox, QRadioButton)):
        opt = QStyleOptionButton()
        w.initStyleOption(opt)
        element = (
            QStyle.SubElement.SE_CheckBoxContents
            if isinstance(w, QCheckBox)
            else QStyle.SubElement.SE_RadioButtonContents
        )
        room = style.subElementRect(element, opt, w).width()
    else:
        room = w.contentsRect().width()
    needed = _advance(w, text) + icon
    if needed > room + SLACK and not _elided_on_purpose(w, text):
        return f"{_name(w)} needs {needed} px, has {room}"
    return None


def _plain(text: str) -> str:
    if "<" in text and ">" in text:
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def _advance(w: QWidget, text: str) -> int:
    fm = QFontMetrics(w.font())
    return max((fm.horizontalAdvance(line) for line in text.split("\n")), default=0)


def _text_width(label: QLabel, text: str) -> int:
    if "<" in text and ">" in text:
        doc = QTextDocument()
        doc.setDefaultFont(label.font())
        doc.setHtml(text)
        doc.setDocumentMargin(0)
        return int(doc.idealWidth())
    return _advance(label, text)


def _in_scroll_content(w: QWidget) -> bool:
    """``w`` is (inside) the content of a scroll area, where reaching past the viewport is scrolling."""
    parent = w.parentWidget()
    while parent is not None:
        owner = parent.parentWidget()
        if isinstance(owner, QAbstractScrollArea) and owner.viewport() is parent:
            return True
        parent = owner
    return False


def _clipped(w: QWidget) -> str | None:
    """A widget that reaches outside its parent is cut off (scroll areas' content excepted)."""
    parent = w.parentWidget()
    if parent is None:
        return None
    if isinstance(parent, QAbstractScrollArea) or _in_scroll_content(w):
        return None
    if w.property("audit_skip") or type(w).__name__.startswith("Q") and w.objectName().startswith("qt_"):
        return None
    outside = w.geometry().united(parent.rect())
    cut_w = outside.width() - parent.width()
    cut_h = outside.height() - parent.height()
    if cut_w > 2 or cut_h > 2:
        return f"{_name(w)} reaches {max(cut_w, 0)}×{max(cut_h, 0)} px outside {_name(parent)}"
    return None


def _layout_widgets(layout: QLayout) -> list[QWidget]:
    """The widgets a layout places, through its nested layouts."""
    out = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.widget() is not None:
            out.append(item.widget())
        elif item.layout() is not None:
            out += _layout_widgets(item.layout())
    return out


def _overlaps(widgets: list[QWidget]) -> list[str]:
    """Visible siblings placed by the same layout (nested layouts included) whose rectangles intersect."""
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
        children = [c for c in _layout_widgets(layout) if c.isVisible() and not c.isWindow()]
        for i, a in enumerate(children):
            for b in children[i + 1 :]:
                overlap = a.geometry().intersected(b.geometry())
                if overlap.width() > 2 and overlap.height() > 2:
                    out.append(f"{_name(a)} and {_name(b)} overlap by {overlap.width()}×{overlap.height()} px")
    return out


def _chart_problems(view: pg.GraphicsView) -> list[tuple[str, str]]:
    out = []
    scene = view.scene()
    if scene is None:
        return out
    visible = _shown_rect(view)
    owner = _owner(view)
    texts: list[tuple[str, QRectF]] = []
    for item in scene.items():
        if not item.isVisible():
            continue
        if isinstance(item, pg.ViewBox):
            rect = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
            if not rect.intersects(visible) or rect.width() < 40:
                continue  # a hidden or collapsed helper plot
            shown = rect.intersected(visible)
            if shown.height() < MIN_PLOT_HEIGHT:
                out.append(("chart", f"a plot in {owner} is {shown.height()} px high (at least {MIN_PLOT_HEIGHT})"))
        needed = getattr(item, "needed_height", None)
        if callable(needed) and getattr(item, "entries", None):
            have = item.boundingRect().height()
            rows = len(item.entries)
            if needed() > have + SLACK:
                out.append(("legend", f"the legend of {owner} needs {needed():.0f} px for {rows} rows, has {have:.0f}"))
            rect = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
            if not visible.contains(rect.adjusted(2, 2, -2, -2)):
                out.append(("legend", f"the legend of {owner} ({rows} rows) reaches out of the chart"))
            texts.append(("the legend", item.sceneBoundingRect()))
        if isinstance(item, pg.LabelItem) and item.item.toPlainText().strip():
            texts.append((f"“{item.item.toPlainText()[:30]}”", item.item.sceneBoundingRect()))
        if isinstance(item, pg.AxisItem) and item.label.isVisible() and item.label.toPlainText().strip():
            texts.append((f"the axis title “{item.label.toPlainText()[:30]}”", item.label.sceneBoundingRect()))
    for i, (a, ra) in enumerate(texts):
        for b, rb in texts[i + 1 :]:
            overlap = ra.intersected(rb)
            if overlap.width() > 2 and overlap.height() > 2:
                out.append(
                    (
                        "chart text",
                        f"in {owner}, {a} and {b} overlap by {overlap.width():.0f}×{overlap.height():.0f} px",
                    )
                )
    return out


def _shown_rect(view: QWidget) -> QRect:
    """The part of ``view`` that is on screen (a scroll area may show only part of it)."""
    region = view.visibleRegion().boundingRect()
    return region if not region.isEmpty() else QRect(0, 0, view.width(), view.height())


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


def audit_window(window, app: QApplication, size: tuple[int, int], tabs=None) -> list[Problem]:
    """Every tab and page of the main window at ``size`` (``tabs``: only the tabs with these keys)."""
    from rotation_desk.ui.app.smoke import _bring_to_front, _idle

    window.resize(*size)
    app.processEvents()
    problems: list[Problem] = []
    if (window.width(), window.height()) != tuple(size):
        minimum = window.minimumSizeHint()
        problems.append(
            Problem(
                "window",
                "window",
                f"asked for {size[0]}×{size[1]}, is {window.width()}×{window.height()} "
                f"(its content needs at least {minimum.width()}×{minimum.height()})",
            )
        )
    for i, tab in enumerate(window.tab_list):
        if tabs is not None and tab.key not in tabs:
            continue
        window.tabs.setCurrentIndex(i)
        _idle(app, tab)
        sets = page_sets(tab)
        if not sets:
            problems += audit_screen(window, f"{tab.title}")
        for pages in sets:
            _bring_to_front(pages, tab)
            first = pages.currentIndex()
            for j in range(pages.count()):
                if not pages.isTabEnabled(j):
                    continue
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
    app.processEvents()  # the window is first kept on the (offscreen) screen; the audit then sizes it
    problems = audit_window(window, app, size)
    for p in problems:
        print(p)
    print(f"{len(problems)} problems at {size[0]}x{size[1]} ({theme})")
    window.close()
    dispose(app, window)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
