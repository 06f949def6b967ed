"""A tab's place in the main window; the tab itself is built the first time it is shown or asked for.

Building all four tabs up front cost about half a second before the first
window could paint; now only the tab on screen is built at start-up, and each
other tab when the user first opens it (or when code asks for it: ``tab()``).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from rotation_desk.ui.tabs.base import Tab, TabServices
from rotation_desk.ui.tabs.compare.tab import CompareTab
from rotation_desk.ui.tabs.dca.tab import DcaTab
from rotation_desk.ui.tabs.overview.tab import OverviewTab
from rotation_desk.ui.tabs.sectors.tab import SectorsTab

# The tabs in window order (Ctrl+1 … Ctrl+4).
TAB_CLASSES: tuple[type[Tab], ...] = (OverviewTab, CompareTab, SectorsTab, DcaTab)


class TabHost(QWidget):
    built = Signal(object)  # the Tab, once

    def __init__(self, cls: type[Tab], services: TabServices, parent: QWidget | None = None):
        super().__init__(parent)
        self.cls = cls
        self.services = services
        self.built_tab: Tab | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def tab(self) -> Tab:
        """The tab, built now if it was not yet."""
        if self.built_tab is None:
            self.built_tab = self.cls(self.services)
            self._layout.addWidget(self.built_tab)
            self.built.emit(self.built_tab)
        return self.built_tab

    def showEvent(self, event):
        self.tab()
        super().showEvent(event)
