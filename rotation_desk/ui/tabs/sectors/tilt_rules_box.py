"""The tilt backtest's rebalancing bands and transaction cost (``core.tilt_rules``; ``tilt --bands B
--band-type absolute|relative --cost-bps C``), as fields the weights editor lays out under its rule.

Bands: off, ± percentage points (5: a 20 % target may drift from 15 % to 25 %) or ± percent of the
target (25: from 15 % to 25 %). With a calendar rule the bands are checked on its dates only; with
"never" at every close. Cost: basis points of every trade's value, the initial purchase included.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QHBoxLayout

from rotation_desk.core.tilt_rules import MAX_COST_BPS, Bands
from rotation_desk.ui.kit.widgets import fit_combo

BAND_CHOICES = (("off", "Off"), ("absolute", "± points"), ("relative", "± % of target"))
BAND_TIP = (
    "Rebalance only when a holding drifts outside its band.\n"
    "± points (percentage points): 5 lets a 20 % target drift from 15 % to 25 %.\n"
    "± % of target: 25 lets a 20 % target drift from 15 % to 25 %.\n"
    "With a calendar rule the bands are checked on its dates; with “never”, at every close."
)
COST_TIP = "Transaction cost in basis points of each trade's value (10 bp = 0.10 %), the first purchase included"


def cost_box(cost_bps: float) -> QDoubleSpinBox:
    """A cost in basis points of each trade's value, 0 to the core's limit (also the Strategies page's)."""
    box = QDoubleSpinBox()
    box.setRange(0.0, MAX_COST_BPS)
    box.setDecimals(1)
    box.setSuffix(" bp")
    box.setValue(cost_bps)
    box.setKeyboardTracking(False)
    box.setToolTip(COST_TIP)
    return box


class RuleControls(QObject):
    """The bands box and width, and the cost; ``changed`` on any edit."""

    changed = Signal()

    def __init__(self, kind: str = "off", width: float = 5.0, cost_bps: float = 0.0, parent: QObject | None = None):
        super().__init__(parent)
        self.band_box = QComboBox()
        for key, text in BAND_CHOICES:
            self.band_box.addItem(text, key)
        self.band_box.setCurrentIndex(max(self.band_box.findData(kind), 0))
        self.band_box.setToolTip(BAND_TIP)
        fit_combo(self.band_box)
        self.width_spin = QDoubleSpinBox()
        self.width_spin.setRange(0.5, 99.0)
        self.width_spin.setDecimals(1)
        self.width_spin.setSingleStep(0.5)
        self.width_spin.setValue(width)
        self.width_spin.setKeyboardTracking(False)
        self.width_spin.setToolTip(BAND_TIP)
        self.cost_spin = cost_box(cost_bps)
        self.band_row = QHBoxLayout()
        self.band_row.setSpacing(4)
        self.band_row.addWidget(self.band_box, 1)
        self.band_row.addWidget(self.width_spin)
        self.band_box.currentIndexChanged.connect(self._edited)
        self.width_spin.valueChanged.connect(self._edited)
        self.cost_spin.valueChanged.connect(self._edited)
        self._show_unit()

    def band_kind(self) -> str:
        return self.band_box.currentData()

    def band_width(self) -> float:
        return self.width_spin.value()

    def bands(self) -> Bands | None:
        kind = self.band_kind()
        return None if kind == "off" else Bands(self.band_width(), kind)

    def cost_bps(self) -> float:
        return self.cost_spin.value()

    def set_bands(self, kind: str, width: float | None = None) -> None:
        if width is not None:
            self.width_spin.setValue(width)
        self.band_box.setCurrentIndex(self.band_box.findData(kind))

    def set_cost(self, cost_bps: float) -> None:
        self.cost_spin.setValue(cost_bps)

    def _show_unit(self) -> None:
        kind = self.band_kind()
        self.width_spin.setEnabled(kind != "off")
        self.width_spin.setSuffix(" pp" if kind != "relative" else " %")

    def _edited(self, *_args) -> None:
        self._show_unit()
        self.changed.emit()
