"""The first column of a table kept on screen when the table scrolls sideways (Qt's frozen-column pattern).

A second view over the same model and selection shows only the first column, laid over the table's
left edge. It follows the table: the rows scroll together, the column's width and the row heights
match, a sort (from either header) shows the same order, and clicks, double-clicks and the context
menu on it act on the table.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFrame, QHeaderView, QTableView


class FrozenColumn(QTableView):
    """The first column of ``table``, always at its left edge (see the module docstring)."""

    def __init__(self, table: QTableView):
        super().__init__(table)
        self.table = table
        self.setModel(table.model())
        self.setSelectionModel(table.selectionModel())
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(table.verticalScrollMode())
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(table.verticalHeader().defaultSectionSize())
        self.setSortingEnabled(True)
        self.setShowGrid(table.showGrid())
        self.setAlternatingRowColors(table.alternatingRowColors())
        self.setWordWrap(table.wordWrap())
        self.setSelectionBehavior(table.selectionBehavior())
        self.setSelectionMode(table.selectionMode())
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setDefaultAlignment(table.horizontalHeader().defaultAlignment())
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.doubleClicked.connect(table.doubleClicked)
        self.clicked.connect(table.clicked)
        self.pressed.connect(lambda _index: table.setFocus())
        self.setToolTip(table.toolTip())

        # the rows scroll together; the column keeps the table's width and sort
        self.verticalScrollBar().valueChanged.connect(table.verticalScrollBar().setValue)
        table.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        table.horizontalHeader().sectionResized.connect(self._section_resized)
        table.horizontalHeader().sortIndicatorChanged.connect(self._sorted)
        header.sortIndicatorChanged.connect(self._sorted_here)
        table.model().modelReset.connect(self.refresh)
        table.model().layoutChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Only the first column shown, as wide as the table's; placed again."""
        model = self.model()
        for c in range(model.columnCount()):
            self.setColumnHidden(c, c != 0)
        if model.columnCount():
            self.setColumnWidth(0, self.table.columnWidth(0))
        header = self.table.horizontalHeader()
        self.horizontalHeader().setSortIndicatorShown(header.isSortIndicatorShown())
        self.horizontalHeader().setSortIndicator(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.place()

    def place(self) -> None:
        """Over the table's left edge, from the top of its header to the bottom of its rows."""
        table = self.table
        shown = table.model().columnCount() > 0 and not table.isColumnHidden(0)
        self.setVisible(shown)
        if not shown:
            return
        frame = table.frameWidth()
        self.horizontalHeader().setFixedHeight(table.horizontalHeader().height())
        self.setGeometry(
            frame + table.verticalHeader().width(),
            frame,
            table.columnWidth(0),
            table.viewport().height() + table.horizontalHeader().height(),
        )
        self.verticalScrollBar().setValue(table.verticalScrollBar().value())
        self.raise_()

    def _section_resized(self, index: int, _old: int, size: int) -> None:
        if index == 0:
            self.setColumnWidth(0, size)
            self.place()

    def _sorted(self, section: int, order: Qt.SortOrder) -> None:
        header = self.horizontalHeader()
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != (section, order):
            header.blockSignals(True)
            header.setSortIndicator(section, order)
            header.blockSignals(False)

    def _sorted_here(self, section: int, order: Qt.SortOrder) -> None:
        """A click on this header sorts the table (the model is shared, so both show the new order)."""
        if section >= 0:
            self.table.sortByColumn(section, order)

    def _context_menu(self, pos: QPoint) -> None:
        target = self.table.viewport().mapFromGlobal(self.viewport().mapToGlobal(pos))
        self.table.customContextMenuRequested.emit(target)

    def scroll_hides(self, index) -> bool:
        """Whether the table's cell at ``index`` sits under this column (keyboard moves scroll it clear)."""
        return index.column() > 0 and self.table.visualRect(index).left() < self.width()


def keep_clear(table: QTableView, frozen: FrozenColumn, index, hint) -> None:
    """Scroll ``table`` so the cell at ``index`` is not under the frozen column."""
    if frozen.isVisible() and frozen.scroll_hides(index):
        bar = table.horizontalScrollBar()
        bar.setValue(bar.value() + table.visualRect(index).left() - frozen.width())
