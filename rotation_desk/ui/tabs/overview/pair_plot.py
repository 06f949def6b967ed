"""One rotation pair's small plot: a one-line header over the ratio (numerator ÷ denominator, rebased
to 100 at the window start) and its 50- and 200-session averages in the same colour (thinner and
dashed), a line at 100 and the crosshair's vertical line.

The header says the pair's state in words (gain colour when it favours the rotation) and what it
measures; under the crosshair it reads the ratio and both averages at that session instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QGuiApplication, QPainter, QPen

from rotation_desk.core.rotation import MA_FAST, MA_SLOW, PairScore, RatioLines
from rotation_desk.ui.charts.axes import ValueAxis, YearsDateAxis, growth_style
from rotation_desk.ui.charts.panel import unix_seconds
from rotation_desk.ui.charts.plot import Plot
from rotation_desk.ui.kit.theme import Theme

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FAST_DASH = [2.0, 2.5]
SLOW_DASH = [7.0, 4.0]


def short_state(score: PairScore) -> str:
    """ "172 sessions: small caps ahead": the state for a narrow plot (the number survives elision)."""
    pair = score.pair
    who = pair.leader_words if score.above_slow_ma else pair.laggard_words
    n = score.sessions_in_state
    span = "All history" if n is None else f"{n} session{'s' if n != 1 else ''}"
    return f"{span}: {who} ahead"


@dataclass
class PairView:
    """What one small plot shows (the tab builds it from the core results)."""

    key: str
    title: str
    lines: RatioLines
    score: PairScore | None


@dataclass(frozen=True)
class Segment:
    text: str
    colour: str
    bold: bool = False
    short: str = ""  # used when ``text`` does not fit
    optional: bool = False  # drawn whole or not at all


class PairHeader(pg.GraphicsWidget):
    """One line over a small plot: the pair in its colour, then text segments (painted, so it never
    widens the grid). When the plot is narrow a segment falls back to its short form, then is elided;
    an optional segment is drawn whole or not at all."""

    def __init__(self):
        super().__init__()
        self.segments: list[Segment] = []
        self.font = QFont(QGuiApplication.font())
        self.font.setPointSizeF(max(8.0, self.font.pointSizeF() * 0.85))
        self.bold = QFont(self.font)
        self.bold.setBold(True)
        self.lines = 1
        self.set_lines(1)
        self.setMinimumWidth(0)

    def set_lines(self, lines: int) -> None:
        """1 (on screen) or 2: an export lets a segment that does not fit go on a second line instead of
        being shortened."""
        self.lines = lines
        self._line = QFontMetricsF(self.bold).height() + 2
        self._height = self._line * lines + 4
        self.setMinimumHeight(self._height)
        self.setMaximumHeight(self._height)
        self.updateGeometry()

    @property
    def text(self) -> str:
        return "  ".join(seg.text for seg in self.segments)

    def set_segments(self, segments: list[Segment]) -> None:
        if segments != self.segments:
            self.segments = segments
            self.update()

    def sizeHint(self, which, constraint=QSizeF()):
        return QSizeF(1e6 if which == Qt.SizeHint.MaximumSize else 0, self._height)

    def paint(self, painter: QPainter, *_args) -> None:
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        x, width = 2.0, self.rect().width() - 2.0
        top, line = 2.0, self._line
        for seg in self.segments:
            font = self.bold if seg.bold else self.font
            fm = QFontMetricsF(font)
            room = width - x
            shown = seg.text
            if fm.horizontalAdvance(shown) > room and top + line < self._height - line and x > 2.0:
                x, top, room = 2.0, top + line, width - 2.0  # the next line
            if fm.horizontalAdvance(shown) > room and top > 2.0 and not seg.optional:
                font, shown = self._fitted(font, seg, room)  # the second line: smaller rather than cut
                fm = QFontMetricsF(font)
            if fm.horizontalAdvance(shown) > room:
                if seg.optional:
                    break
                if seg.short and fm.horizontalAdvance(seg.short) <= room:
                    shown = seg.short
                elif room < fm.horizontalAdvance("…") * 3:
                    break
                else:
                    shown = fm.elidedText(seg.short or seg.text, Qt.TextElideMode.ElideRight, room)
            painter.setFont(font)
            painter.setPen(QColor(seg.colour))
            painter.drawText(
                QRectF(x, top, room, line),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                shown,
            )
            x += fm.horizontalAdvance(shown) + fm.horizontalAdvance("  ")

    @staticmethod
    def _fitted(font: QFont, seg: Segment, room: float) -> tuple[QFont, str]:
        """``seg``'s text, or its short form, in ``font`` made smaller (to 70 %) until it fits ``room``."""
        for text in (seg.text, seg.short or seg.text):
            for step in range(0, 7):
                smaller = QFont(font)
                smaller.setPointSizeF(font.pointSizeF() * (1.0 - 0.05 * step))
                if QFontMetricsF(smaller).horizontalAdvance(text) <= room:
                    return smaller, text
        return font, seg.short or seg.text


