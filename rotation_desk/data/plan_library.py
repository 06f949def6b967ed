"""The DCA plan library: the plan files in ``AppPaths.plans_dir``.

- One plan per ``*.json`` file. A new plan's file name comes from its name
  ("Rotation core" -> ``rotation-core.json``; ``-2``, ``-3`` … when taken).
  A plan keeps its file when renamed, so saving never leaves a stray copy.
- Opening never changes a file: a corrupt or invalid file comes back as an
  ``OpenedPlan`` with the decoded JSON (when there is any) and the
  ``PlanError`` naming every problem, and the file stays byte for byte as it
  was. Only an explicit save writes, atomically (``save_plan``).
- Import copies a valid plan file into the library unchanged (the same bytes,
  written atomically); an invalid one is opened with its problems and copied
  nowhere. Export writes the current plan to any path in the same format.
- A listed plan's name is the file's name field when it is a valid name (one
  line, not too long), else the file stem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from rotation_desk.core.dca import plan_fields
from rotation_desk.core.dca.plan import MAX_NAME, DcaPlan, PlanError
from rotation_desk.data.atomic import write_bytes
from rotation_desk.data.plan_files import OpenedPlan, read_plan_bytes, read_plan_file, save_plan
from rotation_desk.errors import BadInput

SUFFIX = ".json"
MAX_SLUG = 60


@dataclass(frozen=True)
class PlanEntry:
    """One file of the library as listed: the plan's name (the file stem when unreadable)."""

    path: Path
    name: str
    valid: bool

    @property
    def label(self) -> str:
        return self.name if self.valid else f"{self.name} (has problems)"


def slug(name: str) -> str:
    """A file-name stem for a plan name: lower case, ASCII letters and digits joined by hyphens."""
    text = re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")
    return text[:MAX_SLUG].rstrip("-") or "plan"


class PlanLibrary:
    """The plan files in one folder (created on first save)."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    # -- listing ------------------------------------------------------------------
    def files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(
            p
            for p in self.folder.iterdir()
            if p.suffix.lower() == SUFFIX and p.is_file() and not p.name.startswith(".")
        )

    def entries(self) -> list[PlanEntry]:
        """Every plan file, by name (case-insensitive), then file name."""
        out = []
        for path in self.files():
            opened = read_plan_file(path)
            name = None
            if opened.plan is not None:
                name = opened.plan.name
            elif opened.raw is not None:
                name = plan_fields.name(opened.raw, [])
            out.append(PlanEntry(path, name or path.stem, opened.ok))
        return sorted(out, key=lambda e: (e.name.casefold(), e.path.name))

    def names(self) -> set[str]:
        return {e.name.casefold() for e in self.entries()}

    def contains(self, path: str | Path | None) -> bool:
        if path is None:
            return False
        path = Path(path)
        try:
            return path.resolve().parent == self.folder.resolve() and path.suffix.lower() == SUFFIX
        except OSError:
            return False

    def resolve(self, file_name: str) -> Path | None:
        """The library file called ``file_name`` (a bare name, as kept in the settings), if it exists."""
        if not file_name or Path(file_name).name != file_name:
            return None
        path = self.folder / file_name
        return path if path.is_file() else None

    # -- writing ------------------------------------------------------------------
    def new_path(self, name: str) -> Path:
        """A free file path for a plan called ``name``."""
        stem = slug(name)
        path = self.folder / f"{stem}{SUFFIX}"
        n = 2
        while path.exists():
            path = self.folder / f"{stem}-{n}{SUFFIX}"
            n += 1
        return path

    def save(self, plan: DcaPlan, path: str | Path | None = None) -> Path:
        """Write ``plan`` to ``path`` (a library file) or to a new file named after it."""
        target = Path(path) if path is not None else self.new_path(plan.name)
        try:
            return save_plan(plan, target)
        except OSError as exc:
            raise BadInput(f"cannot save the plan to {target}: {exc.strerror or exc}") from None

    def unique_name(self, base: str) -> str:
        """``base`` if no plan is called that, else "base (2)", "base (3)" …"""
        taken = self.names()
        if base.casefold() not in taken:
            return base
        n = 2
        while f"{base} ({n})".casefold() in taken:
            n += 1
        return f"{base} ({n})"

    def duplicate(self, plan: DcaPlan) -> tuple[DcaPlan, Path]:
        """A copy of ``plan`` named "<name> copy" (made unique), saved as a new file."""
        base = plan.name[: MAX_NAME - len(" copy (999)")].rstrip()
        copy = replace(plan, name=self.unique_name(f"{base} copy"))
        return copy, self.save(copy)

    def delete(self, path: str | Path) -> None:
        path = Path(path)
        if not self.contains(path):
            raise BadInput(f"{path} is not in the plans folder {self.folder}")
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise BadInput(f"cannot delete {path}: {exc.strerror or exc}") from None

    def import_file(self, source: str | Path) -> OpenedPlan:
        """Open ``source``; a valid plan is copied (unchanged bytes) into the library and opened from there."""
        opened = read_plan_file(source)
        if not opened.ok:
            return opened
        target = self.new_path(opened.plan.name)
        try:
            data = read_plan_bytes(source)
            self.folder.mkdir(parents=True, exist_ok=True)
            write_bytes(target, data)
        except PlanError as exc:
            return OpenedPlan(Path(source), None, None, exc)
        except OSError as exc:
            raise BadInput(f"cannot copy {source} into {self.folder}: {exc.strerror or exc}") from None
        return OpenedPlan(target, opened.raw, opened.plan, None)

    @staticmethod
    def export(plan: DcaPlan, dest: str | Path) -> Path:
        try:
            return save_plan(plan, dest)
        except OSError as exc:
            raise BadInput(f"cannot write {dest}: {exc.strerror or exc}") from None
