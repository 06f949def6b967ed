"""The DCA plan editor: every field of the plan file format, validated by ``parse_plan``.

The editor turns its widgets into the plan's JSON object (``raw()``) and the
core's ``parse_plan`` decides what is valid, so the editor, the plan files
and the command line accept exactly the same plans. A few things a JSON
object cannot carry are checked here too: a ticker typed twice, a ticker with
no cached prices. Each problem marks its field (``marks``). The field widgets
are in ``fields``, the allocation table in ``allocation_editor``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from rotation_desk.core.dca.plan import FREQUENCIES, OPTIONAL_DEFAULTS, DcaPlan, PlanError, PlanIssue, default_anchor
from rotation_desk.core.dca.plan_json import STARTER_FREQUENCY, parse_plan, plan_to_dict
from rotation_desk.ui.kit.boxes import column
from rotation_desk.ui.kit.theme import LIGHT, Theme
from rotation_desk.ui.tabs.dca.allocation_editor import AllocationEditor
from rotation_desk.ui.tabs.dca.fields import ChoiceField, DateField, count_or_text, number_or_text, show_value
from rotation_desk.ui.tabs.dca.marks import FieldMarks
from rotation_desk.ui.tabs.dca.schedule_fields import TIPS as SCHEDULE_TIPS
from rotation_desk.ui.tabs.dca.schedule_fields import ScheduleOptions

FREQUENCY_LABELS = {"weekly": "Weekly", "biweekly": "Every two weeks", "monthly": "Monthly", "quarterly": "Quarterly"}
WEEKDAY_LABELS = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday"}
DAY_ANCHOR = "day"
FRACTIONAL_CHOICES = ((True, "Fractional shares"), (False, "Whole shares (rest kept as cash)"))
REBALANCE_CHOICES = (("pro-rata", "Split by the allocation (pro-rata)"), ("to-target", "Top up what is below target"))
TIPS = {
    "name": "The plan's name (also its file name in the plans folder)",
    "contribution": "Money put in at each regular buy, in dollars",
    "frequency": "How often you buy",
    "anchor": "Which day of the period you buy; a weekend or holiday moves to the next NYSE session",
    "start": "The first day of the plan (YYYY-MM-DD)",
    "end": "The last day a regular buy may fall on (YYYY-MM-DD)",
    "count": "How many regular buys the plan makes",
    "allocation": "Tickers and their percentages; they must sum to 100",
    "initial": "A lump sum invested on the first session on or after the start",
    "step_up_pct": "Raise the contribution by this percentage each plan year (0 for none)",
    "fee": "Charged per buy order, taken out of the order's amount",
    "fractional": "Whole shares leave the remainder as cash for the next buy",
    "rebalance": "Pro-rata splits each buy by the allocation; to-target sends it to the holdings "
    "furthest below their target weight",
    **SCHEDULE_TIPS,
}


class PlanEditor(QWidget):
    """Edits one plan. ``changed`` fires on every edit; ``validate()`` returns the plan or the problems."""

    changed = Signal()

    def __init__(self, known: Callable[[], Sequence[str]], theme: Theme = LIGHT, parent: QWidget | None = None):
        super().__init__(parent)
        self.known = known
        self.theme = theme
        self._known_cache: set[str] | None = None
        self._loading = False

        self.name = QLineEdit()
        self.contribution = QLineEdit()
        self.contribution.setPlaceholderText("e.g. 500")
        self.frequency = ChoiceField()
        self.frequency.set_choices((f, FREQUENCY_LABELS[f]) for f in FREQUENCIES)
        self.anchor = ChoiceField()
        self.anchor_day = QSpinBox(minimum=1, maximum=31)
        self.anchor_day.setPrefix("day ")
        self.anchor_day.setToolTip("Day N of the month; if it is not a trading day, the next NYSE session")
        self.schedule = ScheduleOptions()
        self.every, self.roll = self.schedule.every, self.schedule.roll
        self.start = DateField()
        self.bound = ChoiceField()
        self.bound.set_choices((("end", "On a date"), ("count", "After a number of buys")))
        self.end = DateField()
        self.count = QLineEdit()
        self.count.setPlaceholderText("number of regular buys")
        self.allocation = AllocationEditor(known, theme)
        self.initial = QLineEdit()
        self.initial.setPlaceholderText("0")
        self.step_up_pct = QLineEdit()
        self.step_up_pct.setPlaceholderText("0")
        self.fee = QLineEdit()
        self.fee.setPlaceholderText("0")
        self.fractional = ChoiceField()
        self.fractional.set_choices(FRACTIONAL_CHOICES)
        self.rebalance = ChoiceField()
        self.rebalance.set_choices(REBALANCE_CHOICES)
        for edit in (self.contribution, self.initial, self.step_up_pct, self.fee, self.count):
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)

        self.widgets: dict[str, QWidget] = {
            "name": self.name,
            "contribution": self.contribution,
            "frequency": self.frequency,
            "every": self.every,
            "anchor": self.anchor,
            "roll": self.roll,
            "start": self.start,
            "end": self.end,
            "count": self.count,
            "allocation": self.allocation,
            "initial": self.initial,
            "step_up_pct": self.step_up_pct,
            "fee": self.fee,
            "fractional": self.fractional,
            "rebalance": self.rebalance,
        }
        self.field_marks = FieldMarks(self.widgets, TIPS, theme)
        self.reasons = self.field_marks.reasons

        form = QFormLayout(self)
        form.setContentsMargins(4, 4, 4, 4)
        form.setVerticalSpacing(4)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)

        def add(label: str, key: str, widget: QWidget | None = None) -> None:
            box = QWidget()
            v = QVBoxLayout(box)
            v.setContentsMargins(0, 0, 0, 0)
            v.setSpacing(1)
            v.addWidget(widget or self.widgets[key])
            v.addWidget(self.reasons[key])
            form.addRow(label, box)

        add("Name", "name")
        add("Contribution $", "contribution")
        add("Frequency", "frequency")
        add("Every", "every", self.schedule.every_row)
        anchor_row = QWidget()
        h = QHBoxLayout(anchor_row)
        h.setContentsMargins(0, 0, 0, 0)
        h.setSpacing(4)
        h.addWidget(self.anchor, 1)
        h.addWidget(self.anchor_day)
        add("Buy on", "anchor", anchor_row)
        add("Not a session", "roll")
        add("Start", "start")
        add("Ends", "end", self._bound_row())
        add("Allocation", "allocation")
        add("Initial lump sum $", "initial")
        add("Yearly step-up %", "step_up_pct")
        add("Fee per order $", "fee")
        add("Shares", "fractional")
        add("New money", "rebalance")

        for edit in (self.name, self.contribution, self.count, self.initial, self.step_up_pct, self.fee):
            edit.textChanged.connect(self._edited)
        self.start.textChanged.connect(self._edited)
        self.end.textChanged.connect(self._edited)
        self.frequency.currentIndexChanged.connect(self._frequency_changed)
        self.anchor.currentIndexChanged.connect(self._anchor_changed)
        self.anchor_day.valueChanged.connect(self._edited)
        self.bound.currentIndexChanged.connect(self._bound_changed)
        self.fractional.currentIndexChanged.connect(self._edited)
        self.rebalance.currentIndexChanged.connect(self._edited)
        self.allocation.changed.connect(self._edited)
        self.schedule.connect(self._schedule_edited)
        self._fill_anchor_choices(STARTER_FREQUENCY, default_anchor(STARTER_FREQUENCY))
        self._bound_changed()

    def _bound_row(self) -> QWidget:
        row = QWidget()
        column(row, [self.bound, self.end, self.count, self.reasons["count"]], (0, 0, 0, 0), 2)
        return row

    # -- loading ---------------------------------------------------------------------------
    def set_raw(self, raw: dict | None) -> None:
        """Show a plan's JSON object (valid or not). Keys the editor has no field for are left out
        (the caller reports them). ``changed`` is not emitted."""
        raw = raw if isinstance(raw, dict) else {}
        self._loading = True
        try:
            self.name.setText(show_value(raw.get("name", "")))
            self.contribution.setText(show_value(raw.get("contribution")))
            frequency = raw.get("frequency", STARTER_FREQUENCY)
            freq_key = frequency.strip().lower() if isinstance(frequency, str) else frequency
            self.frequency.set_choices((f, FREQUENCY_LABELS[f]) for f in FREQUENCIES)
            self.frequency.set_value(freq_key)
            anchor = raw.get("anchor", default_anchor(freq_key))
            self._fill_anchor_choices(freq_key, anchor)
            self.schedule.set_raw(raw, freq_key)
            self.start.setText(show_value(raw.get("start", "")))
            has_count = raw.get("count") is not None and raw.get("end") is None
            self.bound.set_value("count" if has_count else "end")
            self.end.setText(show_value(raw.get("end")) if raw.get("end") is not None else "")
            self.count.setText(show_value(raw.get("count")) if raw.get("count") is not None else "")
            self.allocation.set_allocation(raw.get("allocation", {}))
            self.initial.setText(show_value(raw.get("initial")) if raw.get("initial") not in (None, 0, 0.0) else "")
            self.step_up_pct.setText(
                show_value(raw.get("step_up_pct")) if raw.get("step_up_pct") not in (None, 0, 0.0) else ""
            )
            self.fee.setText(show_value(raw.get("fee")) if raw.get("fee") not in (None, 0, 0.0) else "")
            self.fractional.set_choices(FRACTIONAL_CHOICES)
            self.fractional.set_value(raw.get("fractional", OPTIONAL_DEFAULTS["fractional"]))
            rebalance = raw.get("rebalance", OPTIONAL_DEFAULTS["rebalance"])
            self.rebalance.set_choices(REBALANCE_CHOICES)
            self.rebalance.set_value(rebalance.strip().lower() if isinstance(rebalance, str) else rebalance)
            self._bound_changed()
        finally:
            self._loading = False

    def set_plan(self, plan: DcaPlan) -> None:
        self.set_raw(plan_to_dict(plan))

    def _fill_anchor_choices(self, frequency, anchor) -> None:
        weekly = frequency in ("weekly", "biweekly")
        period = "quarter" if frequency == "quarterly" else "month"
        if weekly:
            choices = list(WEEKDAY_LABELS.items())
        else:
            choices = [
                ("first-session", f"First trading day of the {period}"),
                ("last-session", f"Last trading day of the {period}"),
                (DAY_ANCHOR, f"A day of the {period}" if period == "month" else "A day of the quarter's first month"),
            ]
        self.anchor.blockSignals(True)
        self.anchor.set_choices(choices)
        value = anchor.strip().lower() if isinstance(anchor, str) else anchor
        day = None
        if isinstance(value, str) and value.startswith("day:") and not weekly:
            try:
                day = int(value[4:])
            except ValueError:
                day = None
        if day is not None and 1 <= day <= 31:
            self.anchor.set_value(DAY_ANCHOR)
            self.anchor_day.blockSignals(True)
            self.anchor_day.setValue(day)
            self.anchor_day.blockSignals(False)
        else:
            self.anchor.set_value(value)
        self.anchor.blockSignals(False)
        self.anchor_day.setVisible(self.anchor.value() == DAY_ANCHOR)

    # -- reading -------------------------------------------------------------------------------
    def raw(self) -> dict:
        """The plan's JSON object as the widgets show it (empty optional fields are left out)."""
        out: dict = {"name": self.name.text()}
        contribution = number_or_text(self.contribution.text())
        if contribution is not None:
            out["contribution"] = contribution
        out["frequency"] = self.frequency.value()
        anchor = self.anchor.value()
        out["anchor"] = f"day:{self.anchor_day.value()}" if anchor == DAY_ANCHOR else anchor
        self.schedule.put_raw(out)
        if self.start.text().strip():
            out["start"] = self.start.text().strip()
        if self.bound.value() == "count":
            count = count_or_text(self.count.text())
            if count is not None:
                out["count"] = count
        elif self.end.text().strip():
            out["end"] = self.end.text().strip()
        out["allocation"] = self.allocation.raw()
        for key, edit in (("initial", self.initial), ("step_up_pct", self.step_up_pct), ("fee", self.fee)):
            value = number_or_text(edit.text())
            if value is not None:
                out[key] = value
        out["fractional"] = self.fractional.value()
        out["rebalance"] = self.rebalance.value()
        return out

    def known_tickers(self) -> set[str]:
        if self._known_cache is None:
            self._known_cache = set(self.known())
        return self._known_cache

    def refresh_known(self) -> None:
        """New tickers may have arrived (a refresh or an import)."""
        self._known_cache = None

    def issues(self) -> tuple[DcaPlan | None, list[PlanIssue]]:
        """The plan, or every problem (``parse_plan``'s and the editor's own)."""
        extra, _ = self.allocation.row_issues(self.known_tickers())
        own = [PlanIssue("allocation", m) for m in extra]
        try:
            plan = parse_plan(self.raw())
        except PlanError as exc:
            issues = list(exc.issues)
            present = {(i.field, i.message) for i in issues}
            return None, issues + [i for i in own if (i.field, i.message) not in present]
        if own:
            return None, own
        return plan, []

    def validate(self) -> DcaPlan | None:
        """Check the fields, mark the bad ones, and return the plan when everything is valid."""
        plan, issues = self.issues()
        self.mark(issues)
        return plan

    # -- marking -------------------------------------------------------------------------------
    def mark(self, issues: Sequence[PlanIssue]) -> list[PlanIssue]:
        """Mark each field that has problems (and clear the others); returns issues with no field here."""
        by_field: dict[str, list[str]] = {}
        unplaced = []
        for issue in issues:
            field = issue.field
            if field == "count" and self.bound.value() != "count":
                field = "end"
            if field == "end" and self.bound.value() == "count":
                field = "count"
            if field in self.widgets:
                by_field.setdefault(field, []).append(issue.message)
            else:
                unplaced.append(issue)
        self.field_marks.show({k: "\n".join(v) for k, v in by_field.items()})
        _, bad_rows = self.allocation.row_issues(self.known_tickers())
        self.allocation.mark_rows(bad_rows if "allocation" in self.field_marks.marks else set())
        return unplaced

    def marks(self) -> dict[str, str]:
        """Field -> the reason shown (only marked fields)."""
        return dict(self.field_marks.marks)

    def field_error(self, key: str) -> str | None:
        return self.field_marks.marks.get(key)

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.allocation.apply_theme(theme)
        self.field_marks.apply_theme(theme)

    # -- reactions -------------------------------------------------------------------------------
    def _edited(self, *_args) -> None:
        if not self._loading:
            self.changed.emit()

    def _frequency_changed(self, *_args) -> None:
        freq = self.frequency.value()
        current = self.anchor.value()
        if current == DAY_ANCHOR:
            current = f"day:{self.anchor_day.value()}"
        weekly = freq in ("weekly", "biweekly")
        was_weekly = current in WEEKDAY_LABELS
        if weekly != was_weekly:
            current = default_anchor(freq)
        self._fill_anchor_choices(freq, current)
        self.schedule.set_frequency(freq)
        # an invalid frequency item from a file disappears once a real one is chosen
        if freq in FREQUENCIES and self.frequency.count() > len(FREQUENCIES):
            self.frequency.blockSignals(True)
            self.frequency.set_choices(((f, FREQUENCY_LABELS[f]) for f in FREQUENCIES), keep=freq)
            self.frequency.blockSignals(False)
        self._edited()

    def _schedule_edited(self, *_args) -> None:
        self.schedule.set_frequency(self.frequency.value())
        self._edited()

    def _anchor_changed(self, *_args) -> None:
        self.anchor_day.setVisible(self.anchor.value() == DAY_ANCHOR)
        self._edited()

    def _bound_changed(self, *_args) -> None:
        by_count = self.bound.value() == "count"
        self.end.setVisible(not by_count)
        self.count.setVisible(by_count)
        self._edited()
