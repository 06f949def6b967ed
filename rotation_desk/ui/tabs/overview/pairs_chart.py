"""The rotation pairs chart: small multiples, one plot per pair, plus the add-pair field.

Each small plot shows a pair's ratio (numerator ÷ denominator) rebased to 100
at the window start, with its 50- and 200-session averages in the same colour
(thinner and dashed). All pairs are readable at once; choosing one in "Show"
(or double-clicking its plot) enlarges it. The crosshair is shared: pointing
at a date in one plot reads every pair at that session in its header.

``PairsChart`` is a ``ChartPanel`` (title, subtitle, source line, toolbar,
log scale, PNG/SVG/clipboard export, messages), whose single plot is replaced
by the grid of small plots; exports therefore carry the whole grid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QGuiApplication, QPainter, QPen
from PySide6.QtWidgets import QComboBox, QCompleter, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from rotation_desk.core.pairs import check_new_pair
from rotation_desk.core.rotation import MA_FAST, MA_SLOW, PairScore, RatioLines
from rotation_desk.ui.charts.axes import ValueAxis, growth_style
from rotation_desk.ui.charts.panel import ChartPanel, unix_seconds
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.state.settings import Settings

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ALL = ""  # the "Show" selector's value for all pairs
FAST_DASH = [2.0, 2.5]
SLOW_DASH = [7.0, 4.0]


def grid_shape(n: int) -> tuple[int, int]:
    """(rows, columns) for ``n`` small plots: at most four columns, as square as the width allows."""
    if n <= 3:
        return 1, max(n, 1)
    if n == 4:
        return 2, 2
    cols = 4 if n <= 8 else min(4, math.ceil(n / 3))
    return math.ceil(n / cols), cols


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


class _Header(pg.GraphicsWidget):
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
        self._height = QFontMetricsF(self.bold).height() + 6
        self.setMinimumHeight(self._height)
        self.setMaximumHeight(self._height)
        self.setMinimumWidth(0)

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
        for seg in self.segments:
            font = self.bold if seg.bold else self.font
            fm = QFontMetricsF(font)
            room = width - x
            shown = seg.text
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
                QRectF(x, 0, room, self.rect().height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                shown,
            )
            x += fm.horizontalAdvance(shown) + fm.horizontalAdvance("  ")


class _PairCell:
    """One small plot: a one-line header, the ratio and its two averages, a 100 line and a crosshair line."""

    def __init__(self, key: str):
        self.key = key
        self.view: PairView | None = None
        self.colour = "#000000"
        self.x = np.array([])
        self.values: dict[str, np.ndarray] = {}
        self.box = pg.GraphicsLayout()
        self.box.setContentsMargins(2, 2, 6, 2)
        self.box.setSpacing(0)
        self.header = _Header()
        self.y_axis = ValueAxis(growth_style(), "left")
        self.x_axis = pg.DateAxisItem(orientation="bottom", utcOffset=0)
        self.plot = pg.PlotItem(axisItems={"bottom": self.x_axis, "left": self.y_axis})
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False, None)
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


class PairsChart(ChartPanel):
    """Small multiples of rotation pairs (see the module docstring)."""

    focusChanged = Signal(str)  # a pair key, or "" for all pairs

    def __init__(
        self,
        chart_id: str = "overview.ratios",
        *,
        theme: Theme = LIGHT,
        settings: Settings | None = None,
        parent: QWidget | None = None,
    ):
        self._cells: dict[str, _PairCell] = {}
        self._order: list[str] = []
        self._focus = ALL
        self._cross_x: float | None = None
        self._line_scale = 1.0
        self._laid_out = False
        super().__init__(chart_id, growth_style(), theme=theme, settings=settings, parent=parent)
        ci = self.view.ci
        # The panel's single plot and legend make way for the grid (their attributes stay, unused).
        ci.removeItem(self.plot_item)
        ci.removeItem(self.legend)
        self.grid = pg.GraphicsLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(6)
        ci.addItem(self.grid, row=2, col=0, colspan=2)
        self.show_box = QComboBox()
        self.show_box.setToolTip("Show all pairs side by side, or one pair large (double-click a plot to switch)")
        self.show_box.setMinimumContentsLength(18)
        self.show_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.show_box.currentIndexChanged.connect(self._show_chosen)
        self.toolbar.insertWidget(0, QLabel("Show"))
        self.toolbar.insertWidget(1, self.show_box)
        self._sync_show_box()
        scene = self.view.scene()
        self._grid_mouse = pg.SignalProxy(scene.sigMouseMoved, rateLimit=60, slot=self._grid_mouse_moved)
        scene.sigMouseClicked.connect(self._grid_clicked)
        self.view.left.connect(self.clear_crosshair)
        self.apply_theme(self.theme)

    # ------------------------------------------------------------------ data
    def set_pairs(self, views: Sequence[PairView]) -> None:
        """Show these pairs in this order; existing plots are updated in place (never rebuilt)."""
        if self.message() is not None:
            super().set_series({}, {})  # the public way back from a message to the chart
        order = [v.key for v in views]
        for key in [k for k in self._cells if k not in order]:
            del self._cells[key]
        for v in views:
            cell = self._cells.get(v.key)
            if cell is None:
                cell = self._cells[v.key] = _PairCell(v.key)
                cell.plot.setLogMode(x=False, y=self.log_scale())
            cell.set_data(v)
        changed = order != self._order or not self._laid_out
        self._order = order
        if self._focus not in self._cells:
            self._focus = ALL
        if changed:  # a range change only updates the curves: no new items, no relayout
            self._sync_show_box()
            self._relayout()
            self._restyle_cells()
        self.clear_crosshair()
        self.reset_zoom()
        if not views:
            self.show_message("No rotation pairs to show. Add one with the fields under the chart, e.g. IWM ÷ SPY.")

    def pair_keys(self) -> list[str]:
        return list(self._order)

    def cell(self, key: str) -> _PairCell:
        return self._cells[key]

    def curve_items(self) -> dict[str, dict[str, pg.PlotDataItem]]:
        return {k: dict(c.curves) for k, c in self._cells.items()}

    def header_text(self, key: str) -> str:
        return self._cells[key].header.text

    def visible_keys(self) -> list[str]:
        return [k for k in self._order if self._focus in (ALL, k)]

    # ------------------------------------------------------------------ focus
    def focus(self) -> str:
        return self._focus

    def set_focus(self, key: str) -> None:
        key = key if key in self._cells else ALL
        if key == self._focus:
            return
        self._focus = key
        self._sync_show_box()
        self._relayout()
        self.clear_crosshair()
        self.reset_zoom()
        self.focusChanged.emit(key)

    def _sync_show_box(self) -> None:
        box = self.show_box
        box.blockSignals(True)
        box.clear()
        box.addItem("All pairs", ALL)
        for key in self._order:
            view = self._cells[key].view
            title = view.title if view is not None else ""
            box.addItem(f"{key} · {title}" if title and title != key else key, key)
        box.setCurrentIndex(max(0, box.findData(self._focus)))
        box.blockSignals(False)

    def _show_chosen(self, index: int) -> None:
        self.set_focus(self.show_box.itemData(index) or ALL)

    def _relayout(self) -> None:
        self._laid_out = True
        self.grid.clear()
        keys = self.visible_keys()
        rows, cols = grid_shape(len(keys))
        for i, key in enumerate(keys):
            cell = self._cells[key]
            self.grid.addItem(cell.box, row=i // cols, col=i % cols)
            cell.x_axis.setStyle(showValues=i + cols >= len(keys))  # dates under the lowest plot of a column
        layout = self.grid.layout
        for c in range(4):
            layout.setColumnStretchFactor(c, 1 if c < cols else 0)
        for r in range(4):
            layout.setRowStretchFactor(r, 1 if r < rows else 0)

    # ------------------------------------------------------------------ crosshair
    def _cell_at(self, scene_pos: QPointF) -> _PairCell | None:
        for key in self.visible_keys():
            cell = self._cells[key]
            if cell.plot.vb.sceneBoundingRect().contains(scene_pos):
                return cell
        return None

    def _grid_mouse_moved(self, args) -> None:
        if self._exporting:
            return
        pos = args[0]
        cell = self._cell_at(pos)
        if cell is None:
            self.clear_crosshair()
            return
        self.move_pair_crosshair(cell.plot.vb.mapSceneToView(pos).x(), cell.key)

    def move_pair_crosshair(self, x: float, key: str | None = None) -> None:
        """Point at session ``x`` (Unix seconds) in every plot (snapped to ``key``'s sessions)."""
        cell = self._cells.get(key) if key else None
        snapped = cell.snap(x) if cell is not None else x
        if snapped is None:
            return
        self._cross_x = snapped
        for k in self.visible_keys():
            c = self._cells[k]
            c.vline.setPos(snapped)
            c.vline.setVisible(True)
        self._render_headers()

    def clear_crosshair(self) -> None:
        self._cross_x = None
        for c in self._cells.values():
            c.vline.setVisible(False)
        self._render_headers()

    def readout(self, key: str, x: float | None = None, short: bool = False) -> str:
        """After the pair's name: its state in words or, at the crosshair's session, the ratio level
        (100 = window start) with its change, and the two averages ("short": the levels only)."""
        cell = self._cells[key]
        view = cell.view
        if view is None:
            return ""
        if x is None:
            score = view.score
            return score.words() if score is not None else ""
        ratio, fast, slow = (cell.value_at(name, x) for name in ("ratio", "50-day", "200-day"))

        def level(v):
            return "—" if v is None else f"{v:,.1f}"

        averages = f"{MA_FAST}d {level(fast)} · {MA_SLOW}d {level(slow)}"
        if short:
            return f"{level(ratio)} · {averages}"
        change = "" if ratio is None else f" ({self.value_style.readout(ratio)})"
        ts = pd.Timestamp(int(round(x)), unit="s")
        return f"{WEEKDAYS[ts.weekday()]} {ts:%Y-%m-%d} · ratio {level(ratio)}{change} · {averages}"

    def _render_headers(self) -> None:
        """Pair, then its state in words (gain colour when it favours the rotation) and what it measures;
        under the crosshair, the values at that session instead."""
        t = self.theme
        for key, cell in self._cells.items():
            view = cell.view
            if view is None:
                continue
            segments = [Segment(key, cell.colour, bold=True)]
            if self._cross_x is not None:
                segments.append(
                    Segment(
                        self.readout(key, self._cross_x), t.text, short=self.readout(key, self._cross_x, short=True)
                    )
                )
            else:
                score = view.score
                colour, short = t.muted, ""
                if score is not None and score.above_slow_ma is not None:
                    colour = t.gain if score.above_slow_ma else t.loss
                    short = short_state(score)
                segments.append(Segment(self.readout(key), colour, short=short))
                if view.title and view.title != key:
                    segments.append(Segment(f"({view.title})", t.muted, optional=True))
            cell.header.set_segments(segments)

    # ------------------------------------------------------------------ clicks
    def _grid_clicked(self, ev) -> None:
        if not ev.double() or ev.button() != Qt.MouseButton.LeftButton:
            return
        cell = self._cell_at(ev.scenePos())
        if cell is not None:
            self.set_focus(ALL if self._focus == cell.key else cell.key)
            ev.accept()

    # ------------------------------------------------------------------ styling, log scale, zoom
    def apply_theme(self, theme: Theme) -> None:
        super().apply_theme(theme)
        if hasattr(self, "grid"):
            self._restyle_cells()

    def _restyle_cells(self) -> None:
        t, k = self.theme, self._line_scale
        font = QGuiApplication.font()
        font.setPointSizeF(max(7.5, font.pointSizeF() * 0.8))
        for i, key in enumerate(self._order):
            cell = self._cells[key]
            cell.colour = t.series_colour(i)
            colour = QColor(cell.colour)
            cell.curves["ratio"].setPen(pg.mkPen(colour, width=1.8 * k))
            for name, dash, width in (("50-day", FAST_DASH, 1.0), ("200-day", SLOW_DASH, 1.3)):
                pen = QPen(colour)
                pen.setWidthF(width * k)
                pen.setCosmetic(True)
                pen.setDashPattern(dash)
                cell.curves[name].setPen(pen)
            for axis in (cell.x_axis, cell.y_axis):
                axis.setPen(pg.mkPen(t.grid, width=k))
                axis.setTextPen(pg.mkPen(t.muted))
                axis.setStyle(tickFont=font, tickTextOffset=4)
            cell.base.setPen(pg.mkPen(t.muted, width=1.0 * k))
            cell.vline.setPen(pg.mkPen(t.crosshair, width=k, style=Qt.PenStyle.DashLine))
        self._render_headers()

    def set_log_scale(self, on: bool) -> None:
        super().set_log_scale(on)
        for cell in getattr(self, "_cells", {}).values():
            cell.plot.setLogMode(x=False, y=self.log_scale())
        self.reset_zoom()

    def reset_zoom(self) -> None:
        super().reset_zoom()
        for cell in getattr(self, "_cells", {}).values():
            cell.plot.enableAutoRange(axis="x")
            cell.plot.enableAutoRange(axis="y")
            cell.plot.vb.updateAutoRange()

    # ------------------------------------------------------------------ export
    def render_image(self, width: int, height: int, scale: float = 1.0):
        crosshair = self._cross_x
        self.clear_crosshair()
        self._line_scale = scale
        self._restyle_cells()
        try:
            return super().render_image(width, height, scale)
        finally:
            self._line_scale = 1.0
            self._restyle_cells()
            if crosshair is not None:
                self.move_pair_crosshair(crosshair)

    def export_svg(self, path, width: int, height: int):
        crosshair = self._cross_x
        self.clear_crosshair()
        try:
            return super().export_svg(path, width, height)
        finally:
            if crosshair is not None:
                self.move_pair_crosshair(crosshair)

    def default_file_name(self, fmt: str) -> str:
        stem = self.chart_id.replace(".", "-")
        ends = [c.x[-1] for c in self._cells.values() if len(c.x)]
        if ends:
            stem += f"-{pd.Timestamp(int(max(ends)), unit='s'):%Y-%m-%d}"
        return f"{stem}.{fmt}"


class PairEditor(QWidget):
    """ "Add pair [IWM] ÷ [SPY] [Add]  [Remove selected] [Default pairs]" with the reason shown on the
    fields when a pair cannot be added (unknown ticker, same ticker twice, already shown)."""

    add_requested = Signal(str)  # "NUM/DEN", already checked
    remove_requested = Signal()
    reset_requested = Signal()

    def __init__(self, known, theme: Theme = LIGHT, parent: QWidget | None = None):
        super().__init__(parent)
        self.known = known
        self.theme = theme
        self.existing: list[str] = []
        self.numerator = QLineEdit()
        self.denominator = QLineEdit()
        for edit, tip in (
            (self.numerator, "The fund expected to lead if the rotation happens (e.g. IWM)"),
            (self.denominator, "The fund it is measured against (e.g. SPY)"),
        ):
            edit.setPlaceholderText("ticker")
            edit.setMaximumWidth(90)
            edit.setToolTip(tip)
            completer = QCompleter(sorted(known()), self)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            edit.setCompleter(completer)
            edit.returnPressed.connect(self.submit)
            edit.textEdited.connect(self._clear_error)
        self.add_button = QPushButton("Add pair")
        self.add_button.clicked.connect(self.submit)
        self.remove_button = QPushButton("Remove selected")
        self.remove_button.setToolTip("Remove the pairs selected in the table")
        self.remove_button.clicked.connect(self.remove_requested)
        self.reset_button = QPushButton("Default pairs")
        self.reset_button.setToolTip("Show the seven built-in pairs again")
        self.reset_button.clicked.connect(self.reset_requested)
        self.error_label = QLabel()
        self.error_label.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(QLabel("Add pair"))
        layout.addWidget(self.numerator)
        layout.addWidget(QLabel("÷"))
        layout.addWidget(self.denominator)
        layout.addWidget(self.add_button)
        layout.addWidget(self.error_label, 1)
        layout.addStretch(0)
        layout.addWidget(self.remove_button)
        layout.addWidget(self.reset_button)

    def submit(self) -> str | None:
        key, error = check_new_pair(self.numerator.text(), self.denominator.text(), self.known(), self.existing)
        if error:
            self.show_error(error)
            return None
        self._clear_error()
        self.numerator.clear()
        self.denominator.clear()
        self.add_requested.emit(key)
        return key

    def error(self) -> str | None:
        return self.error_label.text() if self.error_label.isVisibleTo(self) else None

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setStyleSheet(f"color: {self.theme.loss};")
        self.error_label.show()
        style = f"QLineEdit {{ border: 1px solid {self.theme.loss}; border-radius: 3px; padding: 2px; }}"
        for edit in (self.numerator, self.denominator):
            edit.setStyleSheet(style)

    def _clear_error(self, *_args) -> None:
        self.error_label.hide()
        self.error_label.setText("")
        for edit in (self.numerator, self.denominator):
            edit.setStyleSheet("")

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        if self.error():
            self.show_error(self.error_label.text())
