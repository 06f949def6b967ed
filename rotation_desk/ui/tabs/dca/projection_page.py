"""The DCA tab's Projection page: a fan of the plan's value from resampled monthly returns (``project_plan``),
the money invested, and the probability of reaching a target the user enters."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from rotation_desk.core.dca.projection import ProjectionResult
from rotation_desk.ui.charts.axes import money_style
from rotation_desk.ui.charts.panel import ChartPanel, SeriesStyle, unix_seconds
from rotation_desk.ui.kit import formats
from rotation_desk.ui.kit.boxes import column
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.kit.widgets import StatCard, card_row
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.tabs.dca.fields import number_or_text

NOT_A_FORECAST = "This resamples past monthly returns (block bootstrap); it is not a forecast."
PATH_CHOICES = (1_000, 2_000, 5_000, 10_000)
P90, P50, P10, INVESTED = "90th percentile", "Median", "10th percentile", "Invested"


class ProjectionPage(QWidget):
    inputs_changed = Signal()  # paths or seed: a new projection is needed
    target_changed = Signal()

    def __init__(self, theme: Theme = LIGHT, settings: Settings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.theme = theme
        self.result: ProjectionResult | None = None
        self.paths = QComboBox()
        for n in PATH_CHOICES:
            self.paths.addItem(f"{n:,}", n)
        self.paths.setCurrentIndex(PATH_CHOICES.index(10_000))
        self.paths.setToolTip("How many resampled histories to simulate")
        self.seed = QSpinBox(minimum=0, maximum=2_147_483_647)
        self.seed.setToolTip("The random seed: the same seed, plan and prices give the same numbers")
        self.seed.setKeyboardTracking(False)
        self.target = QLineEdit()
        self.target.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.target.setMaximumWidth(140)
        self.target.setPlaceholderText("money invested")
        self.target.setToolTip("An amount to reach by the plan's last buy (empty: the money invested)")
        self.target_error = QLabel()
        self.probability = QLabel()
        font = self.probability.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.probability.setFont(font)
        self.probability.setWordWrap(True)
        self.probability.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.paths.currentIndexChanged.connect(lambda _i: self.inputs_changed.emit())
        self.seed.valueChanged.connect(lambda _v: self.inputs_changed.emit())
        self.target.textChanged.connect(self._target_edited)

        controls = QHBoxLayout()
        controls.setSpacing(6)
        controls.addWidget(QLabel("Target $"))
        controls.addWidget(self.target)
        controls.addWidget(self.target_error)
        controls.addSpacing(16)
        controls.addWidget(QLabel("Paths"))
        controls.addWidget(self.paths)
        controls.addWidget(QLabel("Seed"))
        controls.addWidget(self.seed)
        controls.addStretch(1)

        self.disclaimer = QLabel(NOT_A_FORECAST)
        bold = self.disclaimer.font()
        bold.setBold(True)
        self.disclaimer.setFont(bold)
        self.disclaimer.setWordWrap(True)
        self.history_note = QLabel()  # next to the chance: the history it rests on, a caution when short
        self.history_note.setWordWrap(True)
        self.method = QLabel()
        self.method.setWordWrap(True)

        self.cards = {
            "invested": StatCard("Invested by the end", theme),
            "p10": StatCard("10th percentile", theme),
            "p50": StatCard("Median", theme),
            "p90": StatCard("90th percentile", theme),
        }
        cards = card_row(self.cards.values())

        self.chart = ChartPanel("dca.projection", money_style(), theme=theme, settings=settings)
        self._band_lo = pg.PlotCurveItem()
        self._band_hi = pg.PlotCurveItem()
        self._band = pg.FillBetweenItem(self._band_lo, self._band_hi)
        self._band.setZValue(-10)
        for item in (self._band_lo, self._band_hi, self._band):
            item.setVisible(False)
            self.chart.add_item(item, ignore_bounds=True)

        column(
            self,
            [controls, self.probability, self.history_note, self.disclaimer, self.method, cards, (self.chart, 1)],
            (0, 4, 0, 0),
        )
        self.apply_theme(theme)

    # -- inputs -----------------------------------------------------------------------
    def n_paths(self) -> int:
        return int(self.paths.currentData())

    def seed_value(self) -> int:
        return int(self.seed.value())

    def target_value(self) -> float | None:
        """The entered target (None: empty, i.e. the money invested); raises ValueError for bad text."""
        value = number_or_text(self.target.text())
        if value is None:
            return None
        if not isinstance(value, float) or not np.isfinite(value):
            raise ValueError(f"not an amount: {self.target.text().strip()!r}")
        if value < 0:
            raise ValueError("the target must not be negative")
        return value

    def _target_edited(self, _text: str) -> None:
        self.update_probability()
        self.target_changed.emit()

    # -- results -----------------------------------------------------------------------
    def show_result(self, result: ProjectionResult, plan_name: str) -> None:
        self.result = result
        fan = result.fan
        self.chart.set_series(
            {P90: fan["p90"], P50: fan["p50"], P10: fan["p10"], INVESTED: fan["invested"]},
            self._styles(),
        )
        x = unix_seconds(fan.index)
        self._band_lo.setData(x, fan["p10"].to_numpy(dtype=float))
        self._band_hi.setData(x, fan["p90"].to_numpy(dtype=float))
        for item in (self._band_lo, self._band_hi, self._band):
            item.setVisible(True)
        self._style_band()
        first, last = fan.index[0], fan.index[-1]
        self.chart.set_title(
            f"{plan_name}: range of outcomes",
            f"{len(fan)} months to {formats.day(last)} · {result.n_paths:,} paths · seed {result.seed} · "
            f"resampled {result.history_start:%Y-%m} – {result.history_end:%Y-%m} · not a forecast",
        )
        self.method.setText(
            f"Each path strings together {result.block_months}-month blocks of the allocation's monthly returns "
            f"from {result.history_start:%Y-%m} to {result.history_end:%Y-%m} ({result.history_months} months, "
            f"rebalanced monthly), over the plan's months {first:%Y-%m} to {last:%Y-%m}; each month's contributions "
            "are added at its end, fees taken out. The band spans the 10th to the 90th percentile."
        )
        self.cards["invested"].set_value(formats.money(result.invested))
        for q in ("p10", "p50", "p90"):
            self.cards[q].set_value(formats.money(result.final_percentile(float(q[1:]))))
        self.update_probability()

    def update_probability(self) -> None:
        try:
            target = self.target_value()
        except ValueError as exc:
            self.target_error.setText(str(exc))
            self.target_error.show()
            self.target.setStyleSheet(
                f"QLineEdit {{ border: 1px solid {self.theme.loss}; border-radius: 3px; padding: 2px; }}"
            )
            self.target.setToolTip(str(exc))
            self.probability.setText("Enter an amount to see the chance of reaching it.")
            return
        self.target_error.hide()
        self.target.setStyleSheet("")
        self.target.setToolTip("An amount to reach by the plan's last buy (empty: the money invested)")
        if self.result is None:
            self.probability.setText("")
            return
        r = self.result
        amount = r.invested if target is None else target
        p = r.probability_of_reaching(amount)
        what = "the money invested, " if target is None else ""
        self.probability.setText(
            f"Chance of reaching {what}{formats.money(amount)} by {formats.day(r.fan.index[-1])}: "
            f"{formats.pct(p, 1, signed=False)} of {r.n_paths:,} resampled paths"
        )
        self._show_history(r)

    def _show_history(self, r: ProjectionResult) -> None:
        self.history_note.setText(history_words(r))
        short = r.history_months < SHORT_HISTORY_MONTHS
        self.history_note.setStyleSheet(f"color: {self.theme.loss if short else self.theme.muted};")

    def probability_value(self) -> float | None:
        if self.result is None:
            return None
        try:
            target = self.target_value()
        except ValueError:
            return None
        return self.result.probability_of_reaching(self.result.invested if target is None else target)

    def show_message(self, text: str) -> None:
        self.result = None
        self.chart.show_message(text)
        for item in (self._band_lo, self._band_hi, self._band):
            item.setVisible(False)
        for card in self.cards.values():
            card.set_value(formats.MISSING)
        self.method.setText("")
        self.probability.setText("")
        self.history_note.setText("")

    def _styles(self) -> dict[str, SeriesStyle]:
        hue = self.theme.series_colour(0)
        return {
            P90: SeriesStyle(colour=hue, width=1.2, dashed=True),
            P50: SeriesStyle(colour=hue, width=2.2, dashed=False),
            P10: SeriesStyle(colour=hue, width=1.2, dashed=True),
            INVESTED: SeriesStyle(role="reference"),
        }

    def _style_band(self) -> None:
        colour = QColor(self.theme.series_colour(0))
        colour.setAlphaF(0.16 if not self.theme.dark else 0.22)
        self._band.setBrush(pg.mkBrush(colour))
        self._band.setPen(pg.mkPen(None))
        for item in (self._band_lo, self._band_hi):
            item.setPen(pg.mkPen(None))

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.method.setStyleSheet(f"color: {theme.muted};")
        if self.result is not None:
            self._show_history(self.result)
        self.target_error.setStyleSheet(f"color: {theme.loss};")
        for card in self.cards.values():
            card.apply_theme(theme)
        self._style_band()
        if self.result is not None and self.chart.series_names():
            self.chart.set_series({n: self._series_of(n) for n in (P90, P50, P10, INVESTED)}, self._styles())
        self.update_probability()

    def _series_of(self, name: str):
        fan = self.result.fan
        return fan[{P90: "p90", P50: "p50", P10: "p10", INVESTED: "invested"}[name]]


SHORT_HISTORY_MONTHS = 15 * 12  # less than this is about one market cycle: the chance is a rough guide


def history_words(r: ProjectionResult) -> str:
    """How much history the resampling rests on, with a caution under 15 years (one line at 1024 px)."""
    text = f"From {r.history_months} months of history ({r.history_start:%Y-%m} – {r.history_end:%Y-%m})"
    if r.history_months < SHORT_HISTORY_MONTHS:
        return f"{text}: under 15 years, so a rough guide only."
    return f"{text}."
