"""The DCA tab's bar: the plan list, the library buttons, whether the plan is saved, the run state and Run."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy

from rotation_desk.ui.kit.elided import ElidedComboBox
from rotation_desk.ui.kit.theme import Theme


class PlanBar(QHBoxLayout):
    """Widgets only; the tab connects them (``library_controller`` fills the list and the saved state)."""

    def __init__(self, folder: Path, theme: Theme):
        super().__init__()
        self.theme = theme
        self._state_error = False
        self.plan_combo = ElidedComboBox()  # a long plan name ends in "…" (whole in the tooltip)
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.plan_combo.setMinimumContentsLength(14)
        self.plan_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.plan_combo.setMaximumWidth(320)
        self.plan_combo.setToolTip(f"Saved plans (in {folder})")
        self.new_button = _button("New", "Start a new plan")
        self.save_button = _button("Save", "Save the plan in the plans folder (Ctrl+S)")
        self.duplicate_button = _button("Duplicate", "Save a copy of this plan under a new name and open it")
        self.delete_button = _button("Delete", "Delete this plan's file from the plans folder")
        self.import_button = _button("Import…", "Open a plan file from anywhere and add it to the plans folder")
        self.export_button = _button("Export…", "Write this plan to a JSON file (the format rotation-desk dca reads)")
        self.dirty_label = QLabel()
        self.state_label = QLabel()
        self.run_button = _button("Run", "Compute the schedule, backtest and projection again")
        self.setSpacing(6)
        self.addWidget(QLabel("Plan"))
        self.addWidget(self.plan_combo)
        for b in (
            self.new_button,
            self.save_button,
            self.duplicate_button,
            self.delete_button,
            self.import_button,
            self.export_button,
        ):
            self.addWidget(b)
        self.addSpacing(8)
        self.addWidget(self.dirty_label)
        self.addStretch(1)
        self.addWidget(self.state_label)
        self.addWidget(self.run_button)

    def set_state(self, text: str, error: bool) -> None:
        """The run state beside Run ("Up to date", "Computing…", "Plan has problems" …)."""
        self.state_label.setText(text)
        self._state_error = error
        self._style_state()

    def set_controls(self, runnable: bool, savable: bool, saved_file: bool) -> None:
        """Enable what the plan allows: Run a valid plan, Save/Duplicate/Export one whose fields are valid."""
        self.run_button.setEnabled(runnable)
        self.run_button.setToolTip(
            "Compute the schedule, backtest and projection again"
            if runnable
            else (
                "Save the plan first (the opened file has problems the editor has left out)"
                if savable
                else "Fix the marked fields first"
            )
        )
        self.save_button.setEnabled(savable)
        self.duplicate_button.setEnabled(savable)
        self.export_button.setEnabled(savable)
        self.delete_button.setEnabled(saved_file)

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.dirty_label.setStyleSheet(f"color: {theme.muted};")
        self._style_state()

    def _style_state(self) -> None:
        self.state_label.setStyleSheet(f"color: {self.theme.loss if self._state_error else self.theme.muted};")


def _button(text: str, tip: str) -> QPushButton:
    """A push button that may narrow to its text (the style's 80 px minimum would not fit the bar in 1024 px)."""
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setMinimumWidth(button.fontMetrics().horizontalAdvance(text) + 20)
    return button
