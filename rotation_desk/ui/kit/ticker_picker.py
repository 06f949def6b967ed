"""Pick up to N tickers: a type-ahead field over the cached tickers and the fund facts, and removable chips.

- The completer matches the ticker, the fund's name or its group ("small
  value" finds DFAT, AVUV, …) and shows name and group in its popup
  (ticker_choices.py).
- Enter (or choosing from the popup) adds the ticker and empties the field for the next one; the
  funds already chosen are not suggested, and typing one again says it is chosen already.
  A ticker without cached
  prices is fetched in the background when online and added when it lands
  (ticker_fetch.py); offline the field says it is not available. Problems are
  shown on the field, never raised.
- Each chip has a remove button; Backspace in the empty field removes the last
  (chips.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QWidget

from rotation_desk.core.tickers import is_ticker, normalize, split_tickers
from rotation_desk.ui.kit.chips import FlowLayout, TickerChip
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.kit.ticker_choices import SEARCH_ROLE, TICKER_ROLE, TickerCompleter, fill_choices
from rotation_desk.ui.kit.ticker_fetch import TickerFetch
from rotation_desk.ui.kit.widgets import show_field_error, ticker_list_problem
from rotation_desk.ui.kit.workers import TaskRunner

__all__ = ["SEARCH_ROLE", "TICKER_ROLE", "FlowLayout", "TickerChip", "TickerPicker"]

HINT = "Type a ticker, a fund name or a group and press Enter to add it"


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
        self.fetcher = TickerFetch(market, self.runner, self._fetched, refresh_fn)
        self._tickers: list[str] = []
        self._chips: dict[str, TickerChip] = {}
        self._colours: dict[str, str] = {}
        self._status_kind: str | None = None  # "error", "info" or None
        self._just_added: str | None = None  # added in this turn of the event loop (see _completion_chosen)

        self.label = label
        self.caption = QLabel(label)
        self.edit = QLineEdit()
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(260)
        self.edit.setToolTip(HINT)
        self.edit.returnPressed.connect(self.submit)
        self.edit.textEdited.connect(self._text_edited)
        self.edit.installEventFilter(self)
        self.model = QStandardItemModel(self)
        self.completer = TickerCompleter(self.model, self)
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
        fill_choices(self.model, self.market)

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
            chip.hide()  # gone at once: deleteLater leaves it painted at its old place until the event loop runs
            chip.deleteLater()
        self._chips.clear()
        self._tickers = []
        self.completer.set_chosen(())
        for t in tickers:
            self._append_chip(t)
        self._clear_status()
        self._update_placeholder()

    def validate(self, tickers: Sequence[str]) -> str | None:
        """Why this list cannot be shown, or None (format, count, cached prices)."""
        names = list(dict.fromkeys(normalize(t) for t in tickers if t.strip()))
        return ticker_list_problem(names, self.max_count, self.market.ticker_names)

    def set_colours(self, colours: dict[str, str]) -> None:
        """The chart colour of each ticker, shown as the chip's dot."""
        self._colours = dict(colours)
        for t, chip in self._chips.items():
            chip.set_colour(colours.get(t, self.theme.muted))

    def _append_chip(self, ticker: str, filter_now: bool = True) -> None:
        chip = TickerChip(ticker, self.describe(ticker), self.theme, self)
        chip.set_colour(self._colours.get(ticker, self.theme.muted))
        chip.remove_clicked.connect(self.remove)
        self.flow.insertWidget(1 + len(self._tickers), chip)
        chip.show()
        self._chips[ticker] = chip
        self._tickers.append(ticker)
        if filter_now:
            self.completer.set_chosen(self._tickers)

    # ------------------------------------------------------------------ user actions
    def submit(self) -> None:
        """Enter in the field: add what is typed (several tickers may be separated by spaces or commas)."""
        text = self.edit.text().strip()
        if not text:
            return
        names = split_tickers(text)
        known = set(self.market.ticker_names()) | set(self.market.facts())
        if any(n not in known for n in names):
            match = self.completer.single_match(text)  # what the popup offers, when it offers one fund
            names = [match] if match else names
        added = [n for n in names if self.add(n)]
        if added and self.error() is None:
            self.edit.clear()

    def _completion_chosen(self, ticker: str) -> None:
        """A suggestion was picked (click, or Return in the popup).

        Qt delivers a pick in pieces: the Return also reaches the field (``submit``), and after this
        slot QLineEdit writes the suggestion back into the field (its own connection to ``activated``
        is made when the field takes focus). So the ticker added by the first piece is not added (or
        called a duplicate) again by the second, and the field is emptied once Qt is done with it:
        the next ticker typed starts from an empty field."""
        if ticker and self.add(ticker):
            self.edit.clear()
            QTimer.singleShot(0, self.edit.clear)

    def add(self, ticker: str) -> bool:
        """Add one ticker; True when it is in the list now or being fetched. Problems go on the field."""
        ticker = normalize(ticker)
        if not ticker:
            return False
        if ticker in self._tickers:
            if ticker != self._just_added:  # the second piece of one pick is not a duplicate
                self.show_info(f"{ticker} is already chosen")
            return True
        if not is_ticker(ticker):
            self.show_error(f"{ticker!r} is not a ticker symbol")
            return False
        if len(self._tickers) >= self.max_count:
            self.show_error(f"At most {self.max_count} tickers: remove one to add {ticker}")
            return False
        if not self.market.store.has(ticker):
            return self._fetch(ticker)
        self._append_chip(ticker, filter_now=False)  # the popup may still be delivering this pick
        self._just_added = ticker
        QTimer.singleShot(0, self._pick_delivered)
        self._clear_status()
        self._update_placeholder()
        self.changed.emit(self.tickers())
        return True

    def _pick_delivered(self) -> None:
        self._just_added = None
        self.completer.set_chosen(self._tickers)

    def remove(self, ticker: str) -> None:
        chip = self._chips.pop(ticker, None)
        if chip is None:
            return
        self.flow.removeWidget(chip)
        chip.hide()  # gone at once: deleteLater leaves it painted at its old place until the event loop runs
        chip.deleteLater()
        self._tickers.remove(ticker)
        self.completer.set_chosen(self._tickers)
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
        return self.fetcher.fetching()

    def _fetch(self, ticker: str) -> bool:
        if self.market.offline:
            self.show_error(f"{ticker} is not available offline (no cached prices)")
            return False
        if self.fetcher.is_fetching(ticker):
            self.show_info(f"Still fetching {ticker} from Yahoo Finance…")
            return True
        self.show_info(f"Fetching {ticker} from Yahoo Finance…")
        self.fetcher.start(ticker)
        return True

    def _fetched(self, ticker: str, problem: str | None) -> None:
        if problem is not None:
            self.show_error(f"{ticker} was not added: {problem}")
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
        show_field_error(self.edit, self.status_label, text, self.theme)
        self.flow.invalidate()

    def show_info(self, text: str) -> None:
        self._status_kind = "info"
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {self.theme.muted};")
        self.status_label.show()
        self.edit.setStyleSheet("")
        self.flow.invalidate()

    def _clear_status(self) -> None:
        if self.fetcher.fetching():
            self.show_info(f"Fetching {', '.join(self.fetcher.fetching())} from Yahoo Finance…")
            return
        self._status_kind = None
        self.status_label.hide()
        self.status_label.setText("")
        self.edit.setStyleSheet("")
        self.edit.setToolTip(HINT)
        self.flow.invalidate()

    def _text_edited(self, _text: str) -> None:
        if self._status_kind is not None:
            self._clear_status()

    def _update_placeholder(self) -> None:
        """The count in the field; when the list is full the field gives way (the chips keep one line on a
        laptop screen) and the caption says it is full."""
        n = len(self._tickers)
        full = n >= self.max_count
        self.edit.setPlaceholderText(f"Add a ticker or fund name ({n} of {self.max_count})")
        self.edit.setVisible(not full)
        self.caption.setText(f"{self.label} · {n} of {self.max_count}" if full else self.label)
        self.caption.setToolTip("Full: remove one (×) to add another" if full else "")
        self.flow.invalidate()

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        for chip in self._chips.values():
            chip.apply_theme(theme)
        if self._status_kind == "error":
            self.show_error(self.status_label.text())
        elif self._status_kind == "info":
            self.show_info(self.status_label.text())
        self.caption.setStyleSheet(f"color: {theme.muted};")
