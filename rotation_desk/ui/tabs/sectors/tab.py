"""Sector Tilts: where sectors stand in their rotation against the benchmark, and what tilting toward them did.

Two pages:

- Rotation: the relative rotation graph (``core.rrg.rrg_series``; the same
  points as ``rotation-desk rrg``), a date slider with play/pause over the
  toolbar's range, the table of each ticker's RS-Ratio, RS-Momentum, quadrant,
  periods in quadrant and heading (``core.rrg.rrg_snapshot`` at the slider's
  date), and the heat map of returns relative to the benchmark
  (``core.rrg.sector_heatmap`` at the same date).
- Tilt backtest: the weights editor, and the core-and-satellite backtest
  (``core.tilt.tilt_backtest``; the same numbers as ``rotation-desk tilt``):
  growth of $10,000 against the benchmark, the active line, the stat cards and
  each holding's contribution.

Only the page on screen is computed; the other catches up when shown. Every
figure comes from the core functions the command line calls; the tab only
selects and formats.
"""

from __future__ import annotations

import time

import pandas as pd
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rotation_desk.core import rrg as rrg_core
from rotation_desk.core import tilt as tilt_core
from rotation_desk.errors import BadInput
from rotation_desk.ui.charts.axes import money_style, percent_style
from rotation_desk.ui.charts.panel import ChartPanel, SeriesStyle
from rotation_desk.ui.kit import formats
from rotation_desk.ui.kit.widgets import StatCard, TickerListEdit, splitter
from rotation_desk.ui.tables.table import Column, DataTable
from rotation_desk.ui.tabs.base import Tab, TabServices
from rotation_desk.ui.tabs.sectors import compute as jobs
from rotation_desk.ui.tabs.sectors.rrg_chart import RrgChart
from rotation_desk.ui.tabs.sectors.rrg_timeline import RrgTimeline
from rotation_desk.ui.tabs.sectors.tilt_editor import TiltEditor

SECTOR_NAMES = {
    "XLK": "Technology",
    "XLF": "Financials",
    "XLI": "Industrials",
    "XLY": "Consumer discretionary",
    "XLP": "Consumer staples",
    "XLU": "Utilities",
    "XLE": "Energy",
    "XLV": "Health care",
    "XLB": "Materials",
    "XLRE": "Real estate",
    "XLC": "Communication services",
}
MAX_TICKERS = 24
TABLE_DELAY_MS = 120  # while dragging, the table follows once the slider rests this long
TILT_DELAY_MS = 300  # a run starts once the weights rest this long
PORTFOLIO = "Tilted portfolio"
CARD_TITLES = {
    "cagr": "CAGR",
    "volatility": "Volatility",
    "max_drawdown": "Max drawdown",
    "tracking_error": "Tracking error",
    "information_ratio": "Information ratio",
    "active_return": "Active return",
}
CONTRIBUTION_COLUMNS = [
    Column("ticker", "Holding", stretch=True, tooltip="bold: the core (the benchmark); the others are satellites"),
    Column("weight", "Target", kind="percent", tooltip="target weight"),
    Column("end_weight", "End", kind="percent", tooltip="drifted weight at the last close"),
    Column(
        "contribution",
        "Contribution",
        kind="percent",
        signed=True,
        colour="sign",
        digits=2,
        tooltip="Σ daily (weight at the previous close × the holding's return)",
    ),
]


