"""Starting the app: the QApplication, the crash handler, the main window, and ``--smoke``.

An uncaught exception anywhere in the GUI is logged with its full traceback
and shown as a short dialog naming the log file; the app keeps running. In a
``--smoke`` run there is nobody to click the dialog, so the exception is
remembered and the run exits 1 instead.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication

from rotation_desk import APP_NAME, APP_TITLE, __version__
from rotation_desk.data.paths import AppPaths
from rotation_desk.data.resources import read_bytes
from rotation_desk.errors import RotationDeskError
from rotation_desk.logsetup import setup_logging
from rotation_desk.ui.app import gc_guard
from rotation_desk.ui.app.dialogs import error_box
from rotation_desk.ui.app.startup import discard_temporary, open_market
from rotation_desk.ui.state.settings import load_settings

log = logging.getLogger(__name__)


def application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication (created on first use), named so Qt and the OS know the app."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setApplicationName(APP_NAME)
        QCoreApplication.setOrganizationName(APP_NAME)
        QCoreApplication.setApplicationVersion(__version__)
        app = QApplication(argv or [APP_NAME])
        app.setApplicationDisplayName(APP_TITLE)
        app.setDesktopFileName(APP_NAME)  # Wayland matches the window to rotation-desk.desktop and its icon
        icon = app_icon()
        if icon is not None:
            app.setWindowIcon(icon)
    gc_guard.install(app)  # collect cycles on the GUI thread only (see gc_guard)
    return app


def app_icon() -> QIcon | None:
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256, 512):
        try:
            data = read_bytes(f"icons/rotation-desk-{size}.png")
        except OSError:  # an icon is optional (a source tree before icons were built)
            continue
        pixmap = QPixmap()
        if pixmap.loadFromData(data, "PNG"):
            icon.addPixmap(pixmap)
    return None if icon.isNull() else icon


class CrashHandler:
    """``sys.excepthook`` for the GUI: log the traceback, show a short message, keep going."""

    def __init__(self, log_file: Path, interactive: bool = True):
        self.log_file = log_file
        self.interactive = interactive
        self.errors: list[str] = []
        self.dialog = None  # the last message box, kept referenced so it stays on screen
        self._previous = None

    def install(self) -> CrashHandler:
        self._previous = sys.excepthook
        sys.excepthook = self
        return self

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook = self._previous

    def __call__(self, exc_type, exc, tb) -> None:
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("uncaught exception:\n%s", text)
        short = str(exc) if isinstance(exc, RotationDeskError) else f"{exc_type.__name__}: {exc}"
        self.errors.append(short)
        if self.interactive and QApplication.instance() is not None:
            box = error_box(
                QApplication.activeWindow(),
                "Something went wrong",
                f"{APP_TITLE} hit an unexpected problem: {short}",
                f"Your data is safe. The details are in the log file:\n{self.log_file}",
            )
            box.open()
            self.dialog = box


def build_window(paths: AppPaths, offline: bool, refresh_fn=None):
    """Market data, settings and the main window (shown by the caller). Raises RotationDeskError.

    The store's integrity check is left to ``window.startup`` (off the GUI thread), which the
    caller starts once the window is shown (``window.refresh_on_start()``)."""
    from rotation_desk.ui.app.main_window import MainWindow

    market = open_market(paths, offline)
    settings, notice = load_settings(paths.settings_file)
    unknown = settings.check_tickers(set(market.ticker_names()))
    if unknown:
        log.warning("settings name tickers with no cached prices: %s", "; ".join(unknown))
        notice = " ".join(
            filter(
                None, [notice, "Settings naming tickers with no cached prices were reset: " + "; ".join(unknown) + "."]
            )
        )
    window = MainWindow(market, settings, paths, refresh_fn=refresh_fn)
    if notice:
        window.status.show_message(notice, error=True)
        log.warning(notice)
    return window


def run_app(
    paths: AppPaths,
    offline: bool = False,
    smoke: bool = False,
    screenshot_dir: Path | None = None,
    window_size: tuple[int, int] | None = None,
    theme: str | None = None,
) -> int:
    """The app (or, with ``smoke``, a visit of every tab and page). ``window_size`` and ``theme`` are for
    this run only: the user's saved window and theme are left as they are."""
    setup_logging(paths.log_file)
    app = application(sys.argv[:1])
    handler = CrashHandler(paths.log_file, interactive=not smoke).install()
    try:
        try:
            window = build_window(paths, offline)
        except RotationDeskError as exc:
            log.error("cannot start: %s", exc)
            if smoke:
                print(f"{APP_NAME}: {exc}", file=sys.stderr)
            else:
                error_box(None, f"{APP_TITLE} cannot start", str(exc), f"Details are in {paths.log_file}").exec()
            return exc.exit_code
        if smoke:
            window.persist = False  # a smoke run leaves the user's settings alone
            from rotation_desk.ui.app.smoke import SMOKE_SIZE, run_smoke  # only for --smoke

            window_size = window_size or SMOKE_SIZE  # the same framing for every screenshot
        if window_size is not None:
            window.fit_screen = False  # the size asked for, even larger than the screen (screenshots)
            window.resize(*window_size)
        if theme is not None:
            window.apply_theme(theme, save=False)
        window.show()
        try:
            if smoke:
                window.startup.start(refresh=False)  # the check, never the network
                window.startup.wait()
                return run_smoke(app, window, screenshot_dir, handler)
            window.refresh_on_start()
            return int(app.exec())
        finally:
            dispose(app, window)
    finally:
        handler.uninstall()


def dispose(app: QApplication, window) -> None:
    """Destroy the window while the QApplication is alive (left to interpreter shutdown, the
    order of the two is arbitrary and a late widget destructor can crash the process)."""
    for tab in window.built_tabs():
        tab.wait_idle(5000)
    window.runner.wait(5000)
    window.market.store.close()
    discard_temporary(window.market)
    window.deleteLater()
    app.processEvents()
