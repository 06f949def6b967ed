"""The main window: four tabs, menus and toolbar (refresh, export, range, benchmark), status bar.

The window owns the services the tabs share (market data, settings, the
range/benchmark selection, the theme) and hands them to each tab's
constructor; tabs never reach back into the window. Its parts live beside it:
the range controls (``range_controls``), where it opens (``geometry``), the
stale-prices banner (``stale_banner``), the start-up check and refresh
(``startup``), the import, settings and help dialogs.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rotation_desk import APP_TITLE
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import AppPaths
from rotation_desk.ui.app import menus, window_place
from rotation_desk.ui.app.dialogs import about_text
from rotation_desk.ui.app.range_controls import RangeControls
from rotation_desk.ui.app.refresh import RefreshController
from rotation_desk.ui.app.stale_banner import StaleBanner
from rotation_desk.ui.app.startup import StartUp
from rotation_desk.ui.app.status_bar import StatusBar
from rotation_desk.ui.app.tab_host import TAB_CLASSES, TabHost
from rotation_desk.ui.kit import clock
from rotation_desk.ui.kit import theme as themes
from rotation_desk.ui.kit.hints import IMPORT_MENU
from rotation_desk.ui.kit.workers import TaskRunner
from rotation_desk.ui.state.sections import ExportPrefs
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
        self.setMinimumSize(760, 540)
        self.persist = True  # save settings on close (a --smoke run leaves the user's settings alone)
        self.fit_screen = True  # keep the frame on a screen once shown (off for an explicit --window-size)

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
        self.banner = StaleBanner(theme)
        self.banner.refresh_clicked.connect(lambda: self.start_refresh())
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.help_dialog: QDialog | None = None  # the dialogs' modules are imported when first opened
        self.import_dialog: QDialog | None = None

        self.status = StatusBar(market, theme, self)
        self.setStatusBar(self.status)
        self.status.cancel_requested.connect(self.refresher.cancel)
        self.refresher.started.connect(self._refresh_started)
        self.refresher.progress.connect(self.status.refresh_progress)
        self.refresher.finished.connect(self._refresh_finished)
        self.refresher.failed.connect(self._refresh_failed)

        self.range_controls = RangeControls(self, self._tab_on_screen)
        self.range_actions = self.range_controls.presets
        self.custom_range_action = self.range_controls.custom
        self._build_actions()
        menus.build_menus(self)
        self.toolbar = menus.build_toolbar(self)
        self.tabs.currentChanged.connect(lambda _i: self.range_controls.sync())

        self._restore_window()
        self.range_controls.sync()
        self.apply_theme(settings.theme, save=False)
        for notice in market.notices:
            self.status.show_message(notice, error=True)
        self.startup = StartUp(self)

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
        self.report_action = QAction("Export &report…", self)
        self.report_action.setToolTip("The current tab or all tabs as a PDF or HTML report")
        self.report_action.triggered.connect(self.export_report)
        self.settings_action = QAction("&Settings…", self, shortcut=QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.open_settings)
        self.quit_action = QAction("&Quit", self, shortcut=QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        self.about_action = QAction(f"&About {APP_TITLE}", self)
        self.about_action.triggered.connect(self.show_about)
        self.help_action = QAction("&Help for this tab", self, shortcut=QKeySequence("F1"))
        self.help_action.setToolTip("What the tab on screen shows, how to read it, and the number conventions (F1)")
        self.help_action.triggered.connect(self.show_help)
        self.import_action = QAction(IMPORT_MENU, self, shortcut=QKeySequence("Ctrl+I"))
        self.import_action.setToolTip("Import one ticker's daily prices from a CSV file (the checks of `data import`)")
        self.import_action.triggered.connect(self.open_import)

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

    # ------------------------------------------------------------------ range and benchmark
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

    def _tab_on_screen(self) -> Tab | None:
        """The tab on screen, when it is built (the range controls follow it)."""
        host = self.tabs.currentWidget()
        return host.built_tab if isinstance(host, TabHost) else None

    def _tab_built(self, tab: Tab) -> None:
        tab.status_message.connect(self._tab_message)
        tab.range_use_changed.connect(lambda t=tab: t is self._tab_on_screen() and self.range_controls.sync())
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

    def tab_file_action(self, host: TabHost, method: str) -> None:
        """A tab's File-menu action: bring the tab to the front (built now if need be) and run it."""
        self.tabs.setCurrentWidget(host)
        getattr(host.tab(), method)()

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

    def export_report(self) -> None:
        from rotation_desk.ui.app import report_dialog

        tab = self.current_tab()
        default = Path.home() / f"rotation-desk-{tab.key}-{self.market.last_session():%Y-%m-%d}.pdf"
        dialog = report_dialog.ReportDialog(tab.title, default, self)
        if dialog.exec() == report_dialog.ReportDialog.DialogCode.Accepted:
            report_dialog.export_report(self, *dialog.choice())

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
        self.reload_data()

    def reload_data(self) -> None:
        """The prices changed (a refresh, an import, a rebuilt database): every tab and list follows."""
        names = self.market.ticker_names()
        current = self.benchmark_box.currentText()
        self.benchmark_box.blockSignals(True)
        self.benchmark_box.clear()
        self.benchmark_box.addItems(names)
        self.benchmark_box.setCurrentText(current if current in names else self.view_state.benchmark)
        self.benchmark_box.blockSignals(False)
        self.status.update_freshness()
        self.update_banner()
        for tab in self.built_tabs():
            tab.data_changed()

    def update_banner(self) -> None:
        self.banner.show_age(self.market.freshness().age(clock.today()), self.market.offline)

    def refresh_on_start(self) -> None:
        """Start-up: check the store off the GUI thread, then (setting on, online) refresh in the background."""
        self.startup.start(refresh=self.settings.refresh_on_start and not self.market.offline)

    def open_data_health(self, today=None) -> QDialog:
        """Data → Data health… (``today``: the day staleness is measured against; default the UTC date)."""
        from rotation_desk.ui.app.health_dialog import DataHealthDialog

        dialog = DataHealthDialog(self.market, self.refresher, self.services.theme, today, self)
        dialog.data_changed.connect(self.reload_data)  # tickers removed: the lists and tabs follow
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # ------------------------------------------------------------------ import
    def open_import(self, path=None) -> QDialog:
        from rotation_desk.ui.app.import_dialog import ImportDialog

        dialog = ImportDialog(self.market, self.runner, self, path)
        dialog.imported.connect(self._imported)
        dialog.open()
        self.import_dialog = dialog
        return dialog

    def _imported(self, record) -> None:
        self.status.show_message(record.describe()[0].upper() + record.describe()[1:] + ".")
        self.reload_data()

    def _refresh_failed(self, message: str) -> None:
        self.refresh_action.setEnabled(True)
        self.full_refresh_action.setEnabled(True)
        self.status.refresh_failed(message)

    # ------------------------------------------------------------------ settings, theme, help
    def open_settings(self) -> QDialog:
        from rotation_desk.ui.app.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self.market.ticker_names(), self)
        dialog.accepted.connect(lambda: self.apply_settings(dialog.checked))
        dialog.open()
        self.settings_dialog = dialog
        return dialog

    def apply_settings(self, values: dict) -> None:
        """Checked values from the Settings dialog: applied, the tabs that depend on them recomputed, saved."""
        rf_changed = values["risk_free"] != self.settings.risk_free
        self.settings.default_range = values["default_range"]
        self.settings.risk_free = values["risk_free"]
        self.settings.refresh_on_start = values["refresh_on_start"]
        self.settings.export = ExportPrefs(**values["export"])
        self.benchmark_box.setCurrentText(values["benchmark"])
        if rf_changed:
            for tab in self.built_tabs():
                tab.invalidate()
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
        self.banner.apply_theme(theme)
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

    def show_help(self) -> QDialog:
        """The guide's section for the tab on screen, at the page on screen (F1)."""
        tab = self.current_tab()
        if self.help_dialog is None:
            from rotation_desk.ui.app.help import HelpDialog

            self.help_dialog = HelpDialog(self)
        self.help_dialog.show_topic(tab.title, _page_on_screen(tab))
        self.help_dialog.show()
        self.help_dialog.raise_()
        return self.help_dialog

    # ------------------------------------------------------------------ window state
    def _restore_window(self) -> None:
        window_place.restore(self)
        index = self.settings.last_tab if 0 <= self.settings.last_tab < self.tabs.count() else 0
        self.tabs.setCurrentIndex(index)

    def showEvent(self, event):
        super().showEvent(event)
        if self.fit_screen and not getattr(self, "_placed", False):
            self._placed = True  # the frame is known now: keep the title bar and the edges on screen
            QTimer.singleShot(0, lambda: window_place.keep_on_screen(self))

    def save(self) -> None:
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64()).decode("ascii")
        self.settings.window_state = bytes(self.saveState().toBase64()).decode("ascii")
        self.settings.last_tab = self.tabs.currentIndex()
        save_settings(self.paths.settings_file, self.settings)

    def closeEvent(self, event):
        if not all(tab.may_close() for tab in self.built_tabs()):  # e.g. Save / Discard / Cancel of a plan
            event.ignore()
            return
        self.refresher.cancel()
        self.runner.cancel_all()
        self.runner.wait(5000)
        for tab in self.built_tabs():
            if tab.working():  # (an idle tab's wait would still run the event loop: one more paint)
                tab.wait_idle(5000)
        if self.persist:
            self.save()
        super().closeEvent(event)


def _page_on_screen(tab: Tab) -> list[str]:
    """The names of the pages on screen in ``tab``, innermost first (a chart inside a page inside the tab)."""
    shown = [w for w in tab.findChildren(QTabWidget) if w.isVisibleTo(tab) and w.count()]
    shown.sort(key=lambda w: -_depth(w, tab))
    return [name for w in shown if (name := w.tabText(w.currentIndex()))]


def _depth(widget, top) -> int:
    depth = 0
    while widget is not None and widget is not top:
        widget = widget.parentWidget()
        depth += 1
    return depth
