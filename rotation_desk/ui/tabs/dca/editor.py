"""The DCA plan editor: every field of the plan file format, validated by ``parse_plan``.

The editor turns its widgets into the plan's JSON object (``raw()``) and the
core's ``parse_plan`` decides what is valid, so the editor, the plan files
and the command line accept exactly the same plans. A few things a JSON
object cannot carry are checked here too: a ticker typed twice, a ticker with
no cached prices. Each problem marks its field (a red border, the reason
under the field and in its tooltip).

Text fields keep whatever a (hand-edited) file held, so an invalid value is
shown as it is and marked, never silently replaced.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from rotation_desk.core.dca_plan import FREQUENCIES, DcaPlan, PlanError, PlanIssue, parse_plan
from rotation_desk.core.tickers import is_ticker
from rotation_desk.ui.kit.theme import LIGHT, Theme

FREQUENCY_LABELS = {"weekly": "Weekly", "biweekly": "Every two weeks", "monthly": "Monthly", "quarterly": "Quarterly"}
WEEKDAY_LABELS = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday"}
DAY_ANCHOR = "day"


# -- text <-> JSON values ------------------------------------------------------------


def number_or_text(text: str):
    """A JSON value for a number field: None when empty, a float when it reads as one, else the text
    (which ``parse_plan`` then reports as "must be a number"). "$1,000" and "3 %" read as numbers."""
    cleaned = text.strip()
    if not cleaned:
        return None
    plain = cleaned.replace(",", "").replace("$", "").replace("%", "").replace(" ", "")
    try:
        value = float(plain)
    except ValueError:
        return cleaned
    return value


def count_or_text(text: str):
    value = number_or_text(text)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def show_value(value) -> str:
    """How a JSON value from a plan file is put into a text field (numbers without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, (int, str)):
        return str(value)
    import json

    return json.dumps(value)


def equal_weights(tickers: Sequence[str]) -> dict[str, float]:
    """Percentages for an equal split, 4 decimals, the last one taking the rounding so they sum to 100."""
    n = len(tickers)
    if n == 0:
        return {}
    share = round(100.0 / n, 4)
    out = {t: share for t in tickers[:-1]}
    out[tickers[-1]] = round(100.0 - share * (n - 1), 4)
    return out


# -- small field widgets ----------------------------------------------------------------


class DateField(QWidget):
    """A YYYY-MM-DD text field with a calendar button (free text, so a bad date in a file is shown as is)."""

    textChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("YYYY-MM-DD")
        self.edit.textChanged.connect(self.textChanged)
        self.button = QToolButton(text="▾")
        self.button.setToolTip("Pick a date")
        self.button.setAutoRaise(True)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(False)
        self.calendar.clicked.connect(self._picked)
        self.menu = QMenu(self.button)
        action = QWidgetAction(self.menu)
        action.setDefaultWidget(self.calendar)
        self.menu.addAction(action)
        self.menu.aboutToShow.connect(self._sync_calendar)
        self.button.clicked.connect(lambda: self.menu.popup(self.button.mapToGlobal(self.button.rect().bottomLeft())))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def _sync_calendar(self) -> None:
        try:
            day = dt.date.fromisoformat(self.edit.text().strip())
        except ValueError:
            day = dt.date.today()
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def _picked(self, date: QDate) -> None:
        self.edit.setText(f"{date.year():04d}-{date.month():02d}-{date.day():02d}")
        self.menu.hide()


