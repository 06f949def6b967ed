"""The main window's menu bar and toolbar, built from the window's actions (main_window.py holds them)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QToolBar


def build_menus(w) -> None:
    """The menu bar: File, Data, View, Help."""
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(w.import_action)
    for host in w.hosts:  # a tab's own file actions (the DCA Planner's Import buys from CSV…), tab built when used
        for label, method in host.cls.file_actions:
            act = file_menu.addAction(label)
            act.triggered.connect(lambda _=False, h=host, m=method: w.tab_file_action(h, m))
    file_menu.addSeparator()
    file_menu.addAction(w.export_action)
    file_menu.addAction(w.export_table_action)
    file_menu.addAction(w.report_action)
    file_menu.addSeparator()
    file_menu.addAction(w.settings_action)
    file_menu.addSeparator()
    file_menu.addAction(w.quit_action)
    data_menu = bar.addMenu("&Data")
    data_menu.addAction(w.refresh_action)
    data_menu.addAction(w.full_refresh_action)
    details = data_menu.addAction("Last refresh details…")
    details.triggered.connect(w.status.show_details)
    data_menu.addSeparator()
    health = data_menu.addAction("Data &health…")
    health.setToolTip("Gaps, suspicious jumps, staleness and refresh results per ticker; re-fetch, remove, export")
    health.triggered.connect(lambda: w.open_data_health())
    view_menu = bar.addMenu("&View")
    for act in w.tab_actions:
        view_menu.addAction(act)
    view_menu.addSeparator()
    range_menu = view_menu.addMenu("&Range")
    for act in w.range_controls.actions():
        range_menu.addAction(act)
    theme_menu = view_menu.addMenu("&Theme")
    for act in w.theme_actions.values():
        theme_menu.addAction(act)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(w.help_action)
    help_menu.addAction(w.about_action)


def build_toolbar(w) -> QToolBar:
    """Refresh, export, the range controls, the benchmark box, settings."""
    tb = QToolBar("Main toolbar", w)
    tb.setObjectName("main-toolbar")
    tb.setMovable(False)
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    tb.addAction(w.refresh_action)
    tb.addAction(w.export_action)
    tb.addSeparator()
    tb.addWidget(QLabel(" Range "))
    for act in w.range_controls.actions():
        tb.addAction(act)
    tb.addSeparator()
    tb.addWidget(QLabel(" Benchmark "))
    w.benchmark_box = QComboBox()
    w.benchmark_box.setToolTip("What relative figures (beta, capture, RRG, DCA comparison) are measured against")
    w.benchmark_box.addItems(w.market.ticker_names())
    w.benchmark_box.setCurrentText(w.view_state.benchmark)
    w.benchmark_box.setMinimumContentsLength(6)
    w.benchmark_box.currentTextChanged.connect(w._benchmark_chosen)
    tb.addWidget(w.benchmark_box)
    tb.addSeparator()
    tb.addAction(w.settings_action)
    w.addToolBar(tb)
    return tb
