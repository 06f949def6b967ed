"""No lost plan edits: Save / Discard / Cancel before the edits would go (quitting, opening another plan,
starting a new one), and a recovery copy of the editor (``data.plan_recovery``) every few seconds while it
differs from its file; after a crash or a kill the next start offers it back in the plan banner."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox

from rotation_desk.data.plan_recovery import Recovered, drop_recovery, read_recovery, recovery_file, save_recovery
from rotation_desk.errors import EnvironmentProblem

log = logging.getLogger(__name__)

RECOVERY_EVERY_MS = 5000  # at most this much editing is lost to a crash
SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


class UnsavedGuard(QObject):
    """Watches ``plans`` (the tab's ``PlanLibraryController``) for the tab ``host``."""

    def __init__(self, host, plans, data_dir: Path):
        super().__init__(host)
        self.host, self.plans = host, plans
        self.path = recovery_file(data_dir)
        self.copy_problem: str | None = None  # why the last copy could not be written (said once)
        self.pending: Recovered | None = None  # a copy left by a crash, offered and not yet restored or discarded
        self.timer = QTimer(self)
        self.timer.setInterval(RECOVERY_EVERY_MS)
        self.timer.timeout.connect(self.keep_copy)
        self.timer.start()

    # -- asking ----------------------------------------------------------------------
    def may_leave(self, doing: str) -> bool:
        """True when the edits may go: none, saved now, or discarded; False: the user cancelled (or the save
        failed, the editor says why). ``doing``: what would drop them ("quitting", "opening another plan")."""
        if not self.plans.is_dirty():
            self.drop()
            return True
        name = self.plans.editor.name.text().strip() or "this plan"
        answer = self.host.choose_unsaved(
            "Unsaved plan",
            f"“{name}” has changes that are not saved. Save them before {doing}?",
        )
        if answer == SAVE:
            if self.plans.save_plan() is None:
                return False
        elif answer != DISCARD:
            return False
        self.drop()
        return True

    # -- the recovery copy -----------------------------------------------------------
    def keep_copy(self) -> None:
        """Write the copy while the editor differs from its file, remove it once they agree (not while a
        copy left by a crash waits for Restore or Discard: that one is kept)."""
        if self.pending is not None:
            return
        if not self.plans.is_dirty():
            self.drop()
            return
        plan_file = self.plans.path.name if self.plans.path is not None else None
        try:
            save_recovery(self.path, self.plans.editor.raw(), plan_file)
        except (EnvironmentProblem, OSError) as exc:
            text = f"The recovery copy of the plan could not be written ({exc}); save the plan to keep the edits."
            if text != self.copy_problem:
                self.copy_problem = text
                log.warning("%s", text)
                self.host.status_message.emit(text, True)
            return
        self.copy_problem = None

    def drop(self) -> None:
        """Remove the copy (unless one left by a crash is still on offer)."""
        if self.pending is not None:
            return
        try:
            drop_recovery(self.path)
        except OSError as exc:  # a read-only folder: the copy stays, and is offered once more
            log.warning("the plan's recovery copy %s could not be removed: %s", self.path, exc)

    def offer_restore(self) -> Recovered | None:
        """At start: a copy left behind by a crash is offered back in the banner (Restore / Discard)."""
        found = read_recovery(self.path)
        if found is None:
            return None
        self.pending = found
        name = str(found.raw.get("name") or found.plan_file or "a new plan")
        when = found.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")
        self.plans.banner.show_text(
            f"Unsaved edits of “{name}” from {when} were kept when the app last closed without saving them.",
            error=False,
            actions=[("Restore", lambda: self.restore(found)), ("Discard", self.discard_offer)],
        )
        return found

    def discard_offer(self) -> None:
        self.pending = None
        self.drop()

    def restore(self, found: Recovered) -> None:
        """Put the copy in the editor, over the file it was edited from (still unsaved until Save)."""
        self.pending = None
        path = self.plans.library.resolve(found.plan_file) if found.plan_file else None
        if path is not None:
            self.plans.open_path(path)
        self.plans.editor.set_raw(found.raw)
        self.plans.edited()
        self.host.plan_loaded()


def ask_unsaved(parent, title: str, text: str) -> str:
    """The Save / Discard / Cancel question (Save the default, Escape cancels)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    buttons = QMessageBox.StandardButton
    box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
    box.setDefaultButton(buttons.Save)
    box.setEscapeButton(buttons.Cancel)
    answer = box.exec()
    return {buttons.Save: SAVE, buttons.Discard: DISCARD}.get(buttons(answer), CANCEL)