class ChoiceField(QComboBox):
    """A combo box of (JSON value, label) choices; a value that is not a choice (from a hand-edited
    file) is shown as an extra "… (not valid)" item so it can be marked rather than replaced."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # long labels must not widen the editor panel: the box shrinks and the popup shows them in full
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)

    def set_choices(self, choices: Iterable[tuple[object, str]], keep=None) -> None:
        self.blockSignals(True)
        self.clear()
        for value, label in choices:
            self.addItem(label, value)
        self.blockSignals(False)
        if keep is not None:
            self.set_value(keep, add_unknown=False)

    def set_value(self, value, add_unknown: bool = True) -> bool:
        """Select ``value``; False when it is not a choice (then added as an invalid item, if asked)."""
        for i in range(self.count()):
            data = self.itemData(i)
            if data == value and type(data) is type(value):
                self.setCurrentIndex(i)
                return True
        if add_unknown:
            self.addItem(f"{show_value(value)} (not valid)", value)
            self.setCurrentIndex(self.count() - 1)
        return False

    def value(self):
        return self.currentData()


class AllocationRow(QWidget):
    """One ticker and its percent, with a remove button."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, known: Sequence[str], ticker: str = "", percent: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.ticker = QLineEdit(ticker)
        self.ticker.setPlaceholderText("Ticker")
        self.ticker.setMaximumWidth(110)
        completer = QCompleter(sorted(known), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.ticker.setCompleter(completer)
        self.percent = QLineEdit(percent)
        self.percent.setPlaceholderText("%")
        self.percent.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.percent.setMaximumWidth(80)
        self.remove = QToolButton(text="✕")
        self.remove.setAutoRaise(True)
        self.remove.setToolTip("Remove this ticker")
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.ticker, 1)
        layout.addWidget(self.percent)
        layout.addWidget(QLabel("%"))
        layout.addWidget(self.remove)
        self.ticker.textChanged.connect(self.changed)
        self.percent.textChanged.connect(self.changed)

    def ticker_text(self) -> str:
        return self.ticker.text().strip().upper()

    def is_blank(self) -> bool:
        return not self.ticker.text().strip() and not self.percent.text().strip()


