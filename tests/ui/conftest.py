"""Fixtures for Qt tests: tab services over a seeded store, a main window on temp paths.

pytest-qt fails a test on any Qt warning (``qt_log_level_fail`` in pyproject).
"""

from __future__ import annotations

import pytest

from rotation_desk.data.paths import resolve_paths
from rotation_desk.ui.kit.theme import DARK, LIGHT
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.state.view_state import ViewState
from rotation_desk.ui.tabs.base import TabServices


@pytest.fixture(scope="session", autouse=True)
def _gc_on_gui_thread(qapp):
    """As in the app: Python's cycle collector runs on the GUI thread only (rotation_desk.ui.app.gc_guard)."""
    from rotation_desk.ui.app import gc_guard

    gc_guard.install(qapp)
    yield


@pytest.fixture(autouse=True)
def unsaved_answers(monkeypatch):
    """No test blocks on a modal question: Save / Discard / Cancel of unsaved plan edits answers Discard
    (the texts asked are recorded); a test that wants another answer patches ``choose_unsaved`` itself."""
    from rotation_desk.ui.tabs.dca.tab import DcaTab

    asked: list[str] = []
    monkeypatch.setattr(DcaTab, "choose_unsaved", lambda self, title, text: asked.append(text) or "discard")
    return asked


@pytest.fixture
def pinned_clock():
    """The window reads its data against 2026-12-01 (the snapshot's last close is 2026-08-03)."""
    import datetime as dt

    from rotation_desk.ui.kit import clock

    clock.pin(dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC))
    yield dt.date(2026, 12, 1)
    clock.pin(None)


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def view_state(qapp) -> ViewState:
    return ViewState("5Y", "SPY")


@pytest.fixture
def services(qapp, market, settings, view_state) -> TabServices:
    return TabServices(market=market, settings=settings, view_state=view_state, theme=LIGHT)


@pytest.fixture
def dark_services(qapp, market, settings, view_state) -> TabServices:
    return TabServices(market=market, settings=settings, view_state=view_state, theme=DARK)


@pytest.fixture
def paths(data_dir):
    return resolve_paths(data_dir).ensure()


@pytest.fixture
def main_window(qtbot, paths):
    """The real main window on a seeded data dir (offline), shown offscreen."""
    from rotation_desk.ui.app.start import build_window

    window = build_window(paths, offline=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.market.store.close()
