"""``LazyPage``: a page built the first time it is shown or reached (``page()``), so what is not on
screen costs nothing before the window's first paint. The main window's tabs are ones
(``ui.app.tab_host``), and so are pages behind a tab's first page (the Market Overview's)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyPage(QWidget):
    built = Signal(object)  # the page, once

    def __init__(self, build: Callable[[], QWidget], parent: QWidget | None = None):
        super().__init__(parent)
        self._build = build
        self.built_page: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def page(self) -> QWidget:
        """The page, built now if it was not yet."""
        if self.built_page is None:
            self.built_page = self._build()
            self._layout.addWidget(self.built_page)
            self.built_page.show()  # with this page now (a layout shows a new child on the next event loop run)
            self.built.emit(self.built_page)
        return self.built_page

    def showEvent(self, event):
        self.page()
        super().showEvent(event)