class AllocationEditor(QFrame):
    """The allocation table: rows of ticker + percent, add / remove / split evenly, and a live sum."""

    changed = Signal()

    def __init__(self, known: Callable[[], Sequence[str]], theme: Theme = LIGHT, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("allocation")
        self.known = known
        self.theme = theme
        self.rows: list[AllocationRow] = []
        self.rows_box = QVBoxLayout()
        self.rows_box.setContentsMargins(0, 0, 0, 0)
        self.rows_box.setSpacing(3)
        self.add_button = QPushButton("Add ticker")
        self.add_button.setToolTip("Add a row; type a ticker (suggestions come from the cached tickers)")
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        self.even_button = QPushButton("Split evenly")
        self.even_button.setToolTip("Give every ticker the same percentage")
        self.even_button.clicked.connect(self.split_evenly)
        self.sum_label = QLabel()
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.even_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(self.rows_box)
        layout.addLayout(buttons)
        layout.addWidget(self.sum_label)
        self._update_sum()

    # -- rows ---------------------------------------------------------------------------
    def add_row(self, ticker: str = "", percent: str = "", focus: bool = False) -> AllocationRow:
        row = AllocationRow(self.known(), ticker, percent, self)
        row.changed.connect(self._row_changed)
        row.remove_requested.connect(self.remove_row)
        self.rows.append(row)
        self.rows_box.addWidget(row)
        if focus:
            row.ticker.setFocus()
        self._row_changed()
        return row

    def remove_row(self, row: AllocationRow) -> None:
        if row in self.rows:
            self.rows.remove(row)
            self.rows_box.removeWidget(row)
            row.hide()
            row.deleteLater()
            self._row_changed()

    def clear_rows(self) -> None:
        for row in list(self.rows):
            self.rows.remove(row)
            self.rows_box.removeWidget(row)
            row.hide()
            row.deleteLater()

    def set_allocation(self, value) -> None:
        """Rows from the file's allocation (a ticker: percent object; anything else shows as one bad row)."""
        self.blockSignals(True)
        self.clear_rows()
        if isinstance(value, dict):
            for ticker, percent in value.items():
                self.add_row(str(ticker), show_value(percent))
        self.blockSignals(False)
        self._update_sum()

    def split_evenly(self) -> None:
        rows = [r for r in self.rows if r.ticker_text()]
        weights = equal_weights([str(i) for i in range(len(rows))])
        self.blockSignals(True)
        for row, w in zip(rows, weights.values()):
            row.percent.setText(show_value(w))
        self.blockSignals(False)
        self._row_changed()

    # -- values ---------------------------------------------------------------------------
    def filled_rows(self) -> list[AllocationRow]:
        return [r for r in self.rows if not r.is_blank()]

    def raw(self) -> dict:
        """{ticker: percent} for the JSON object (first row wins for a repeated ticker; see ``issues``)."""
        out: dict = {}
        for row in self.filled_rows():
            key = row.ticker_text() or row.ticker.text()
            if key in out:
                continue
            out[key] = number_or_text(row.percent.text())
            if out[key] is None:
                out[key] = ""
        return out

    def total(self) -> float | None:
        values = [number_or_text(r.percent.text()) for r in self.filled_rows()]
        nums = [v for v in values if isinstance(v, float) and math.isfinite(v)]
        return sum(nums) if nums and len(nums) == len(values) else (sum(nums) if nums else None)

    def row_issues(self, known: set[str]) -> tuple[list[str], set[int]]:
        """Problems a JSON object cannot show (repeats, tickers without cached prices) and the bad rows."""
        messages: list[str] = []
        bad: set[int] = set()
        seen: dict[str, int] = {}
        for i, row in enumerate(self.rows):
            if row.is_blank():
                continue
            name = row.ticker_text()
            if not name:
                messages.append("a row has a percent but no ticker")
                bad.add(i)
                continue
            if not is_ticker(name):
                bad.add(i)  # parse_plan names it
                continue
            if name in seen:
                messages.append(f"{name} appears twice")
                bad.update({i, seen[name]})
                continue
            seen[name] = i
            if known and name not in known:
                messages.append(f"no cached prices for {name} (refresh or import it first)")
                bad.add(i)
            value = number_or_text(row.percent.text())
            if not isinstance(value, float) or not math.isfinite(value) or value <= 0:
                bad.add(i)
        return messages, bad

    def _row_changed(self) -> None:
        self._update_sum()
        self.changed.emit()

    def _update_sum(self) -> None:
        total = self.total()
        if total is None:
            self.sum_label.setText("Sums to — % (needs 100 %)")
            colour = self.theme.loss if self.filled_rows() else self.theme.muted
        elif abs(total - 100.0) <= 1e-6:
            self.sum_label.setText("Sums to 100 %")
            colour = self.theme.muted
        else:
            self.sum_label.setText(f"Sums to {round(total, 6):g} % (needs 100 %)")
            colour = self.theme.loss
        self.sum_label.setStyleSheet(f"color: {colour};")

    def mark_rows(self, bad: set[int]) -> None:
        for i, row in enumerate(self.rows):
            style = _error_style("QLineEdit", self.theme) if i in bad else ""
            row.ticker.setStyleSheet(style)
            row.percent.setStyleSheet(style)

    def set_marked(self, on: bool) -> None:
        self.setStyleSheet(
            f"QFrame#allocation {{ border: 1px solid {self.theme.loss}; border-radius: 3px; }}" if on else ""
        )

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._update_sum()


def _error_style(kind: str, theme: Theme) -> str:
    return f"{kind} {{ border: 1px solid {theme.loss}; border-radius: 3px; padding: 2px; }}"


# -- the editor -------------------------------------------------------------------------------


class PlanEditor(QWidget):
    """Edits one plan. ``changed`` fires on every edit; ``validate()`` returns the plan or the problems."""

    changed = Signal()

    def __init__(self, known: Callable[[], Sequence[str]], theme: Theme = LIGHT, parent: QWidget | None = None):
        super().__init__(parent)
        self.known = known
        self.theme = theme
        self._known_cache: set[str] | None = None
        self._loading = False
        self._marks: dict[str, str] = {}

        self.name = QLineEdit()
        self.contribution = QLineEdit()
        self.contribution.setPlaceholderText("e.g. 500")
        self.frequency = ChoiceField()
        self.frequency.set_choices((f, FREQUENCY_LABELS[f]) for f in FREQUENCIES)
        self.anchor = ChoiceField()
        self.anchor_day = QSpinBox(minimum=1, maximum=31)
        self.anchor_day.setPrefix("day ")
        self.anchor_day.setToolTip("Day N of the month; if it is not a trading day, the next NYSE session")
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
        self.fractional.set_choices(((True, "Fractional shares"), (False, "Whole shares (rest kept as cash)")))
        self.rebalance = ChoiceField()
        self.rebalance.set_choices(
            (("pro-rata", "Split by the allocation (pro-rata)"), ("to-target", "Top up what is below target"))
        )
        for edit in (self.contribution, self.initial, self.step_up_pct, self.fee, self.count):
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)

        tips = {
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
        }
        self.widgets: dict[str, QWidget] = {
            "name": self.name,
            "contribution": self.contribution,
            "frequency": self.frequency,
            "anchor": self.anchor,
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
        self.tips = tips
        self.reasons: dict[str, QLabel] = {}
        for key, widget in self.widgets.items():
            widget.setToolTip(tips[key])
            label = QLabel()
            label.setWordWrap(True)
            label.hide()
            self.reasons[key] = label

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
        anchor_row = QWidget()
        h = QHBoxLayout(anchor_row)
        h.setContentsMargins(0, 0, 0, 0)
        h.setSpacing(4)
        h.addWidget(self.anchor, 1)
        h.addWidget(self.anchor_day)
        add("Buy on", "anchor", anchor_row)
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
        self._fill_anchor_choices("monthly", "first-session")
        self._bound_changed()

    def _bound_row(self) -> QWidget:
        row = QWidget()
        v = QVBoxLayout(row)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(self.bound)
        v.addWidget(self.end)
        v.addWidget(self.count)
        v.addWidget(self.reasons["count"])
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
            frequency = raw.get("frequency", "monthly")
            freq_key = frequency.strip().lower() if isinstance(frequency, str) else frequency
            self.frequency.set_choices((f, FREQUENCY_LABELS[f]) for f in FREQUENCIES)
            self.frequency.set_value(freq_key)
            weekly = freq_key in ("weekly", "biweekly")
            anchor = raw.get("anchor", "mon" if weekly else "first-session")
            self._fill_anchor_choices(freq_key, anchor)
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
            self.fractional.set_choices(((True, "Fractional shares"), (False, "Whole shares (rest kept as cash)")))
            self.fractional.set_value(raw.get("fractional", True))
            rebalance = raw.get("rebalance", "pro-rata")
            self.rebalance.set_choices(
                (("pro-rata", "Split by the allocation (pro-rata)"), ("to-target", "Top up what is below target"))
            )
            self.rebalance.set_value(rebalance.strip().lower() if isinstance(rebalance, str) else rebalance)
            self._bound_changed()
        finally:
            self._loading = False

    def set_plan(self, plan: DcaPlan) -> None:
        from rotation_desk.core.dca_plan import plan_to_dict

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
        self._marks = {k: "\n".join(v) for k, v in by_field.items()}
        for key, widget in self.widgets.items():
            self._show_mark(key, widget, self._marks.get(key))
        _, bad_rows = self.allocation.row_issues(self.known_tickers())
        self.allocation.mark_rows(bad_rows if "allocation" in self._marks else set())
        return unplaced

    def _show_mark(self, key: str, widget: QWidget, message: str | None) -> None:
        label = self.reasons[key]
        target = widget.edit if isinstance(widget, DateField) else widget
        if message:
            label.setText(message)
            label.setStyleSheet(f"color: {self.theme.loss};")
            label.show()
            target.setToolTip(message)
            if isinstance(widget, AllocationEditor):
                widget.set_marked(True)
            else:
                target.setStyleSheet(_error_style(target.metaObject().className(), self.theme))
        else:
            label.hide()
            label.setText("")
            target.setToolTip(self.tips[key])
            if isinstance(widget, AllocationEditor):
                widget.set_marked(False)
            else:
                target.setStyleSheet("")

    def marks(self) -> dict[str, str]:
        """Field -> the reason shown (only marked fields)."""
        return dict(self._marks)

    def field_error(self, key: str) -> str | None:
        return self._marks.get(key)

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.allocation.apply_theme(theme)
        for key, widget in self.widgets.items():
            self._show_mark(key, widget, self._marks.get(key))

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
            current = "mon" if weekly else "first-session"
        self._fill_anchor_choices(freq, current)
        # an invalid frequency item from a file disappears once a real one is chosen
        if freq in FREQUENCIES and self.frequency.count() > len(FREQUENCIES):
            self.frequency.blockSignals(True)
            self.frequency.set_choices(((f, FREQUENCY_LABELS[f]) for f in FREQUENCIES), keep=freq)
            self.frequency.blockSignals(False)
        self._edited()

    def _anchor_changed(self, *_args) -> None:
        self.anchor_day.setVisible(self.anchor.value() == DAY_ANCHOR)
        self._edited()

    def _bound_changed(self, *_args) -> None:
        by_count = self.bound.value() == "count"
        self.end.setVisible(not by_count)
        self.count.setVisible(by_count)
        self._edited()
