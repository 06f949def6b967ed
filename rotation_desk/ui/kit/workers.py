"""Background work on a QThreadPool; results come back by signal to slots in the GUI thread.

Only the function runs in the worker thread, and it must not touch widgets.
It gets the ``Task`` so it can report progress and poll ``is_cancelled()``.
The signals object lives in the GUI thread, so connected slots run there.
An exception in the function is logged with its traceback and reported by
``failed`` with a short message; it never reaches the user as a traceback.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from rotation_desk.errors import RotationDeskError

log = logging.getLogger(__name__)


class TaskSignals(QObject):
    progress = Signal(int, int, str)  # done, total, label
    succeeded = Signal(object)  # the function's result
    failed = Signal(str)  # a short message for the user
    finished = Signal()  # after succeeded or failed


class Task(QRunnable):
    def __init__(self, fn: Callable[[Task], object], name: str = "task"):
        super().__init__()
        self.setAutoDelete(False)  # the Python side owns it until ``finished``
        self.fn = fn
        self.name = name
        self.signals = TaskSignals()
        self._cancel = threading.Event()

    # -- called from the worker thread ----------------------------------------
    def report_progress(self, done: int, total: int, label: str = "") -> None:
        self.signals.progress.emit(int(done), int(total), str(label))

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self.fn(self)
        except RotationDeskError as exc:  # the user's or the machine's problem, said in its own sentence
            log.warning("background task %s: %s", self.name, exc)
            self._emit(self.signals.failed, short_error(exc))
        except Exception as exc:
            log.exception("background task %s failed", self.name)
            self._emit(self.signals.failed, short_error(exc))
        else:
            self._emit(self.signals.succeeded, result)
        finally:
            self._emit(self.signals.finished)

    def _emit(self, signal, *args) -> None:
        """Emit unless the receiver side is gone (the window closed while this task ran)."""
        try:
            signal.emit(*args)
        except RuntimeError:  # "Signal source has been deleted"
            log.info("background task %s finished after its window closed", self.name)

    # -- called from the GUI thread -------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()


def short_error(exc: BaseException) -> str:
    """An error in one line: a ``RotationDeskError``'s own sentence, else "<type>: <message>"."""
    if isinstance(exc, RotationDeskError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


class TaskRunner(QObject):
    """Starts tasks on a pool and keeps them alive until they finish."""

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._running: set[Task] = set()

    def start(
        self,
        fn: Callable[[Task], object],
        name: str,
        on_success: Callable[[object], None] | None = None,
        on_failure: Callable[[str], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> Task:
        task = Task(fn, name)
        if on_progress is not None:
            task.signals.progress.connect(on_progress)
        if on_success is not None:
            task.signals.succeeded.connect(on_success)
        if on_failure is not None:
            task.signals.failed.connect(on_failure)
        task.signals.finished.connect(lambda: self._running.discard(task))
        self._running.add(task)
        self.pool.start(task)
        return task

    def running(self) -> int:
        return len(self._running)

    def cancel_all(self) -> None:
        for task in list(self._running):
            task.cancel()

    def wait(self, msecs: int = 10000) -> bool:
        return self.pool.waitForDone(msecs)
