"""Cycles holding Qt widgets are collected on the GUI thread, never in a worker."""

from __future__ import annotations

import gc
import threading

from PySide6.QtWidgets import QApplication, QWidget

from rotation_desk.ui.app import gc_guard
from rotation_desk.ui.kit.workers import TaskRunner


class Cyclic(QWidget):
    deleted_in: list[str] = []

    def __init__(self):
        super().__init__()
        self.me = self  # a reference cycle: only the cycle collector frees it
        self.destroyed.connect(lambda: Cyclic.deleted_in.append(threading.current_thread().name))


def test_automatic_collection_is_off_and_the_gui_thread_collects(qapp, qtbot):
    gc_guard.install(qapp)
    assert not gc.isenabled()
    Cyclic.deleted_in.clear()
    Cyclic()  # garbage in a cycle

    def allocate(task):
        for _ in range(50_000):  # cyclic garbage: with automatic collection on, this thread would collect
            a = []
            a.append(a)
        return True

    runner = TaskRunner()
    done = []
    runner.start(allocate, "alloc", on_success=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10000)
    assert Cyclic.deleted_in in ([], ["MainThread"])  # not freed in the worker
    qtbot.waitUntil(lambda: Cyclic.deleted_in == ["MainThread"], timeout=5000)


def test_collect_follows_the_thresholds(qapp):
    guard = gc_guard.install(qapp)
    gc.collect()
    assert guard.collect() == 0  # nothing above the thresholds yet
    QApplication.processEvents()
