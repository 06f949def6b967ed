"""DCA Planner: build a plan, see its forward schedule, backtest it, project it, keep it in the plan library.

The plan is edited field by field (``dca_editor``) and validated by the
core's ``parse_plan``; nothing runs while a field is marked. A valid plan is
run off the GUI thread (``dca_run``: the same core calls as ``rotation-desk
dca``) and shown on three pages: Schedule, Backtest, Projection. Plans live
as JSON files in the plans folder (``dca_plans``); the last one reopens at
launch, and a broken file opens with its problems shown and is never written
unless the user saves.

The toolbar's range and benchmark do not apply here: the backtest window is
the plan's own unless set on the Backtest page, and the comparison is the
same plan into SPY, as on the command line. ``export-chart dca --start/--end``
sets the backtest window.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rotation_desk.core.dca_plan import DcaPlan, PlanIssue
from rotation_desk.core.dca_schedule import schedule_to_csv, schedule_to_ics
from rotation_desk.core.tickers import invalid
from rotation_desk.errors import BadInput, RotationDeskError
from rotation_desk.ui.charts.panel import ChartPanel
from rotation_desk.ui.kit.jobs import single_thread_runner
from rotation_desk.ui.kit.widgets import splitter
from rotation_desk.ui.tables.table import DataTable
from rotation_desk.ui.tabs.base import Tab, TabServices
from rotation_desk.ui.tabs.dca.backtest_page import BacktestPage
from rotation_desk.ui.tabs.dca.compute import BENCHMARK, RunInputs, RunOutputs, run
from rotation_desk.ui.tabs.dca.editor import PlanEditor, equal_weights
from rotation_desk.ui.tabs.dca.plans import OpenedPlan, PlanLibrary, read_plan_file
from rotation_desk.ui.tabs.dca.projection_page import ProjectionPage
from rotation_desk.ui.tabs.dca.schedule_page import SchedulePage

log = logging.getLogger(__name__)

EDIT_DELAY_MS = 300  # typing pauses this long before the plan is checked and run
DEFAULT_YEARS = 10


class DcaTab(Tab):
    title = "DCA Planner"
    key = "dca"
    views = ("dca",)
    follows_range = False  # the toolbar's range does not apply: the plan has its own dates

    def __init__(self, services: TabServices, parent: QWidget | None = None):
        super().__init__(services, parent)
        self.library = PlanLibrary(self.market.paths.plans_dir)
        self.plan_path: Path | None = None  # the library file the editor shows (None: not saved yet)
        self.outputs: RunOutputs | None = None  # what the pages show
        self._saved_raw: dict | None = None
        self._file_issues: list[PlanIssue] = []  # problems of the opened file the editor cannot show
        self._file_label = ""
        self._calendar_issues: list[PlanIssue] = []
        self.runner = single_thread_runner(self)  # a newer run starts once the older one has stopped
        self.job = self.add_job(
            "DCA plan",
            self,
            self._gather,
            _compute,
            self._show_outputs,
            self._run_failed,
            runner=self.runner,
            busy=self._busy,
        )

        self._build_bar()
        self._build_banner()
        self.editor = PlanEditor(self.market.ticker_names, self.theme)
        self.editor.changed.connect(self._editor_changed)
        scroll = QScrollArea()
        scroll.setWidget(self.editor)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(330)
        self.editor_scroll = scroll

        self.schedule_page = SchedulePage(self.theme)
        self.backtest_page = BacktestPage(self.theme, self.settings)
        self.projection_page = ProjectionPage(self.theme, self.settings)
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.schedule_page, "Schedule")
        self.pages.addTab(self.backtest_page, "Backtest")
        self.pages.addTab(self.projection_page, "Projection")
        self.schedule_page.export_csv_requested.connect(self._export_schedule_csv_dialog)
        self.schedule_page.export_ics_requested.connect(self._export_ics_dialog)
        self.backtest_page.export_ledger_requested.connect(self._export_ledger_dialog)
        self.backtest_page.window_edited.connect(self._inputs_changed)
        self.backtest_page.window_reset.connect(self._inputs_changed)
        self.projection_page.inputs_changed.connect(self._inputs_changed)
        self.projection_page.target_changed.connect(self._remember_target)

        split = splitter(Qt.Orientation.Horizontal, [scroll, self.pages], [0, 1], [400, 1000])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(self.bar)
        layout.addWidget(self.banner)
        layout.addWidget(split, 1)

        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save_plan)
        target = self.settings.dca.target
        if target is not None:
            self.projection_page.target.blockSignals(True)
            self.projection_page.target.setText(f"{target:,.2f}".removesuffix(".00"))
            self.projection_page.target.blockSignals(False)
        if self.view_state.preset == "Custom":  # export-chart --start/--end
            self.backtest_page.set_overrides(*self.view_state.custom_range)
        self.theme_changed(self.theme)
        self._open_initial()

    # ------------------------------------------------------------------ building
    def _build_bar(self) -> None:
        self.plan_combo = QComboBox()
        self.plan_combo.setMinimumWidth(220)
        self.plan_combo.setToolTip(f"Saved plans (in {self.library.folder})")
        self.plan_combo.activated.connect(self._combo_activated)
        self.new_button = QPushButton("New")
        self.new_button.setToolTip("Start a new plan")
        self.new_button.clicked.connect(self.new_plan)
        self.save_button = QPushButton("Save")
        self.save_button.setToolTip("Save the plan in the plans folder (Ctrl+S)")
        self.save_button.clicked.connect(self.save_plan)
        self.duplicate_button = QPushButton("Duplicate")
        self.duplicate_button.setToolTip("Save a copy of this plan under a new name and open it")
        self.duplicate_button.clicked.connect(self.duplicate_plan)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete this plan's file from the plans folder")
        self.delete_button.clicked.connect(self._delete_clicked)
        self.import_button = QPushButton("Import…")
        self.import_button.setToolTip("Open a plan file from anywhere and add it to the plans folder")
        self.import_button.clicked.connect(self._import_dialog)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Write this plan to a JSON file (the format rotation-desk dca reads)")
        self.export_button.clicked.connect(self._export_plan_dialog)
        self.dirty_label = QLabel()
        self.state_label = QLabel()
        self.run_button = QPushButton("Run")
        self.run_button.setToolTip("Compute the schedule, backtest and projection again")
        self.run_button.clicked.connect(self.run_now)
        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(QLabel("Plan"))
        bar.addWidget(self.plan_combo)
        for b in (
            self.new_button,
            self.save_button,
            self.duplicate_button,
            self.delete_button,
            self.import_button,
            self.export_button,
        ):
            bar.addWidget(b)
        bar.addSpacing(8)
        bar.addWidget(self.dirty_label)
        bar.addStretch(1)
        bar.addWidget(self.state_label)
        bar.addWidget(self.run_button)
        self.bar = bar

    def _build_banner(self) -> None:
        self.banner = QFrame()
        self.banner.setObjectName("planBanner")
        self.banner_label = QLabel()
        self.banner_label.setWordWrap(True)
        self.banner_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(text="✕")
        close.setAutoRaise(True)
        close.setToolTip("Hide this message")
        close.clicked.connect(self.banner.hide)
        h = QHBoxLayout(self.banner)
        h.setContentsMargins(10, 6, 6, 6)
        h.addWidget(self.banner_label, 1)
        h.addWidget(close)
        self.banner.hide()
        self._banner_error = True

    def show_banner(self, text: str, error: bool = True) -> None:
        self._banner_error = error
        self.banner_label.setText(text)
        self._style_banner()
        self.banner.show()

    def banner_text(self) -> str | None:
        return self.banner_label.text() if not self.banner.isHidden() else None

    def _style_banner(self) -> None:
        t = self.theme
        edge = t.loss if self._banner_error else t.highlight
        self.banner.setStyleSheet(
            f"QFrame#planBanner {{ border: 1px solid {edge}; border-left: 4px solid {edge}; "
            f"border-radius: 3px; background: {t.alt_base}; }}"
        )
        self.banner_label.setStyleSheet(f"color: {t.text};")

    # ------------------------------------------------------------------ the plan library
    def default_raw(self) -> dict:
        """A new plan: the remembered contribution and allocation, monthly from next month for ten years."""
        today = dt.date.today()
        start = dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)
        end = dt.date(start.year + DEFAULT_YEARS, start.month, 1) - dt.timedelta(days=1)
        dca = self.settings.dca
        return {
            "name": self.library.unique_name("My plan"),
            "contribution": dca.contribution,
            "frequency": "monthly",
            "anchor": "first-session",
            "start": start.isoformat(),
            "end": end.isoformat(),
            "allocation": dict(dca.allocation),
            "fractional": True,
            "rebalance": "pro-rata",
        }

    def _open_initial(self) -> None:
        name = self.settings.dca.last_plan
        path = self.library.resolve(name) if name else None
        if path is not None:
            self.open_path(path)
            return
        self._load_raw(self.default_raw(), None)
        if name:
            self.settings.dca.last_plan = None
            self.show_banner(
                f"The last plan file, {name}, is no longer in {self.library.folder}; this is a new plan.", error=False
            )

    def _load_raw(self, raw: dict, path: Path | None, file_issues=(), file_label: str = "") -> None:
        self.editor.set_raw(raw)
        self._edited_since_load = False
        self.plan_path = path
        self._saved_raw = self.editor.raw() if path is not None else None
        self._file_issues = list(file_issues)
        self._file_label = file_label
        self._calendar_issues = []
        if path is not None and self.library.contains(path):
            self.settings.dca.last_plan = path.name
        else:
            self.settings.dca.last_plan = None
        if not file_issues:
            self.banner.hide()
        self._refresh_combo()
        self._check()
        self.job.invalidate()

    def open_path(self, path: str | Path) -> OpenedPlan:
        """Open a plan file; a broken one is shown with its problems and left untouched."""
        opened = read_plan_file(path)
        self._show_opened(opened, in_library=self.library.contains(opened.path))
        return opened

    def _show_opened(self, opened: OpenedPlan, in_library: bool) -> None:
        path = opened.path if in_library else None
        if opened.ok:
            self._load_raw(opened.raw, path)
            return
        raw = dict(opened.raw) if opened.raw is not None else {"name": opened.path.stem}
        issues = list(opened.error.issues)
        where = self._display_path(opened.path)
        placeable = set(self.editor.widgets)
        unplaced = [i for i in issues if i.field not in placeable]
        self._load_raw(raw, path, file_issues=issues, file_label=where)
        problems = "; ".join(str(i) for i in issues)
        extra = ""
        if any(i.field != "file" for i in unplaced):
            extra = (
                " Keys the plan format does not have are left out of the editor; saving writes the plan without them."
            )
        action = (
            "Fix the marked fields and press Save to rewrite it."
            if in_library
            else ("Fix the marked fields and press Save to add it to your plans.")
        )
        self.show_banner(f"{where} is not a valid plan: {problems}. The file is unchanged.{extra} {action}")

    def _display_path(self, path: Path) -> str:
        return f"plans/{path.name}" if self.library.contains(path) else str(path)

    def _refresh_combo(self) -> None:
        combo = self.plan_combo
        combo.blockSignals(True)
        combo.clear()
        current = -1
        if self.plan_path is None:
            name = self.editor.name.text().strip() or "New plan"
            combo.addItem(f"{name} (not saved)", "")
            current = 0
        for entry in self.library.entries():
            combo.addItem(entry.label, str(entry.path))
            if self.plan_path is not None and entry.path == self.plan_path:
                current = combo.count() - 1
        combo.setCurrentIndex(max(current, 0))
        combo.blockSignals(False)

    def _combo_activated(self, index: int) -> None:
        data = self.plan_combo.itemData(index)
        if not data or (self.plan_path is not None and Path(data) == self.plan_path):
            return
        if not self._may_discard():
            self._refresh_combo()
            return
        self.open_path(Path(data))

    def is_dirty(self) -> bool:
        """Edited since it was opened or saved (a new plan: edited at all)."""
        if self._saved_raw is None:
            return self._edited_since_load
        return self.editor.raw() != self._saved_raw

    def _may_discard(self) -> bool:
        return not self.is_dirty() or self.ask(
            "Discard changes?", "The plan has changes that are not saved. Discard them?"
        )

    def new_plan(self) -> None:
        if not self._may_discard():
            return
        self._load_raw(self.default_raw(), None)

    def save_plan(self) -> Path | None:
        """Write the editor's plan to its file (a new file in the plans folder the first time)."""
        plan = self.savable_plan()
        if plan is None:
            self.status_message.emit("Fix the marked fields before saving the plan.", False)
            return None
        path = self.plan_path or self.library.new_path(plan.name)
        try:
            self.library.save(plan, path)
        except BadInput as exc:
            self.warn("Save plan", str(exc))
            return None
        self.plan_path = path
        self._saved_raw = self.editor.raw()
        self._file_issues = []
        self.settings.dca.last_plan = path.name
        self.banner.hide()
        self._refresh_combo()
        self._update_controls()
        self.status_message.emit(f"Plan saved to {path}", False)
        return path

    def duplicate_plan(self) -> Path | None:
        plan = self.savable_plan()
        if plan is None:
            return None
        try:
            copy, path = self.library.duplicate(plan)
        except BadInput as exc:
            self.warn("Duplicate plan", str(exc))
            return None
        self.open_path(path)
        self.status_message.emit(f"Saved a copy as “{copy.name}” ({path.name})", False)
        return path

    def _delete_clicked(self) -> None:
        if self.plan_path is None:
            return
        name = self.editor.name.text().strip() or self.plan_path.stem
        if self.ask("Delete plan?", f"Delete the plan “{name}” ({self.plan_path.name}) from the plans folder?"):
            self.delete_plan()

    def delete_plan(self) -> None:
        if self.plan_path is None:
            return
        try:
            self.library.delete(self.plan_path)
        except BadInput as exc:
            self.warn("Delete plan", str(exc))
            return
        gone = self.plan_path.name
        entries = self.library.entries()
        if entries:
            self.open_path(entries[0].path)
        else:
            self._load_raw(self.default_raw(), None)
        self.status_message.emit(f"Deleted {gone}", False)

    def import_plan(self, source: str | Path) -> OpenedPlan:
        try:
            opened = self.library.import_file(source)
        except BadInput as exc:
            self.warn("Import plan", str(exc))
            return read_plan_file(source)
        self._show_opened(opened, in_library=opened.ok)
        if opened.ok:
            self.status_message.emit(f"Imported {source} as {opened.path.name}", False)
        return opened

    def export_plan(self, dest: str | Path) -> Path | None:
        plan = self.savable_plan()
        if plan is None:
            return None
        path = self.library.export(plan, dest)
        self.status_message.emit(f"Plan written to {path}", False)
        return path

    # ------------------------------------------------------------------ dialogs (thin, replaceable in tests)
    def ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)

    def save_file_name(self, caption: str, name: str, filters: str) -> str:
        folder = self.settings.export.folder or str(Path.home())
        chosen, _ = QFileDialog.getSaveFileName(self, caption, str(Path(folder) / name), filters)
        return chosen

    def open_file_name(self, caption: str, filters: str) -> str:
        chosen, _ = QFileDialog.getOpenFileName(self, caption, self.settings.export.folder or str(Path.home()), filters)
        return chosen

    def _import_dialog(self) -> None:
        name = self.open_file_name("Import a plan file", "DCA plan (*.json);;All files (*)")
        if name and self._may_discard():
            self.import_plan(name)

    def _export_plan_dialog(self) -> None:
        plan = self.savable_plan()
        if plan is None:
            return
        name = self.save_file_name("Export the plan", f"{self._file_stem(plan)}.json", "DCA plan (*.json)")
        if name:
            self._guard("Export plan", lambda: self.export_plan(_with_suffix(name, ".json")))

    def _export_schedule_csv_dialog(self) -> None:
        plan = self.valid_plan()
        if plan is None:
            return
        name = self.save_file_name("Export the schedule", f"{self._file_stem(plan)}-schedule.csv", "CSV (*.csv)")
        if name:
            self._guard("Export schedule", lambda: self.export_schedule_csv(_with_suffix(name, ".csv")))

    def _export_ics_dialog(self) -> None:
        plan = self.valid_plan()
        if plan is None:
            return
        name = self.save_file_name("Export the buy dates", f"{self._file_stem(plan)}.ics", "iCalendar (*.ics)")
        if name:
            self._guard("Export calendar", lambda: self.export_ics(_with_suffix(name, ".ics")))

    def _export_ledger_dialog(self) -> None:
        plan = self.valid_plan()
        if plan is None:
            return
        name = self.save_file_name("Export the ledger", f"{self._file_stem(plan)}-ledger.csv", "CSV (*.csv)")
        if name:
            self._guard("Export ledger", lambda: self.export_ledger_csv(_with_suffix(name, ".csv")))

    def _guard(self, title: str, fn) -> None:
        try:
            fn()
        except RotationDeskError as exc:
            self.warn(title, str(exc))
        except OSError as exc:
            self.warn(title, f"cannot write the file ({exc.strerror or exc})")

    def _file_stem(self, plan: DcaPlan) -> str:
        from rotation_desk.ui.tabs.dca.plans import slug

        return slug(plan.name)

    # ------------------------------------------------------------------ exports (the core writes the files)
    def _current_outputs(self) -> RunOutputs:
        self.ensure_current()
        out = self.outputs
        if out is None or out.schedule is None:
            raise BadInput("the plan has problems; fix the marked fields first")
        return out

    def export_schedule_csv(self, path: str | Path) -> Path:
        out = self._current_outputs()
        schedule_to_csv(out.schedule, path)
        self.status_message.emit(f"Schedule ({len(out.schedule)} orders) saved to {path}", False)
        return Path(path)

    def export_ics(self, path: str | Path) -> Path:
        out = self._current_outputs()
        schedule_to_ics(out.inputs.plan, out.schedule, path)
        self.status_message.emit(f"Calendar ({out.summary.buys} buy dates) saved to {path}", False)
        return Path(path)

    def export_ledger_csv(self, path: str | Path) -> Path:
        out = self._current_outputs()
        if out.backtest is None:
            raise BadInput(out.backtest_error or "the backtest did not run")
        out.backtest.ledger_csv(path)
        self.status_message.emit(f"Ledger ({len(out.backtest.ledger)} orders) saved to {path}", False)
        return Path(path)

    # ------------------------------------------------------------------ validation
    _edited_since_load = False

    def savable_plan(self) -> DcaPlan | None:
        """The editor's plan when every field it shows is valid (what Save, Duplicate and Export write)."""
        plan, issues = self.editor.issues()
        if plan is None or issues or self._calendar_issues:
            return None
        return plan

    def valid_plan(self) -> DcaPlan | None:
        """The plan to run: valid, and the opened file's own problems dealt with (by saving)."""
        return None if self._file_issues else self.savable_plan()

    def _editor_changed(self) -> None:
        self._edited_since_load = True
        self._calendar_issues = []
        # problems the editor shows itself are now judged on what it shows
        self._file_issues = [i for i in self._file_issues if i.field not in self.editor.widgets]
        self._update_dirty()
        self.job.later(EDIT_DELAY_MS)  # checked and run once the typing rests

    def _inputs_changed(self) -> None:
        self.job.later(EDIT_DELAY_MS)

    def apply_edits(self) -> None:
        """Check (and run) now instead of after the typing pause."""
        self._check()
        self.job.invalidate()

    def _check(self) -> DcaPlan | None:
        """Mark the editor's problems; the plan when it can run (else the pages say what to fix)."""
        plan, issues = self.editor.issues()
        shown = list(issues)
        seen = {(i.field, i.message) for i in shown}
        for extra in self._file_issues + self._calendar_issues:
            if (extra.field, extra.message) not in seen:
                shown.append(extra)
        self.editor.mark(shown)
        self._update_controls()
        valid = self.valid_plan()
        if valid is None:
            self._show_invalid(shown)
        return valid

    def _show_invalid(self, issues) -> None:
        self.job.cancel()  # drop any run in flight
        self.outputs = None
        marked = [self._field_label(i.field) for i in issues if i.field in self.editor.widgets]
        parts = []
        if marked:
            parts.append("the marked fields (" + ", ".join(dict.fromkeys(marked)) + ")")
        if any(i.field not in self.editor.widgets for i in issues):
            parts.append("the file problems listed above (Save rewrites the file)")
        text = "Nothing is computed until the plan is valid: fix " + (" and ".join(parts) or "the plan") + "."
        self.schedule_page.show_message(text)
        self.backtest_page.show_message(text)
        self.projection_page.show_message(text)
        self.state_label.setText("Plan has problems")
        self._style_state(error=True)

    @staticmethod
    def _field_label(field: str) -> str:
        return {
            "step_up_pct": "yearly step-up",
            "fractional": "shares",
            "rebalance": "new money",
            "anchor": "buy day",
            "file": "the file",
        }.get(field, field)

    def _update_dirty(self) -> None:
        if self.plan_path is None:
            self.dirty_label.setText("● Not saved yet")
        elif self.is_dirty():
            self.dirty_label.setText("● Unsaved changes")
        else:
            self.dirty_label.setText("")

    def _update_controls(self) -> None:
        valid = self.valid_plan() is not None
        savable = self.savable_plan() is not None
        self.run_button.setEnabled(valid)
        self.run_button.setToolTip(
            "Compute the schedule, backtest and projection again"
            if valid
            else (
                "Save the plan first (the opened file has problems the editor has left out)"
                if savable
                else "Fix the marked fields first"
            )
        )
        self.save_button.setEnabled(savable)
        self.duplicate_button.setEnabled(savable)
        self.export_button.setEnabled(savable)
        self.delete_button.setEnabled(self.plan_path is not None)
        self._update_dirty()

    # ------------------------------------------------------------------ running
    def run_now(self) -> None:
        self.job.run()

    def is_idle(self) -> bool:
        """Nothing running and no edit waiting for its typing pause."""
        return not self.job.busy() and not self.job.resting()

    def _gather(self) -> RunInputs | None:
        """On the GUI thread: the valid plan (None: the editor shows what to fix) and its closes."""
        plan = self._check()
        if plan is None:
            return None
        names = list(dict.fromkeys(list(plan.tickers) + [BENCHMARK]))
        benchmark = BENCHMARK
        if BENCHMARK not in self.market.ticker_names():
            names, benchmark = list(plan.tickers), None
        closes = self.market.closes(names)
        start, end = self.backtest_page.overrides()
        return RunInputs(
            plan=plan,
            closes=closes,
            start=start,
            end=end,
            n_paths=self.projection_page.n_paths(),
            seed=self.projection_page.seed_value(),
            benchmark=benchmark,
        )

    def _busy(self, on: bool) -> None:
        if on:
            self.state_label.setText("Computing…")
            self._style_state(error=False)

    def _run_failed(self, message: str) -> None:
        self.outputs = None
        self.state_label.setText("Could not compute")
        self._style_state(error=True)
        for page in (self.schedule_page, self.backtest_page, self.projection_page):
            page.show_message(message)

    def _show_outputs(self, out: RunOutputs | None) -> None:
        if out is None:
            return  # the plan has problems: _check has said so
        if out.plan_error is not None:
            self._calendar_issues = list(out.plan_error.issues)
            self._check()
            return
        self.outputs = out
        plan = out.inputs.plan
        self.schedule_page.show_schedule(plan, out.schedule, out.summary, out.latest, out.latest_date)
        result = out.backtest
        if out.window is not None:
            end = out.window[1] if out.window[1] is not None else (result.end if result is not None else None)
            self.backtest_page.set_window(out.window[0], end)
        elif result is not None:
            self.backtest_page.set_window(result.start, result.end)
        if result is not None:
            default = out.inputs.start is None and out.inputs.end is None
            self.backtest_page.show_result(result, default, plan.start)
            self.backtest_page.chart.set_source(self.source_text())
        else:
            self.backtest_page.show_message(f"No backtest: {out.backtest_error}")
        if out.projection is not None:
            self.projection_page.show_result(out.projection, plan.name)
            self.projection_page.chart.set_source(self.source_text())
        else:
            self.projection_page.show_message(f"No projection: {out.projection_error}")
        problems = [p for p in (out.backtest_error, out.projection_error) if p]
        self.state_label.setText("Up to date" if not problems else "Up to date (see the pages for what could not run)")
        self._style_state(error=bool(problems))

    def _style_state(self, error: bool) -> None:
        self.state_label.setStyleSheet(f"color: {self.theme.loss if error else self.theme.muted};")

    def _remember_target(self) -> None:
        try:
            target = self.projection_page.target_value()
        except ValueError:
            return
        if target is None:
            self.settings.dca.target = None
        else:
            self.settings.dca.target = target

    # ------------------------------------------------------------------ tab protocol
    def chart_for_view(self, view: str) -> ChartPanel:
        if view == "dca":
            return self.backtest_page.chart
        raise KeyError(view)

    def select_view(self, view: str) -> None:
        if view == "dca":
            self.pages.setCurrentWidget(self.backtest_page)

    def current_chart(self) -> ChartPanel | None:
        page = self.pages.currentWidget()
        if page is self.backtest_page:
            return self.backtest_page.chart
        if page is self.projection_page:
            return self.projection_page.chart
        return None

    def current_table(self) -> DataTable | None:
        page = self.pages.currentWidget()
        if page is self.schedule_page:
            return self.schedule_page.table
        if page is self.backtest_page:
            inner = self.backtest_page.tables.currentWidget()
            return inner if isinstance(inner, DataTable) else inner.findChild(DataTable)
        return None

    def use_tickers(self, tickers: list[str]) -> None:
        """``export-chart dca --tickers``: the plan with an equal-weight allocation of these tickers."""
        names = list(dict.fromkeys(t.strip().upper() for t in tickers if t.strip()))
        if not names:
            raise BadInput("--tickers: give the tickers for the plan's allocation")
        bad = invalid(names)
        if bad:
            raise BadInput(f"--tickers: not a ticker: {', '.join(bad)}")
        known = set(self.market.ticker_names())
        unknown = [n for n in names if n not in known]
        if unknown:
            raise BadInput(f"--tickers: no cached prices for {', '.join(unknown)} (refresh or import them first)")
        raw = self.editor.raw()
        raw["allocation"] = equal_weights(names)
        self._load_raw(raw, None)
        self._file_issues = []
        plan = self._check()
        if plan is None:
            problems = "; ".join(f"{f}: {m}" for f, m in self.editor.marks().items())
            raise BadInput(f"the DCA plan with --tickers {','.join(names)} is not valid: {problems}")

    def data_changed(self) -> None:
        self.editor.refresh_known()
        super().data_changed()

    def theme_changed(self, theme) -> None:
        self.editor.apply_theme(theme)
        self.schedule_page.apply_theme(theme)
        self.backtest_page.apply_theme(theme)
        self.projection_page.apply_theme(theme)
        self.dirty_label.setStyleSheet(f"color: {theme.muted};")
        self._style_state(error=self.state_label.text() not in ("", "Up to date", "Computing…"))
        self._style_banner()


def _with_suffix(name: str, suffix: str) -> str:
    return name if name.lower().endswith(suffix) else name + suffix


def _compute(inputs: RunInputs | None, cancelled) -> RunOutputs | None:
    return None if inputs is None else run(inputs, cancelled=cancelled)
