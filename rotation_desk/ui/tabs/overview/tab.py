"""Market Overview: is the rotation happening? Rotation pairs, the watchlist's performance, the thesis.

Four sub-tabs, one module each: "Rotation pairs" (``rotation_page``: the pairs as small multiples
over the breadth line, the scorecard and the pair editor), "Watchlist performance"
(``watchlist_page``: rebased performance over the period-return table; double-clicking a row opens
the ticker in ETF Comparison, ``open_ticker``) and "Thesis scorecard" (``thesis_view``: the
article's claims checked then and at the last close). This module wires them to the tab's one job.

Everything is computed by ``compute.compute_overview`` (the same core functions as the command
line), in a worker thread when the tab is on screen and directly when it renders headless
(``export-chart``).
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from rotation_desk.core.currency import BASE
from rotation_desk.core.export_views import canonical_view
from rotation_desk.core.pairs import DEFAULT_PAIR_KEYS, MAX_PAIRS, parse_pair
from rotation_desk.errors import BadInput
from rotation_desk.ui.charts.panel import ChartPanel
from rotation_desk.ui.kit.currency_bar import IN_USD, CurrencyBar, mix_words, page_currency, prepare_page
from rotation_desk.ui.kit.lazy_page import LazyPage
from rotation_desk.ui.tables.table import DataTable
from rotation_desk.ui.tabs.base import Tab, TabServices
from rotation_desk.ui.tabs.overview.compute import OverviewResult, compute_overview, needed_tickers
from rotation_desk.ui.tabs.overview.rates_page import RatesPage
from rotation_desk.ui.tabs.overview.rotation_page import RotationPage
from rotation_desk.ui.tabs.overview.thesis_view import ThesisView
from rotation_desk.ui.tabs.overview.watchlist_page import WatchlistPage

ROTATION, WATCHLIST, RATES, THESIS = range(4)


class OverviewTab(Tab):
    title = "Market Overview"
    key = "overview"
    views = ("watchlist", "ratios")  # export views (core.export_views); "overview" is an alias
    open_ticker = Signal(str)  # a watchlist row was double-clicked: show this ticker in ETF Comparison

    def __init__(self, services: TabServices, tickers: list[str] | None = None, parent: QWidget | None = None):
        super().__init__(services, parent)
        self.tickers = tickers or list(self.settings.overview.watchlist)
        self.pair_keys = list(self.settings.overview.pairs)
        self.result: OverviewResult | None = None
        self._requested: list[str] | None = None  # export-chart --tickers, checked against the view
        self._closes_key = None
        self._closes: pd.DataFrame | None = None
        self._thesis_key = None

        known = self.market.ticker_names
        self.pairs_bar = CurrencyBar(self.settings, self.view_state, self.theme)  # the pairs' legs
        self.rotation = RotationPage(known, self.theme, self.settings, self.pairs_bar)
        self.rotation.pair_editor.existing = list(self.pair_keys)
        self.rotation.pair_editor.add_requested.connect(self.add_pair)
        self.rotation.pair_editor.remove_requested.connect(self.remove_selected_pairs)
        self.rotation.pair_editor.reset_requested.connect(self.reset_pairs)
        # room for the scorecard once the page is first on screen and its layouts have their sizes
        self.when_shown.put(self.rotation, lambda: QTimer.singleShot(0, self._fit_rotation))
        # the pages behind the first are built when first shown or reached (``ui.kit.lazy_page``)
        self._watchlist_slot = LazyPage(lambda: self._build_watchlist(known))
        # the watchlist's currency line is read by every computation: made now, inside the page's slot
        # (a widget without a parent would open as a window of its own) until the page takes it
        self.currency_bar = CurrencyBar(self.settings, self.view_state, self.theme, parent=self._watchlist_slot)
        self._thesis = ThesisView(self.theme)
        self._rates_slot = LazyPage(lambda: RatesPage(self.theme, self.settings))
        # the parts that tests, menus and exports reach (the other pages': see ``watchlist``)
        rotation = self.rotation
        self.pairs_chart, self.breadth_label = rotation.pairs_chart, rotation.breadth_label
        self.scorecard, self.pair_editor = rotation.scorecard, rotation.pair_editor

        self.sub_tabs = QTabWidget()
        self.sub_tabs.setDocumentMode(True)
        self.sub_tabs.addTab(self.rotation, "Rotation pairs")
        self.sub_tabs.addTab(self._watchlist_slot, "Watchlist performance")
        self.sub_tabs.addTab(self._rates_slot, "Rates and risk")
        self.sub_tabs.addTab(self._thesis, "Thesis scorecard")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addWidget(self.sub_tabs)
        self.theme_changed(self.theme)
        self.job = self.add_job("overview", self, self._gather, self._compute, self._computed)

    def _fit_rotation(self) -> None:
        self.rotation.fit_split(len(self.pair_keys))

    def _build_watchlist(self, known) -> WatchlistPage:
        page = WatchlistPage(known, self.tickers, self.theme, self.settings, self.currency_bar)
        page.ticker_edit.changed.connect(self._tickers_changed)
        page.open_ticker.connect(self.open_ticker)
        return page

    # ------------------------------------------------------------------ pages filled when first shown
    # A result is drawn into the page on screen at once; the pages behind it are filled when first
    # shown, or when code reaches them through these (a test, an export, a menu), so the window's first
    # paint waits only for the page it shows.
    def _reached(self, page: QWidget) -> QWidget:
        """``page`` (a ``LazyPage`` slot's page, built now if need be) with its pending result drawn."""
        built = page.page() if isinstance(page, LazyPage) else page
        self.when_shown.flush(page)
        return built

    @property
    def watchlist(self) -> WatchlistPage:
        return self._reached(self._watchlist_slot)

    @property
    def rates(self) -> RatesPage:
        return self._reached(self._rates_slot)

    @property
    def thesis(self) -> ThesisView:
        return self._reached(self._thesis)

    @property
    def chart(self) -> ChartPanel:
        return self.watchlist.chart

    @property
    def table(self) -> DataTable:
        return self.watchlist.table

    @property
    def table_caption(self):
        return self.watchlist.table_caption

    @property
    def ticker_edit(self):
        return self._watchlist_slot.page().ticker_edit

    # ------------------------------------------------------------------ views (export-chart, menus)
    def chart_for_view(self, view: str) -> ChartPanel:
        view = canonical_view(view)
        if view not in ("watchlist", "ratios"):
            raise KeyError(view)
        return self.chart if view == "watchlist" else self.pairs_chart

    def select_view(self, view: str) -> None:
        view = canonical_view(view)
        requested, self._requested = self._requested, None
        if requested is not None:
            pairs = [r for r in requested if "/" in r]
            if view == "ratios":
                if len(pairs) != len(requested):
                    plain = [r for r in requested if "/" not in r]
                    raise BadInput(f"export-chart ratios takes pairs such as IWM/SPY,IWD/IWF (got {', '.join(plain)})")
                self._use_pairs(requested)
            else:
                if pairs:
                    raise BadInput(
                        f"export-chart {view} takes tickers, not pairs ({', '.join(pairs)}); "
                        f"pairs go with export-chart ratios"
                    )
                super().use_tickers(requested)
        self.sub_tabs.setCurrentIndex(ROTATION if view == "ratios" else WATCHLIST)

    def use_tickers(self, tickers: list[str]) -> None:
        """Tickers for the watchlist (``watchlist``) or NUM/DEN pairs (``ratios``); checked by ``select_view``."""
        self._requested = [t.strip().upper() for t in tickers if t.strip()]
        if not self._requested:
            raise BadInput("--tickers: give at least one ticker (or a pair such as IWM/SPY for ratios)")
        self.invalidate()

    def _use_pairs(self, items: list[str]) -> None:
        keys = []
        known = set(self.market.ticker_names())
        for item in items:
            try:
                num, den = parse_pair(item)
            except ValueError as exc:
                raise BadInput(f"--tickers: {exc}") from None
            missing = [t for t in (num, den) if t not in known]
            if missing:
                raise BadInput(f"--tickers {item}: no cached prices for {', '.join(missing)}")
            keys.append(f"{num}/{den}")
        if len(keys) > MAX_PAIRS:
            raise BadInput(f"--tickers: at most {MAX_PAIRS} pairs")
        self.pair_keys = list(dict.fromkeys(keys))  # this render only: the settings keep the user's pairs
        self.invalidate()

    def current_chart(self) -> ChartPanel | None:
        # only the page on screen is reached (the others are filled when they are)
        charts = {ROTATION: lambda: self.pairs_chart, WATCHLIST: lambda: self.chart, RATES: lambda: self.rates.chart}
        chart = charts.get(self.sub_tabs.currentIndex())
        return chart() if chart is not None else None

    def current_table(self) -> DataTable | None:
        tables = {ROTATION: lambda: self.scorecard, WATCHLIST: lambda: self.table}
        table = tables.get(self.sub_tabs.currentIndex())
        return table() if table is not None else None

    # ------------------------------------------------------------------ user input
    def _tickers_changed(self, tickers: list[str]) -> None:
        self.tickers = tickers
        self.settings.overview.watchlist = list(tickers)
        self.invalidate()

    def _set_pairs(self, keys: list[str]) -> None:
        self.pair_keys = keys
        self.settings.overview.pairs = list(keys)
        self.pair_editor.existing = list(keys)
        self.invalidate()

    def add_pair(self, key: str) -> None:
        if key not in self.pair_keys:
            self._set_pairs(self.pair_keys + [key])

    def remove_pairs(self, keys: list[str]) -> None:
        self._set_pairs([k for k in self.pair_keys if k not in keys])

    def remove_selected_pairs(self) -> None:
        keys = self.selected_pairs()
        if not keys:
            self.pair_editor.show_error("select one or more pairs in the table first")
            return
        self.remove_pairs(keys)

    def reset_pairs(self) -> None:
        self._set_pairs(list(DEFAULT_PAIR_KEYS))

    def selected_pairs(self) -> list[str]:
        return self.rotation.selected_pairs()

    def theme_changed(self, theme) -> None:
        self.rotation.apply_theme(theme)
        for slot in (self._watchlist_slot, self._rates_slot):
            if slot.built_page is not None:  # else built later with the theme of then
                slot.built_page.apply_theme(theme)
        self.currency_bar.apply_theme(theme)
        self.pairs_bar.apply_theme(theme)
        self._thesis.apply_theme(theme)

    def data_changed(self) -> None:
        self._closes_key = self._closes = None
        super().data_changed()

    # ------------------------------------------------------------------ compute
    def _load(self, names: list[str]) -> pd.DataFrame:
        """Full-history closes of the cached ones among ``names`` (kept until the data changes)."""
        known = set(self.market.ticker_names())
        available = tuple(t for t in names if t in known)
        key = (available, self.market.last_session())
        if key != self._closes_key:
            self._closes = self.market.closes(list(available)) if available else pd.DataFrame()
            self._closes_key = key
        return self._closes

    def _gather(self):
        """On the GUI thread: the window, the closes (read from the store) and, when the prices changed
        since the thesis was last checked, the facts it needs."""
        window = self.current_range()
        closes = self._load(needed_tickers(self.pair_keys, self.tickers))
        closes, refused = self._watch_currency(closes)
        # The thesis does not depend on the range: it is recomputed only when the prices change.
        thesis_key = self._closes_key if self._thesis_key != self._closes_key else None
        facts = self.market.facts() if thesis_key is not None else None
        return thesis_key, (closes, list(self.pair_keys), list(self.tickers), window, facts, refused)

    def _watch_currency(self, closes: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
        """The watchlist's currencies in the line; "Show in USD": its closes and the pairs' converted as
        ``--in USD``; off, the pairs whose legs are in two currencies are not drawn (and why)."""
        watched = [t for t in self.tickers if t in closes.columns]
        in_usd = self.currency_bar.check(self.market, watched, "growth side by side", partial=True).in_usd
        legs = {key: [t for t in key.split("/") if t in closes.columns] for key in self.pair_keys}
        states = {key: page_currency(self.market, names, in_usd) for key, names in legs.items()}
        mixed = {k: mix_words(s.groups) for k, s in states.items() if s.mixed}
        said = "; ".join(f"{k}: {words}" for k, words in mixed.items())
        if mixed and not in_usd:
            text = f"{said} — a ratio across currencies would mix them, so it is not drawn. Tick “{IN_USD}” to convert."
            self.pairs_bar.say(text, refused=True)
        else:
            self.pairs_bar.say(f"{said} — shown in {BASE}, converted through the cached FX pair" if mixed else "")
        if not in_usd:
            return closes, {k: f"{words} (tick “{IN_USD}” to convert)" for k, words in mixed.items()}
        names = list(dict.fromkeys(watched + [t for names in legs.values() for t in names]))
        if not page_currency(self.market, names, True).foreign:
            return closes, {}
        prep, _ = prepare_page(self.market, names, True, where="the watchlist and pairs")
        out = closes.copy()
        for t in prep.conversions:
            out[t] = prep.closes[t].reindex(out.index)
        return out, {}

    @staticmethod
    def _compute(inputs, _cancelled):
        thesis_key, args = inputs
        return thesis_key, compute_overview(*args)

    def _computed(self, payload) -> None:
        thesis_key, result = payload
        self.apply_result(result, thesis_key)

    def apply_result(self, result: OverviewResult, thesis_key=None) -> None:
        first = self.result is None
        self.result = result
        source = self.source_text()
        self.rotation.fill(result, source)
        if self.rotation.isVisible():  # laid out for the new plots now: one layout, one paint
            self.rotation.settle(len(self.pair_keys))
        state = self.currency_bar.state
        currencies = self.currency_bar.currencies(self.market, result.watchlist.tickers)
        out = state.outside() if state is not None and state.refused else []
        slot, benchmark, facts = self._watchlist_slot, self.view_state.benchmark, self.market.facts()

        def fill_watchlist() -> None:
            watchlist = slot.page()
            watchlist.fill(result, source, benchmark, facts, currencies, out)
            if first:  # the chart tall enough for its legend, once, when the page is on screen
                QTimer.singleShot(0, watchlist.fit_split)

        self.when_shown.put(slot, fill_watchlist)
        self.when_shown.put(self._rates_slot, lambda: self._rates_slot.page().fill(result, source))
        if thesis_key is not None:  # computed this time (else unchanged since the prices last changed)
            self._thesis_key = thesis_key
            if result.claims is not None:
                self.when_shown.put(self._thesis, lambda: self._thesis.set_claims(result.claims))
            else:
                problem = result.thesis_problem or "The thesis scorecard could not be computed."
                self.when_shown.put(self._thesis, lambda: self._thesis.show_message(problem))
