"""The layout audit (layout_audit.py) over every tab and page, at the four supported sizes, in both themes.

The window is built once per theme and resized per size. Besides the defaults, the ETF Comparison is
audited with the most funds it takes (its legend, table and chips at their fullest), the case where a
legend used to show 5 of 8 funds.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from ui.layout_audit import SIZES, THEMES, audit_window

FULL_COMPARISON = ["DFAT", "VBR", "AVUV", "EEMV", "AVDV", "DFSV", "DFIV", "IWN", "VIOV", "SLYV", "EFV", "CALF"]


@pytest.mark.slow
@pytest.mark.parametrize("theme", THEMES)
def test_every_page_fits_at_every_size(main_window, theme):
    window = main_window
    window.persist = False
    window.apply_theme(theme, save=False)
    app = QApplication.instance()
    problems = []
    for size in SIZES:
        problems += [f"{size[0]}x{size[1]} {p}" for p in audit_window(window, app, size)]
    compare = next(tab for tab in window.tab_list if tab.key == "compare")
    assert len(FULL_COMPARISON) == compare.picker.max_count
    compare.use_tickers(FULL_COMPARISON)
    for size in SIZES:
        found = audit_window(window, app, size, tabs={"compare"})
        problems += [f"{size[0]}x{size[1]} {len(FULL_COMPARISON)} funds: {p}" for p in found]
    assert not problems, f"{len(problems)} layout problems ({theme}):\n" + "\n".join(problems)


def test_metrics_table_shows_eight_rows_at_1366x768(main_window):
    window = main_window
    window.persist = False
    app = QApplication.instance()
    from rotation_desk.ui.app.smoke import _idle

    window.resize(1366, 768)
    compare = next(tab for tab in window.tab_list if tab.key == "compare")
    window.tabs.setCurrentWidget(next(h for h in window.hosts if h.cls.key == "compare"))
    compare.use_tickers(FULL_COMPARISON)
    _idle(app, compare)
    table = compare.table
    view = table.viewport().rect()
    whole = [r for r in range(table.model().rowCount()) if view.contains(table.visualRect(table.model().index(r, 0)))]
    assert table.model().rowCount() == len(FULL_COMPARISON) + 1  # and the benchmark
    assert len(whole) >= 8, f"{len(whole)} whole rows in {view.height()} px"
    assert window.size().width() == 1366 and window.size().height() == 768
