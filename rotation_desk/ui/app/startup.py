"""Opening the prices for the window, and what runs once the window is up.

``open_market``: the price store is opened without its integrity check (that runs in a worker,
below), so the window paints at once. When the data folder cannot hold a database at all (a
read-only folder without one yet, a full disk, a damaged file that cannot be rebuilt in place),
the window still starts, on a copy seeded from the bundled snapshot in a temporary folder, and
says so: nothing fetched or imported there outlives the session.

``StartUp`` runs once the window is shown, in this order:

1. the store's quick integrity check (``PriceStore.check_health``, skipped while the file is as it
   was at its last clean check), off the GUI thread; a damaged database is kept aside and rebuilt,
   the status line says what was kept and lost, and the tabs reload;
2. the age of the newest close (``core.data_age``; the NYSE calendar is loaded here, off the GUI
   thread): the stale-prices banner;
3. the refresh on start (the "refresh prices when the app starts" setting), in the background with
   the status bar's progress bar; offline it only leaves its one line in the status bar.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QObject, Signal

from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import AppPaths
from rotation_desk.errors import EnvironmentProblem
from rotation_desk.ui.kit import clock

log = logging.getLogger(__name__)

TEMPORARY_PREFIX = "rotation-desk-prices-"


def open_market(paths: AppPaths, offline: bool) -> MarketData:
    """The market data for the window (integrity check deferred); a temporary store when the data
    folder cannot hold one. Raises EnvironmentProblem when neither can be made, and when a path that
    must be a folder is a file (``--data-dir`` naming a file: a mistake to correct, not to work around)."""
    paths.ensure()
    try:
        return MarketData(paths, offline=offline, check=False)
    except EnvironmentProblem as exc:
        reason = str(exc)
    log.warning("the price database cannot be used (%s); using a temporary copy", reason)
    folder = Path(tempfile.mkdtemp(prefix=TEMPORARY_PREFIX))
    try:
        market = MarketData(replace(paths, cache_dir=folder), offline=offline, check=False)
    except EnvironmentProblem:
        shutil.rmtree(folder, ignore_errors=True)
        raise EnvironmentProblem(f"{reason}; a temporary copy could not be made either") from None
    market.temporary_store = folder
    market.notices.append(
        f"{reason[0].upper()}{reason[1:]}. The app runs on a temporary copy of the bundled prices in {folder}; "
        "prices fetched or imported now are not kept after you quit."
    )
    return market


def discard_temporary(market: MarketData) -> None:
    """Remove the temporary store, if the window used one (at exit)."""
    folder = getattr(market, "temporary_store", None)
    if folder is not None:
        market.store.close()
        shutil.rmtree(folder, ignore_errors=True)


class StartUp(QObject):
    """The start-up work of one window (see the module docstring); ``finished`` once it is all done."""

    finished = Signal()

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.done = False
        self.rebuilt = False
        self.age = None
        self._refresh = False

    def start(self, refresh: bool = False) -> None:
        """Check the store in a worker; ``refresh``: then refresh the prices (when online)."""
        self.done = False
        self._refresh = refresh
        market = self.window.market
        today = clock.today()
        self._notices_before = len(market.notices)
        self._rebuilds_before = market.store.rebuilds

        def work(task):
            sound = market.store.check_health(force=False)
            age = market.freshness().age(today)
            if age is not None:
                _ = age.sessions_behind  # loads the NYSE calendar on this thread, not the GUI's
            return sound, age

        self.window.runner.start(work, "start-up check", on_success=self._checked, on_failure=self._failed)

    def _checked(self, result) -> None:
        sound, age = result
        market = self.window.market
        news = market.notices[self._notices_before :]
        if news:
            self.window.status.show_message(" ".join(news), error=True)
        if not sound or market.store.rebuilds != self._rebuilds_before:  # rebuilt here, or by a tab's read
            self.rebuilt = True
            self.window.reload_data()
        self.age = age
        self.window.banner.show_age(age, market.offline)
        self._finish()

    def _failed(self, message: str) -> None:
        """The check could not run or the damage could not be repaired: say so, keep what can be read."""
        log.warning("start-up check: %s", message)
        self.window.status.show_message(message, error=True)
        self._finish()

    def _finish(self) -> None:
        self.done = True
        if self._refresh and not self.window.market.offline:
            self.window.start_refresh()
        self.finished.emit()

    def wait(self, msecs: int = 30000) -> bool:
        """Process events until the start-up work is done (``--smoke``, tests); False on timeout."""
        timer = QElapsedTimer()
        timer.start()
        while not self.done and timer.elapsed() < msecs:
            QCoreApplication.processEvents()
            self.window.runner.wait(20)
        QCoreApplication.processEvents()
        return self.done
