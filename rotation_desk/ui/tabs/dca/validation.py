"""Whether the DCA tab's plan can be saved and run, and what the editor and the pages say when it cannot.

Three sources of problems: the editor's fields (``parse_plan`` and the
editor's own checks), the opened file's problems the editor cannot show
(unknown keys, a file that is not JSON: ``PlanLibraryController.file_issues``),
and problems only the calendar finds (no buy session, a plan past the end of
the calendar: ``calendar_issues``, set by a run). Nothing runs while any is
left; Save only needs the editor's fields and the calendar to be fine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rotation_desk.core.dca.plan import DcaPlan, PlanIssue
from rotation_desk.ui.tabs.dca.editor import PlanEditor
from rotation_desk.ui.tabs.dca.library_controller import PlanLibraryController
from rotation_desk.ui.tabs.dca.plan_bar import PlanBar

FIELD_LABELS = {
    "step_up_pct": "yearly step-up",
    "fractional": "shares",
    "rebalance": "new money",
    "anchor": "buy day",
    "roll": "not a session",
    "file": "the file",
}


def field_label(field: str) -> str:
    """A field's name as the editor labels it."""
    return FIELD_LABELS.get(field, field)


class PlanCheck:
    """``show_invalid(text)`` is called with what the pages say while the plan cannot run."""

    def __init__(
        self,
        editor: PlanEditor,
        plans: PlanLibraryController,
        bar: PlanBar,
        show_invalid: Callable[[str], None],
    ):
        self.editor = editor
        self.plans = plans
        self.bar = bar
        self.show_invalid = show_invalid
        self.calendar_issues: list[PlanIssue] = []

    def savable_plan(self) -> DcaPlan | None:
        """The editor's plan when every field it shows is valid (what Save, Duplicate and Export write)."""
        plan, issues = self.editor.issues()
        if plan is None or issues or self.calendar_issues:
            return None
        return plan

    def valid_plan(self) -> DcaPlan | None:
        """The plan to run: valid, and the opened file's own problems dealt with (by saving)."""
        return None if self.plans.file_issues else self.savable_plan()

    def check(self) -> DcaPlan | None:
        """Mark the editor's problems; the plan when it can run (else the pages say what to fix)."""
        plan, issues = self.editor.issues()
        shown = list(issues)
        seen = {(i.field, i.message) for i in shown}
        for extra in self.plans.file_issues + self.calendar_issues:
            if (extra.field, extra.message) not in seen:
                shown.append(extra)
        self.editor.mark(shown)
        self.update_controls()
        valid = self.valid_plan()
        if valid is None:
            self.show_invalid(self.invalid_text(shown))
        return valid

    def invalid_text(self, issues: Sequence[PlanIssue]) -> str:
        fields = self.editor.widgets
        marked = [field_label(i.field) for i in issues if i.field in fields]
        parts = []
        if marked:
            parts.append("the marked fields (" + ", ".join(dict.fromkeys(marked)) + ")")
        if any(i.field not in fields for i in issues):
            parts.append("the file problems listed above (Save rewrites the file)")
        return "Nothing is computed until the plan is valid: fix " + (" and ".join(parts) or "the plan") + "."

    def update_controls(self) -> None:
        self.bar.set_controls(
            runnable=self.valid_plan() is not None,
            savable=self.savable_plan() is not None,
            saved_file=self.plans.path is not None,
        )
        self.plans.update_dirty()
