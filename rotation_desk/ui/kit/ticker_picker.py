"""Pick up to N tickers: a type-ahead field over the cached tickers and the fund facts, and removable chips.

- The completer matches the ticker, the fund's name or its group ("small
  value" finds DFAT, AVUV, …) and shows name and group in its popup.
- Enter (or choosing from the popup) adds the ticker. A ticker without cached
  prices is fetched in the background when online and added when it lands;
  offline the field says it is not available. Problems are shown on the
  field, never raised.
- Each chip has a remove button; Backspace in the empty field removes the last.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
    QWidgetItem,
)

from rotation_desk.core.tickers import invalid, is_ticker, split_tickers
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.kit.workers import TaskRunner

TICKER_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2


class FlowLayout(QLayout):
    """Lays widgets out left to right and wraps to a new line when the width runs out."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6):
        super().__init__(parent)
        self._items = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item):
        self._items.append(item)

    def insertWidget(self, index: int, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self._items.insert(index, QWidgetItem(widget))
        self.invalidate()

    def count(self):
        return len(self._items)

    def itemAt(self, index):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):
        return Qt.Orientation(0)

    def hasHeightForWidth(self):
        return True

    def heightForWidth(self, width):
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect):
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self):
        return self.minimumSize()

    def minimumSize(self):
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, apply: bool) -> int:
        """Place the items in lines (each item centred vertically in its line); returns the height used."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        lines: list[list] = [[]]
        x = area.x()
        for item in self._items:
            if item.widget() is not None and item.widget().isHidden():
                continue
            hint = item.sizeHint()
            if item.expandingDirections() & Qt.Orientation.Horizontal:
                hint.setWidth(max(hint.width(), 260))
            if x + hint.width() > area.right() + 1 and lines[-1]:
                lines.append([])
                x = area.x()
            lines[-1].append((item, QPoint(x, 0), hint))
            x += hint.width() + self._spacing
        y = area.y()
        for line in lines:
            height = max((hint.height() for _, _, hint in line), default=0)
            if apply:
                for item, pos, hint in line:
                    item.setGeometry(QRect(QPoint(pos.x(), y + (height - hint.height()) // 2), hint))
            y += height + self._spacing
        return max(0, y - self._spacing - rect.y() + m.bottom())


class TickerChip(QFrame):
    """ "● DFAT ×": the colour of its chart line, the ticker, and a remove button."""

    remove_clicked = Signal(str)

    def __init__(self, ticker: str, tooltip: str, theme: Theme, parent: QWidget | None = None):
        super().__init__(parent)
        self.ticker = ticker
        self.setObjectName("tickerChip")
        self.setToolTip(tooltip)
        self.dot = QLabel("●")
        self.label = QLabel(ticker)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.remove_button = QToolButton(text="×")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setToolTip(f"Remove {ticker} from the comparison")
        self.remove_button.setAccessibleName(f"Remove {ticker}")
        self.remove_button.clicked.connect(lambda: self.remove_clicked.emit(self.ticker))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 1, 2, 1)
        layout.setSpacing(4)
        layout.addWidget(self.dot)
        layout.addWidget(self.label)
        layout.addWidget(self.remove_button)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._colour = theme.muted
        self.apply_theme(theme)

    def set_colour(self, colour: str) -> None:
        self._colour = colour
        self.dot.setStyleSheet(f"color: {colour};")

    def apply_theme(self, theme: Theme) -> None:
        self.setStyleSheet(
            f"#tickerChip {{ background: {theme.alt_base}; border: 1px solid {theme.grid}; border-radius: 11px; }}"
        )
        self.remove_button.setStyleSheet(f"QToolButton {{ color: {theme.muted}; border: none; padding: 0 3px; }}")
        self.dot.setStyleSheet(f"color: {self._colour};")


class _TickerCompleter(QCompleter):
    """Matches on ticker, name and group; inserts only the ticker."""

    def pathFromIndex(self, index):
        return index.data(TICKER_ROLE) or ""


class TickerPicker(QWidget):
    changed = Signal(list)  # the tickers after the user added or removed one

    def __init__(
        self,
        market,
        tickers: Sequence[str],
        max_count: int = 12,
        theme: Theme = LIGHT,
        runner: TaskRunner | None = None,
        refresh_fn: Callable | None = None,
        label: str = "Funds",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.market = market
        self.max_count = max_count
        self.theme = theme
        self.runner = runner or TaskRunner(parent=self)
        self.refresh_fn = refresh_fn
        self._tickers: list[str] = []
        self._chips: dict[str, TickerChip] = {}
        self._colours: dict[str, str] = {}
        self._fetching: set[str] = set()
        self._status_kind: str | None = None  # "error", "info" or None

        self.caption = QLabel(label)
        self.edit = QLineEdit()
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(260)
        self.edit.setToolTip("Type a ticker, a fund name or a group and press Enter to add it")
        self.edit.returnPressed.connect(self.submit)
        self.edit.textEdited.connect(self._text_edited)
        self.edit.installEventFilter(self)
        self.model = QStandardItemModel(self)
        self.completer = _TickerCompleter(self.model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCompletionRole(SEARCH_ROLE)
        self.completer.setMaxVisibleItems(12)
        self.completer.popup().setMinimumWidth(580)
        self.completer.activated.connect(self._completion_chosen)
        self.edit.setCompleter(self.completer)
        self.status_label = QLabel()
        self.status_label.setWordWrap(False)
        self.status_label.hide()

        self.flow = FlowLayout(self)
        self.flow.addWidget(self.caption)
        self.flow.addWidget(self.edit)
        self.flow.addWidget(self.status_label)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.refresh_choices()
        self.set_tickers(tickers)

    # ------------------------------------------------------------------ choices
    def refresh_choices(self) -> None:
        """Rebuild the completer from the cached tickers and the facts table."""
        cached = set(self.market.ticker_names())
        facts = self.market.facts()
        self.model.clear()
        for ticker in sorted(cached | set(facts)):
            fund = facts.get(ticker)
            parts = [ticker]
            if fund is not None:
                parts.append(f"{fund.name} · {fund.group}")
            if ticker not in cached:
                parts.append("not cached, fetched on add" if not self.market.offline else "no cached prices")
            item = QStandardItem("   ".join(parts[:1]) + ("   " + " · ".join(parts[1:]) if len(parts) > 1 else ""))
            item.setData(ticker, TICKER_ROLE)
            item.setData(" ".join([ticker] + ([fund.name, fund.group] if fund else [])), SEARCH_ROLE)
            item.setEditable(False)
            self.model.appendRow(item)

    def describe(self, ticker: str) -> str:
        fund = self.market.fund(ticker)
        if fund is None:
            return ticker
        return f"{ticker}: {fund.name} ({fund.group})"

    # ------------------------------------------------------------------ the list
    def tickers(self) -> list[str]:
        return list(self._tickers)

    def set_tickers(self, tickers: Sequence[str]) -> None:
        """Replace the list (no ``changed``); the caller has validated it."""
        for chip in self._chips.values():
            self.flow.removeWidget(chip)
            chip.deleteLater()
        self._chips.clear()
        self._tickers = []
        for t in tickers:
            self._append_chip(t)
        self._clear_status()
        self._update_placeholder()

    def validate(self, tickers: Sequence[str]) -> str | None:
        """Why this list cannot be shown, or None (format, count, cached prices)."""
        names = list(dict.fromkeys(t.strip().upper() for t in tickers if t.strip()))
        if not names:
            return "enter at least one ticker"
        bad = invalid(names)
        if bad:
            return f"not a ticker: {', '.join(bad)}"
        if len(names) > self.max_count:
            return f"at most {self.max_count} tickers"
        cached = set(self.market.ticker_names())
        missing = [n for n in names if n not in cached]
        if missing:
            return f"no cached prices for {', '.join(missing)} (refresh or import them first)"
        return None

    def set_colours(self, colours: dict[str, str]) -> None:
        """The chart colour of each ticker, shown as the chip's dot."""
        self._colours = dict(colours)
        for t, chip in self._chips.items():
            chip.set_colour(colours.get(t, self.theme.muted))

    def _append_chip(self, ticker: str) -> None:
        chip = TickerChip(ticker, self.describe(ticker), self.theme, self)
        chip.set_colour(self._colours.get(ticker, self.theme.muted))
        chip.remove_clicked.connect(self.remove)
        self.flow.insertWidget(1 + len(self._tickers), chip)
        chip.show()
        self._chips[ticker] = chip
        self._tickers.append(ticker)

    # ------------------------------------------------------------------ user actions
    def submit(self) -> None:
        """Enter in the field: add what is typed (several tickers may be separated by spaces or commas)."""
        text = self.edit.text().strip()
        if not text:
            return
        names = split_tickers(text)
        known = set(self.market.ticker_names()) | set(self.market.facts())
        if any(n not in known for n in names):
            names = self._single_completion() or names
        added = [n for n in names if self.add(n)]
        if added and self.error() is None:
            self.edit.clear()

    def _single_completion(self) -> list[str]:
        """What the popup offers, when it offers exactly one fund (typing "targeted" finds DFAT)."""
        self.completer.setCompletionPrefix(self.edit.text().strip())
        if self.completer.completionCount() == 1:
            self.completer.setCurrentRow(0)
            return [self.completer.currentIndex().data(TICKER_ROLE)]
        return []

    def _completion_chosen(self, ticker: str) -> None:
        if ticker and self.add(ticker):
            self.edit.clear()

    def add(self, ticker: str) -> bool:
        """Add one ticker; True when it is in the list now or being fetched. Problems go on the field."""
        ticker = ticker.strip().upper()
        if not ticker:
            return False
        if ticker in self._tickers:
            self._clear_status()
            return True
        if not is_ticker(ticker):
            self.show_error(f"{ticker!r} is not a ticker symbol")
            return False
        if len(self._tickers) >= self.max_count:
            self.show_error(f"At most {self.max_count} tickers: remove one to add {ticker}")
            return False
        if not self.market.store.has(ticker):
            return self._fetch(ticker)
        self._append_chip(ticker)
        self._clear_status()
        self._update_placeholder()
        self.changed.emit(self.tickers())
        return True

    def remove(self, ticker: str) -> None:
        chip = self._chips.pop(ticker, None)
        if chip is None:
            return
        self.flow.removeWidget(chip)
        chip.deleteLater()
        self._tickers.remove(ticker)
        self._clear_status()
        self._update_placeholder()
        self.changed.emit(self.tickers())

    def eventFilter(self, obj, event):
        if (
            obj is self.edit
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Backspace
            and not self.edit.text()
            and self._tickers
        ):
            self.remove(self._tickers[-1])
            return True
        return super().eventFilter(obj, event)

    # ------------------------------------------------------------------ fetching a new ticker
    def fetching(self) -> list[str]:
        return sorted(self._fetching)

    def _fetch(self, ticker: str) -> bool:
        if self.market.offline:
            self.show_error(f"{ticker} is not available offline (no cached prices)")
            return False
        if ticker in self._fetching:
            self.show_info(f"Still fetching {ticker} from Yahoo Finance…")
            return True
        self._fetching.add(ticker)
        self.show_info(f"Fetching {ticker} from Yahoo Finance…")
        fn = self.refresh_fn or self.market.refresh

        def work(task):
            try:
                report = fn([ticker], progress=task.report_progress, cancel=task.is_cancelled)
            except Exception as exc:  # noqa: BLE001 - shown on the field
                return ticker, None, str(exc) or type(exc).__name__
            return ticker, report, None

        self.runner.start(work, f"fetch {ticker}", on_success=self._fetched)
        return True

    def _fetched(self, result) -> None:
        ticker, report, error = result
        self._fetching.discard(ticker)
        if error is None:
            error = _fetch_problem(report, ticker)
        if error is None and not self.market.store.has(ticker):
            error = "Yahoo Finance sent no prices"
        if error is not None:
            self.show_error(f"{ticker} was not added: {error}")
            return
        self.refresh_choices()
        self.add(ticker)

    # ------------------------------------------------------------------ messages on the field
    def error(self) -> str | None:
        return self.status_label.text() if self._status_kind == "error" else None

    def info(self) -> str | None:
        return self.status_label.text() if self._status_kind == "info" else None

    def show_error(self, text: str) -> None:
        self._status_kind = "error"
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {self.theme.loss};")
        self.status_label.show()
        self.edit.setStyleSheet(
            f"QLineEdit {{ border: 1px solid {self.theme.loss}; border-radius: 3px; padding: 2px; }}"
        )
        self.edit.setToolTip(text)
        self.flow.invalidate()

    def show_info(self, text: str) -> None:
        self._status_kind = "info"
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {self.theme.muted};")
        self.status_label.show()
        self.edit.setStyleSheet("")
        self.flow.invalidate()

    def _clear_status(self) -> None:
        if self._fetching:
            self.show_info(f"Fetching {', '.join(sorted(self._fetching))} from Yahoo Finance…")
            return
        self._status_kind = None
        self.status_label.hide()
        self.status_label.setText("")
        self.edit.setStyleSheet("")
        self.edit.setToolTip("Type a ticker, a fund name or a group and press Enter to add it")
        self.flow.invalidate()

    def _text_edited(self, _text: str) -> None:
        if self._status_kind == "error":
            self._clear_status()

    def _update_placeholder(self) -> None:
        n = len(self._tickers)
        if n >= self.max_count:
            self.edit.setPlaceholderText(f"{n} of {self.max_count}: remove one to add another")
        else:
            self.edit.setPlaceholderText(f"Add a ticker or fund name ({n} of {self.max_count})")

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        for chip in self._chips.values():
            chip.apply_theme(theme)
        if self._status_kind == "error":
            self.show_error(self.status_label.text())
        elif self._status_kind == "info":
            self.show_info(self.status_label.text())
        self.caption.setStyleSheet(f"color: {theme.muted};")


def _fetch_problem(report, ticker: str) -> str | None:
    """Why the refresh did not bring ``ticker``'s prices, or None when it did."""
    if report is None:
        return "no answer from the refresh"
    if getattr(report, "offline", False):
        return "Yahoo Finance could not be reached (offline?)"
    if getattr(report, "cancelled", False):
        return "the download was cancelled"
    outcome = next((o for o in getattr(report, "outcomes", ()) if o.ticker == ticker), None)
    if outcome is None:
        return "the refresh did not report it"
    if outcome.status != "ok":
        return getattr(outcome, "reason", "") or outcome.status.replace("_", " ")
    return None
