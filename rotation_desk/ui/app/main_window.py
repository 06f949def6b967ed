"""The main window: four tabs, menus and toolbar (refresh, export, range, benchmark), status bar.

The window owns the services the tabs share (market data, settings, the
range/benchmark selection, the theme) and hands them to each tab's
constructor; tabs never reach back into the window.
"""

from __future__ import annotations

import logging

import pandas as pd
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QWidget,
)

from rotation_desk import APP_TITLE
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import AppPaths
from rotation_desk.ui.app.dialogs import CONVENTIONS_HELP, RangeDialog, SettingsDialog, about_text
from rotation_desk.ui.app.refresh import RefreshController
from rotation_desk.ui.app.status_bar import StatusBar
from rotation_desk.ui.app.tab_host import TAB_CLASSES, TabHost
from rotation_desk.ui.kit import theme as themes
from rotation_desk.ui.kit.workers import TaskRunner
from rotation_desk.ui.state.ranges import PRESETS
from rotation_desk.ui.state.settings import Settings, save_settings
from rotation_desk.ui.state.view_state import ViewState
from rotation_desk.ui.tabs.base import Tab, TabServices, source_line

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    def __init__(
        self,
        market: MarketData,
        settings: Settings,
        paths: AppPaths,
        refresh_fn=None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.market = market
        self.settings = settings
        self.paths = paths
        self.setWindowTitle(APP_TITLE)
        self.resize(1400, 900)
        self.setMinimumSize(760, 540)
        self.persist = True  # save settings on close (a --smoke run leaves the user's settings alone)

        theme = themes.resolve(settings.theme)
        self.view_state = ViewState(settings.default_range, settings.benchmark, self)
        self.services = TabServices(market=market, settings=settings, view_state=self.view_state, theme=theme)
        self.runner = TaskRunner(parent=self)
        self.refresher = RefreshController(market, self.runner, refresh_fn, self)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.hosts: list[TabHost] = []
        for cls in TAB_CLASSES:  # each tab is built when first shown (TabHost)
            host = TabHost(cls, self.services)
            host.built.connect(self._tab_built)
            self.hosts.append(host)
            self.tabs.addTab(host, cls.title)
        self.setCentralWidget(self.tabs)

        self.status = StatusBar(market, theme, self)
        self.setStatusBar(self.status)
        self.status.cancel_requested.connect(self.refresher.cancel)
        self.refresher.started.connect(self._refresh_started)
        self.refresher.progress.connect(self.status.refresh_progress)
        self.refresher.finished.connect(self._refresh_finished)
        self.refresher.failed.connect(self._refresh_failed)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self.view_state.changed.connect(self._sync_range_actions)
        self._sync_range_actions()

        self._restore_window()
        self.apply_theme(settings.theme, save=False)
        for notice in market.notices:
            self.status.show_message(notice, error=True)

    # ------------------------------------------------------------------ actions
    def _build_actions(self) -> None:
        self.refresh_action = QAction("&Refresh data", self, shortcut=QKeySequence("Ctrl+R"))
        self.refresh_action.setToolTip("Fetch new prices from Yahoo Finance (Ctrl+R)")
        self.refresh_action.triggered.connect(lambda: self.start_refresh())
        self.full_refresh_action = QAction("Re-download &full history", self)
        self.full_refresh_action.triggered.connect(lambda: self.start_refresh(full=True))
        self.export_action = QAction("&Export chart…", self, shortcut=QKeySequence("Ctrl+E"))
        self.export_action.setToolTip("Save the chart on screen as PNG or SVG (Ctrl+E)")
        self.export_action.triggered.connect(self.export_current_chart)
        self.export_table_action = QAction("Export &table as CSV…", self)
        self.export_table_action.triggered.connect(self.export_current_table)
        self.settings_action = QAction("&Settings…", self, shortcut=QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.open_settings)
        self.quit_action = QAction("&Quit", self, shortcut=QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        self.custom_range_action = QAction("Custom range…", self)
        self.custom_range_action.setCheckable(True)
        self.custom_range_action.setToolTip("Choose start and end dates")
        self.custom_range_action.triggered.connect(self.choose_custom_range)
        self.about_action = QAction(f"&About {APP_TITLE}", self)
        self.about_action.triggered.connect(self.show_about)
        self.help_action = QAction("How the &numbers are computed", self, shortcut=QKeySequence("F1"))
        self.help_action.triggered.connect(self.show_conventions)

        self.range_group = QActionGroup(self)
        self.range_group.setExclusive(True)
        self.range_actions: dict[str, QAction] = {}
        for preset in PRESETS:
            if preset == "Custom":
                continue
            act = QAction(preset, self, checkable=True)
            act.setToolTip(f"Show the last {preset}" if preset not in ("YTD", "Max") else f"Range: {preset}")
            act.triggered.connect(lambda _=False, p=preset: self.view_state.set_preset(p))
            self.range_group.addAction(act)
            self.range_actions[preset] = act
        self.range_group.addAction(self.custom_range_action)

        self.tab_actions = []
        for i, cls in enumerate(TAB_CLASSES):
            act = QAction(cls.title, self, shortcut=QKeySequence(f"Ctrl+{i + 1}"))
            act.triggered.connect(lambda _=False, i=i: self.tabs.setCurrentIndex(i))
            self.addAction(act)
            self.tab_actions.append(act)

        self.theme_group = QActionGroup(self)
        self.theme_actions = {}
        for name, label in (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")):
            act = QAction(label, self, checkable=True)
            act.triggered.connect(lambda _=False, n=name: self.apply_theme(n))
            self.theme_group.addAction(act)
            self.theme_actions[name] = act

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.export_table_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        data_menu = bar.addMenu("&Data")
        data_menu.addAction(self.refresh_action)
        data_menu.addAction(self.full_refresh_action)
        details = data_menu.addAction("Last refresh details…")
        details.triggered.connect(self.status.show_details)
        view_menu = bar.addMenu("&View")
        for act in self.tab_actions:
            view_menu.addAction(act)
        view_menu.addSeparator()
        range_menu = view_menu.addMenu("&Range")
        for act in self.range_actions.values():
            range_menu.addAction(act)
        range_menu.addAction(self.custom_range_action)
        theme_menu = view_menu.addMenu("&Theme")
        for act in self.theme_actions.values():
            theme_menu.addAction(act)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.help_action)
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        tb = QToolBar("Main toolbar", self)
        tb.setObjectName("main-toolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tb.addAction(self.refresh_action)
        tb.addAction(self.export_action)
        tb.addSeparator()
        tb.addWidget(QLabel(" Range "))
        for act in self.range_actions.values():
            tb.addAction(act)
        tb.addAction(self.custom_range_action)
        tb.addSeparator()
        tb.addWidget(QLabel(" Benchmark "))
        self.benchmark_box = QComboBox()
        self.benchmark_box.setToolTip("What relative figures (beta, capture, RRG, DCA comparison) are measured against")
        self.benchmark_box.addItems(self.market.ticker_names())
        self.benchmark_box.setCurrentText(self.view_state.benchmark)
        self.benchmark_box.setMinimumContentsLength(6)
        self.benchmark_box.currentTextChanged.connect(self._benchmark_chosen)
        tb.addWidget(self.benchmark_box)
        tb.addSeparator()
        tb.addAction(self.settings_action)
        self.addToolBar(tb)
        self.toolbar = tb

    # ------------------------------------------------------------------ range and benchmark
    def _sync_range_actions(self) -> None:
        preset = self.view_state.preset
        if preset == "Custom":
            self.custom_range_action.setChecked(True)
            start, end = self.view_state.custom_range
            self.custom_range_action.setText(
                f"{start:%Y-%m-%d} – {end:%Y-%m-%d}" if start is not None and end is not None else "Custom range…"
            )
        else:
            self.range_actions[preset].setChecked(True)
            self.custom_range_action.setText("Custom range…")

    def choose_custom_range(self) -> None:
        firsts = [pd.Timestamp(m.first) for m in self.market.tickers() if m.first]
        last = self.market.last_session()
        if last is None or not firsts:
            self.status.show_message("No cached prices: a custom range needs data.", error=True)
            self._sync_range_actions()
            return
        start, end = self.view_state.custom_range
        dialog = RangeDialog(min(firsts), last, start, end, self)
        if dialog.exec() == RangeDialog.DialogCode.Accepted:
            self.view_state.set_custom(*dialog.dates())
        self._sync_range_actions()

    def _benchmark_chosen(self, ticker: str) -> None:
        if ticker:
            self.view_state.set_benchmark(ticker)
            self.settings.benchmark = self.view_state.benchmark

    # ------------------------------------------------------------------ tabs
    @property
    def tab_list(self) -> list[Tab]:
        """Every tab, in order (building the ones not opened yet)."""
        return [host.tab() for host in self.hosts]

    def built_tabs(self) -> list[Tab]:
        return [host.built_tab for host in self.hosts if host.built_tab is not None]

    def current_tab(self) -> Tab:
        return self.tabs.currentWidget().tab()

    def _tab_built(self, tab: Tab) -> None:
        tab.status_message.connect(self._tab_message)
        if hasattr(tab, "open_ticker"):  # e.g. Market Overview: double-click a fund to compare it
            tab.open_ticker.connect(self.open_in_compare)

    def open_in_compare(self, ticker: str) -> None:
        """Add ``ticker`` to the ETF Comparison tab and bring that tab to the front."""
        for host in self.hosts:
            if host.cls.key == "compare":
                tab = host.tab()
                if hasattr(tab, "add_ticker"):
                    tab.add_ticker(ticker)
                    self.tabs.setCurrentWidget(host)
                return

    def _tab_message(self, text: str, error: bool) -> None:
        self.status.show_message(text, error)

    def export_current_chart(self) -> None:
        chart = self.current_tab().current_chart()
        if chart is None:
            self.status.show_message("This tab has no chart to export.", error=True)
            return
        chart.open_export_dialog("png")

    def export_current_table(self) -> None:
        table = self.current_tab().current_table()
        if table is None:
            self.status.show_message("This tab has no table to export.", error=True)
            return
        table.export_csv_dialog()

    # ------------------------------------------------------------------ refresh
    def start_refresh(self, tickers=None, full: bool = False) -> bool:
        return self.refresher.start(tickers, full=full)

    def _refresh_started(self, total: int) -> None:
        self.refresh_action.setEnabled(False)
        self.full_refresh_action.setEnabled(False)
        self.status.refresh_started(total)

    def _refresh_finished(self, report) -> None:
        self.refresh_action.setEnabled(True)
        self.full_refresh_action.setEnabled(True)
        self.status.refresh_finished(report)
        for tab in self.built_tabs():
            tab.data_changed()

    def _refresh_failed(self, message: str) -> None:
        self.refresh_action.setEnabled(True)
        self.full_refresh_action.setEnabled(True)
        self.status.refresh_failed(message)

    # ------------------------------------------------------------------ settings, theme, help
    def open_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self.market.ticker_names(), self)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        values = dialog.values()
        self.settings.default_range = values["default_range"]
        self.benchmark_box.setCurrentText(values["benchmark"])
        self.apply_theme(values["theme"])
        self.save()

    def apply_theme(self, name: str, save: bool = True) -> None:
        self.settings.theme = name
        theme = themes.resolve(name)
        app = QApplication.instance()
        if app is not None:
            themes.apply_to_app(app, theme)
        self.services.theme = theme
        self.status.apply_theme(theme)
        for tab in self.built_tabs():
            tab.apply_theme(theme)
        self.theme_actions[name].setChecked(True)
        if save:
            self.save()

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setWindowTitle(f"About {APP_TITLE}")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(about_text(source_line(self.market), self.paths.log_file))
        box.open()
        return box

    def show_conventions(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setWindowTitle("How the numbers are computed")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(CONVENTIONS_HELP)
        box.open()
        return box

    # ------------------------------------------------------------------ window state
    def _restore_window(self) -> None:
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.settings.window_geometry.encode("ascii")))
        if self.settings.window_state:
            self.restoreState(QByteArray.fromBase64(self.settings.window_state.encode("ascii")))
        index = self.settings.last_tab if 0 <= self.settings.last_tab < self.tabs.count() else 0
        self.tabs.setCurrentIndex(index)

    def save(self) -> None:
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64()).decode("ascii")
        self.settings.window_state = bytes(self.saveState().toBase64()).decode("ascii")
        self.settings.last_tab = self.tabs.currentIndex()
        save_settings(self.paths.settings_file, self.settings)

    def closeEvent(self, event):
        self.refresher.cancel()
        self.runner.cancel_all()
        self.runner.wait(5000)
        for tab in self.built_tabs():
            tab.wait_idle(5000)
        if self.persist:
            self.save()
        super().closeEvent(event)
