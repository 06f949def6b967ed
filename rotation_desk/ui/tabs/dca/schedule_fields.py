"""The plan editor's schedule options: ``every`` N periods of the frequency, counted from the start, and
``roll``, where a buy date that is not an NYSE session goes (next session, or previous for payroll dates).

Both are optional keys of the plan file (``core.dca.plan.SCHEDULE_DEFAULTS``):
the editor writes them only when they differ from the defaults, so a plan that
does not use them is saved as before. ``every`` is a text field, so a value a
hand-edited file holds is shown as it is and marked by ``parse_plan``, never
clamped.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from rotation_desk.core.dca.plan import ROLLS, SCHEDULE_DEFAULTS
from rotation_desk.ui.tabs.dca.fields import ChoiceField, count_or_text, show_value

ROLL_LABELS = {"next-session": "Next session", "previous-session": "Previous session (payroll dates)"}
UNITS = {"weekly": ("week", "weeks"), "biweekly": ("fortnight", "fortnights"), "monthly": ("month", "months"),
         "quarterly": ("quarter", "quarters")}  # fmt: skip
TIPS = {
    "every": "Buy every N-th period of the frequency, counted from the start (every 3 weeks, every 2 months)",
    "roll": "Where a buy date that is not an NYSE session goes: the next session, or the previous one "
    "(the money of a payroll date is there on the business day before)",
}


class ScheduleOptions:
    """The two fields (``every`` with its unit label, ``roll``); the editor lays them out."""

    def __init__(self):
        self.every = QLineEdit()
        self.every.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.every.setPlaceholderText("1")
        self.every.setMaximumWidth(70)
        self.unit = QLabel("months")
        self.roll = ChoiceField()
        self.roll.set_choices((r, ROLL_LABELS[r]) for r in ROLLS)
        self.every_row = QWidget()
        h = QHBoxLayout(self.every_row)
        h.setContentsMargins(0, 0, 0, 0)
        h.setSpacing(6)
        h.addWidget(self.every)
        h.addWidget(self.unit, 1)

    def set_raw(self, raw: dict, frequency) -> None:
        every = raw.get("every")
        self.every.setText("" if every in (None, SCHEDULE_DEFAULTS["every"]) else show_value(every))
        roll = raw.get("roll", SCHEDULE_DEFAULTS["roll"])
        self.roll.set_choices((r, ROLL_LABELS[r]) for r in ROLLS)
        self.roll.set_value(roll.strip().lower() if isinstance(roll, str) else roll)
        self.set_frequency(frequency)

    def put_raw(self, out: dict) -> None:
        """Add ``every`` and ``roll`` to the plan's JSON object when they are not the defaults."""
        every = count_or_text(self.every.text())
        if every is not None and every != SCHEDULE_DEFAULTS["every"]:
            out["every"] = every
        roll = self.roll.value()
        if roll != SCHEDULE_DEFAULTS["roll"]:
            out["roll"] = roll

    def set_frequency(self, frequency) -> None:
        one, many = UNITS.get(frequency, ("period", "periods"))
        count = count_or_text(self.every.text())
        count = 1 if count is None else count
        self.unit.setText(one if count == 1 else many)

    def connect(self, slot) -> None:
        self.every.textChanged.connect(slot)
        self.roll.currentIndexChanged.connect(slot)
