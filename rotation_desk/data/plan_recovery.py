"""The recovery copy of a DCA plan being edited: the editor's fields, written every few seconds while they
differ from the saved file, so a crash or a kill loses at most those seconds. A clean save, a discard or a
normal quit removes it; at the next start a copy left behind is offered back.

The copy is one JSON file in the data folder, written atomically (``data.atomic``): a kill during a write
leaves the previous copy. A copy that cannot be read (damaged, from another version) is set aside, never
shown as a plan.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rotation_desk.data.atomic import write_text

RECOVERY_NAME = "plan-being-edited.recovery.json"
VERSION = 1


@dataclass(frozen=True)
class Recovered:
    raw: dict  # the editor's fields, as in a plan file
    plan_file: str | None  # the library file it was edited from (None: a new plan)
    saved_at: datetime  # UTC, when the copy was written


def recovery_file(data_dir: Path) -> Path:
    return Path(data_dir) / RECOVERY_NAME


def save_recovery(path: Path, raw: dict, plan_file: str | None, now: datetime | None = None) -> None:
    """Write the copy (whole or not at all; EnvironmentProblem on a full disk or a read-only folder)."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    body = {"version": VERSION, "saved_at": stamp, "plan_file": plan_file, "plan": raw}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, json.dumps(body, indent=1, ensure_ascii=False) + "\n")


def read_recovery(path: Path) -> Recovered | None:
    """The copy left behind, or None (none, or one that cannot be read: that one is renamed ``.unreadable``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        _set_aside(path)
        return None
    try:
        body = json.loads(text)
        raw, plan_file = body["plan"], body.get("plan_file")
        saved_at = datetime.fromisoformat(body["saved_at"])
        if body.get("version") != VERSION or not isinstance(raw, dict) or not isinstance(plan_file, (str, type(None))):
            raise ValueError("not a recovery copy of this version")
    except (ValueError, KeyError, TypeError, AttributeError):
        _set_aside(path)
        return None
    return Recovered(raw, plan_file, saved_at if saved_at.tzinfo else saved_at.replace(tzinfo=UTC))


def drop_recovery(path: Path) -> None:
    path.unlink(missing_ok=True)


def _set_aside(path: Path) -> None:
    try:
        path.replace(path.with_name(path.name + ".unreadable"))
    except OSError:
        pass