class PairCell:
    """One small plot: a one-line header, the ratio and its two averages, a 100 line and a crosshair line."""

    def __init__(self, key: str):
        self.key = key
        self.view: PairView | None = None
        self.colour = "#000000"
        self.x = np.array([])
        self.values: dict[str, np.ndarray] = {}
        self.style = growth_style()
        self.box = pg.GraphicsLayout()
        self.box.setContentsMargins(2, 2, 6, 2)
        self.box.setSpacing(0)
        self.header = PairHeader()
        self.y_axis = ValueAxis(self.style, "left")
        self.x_axis = YearsDateAxis("bottom")
        self.plot = Plot(axisItems={"bottom": self.x_axis, "left": self.y_axis})  # no menus (ui.charts.plot)
        self.plot.setClipToView(True)
        self.plot.setDownsampling(auto=True, mode="peak")
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.vb.setMouseEnabled(x=True, y=False)
        self.plot.setAutoVisible(y=True)
        self.y_axis.setWidth(44)
        self.box.addItem(self.header, row=0, col=0)
        self.box.addItem(self.plot, row=1, col=0)
        self.box.layout.setRowStretchFactor(1, 1)
        self.curves = {
            name: pg.PlotDataItem(skipFiniteCheck=True, antialias=True, name=name)
            for name in ("200-day", "50-day", "ratio")
        }
        for z, curve in enumerate(self.curves.values()):
            curve.setZValue(z)
            self.plot.addItem(curve)
        self.base = pg.InfiniteLine(pos=100.0, angle=0, movable=False)
        self.base.setZValue(-5)
        self.plot.addItem(self.base, ignoreBounds=True)
        self.vline = pg.InfiniteLine(angle=90, movable=False)
        self.vline.setVisible(False)
        self.vline.setZValue(50)
        self.plot.addItem(self.vline, ignoreBounds=True)

    def set_data(self, view: PairView) -> None:
        self.view = view
        lines = view.lines
        self.x = unix_seconds(lines.ratio.index)
        self.values = {
            "ratio": lines.ratio.to_numpy(dtype=np.float64),
            "50-day": lines.ma_fast.to_numpy(dtype=np.float64),
            "200-day": lines.ma_slow.to_numpy(dtype=np.float64),
        }
        for name, curve in self.curves.items():
            y = self.values[name]
            ok = np.isfinite(y)
            curve.setData(self.x[ok], y[ok])
        if len(self.x):
            pad = max((self.x[-1] - self.x[0]) * 0.01, 86400.0)
            self.plot.vb.setLimits(xMin=self.x[0] - pad, xMax=self.x[-1] + pad, minXRange=86400.0 * 5)

    def value_at(self, name: str, x: float) -> float | None:
        i = int(np.searchsorted(self.x, x, side="right")) - 1
        if i < 0:
            return None
        v = float(self.values[name][i])
        return v if math.isfinite(v) else None

    def snap(self, x: float) -> float | None:
        if not len(self.x):
            return None
        i = int(np.clip(np.searchsorted(self.x, x), 0, len(self.x) - 1))
        if i > 0 and abs(self.x[i - 1] - x) < abs(self.x[i] - x):
            i -= 1
        return float(self.x[i])

    # ------------------------------------------------------------------ header
    def readout(self, x: float | None = None, short: bool = False) -> str:
        """After the pair's name: its state in words or, at session ``x``, the ratio level (100 = window
        start) with its change, and the two averages ("short": the levels only)."""
        view = self.view
        if view is None:
            return ""
        if x is None:
            score = view.score
            return score.words() if score is not None else ""
        ratio, fast, slow = (self.value_at(name, x) for name in ("ratio", "50-day", "200-day"))

        def level(v):
            return "—" if v is None else f"{v:,.1f}"

        averages = f"{MA_FAST}d {level(fast)} · {MA_SLOW}d {level(slow)}"
        if short:
            return f"{level(ratio)} · {averages}"
        change = "" if ratio is None else f" ({self.style.readout(ratio)})"
        ts = pd.Timestamp(int(round(x)), unit="s")
        return f"{WEEKDAYS[ts.weekday()]} {ts:%Y-%m-%d} · ratio {level(ratio)}{change} · {averages}"

    def render_header(self, theme: Theme, cross_x: float | None) -> None:
        """The pair, then its state in words and what it measures; at the crosshair's session, the values."""
        view = self.view
        if view is None:
            return
        segments = [Segment(self.key, self.colour, bold=True)]
        if cross_x is not None:
            segments.append(Segment(self.readout(cross_x), theme.text, short=self.readout(cross_x, short=True)))
        else:
            score = view.score
            colour, short = theme.muted, ""
            if score is not None and score.above_slow_ma is not None:
                colour = theme.gain if score.above_slow_ma else theme.loss
                short = short_state(score)
            segments.append(Segment(self.readout(), colour, short=short))
            if view.title and view.title != self.key:
                segments.append(Segment(f"({view.title})", theme.muted, optional=True))
        self.header.set_segments(segments)

    def restyle(self, theme: Theme, colour: str, font: QFont, line_scale: float = 1.0) -> None:
        """Pens in the pair's colour (``line_scale``: thicker for a large export) and the axes in the theme."""
        k = line_scale
        self.colour = colour
        pen_colour = QColor(colour)
        self.curves["ratio"].setPen(pg.mkPen(pen_colour, width=1.8 * k))
        for name, dash, width in (("50-day", FAST_DASH, 1.0), ("200-day", SLOW_DASH, 1.3)):
            pen = QPen(pen_colour)
            pen.setWidthF(width * k)
            pen.setCosmetic(True)
            pen.setDashPattern(dash)
            self.curves[name].setPen(pen)
        for axis in (self.x_axis, self.y_axis):
            axis.setPen(pg.mkPen(theme.grid, width=k))
            axis.setTextPen(pg.mkPen(theme.muted))
            axis.setStyle(tickFont=font, tickTextOffset=4)
        self.base.setPen(pg.mkPen(theme.muted, width=1.0 * k))
        self.vline.setPen(pg.mkPen(theme.crosshair, width=k, style=Qt.PenStyle.DashLine))
