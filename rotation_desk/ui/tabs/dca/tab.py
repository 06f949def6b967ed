"""DCA Planner: build a plan, see its forward schedule, backtest it, project it, keep it in the plan library.

This module wires the parts together:
- ``plan_bar`` (the plan list, the library buttons, Run) and ``banner``;
- ``editor`` (every field of the plan format, validated by the core's
  ``parse_plan``) and ``validation`` (whether the plan can be saved and run;
  nothing runs while a field is marked);
- ``library_controller``: the plan files (open, save, duplicate, delete,
  import, export; the last one reopens at launch; a broken file opens with its
  problems shown and is never written unless the user saves);
- ``running``: one background job runs a valid plan (``compute.run``: the
  same core calls as ``rotation-desk dca``) and shows it on the three pages,
  Schedule, Backtest, Projection; ``exports`` writes their files;
- ``holdings_run``: the Holdings page's own job (the plan's journal against
  the plan, ``holdings_compute``); ``journal_actions``: Mark as bought, Add
  buy…, Edit…, Delete, Import buys from CSV…, Undo.

The toolbar's range and benchmark do not apply here: the backtest window is
the plan's own unless set on the Backtest page, and the comparison is the
same plan into SPY, as on the command line. ``export-chart dca --start/--end``
sets the backtest window.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QTabWidget, QWidget

from rotation_desk.core.dca.plan import DcaPlan
from rotation_desk.core.tickers import invalid
from rotation_desk.data.plan_files import OpenedPlan
from rotation_desk.data.plan_library import PlanLibrary
from rotation_desk.errors import BadInput
from rotation_desk.ui.charts.panel import ChartPanel
from rotation_desk.ui.kit.boxes import column
from rotation_desk.ui.kit.currency_bar import CurrencyBar
from rotation_desk.ui.kit.jobs import single_thread_runner
from rotation_desk.ui.kit.widgets import scrolling, splitter
from rotation_desk.ui.tables.table import DataTable
from rotation_desk.ui.tabs.base import Tab, TabServices
from rotation_desk.ui.tabs.dca.backtest_page import BacktestPage
from rotation_desk.ui.tabs.dca.banner import PlanBanner
from rotation_desk.ui.tabs.dca.compute import RunInputs, RunOutputs, run
from rotation_desk.ui.tabs.dca.editor import PlanEditor
from rotation_desk.ui.tabs.dca.exports import PlanExports
from rotation_desk.ui.tabs.dca.fields import equal_weights
from rotation_desk.ui.tabs.dca.holdings_page import HoldingsPage
from rotation_desk.ui.tabs.dca.holdings_run import HoldingsRun
from rotation_desk.ui.tabs.dca.journal_actions import JournalActions
from rotation_desk.ui.tabs.dca.library_controller import PlanLibraryController
from rotation_desk.ui.tabs.dca.plan_bar import PlanBar
from rotation_desk.ui.tabs.dca.projection_page import ProjectionPage
from rotation_desk.ui.tabs.dca.running import PlanRun
from rotation_desk.ui.tabs.dca.schedule_page import SchedulePage
from rotation_desk.ui.tabs.dca.unsaved import UnsavedGuard, ask_unsaved
from rotation_desk.ui.tabs.dca.validation import PlanCheck

log = logging.getLogger(__name__)

EDIT_DELAY_MS = 300  # typing pauses this long before the plan is checked and run


class DcaTab(Tab):
    title = "DCA Planner"
    key = "dca"
    views = ("dca",)
    follows_range = False  # the toolbar's range does not apply: the plan has its own dates

    def __init__(self, services: TabServices, parent: QWidget | None = None):
        super().__init__(services, parent)
        self.outputs: RunOutputs | None = None  # what the pages show
        library = PlanLibrary(self.market.paths.plans_dir)
        self.bar = PlanBar(library.folder, self.theme)
        self.plan_combo, self.run_button, self.save_button = (
            self.bar.plan_combo,
            self.bar.run_button,
            self.bar.save_button,
        )
        self.banner = PlanBanner(self.theme)
        self.editor = PlanEditor(self.market.ticker_names, self.theme)
        scroll = scrolling(self.editor, min_width=330)
        self.editor_scroll = scroll

        self.schedule_page = SchedulePage(self.theme)
        self.backtest_page = BacktestPage(self.theme, self.settings)
        self.projection_page = ProjectionPage(self.theme, self.settings)
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.schedule_page, "Schedule")
        self.pages.addTab(self.backtest_page, "Backtest")
        self.pages.addTab(self.projection_page, "Projection")
        self.holdings_page = HoldingsPage(self.theme, self.settings)
        self.pages.addTab(self.holdings_page, "Holdings")

        self.plans = PlanLibraryController(library, self.editor, self.bar, self.banner, self.settings.dca, self)
        self.unsaved = UnsavedGuard(self, self.plans, self.market.paths.data_dir)
        self.library = library
        self.check = PlanCheck(self.editor, self.plans, self.bar, self._show_invalid)
        self.currency_bar = CurrencyBar(self.settings, self.view_state, self.theme)
        self.running = PlanRun(self, self.check, self.bar, self.schedule_page, self.backtest_page, self.projection_page)
        self.exports = PlanExports(self)
        self.runner = single_thread_runner(self)  # a newer run starts once the older one has stopped
        self.job = self.add_job(
            "DCA plan",
            self,
            self.running.gather,
            _compute,
            self.running.show,
            self.running.failed,
            runner=self.runner,
            busy=self.running.busy,
        )
        self.holdings = HoldingsRun(self, self.holdings_page)
        self.journal_actions = JournalActions(self, self.holdings_page)
        self.plans.journal = self.journal_actions
        self._connect()

        split = splitter(Qt.Orientation.Horizontal, [scroll, self.pages], [0, 1], [400, 1000])
        column(self, [self.bar, self.banner, self.currency_bar, (split, 1)], (8, 8, 8, 8))

        target = self.settings.dca.target
        if target is not None:
            self.projection_page.target.blockSignals(True)
            self.projection_page.target.setText(f"{target:,.2f}".removesuffix(".00"))
            self.projection_page.target.blockSignals(False)
        if self.view_state.preset == "Custom":  # export-chart --start/--end
            self.backtest_page.set_overrides(*self.view_state.custom_range)
        self.theme_changed(self.theme)
        self.plans.open_initial()
        self.unsaved.offer_restore()  # edits a crash left behind, offered in the banner

    def _connect(self) -> None:
        bar, plans = self.bar, self.plans
        bar.plan_combo.activated.connect(plans.combo_activated)
        bar.new_button.clicked.connect(self.new_plan)
        bar.save_button.clicked.connect(self.save_plan)
        bar.duplicate_button.clicked.connect(self.duplicate_plan)
        bar.delete_button.clicked.connect(plans.delete_clicked)
        bar.import_button.clicked.connect(self._import_dialog)
        bar.export_button.clicked.connect(lambda: self.exports.ask_and_write("plan"))
        bar.run_button.clicked.connect(self.run_now)
        self.editor.changed.connect(self._editor_changed)
        self.schedule_page.export_csv_requested.connect(lambda: self.exports.ask_and_write("schedule"))
        self.schedule_page.export_ics_requested.connect(lambda: self.exports.ask_and_write("ics"))
        self.schedule_page.mark_requested.connect(self.journal_actions.mark_bought)
        self.backtest_page.export_ledger_requested.connect(lambda: self.exports.ask_and_write("ledger"))
        self.backtest_page.window_edited.connect(self._inputs_changed)
        self.backtest_page.window_reset.connect(self._inputs_changed)
        self.projection_page.inputs_changed.connect(self._inputs_changed)
        self.projection_page.target_changed.connect(self._remember_target)
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save_plan)

    # ------------------------------------------------------------------ the plan library (``plans``)
    @property
    def plan_path(self) -> Path | None:
        """The library file the editor shows (None: not saved yet)."""
        return self.plans.path

    def default_raw(self) -> dict:
        return self.plans.default_raw()

    def open_path(self, path: str | Path) -> OpenedPlan:
        return self.plans.open_path(path)

    def is_dirty(self) -> bool:
        return self.plans.is_dirty()

    def new_plan(self) -> None:
        self.plans.new_plan()

    def save_plan(self) -> Path | None:
        return self.plans.save_plan()

    def duplicate_plan(self) -> Path | None:
        return self.plans.duplicate_plan()

    def delete_plan(self) -> None:
        self.plans.delete_plan()

    def import_plan(self, source: str | Path) -> OpenedPlan:
        return self.plans.import_plan(source)

    def export_plan(self, dest: str | Path) -> Path | None:
        return self.plans.export_plan(dest)

    def show_banner(self, text: str, error: bool = True) -> None:
        self.banner.show_text(text, error)

    def banner_text(self) -> str | None:
        return self.banner.text()

    def plan_loaded(self) -> None:
        """A plan was put in the editor (opened, new, after a delete): check it, run it when shown."""
        self.check.calendar_issues = []
        self.check.check()
        self.job.invalidate()
        self.holdings.job.invalidate()

    def journal_changed(self) -> None:
        """A buy was added, changed or deleted: the Holdings page recomputes (when shown)."""
        self.holdings.job.invalidate()

    def import_buys_dialog(self) -> None:
        """File ▸ Import buys from CSV…: into the journal of the plan on screen (the Holdings page shows them)."""
        self.pages.setCurrentWidget(self.holdings_page)
        self.journal_actions.import_dialog()

    def _show_invalid(self, text: str) -> None:
        self.running.show_invalid(text)
        self.holdings.show_invalid(text)

    # ------------------------------------------------------------------ dialogs (thin, replaceable in tests)
    def ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def choose_unsaved(self, title: str, text: str) -> str:
        """Save / Discard / Cancel (``unsaved.SAVE`` …)."""
        return ask_unsaved(self, title, text)

    def may_close(self) -> bool:
        return self.unsaved.may_leave("quitting")

    def warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)

    def ask_choice(self, title: str, text: str, choices: list[tuple[str, str]]) -> str | None:
        """One of ``choices`` (key, button label), or None for Cancel."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, self)
        buttons = {box.addButton(label, QMessageBox.ButtonRole.AcceptRole): key for key, label in choices}
        box.exec()
        return buttons.get(box.clickedButton())

    def run_dialog(self, dialog: QDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def save_file_name(self, caption: str, name: str, filters: str) -> str:
        folder = self.settings.export.folder or str(Path.home())
        chosen, _ = QFileDialog.getSaveFileName(self, caption, str(Path(folder) / name), filters)
        return chosen

    def open_file_name(self, caption: str, filters: str) -> str:
        chosen, _ = QFileDialog.getOpenFileName(self, caption, self.settings.export.folder or str(Path.home()), filters)
        return chosen

    def _import_dialog(self) -> None:
        name = self.open_file_name("Import a plan file", "DCA plan (*.json);;All files (*)")
        if name and self.plans.may_discard("importing a plan"):
            self.import_plan(name)

    # ------------------------------------------------------------------ exports (``exports``; ``data`` writes)
    def current_outputs(self) -> RunOutputs:
        self.ensure_current()
        out = self.outputs
        if out is None or out.schedule is None:
            raise BadInput("the plan has problems; fix the marked fields first")
        return out

    def export_schedule_csv(self, path: str | Path) -> Path:
        return self.exports.write("schedule", path)

    def export_ics(self, path: str | Path) -> Path:
        return self.exports.write("ics", path)

    def export_ledger_csv(self, path: str | Path) -> Path:
        return self.exports.write("ledger", path)

    # ------------------------------------------------------------------ validation (``check``) and running
    def savable_plan(self) -> DcaPlan | None:
        return self.check.savable_plan()

    def valid_plan(self) -> DcaPlan | None:
        return self.check.valid_plan()

    def update_controls(self) -> None:
        self.check.update_controls()

    def _editor_changed(self) -> None:
        self.plans.edited()
        self.check.calendar_issues = []
        self.job.later(EDIT_DELAY_MS)  # checked and run once the typing rests
        self.holdings.job.later(EDIT_DELAY_MS)

    def _inputs_changed(self) -> None:
        self.job.later(EDIT_DELAY_MS)

    def apply_edits(self) -> None:
        """Check (and run) now instead of after the typing pause."""
        self.check.check()
        self.job.invalidate()

    def run_now(self) -> None:
        self.job.run()

    def is_idle(self) -> bool:
        """Nothing running and no edit waiting for its typing pause."""
        return not any(job.busy() or job.resting() for job in (self.job, self.holdings.job))

    def _remember_target(self) -> None:
        try:
            self.settings.dca.target = self.projection_page.target_value()
        except ValueError:
            return

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
        if page is self.holdings_page:
            return self.holdings_page.chart
        return None

    def current_table(self) -> DataTable | None:
        page = self.pages.currentWidget()
        if page is self.schedule_page:
            return self.schedule_page.table
        if page is self.backtest_page:
            inner = self.backtest_page.tables.currentWidget()
            return inner if isinstance(inner, DataTable) else inner.findChild(DataTable)
        if page is self.holdings_page:
            inner = self.holdings_page.views.currentWidget()
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
        self.plans.load_raw(raw, None)
        self.plans.file_issues = []
        plan = self.check.check()
        if plan is None:
            problems = "; ".join(f"{f}: {m}" for f, m in self.editor.marks().items())
            raise BadInput(f"the DCA plan with --tickers {','.join(names)} is not valid: {problems}")

    def data_changed(self) -> None:
        self.editor.refresh_known()
        super().data_changed()

    def theme_changed(self, theme) -> None:
        self.editor.apply_theme(theme)
        self.currency_bar.apply_theme(theme)
        for page in (self.schedule_page, self.backtest_page, self.projection_page, self.holdings_page):
            page.apply_theme(theme)
        self.bar.apply_theme(theme)
        self.banner.apply_theme(theme)


def _compute(inputs: RunInputs | None, cancelled) -> RunOutputs | None:
    return None if inputs is None else run(inputs, cancelled=cancelled)
