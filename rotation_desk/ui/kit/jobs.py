"""Background computation for every tab: the latest request wins, and work waits until it is shown.

A ``Job`` is one kind of computation behind one page (the overview, a
comparison, the RRG, a tilt backtest, a DCA run)::

    self.job = Job(
        "comparison", page=self,
        gather=self._inputs,      # GUI thread: read widgets and the store; returns the inputs
        compute=compute.build,    # worker thread: compute(inputs, cancelled) -> result; no widgets
        apply=self._show,         # GUI thread, only for the newest request
        fail=self.show_problem,   # GUI thread, one wording for every failure
    )

- ``invalidate()``: the inputs changed. The job runs now if its page is on
  screen, else when the page is next shown (``WhenShown``); a hidden page
  never pays for a computation nobody sees.
- ``run()``: start now. On screen the computation runs on the worker pool; a
  page that is not on screen (``export-chart``, a report) computes in place.
  Each request supersedes the one before: the older task is asked to cancel
  (``cancelled()`` turns true) and its result, if it still comes, is dropped.
- ``later(ms)``: run once the inputs rest (typing, dragging a spin box).
- ``ensure_current()``: compute in place now if anything is outdated (exports).
- Failures: a ``RotationDeskError`` is shown with its own sentence; anything
  else is logged with its traceback and shown as "<what> could not be
  computed (…). Details are in the log file."

``WhenShown`` is the same idea for drawing: ``put(widget, fn)`` calls ``fn``
now if the widget is on screen, else when it is next shown (the newest ``fn``
per widget wins); ``flush(widget)`` draws now (an export of a hidden chart).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer
from PySide6.QtWidgets import QWidget

from rotation_desk.errors import Cancelled, RotationDeskError
from rotation_desk.ui.kit.workers import Task, TaskRunner, short_error

log = logging.getLogger(__name__)


def failure_text(what: str, exc: BaseException) -> str:
    """The one wording for a failed computation (the traceback goes to the log, not the screen)."""
    if isinstance(exc, RotationDeskError):
        return str(exc)
    return f"The {what} could not be computed ({short_error(exc)}). Details are in the log file."


class WhenShown(QObject):
    """Deferred work per widget: done now if the widget is visible, else at its next Show event."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pending: dict[QWidget, Callable[[], Any]] = {}
        self._watched: set[int] = set()

    def put(self, widget: QWidget, fn: Callable[[], Any]) -> None:
        self._pending[widget] = fn
        if id(widget) not in self._watched:
            widget.installEventFilter(self)
            self._watched.add(id(widget))
        if widget.isVisible():
            self.flush(widget)

    def pending(self, widget: QWidget) -> bool:
        return widget in self._pending

    def discard(self, widget: QWidget | None = None) -> None:
        """Forget the work for ``widget`` (all widgets when None) without doing it."""
        if widget is None:
            self._pending.clear()
        else:
            self._pending.pop(widget, None)

    def flush(self, widget: QWidget | None = None) -> None:
        """Do the pending work now: for ``widget``, or for every widget that is on screen."""
        targets = [widget] if widget is not None else [w for w in self._pending if w.isVisible()]
        for w in targets:
            fn = self._pending.pop(w, None)
            if fn is not None:
                fn()

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Show and watched in self._pending and watched.isVisible():
            self.flush(watched)  # Qt shows the children before it sends the parent its Show event
        return False


