"""Market Overview: is the rotation happening? Rotation pairs, the watchlist's performance, the thesis.

Three sub-tabs:

- Rotation: the pairs as small multiples (ratio rebased to 100 with its 50-
  and 200-day averages) over the scorecard (ratio change over 1M–12M, above
  or below the 200-day average and since when, in words) with the breadth
  line; pairs are added and removed under the table and kept in the settings.
- Watchlist: rebased performance over the selected range (log scale by
  default) over the period-return table; double-clicking a row opens the
  ticker in ETF Comparison (``open_ticker``).
- Thesis: the article's claims checked then and as of today.

Everything is computed by ``compute.compute_overview`` (the same core
functions as the command line), in a worker thread when the tab is on
screen and directly when it renders headless (``export-chart``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from rotation_desk.core.pairs import DEFAULT_PAIR_KEYS, MAX_PAIRS, parse_pair
from rotation_desk.core.performance import ANNUALISED, TABLE_PERIODS, column_label
from rotation_desk.core.rotation import CHANGE_PERIODS, MA_FAST, MA_SLOW
from rotation_desk.errors import BadInput
from rotation_desk.ui.charts.axes import growth_style
from rotation_desk.ui.charts.panel import ChartPanel, SeriesStyle
from rotation_desk.ui.kit import formats
from rotation_desk.ui.kit.widgets import TickerListEdit, splitter
from rotation_desk.ui.state.sections import ChartPrefs
from rotation_desk.ui.tables.table import RAW_ROLE, Column, DataTable
from rotation_desk.ui.tabs.base import Tab, TabServices
from rotation_desk.ui.tabs.overview.compute import OverviewResult, compute_overview, needed_tickers
from rotation_desk.ui.tabs.overview.pairs_chart import PairEditor, PairsChart, PairView
from rotation_desk.ui.tabs.overview.thesis_view import ThesisView

PERFORMANCE_CHART = "overview.performance"
RATIOS_CHART = "overview.ratios"
ROTATION, WATCHLIST, THESIS = range(3)


class OverviewTab(Tab):
    title = "Market Overview"
    key = "overview"
    views = ("overview", "ratios")
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
        self._scorecard_frame: pd.DataFrame | None = None
        if PERFORMANCE_CHART not in self.settings.charts:  # first run: log scale suits long windows
            self.settings.charts[PERFORMANCE_CHART] = ChartPrefs(log=True)

        self.sub_tabs = QTabWidget()
        self.sub_tabs.setDocumentMode(True)
        self.sub_tabs.addTab(self._build_rotation(), "Rotation pairs")
        self.sub_tabs.addTab(self._build_watchlist(), "Watchlist performance")
        self.thesis = ThesisView(self.theme)
        self.sub_tabs.addTab(self.thesis, "Thesis scorecard")
        self.sub_tabs.currentChanged.connect(self._sub_tab_shown)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addWidget(self.sub_tabs)
        self.theme_changed(self.theme)
        self.job = self.add_job("overview", self, self._gather, self._compute, self._computed)

    # ------------------------------------------------------------------ building
    def _build_rotation(self) -> QWidget:
        self.pairs_chart = PairsChart(RATIOS_CHART, theme=self.theme, settings=self.settings)
        self.breadth_label = QLabel()
        font = self.breadth_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.breadth_label.setFont(font)
        self.breadth_label.setWordWrap(True)
        self.scorecard = DataTable("overview.scorecard", self.theme)
        self.scorecard.setToolTip("Double-click a row to show that pair large in the chart")
        self.scorecard.doubleClicked.connect(self._scorecard_double_clicked)
        self.pair_editor = PairEditor(self.market.ticker_names, self.theme)
        self.pair_editor.existing = list(self.pair_keys)
        self.pair_editor.add_requested.connect(self.add_pair)
        self.pair_editor.remove_requested.connect(self.remove_selected_pairs)
        self.pair_editor.reset_requested.connect(self.reset_pairs)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(4, 6, 4, 0)
        lower_layout.setSpacing(4)
        lower_layout.addWidget(self.breadth_label)
        lower_layout.addWidget(self.scorecard, 1)
        lower_layout.addWidget(self.pair_editor)
        self.rotation_split = self._split(self.pairs_chart, lower, 5, 3)
        self._sized = False
        return self.rotation_split

    def _build_watchlist(self) -> QWidget:
        self.chart = ChartPanel(PERFORMANCE_CHART, growth_style(), theme=self.theme, settings=self.settings)
        self.ticker_edit = TickerListEdit(
            self.market.ticker_names, self.tickers, "Watchlist", max_count=24, theme=self.theme
        )
        self.ticker_edit.changed.connect(self._tickers_changed)
        self.chart.toolbar.insertWidget(0, self.ticker_edit, 4)
        self.table = DataTable("overview.performance", self.theme)
        self.table.setToolTip("Double-click a row to open the fund in ETF Comparison")
        self.table.doubleClicked.connect(self._table_double_clicked)
        self.table_caption = QLabel()
        self.table_caption.setWordWrap(True)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(4, 6, 4, 0)
        lower_layout.setSpacing(4)
        lower_layout.addWidget(self.table_caption)
        lower_layout.addWidget(self.table, 1)
        self.watch_split = self._split(self.chart, lower, 1, 1)
        self._watch_sized = False
        return self.watch_split

    @staticmethod
    def _split(top: QWidget, bottom: QWidget, top_stretch: int, bottom_stretch: int) -> QSplitter:
        top.setMinimumHeight(220)
        bottom.setMinimumHeight(150)
        return splitter(Qt.Orientation.Vertical, [top, bottom], [top_stretch, bottom_stretch])

    # ------------------------------------------------------------------ views (export-chart, menus)
    def chart_for_view(self, view: str) -> ChartPanel:
        if view == "overview":
            return self.chart
        if view == "ratios":
            return self.pairs_chart
        raise KeyError(view)

    def select_view(self, view: str) -> None:
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
        """Tickers for the watchlist (``overview``) or NUM/DEN pairs (``ratios``); checked by ``select_view``."""
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
        index = self.sub_tabs.currentIndex()
        return {ROTATION: self.pairs_chart, WATCHLIST: self.chart}.get(index)

    def current_table(self) -> DataTable | None:
        index = self.sub_tabs.currentIndex()
        return {ROTATION: self.scorecard, WATCHLIST: self.table}.get(index)

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
        table = self.scorecard
        j = table.column_index("pair")
        rows = sorted({i.row() for i in table.selectionModel().selectedIndexes()})
        return [table.proxy.index(r, j).data(RAW_ROLE) for r in rows]

    def _scorecard_double_clicked(self, index: QModelIndex) -> None:
        key = self.scorecard.proxy.index(index.row(), self.scorecard.column_index("pair")).data(RAW_ROLE)
        if key in self.pairs_chart.pair_keys():
            self.pairs_chart.set_focus(key)

    def _table_double_clicked(self, index: QModelIndex) -> None:
        ticker = self.table.proxy.index(index.row(), self.table.column_index("ticker")).data(RAW_ROLE)
        if ticker:
            self.open_ticker.emit(str(ticker))

    def showEvent(self, event):
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            QTimer.singleShot(0, self._size_rotation_split)  # once the layouts have their real sizes

    def _size_rotation_split(self) -> None:
        """Room for the whole scorecard when the window is tall enough; the chart keeps at least 60 %."""
        table = self.scorecard
        rows = max(len(self.pair_keys), 4)
        needed = (
            table.verticalHeader().defaultSectionSize() * rows
            + table.horizontalHeader().sizeHint().height()
            + self.breadth_label.sizeHint().height()
            + self.pair_editor.sizeHint().height()
            + 40
        )
        total = sum(self.rotation_split.sizes()) or self.rotation_split.height()
        lower = min(needed, max(170, int(total * 0.4)))
        self.rotation_split.setSizes([total - lower, lower])

    def _sub_tab_shown(self, index: int) -> None:
        if index == WATCHLIST:  # sizes are only known once the page is on screen
            QTimer.singleShot(0, self._fit_table_columns)
            if not self._watch_sized and self.result is not None:
                QTimer.singleShot(0, self._size_watch_split)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit_table_columns()

    def _fit_table_columns(self) -> None:
        """Hide the fund names when the figures would not fit beside them (hover a ticker for its name)."""
        table = self.table
        if not table.isVisible():
            return
        try:
            j = table.column_index("name")
        except KeyError:
            return
        others = sum(table.columnWidth(c) for c in range(table.model().columnCount()) if c != j)
        table.setColumnHidden(j, table.viewport().width() < others + 170)

    def _compact_columns(self) -> None:
        """Figure columns as wide as their text (bold, for the benchmark row) and header need, no wider."""
        table = self.table
        bold = QFont(table.font())
        bold.setBold(True)
        cells, head = QFontMetrics(bold), QFontMetrics(table.horizontalHeader().font())
        rows = table.displayed_rows()
        for j, col in enumerate(table.source_model.columns()):
            if col.stretch:
                continue
            widest = max((cells.horizontalAdvance(r[j]) for r in rows), default=0)
            table.setColumnWidth(j, max(widest + 16, head.horizontalAdvance(col.header) + 28))

    def _size_watch_split(self) -> None:
        """The chart tall enough for its legend (one row per fund) when the window allows it."""
        total = sum(self.watch_split.sizes())
        if total <= 0:
            return
        self._watch_sized = True
        rows = len(self.chart.series_names()) + 1
        needed = rows * (self.fontMetrics().height() + 5) + 150
        chart = max(total // 2, min(needed, total - 150))
        self.watch_split.setSizes([chart, total - chart])

    def theme_changed(self, theme) -> None:
        self.table_caption.setStyleSheet(f"color: {theme.muted};")
        self.pair_editor.apply_theme(theme)
        self.thesis.apply_theme(theme)
        self._style_breadth()

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
        # The thesis does not depend on the range: it is recomputed only when the prices change.
        thesis_key = self._closes_key if self._thesis_key != self._closes_key else None
        facts = self.market.facts() if thesis_key is not None else None
        return thesis_key, (closes, list(self.pair_keys), list(self.tickers), window, facts)

    @staticmethod
    def _compute(inputs, _cancelled):
        thesis_key, args = inputs
        return thesis_key, compute_overview(*args)

    def _computed(self, payload) -> None:
        thesis_key, result = payload
        self.apply_result(result, thesis_key)

    def apply_result(self, result: OverviewResult, thesis_key=None) -> None:
        self.result = result
        source = self.source_text()
        self._fill_pairs(result, source)
        self._fill_scorecard(result)
        self._fill_watchlist(result, source)
        if not self._watch_sized and self.table.isVisible():
            self._size_watch_split()
        if thesis_key is not None:  # computed this time (else unchanged since the prices last changed)
            self._thesis_key = thesis_key
            if result.claims is not None:
                self.thesis.set_claims(result.claims)
            else:
                self.thesis.show_message(result.thesis_problem or "The thesis scorecard could not be computed.")

    # ------------------------------------------------------------------ rotation
    def _fill_pairs(self, result: OverviewResult, source: str) -> None:
        views = [PairView(p.key, p.pair.title, p.lines, p.score) for p in result.pairs if p.lines is not None]
        self.pairs_chart.set_pairs(views)
        if not views:
            if result.pairs:
                problems = "; ".join(f"{p.key}: {p.problem}" for p in result.pairs)
                self.pairs_chart.show_message(f"No pair can be drawn in this window ({problems}).")
            return
        starts = [v.lines.ratio.index[0] for v in views]
        ends = [v.lines.ratio.index[-1] for v in views]
        window = result.window
        note = (
            f"{window.label} window {formats.date_range(min(starts), max(ends))} · ratio rebased to 100, "
            f"rising = the first fund leads · dashed: {MA_SLOW}-day average, dotted: {MA_FAST}-day"
        )
        problems = [f"{p.key}: {p.problem}" for p in result.pairs if p.lines is None]
        if problems:
            note += " · not drawn: " + "; ".join(problems)
        self.pairs_chart.set_title("Rotation pairs: ratio of adjusted closes", note)
        self.pairs_chart.set_source(source)

    def _fill_scorecard(self, result: OverviewResult) -> None:
        rows, tips = [], {}
        for i, p in enumerate(result.pairs):
            s = p.score
            row = {"pair": p.key, "what": p.pair.title or f"{p.pair.numerator} vs {p.pair.denominator}"}
            for label in CHANGE_PERIODS:
                value = s.changes.get(label) if s is not None else None
                row[label] = np.nan if value is None else value
            if s is None or s.above_slow_ma is None:
                row.update(vs_slow="—", sessions=np.nan, since=pd.NaT)
                row["state"] = p.problem or (s.words() if s is not None else "")
            else:
                row["vs_slow"] = "above" if s.above_slow_ma else "below"
                row["sessions"] = np.nan if s.sessions_in_state is None else float(s.sessions_in_state)
                row["since"] = s.state_since if s.state_since is not None else pd.NaT
                row["state"] = s.words()
                if s.sessions_in_state is None:
                    tips[(i, "sessions")] = f"unchanged since the {MA_SLOW}-day average first existed"
                tips[(i, "vs_slow")] = f"ratio vs its {MA_SLOW}-session average on {formats.day(s.as_of)}"
            rows.append(row)
        frame = pd.DataFrame(rows, columns=["pair", "what", *CHANGE_PERIODS, "vs_slow", "sessions", "since", "state"])
        as_of = max((p.score.as_of for p in result.pairs if p.score is not None), default=None)
        columns = [Column("pair", "Pair", tooltip="numerator / denominator"), Column("what", "What it measures")]
        for label in CHANGE_PERIODS:
            columns.append(
                Column(
                    label,
                    label,
                    kind="percent",
                    signed=True,
                    colour="heat",
                    tooltip=f"change of the ratio over {label} to {formats.day(as_of)}",
                )
            )
        columns += [
            Column("vs_slow", f"vs {MA_SLOW}-day", tooltip=f"ratio above or below its {MA_SLOW}-session average"),
            Column("sessions", "Sessions", kind="integer", tooltip="sessions since the ratio last crossed its average"),
            Column("since", "Since", kind="date", tooltip="first session on the current side of the average"),
            Column("state", "State", stretch=True),
        ]
        if self._scorecard_frame is None or not frame.equals(self._scorecard_frame):  # unchanged by most range changes
            self._scorecard_frame = frame
            self.scorecard.set_frame(frame, columns, tooltips=tips)
        self._style_breadth()

    def _style_breadth(self) -> None:
        result = self.result
        if result is None:
            self.breadth_label.setText("")
            return
        b = result.breadth
        as_of = max((p.score.as_of for p in result.pairs if p.score is not None), default=None)
        if b.total:
            text = f"Breadth: {b.words()} (ratio above its {MA_SLOW}-day average) · as of {formats.day(as_of)}"
        elif result.pairs:
            text = f"Breadth: no pair has the {MA_SLOW} sessions of history its average needs"
        else:
            text = "Breadth: no pairs to count; add one below or restore the default pairs"
        colour = self.theme.text
        if b.total:
            colour = (
                self.theme.gain
                if b.favouring * 2 > b.total
                else self.theme.loss
                if b.favouring * 2 < b.total
                else colour
            )
        self.breadth_label.setText(text)
        self.breadth_label.setStyleSheet(f"color: {colour};")

    # ------------------------------------------------------------------ watchlist
    def _fill_watchlist(self, result: OverviewResult, source: str) -> None:
        w = result.watchlist
        window = result.window
        if not w.series:
            self.chart.show_message(f"No prices in {formats.date_range(window.start, window.end)} for the watchlist.")
        else:
            bench = self.view_state.benchmark
            styles = {bench: SeriesStyle(role="benchmark")} if bench in w.series else {}
            self.chart.set_series(w.series, styles)
            note = f"{window.label} window {formats.date_range(w.start, w.end)} · rebased to 100 at the start"
            if w.late:
                note += f" · {', '.join(w.late)} from their first close"
            if w.missing:
                note += f" · no prices in the window: {', '.join(w.missing)}"
            self.chart.set_title("Watchlist performance", note)
            self.chart.set_source(source)
        self._fill_table(result)

    def _fill_table(self, result: OverviewResult) -> None:
        w = result.watchlist
        window = result.window
        table = w.table.reset_index()
        facts = self.market.facts()
        table.insert(1, "name", [facts[t].name if t in facts else "" for t in table["ticker"]])
        as_of = table["last_date"].max() if len(table) else window.end
        dd_span = "the whole history" if window.start is None else f"the {window.label} window"
        columns = [Column("ticker", "Ticker"), Column("name", "Name", stretch=True)]
        for label in TABLE_PERIODS:
            tip = f"Return over {label} to {formats.day(as_of)}"
            if label in ANNUALISED:
                tip += ", annualised (CAGR)"
            columns.append(Column(label, column_label(label), kind="percent", signed=True, colour="heat", tooltip=tip))
        columns += [
            Column(
                "max_drawdown",
                f"Max DD ({window.label})",
                kind="percent",
                colour="heat",
                tooltip=f"Worst fall from a running peak over {dd_span} (as rotation-desk metrics for that window)",
            ),
            Column(
                "from_52w_high",
                "vs 52w high",
                kind="percent",
                colour="heat",
                tooltip=f"Last close vs the highest close of the 52 weeks to {formats.day(as_of)}",
            ),
        ]
        bench = self.view_state.benchmark
        bold = [i for i, t in enumerate(table["ticker"]) if t == bench]
        tips = {(i, "ticker"): name for i, name in enumerate(table["name"]) if name}
        self.table.set_frame(table, columns, bold_rows=bold, tooltips=tips)
        self._compact_columns()
        self._fit_table_columns()
        missing = f" · no prices for {', '.join(w.missing)}" if w.missing else ""
        self.table_caption.setText(
            f"Returns to {formats.day(as_of)}, dividends reinvested · 3Y/5Y/10Y annualised · max drawdown over "
            f"{dd_span}{missing} · double-click a fund to compare it"
        )
        self.table_caption.setToolTip(
            "Adjusted closes; a period starts at the last close on or before its calendar start; YTD starts at the "
            "previous year's last close. Click a header to sort; Ctrl+C copies; right-click exports CSV."
        )
