"""Small shared widgets: a validated ticker list field, the one way a field says what is wrong with it
(``field_error_style``, ``show_field_error``, ``FieldError`` for several fields, a dialog's
``ProblemLabel``) and what is wrong with a list of tickers (``ticker_list_problem``), a summary figure
("stat card"), a button, a headline label, and the splitter, pane, control-row and card-row layouts
the tabs share."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from rotation_desk.core.tickers import invalid, split_tickers
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
    """A wrapping line under a dialog's fields that says what is wrong, in the loss colour; hidden
    until ``say``."""

    def __init__(self, colour: str = LIGHT.loss, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {colour};")
        self.hide()

    def say(self, text: str) -> None:
        self.setText(text)
        self.show()

    def clear_problem(self) -> None:
        self.setText("")
        self.hide()


class StatCard(QWidget):
    """A caption over a large figure, e.g. "Invested" / "$30,000.00"."""

    def __init__(self, caption: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = QLabel(caption)
        self.value = QLabel("—")
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        self.value.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 18, 0)
        layout.setSpacing(0)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)

    def set_value(self, text: str, colour: str | None = None, tooltip: str = "") -> None:
        self.value.setText(text)
        self.value.setStyleSheet(f"color: {colour};" if colour else "")
        self.setToolTip(tooltip)

    def apply_theme(self, theme: Theme) -> None:
        self.caption.setStyleSheet(f"color: {theme.muted};")


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


def pane(widget: QWidget, items: Sequence[QWidget | QLayout], grow: QWidget) -> QWidget:
    """Lay ``items`` (widgets or layouts) out top to bottom in ``widget``, as in the panes under a chart
    (a caption, a table that takes the spare height, a line of controls); returns ``widget``."""
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(4, 6, 4, 0)
    layout.setSpacing(4)
    for item in items:
        if isinstance(item, QLayout):
            layout.addLayout(item)
        else:
            layout.addWidget(item, 1 if item is grow else 0)
    return widget


def chart_over_pane(page: QWidget, chart: QWidget, lower: QWidget, stretch: Sequence[int]) -> QSplitter:
    """Fill ``page`` edge to edge with ``chart`` over ``lower`` (a ``pane``), split with these stretch
    factors; either part keeps a readable minimum height."""
    chart.setMinimumHeight(220)
    lower.setMinimumHeight(150)
    split = splitter(Qt.Orientation.Vertical, [chart, lower], stretch)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(split)
    return split


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
    row = QHBoxLayout(parent)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    for item in items:
        if isinstance(item, str):
            row.addWidget(QLabel(item))
        elif isinstance(item, int):
            row.addStretch(item)
        elif isinstance(item, tuple):
            row.addWidget(*item)
        else:
            row.addWidget(item)
    return row


def card_row(cards: Sequence[StatCard], spacing: int = 24) -> QHBoxLayout:
    """Stat cards side by side, left-aligned."""
    row = QHBoxLayout()
    row.setSpacing(spacing)
    for card in cards:
        row.addWidget(card)
    row.addStretch(1)
    return row
