"""The shared table: model without a window, sorting on raw values, copy, CSV with formula escaping."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from rotation_desk.ui.kit.theme import LIGHT
from rotation_desk.ui.tables.table import RAW_ROLE, Column, DataFrameModel, DataTable

COLUMNS = [
    Column("ticker", "Ticker"),
    Column("note", "Note"),
    Column("ret", "1Y", kind="percent", signed=True, colour="sign"),
    Column("fee", "Fee", kind="money"),
    Column("first", "First", kind="date"),
]


def frame():
    return pd.DataFrame(
        {
            "ticker": ["VBR", "SPY", "DFAT"],
            "note": ['=HYPERLINK("http://x")', "+1 call", "@SUM(A1)"],
            "ret": [0.1234, -0.05, np.nan],
            "fee": [5.0, 9.45, 28.0],
            "first": pd.to_datetime(["2004-01-30", "1993-01-29", "2021-06-14"]),
        }
    )


def test_model_formats_without_a_window(qapp):
    model = DataFrameModel(LIGHT)
    model.set_frame(frame(), COLUMNS)
    assert model.rowCount() == 3 and model.columnCount() == 5
    assert model.index(0, 2).data() == "+12.3 %"
    assert model.index(1, 2).data() == "-5.0 %"
    assert model.index(2, 2).data() == "—"
    assert model.index(1, 3).data() == "$9.45"
    assert model.index(2, 4).data() == "2021-06-14"
    # gains and losses in the theme's colour-blind-safe colours
    assert model.index(0, 2).data(Qt.ItemDataRole.ForegroundRole).color().name().lower() == LIGHT.gain.lower()
    assert model.index(1, 2).data(Qt.ItemDataRole.ForegroundRole).color().name().lower() == LIGHT.loss.lower()
    assert model.index(0, 2).data(RAW_ROLE) == pytest.approx(0.1234)


def test_sorting_uses_numbers_and_keeps_missing_last(qtbot):
    table = DataTable("t", LIGHT)
    qtbot.addWidget(table)
    table.set_frame(frame(), COLUMNS)
    table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert [r[0] for r in table.displayed_rows()] == ["SPY", "VBR", "DFAT"]
    table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert [r[0] for r in table.displayed_rows()] == ["VBR", "SPY", "DFAT"]
    table.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # money sorts as numbers: 28 > 9.45 > 5
    assert [r[0] for r in table.displayed_rows()] == ["DFAT", "SPY", "VBR"]


def test_copy_selection_as_displayed(qtbot):
    table = DataTable("t", LIGHT)
    qtbot.addWidget(table)
    table.set_frame(frame(), COLUMNS)
    table.show()
    table.selectAll()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    text = QGuiApplication.clipboard().text()
    lines = text.splitlines()
    assert lines[0].split("\t") == ["Ticker", "Note", "1Y", "Fee", "First"]
    assert lines[1].split("\t")[0] == "VBR" and lines[1].split("\t")[2] == "+12.3 %"


def test_csv_escapes_formulas_and_keeps_numbers(tmp_path, qtbot):
    table = DataTable("t", LIGHT)
    qtbot.addWidget(table)
    table.set_frame(frame(), COLUMNS)
    path = table.export_csv(tmp_path / "out.csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[0] == ["Ticker", "Note", "1Y (%)", "Fee ($)", "First"]
    notes = [r[1] for r in rows[1:]]
    assert notes == ['\'=HYPERLINK("http://x")', "'+1 call", "'@SUM(A1)"]
    assert rows[2][2] == "-5.0"  # a negative number stays a number, not escaped
    assert float(rows[1][2]) == pytest.approx(12.34)
    assert rows[3][2] == ""  # missing stays empty
    assert rows[1][4] == "2004-01-30"


def test_csv_to_unwritable_place_names_the_problem(tmp_path, qtbot):
    from rotation_desk.errors import EnvironmentProblem

    table = DataTable("t", LIGHT)
    qtbot.addWidget(table)
    table.set_frame(frame(), COLUMNS)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = blocker / "sub" / "out.csv"
    with pytest.raises(EnvironmentProblem) as caught:
        table.export_csv(out)
    assert str(caught.value) == f"{out}: cannot export the table: a part of the path is a file, not a folder"


def test_rows_are_formatted_when_first_shown(qapp):
    """A long table pays only for the rows that are shown (or sorted); the text is the same."""
    model = DataFrameModel(LIGHT)
    big = pd.DataFrame({"ticker": [f"T{i}" for i in range(5000)], "ret": np.linspace(-0.5, 0.5, 5000)})
    model.set_frame(big, [Column("ticker"), Column("ret", kind="percent", signed=True)])
    assert sum(row is not None for row in model._text._cache) == 0
    assert model.index(4999, 1).data() == "+50.0 %"
    assert sum(row is not None for row in model._text._cache) == 1


def wide_frame(rows: int = 40) -> tuple[pd.DataFrame, list[Column]]:
    data = {"ticker": [f"T{i:02d}" for i in range(rows)]}
    columns = [Column("ticker", "Ticker")]
    for j in range(14):
        data[f"c{j}"] = np.linspace(-0.5, 0.5, rows) * (j + 1)
        columns.append(Column(f"c{j}", f"Metric number {j}", kind="percent", signed=True))
    return pd.DataFrame(data), columns


def test_first_column_stays_when_scrolled_sideways(qtbot):
    table = DataTable("t")
    qtbot.addWidget(table)
    table.resize(420, 300)
    table.set_frame(*wide_frame())
    table.show()
    qtbot.waitExposed(table)
    frozen = table.frozen
    bar = table.horizontalScrollBar()
    assert bar.maximum() > 0  # the table is wider than its view
    bar.setValue(bar.maximum())
    qtbot.wait(10)
    assert table.columnViewportPosition(0) < 0  # the table's own first column scrolled away...
    # ...and the frozen one sits over the left edge, showing only that column, as wide as it
    assert frozen.isVisible() and frozen.x() == table.frameWidth() and frozen.width() == table.columnWidth(0)
    assert [c for c in range(frozen.model().columnCount()) if not frozen.isColumnHidden(c)] == [0]
    assert frozen.model() is table.model() and frozen.selectionModel() is table.selectionModel()
    assert frozen.model().headerData(0, Qt.Orientation.Horizontal) == "Ticker"
    row_at = frozen.indexAt(frozen.viewport().rect().center())
    assert row_at.column() == 0 and row_at.data() == table.model().index(row_at.row(), 0).data()

    # rows scroll together, both ways
    table.verticalScrollBar().setValue(table.verticalScrollBar().maximum())
    assert frozen.verticalScrollBar().value() == table.verticalScrollBar().value() > 0
    frozen.verticalScrollBar().setValue(3)
    assert table.verticalScrollBar().value() == 3
    assert frozen.rowAt(0) == table.rowAt(0) == 3 and frozen.rowViewportPosition(3) == table.rowViewportPosition(3)

    # a sort from either header gives both views the same order
    table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    assert frozen.horizontalHeader().sortIndicatorSection() == 3
    first = frozen.model().index(0, 0).data()
    assert first == table.raw_column("ticker")[0] == "T39"
    frozen.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    assert table.raw_column("ticker")[:2] == ["T00", "T01"]
    assert table.horizontalHeader().sortIndicatorSection() == 0

    # the column's width follows the table's
    table.setColumnWidth(0, 90)
    assert frozen.width() == 90 and frozen.columnWidth(0) == 90

    # selecting a cell under the frozen column selects it in the table (shared selection)
    frozen.selectionModel().select(frozen.model().index(2, 0), frozen.selectionModel().SelectionFlag.Select)
    assert table.selection_text() == "T02"


def test_double_click_on_the_frozen_column_reaches_the_table(qtbot):
    table = DataTable("t")
    qtbot.addWidget(table)
    table.resize(420, 300)
    table.set_frame(*wide_frame(5))
    table.show()
    qtbot.waitExposed(table)
    seen = []
    table.doubleClicked.connect(lambda index: seen.append(index.data()))
    frozen = table.frozen
    rect = frozen.visualRect(frozen.model().index(1, 0))
    qtbot.mouseClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seen == ["T01"]
