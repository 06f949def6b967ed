"""Longer history by proxy, the parts every tab shares: the "Extend history" row and the proxied spans in charts.

- ``ProxyBar``: a button whose menu has one submenu per fund (of a comparison, of a plan) that ships suggested proxies
  (``data.proxies``): "None" and each candidate with its correlation and tracking difference measured
  over the overlap (``core.proxy_fit``, figures in the tooltip); the user's choice is emitted as
  ``chosen(fund, proxy or "")``. Beside it, the one line saying which proxy is used until when
  (``proxies.statement``).
- ``ProxyShading``: a light translucent band over each fund's proxied span, in the fund's series colour,
  labelled "DFAT: VBR's returns" at its right edge (a neutral band when the chart's series are not funds).
- ``active``, ``spliced_closes``, ``used``, ``span``, ``statement``: which proxies apply, the closes through
  ``data.prepared.load_spliced`` (the splice of ``rotation-desk metrics --proxy``, so a tab's figures equal
  the command line's), which splices reach into a window, and the page's one line.
- ``MarkedColumn``, ``ticker_tip``: a table's ticker column reading "DFAT ᵖ" for a proxied fund, and its tooltip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtGui import QActionGroup, QColor
from PySide6.QtWidgets import QHBoxLayout, QMenu, QToolButton, QWidget

from rotation_desk.core.proxy import Splice
from rotation_desk.data.prepared import load_spliced
from rotation_desk.errors import BadInput, DataUnavailable
from rotation_desk.ui.charts.panel import ChartPanel, unix_seconds
from rotation_desk.ui.kit.elided import ElidedLabel
from rotation_desk.ui.kit.theme import Theme
from rotation_desk.ui.tables.columns import Column

MARK = "ᵖ"  # after a ticker whose figures use a proxy's returns


def active(chosen: Mapping[str, str], funds: Iterable[str]) -> dict[str, str]:
    """The remembered proxies of the funds compared now (a proxy that is itself compared stays a plain series)."""
    funds = list(funds)
    return {f: p for f, p in chosen.items() if f in funds}


def spliced_closes(market, names: Sequence[str], proxies: Mapping[str, str]) -> tuple[pd.DataFrame, dict[str, Splice]]:
    """The closes of ``names`` with the proxied funds extended; a refusal says the pair without the
    command line's "--proxy" (the page's sentence)."""
    if not proxies:
        return market.closes(list(names)), {}
    try:
        closes, _instruments, splices = load_spliced(market, names, proxies)
    except (BadInput, DataUnavailable) as exc:
        text = str(exc).removeprefix("--proxy ")
        raise type(exc)(f"Extend history: {text}") from None
    return closes, splices


def through(prepare, chosen: Mapping[str, str], **kwargs):
    """A page's ``prepare`` (``CurrencyBar.prepare``: ``data.prepared.prepare``, the command line's path) with
    the chosen proxies; a refusal of a proxy in the page's words ("Extend history: DFAT=…")."""
    try:
        return prepare(proxies=dict(chosen) or None, **kwargs)
    except (BadInput, DataUnavailable) as exc:
        text = str(exc)
        if not text.startswith("--proxy "):
            raise
        raise type(exc)(f"Extend history: {text.removeprefix('--proxy ')}") from None


def used(splices: Mapping[str, Splice], starts: Mapping[str, pd.Timestamp]) -> dict[str, Splice]:
    """The splices whose proxied span reaches into the window: the fund's first close shown (``starts``)
    is before its own first close."""
    return {t: s for t, s in splices.items() if t in starts and pd.Timestamp(starts[t]) < s.until}