class Job(QObject):
    """One kind of computation behind one page (see the module docstring)."""

    def __init__(
        self,
        what: str,
        page: QWidget,
        gather: Callable[[], Any],
        compute: Callable[[Any, Callable[[], bool]], Any],
        apply: Callable[[Any], None],
        fail: Callable[[str], None],
        runner: TaskRunner | None = None,
        when_shown: WhenShown | None = None,
        busy: Callable[[bool], None] | None = None,
    ):
        super().__init__(page)
        self.what = what
        self.page = page
        self._gather, self._compute, self._apply, self._fail, self._busy = (gather, compute, apply, fail, busy)
        self.runner = runner or TaskRunner(parent=self)
        self._when_shown = when_shown or WhenShown(self)
        self._generation = 0
        self._task: Task | None = None
        self._stale = True
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.run)
        self.runs = 0  # results applied (tests and benchmarks read it)
        self.on_demand = False  # set by the tab: runs only when asked, not when the tab's inputs change

    # ------------------------------------------------------------------ state
    @property
    def stale(self) -> bool:
        """Outdated: waiting for its page to be shown, for its inputs to rest, or for a result."""
        return self._stale or self._timer.isActive() or self._task is not None

    def busy(self) -> bool:
        """A computation is running on the worker pool."""
        return self._task is not None

    def resting(self) -> bool:
        """Waiting for the inputs to rest (``later``)."""
        return self._timer.isActive()

    # ------------------------------------------------------------------ requests
    def invalidate(self) -> None:
        """Inputs changed: run now if the page is on screen, else when it is next shown."""
        self._timer.stop()
        self._stale = True
        self._when_shown.put(self.page, self.run)

    def later(self, msecs: int) -> None:
        """Run once no other request came for ``msecs`` (edits resting); hidden pages wait to be shown."""
        self._stale = True
        if self.page.isVisible():
            self._timer.start(msecs)
        else:
            self._when_shown.put(self.page, self.run)

    def run(self, inline: bool | None = None) -> None:
        """Start now: on the worker pool when the page is on screen, in place when it is not
        (``inline`` forces either)."""
        self._timer.stop()
        self._when_shown.discard(self.page)
        self._stale = False
        self._generation += 1
        generation = self._generation
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if inline is None:
            inline = not self.page.isVisible()
        try:
            inputs = self._gather()
        except Exception as exc:  # noqa: BLE001 - the user gets a sentence, the log the traceback
            self._set_busy(False)
            self._failed(generation, exc)
            return
        if generation != self._generation:  # cancelled while gathering (the plan turned out invalid): dropped
            self._set_busy(False)
            return
        if inline:
            self._set_busy(False)
            try:
                result = self._compute(inputs, lambda: generation != self._generation)
            except Cancelled:
                return
            except Exception as exc:  # noqa: BLE001
                self._failed(generation, exc)
                return
            self._applied(generation, result)
            return
        self._set_busy(True)

        def work(task: Task):
            try:
                return (
                    generation,
                    self._compute(inputs, lambda: task.is_cancelled() or generation != self._generation),
                    None,
                )
            except Cancelled:
                return generation, Cancelled, None
            except Exception as exc:
                if not isinstance(exc, RotationDeskError):
                    log.exception("%s failed", self.what)
                return generation, None, exc

        self._task = self.runner.start(work, self.what, on_success=self._done)

    def ensure_current(self, pooled: bool = False) -> None:
        """Compute in place now if anything is outdated (before an export; a task still running is
        replaced by the in-place run); ``pooled``: on the worker pool instead, for a caller that waits
        with the event loop running (the window's reports)."""
        if self.stale:
            self.run(inline=not pooled)

    def cancel(self) -> None:
        """Drop what is pending or running (the page shows what it showed)."""
        self._timer.stop()
        self._when_shown.discard(self.page)
        self._generation += 1
        if self._task is not None:
            self._task.cancel()
            self._task = None
            self._set_busy(False)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the running task finished (its result is delivered by the event loop)."""
        return self.runner.wait(msecs)

    # ------------------------------------------------------------------ results (GUI thread)
    def _done(self, payload) -> None:
        generation, result, error = payload
        if generation != self._generation:
            return  # superseded: a newer request's result follows
        self._task = None
        self._set_busy(False)
        if result is Cancelled:
            return
        if error is not None:
            self._fail(failure_text(self.what, error))
            return
        self._applied(generation, result)

    def _applied(self, generation: int, result) -> None:
        if generation != self._generation:
            return
        self.runs += 1
        try:
            self._apply(result)
        except Exception as exc:
            log.exception("showing the %s failed", self.what)
            self._fail(failure_text(self.what, exc))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        if not isinstance(exc, RotationDeskError):
            log.error("%s failed", self.what, exc_info=exc)
        self._fail(failure_text(self.what, exc))

    def _set_busy(self, on: bool) -> None:
        if self._busy is not None:
            self._busy(on)


def single_thread_runner(parent: QObject) -> TaskRunner:
    """A runner whose tasks run one at a time (a newer plan run waits for the older one to stop)."""
    pool = QThreadPool(parent)
    pool.setMaxThreadCount(1)
    return TaskRunner(pool, parent)
