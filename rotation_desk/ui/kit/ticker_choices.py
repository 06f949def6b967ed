"""The ticker picker's suggestions: every cached ticker and every fund in the facts table, searchable by
ticker, fund name and group ("small value" finds DFAT, AVUV, …), with name and group in the popup.
The tickers already chosen are left out of the suggestions (``ChosenFilter``)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter

TICKER_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2


class ChosenFilter(QSortFilterProxyModel):
    """The suggestions without the tickers already chosen."""

    def __init__(self, model: QStandardItemModel, parent: QObject | None = None):
        super().__init__(parent)
        self.setSourceModel(model)
        self._chosen: frozenset[str] = frozenset()

    def set_chosen(self, tickers: Iterable[str]) -> None:
        chosen = frozenset(tickers)
        if chosen == self._chosen:
            return
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self._chosen = chosen
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._chosen = chosen
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent) -> bool:
        index = self.sourceModel().index(row, 0, parent)
        return index.data(TICKER_ROLE) not in self._chosen


class TickerCompleter(QCompleter):
    """Matches anywhere in ticker, name and group (case-insensitive); inserts only the ticker; leaves out
    the tickers already chosen (``set_chosen``)."""

    def __init__(self, model: QStandardItemModel, parent: QObject | None = None):
        self.chosen_filter = ChosenFilter(model)
        super().__init__(self.chosen_filter, parent)
        self.chosen_filter.setParent(self)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionRole(SEARCH_ROLE)
        self.setMaxVisibleItems(12)
        self.popup().setMinimumWidth(580)

    def set_chosen(self, tickers: Iterable[str]) -> None:
        self.chosen_filter.set_chosen(tickers)

    def pathFromIndex(self, index):
        return index.data(TICKER_ROLE) or ""

    def single_match(self, text: str) -> str | None:
        """The ticker when ``text`` matches exactly one suggestion (typing "targeted" finds DFAT)."""
        self.setCompletionPrefix(text)
        if self.completionCount() == 1:
            self.setCurrentRow(0)
            return self.currentIndex().data(TICKER_ROLE)
        return None


def fill_choices(model: QStandardItemModel, market) -> None:
    """Replace ``model``'s rows by the cached tickers and the facts table's funds, sorted by ticker."""
    cached = set(market.ticker_names())
    facts = market.facts()
    model.clear()
    for ticker in sorted(cached | set(facts)):
        fund = facts.get(ticker)
        parts = [ticker]
        if fund is not None:
            parts.append(f"{fund.name} · {fund.group}")
        if ticker not in cached:
            parts.append("not cached, fetched on add" if not market.offline else "no cached prices")
        item = QStandardItem("   ".join(parts[:1]) + ("   " + " · ".join(parts[1:]) if len(parts) > 1 else ""))
        item.setData(ticker, TICKER_ROLE)
        item.setData(" ".join([ticker] + ([fund.name, fund.group] if fund else [])), SEARCH_ROLE)
        item.setEditable(False)
        model.appendRow(item)
