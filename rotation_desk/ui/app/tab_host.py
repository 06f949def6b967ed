"""A tab's place in the main window; the tab itself is built the first time it is shown or asked for.

Building all four tabs up front cost about half a second before the first
window could paint; now only the tab on screen is built at start-up, and each
other tab when the user first opens it (or when code asks for it: ``tab()``).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from rotation_desk.ui.kit.lazy_page import LazyPage
from rotation_desk.ui.tabs.base import Tab, TabServices


@dataclass(frozen=True)
class TabEntry:
    """A tab's title and key for the tab bar and menus, and where its class lives: the module is imported
    when the tab is first built (at start-up only the tab on screen is; importing all four cost ~0.3 s
    before the first paint). ``tests/ui/test_main_window.py`` checks title and key against the class."""

    key: str
    title: str
    target: str  # "module:Class"
    file_actions: tuple[tuple[str, str], ...] = ()  # (File menu label, method of the tab): the window adds them

    @property
    def cls(self) -> type[Tab]:
        module, name = self.target.split(":")
        return getattr(importlib.import_module(module), name)

    @property
    def views(self) -> tuple[str, ...]:
        return self.cls.views

    def __call__(self, services: TabServices) -> Tab:
        return self.cls(services)


# The tabs in window order (Ctrl+1 … Ctrl+4).
TAB_CLASSES: tuple[TabEntry, ...] = (
    TabEntry("overview", "Market Overview", "rotation_desk.ui.tabs.overview.tab:OverviewTab"),
    TabEntry("compare", "ETF Comparison", "rotation_desk.ui.tabs.compare.tab:CompareTab"),
    TabEntry("sectors", "Sector Tilts", "rotation_desk.ui.tabs.sectors.tab:SectorsTab"),
    TabEntry(
        "dca",
        "DCA Planner",
        "rotation_desk.ui.tabs.dca.tab:DcaTab",
        file_actions=(("Import buys from CSV…", "import_buys_dialog"),),
    ),
)


class TabHost(LazyPage):
    """A tab's place in the window: the tab is built when first shown or asked for (``tab()``)."""

    def __init__(self, cls: TabEntry, services: TabServices, parent: QWidget | None = None):
        super().__init__(lambda: cls(services), parent)
        self.cls = cls
        self.services = services

    @property
    def built_tab(self) -> Tab | None:
        return self.built_page

    def tab(self) -> Tab:
        """The tab, built now if it was not yet."""
        return self.page()
