"""Value styles (how a chart's numbers read) and the axis items that use them."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pyqtgraph as pg

from rotation_desk.ui.kit import formats


@dataclass(frozen=True)
class ValueStyle:
    """How a chart's y values are written on the axis and in the crosshair readout."""

    axis: Callable[[float, float], str]  # (value, tick spacing) -> tick label
    readout: Callable[[float], str]
    log_allowed: bool = True
    baseline: float | None = None  # a reference line (100 for growth, 0 for returns)


def _compact(value: float, spacing: float) -> str:
    """Tick labels with as many decimals as the spacing needs, thousands separated."""
    if spacing <= 0 or not math.isfinite(spacing):
        spacing = abs(value) or 1.0
    digits = max(0, min(4, -int(math.floor(math.log10(spacing))))) if spacing < 1 else 0
    return f"{value:,.{digits}f}"


def growth_style(base: float = 100.0) -> ValueStyle:
    """Series rebased to ``base``: the axis shows the level, the readout the change in percent."""
    return ValueStyle(
        axis=_compact,
        readout=lambda v: formats.pct(v / base - 1.0),
        log_allowed=True,
        baseline=base,
    )


def money_style(baseline: float | None = None) -> ValueStyle:
    def axis(v: float, spacing: float) -> str:
        """One unit per axis, chosen by the tick spacing (never "$9,000" next to "$10k")."""
        sign = "-" if v < 0 else ""
        a = abs(v)
        if a < 1e-9:
            return "$0"
        if spacing >= 1e5:
            return f"{sign}${a / 1e6:,.{0 if spacing >= 1e6 else 1}f}M"
        if spacing >= 1e3:
            return f"{sign}${a / 1e3:,.0f}k"
        if spacing >= 100:
            return f"{sign}${a / 1e3:,.1f}k"
        return f"{sign}$" + _compact(a, spacing)

    return ValueStyle(axis=axis, readout=formats.money, log_allowed=True, baseline=baseline)


def percent_style(baseline: float | None = 0.0, signed: bool = True) -> ValueStyle:
    """Values are fractions (0.05 is 5 %)."""

    def axis(v: float, spacing: float) -> str:
        digits = 0 if spacing >= 0.01 else 1
        sign = "+" if signed and v > 1e-12 else ""
        return f"{sign}{v * 100:.{digits}f} %"

    return ValueStyle(axis=axis, readout=lambda v: formats.pct(v, signed=signed), log_allowed=False, baseline=baseline)


def number_style(digits: int = 2, baseline: float | None = None) -> ValueStyle:
    return ValueStyle(axis=_compact, readout=lambda v: formats.number(v, digits), log_allowed=False, baseline=baseline)


class ValueAxis(pg.AxisItem):
    """A y axis whose tick labels follow a ``ValueStyle`` (in log mode too)."""

    def __init__(self, style: ValueStyle, orientation: str = "left", **kwargs):
        super().__init__(orientation, **kwargs)
        self.value_style = style

    def tickStrings(self, values, scale, spacing):
        if self.logMode:
            out = []
            for v in values:
                real = 10.0**v
                out.append(self.value_style.axis(real, real / 10.0))
            return out
        return [self.value_style.axis(v * scale, spacing * scale) for v in values]


class CategoryAxis(pg.AxisItem):
    """A bottom axis labelling integer positions 0..n-1 with category names (e.g. years)."""

    def __init__(self, orientation: str = "bottom", **kwargs):
        super().__init__(orientation, **kwargs)
        self.categories: list[str] = []

    def set_categories(self, categories: list[str]) -> None:
        self.categories = list(categories)
        step = max(1, math.ceil(len(categories) / 20))
        major = [(i, c) for i, c in enumerate(categories) if i % step == 0]
        self.setTicks([major, []])
