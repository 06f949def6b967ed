"""One ticker's trail on the relative rotation graph: its points, its line and its label, and their colours.

A ``Track`` keeps the ticker's points (dates as int64 nanoseconds, ascending,
with RS-Ratio and RS-Momentum) and the items made for it once: the tail's
line (a curve) and the label beside the marker. Moving to another date only
changes what they show. The tails' dots and the markers of all tickers are
two shared scatter items of the chart; a track carries the brush and symbol
they draw it with.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from rotation_desk.ui.kit.theme import Theme

SYMBOLS = ("o", "s", "t", "d", "h")  # marker shape per round of the 8-colour palette


@dataclass
class Track:
    """One ticker's items and points (dates as int64 nanoseconds, ascending)."""

    name: str
    dates: np.ndarray
    x: np.ndarray
    y: np.ndarray
    curve: pg.PlotCurveItem  # the tail's line
    label: pg.TextItem
    colour: str = "#000000"
    brush: object = None
    dashed: bool = False
    symbol: str = "o"
    shown: slice = field(default_factory=lambda: slice(0, 0))  # points on screen

    def items(self) -> tuple:
        return (self.curve, self.label)

    @property
    def visible(self) -> bool:
        return self.shown.stop > self.shown.start


def new_track(name: str, dates: np.ndarray, x: np.ndarray, y: np.ndarray, font: QFont) -> Track:
    """A track with its line (under the dots) and its label (over everything)."""
    curve = pg.PlotCurveItem(antialias=True, skipFiniteCheck=True)
    curve.setZValue(5)
    label = pg.TextItem(name, anchor=(0, 0.5))
    label.setZValue(30)
    label.setFont(font)
    return Track(name, dates, x, y, curve, label)


def style_tracks(tracks: list[Track], theme: Theme) -> None:
    """Each track in its palette colour (dashed and another marker shape past the palette's first round);
    labels in the text colour on a translucent base with a border of the track's colour."""
    fill = QColor(theme.base)
    fill.setAlphaF(0.72)
    for i, track in enumerate(tracks):
        track.colour = theme.series_colour(i)
        track.dashed = theme.series_dashed(i)
        track.symbol = SYMBOLS[(i // len(theme.series)) % len(SYMBOLS)]
        colour = QColor(track.colour)
        pen = pg.mkPen(colour, width=1.8)
        if track.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        track.curve.setPen(pen)
        track.brush = pg.mkBrush(colour)
        track.label.setColor(QColor(theme.text))
        track.label.fill = pg.mkBrush(fill)
        track.label.border = pg.mkPen(colour, width=1.2)
        track.label.update()
