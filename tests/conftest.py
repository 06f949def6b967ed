"""Shared fixtures: every user path under a temp dir, a store seeded once per session from the snapshot."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import socket_guard
from fault_helpers import release_stale_mounts

from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import ENV_DATA_DIR, resolve_paths


def pytest_sessionstart(session):
    release_stale_mounts()


@pytest.fixture(autouse=True)
def _no_network():
    """Python sockets and libcurl are blocked; a test that tried to use them fails."""
    with socket_guard.blocked():
        yield
    socket_guard.check()


@pytest.fixture(autouse=True)
def _isolate_user_dirs(tmp_path_factory, monkeypatch):
    """No test may write into the real platformdirs folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local/state"))
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    """A data dir whose database was seeded from the bundled snapshot (built once per session)."""
    root = tmp_path_factory.mktemp("seeded")
    market = MarketData(resolve_paths(root), offline=True)
    market.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    market.store.close()
    return root


@pytest.fixture
def data_dir(seeded_template, tmp_path) -> Path:
    """A fresh copy of the seeded data dir for one test."""
    target = tmp_path / "rd"
    shutil.copytree(seeded_template, target)
    return target


@pytest.fixture
def market(data_dir) -> MarketData:
    m = MarketData(resolve_paths(data_dir), offline=True)
    yield m
    m.store.close()


@pytest.fixture(scope="session")
def closes(seeded_template):
    """All 88 tickers' adjusted closes (read-only: do not mutate)."""
    m = MarketData(resolve_paths(seeded_template), offline=True)
    frame = m.all_closes()
    m.store.close()
    return frame
