"""Small shared widgets: a validated ticker list field, the one way a field says what is wrong with it
(``field_error_style``, ``show_field_error``, ``FieldError`` for several fields, a dialog's
``ProblemLabel``) and what is wrong with a list of tickers (``ticker_list_problem``), a summary figure
("stat card") and the wrapping row of them, a button, a headline label, and the splitter, scroll area,
pane and control-row layouts the tabs share."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from rotation_desk.core.tickers import invalid, split_tickers
from rotation_desk.ui.kit.boxes import column, line
from rotation_desk.ui.kit.chips import FlowLayout
from rotation_desk.ui.kit.hints import no_prices
from rotation_desk.ui.kit.theme import LIGHT, Theme


def field_error_style(theme: Theme, kind: str = "QLineEdit") -> str:
    """The style sheet that frames a field (``kind``: its widget class) whose input is wrong."""
    return f"{kind} {{ border: 1px solid {theme.loss}; border-radius: 3px; padding: 2px; }}"


def show_field_error(edit: QWidget, label: QLabel, text: str, theme: Theme, kind: str = "QLineEdit") -> None:
    """Say on the field what is wrong: the sentence in ``label`` in the loss colour, the field framed,
    the sentence as its tooltip."""
    label.setText(text)
    label.setStyleSheet(f"color: {theme.loss};")
    label.show()
    edit.setStyleSheet(field_error_style(theme, kind))
    edit.setToolTip(text)


def ticker_list_problem(names: Sequence[str], max_count: int, cached: Callable[[], Iterable[str]]) -> str | None:
    """Why these (normalised) tickers cannot be shown, or None: none, not a symbol, too many, or no
    cached prices (``cached`` is asked only when the rest is right)."""
    if not names:
        return "enter at least one ticker"
    bad = invalid(names)
    if bad:
        return f"not a ticker: {', '.join(bad)}"
    if len(names) > max_count:
        return f"at most {max_count} tickers"
    known = set(cached())
    missing = [n for n in names if n not in known]
    if missing:
        return no_prices(missing)
    return None


class FieldError(QLabel):
    """Why the input in ``fields`` was refused: the sentence in the loss colour, the fields outlined;
    hidden (and the outline gone) when cleared."""

    def __init__(self, fields: Sequence[QLineEdit], theme: Theme = LIGHT, parent: QWidget | None = None):
        super().__init__(parent)
        self.fields = list(fields)
        self.theme = theme
        self.hide()

    def message(self) -> str | None:
        """The reason shown, or None."""
        return self.text() or None

    def show_error(self, text: str) -> None:
        self.setText(text)
        self.setStyleSheet(f"color: {self.theme.loss};")
        self.show()
        for edit in self.fields:
            edit.setStyleSheet(field_error_style(self.theme))

    def clear_error(self) -> None:
        self.hide()
        self.setText("")
        for edit in self.fields:
            edit.setStyleSheet("")

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        if self.message():
            self.show_error(self.text())


class TickerListEdit(QWidget):
    """A line of tickers; on Enter or focus-out it checks them and either emits ``changed`` or
    marks the field and says what is wrong (never raises)."""

    changed = Signal(list)

    def __init__(
        self,
        known: Callable[[], Sequence[str]],
        tickers: Sequence[str],
        label: str = "Tickers",
        max_count: int = 16,
        theme: Theme = LIGHT,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.known = known
        self.max_count = max_count
        self.theme = theme
        self._tickers = list(tickers)
        self.edit = QLineEdit(" ".join(tickers))
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(260)
        self.edit.setToolTip("Tickers separated by spaces or commas; press Enter to apply")
        completer = QCompleter(sorted(known()), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.edit.setCompleter(completer)
        self.error_label = FieldError([self.edit], theme)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        if label:
            layout.addWidget(QLabel(label))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.error_label)
        self.edit.editingFinished.connect(self.apply)

    def tickers(self) -> list[str]:
        return list(self._tickers)

    def set_tickers(self, tickers: Sequence[str]) -> None:
        self._tickers = list(tickers)
        self.edit.setText(" ".join(tickers))
        self._clear_error()

    def validate(self, text: str) -> tuple[list[str], str | None]:
        names = split_tickers(text)
        problem = ticker_list_problem(names, self.max_count, self.known)
        return ([], problem) if problem else (names, None)

    def apply(self) -> bool:
        names, error = self.validate(self.edit.text())
        if error:
            self._show_error(error)
            return False
        self._clear_error()
        if names != self._tickers:
            self._tickers = names
            self.edit.setText(" ".join(names))
            self.changed.emit(names)
        return True

    def error(self) -> str | None:
        return self.error_label.message()

    def _show_error(self, text: str) -> None:
        self.error_label.show_error(text)
        self.edit.setToolTip(text)

    def _clear_error(self) -> None:
        self.error_label.clear_error()
        self.edit.setToolTip("Tickers separated by spaces or commas; press Enter to apply")

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.error_label.apply_theme(theme)


class ProblemLabel(QLabel):
    """A wrapping line under a dialog's fields that says what is wrong, in the loss colour (``colour``,
    or the theme's, read from the application palette when shown); hidden until ``say``."""

    def __init__(self, colour: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.colour = colour
        self.setWordWrap(True)
        self.hide()

    def say(self, text: str) -> None:
        colour = self.colour or QApplication.palette().color(QPalette.ColorRole.BrightText).name()
        self.setStyleSheet(f"color: {colour};")
        self.setText(text)
        self.show()

    def clear_problem(self) -> None:
        self.setText("")
        self.hide()


class StatCard(QWidget):
    """A caption over a large figure, e.g. "Invested" / "$30,000.00". A signed figure takes the theme's
    gain or loss colour, and keeps following the theme."""

    def __init__(self, caption: str, theme: Theme = LIGHT, parent: QWidget | None = None):
        super().__init__(parent)
        self.theme = theme
        self._sign: float | None = None
        self.caption = QLabel(caption)
        self.value = QLabel("—")
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        self.value.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 12, 0)
        layout.setSpacing(0)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        self.apply_theme(theme)

    def set_value(self, text: str, sign: float | None = None, tooltip: str = "") -> None:
        """Show ``text``; ``sign``: the number whose sign colours it (gain, loss, or none for 0)."""
        self.value.setText(text)
        self._sign = sign
        self.setToolTip(tooltip)
        self._colour()

    def figure_colour(self) -> str:
        """The colour the figure is drawn in."""
        return self.theme.sign_colour(self._sign) or self.theme.text

    def _colour(self) -> None:
        self.value.setStyleSheet(f"color: {self.figure_colour()};")

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.caption.setStyleSheet(f"color: {theme.muted};")
        self._colour()


