"""Files shipped with the app, found the same way from a source tree, a wheel or a frozen bundle."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

SNAPSHOT = "snapshot.csv.xz"
FACTS = "etf_facts.csv"
GUIDE = "user-guide.md"  # docs/user-guide.md, installed as the package rotation_desk.guide
PROXIES = "proxies.csv"  # tools/build_proxies.py


def _frozen_root() -> Path | None:
    base = getattr(sys, "_MEIPASS", None)  # PyInstaller one-dir bundle
    if base is None:
        return None
    candidate = Path(base) / "rotation_desk" / "resources"
    return candidate if candidate.is_dir() else None


@contextlib.contextmanager
def resource_path(name: str) -> Iterator[Path]:
    """A real file path for a bundled resource (extracted temporarily if it must be)."""
    frozen = _frozen_root()
    if frozen is not None:
        yield frozen / name
        return
    ref = resources.files("rotation_desk.resources").joinpath(name)
    with resources.as_file(ref) as path:
        yield path


def read_bytes(name: str) -> bytes:
    with resource_path(name) as path:
        return path.read_bytes()


def read_guide() -> str:
    """The user guide (Markdown) the window's help shows: from the frozen bundle, the installed
    package, or the source tree's docs/ folder. OSError when none of them has it."""
    base = getattr(sys, "_MEIPASS", None)
    candidates = [Path(base) / "rotation_desk" / "guide" / GUIDE] if base else []
    try:
        ref = resources.files("rotation_desk.guide").joinpath(GUIDE)
        if ref.is_file():
            return ref.read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError, TypeError):
        pass
    candidates.append(Path(__file__).resolve().parents[2] / "docs" / GUIDE)
    for path in candidates:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError(f"the user guide ({GUIDE}) is not installed")
