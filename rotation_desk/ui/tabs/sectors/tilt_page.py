"""The Tilt backtest page: the weights editor (with the rule, bands, cost and window), and two views beside
it — "Backtest" (the stat cards, growth and active-return charts, contributions) and "Side by side" (up to
three portfolios against the benchmark, ``tilt_side_page``).

One background job per view runs ``core.tilt.tilt_backtest`` and ``core.tilt_compare.compare_tilts``
(the same numbers as ``rotation-desk tilt``, with one or several ``--weights``) once the editor's inputs
rest and the view is on screen; while they are invalid nothing runs and the page says why. What the
page says comes from ``texts.tilt_texts`` and ``tilt_side``. "Extend history" (a proxy per holding, as
``tilt --proxy``) is ``tilt_proxies``.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QTabWidget, QVBoxLayout, QWidget

from rotation_desk.core import tilt as tilt_core
from rotation_desk.data.proxies import suggestions
from rotation_desk.errors import BadInput
from rotation_desk.ui.charts.axes import money_style, percent_style
from rotation_desk.ui.charts.panel import ChartPanel, SeriesStyle
from rotation_desk.ui.kit import formats
from rotation_desk.ui.kit.currency_bar import CurrencyBar
from rotation_desk.ui.kit.elided import ElidedLabel
from rotation_desk.ui.kit.proxy_choice import ProxyBar, source_note, used
from rotation_desk.ui.kit.widgets import StatCard, card_row, scrolling, splitter
from rotation_desk.ui.tables.table import Column, DataTable
from rotation_desk.ui.tabs.base import Tab
from rotation_desk.ui.tabs.sectors import compute, texts, tilt_side
from rotation_desk.ui.tabs.sectors.panes import captioned, stacked
from rotation_desk.ui.tabs.sectors.tilt_editor import TiltEditor
from rotation_desk.ui.tabs.sectors.tilt_proxies import TiltProxies, contribution_columns, marked_tips
from rotation_desk.ui.tabs.sectors.tilt_rules_box import RuleControls
from rotation_desk.ui.tabs.sectors.tilt_side_page import SidePage

TILT_DELAY_MS = 300  # a run starts once the weights rest this long
CONTRIBUTION_TIP = "Σ daily (weight at the previous close × the holding's return)"
CONTRIBUTION_COLUMNS = [
    Column("ticker", "Holding", stretch=True, tooltip="bold: the core (the benchmark); the others are satellites"),
    Column("weight", "Target", kind="percent", tooltip="target weight"),
    Column("end_weight", "End", kind="percent", tooltip="drifted weight at the last close"),
    Column(
        "contribution", "Contribution", kind="percent", signed=True, colour="sign", digits=2, tooltip=CONTRIBUTION_TIP
    ),
]


class TiltPage(TiltProxies, QWidget):
    edited = Signal()  # the user changed the weights, the rule or the window

    def __init__(self, tab: Tab, name_of: Callable[[str], str]):
        super().__init__()
        self.market, self.settings, self.view_state, self.theme = tab.market, tab.settings, tab.view_state, tab.theme
        self.current_range, self.source_text, self.name_of = tab.current_range, tab.source_text, name_of
        self.tilt_result: tilt_core.TiltResult | None = None
        self._build()
        run_tilt, run_side = compute.with_splices(compute.tilt_job), compute.with_splices(tilt_side.side_job)
        self.tilt_job = tab.add_job(
            "tilt backtest", self.backtest, self._tilt_inputs, run_tilt, self._tilt_done, self.show_problem
        )
        self.side_job = tab.add_job(
            "tilt comparison", self.side, self._side_inputs, run_side, self._side_done, self._side_problem
        )
        self.side.pin_requested.connect(self._pin)
        self.side.pinned_changed.connect(self.side_job.invalidate)
        self.side.pinned_changed.connect(self.sync_proxy_bar)
        self._init_proxies()

    def _build(self) -> None:
        prefs = self.settings.sectors  # last used: weights, rebalance rule, bands, cost
        self.rules = RuleControls(prefs.band_kind, prefs.band_width, prefs.cost_bps, parent=self)
        self.editor = TiltEditor(
            self.market.ticker_names,
            self.name_of,
            self.view_state.benchmark,
            weights=prefs.weights,
            rebalance=prefs.rebalance,
            theme=self.theme,
            rules=self.rules,
        )
        self.editor.changed.connect(self._inputs_changed)
        # Extend history: the holdings' suggested proxies, beside the Add field (the line goes under the caption)
        self.proxy_bar = ProxyBar(suggestions, self.theme, parent=self)
        self.proxy_bar.show_label = False
        self.editor.add_row.addWidget(self.proxy_bar.button)
        self.proxy_note = ElidedLabel()  # one line; the whole of it in the tooltip
        self.proxy_note.hide()
        self.contrib_caption = QLabel()
        self.contrib_caption.setWordWrap(True)
        self.contrib_table = DataTable("sectors.tilt_contributions", self.theme)
        left = splitter(
            Qt.Orientation.Vertical,
            [self.editor, captioned(self.contrib_caption, self.contrib_table)],
            [3, 2],
            [520, 260],
        )

        self.cards = {key: StatCard(title, self.theme) for key, title in texts.CARD_TITLES.items()}
        cards_row = card_row(self.cards.values(), spacing=18)
        cards_row.setContentsMargins(4, 0, 4, 0)
        cards = QFrame()
        cards.setLayout(cards_row)
        self.tilt_caption = QLabel()
        self.tilt_caption.setWordWrap(True)

        self.growth = ChartPanel(
            "sectors.tilt", money_style(tilt_core.INITIAL), theme=self.theme, settings=self.settings
        )
        self.active_chart = ChartPanel(
            "sectors.tilt_active", percent_style(0.0), theme=self.theme, settings=self.settings
        )
        charts = splitter(Qt.Orientation.Vertical, [self.growth, self.active_chart], [3, 2], [450, 300])
        self.backtest = stacked([cards, self.tilt_caption, self.proxy_note, charts], [0, 0, 0, 1], spacing=4)
        self.side = SidePage(self.theme, self.settings)
        self.views = right = QTabWidget()
        right.setDocumentMode(True)
        # each column (each view on the right) scrolls when the window is too short for it: the charts keep
        # their plot height (a scroll round the tab widget would see only its pages' size hints)
        right.addTab(scrolling(self.backtest), "Backtest")
        right.addTab(scrolling(self.side), "Side by side")
        columns = [scrolling(left, min_width=360), right]
        split = splitter(Qt.Orientation.Horizontal, columns, [0, 1], [390, 1000])
        self.currency_bar = CurrencyBar(self.settings, self.view_state, self.theme)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.currency_bar)
        layout.addWidget(split, 1)

    def show_view(self, view: QWidget) -> None:
        """Bring ``self.backtest`` or ``self.side`` on screen (each sits in its own scroll area)."""
        self.views.setCurrentIndex(0 if view is self.backtest else 1)

    def side_shown(self) -> bool:
        return self.views.currentIndex() == 1

    # ------------------------------------------------------------------ running
    def use_weights(self, weights: dict[str, float]) -> None:
        """Backtest these weights (``export-chart tilt --tickers T=W,...``), checked as the command does."""
        tilt_core.validate_weights(weights, self.market.ticker_names())
        self.editor.set_weights(weights)
        self.tilt_job.invalidate()

    def _inputs_changed(self) -> None:
        self.edited.emit()
        prefs = self.settings.sectors
        prefs.rebalance = self.editor.rebalance()
        prefs.band_kind, prefs.band_width, prefs.cost_bps = (
            self.rules.band_kind(),
            self.rules.band_width(),
            self.rules.cost_bps(),
        )
        if self.editor.weights_problem() is None:
            self.settings.sectors.weights = self.editor.weights()
        self.sync_proxy_bar()
        problem = self.editor.problem()
        if problem:
            self.tilt_job.cancel()
            self.side_job.cancel()
            self.show_problem(problem)
            self.side.show_problem(problem)
            return
        self.tilt_job.later(TILT_DELAY_MS)  # run once the edits rest (when the view is on screen)
        self.side_job.later(TILT_DELAY_MS)

    def run(self) -> None:
        """Backtest the editor's weights now (no run while they are invalid: the editor says why)."""
        self.tilt_job.run()

    def _pin(self) -> None:
        """Pin the editor's weights beside it (when they are valid: the editor says why not)."""
        if self.editor.problem() is None:
            self.side.pin(self.editor.weights())

    def _side_inputs(self) -> tilt_side.SideInputs:
        """On the GUI thread: the editor's run and the pinned portfolios, with the closes of all their holdings."""
        i = self._tilt_inputs()
        portfolios = (i.weights, *self.side.pinned())
        names = compute.holdings({t: 1.0 for w in portfolios for t in w}, i.benchmark)
        prep = self._prepared(names)
        return tilt_side.SideInputs(
            prep.closes, portfolios, i.benchmark, i.rebalance, i.start, i.end, i.label, i.bands, i.cost_bps, i.rf,
            prep.splices,
        )  # fmt: skip

    def _side_done(self, payload) -> None:
        comparison, label, splices = payload
        shown = used(splices, {t: comparison.start for t in splices})
        self.side.show_comparison(comparison, label, self.source_text() + source_note(shown))
        self.show_side_proxies(shown, comparison.start)

    def _tilt_inputs(self) -> compute.TiltInputs:
        """On the GUI thread: the editor's weights, rule and window, and the closes."""
        problem = self.editor.problem()
        if problem:
            raise BadInput(problem)
        bench = self.view_state.benchmark
        self.editor.blockSignals(True)  # the core row follows the benchmark; this run uses it already
        try:
            self.editor.set_benchmark(bench)
        finally:
            self.editor.blockSignals(False)
        weights = self.editor.weights()
        if self.editor.uses_toolbar_range():
            window = self.current_range()
            start, end, label = window.start, window.end, f"{window.label} range"
        else:
            start, end = self.editor.custom_window()
            label = "custom window"
        self.sync_proxy_bar()
        prep = self._prepared(compute.holdings(weights, bench))
        rules = self.rules
        return compute.TiltInputs(
            prep.closes,
            weights,
            bench,
            self.editor.rebalance(),
            start,
            end,
            label,
            rules.bands(),
            rules.cost_bps(),
            self.settings.risk_free,
            prep.splices,
        )

    # ------------------------------------------------------------------ showing
    def _tilt_done(self, payload) -> None:
        result, label, splices = payload
        self.tilt_result = result
        self._show(result, label, used(splices, {t: result.start for t in splices}))

    def _short(self, text: str) -> str:
        """A refusal for currencies is said in full in the currency line above, and in short here."""
        return "the holdings are in more than one currency (see above)" if self.currency_bar.refusal(text) else text

    def _side_problem(self, text: str) -> None:
        self.side.show_problem(self._short(text))
        self.show_side_proxies({}, None)

    def show_problem(self, text: str) -> None:
        """Not run: the charts, caption and cards say why; the table keeps its headers."""
        self.tilt_result = None
        text = self._short(text)
        message = f"Not run: {text}"
        self.growth.show_message(message)
        self.active_chart.show_message("The active return appears once the backtest can run.")
        self.contrib_table.set_frame(pd.DataFrame(columns=texts.CONTRIBUTION_KEYS), CONTRIBUTION_COLUMNS)
        self.contrib_caption.setText("")
        self.tilt_caption.setText(message)
        self.show_tilt_proxies({}, None)
        for key, card in self.cards.items():
            card.caption.setText(texts.CARD_TITLES[key])
            card.set_value(formats.MISSING)

    def _show(self, r: tilt_core.TiltResult, label: str, splices: dict) -> None:
        """The backtest; ``splices``: the holdings extended by a proxy within its window (shaded, marked, said)."""
        shown = texts.tilt_texts(r, label, self.name_of)
        source = self.source_text() + source_note(splices)
        bench = r.benchmark
        self.growth.set_series(
            {texts.PORTFOLIO: r.values, bench: r.benchmark_values}, {bench: SeriesStyle(role="benchmark")}
        )
        self.growth.set_title(shown.growth_title, shown.growth_subtitle)
        self.growth.set_source(source)
        self.active_chart.set_series({shown.active_name: r.active})
        self.active_chart.set_title(shown.active_title, shown.active_subtitle)
        self.active_chart.set_source(source)
        for key, card in shown.cards.items():
            self.cards[key].caption.setText(card.caption)
            self.cards[key].set_value(card.value, card.sign, card.tip)
        self.tilt_caption.setText(shown.caption)
        self.contrib_table.set_frame(
            shown.contributions,
            contribution_columns(CONTRIBUTION_COLUMNS, splices),
            tooltips=marked_tips(shown.contribution_tips, shown.contributions, splices),
            bold_rows=shown.core_rows,
        )
        self.contrib_caption.setText(shown.contributions_caption)
        self.show_tilt_proxies(splices, r.start)

    def apply_theme(self, theme) -> None:
        self.theme = theme
        for label in (self.tilt_caption, self.contrib_caption):
            label.setStyleSheet(f"color: {theme.muted};")
        self.editor.apply_theme(theme)
        self.currency_bar.apply_theme(theme)
        self.restyle_proxies()