def splitter(
    orientation: Qt.Orientation,
    widgets: Sequence[QWidget],
    stretch: Sequence[int],
    sizes: Sequence[int] | None = None,
) -> QSplitter:
    """A splitter over ``widgets`` with these stretch factors (and starting sizes); panes never collapse."""
    split = QSplitter(orientation)
    for i, (widget, factor) in enumerate(zip(widgets, stretch)):
        split.addWidget(widget)
        split.setStretchFactor(i, factor)
    if sizes:
        split.setSizes(list(sizes))
    split.setChildrenCollapsible(False)
    return split


class PageScroll(QScrollArea):
    """A page (or one column of it) that scrolls up and down. The page is as wide as the view and as
    tall as the view, or as tall as its content needs at that width when that is more: charts keep
    their plot height, wrapped lines and wrapped rows of cards their lines, tables their minimum rows
    (Qt's own resizable scroll area would give wrapped content its preferred height instead)."""

    def __init__(self, page: QWidget, min_width: int = 0, parent: QWidget | None = None):
        super().__init__(parent)
        self._min_width = min_width
        self.setWidget(page)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        page.installEventFilter(self)
        self.viewport().installEventFilter(self)
        self.fit()

    def needed_height(self, width: int) -> int:
        """The page's minimum height at ``width``."""
        page = self.widget()
        layout = page.layout()
        if layout is None:
            return max(page.minimumHeight(), page.minimumSizeHint().height())
        if layout.hasHeightForWidth():
            return layout.totalMinimumHeightForWidth(width)
        return layout.totalMinimumSize().height()

    def fit(self) -> None:
        page = self.widget()
        bar = self.verticalScrollBar().sizeHint().width()
        self.setMinimumWidth(max(self._min_width, page.minimumSizeHint().width()) + bar)
        view = self.viewport().size()
        size = QSize(view.width(), max(view.height(), self.needed_height(view.width())))
        if page.size() != size:
            page.resize(size)

    def eventFilter(self, watched, event) -> bool:
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Resize) and (
            watched is self.viewport() or event.type() == QEvent.Type.LayoutRequest
        ):
            self.fit()
        return False

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()


