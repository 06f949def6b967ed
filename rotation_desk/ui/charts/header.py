"""A chart panel's texts: the title and subtitle above the plot and the source line under it.

They are items of the scene (not widgets), so every export carries them. Long
texts wrap to the width the layout gives them instead of widening the chart.

``ChartHeader`` is one part of ``ChartPanel`` (panel.py): it holds the three
texts and their label items; the panel places the items in its layout.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication


class WrappingLabel(pg.LabelItem):
    """A LabelItem that wraps its text to the width it is given instead of demanding the
    width of the whole text (a long subtitle would otherwise widen the chart past its pane),
    with a thin margin round the text (the plot keeps the height)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.item.document().setDocumentMargin(2)
        self.collapsed = False  # no height at all (a composite export prints the source line once)

    def collapse(self, on: bool) -> None:
        self.collapsed = on
        self.setVisible(not on)
        self.updateMin()

    def updateMin(self):
        if getattr(self, "collapsed", False):
            self.setMinimumHeight(0)
            self.setMaximumHeight(0)
            self._sizeHint = {which: (0, 0) for which in Qt.SizeHint}
            self.updateGeometry()
            return
        self.setMaximumHeight(16777215)
        width = self.geometry().width()
        self.item.setTextWidth(-1)
        if width > 40 and self.item.boundingRect().width() > width:
            self.item.setTextWidth(width)  # wrap only what does not fit (keeps right-justified text right)
        bounds = self.itemRect()
        self.setMinimumWidth(0)
        self.setMinimumHeight(bounds.height())
        self._sizeHint = {
            Qt.SizeHint.MinimumSize: (0, bounds.height()),
            Qt.SizeHint.PreferredSize: (min(bounds.width(), 400), bounds.height()),
            Qt.SizeHint.MaximumSize: (-1, -1),
            Qt.SizeHint.MinimumDescent: (0, 0),
        }
        self.updateGeometry()

    def resizeEvent(self, ev):
        natural = self.item.textWidth() < 0
        if (natural and self.item.boundingRect().width() > self.geometry().width()) or (
            not natural and self.item.textWidth() != self.geometry().width()
        ):
            self.updateMin()
        super().resizeEvent(ev)


class ChartHeader:
    """The title, subtitle and source line of ``ChartPanel`` (coloured by the panel's ``theme``)."""

    def _init_header(self) -> None:
        self._title = ""
        self._subtitle = ""
        self._source = ""
        self._title_item = WrappingLabel("", justify="left")
        self._subtitle_item = WrappingLabel("", justify="left")
        self._footer_item = WrappingLabel("", justify="right")

    def set_title(self, title: str, subtitle: str = "") -> None:
        self._title, self._subtitle = title, subtitle
        self._render_texts()

    def set_source(self, text: str) -> None:
        self._source = text
        self._render_texts()

    def title(self) -> str:
        return self._title

    def subtitle(self) -> str:
        return self._subtitle

    def source(self) -> str:
        return self._source

    def _render_texts(self) -> None:
        t = self.theme
        base = QGuiApplication.font().pointSizeF() or 10.0
        self._title_item.setText(self._title, color=t.text, size=f"{base * 1.35:.1f}pt", bold=True)
        self._subtitle_item.setText(self._subtitle, color=t.muted, size=f"{base * 0.95:.1f}pt")
        self._footer_item.setText(self._source, color=t.muted, size=f"{base * 0.8:.1f}pt")
        self._subtitle_item.setVisible(bool(self._subtitle))
