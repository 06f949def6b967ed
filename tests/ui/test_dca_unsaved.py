"""No lost plan edits (issue 13 item 4): quitting, a new plan or another plan with unsaved edits asks
Save / Discard / Cancel; a recovery copy is kept while the editor differs from its file, and a start after
a crash offers it back. Real window, real plan files, the recovery copy read back from disk."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from rotation_desk.data.plan_recovery import RECOVERY_NAME, read_recovery
from rotation_desk.ui.app.start import build_window
from rotation_desk.ui.tabs.dca import unsaved
from rotation_desk.ui.tabs.dca.tab import DcaTab


def dca_window(qtbot, paths):
    window = build_window(paths, offline=True)
    qtbot.addWidget(window)
    window.persist = False
    window.show()
    window.tabs.setCurrentIndex(3)
    tab = window.current_tab()
    assert isinstance(tab, DcaTab)
    return window, tab


def rename(qtbot, tab, name: str) -> None:
    tab.editor.name.selectAll()
    qtbot.keyClicks(tab.editor.name, name)
    assert tab.plans.is_dirty()


def test_quitting_with_unsaved_edits_asks_and_cancel_keeps_the_window_and_the_edits(qtbot, paths, monkeypatch):
    window, tab = dca_window(qtbot, paths)
    rename(qtbot, tab, "Rotation core")
    asked = []
    monkeypatch.setattr(DcaTab, "choose_unsaved", lambda self, title, text: asked.append(text) or unsaved.CANCEL)
    assert not window.close()
    assert window.isVisible() and tab.editor.name.text() == "Rotation core"
    assert asked == ["“Rotation core” has changes that are not saved. Save them before quitting?"]

    monkeypatch.setattr(DcaTab, "choose_unsaved", lambda self, title, text: unsaved.SAVE)
    assert window.close()
    saved = list(paths.plans_dir.glob("*.json"))
    assert [json.loads(p.read_text())["name"] for p in saved] == ["Rotation core"]
    assert not (paths.data_dir / RECOVERY_NAME).exists()


def test_discard_on_a_new_plan_drops_the_edits_and_a_clean_plan_is_not_asked_about(qtbot, paths, unsaved_answers):
    window, tab = dca_window(qtbot, paths)
    rename(qtbot, tab, "Scratch")
    qtbot.mouseClick(tab.bar.new_button, Qt.MouseButton.LeftButton)
    assert unsaved_answers == ["“Scratch” has changes that are not saved. Save them before starting a new plan?"]
    assert tab.editor.name.text() != "Scratch" and not tab.plans.is_dirty()
    assert window.close() and len(unsaved_answers) == 1  # nothing unsaved: no question on quitting


def test_a_crash_leaves_a_recovery_copy_and_the_next_start_offers_it(qtbot, paths):
    window, tab = dca_window(qtbot, paths)
    assert tab.unsaved.timer.interval() == unsaved.RECOVERY_EVERY_MS <= 5000 and tab.unsaved.timer.isActive()
    rename(qtbot, tab, "Kept through a crash")
    tab.editor.contribution.setText("750")
    tab.unsaved.keep_copy()  # what the timer does every few seconds
    copy = paths.data_dir / RECOVERY_NAME
    found = read_recovery(copy)
    assert found is not None and found.raw == tab.editor.raw() and found.plan_file is None
    assert found.raw["name"] == "Kept through a crash" and found.raw["contribution"] in (750, 750.0, "750")
    window.persist = False
    window.hide()  # the crash: no close, no save, the copy stays on disk

    again, fresh = dca_window(qtbot, paths)
    text = fresh.banner_text()
    assert text.startswith("Unsaved edits of “Kept through a crash” from ") and "closed without saving" in text
    restore = next(b for b in fresh.banner.actions if b.text() == "Restore")
    fresh.unsaved.keep_copy()  # the offer is not overwritten or removed while it waits
    assert read_recovery(copy) == found
    qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)
    assert fresh.editor.name.text() == "Kept through a crash" and fresh.editor.raw() == found.raw
    assert fresh.plans.is_dirty() and fresh.banner_text() is None
    assert not list(paths.plans_dir.glob("*.json"))  # nothing saved until the user saves


def test_discarding_the_offer_removes_the_copy_and_an_unreadable_copy_is_set_aside(qtbot, paths):
    copy = paths.data_dir / RECOVERY_NAME
    copy.write_text('{"version": 1, "saved_at": "2026-12-01T10:00:00+00:00", "plan_file": null, "plan": {"name": "X"}}')
    window, tab = dca_window(qtbot, paths)
    discard = next(b for b in tab.banner.actions if b.text() == "Discard")
    qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
    assert not copy.exists() and tab.banner_text() is None
    window.close()

    copy.write_text("{ not json")
    again, fresh = dca_window(qtbot, paths)
    assert fresh.banner_text() is None or "Unsaved edits" not in fresh.banner_text()
    assert not copy.exists() and copy.with_name(RECOVERY_NAME + ".unreadable").read_text() == "{ not json"
