"""Value styles (how a chart's numbers read) and the axis items that use them."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetricsF

from rotation_desk.ui.kit import formats


@dataclass(frozen=True)
class ValueStyle:
    """How a chart's y values are written on the axis and in the crosshair readout."""

    axis: Callable[[float, float], str]  # (value, tick spacing) -> tick label
    readout: Callable[[float], str]
    log_allowed: bool = True
    baseline: float | None = None  # a reference line (100 for growth, 0 for returns)
    # given every labelled tick value of an axis, the one way all its labels are written (e.g. one unit)
    axis_format: Callable[[Sequence[float]], Callable[[float], str]] | None = None


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


def _decimals(values: Sequence[float], most: int = 3) -> int:
    """The fewest decimals (up to ``most``) that write every value exactly (0.5 → 1, 0.25 → 2)."""
    for d in range(most + 1):
        if all(abs(v * 10**d - round(v * 10**d)) < 1e-6 * max(1.0, abs(v) * 10**d) for v in values):
            return d
    return most


def money_axis_format(values: Sequence[float]) -> Callable[[float], str]:
    """How every tick of one money axis is written: one unit for the whole axis, chosen by its largest
    tick ($M from a million, $k from ten thousand or whole thousands, else dollars), with the decimals
    its ticks need in that unit: "$50k, $100k, $150k" or "$0.5M, $1.0M", never "$0.2M" beside "$150k"."""
    finite = [v for v in values if math.isfinite(v)]
    top = max((abs(v) for v in finite), default=0.0)
    if top >= 1e6:
        unit, suffix = 1e6, "M"
    elif top >= 1e4 or top >= 1e3 and all(abs(v / 1e3 - round(v / 1e3)) < 1e-6 for v in finite):
        unit, suffix = 1e3, "k"
    else:
        unit, suffix = 1.0, ""
    digits = _decimals([v / unit for v in finite], 3 if suffix else 2)

    def label(v: float) -> str:
        if abs(v) < 1e-9 * max(top, 1.0):
            return "$0"
        sign = "-" if v < 0 else ""
        return f"{sign}${abs(v) / unit:,.{digits}f}{suffix}"

    return label


def money_ticks(values: Sequence[float]) -> list[str]:
    """The labels of an axis whose ticks are ``values`` (see ``money_axis_format``)."""
    label = money_axis_format(values)
    return [label(v) for v in values]


def money_style(baseline: float | None = None) -> ValueStyle:
    def axis(v: float, spacing: float) -> str:
        return money_axis_format([v, v + spacing])(v)

    return ValueStyle(
        axis=axis, readout=formats.money, log_allowed=True, baseline=baseline, axis_format=money_axis_format
    )


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
    """A y axis whose tick labels follow a ``ValueStyle`` (in log mode too). Labels are drawn for the
    major and minor ticks only; a style with ``axis_format`` writes all of them one way."""

    def __init__(self, style: ValueStyle, orientation: str = "left", **kwargs):
        super().__init__(orientation, **kwargs)
        self.value_style = style
        self.setStyle(maxTextLevel=1)
        self._labelled: list[float] = []  # every labelled tick of the axis as last laid out (real values)

    def _real(self, v: float, scale: float = 1.0) -> float:
        return 10.0**v if self.logMode else v * scale

    def tickValues(self, min_value, max_value, size):
        levels = super().tickValues(min_value, max_value, size)
        self._labelled = [self._real(v, self.scale) for _spacing, values in levels[:2] for v in values]
        return levels

    def tickStrings(self, values, scale, spacing):
        style = self.value_style
        if style.axis_format is not None:
            label = style.axis_format(self._labelled or [self._real(v, scale) for v in values])
            return [label(self._real(v, scale)) for v in values]
        if self.logMode:
            out = []
            for v in values:
                real = 10.0**v
                out.append(style.axis(real, real / 10.0))
            return out
        return [style.axis(v * scale, spacing * scale) for v in values]


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


YEAR_SECONDS = 365.2425 * 86400.0


class YearsDateAxis(pg.DateAxisItem):
    """A date axis (Unix seconds, ``utcOffset=0``) that keeps at least two date labels on a narrow plot:
    where pyqtgraph's yearly ticks would be too dense to label (a small multiple 150 px wide over five
    years shows one year), the labels go every N years, N chosen so they fit."""

    def __init__(self, orientation: str = "bottom", **kwargs):
        kwargs.setdefault("utcOffset", 0)
        super().__init__(orientation=orientation, **kwargs)
        self._every: int | None = None

    def tickValues(self, min_value, max_value, size):
        self._every = None
        span_years = (max_value - min_value) / YEAR_SECONDS
        if size <= 0 or span_years < 1.5:
            return super().tickValues(min_value, max_value, size)
        label = self._label_width()
        fit = max(2, int(size // label))
        if span_years + 1 <= fit:
            return super().tickValues(min_value, max_value, size)
        first = pd.Timestamp(int(min_value), unit="s").year + 1
        last = pd.Timestamp(int(max_value), unit="s").year
        every = max(1, math.ceil((last - first + 1) / fit))
        while every > 1 and (last - first) // every + 1 < 2:
            every -= 1
        years = list(range(last, first - 1, -every))[::-1]  # the latest year always labelled
        self._every = every
        return [(every * YEAR_SECONDS, [pd.Timestamp(year=y, month=1, day=1).timestamp() for y in years])]

    def tickStrings(self, values, scale, spacing):
        if self._every is None:
            return super().tickStrings(values, scale, spacing)
        return [f"{pd.Timestamp(int(round(v)), unit='s').year}" for v in values]

    def _label_width(self) -> float:
        font = self.style.get("tickFont") or QFont()
        return QFontMetricsF(font).horizontalAdvance("2026") * 1.8
