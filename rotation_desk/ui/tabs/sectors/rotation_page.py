"""The Rotation graph page: tickers, frequency and tail, the RRG with its date slider, the table and heat map.

The graph's points (``core.rrg.rrg_series``, the same as ``rotation-desk
rrg``) come from one background job; the table (``rrg_snapshot``) and heat map
(``sector_heatmap``) at the slider's date from another, run on demand: when
the slider is set directly, when a drag rests, and at every frame while the
animation plays (the animation waits for each frame's table, so the subtitle,
the table and the heat map always show the graph's date). Moving to a frame
only moves the graph's items (``RrgChart.show_at``); ``frame_costs`` records
what each frame took. The subtitle and captions name the frequency the points
shown were computed with (``data.frequency``), not the box's while a new
computation runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pandas as pd
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rotation_desk.core import rrg as rrg_core
from rotation_desk.errors import BadInput
from rotation_desk.ui.kit.currency_bar import CurrencyBar, CurrencyRefused
from rotation_desk.ui.kit.widgets import TickerListEdit, splitter
from rotation_desk.ui.tables.table import Column, DataTable
from rotation_desk.ui.tabs.base import Tab
from rotation_desk.ui.tabs.sectors import compute, texts
from rotation_desk.ui.tabs.sectors.panes import captioned, stacked
from rotation_desk.ui.tabs.sectors.rrg_chart import RrgChart
from rotation_desk.ui.tabs.sectors.rrg_timeline import RrgTimeline

MAX_TICKERS = 24
TABLE_DELAY_MS = 120  # while dragging, the table follows once the slider rests this long


class RotationPage(QWidget):
    failed = Signal(str)  # a computation failed: the sentence for the status bar

    def __init__(self, tab: Tab, tickers: list[str], name_of: Callable[[str], str]):
        super().__init__()
        self.market, self.settings, self.view_state = tab.market, tab.settings, tab.view_state
        self.current_range, self.source_text, self.name_of = tab.current_range, tab.source_text, name_of
        prefs = self.settings.sectors  # last used: tickers, frequency, tail
        self.tickers = list(tickers)
        self.frequency = prefs.frequency
        self.tail = prefs.tail
        self.data: compute.RrgData | None = None
        self.rows: list[rrg_core.RrgRow] = []
        self.heatmap: pd.DataFrame | None = None
        self.frame_costs: list[float] = []  # seconds to move the graph's items to a frame
        self.help_dialog: QDialog | None = None
        self._table_date: pd.Timestamp | None = None
        self._range_label = self._next_range_label = ""
        self._keep_date = False  # the next RRG run stays on the slider's date (tickers or frequency changed)
        self._build(tab.theme)
        self.table_timer = QTimer(self, singleShot=True, interval=TABLE_DELAY_MS)
        self.table_timer.timeout.connect(self.update_table)
        self.rrg_job = tab.add_job(
            "relative rotation graph",
            self,
            self._rrg_inputs,
            compute.rrg_job,
            self._apply_rrg,
            self._rrg_problem,
            busy=self._busy,
        )
        self.frame_job = tab.add_job(
            "table at the graph's date",
            self,
            self._frame_inputs,
            compute.table_job,
            self._apply_frame,
            self._rrg_problem,
            on_demand=True,
        )

    def _build(self, theme) -> None:
        self.ticker_edit = TickerListEdit(
            self.market.ticker_names, self.tickers, "Tickers", max_count=MAX_TICKERS, theme=theme
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

        self.chart = RrgChart("sectors.rrg", theme=theme, settings=self.settings)
        self.timeline = RrgTimeline()
        self.timeline.frame_changed.connect(self.show_frame)
        self.timeline.settled.connect(self._settled)
        self.busy_label = QLabel()
        self.timeline.layout().insertWidget(5, self.busy_label)
        left = stacked([self.chart, self.timeline], [1, 0], spacing=2)

        self.rrg_caption = QLabel()
        self.rrg_caption.setWordWrap(True)
        self.rrg_table = DataTable("sectors.rrg", theme)
        self.heat_caption = QLabel()
        self.heat_caption.setWordWrap(True)
        self.heat_table = DataTable("sectors.heatmap", theme)
        right = splitter(
            Qt.Orientation.Vertical,
            [captioned(self.rrg_caption, self.rrg_table), captioned(self.heat_caption, self.heat_table)],
            [0, 0],
        )
        split = splitter(Qt.Orientation.Horizontal, [left, right], [3, 2], [760, 620])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(6)
        self.currency_bar = CurrencyBar(self.settings, self.view_state, theme)
        layout.addLayout(controls)
        layout.addWidget(self.currency_bar)
        layout.addWidget(split, 1)
        space = QShortcut(QKeySequence(Qt.Key.Key_Space), self.chart)
        space.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        space.activated.connect(self.timeline.toggle)

    # ------------------------------------------------------------------ the points (background job)
    def use_tickers(self, tickers: list[str]) -> list[str]:
        """Show these tickers (``export-chart --tickers``); BadInput says what is wrong with them."""
        names, error = self.ticker_edit.validate(" ".join(tickers))
        if error:
            raise BadInput(error)
        self.ticker_edit.set_tickers(names)
        self.tickers = names
        self.rrg_job.invalidate()
        return names

    def _rrg_inputs(self) -> compute.RrgInputs:
        """On the GUI thread: the closes up to the range's end and what the graph needs."""
        self.timeline.stop()
        keep = self.chart.shown_date if self._keep_date and self.data is not None else None
        self._keep_date = False
        window = self.current_range()
        bench = self.view_state.benchmark
        names = compute.graph_names(self.tickers, bench)
        self.market.require([*names, bench])
        closes = self._closes([*names, bench], window.end)
        self._next_range_label = window.label  # shown with these points, once they are in
        self.frame_job.cancel()  # table requests on the old points are void
        return compute.RrgInputs(closes, names, bench, self.frequency, window.start, window.end, self.tail, keep)

    def _closes(self, names: list[str], end) -> pd.DataFrame:
        """Up to ``end``; in more than one currency: converted ("Show in USD") or refused in the currency line."""
        state = self.currency_bar.check(self.market, names, "relative strength against the benchmark")
        if state.refused:
            raise CurrencyRefused(state)
        if state.converted:
            return self.currency_bar.prepare(self.market, names, where="the rotation graph").closes.loc[:end]
        return self.market.closes(names, end=end)

    def _busy(self, on: bool) -> None:
        self.busy_label.setText("computing…" if on else "")

    def _apply_rrg(self, data: compute.RrgData) -> None:
        self.busy_label.setText("")
        self.data = data
        self._range_label = self._next_range_label
        self.frame_job.cancel()
        self.chart.set_points(data.points)
        self.timeline.set_frames(data.frames, data.index)
        self.chart.show_at(data.at.when, self.tail)
        self._set_chart_title(data.at.when)
        self._apply_frame(data.at)

    def _rrg_problem(self, text: str) -> None:
        refused = self.currency_bar.refusal(text)  # said in full in the currency line: a choice, not an error
        if refused:
            text = "Not drawn: the tickers are in more than one currency (see above)."
        self.data = None
        self.timeline.set_frames([])
        self.chart.show_message(text)
        for table in (self.rrg_table, self.heat_table):  # keep the headers, drop the rows
            table.set_frame(table.frame().iloc[0:0], table.source_model.columns() or None)
        self.rrg_caption.setText(text)
        self.heat_caption.setText("")
        self.rows = []
        self.heatmap = None
        self._table_date = None
        if not refused:
            self.failed.emit(text)

    def _unit(self) -> str:
        return compute.period_unit(self.frequency)

    # ------------------------------------------------------------------ the slider's date
    def show_frame(self, index: int, fit: bool = False) -> None:
        """Move the graph to frame ``index`` (a date of the points) by updating its items in place.

        The subtitle follows at once; the table and heat map (computed off the
        GUI thread) when the slider is set directly and at each frame while the
        animation plays (which waits for them), and while the slider is dragged
        once it rests.
        """
        if self.data is None or not self.timeline.frames:
            return
        t0 = time.perf_counter()
        when = self.timeline.frames[index]
        scrubbing = self.timeline.scrubbing and not fit
        self.chart.show_at(when, self.tail, expand_only=scrubbing)
        self.frame_costs.append(time.perf_counter() - t0)
        del self.frame_costs[:-1000]
        self._set_chart_title(when)
        if self.timeline.is_playing():
            self.timeline.waiting = True  # the next frame waits for this one's table
            self.update_table()
            return
        if scrubbing:
            self.table_timer.start()
        else:
            self.update_table()

    def _settled(self) -> None:
        """Dragging or playing ended: fit the view to the tails on screen; table and heat map catch up."""
        if self.data is not None and self.chart.shown_date is not None:
            self.chart.reset_zoom()
            self._set_chart_title(self.chart.shown_date)
            self.update_table()

    def update_table(self) -> None:
        """Table and heat map at the graph's date (``rrg_snapshot`` and ``sector_heatmap``)."""
        self.table_timer.stop()
        if self.data is None or self.chart.shown_date is None or self._table_date == self.chart.shown_date:
            self.timeline.waiting = False
            return
        self.frame_job.run()

    def _frame_inputs(self) -> tuple:
        data, when = self.data, self.chart.shown_date
        return data.series, data.closes, data.names, data.benchmark, when, self.tail

    def _apply_frame(self, frame: compute.FrameData) -> None:
        if self.data is None or frame.when != self.chart.shown_date:
            return  # the slider moved on; its own request follows
        self.timeline.waiting = False
        self.rows = frame.rows
        self._fill_rrg_table(frame.when)
        self._fill_heatmap(frame.heat)

    def rows_date(self) -> pd.Timestamp | None:
        """The date the table and heat map show."""
        return self._table_date

    def _fill_rrg_table(self, when: pd.Timestamp) -> None:
        self._table_date = when
        bench, unit = self.data.benchmark, compute.period_unit(self.data.frequency)
        frame, tips = texts.rrg_rows(self.rows, self.name_of)
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
        listed = {r.ticker for r in self.rows}
        missing = [t for t in self.data.names if t not in listed]
        self.rrg_caption.setText(
            texts.rrg_caption(bench, self.data.frequency, when, self._range_label, missing, bench in self.tickers)
        )

    def _set_chart_title(self, when: pd.Timestamp) -> None:
        shown = set(self.chart.visible_tickers())
        missing = [t for t in self.data.names if t not in shown]
        self.chart.set_title(
            texts.rrg_title(self.data.benchmark), texts.rrg_subtitle(when, self.data.frequency, self.tail, missing)
        )
        self.chart.set_source(self.source_text())

    def _fill_heatmap(self, heat: pd.DataFrame) -> None:
        """Returns relative to the benchmark up to the graph's date (``core.rrg.sector_heatmap``)."""
        self.heatmap = heat
        bench = self.data.benchmark
        frame, tips = texts.heat_rows(heat, self.name_of)
        tip = f"return minus {bench}'s over {{}} (not annualised)"
        columns = [Column("ticker", "Ticker")]
        columns += [
            Column(p, p, kind="percent", signed=True, colour="heat", tooltip=tip.format(p)) for p in heat.columns
        ]
        self.heat_table.set_frame(frame, columns, tooltips=tips)
        self.heat_caption.setText(texts.heat_caption(bench, heat))
        self.heat_caption.setToolTip(texts.HEAT_TIP)

    # ------------------------------------------------------------------ controls
    def _tickers_changed(self, tickers: list[str]) -> None:
        self.tickers = tickers
        self.settings.sectors.tickers = list(tickers)
        self._keep_date = True
        self.rrg_job.invalidate()

    def _frequency_changed(self, text: str) -> None:
        self.frequency = text.lower()
        self.settings.sectors.frequency = self.frequency
        self.tail_unit.setText(self._unit())
        if self.help_dialog is not None:
            self.help_dialog.findChild(QPlainTextEdit).setPlainText(rrg_core.formula_help(self.frequency))
        self._keep_date = True
        self.rrg_job.invalidate()

    def _tail_changed(self, value: int) -> None:
        """Only the graph changes (the table's figures do not depend on the tail)."""
        self.tail = int(value)
        self.settings.sectors.tail = self.tail
        if self.data is not None and self.chart.shown_date is not None:
            self.chart.show_at(self.chart.shown_date, self.tail, expand_only=self.timeline.is_playing())
            self._set_chart_title(self.chart.shown_date)

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

    def apply_theme(self, theme) -> None:
        self.currency_bar.apply_theme(theme)
        for label in (self.rrg_caption, self.heat_caption, self.tail_unit):
            label.setStyleSheet(f"color: {theme.muted};")