class SectorsTab(Tab):
    title = "Sector Tilts"
    key = "sectors"
    views = ("rrg", "tilt")

    def __init__(self, services: TabServices, tickers: list[str] | None = None, parent: QWidget | None = None):
        super().__init__(services, parent)
        self.tickers = list(tickers or self.settings.sectors.tickers)
        prefs = self.settings.sectors  # last used: frequency, tail, weights, rebalance rule
        self.frequency = prefs.frequency
        self.tail = prefs.tail
        self.closes: pd.DataFrame | None = None
        self.series: pd.DataFrame | None = None
        self.rrg_names: list[str] = []
        self.rrg_benchmark = ""
        self.rows: list[rrg_core.RrgRow] = []
        self.heatmap: pd.DataFrame | None = None
        self.frame_costs: list[float] = []  # seconds to move the graph's items to a frame
        self.tilt_result: tilt_core.TiltResult | None = None
        self.help_dialog: QDialog | None = None
        self._requested: tuple[str, object] | None = None  # export-chart --tickers: ("tickers"|"weights", value)
        self._table_date: pd.Timestamp | None = None
        self.data: jobs.RrgData | None = None
        self._range_label = ""
        self._keep_date = False  # the next RRG run stays on the slider's date (tickers or frequency changed)

        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.rotation_page = self._build_rotation_page()
        self.tilt_page = self._build_tilt_page()
        self.pages.addTab(self.rotation_page, "Rotation graph")
        self.pages.addTab(self.tilt_page, "Tilt backtest")
        self.pages.currentChanged.connect(self._page_shown)

        self.table_timer = QTimer(self, singleShot=True, interval=TABLE_DELAY_MS)
        self.table_timer.timeout.connect(self.update_table)
        self._table_pending = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.pages)
        self.theme_changed(self.theme)
        self.rrg_job = self.add_job(
            "relative rotation graph",
            self.rotation_page,
            self._rrg_inputs,
            _rrg_compute,
            self._apply_rrg,
            self._rrg_problem,
            busy=self._busy,
        )
        self.frame_job = self.add_job(
            "table at the graph's date",
            self.rotation_page,
            self._frame_inputs,
            _frame_compute,
            self._apply_frame,
            self._rrg_problem,
            on_demand=True,
        )
        self.tilt_job = self.add_job(
            "tilt backtest", self.tilt_page, self._tilt_inputs, _tilt_compute, self._tilt_done, self._tilt_problem
        )

    # ------------------------------------------------------------------ building
    def _build_rotation_page(self) -> QWidget:
        self.ticker_edit = TickerListEdit(
            self.market.ticker_names, self.tickers, "Tickers", max_count=MAX_TICKERS, theme=self.theme
        )
        self.ticker_edit.edit.setToolTip(
            "The tickers on the graph (default: the 11 SPDR sectors); add others such as ITA KRE KIE and press Enter"
        )
        self.ticker_edit.changed.connect(self._tickers_changed)
        self.frequency_box = QComboBox()
        self.frequency_box.addItems(["Weekly", "Daily"])
        self.frequency_box.setCurrentText(self.frequency.capitalize())
        self.frequency_box.setToolTip("Weekly: the last session of each week; daily: every session")
        self.frequency_box.currentTextChanged.connect(self._frequency_changed)
        self.tail_spin = QSpinBox(minimum=1, maximum=52, value=self.tail)
        self.tail_spin.setToolTip("Points in each ticker's tail (the marker is the last)")
        self.tail_spin.valueChanged.connect(self._tail_changed)
        self.help_button = QToolButton(text="How it is computed")
        self.help_button.setToolTip("The RS-Ratio and RS-Momentum formulas (no look-ahead)")
        self.help_button.clicked.connect(self.show_help)
        controls = QHBoxLayout()
        controls.setSpacing(8)
        controls.addWidget(self.ticker_edit, 1)
        controls.addWidget(self.frequency_box)
        controls.addWidget(QLabel("Tail"))
        controls.addWidget(self.tail_spin)
        self.tail_unit = QLabel(self._unit())
        controls.addWidget(self.tail_unit)
        controls.addWidget(self.help_button)

        self.chart = RrgChart("sectors.rrg", theme=self.theme, settings=self.settings)
        self.timeline = RrgTimeline()
        self.timeline.frame_changed.connect(self._frame_changed)
        self.timeline.settled.connect(self._settled)
        self.busy_label = QLabel()
        self.timeline.layout().insertWidget(5, self.busy_label)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(2)
        left_layout.addWidget(self.chart, 1)
        left_layout.addWidget(self.timeline)

        self.rrg_caption = QLabel()
        self.rrg_caption.setWordWrap(True)
        self.rrg_table = DataTable("sectors.rrg", self.theme)
        self.heat_caption = QLabel()
        self.heat_caption.setWordWrap(True)
        self.heat_table = DataTable("sectors.heatmap", self.theme)
        right = splitter(
            Qt.Orientation.Vertical,
            [_stack(self.rrg_caption, self.rrg_table), _stack(self.heat_caption, self.heat_table)],
            [0, 0],
        )
        split = splitter(Qt.Orientation.Horizontal, [left, right], [3, 2], [760, 620])

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(controls)
        layout.addWidget(split, 1)
        space = QShortcut(QKeySequence(Qt.Key.Key_Space), self.chart)
        space.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        space.activated.connect(self.timeline.toggle)
        return page

    def _build_tilt_page(self) -> QWidget:
        prefs = self.settings.sectors
        self.editor = TiltEditor(
            self.market.ticker_names,
            self.name_of,
            self.view_state.benchmark,
            weights=prefs.weights,
            rebalance=prefs.rebalance,
            theme=self.theme,
        )
        self.editor.changed.connect(self._tilt_inputs_changed)
        self.contrib_caption = QLabel()
        self.contrib_caption.setWordWrap(True)
        self.contrib_table = DataTable("sectors.tilt_contributions", self.theme)
        left = splitter(
            Qt.Orientation.Vertical, [self.editor, _stack(self.contrib_caption, self.contrib_table)], [3, 2], [520, 260]
        )
        left.setMinimumWidth(360)

        self.cards = {key: StatCard(title) for key, title in CARD_TITLES.items()}
        cards_row = QHBoxLayout()
        cards_row.setContentsMargins(4, 0, 4, 0)
        cards_row.setSpacing(18)
        for card in self.cards.values():
            cards_row.addWidget(card)
        cards_row.addStretch(1)
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
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(4)
        right_layout.addWidget(cards)
        right_layout.addWidget(self.tilt_caption)
        right_layout.addWidget(charts, 1)

        split = splitter(Qt.Orientation.Horizontal, [left, right], [0, 1], [390, 1000])
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(split)
        return page

    # ------------------------------------------------------------------ views (export-chart, menus)
    def chart_for_view(self, view: str) -> ChartPanel:
        if view == "rrg":
            return self.chart
        if view == "tilt":
            return self.growth
        raise KeyError(view)

    def select_view(self, view: str) -> None:
        kind = self._requested[0] if self._requested else None
        if view == "tilt" and kind == "tickers":
            raise BadInput(
                "the tilt chart takes weights, not a ticker list: --tickers SPY=70,XLI=10,XLF=10,XLY=10 "
                "(percent, summing to 100); or set them in the app's Tilt backtest editor, "
                "or use the `tilt --weights` command"
            )
        if view == "rrg" and kind == "weights":
            raise BadInput("the rrg chart takes tickers (--tickers XLK,XLF,ITA), not weights")
        self.pages.setCurrentWidget(self.tilt_page if view == "tilt" else self.rotation_page)

    def current_chart(self) -> ChartPanel:
        return self.growth if self.pages.currentWidget() is self.tilt_page else self.chart

    def current_table(self) -> DataTable:
        return self.contrib_table if self.pages.currentWidget() is self.tilt_page else self.rrg_table

    def use_tickers(self, tickers: list[str]) -> None:
        """RRG tickers, or for the tilt view ``T=W`` pairs (percent weights summing to 100)."""
        if tickers and all("=" in t for t in tickers):
            try:
                weights = tilt_core.parse_weights(",".join(tickers))
            except BadInput:
                weights = None  # tickers such as ES=F: a ticker list
            if weights is not None:
                tilt_core.validate_weights(weights, self.market.ticker_names())
                self.editor.set_weights(weights)
                self._requested = ("weights", weights)
                self.tilt_job.invalidate()
                return
        names, error = self.ticker_edit.validate(" ".join(tickers))
        if error:
            raise BadInput(error)
        self.ticker_edit.set_tickers(names)
        self.tickers = names
        self._requested = ("tickers", names)
        self.rrg_job.invalidate()

    def current_page(self) -> str:
        return "tilt" if self.pages.currentWidget() is self.tilt_page else "rrg"

    # ------------------------------------------------------------------ compute
    @property
    def tilt_runs(self) -> int:
        """Tilt backtests shown so far (tests read it)."""
        return self.tilt_job.runs

    def _page_shown(self, _index: int) -> None:
        self.timeline.stop()  # the page's job catches up by itself if it is stale

    def name_of(self, ticker: str) -> str:
        if ticker in SECTOR_NAMES:
            return SECTOR_NAMES[ticker]
        fact = self.market.fund(ticker)
        return fact.name if fact else ""

    # ------------------------------------------------------------------ rotation graph
    def compute_rrg(self, keep_date: bool = False) -> None:
        """Points for the tickers over all history up to the range's end; frames = the points in the range.

        ``keep_date``: stay on the slider's date (tickers or frequency changed), else go to the end.
        """
        self._keep_date = keep_date
        self.rrg_job.run()

    def _rrg_inputs(self):
        """On the GUI thread: the closes up to the range's end and what the graph needs."""
        self.timeline.stop()
        keep = self.chart.shown_date if self._keep_date and self.data is not None else None
        self._keep_date = False
        window = self.current_range()
        bench = self.view_state.benchmark
        names = [t for t in self.tickers if t != bench]
        if not names:
            raise BadInput(f"the only ticker is the benchmark {bench}; add others to compare with it")
        self.market.require([*names, bench])
        closes = self.market.closes([*names, bench], end=window.end)
        self._range_label = window.label
        self.frame_job.cancel()  # table requests on the old points are void
        return (closes, names, bench, self.frequency, window.start, window.end, self.tail, keep)

    def _busy(self, on: bool) -> None:
        self.busy_label.setText("computing…" if on else "")

    def _apply_rrg(self, data: jobs.RrgData) -> None:
        self.busy_label.setText("")
        self.data = data
        self.series, self.closes, self.rrg_names, self.rrg_benchmark = (
            data.series,
            data.closes,
            data.names,
            data.benchmark,
        )
        self.frame_job.cancel()
        self.chart.set_points(data.points)
        self.timeline.set_frames(data.frames, data.index)
        self.chart.show_at(data.at.when, self.tail)
        self._set_chart_title(data.at.when)
        self._apply_frame(data.at)

    def _rrg_problem(self, text: str) -> None:
        self.data = None
        self.series = None
        self.timeline.set_frames([])
        self.chart.show_message(text)
        for table in (self.rrg_table, self.heat_table):  # keep the headers, drop the rows
            table.set_frame(table.frame().iloc[0:0], table.source_model.columns() or None)
        self.rrg_caption.setText(text)
        self.heat_caption.setText("")
        self.rows = []
        self.heatmap = None
        self._table_date = None
        self.status_message.emit(text, True)

    def _unit(self) -> str:
        return "weeks" if self.frequency == "weekly" else "sessions"

    def show_frame(self, index: int, fit: bool = False) -> None:
        """Move the graph to frame ``index`` (a date of the points) by updating its items in place.

        The table and heat map follow (computed off the GUI thread) when the
        slider is set directly; while the animation plays they wait for the
        pause, and while the slider is dragged until it rests.
        """
        if self.series is None or not self.timeline.frames:
            return
        t0 = time.perf_counter()
        when = self.timeline.frames[index]
        scrubbing = self.timeline.scrubbing and not fit
        self.chart.show_at(when, self.tail, expand_only=scrubbing)
        self.frame_costs.append(time.perf_counter() - t0)
        del self.frame_costs[:-1000]
        if self.timeline.is_playing():
            self._table_pending = True
            return  # the date is in the graph; subtitle, table and heat map follow at the pause
        self._set_chart_title(when)
        if scrubbing:
            self.table_timer.start()
        else:
            self.update_table()

    def update_table(self) -> None:
        """Table and heat map at the graph's date (``rrg_snapshot`` and ``sector_heatmap``)."""
        self.table_timer.stop()
        self._table_pending = False
        if self.data is None or self.chart.shown_date is None or self._table_date == self.chart.shown_date:
            return
        self.frame_job.run()

    def _frame_inputs(self):
        data, when = self.data, self.chart.shown_date
        return data.series, data.closes, data.names, data.benchmark, when, self.tail

    def _apply_frame(self, frame: jobs.FrameData) -> None:
        if self.data is None or frame.when != self.chart.shown_date:
            return  # the slider moved on; its own request follows
        self.rows = frame.rows
        self._fill_rrg_table(frame.when)
        self._fill_heatmap(frame.heat)

    def _frame_changed(self, index: int) -> None:
        self.show_frame(index)

    def _settled(self) -> None:
        """Dragging or playing ended: fit the view to the tails on screen; table and heat map catch up."""
        if self.series is not None and self.chart.shown_date is not None:
            self.chart.reset_zoom()
            self._set_chart_title(self.chart.shown_date)
            self.update_table()

    def rows_date(self) -> pd.Timestamp | None:
        """The date the table and heat map show."""
        return self._table_date

    def _fill_rrg_table(self, when: pd.Timestamp) -> None:
        self._table_date = when
        bench, unit = self.rrg_benchmark, self._unit()
        frame = pd.DataFrame(
            [
                {
                    "ticker": r.ticker,
                    "rs_ratio": r.rs_ratio,
                    "rs_momentum": r.rs_momentum,
                    "quadrant": r.quadrant,
                    "periods_in_quadrant": r.periods_in_quadrant,
                    "heading": r.heading or formats.MISSING,
                    "date": r.date,
                }
                for r in self.rows
            ],
            columns=["ticker", "rs_ratio", "rs_momentum", "quadrant", "periods_in_quadrant", "heading", "date"],
        )
        tips = {}
        for i, r in enumerate(self.rows):
            tips[(i, "ticker")] = f"{self.name_of(r.ticker)} · point of {formats.day(r.date)}"
            if r.heading_degrees is not None:
                tips[(i, "heading")] = (
                    f"bearing {r.heading_degrees:.0f}° (0 = north, momentum up), move {r.distance:.2f}"
                )
        columns = [
            Column("ticker", "Ticker", tooltip="hover a ticker for its name and the date of its point"),
            Column("rs_ratio", "RS-Ratio", kind="number", tooltip=f"100 + z-score of the smoothed RS against {bench}"),
            Column("rs_momentum", "RS-Mom.", kind="number", tooltip="100 + z-score of the RS-Ratio's rate of change"),
            Column("quadrant", "Quadrant"),
            Column(
                "periods_in_quadrant",
                f"{unit.capitalize()} in",
                kind="integer",
                tooltip=f"consecutive {unit} in this quadrant, this one included",
            ),
            Column(
                "heading",
                "Heading",
                stretch=True,
                tooltip="compass direction of the last move (north = momentum rising)",
            ),
        ]
        self.rrg_table.set_frame(frame, columns, tooltips=tips)
        missing = [t for t in self.rrg_names if t not in {r.ticker for r in self.rows}]
        params = rrg_core.default_params(self.frequency)
        note = f"RRG vs {bench}, {self.frequency}, as of {formats.day(when)} · the slider spans the {self._range_label} range"
        if missing:
            note += f" · no point yet for {', '.join(missing)} (needs {params.periods_needed} {unit} of history)"
        dropped = [t for t in self.tickers if t == bench]
        if dropped:
            note += f" · {bench} is the benchmark, left out"
        self.rrg_caption.setText(note)

    def _set_chart_title(self, when: pd.Timestamp) -> None:
        unit = self._unit()
        shown = set(self.chart.visible_tickers())
        missing = [t for t in self.rrg_names if t not in shown]
        params = rrg_core.default_params(self.frequency)
        self.chart.set_title(
            f"Relative rotation graph vs {self.rrg_benchmark}",
            f"as of {formats.day(when)} · {self.frequency} points, tails of {self.tail} "
            f"{unit if self.tail > 1 else unit[:-1]} · RS smoothed over {params.smooth}, z-scores over "
            f"{params.lookback}, momentum over {params.momentum} {unit}"
            + (f" · {', '.join(missing)}: no point yet" if missing else ""),
        )
        self.chart.set_source(self.source_text())

    def _fill_heatmap(self, heat: pd.DataFrame) -> None:
        """Returns relative to the benchmark up to the graph's date (``core.rrg.sector_heatmap``)."""
        self.heatmap = heat
        frame = heat.reset_index()
        columns = [Column("ticker", "Ticker")]
        for label in heat.columns:
            columns.append(
                Column(
                    label,
                    label,
                    kind="percent",
                    signed=True,
                    colour="heat",
                    tooltip=f"return minus {self.rrg_benchmark}'s over {label} (not annualised)",
                )
            )
        tips = {(i, "ticker"): self.name_of(t) for i, t in enumerate(frame["ticker"])}
        self.heat_table.set_frame(frame, columns, tooltips=tips)
        self.heat_caption.setText(
            f"Heat map: return minus {self.rrg_benchmark}'s to {formats.day(heat.attrs['as_of'])}, the graph's date "
            f"(not annualised; — : the ticker does not cover the period)"
        )
        self.heat_caption.setToolTip(
            "Calendar periods back from the date; YTD from the previous year's last close; "
            "the ticker's total return minus the benchmark's over the same window."
        )

    def _tickers_changed(self, tickers: list[str]) -> None:
        self.tickers = tickers
        self.settings.sectors.tickers = list(tickers)
        self._requested = None
        self._invalidate_page("rrg", keep_date=True)

    def _frequency_changed(self, text: str) -> None:
        self.frequency = text.lower()
        self.settings.sectors.frequency = self.frequency
        self.tail_unit.setText(self._unit())
        if self.help_dialog is not None:
            self.help_dialog.findChild(QPlainTextEdit).setPlainText(rrg_core.formula_help(self.frequency))
        self._invalidate_page("rrg", keep_date=True)

    def _tail_changed(self, value: int) -> None:
        """Only the graph changes (the table's figures do not depend on the tail)."""
        self.tail = int(value)
        self.settings.sectors.tail = self.tail
        if self.series is not None and self.chart.shown_date is not None:
            self.chart.show_at(self.chart.shown_date, self.tail, expand_only=self.timeline.is_playing())
            self._set_chart_title(self.chart.shown_date)

    def _invalidate_page(self, page: str, keep_date: bool = False) -> None:
        if page == "rrg":
            self._keep_date = keep_date
            self.rrg_job.invalidate()
        else:
            self.tilt_job.invalidate()

    def show_help(self) -> QDialog:
        if self.help_dialog is None:
            dialog = QDialog(self)
            dialog.setWindowTitle("Relative rotation graph: how it is computed")
            text = QPlainTextEdit(readOnly=True)
            font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
            text.setFont(QFont(font))
            text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            buttons.rejected.connect(dialog.close)
            lay = QVBoxLayout(dialog)
            lay.addWidget(text)
            lay.addWidget(buttons)
            dialog.resize(760, 620)
            self.help_dialog = dialog
        self.help_dialog.findChild(QPlainTextEdit).setPlainText(rrg_core.formula_help(self.frequency))
        self.help_dialog.show()
        return self.help_dialog

    # ------------------------------------------------------------------ tilt backtest
    def _tilt_inputs_changed(self) -> None:
        self._requested = None if self._requested and self._requested[0] == "weights" else self._requested
        self.settings.sectors.rebalance = self.editor.rebalance()
        if self.editor.weights_problem() is None:
            self.settings.sectors.weights = self.editor.weights()
        problem = self.editor.problem()
        if problem:
            self.tilt_job.cancel()
            self._tilt_problem(problem)
            return
        self.tilt_job.later(TILT_DELAY_MS)  # run once the edits rest (when the page is on screen)

    def run_tilt(self) -> None:
        """Backtest the editor's weights now (no run while they are invalid: the editor says why)."""
        self.tilt_job.run()

    def _tilt_inputs(self):
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
        rebalance = self.editor.rebalance()
        if self.editor.uses_toolbar_range():
            window = self.current_range()
            start, end, label = window.start, window.end, f"{window.label} range"
        else:
            start, end = self.editor.custom_window()
            label = "custom window"
        names = self.market.require(list(dict.fromkeys([*weights, bench])))
        closes = self.market.closes(names)
        return (closes, weights, bench, rebalance, start, end), label

    def _tilt_done(self, payload) -> None:
        result, label = payload
        self.tilt_result = result
        self._show_tilt(result, label)

    def _tilt_problem(self, text: str) -> None:
        self.tilt_result = None
        message = f"Not run: {text}"
        self.growth.show_message(message)
        self.active_chart.show_message("The active return appears once the backtest can run.")
        self.contrib_table.set_frame(pd.DataFrame(columns=[c.key for c in CONTRIBUTION_COLUMNS]), CONTRIBUTION_COLUMNS)
        self.contrib_caption.setText("")
        self.tilt_caption.setText(message)
        for key, card in self.cards.items():
            card.caption.setText(CARD_TITLES[key])
            card.set_value(formats.MISSING)

    def _show_tilt(self, r: tilt_core.TiltResult, label: str) -> None:
        bench = r.benchmark
        p, b = r.portfolio_stats, r.benchmark_stats
        mix = " · ".join(f"{t} {w * 100:g} %" for t, w in r.weights.items())
        rebal = "buy and hold" if r.rebalance == "never" else f"rebalanced {r.rebalance}"
        span = formats.date_range(r.start, r.end)
        limited = f" · starts at {r.limited_by}'s first close" if r.limited_by else ""
        source = self.source_text()

        self.growth.set_series({PORTFOLIO: r.values, bench: r.benchmark_values}, {bench: SeriesStyle(role="benchmark")})
        self.growth.set_title(f"Growth of $10,000: tilt vs {bench}", f"{mix} · {rebal} · {span} ({label}){limited}")
        self.growth.set_source(source)
        self.active_chart.set_series({f"Tilt vs {bench}": r.active})
        self.active_chart.set_title(
            f"Active return: tilt value ÷ {bench} value − 1", f"{span} · above 0: the tilt is ahead of {bench}"
        )
        self.active_chart.set_source(source)

        t = self.theme
        self._card(
            "cagr", formats.pct(p.cagr, 2), f"CAGR · {bench} {formats.pct(b.cagr, 2)}", "(end/start)^(365.25/days) − 1"
        )
        self._card(
            "volatility",
            formats.pct(p.volatility, 1, False),
            f"Volatility · {bench} {formats.pct(b.volatility, 1, False)}",
            "stdev of daily returns × √252",
        )
        self._card(
            "max_drawdown",
            formats.pct(p.max_drawdown, 1),
            f"Max drawdown · {bench} {formats.pct(b.max_drawdown, 1)}",
            "worst fall from a running peak",
        )
        self._card(
            "tracking_error",
            formats.pct(r.tracking_error, 2, False),
            "Tracking error",
            f"stdev of daily (tilt − {bench}) returns × √252",
        )
        self._card(
            "information_ratio",
            formats.number(r.information_ratio),
            "Information ratio",
            "mean daily active return × 252 ÷ tracking error",
            t.sign_colour(r.information_ratio),
        )
        self._card(
            "active_return",
            formats.pct(r.active_return, 1),
            "Active return",
            f"tilt value ÷ {bench} value − 1 at the end; excess CAGR {formats.pct(p.cagr - b.cagr, 2)}",
            t.sign_colour(r.active_return),
        )
        self.tilt_caption.setText(
            f"{span} ({label}){limited} · {len(r.rebalance_dates)} rebalances · "
            f"$10,000 became {formats.money(p.final_value)} (tilt) and {formats.money(b.final_value)} ({bench}). "
            "No costs or taxes; dividends reinvested."
        )

        rows = [
            {"ticker": tk, "weight": w, "end_weight": r.end_weights[tk], "contribution": r.contributions[tk]}
            for tk, w in r.weights.items()
        ]
        frame = pd.DataFrame(rows, columns=[c.key for c in CONTRIBUTION_COLUMNS])
        columns = CONTRIBUTION_COLUMNS
        tips = {
            (i, "ticker"): f"{self.name_of(row['ticker'])} · {'core' if row['ticker'] == bench else 'satellite'}"
            for i, row in enumerate(rows)
        }
        bold = [i for i, row in enumerate(rows) if row["ticker"] == bench]
        self.contrib_table.set_frame(frame, columns, tooltips=tips, bold_rows=bold)
        total = sum(r.contributions.values())
        self.contrib_caption.setText(
            f"Contributions: Σ daily weight at the previous close × return. They add up to {formats.pct(total, 2)}, "
            f"the sum of the daily returns (compounded: {formats.pct(p.total_return, 1)})."
        )

    def _card(self, key: str, value: str, caption: str, tip: str, colour: str | None = None) -> None:
        card = self.cards[key]
        card.caption.setText(caption)
        card.set_value(value, colour, tip)

    # ------------------------------------------------------------------ theme and state
    def invalidate(self) -> None:
        """The range or benchmark changed: both pages are out of date."""
        self.timeline.stop()
        super().invalidate()

    def theme_changed(self, theme) -> None:
        for label in (self.rrg_caption, self.heat_caption, self.tilt_caption, self.contrib_caption, self.tail_unit):
            label.setStyleSheet(f"color: {theme.muted};")
        self.editor.apply_theme(theme)


def _stack(caption: QLabel, table: DataTable) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 0, 0, 0)
    layout.setSpacing(4)
    layout.addWidget(caption)
    layout.addWidget(table, 1)
    return box


def _rrg_compute(inputs, _cancelled):
    return jobs.rrg_job(*inputs)


def _frame_compute(inputs, _cancelled):
    return jobs.frame_job(*inputs)


def _tilt_compute(inputs, _cancelled):
    args, label = inputs
    return tilt_core.tilt_backtest(*args), label
