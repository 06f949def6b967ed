"""The DCA tab's exports: the plan (JSON), the schedule (CSV), the buy dates (iCalendar), the ledger (CSV).

One dialog for all four (``ask_and_write``): a save-file dialog with the
kind's caption, a file name from the plan's name, and the kind's suffix
added when the user leaves it out. The files are written by
``rotation_desk.data`` (whole or not at all), from the outputs on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rotation_desk.data.dca_exports import write_ledger_csv, write_schedule_csv, write_schedule_ics
from rotation_desk.data.plan_library import slug
from rotation_desk.errors import BadInput, RotationDeskError
from rotation_desk.ui.tabs.dca.compute import RunOutputs


@dataclass(frozen=True)
class ExportKind:
    title: str  # of the warning when it fails
    caption: str  # of the save-file dialog
    ending: str  # after the plan's file stem
    filters: str
    suffix: str  # added to a name the user typed without it


KINDS = {
    "plan": ExportKind("Export plan", "Export the plan", ".json", "DCA plan (*.json)", ".json"),
    "schedule": ExportKind("Export schedule", "Export the schedule", "-schedule.csv", "CSV (*.csv)", ".csv"),
    "ics": ExportKind("Export calendar", "Export the buy dates", ".ics", "iCalendar (*.ics)", ".ics"),
    "ledger": ExportKind("Export ledger", "Export the ledger", "-ledger.csv", "CSV (*.csv)", ".csv"),
}


def with_suffix(name: str, suffix: str) -> str:
    return name if name.lower().endswith(suffix) else name + suffix


class PlanExports:
    """The host (the tab) gives the plan (``savable_plan``, ``valid_plan``), the current outputs
    (``current_outputs``), the plan export (``export_plan``), the dialogs and the status line."""

    def __init__(self, host):
        self.host = host

    def ask_and_write(self, kind: str) -> None:
        spec = KINDS[kind]
        plan = self.host.savable_plan() if kind == "plan" else self.host.valid_plan()
        if plan is None:
            return
        name = self.host.save_file_name(spec.caption, f"{slug(plan.name)}{spec.ending}", spec.filters)
        if not name:
            return
        path = with_suffix(name, spec.suffix)
        try:
            self.write(kind, path)
        except RotationDeskError as exc:
            self.host.warn(spec.title, str(exc))
        except OSError as exc:
            self.host.warn(spec.title, f"cannot write the file ({exc.strerror or exc})")

    def write(self, kind: str, path: str | Path) -> Path | None:
        if kind == "plan":
            return self.host.export_plan(path)
        out = self.host.current_outputs()
        if kind == "schedule":
            write_schedule_csv(path, out.schedule)
            self._said(f"Schedule ({len(out.schedule)} orders) saved to {path}")
        elif kind == "ics":
            write_schedule_ics(path, out.inputs.plan, out.schedule)
            self._said(f"Calendar ({out.summary.buys} buy dates) saved to {path}")
        else:
            result = _backtest(out)
            write_ledger_csv(path, result.ledger)
            self._said(f"Ledger ({len(result.ledger)} orders) saved to {path}")
        return Path(path)

    def _said(self, text: str) -> None:
        self.host.status_message.emit(text, False)


def _backtest(out: RunOutputs):
    if out.backtest is None:
        raise BadInput(out.backtest_error or "the backtest did not run")
    return out.backtest