def span(splice: Splice, first: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The dates shaded in a chart starting at ``first``: the proxy's closes in the window."""
    return max(splice.proxy_first, pd.Timestamp(first)), splice.until


def statement(splices: Mapping[str, Splice], where: str = f"shaded in the charts, marked {MARK} in the table") -> str:
    """The page's one line (empty when no proxy is used)."""
    if not splices:
        return ""
    parts = "; ".join(s.label() for s in splices.values())
    return f"Extended by proxy: {parts} · {where}"


def source_note(splices: Mapping[str, Splice]) -> str:
    """ " · shaded: DFAT before 2021-06-14: VBR's returns" for the charts' source line."""
    if not splices:
        return ""
    return " · shaded: " + "; ".join(s.label() for s in splices.values())


def ticker_tip(splice: Splice) -> str:
    return (
        f"{splice.label()} (from {splice.proxy_first:%Y-%m-%d}, {splice.sessions:,} closes): every figure "
        f"in this row uses them before {splice.until:%Y-%m-%d}; {splice.ticker}'s own prices are unchanged"
    )


@dataclass(frozen=True)
class MarkedColumn(Column):
    """The ticker column: a proxied fund reads "DFAT ᵖ" (its raw value, sort key and CSV stay "DFAT")."""

    marked: tuple[str, ...] = ()

    def display(self, value) -> str:
        text = super().display(value)
        return f"{text} {MARK}" if value in self.marked else text


Suggestions = Callable[[], Mapping[str, Sequence]]  # data.proxies.suggestions


def choice_text(s) -> str:
    """ "VBR · correlation 0.98 · tracking difference +1.8 % a year" (a ``SuggestedProxy``)."""
    return (
        f"{s.proxy} · correlation {s.correlation:.2f} · tracking difference {s.tracking_difference * 100:+.1f} % a year"
    )


def choice_tip(s) -> str:
    return (
        f"{s.describe()}\nTracking difference: {s.ticker}'s CAGR minus {s.proxy}'s over the overlap; "
        f"tracking error {s.tracking_error * 100:.1f} % a year; beta {s.beta:.2f}"
    )


class ProxyBar(QWidget):
    chosen = Signal(str, str)  # fund, proxy ("" for none)

    def __init__(self, suggestions: Suggestions, theme: Theme, parent: QWidget | None = None):
        super().__init__(parent)
        self.suggestions = suggestions
        self.funds: list[str] = []
        self.current: dict[str, str] = {}
        self._offer = False
        self.show_label = True  # False: the page shows the line itself
        self.menu = QMenu(self)
        self.menu.setToolTipsVisible(True)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.button = QToolButton(text="Extend history")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setMenu(self.menu)
        self.button.setToolTip(
            "Extend a short-history fund back with a proxy's daily returns before its first close\n"
            "(its own prices never change). The choice is remembered per fund."
        )
        self.label = ElidedLabel("")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.button)
        layout.addWidget(self.label, 1)
        self.apply_theme(theme)

    def set_funds(self, funds: Sequence[str], current: Mapping[str, str]) -> None:
        """The funds compared and their chosen proxies; the button counts the active ones."""
        self.funds, self.current = list(funds), dict(current)
        on = active(self.current, self.funds)
        self.button.setText(f"Extend history ({len(on)})" if on else "Extend history")
        self._offer = any(self.suggestions().get(f) for f in self.funds) or bool(on)
        self._sync()

    def say(self, text: str) -> None:
        self.label.setText(text)
        self._sync()

    def _sync(self) -> None:
        """The button when a fund has a proxy to offer; the line when it says something (``show_label``);
        the row when either is in it (a page may place the button elsewhere, e.g. in its window bar)."""
        own = self.button.parentWidget() is self
        text = self.show_label and bool(self.label.text())
        self.button.setVisible(self._offer)
        self.label.setVisible(text)
        self.setVisible(own and self._offer or text)

    def _fill_menu(self) -> None:
        self.menu.clear()
        found = self.suggestions()
        offered = [f for f in self.funds if found.get(f) or f in self.current]
        if not offered:
            self.menu.addAction("No fund compared here has a suggested proxy").setEnabled(False)
            return
        for fund in offered:
            self.fund_menu(fund, found.get(fund, ()))

    def fund_menu(self, fund: str, items: Sequence) -> QMenu:
        """The submenu of one fund: "None" and the candidates (checkable, one chosen)."""
        chosen = self.current.get(fund, "")
        sub = self.menu.addMenu(f"{fund} via {chosen}" if chosen else fund)
        sub.setToolTipsVisible(True)
        group = QActionGroup(sub)
        options = [("", f"None: {fund}'s own history only", "")]
        options += [(s.proxy, choice_text(s), choice_tip(s)) for s in items]
        if chosen and chosen not in [o[0] for o in options]:
            options.append((chosen, chosen, ""))
        for proxy, text, tip in options:
            action = sub.addAction(text)
            action.setCheckable(True)
            action.setChecked(proxy == chosen)
            action.setToolTip(tip or text)
            group.addAction(action)
            action.triggered.connect(lambda _on=False, f=fund, p=proxy: self.chosen.emit(f, p))
        return sub

    def apply_theme(self, theme: Theme) -> None:
        self.label.setStyleSheet(f"color: {theme.muted};")


class ProxyShading:
    """The bands of the proxied spans on a set of chart panels (replaced on each comparison)."""

    LINE = 18  # pixels between the labels of spans that end close together

    def __init__(self):
        self.items: dict[ChartPanel, list] = {}
        self.labels: dict[ChartPanel, list[pg.InfLineLabel]] = {}
        self.low: tuple[ChartPanel, ...] = ()  # panels whose labels sit at the bottom (drawdowns fill the top)

    def place(self, panel: ChartPanel) -> None:
        """Stack the labels a text line apart whatever the plot's height (on each resize)."""
        step = min(0.25, self.LINE / max(panel.vb.height(), 1.0))
        low = panel in self.low
        for k, label in enumerate(self.labels.get(panel, [])):
            label.setPosition(min(0.03 + (k + 1) * step, 0.95) if low else max(0.97 - k * step, 0.05))

    def clear(self) -> None:
        for panel, items in self.items.items():
            for item in items:
                panel.remove_item(item)
        self.items = {}
        self.labels = {p: [] for p in self.labels}  # the panels stay connected to ``place``

    def show(
        self,
        panels: Sequence[ChartPanel],
        splices: Mapping[str, Splice],
        starts: Mapping[str, pd.Timestamp],
        colours: Mapping[str, str],
        theme: Theme,
        low: Sequence[ChartPanel] = (),
    ) -> None:
        self.clear()
        self.low = tuple(low)
        back = QColor(theme.base)
        back.setAlphaF(0.75)
        for panel in panels:
            items = self.items.setdefault(panel, [])
            if panel not in self.labels:
                panel.vb.sigResized.connect(lambda *_a, p=panel: self.place(p))
            self.labels[panel] = []
            for fund, splice in splices.items():
                x0, x1 = unix_seconds(pd.DatetimeIndex(span(splice, starts[fund])))
                fill = QColor(colours.get(fund, theme.muted))
                fill.setAlphaF(0.13 if theme.dark else 0.10)
                region = pg.LinearRegionItem((x0, x1), movable=False, brush=fill, pen=pg.mkPen(None))
                region.setZValue(-10)
                region.setToolTip(splice.label())
                label = pg.InfLineLabel(
                    region.lines[1],
                    text=f"{fund}: {splice.proxy}'s returns",
                    anchors=[(1, 0), (1, 0)],
                    color=theme.muted,
                    fill=back,
                )
                panel.add_item(region, ignore_bounds=True)
                items.append(region)
                self.labels[panel].append(label)
            self.place(panel)
