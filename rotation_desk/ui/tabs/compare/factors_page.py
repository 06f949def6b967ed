"""The ETF Comparison's Factors page: how much market, size, value, profitability and investment
exposure each fund has (a Fama/French regression, the numbers of ``rotation-desk factors``).

Top: the model (CAPM, 3- or 5-factor) and the returns (monthly or daily), and the caption naming the
factor files and their as-of date (and the cut of the window at their last date). Left: a table per
fund (alpha a year and each beta, with standard error and t-stat) under its window, observations, R²
and the plain-words reading. Right: the rolling betas of one fund (fund and span chosen on the chart).
The numbers come from ``factor_compute.factor_job``; the tab runs it as a job when the page is shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from rotation_desk.ui.charts.axes import number_style
from rotation_desk.ui.charts.panel import ChartPanel
from rotation_desk.ui.kit.theme import Theme
from rotation_desk.ui.kit.widgets import control_row, fit_combo, splitter
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.tables.table import Column, DataTable
from rotation_desk.ui.tabs.compare import factor_compute as fc
from rotation_desk.ui.tabs.compare.fund_box import FundBox

TERM_TABLE_COLUMNS = [
    Column("term", "Term"),
    Column(
        "estimate",
        "Estimate",
        kind="number",
        signed=True,
        tooltip="alpha: percent a year (per-period alpha × 12 or × 252); a beta: the return per unit of the factor",
        stretch=True,
    ),
    Column("std_error", "Std. error", kind="number", digits=3, tooltip="classical OLS standard error", stretch=True),
    Column("t_stat", "t-stat", kind="number", tooltip="estimate / standard error; |t| ≥ 2: significant", stretch=True),
]


def choice_box(choices, current: str, tip: str) -> QComboBox:
    box = QComboBox()
    for key, text in choices:
        box.addItem(text, key)
    box.setCurrentIndex(max(box.findData(current), 0))
    box.setToolTip(tip)
    return fit_combo(box)


class FundBlock(QFrame):
    """One fund: its name, window and R², the reading, notes, and the table of its terms."""

    def __init__(self, theme: Theme, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel(title)
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.detail = QLabel()
        self.reading = QLabel()
        self.notes = QLabel()
        for label in (self.title, self.detail, self.reading, self.notes):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = DataTable("compare.factors", theme)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 10)
        layout.setSpacing(2)
        for w in (self.title, self.detail, self.reading, self.notes, self.table):
            layout.addWidget(w)
        self.apply_theme(theme)

    def show_exposure(self, exposure) -> None:
        self.detail.setText(fc.fund_detail(exposure))
        self.reading.setText(exposure.reading + ".")
        notes = fc.fund_notes(exposure)
        self.notes.setText(notes)
        self.notes.setVisible(bool(notes))
        self.table.set_frame(fc.term_rows(exposure), TERM_TABLE_COLUMNS)
        rows = self.table.model().rowCount()
        height = self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth()
        self.table.setFixedHeight(height + rows * self.table.verticalHeader().defaultSectionSize())

    def show_problem(self, text: str) -> None:
        self.detail.setText(text)
        self.reading.hide()
        self.notes.hide()
        self.table.hide()

    def apply_theme(self, theme: Theme) -> None:
        for label in (self.detail, self.notes):
            label.setStyleSheet(f"color: {theme.muted};")


class FactorsPage(QWidget):
    inputs_changed = Signal()  # the model, the returns or the rolling span: the regressions are rerun

    def __init__(self, theme: Theme, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.theme = theme
        self.settings = settings
        prefs = settings.compare
        self.view: fc.FactorView | None = None
        self.name_of: Callable[[str], str] = lambda t: ""
        self.model_box = choice_box(fc.MODEL_CHOICES, prefs.factor_model, "The factors the returns are regressed on")
        self.frequency_box = choice_box(
            fc.FREQUENCY_CHOICES, prefs.factor_frequency, "Month-end to month-end returns, or daily returns"
        )
        for box in (self.model_box, self.frequency_box):
            box.currentIndexChanged.connect(self._inputs_edited)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.blocks: dict[str, FundBlock] = {}
        self.block_box = QWidget()
        self.block_layout = QVBoxLayout(self.block_box)
        self.block_layout.setContentsMargins(4, 0, 8, 0)
        self.block_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.block_box)
        self.scroll.setMinimumWidth(330)

        self.chart = ChartPanel("compare.factor_rolling", number_style(2, 0.0), theme=theme, settings=settings)
        self.fund_box = FundBox(prefs.factor_fund, "The fund whose rolling betas are drawn")
        self.fund_box.chosen.connect(self._fund_chosen)
        self.span_box = QComboBox()
        for span in fc.ROLLING_SPANS:
            self.span_box.addItem(span, span)
        self.span_box.setCurrentText(prefs.factor_rolling)
        self.span_box.setToolTip("Observations behind each point: 1 to 5 years of months (or sessions)")
        self.span_box.currentIndexChanged.connect(self._inputs_edited)
        fit_combo(self.span_box)
        for i, w in enumerate((QLabel("Fund"), self.fund_box, QLabel("Rolling"), self.span_box)):
            self.chart.toolbar.insertWidget(i, w)

        top = QWidget()
        control_row(top, ["Model", self.model_box, "Returns", self.frequency_box, 1])
        split = splitter(Qt.Orientation.Horizontal, [self.scroll, self.chart], [1, 1], [470, 530])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(top)
        layout.addWidget(self.caption)
        layout.addWidget(split, 1)
        self.apply_theme(theme)

    # ------------------------------------------------------------------ inputs
    def model(self) -> str:
        return self.model_box.currentData()

    def frequency(self) -> str:
        return self.frequency_box.currentData()

    def span(self) -> str:
        return self.span_box.currentData()

    def _inputs_edited(self, _index: int) -> None:
        prefs = self.settings.compare
        prefs.factor_model, prefs.factor_frequency, prefs.factor_rolling = self.model(), self.frequency(), self.span()
        self.inputs_changed.emit()

    def _fund_chosen(self, name: str) -> None:
        self.settings.compare.factor_fund = name
        if self.view is not None:
            self._show_rolling(name)

    # ------------------------------------------------------------------ showing
    def show_view(self, view: fc.FactorView, name_of: Callable[[str], str], source: str) -> None:
        self.view, self.name_of = view, name_of
        self.caption.setText(fc.page_caption(view))
        self._clear_blocks()
        for name in view.names:
            block = FundBlock(self.theme, f"{name} · {name_of(name)}" if name_of(name) else name)
            if name in view.exposures:
                block.show_exposure(view.exposures[name])
            else:
                block.show_problem(view.problems[name])
            self.blocks[name] = block
            self.block_layout.insertWidget(self.block_layout.count() - 1, block)
        self.chart.set_source(source)
        shown = self.fund_box.set_names([n for n in view.names if n in view.exposures])
        self._show_rolling(shown)

    def _show_rolling(self, name: str | None) -> None:
        view = self.view
        if name is None or name not in view.exposures:
            self.chart.show_message("No fund has a regression over this window.")
        elif name in view.rolling_problems:
            self.chart.show_message(view.rolling_problems[name])
        else:
            self.chart.set_series(fc.rolling_series(view, name))
            self.chart.set_title(*fc.rolling_texts(view, name))

    def show_problem(self, text: str) -> None:
        self.view = None
        self._clear_blocks()
        self.caption.setText(text)
        self.chart.show_message(text)

    def _clear_blocks(self) -> None:
        for block in self.blocks.values():
            self.block_layout.removeWidget(block)
            block.deleteLater()
        self.blocks = {}

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.caption.setStyleSheet(f"color: {theme.muted};")
        for block in self.blocks.values():
            block.apply_theme(theme)
