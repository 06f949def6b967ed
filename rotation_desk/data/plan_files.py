"""DCA plan files on disk: read (bounded: never more than ``MAX_PLAN_BYTES`` + 1 bytes), validate, save atomically.

- ``load_plan`` raises ``PlanError`` (exit 2) naming the file's problem or the
  plan's fields; ``read_plan_file`` never raises for a bad file and keeps the
  decoded JSON so an editor can show an invalid plan as it is.
- Reading never changes a file. ``save_plan`` writes the plan whole or not at
  all (``atomic``), creating its folder.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from rotation_desk.core.dca.plan import MAX_PLAN_BYTES, DcaPlan, PlanError, PlanIssue
from rotation_desk.core.dca.plan_json import decode_bytes, parse_plan, plan_to_json, too_big
from rotation_desk.data.atomic import write_text


@dataclass(frozen=True)
class OpenedPlan:
    """What a plan file holds: the plan when valid, else the problems (and the raw JSON when it decoded)."""

    path: Path
    raw: dict | None  # the decoded JSON object (None when the file is not a JSON object)
    plan: DcaPlan | None
    error: PlanError | None

    @property
    def ok(self) -> bool:
        return self.plan is not None

    def problem_text(self) -> str:
        if self.error is None:
            return ""
        return "; ".join(str(i) for i in self.error.issues)


def read_plan_bytes(path: str | os.PathLike) -> bytes:
    """The bytes of a plan file; ``PlanError`` (field ``file``) when it is missing, unreadable or too big."""
    path = Path(path)
    source = str(path)
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError
            if stat.S_ISREG(info.st_mode) and info.st_size > MAX_PLAN_BYTES:
                raise too_big(info.st_size, source)
            data = handle.read(MAX_PLAN_BYTES + 1)
    except FileNotFoundError:
        raise PlanError([PlanIssue("file", f"no such file: {path}")], source) from None
    except IsADirectoryError:
        raise PlanError([PlanIssue("file", f"{path} is a folder, not a plan file")], source) from None
    except OSError as exc:
        raise PlanError([PlanIssue("file", f"cannot read: {exc.strerror or exc}")], source) from None
    if len(data) > MAX_PLAN_BYTES:  # a pipe or a device that has no size
        raise too_big(len(data), source)
    return data


def load_plan(path: str | os.PathLike) -> DcaPlan:
    """Read and validate a plan file (UTF-8 JSON)."""
    source = str(path)
    return parse_plan(decode_bytes(read_plan_bytes(path), source), source)


def read_plan_file(path: str | os.PathLike) -> OpenedPlan:
    """Read and validate one plan file; never raises for a bad file, never writes."""
    path = Path(path)
    source = str(path)
    try:
        raw = decode_bytes(read_plan_bytes(path), source)
    except PlanError as exc:
        return OpenedPlan(path, None, None, exc)
    try:
        plan = parse_plan(raw, source)
    except PlanError as exc:
        return OpenedPlan(path, raw if isinstance(raw, dict) else None, None, exc)
    return OpenedPlan(path, raw, plan, None)


def save_plan(plan: DcaPlan, path: str | os.PathLike) -> Path:
    """Write the plan (the file format of ``plan_to_json``) whole or not at all."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_text(path, plan_to_json(plan))