def scrolling(widget: QWidget, min_width: int = 0) -> PageScroll:
    """``widget`` in a ``PageScroll`` (``min_width``: the page's least width, kept clear of the scroll bar)."""
    return PageScroll(widget, min_width)


def pane(widget: QWidget, items: Sequence[QWidget | QLayout], grow: QWidget) -> QWidget:
    """Lay ``items`` (widgets or layouts) out top to bottom in ``widget``, as in the panes under a chart
    (a caption, a table that takes the spare height, a line of controls); returns ``widget``."""
    column(widget, [(item, 1) if item is grow else item for item in items], (4, 6, 4, 0), 4)
    return widget


def chart_over_pane(page: QWidget, chart: QWidget, lower: QWidget, stretch: Sequence[int]) -> QSplitter:
    """Fill ``page`` edge to edge with ``chart`` over ``lower`` (a ``pane``), split with these stretch
    factors; the chart keeps its plot height (its own minimum), the lower part a readable one."""
    lower.setMinimumHeight(150)
    split = splitter(Qt.Orientation.Vertical, [chart, lower], stretch)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(split)
    return split


def fit_lower(split: QSplitter, wanted: int) -> None:
    """Give the lower pane of a two-pane vertical ``split`` ``wanted`` pixels (e.g. every row of its
    table), as far as the upper pane's minimum height allows; never less than its own minimum."""
    total = sum(split.sizes())
    if total <= 0:
        return
    upper, lower = split.widget(0), split.widget(1)
    upper_min = max(upper.minimumHeight(), upper.minimumSizeHint().height())
    lower_min = max(lower.minimumHeight(), lower.minimumSizeHint().height())
    height = max(lower_min, min(wanted, total - upper_min))
    split.setSizes([total - height, height])


def push_button(text: str, clicked: Callable, tooltip: str = "") -> QPushButton:
    button = QPushButton(text)
    if tooltip:
        button.setToolTip(tooltip)
    button.clicked.connect(clicked)
    return button


def headline(scale: float) -> QLabel:
    """A bold label, ``scale`` times the usual size, wrapping its words (a verdict over a table)."""
    label = QLabel()
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def control_row(parent: QWidget | None, items: Sequence[QWidget | str | int | tuple[QWidget, int]]) -> QHBoxLayout:
    """A line of controls without margins: widgets, words (a label each), ``(widget, stretch)`` and
    stretch (an int) between them."""
    return line(parent, items)


def card_row(cards: Sequence[StatCard], spacing: int = 10) -> FlowLayout:
    """Stat cards side by side, left-aligned; when the width runs out they go on as many lines as
    they need, so a figure is never cut or shrunk."""
    row = FlowLayout(spacing=spacing)
    for card in cards:
        row.addWidget(card)
    return row


def fit_combo(box: QComboBox, extra: int = 36) -> QComboBox:
    """Make ``box`` wide enough for its longest item with the frame, padding and arrow (never elided)."""
    metrics = box.fontMetrics()
    longest = max((metrics.horizontalAdvance(box.itemText(i)) for i in range(box.count())), default=0)
    box.setMinimumWidth(longest + extra)
    return box
