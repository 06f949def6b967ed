"""The DCA tab's plan library: which file the editor shows, and New / Open / Save / Duplicate / Delete / Import /
Export, the "unsaved changes" state and the banner for a file with problems.

The files themselves are ``rotation_desk.data.plan_library``'s (Qt-free): a
broken file opens with its problems shown and is never written unless the
user saves. The host (the tab) asks and warns (``ask``, ``ask_choice``,
``warn``), reports (``status_message``), says which plan can be saved
(``savable_plan``) and is told when a plan was loaded (``plan_loaded``) or
saved (``update_controls``).

The plan's journal (``journal``: the tab's ``JournalActions``) is never
changed by an edit. Deleting a plan whose journal holds buys asks whether to
keep them or delete them too (with Undo); saving a plan under a new name moves
its buys to the new name (only the journal's plan name changes), unless
another plan file still has the old name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rotation_desk.core.dca.plan import PlanIssue
from rotation_desk.core.dca.plan_json import starter_plan
from rotation_desk.data.plan_files import OpenedPlan, read_plan_file
from rotation_desk.data.plan_library import PlanLibrary
from rotation_desk.errors import BadInput
from rotation_desk.ui.state.sections import DcaSettings
from rotation_desk.ui.tabs.dca.banner import PlanBanner
from rotation_desk.ui.tabs.dca.editor import PlanEditor
from rotation_desk.ui.tabs.dca.plan_bar import PlanBar

NEW_PLAN_NAME = "My plan"


class PlanLibraryController:
    def __init__(
        self, library: PlanLibrary, editor: PlanEditor, bar: PlanBar, banner: PlanBanner, settings: DcaSettings, host
    ):
        self.library = library
        self.editor = editor
        self.bar = bar
        self.banner = banner
        self.settings = settings
        self.host = host
        self.path: Path | None = None  # the library file the editor shows (None: not saved yet)
        self.saved_raw: dict | None = None
        self.edited_since_load = False
        self.file_issues: list[PlanIssue] = []  # problems of the opened file the editor cannot show
        self.file_label = ""
        self.journal = None  # the tab's JournalActions (set once it exists)

    # -- opening ---------------------------------------------------------------------
    def default_raw(self) -> dict:
        """A new plan: the remembered contribution and allocation (``DcaSettings``), the format's defaults."""
        name = self.library.unique_name(NEW_PLAN_NAME)
        return starter_plan(name, self.settings.contribution, self.settings.allocation, dt.date.today())

    def open_initial(self) -> None:
        name = self.settings.last_plan
        path = self.library.resolve(name) if name else None
        if path is not None:
            self.open_path(path)
            return
        self.load_raw(self.default_raw(), None)
        if name:
            self.settings.last_plan = None
            self.banner.show_text(
                f"The last plan file, {name}, is no longer in {self.library.folder}; this is a new plan.", error=False
            )

    def load_raw(self, raw: dict, path: Path | None, file_issues=(), file_label: str = "") -> None:
        self.editor.set_raw(raw)
        self.edited_since_load = False
        self.path = path
        self.saved_raw = self.editor.raw() if path is not None else None
        self.file_issues = list(file_issues)
        self.file_label = file_label
        self.settings.last_plan = path.name if path is not None and self.library.contains(path) else None
        if not file_issues:
            self.banner.hide()
        self.refresh_combo()
        self.host.plan_loaded()

    def open_path(self, path: str | Path) -> OpenedPlan:
        """Open a plan file; a broken one is shown with its problems and left untouched."""
        opened = read_plan_file(path)
        self.show_opened(opened, in_library=self.library.contains(opened.path))
        return opened

    def show_opened(self, opened: OpenedPlan, in_library: bool) -> None:
        path = opened.path if in_library else None
        if opened.ok:
            self.load_raw(opened.raw, path)
            return
        raw = dict(opened.raw) if opened.raw is not None else {"name": opened.path.stem}
        issues = list(opened.error.issues)
        where = self.display_path(opened.path)
        unplaced = [i for i in issues if i.field not in self.editor.widgets]
        self.load_raw(raw, path, file_issues=issues, file_label=where)
        problems = "; ".join(str(i) for i in issues)
        extra = ""
        if any(i.field != "file" for i in unplaced):
            extra = (
                " Keys the plan format does not have are left out of the editor; saving writes the plan without them."
            )
        action = (
            "Fix the marked fields and press Save to rewrite it."
            if in_library
            else "Fix the marked fields and press Save to add it to your plans."
        )
        self.banner.show_text(f"{where} is not a valid plan: {problems}. The file is unchanged.{extra} {action}")

    def display_path(self, path: Path) -> str:
        return f"plans/{path.name}" if self.library.contains(path) else str(path)

    def refresh_combo(self) -> None:
        combo = self.bar.plan_combo
        combo.blockSignals(True)
        combo.clear()
        current = -1
        if self.path is None:
            name = self.editor.name.text().strip() or "New plan"
            combo.addItem(f"{name} (not saved)", "")
            current = 0
        for entry in self.library.entries():
            combo.addItem(entry.label, str(entry.path))
            if self.path is not None and entry.path == self.path:
                current = combo.count() - 1
        combo.setCurrentIndex(max(current, 0))
        combo.blockSignals(False)

    def combo_activated(self, index: int) -> None:
        data = self.bar.plan_combo.itemData(index)
        if not data or (self.path is not None and Path(data) == self.path):
            return
        if not self.may_discard():
            self.refresh_combo()
            return
        self.open_path(Path(data))

    # -- the saved state ---------------------------------------------------------------
    def is_dirty(self) -> bool:
        """Edited since it was opened or saved (a new plan: edited at all)."""
        if self.saved_raw is None:
            return self.edited_since_load
        return self.editor.raw() != self.saved_raw

    def edited(self) -> None:
        self.edited_since_load = True
        # problems the editor shows itself are now judged on what it shows
        self.file_issues = [i for i in self.file_issues if i.field not in self.editor.widgets]
        self.update_dirty()

    def update_dirty(self) -> None:
        if self.path is None:
            self.bar.dirty_label.setText("● Not saved yet")
        elif self.is_dirty():
            self.bar.dirty_label.setText("● Unsaved changes")
        else:
            self.bar.dirty_label.setText("")

    def may_discard(self, doing: str = "opening another plan") -> bool:
        """Save / Discard / Cancel when the edits would go (``unsaved.UnsavedGuard``); True: go on."""
        return self.host.unsaved.may_leave(doing)

    # -- the buttons -----------------------------------------------------------------
    def new_plan(self) -> None:
        if self.may_discard("starting a new plan"):
            self.load_raw(self.default_raw(), None)

    def save_plan(self) -> Path | None:
        """Write the editor's plan to its file (a new file in the plans folder the first time)."""
        plan = self.host.savable_plan()
        if plan is None:
            self.host.status_message.emit("Fix the marked fields before saving the plan.", False)
            return None
        path = self.path or self.library.new_path(plan.name)
        old_name = (self.saved_raw or {}).get("name") if self.path is not None else None
        try:
            self.library.save(plan, path)
        except BadInput as exc:
            self.host.warn("Save plan", str(exc))
            return None
        if isinstance(old_name, str) and old_name.strip() and old_name != plan.name and self.journal is not None:
            if not any(e.name == old_name for e in self.library.entries() if e.path != path):
                self.journal.plan_renamed(old_name, plan.name)
        self.path = path
        self.saved_raw = self.editor.raw()
        self.file_issues = []
        self.settings.last_plan = path.name
        self.banner.hide()
        self.refresh_combo()
        self.host.update_controls()
        self.host.status_message.emit(f"Plan saved to {path}", False)
        return path

    def duplicate_plan(self) -> Path | None:
        plan = self.host.savable_plan()
        if plan is None:
            return None
        try:
            copy, path = self.library.duplicate(plan)
        except BadInput as exc:
            self.host.warn("Duplicate plan", str(exc))
            return None
        self.open_path(path)
        self.host.status_message.emit(f"Saved a copy as “{copy.name}” ({path.name})", False)
        return path

    def delete_clicked(self) -> None:
        if self.path is None:
            return
        name = self.editor.name.text().strip() or self.path.stem
        saved = (self.saved_raw or {}).get("name")
        journal_name = saved if isinstance(saved, str) and saved.strip() else name
        buys = self.journal.buy_count(journal_name) if self.journal is not None else 0
        question = f"Delete the plan “{name}” ({self.path.name}) from the plans folder?"
        if not buys:
            if self.host.ask("Delete plan?", question):
                self.delete_plan()
            return
        choice = self.host.ask_choice(
            "Delete plan?",
            f"{question} Its journal holds {buys} buy{'s' if buys != 1 else ''}: keep them (they come back with a "
            "plan of the same name, and stay in rotation-desk journal list) or delete them too?",
            [("keep", "Delete the plan, keep its buys"), ("delete", "Delete the plan and its buys")],
        )
        if choice is None:
            return
        self.delete_plan()
        if choice == "delete":
            self.journal.delete_plan_journal(journal_name)

    def delete_plan(self) -> None:
        if self.path is None:
            return
        try:
            self.library.delete(self.path)
        except BadInput as exc:
            self.host.warn("Delete plan", str(exc))
            return
        gone = self.path.name
        entries = self.library.entries()
        if entries:
            self.open_path(entries[0].path)
        else:
            self.load_raw(self.default_raw(), None)
        self.host.status_message.emit(f"Deleted {gone}", False)

    def import_plan(self, source: str | Path) -> OpenedPlan:
        try:
            opened = self.library.import_file(source)
        except BadInput as exc:
            self.host.warn("Import plan", str(exc))
            return read_plan_file(source)
        self.show_opened(opened, in_library=opened.ok)
        if opened.ok:
            self.host.status_message.emit(f"Imported {source} as {opened.path.name}", False)
        return opened

    def export_plan(self, dest: str | Path) -> Path | None:
        plan = self.host.savable_plan()
        if plan is None:
            return None
        path = self.library.export(plan, dest)
        self.host.status_message.emit(f"Plan written to {path}", False)
        return path
