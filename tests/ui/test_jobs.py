"""ui.kit.jobs: the latest request wins, work waits until its page is shown, one wording for failures."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QLabel, QTabWidget, QWidget

from rotation_desk.errors import Cancelled, DataUnavailable
from rotation_desk.ui.kit.jobs import Job, WhenShown, failure_text


class Recorder:
    def __init__(self):
        self.applied: list = []
        self.failed: list[str] = []
        self.gathered = 0
        self.value = 0

    def gather(self):
        self.gathered += 1
        return self.value


def make_job(page: QWidget, rec: Recorder, compute=None) -> Job:
    return Job(
        "test figure",
        page,
        rec.gather,
        compute or (lambda inputs, cancelled: inputs * 10),
        rec.applied.append,
        rec.failed.append,
    )


@pytest.fixture
def page(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    return w


def test_hidden_page_waits_and_computes_when_shown(qtbot, page):
    rec = Recorder()
    job = make_job(page, rec)
    rec.value = 4
    job.invalidate()
    assert rec.gathered == 0 and job.stale  # not on screen: nothing computed
    page.show()
    qtbot.waitUntil(lambda: rec.applied == [40], timeout=5000)
    assert not job.stale and job.runs == 1


def test_ensure_current_computes_in_place_for_a_hidden_page(page):
    rec = Recorder()
    job = make_job(page, rec)
    rec.value = 2
    job.invalidate()
    job.ensure_current()
    assert rec.applied == [20] and not job.stale
    job.ensure_current()  # nothing outdated: nothing done
    assert rec.gathered == 1


def test_the_latest_request_wins_and_the_older_is_cancelled(qtbot, page):
    rec = Recorder()
    release = threading.Event()
    seen_cancel = []

    def compute(inputs, cancelled):
        if inputs == 1:  # the first request blocks until the second has been made
            release.wait(5)
            seen_cancel.append(cancelled())
            if cancelled():
                raise Cancelled
        return inputs * 10

    job = make_job(page, rec, compute)
    page.show()
    qtbot.waitExposed(page)
    rec.value = 1
    job.run()
    assert job.busy()
    rec.value = 2
    job.run()  # supersedes the first
    release.set()
    qtbot.waitUntil(lambda: rec.applied == [20] and not job.busy(), timeout=5000)
    job.wait()
    qtbot.wait(20)
    assert rec.applied == [20] and seen_cancel == [True] and rec.failed == []


def test_a_superseded_result_is_dropped_even_if_it_does_not_notice(qtbot, page):
    rec = Recorder()
    release = threading.Event()

    def compute(inputs, _cancelled):
        if inputs == 1:
            release.wait(5)
        return inputs

    job = make_job(page, rec, compute)
    page.show()
    qtbot.waitExposed(page)
    rec.value = 1
    job.run()
    rec.value = 2
    job.run()
    release.set()
    job.wait()
    qtbot.waitUntil(lambda: rec.applied == [2], timeout=5000)
    qtbot.wait(20)
    assert rec.applied == [2]


def test_failures_have_one_wording(qtbot, page, caplog):
    rec = Recorder()

    def compute(inputs, _cancelled):
        if inputs == 1:
            raise DataUnavailable("no prices for ZZZZ in the window")
        raise ZeroDivisionError("division by zero")

    job = make_job(page, rec, compute)
    rec.value = 1
    job.run()
    rec.value = 2
    job.run()
    assert rec.failed == [
        "no prices for ZZZZ in the window",
        "The test figure could not be computed (ZeroDivisionError: division by zero). Details are in the log file.",
    ]
    assert "Traceback" in caplog.text and "ZeroDivisionError" in caplog.text
    # the same wording from the worker thread
    page.show()
    qtbot.waitExposed(page)
    job.run()
    qtbot.waitUntil(lambda: len(rec.failed) == 3, timeout=5000)
    assert rec.failed[2] == rec.failed[1]


def test_a_failure_while_gathering_is_reported(page):
    rec = Recorder()
    job = Job("test figure", page, lambda: 1 / 0, lambda i, c: i, rec.applied.append, rec.failed.append)
    job.run()
    assert rec.applied == [] and rec.failed[0].startswith("The test figure could not be computed (ZeroDivisionError")


def test_later_waits_for_the_inputs_to_rest(qtbot, page):
    rec = Recorder()
    job = make_job(page, rec)
    page.show()
    qtbot.waitExposed(page)
    job.ensure_current()
    for value in (1, 2, 3):
        rec.value = value
        job.later(80)
    assert job.resting() and rec.applied == [0]
    qtbot.waitUntil(lambda: rec.applied == [0, 30], timeout=5000)
    assert rec.gathered == 2  # three edits, one run


def test_cancel_drops_what_is_pending(qtbot, page):
    rec = Recorder()
    job = make_job(page, rec)
    job.invalidate()
    job.cancel()
    page.show()
    qtbot.wait(50)
    assert rec.applied == []


def test_when_shown_draws_the_visible_widget_now_and_the_hidden_one_later(qtbot):
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    first, second = QLabel("first"), QLabel("second")
    tabs.addTab(first, "1")
    tabs.addTab(second, "2")
    tabs.show()
    qtbot.waitExposed(tabs)
    drawn: list[str] = []
    deferred = WhenShown(tabs)
    deferred.put(first, lambda: drawn.append("first"))
    deferred.put(second, lambda: drawn.append("second, old"))
    deferred.put(second, lambda: drawn.append("second"))  # the newest wins
    assert drawn == ["first"] and deferred.pending(second)
    tabs.setCurrentWidget(second)
    qtbot.waitUntil(lambda: drawn == ["first", "second"], timeout=5000)
    deferred.put(first, lambda: drawn.append("first, flushed"))
    deferred.flush(first)  # an export draws a hidden widget now
    assert drawn[-1] == "first, flushed" and not deferred.pending(first)


def test_failure_text():
    assert failure_text("overview", DataUnavailable("x")) == "x"
    assert failure_text("overview", KeyError("SPY")) == (
        "The overview could not be computed (KeyError: 'SPY'). Details are in the log file."
    )


def test_a_job_cancelled_while_gathering_is_dropped_and_not_left_busy(qtbot, page):
    """The DCA tab's gather finds the plan invalid and cancels the run it is part of: nothing runs, nothing
    stays busy (before, the started task's result was dropped as superseded and the job stayed busy)."""
    rec = Recorder()
    job = make_job(page, rec)
    page.show()
    qtbot.waitExposed(page)

    def gather():
        job.cancel()
        return 1

    job._gather = gather
    job.run()
    assert not job.busy() and rec.applied == []
