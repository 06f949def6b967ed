#!/usr/bin/env python3
"""Set up Rotation Desk in ./.venv and run it, or run its tests.

    python3 bootstrap.py app     install everything, launch the app on the bundled snapshot
    python3 bootstrap.py test    install everything (with test tools), run the test suite
    python3 bootstrap.py bench   install everything (with the peers), run the benchmarks
    python3 bootstrap.py lint    install the test tools, run ruff (lint + format check) and the import contracts

Extra arguments after ``app`` go to ``rotation-desk``; after ``test`` to pytest.

PySide6 6.12 crashes Python 3.11 and older ("Fatal Python error: none_dealloc",
see docs/architecture.md), so this prefers a Python >= 3.12 interpreter when the machine
has one; on 3.11 the package pins PySide6 < 6.12 by an environment marker.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("ROTATION_DESK_VENV", ROOT / ".venv"))
MIN = (3, 11)
PREFERRED = (3, 12)


def _version_of(exe: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run(
            [exe, "-c", "import sys, venv, ensurepip; print('%d %d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    major, minor = out.stdout.split()
    return int(major), int(minor)


def _candidates() -> list[str]:
    names = [f"python3.{m}" for m in range(20, 11, -1)]
    found = [p for p in (shutil.which(n) for n in names) if p]
    roots = [os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv")) + "/versions/3.*/bin/python3"]
    roots += [
        "/opt/homebrew/bin/python3.*",
        "/usr/local/bin/python3.*",
        "/Library/Frameworks/Python.framework/Versions/3.*/bin/python3",
    ]
    for pattern in roots:
        found += sorted(glob.glob(pattern), reverse=True)
    found.append(sys.executable)
    return list(dict.fromkeys(found))


def choose_python() -> tuple[str, tuple[int, int]]:
    override = os.environ.get("ROTATION_DESK_PYTHON")
    if override:
        version = _version_of(override)
        if version is None:
            sys.exit(f"bootstrap: ROTATION_DESK_PYTHON={override} does not run")
        return override, version
    best: tuple[str, tuple[int, int]] | None = None
    for exe in _candidates():
        version = _version_of(exe)
        if version is None or version < MIN or version >= (3, 15):
            continue
        if best is None or version > best[1]:
            best = (exe, version)
        if version >= PREFERRED and best[1] >= PREFERRED:
            break
    if best is None:
        sys.exit("bootstrap: Rotation Desk needs Python 3.11 or newer; none was found")
    return best


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv(extras: str) -> Path:
    exe, version = choose_python()
    py = venv_python()
    current = _version_of(str(py)) if py.exists() else None
    if current is not None and current < PREFERRED <= version:
        print(f"bootstrap: replacing the Python {current[0]}.{current[1]} venv with {version[0]}.{version[1]}")
        shutil.rmtree(VENV)
        current = None
    if current is None:
        print(f"bootstrap: creating {VENV} with Python {version[0]}.{version[1]} ({exe})")
        subprocess.run([exe, "-m", "venv", str(VENV)], check=True)
    stamp = VENV / f".installed-{extras or 'app'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        target = f"{ROOT}[{extras}]" if extras else str(ROOT)
        pip = [str(py), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        subprocess.run(pip + ["--upgrade", "pip"], check=True)
        subprocess.run(pip + ["-e", target], check=True)
        stamp.write_text(digest)
    return py


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("app", "test", "bench", "lint"):
        print(__doc__)
        return 2
    what, rest = argv[0], argv[1:]
    if what == "app":
        py = ensure_venv("")
        return subprocess.call([str(py), "-m", "rotation_desk", *rest])
    if what == "bench":
        py = ensure_venv("test,bench")
        return subprocess.call([str(py), str(ROOT / "bench" / "run.py"), *rest], cwd=ROOT)
    if what == "lint":
        py = ensure_venv("test")
        tools = py.parent
        for step in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["lint-imports"]):
            print(f"bootstrap: {' '.join(step)}", flush=True)
            code = subprocess.call([str(tools / step[0]), *step[1:], *rest], cwd=ROOT)
            if code != 0:
                return code
        return 0
    py = ensure_venv("test")
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    code = subprocess.call([str(py), "-m", "pytest", *rest], cwd=ROOT, env=env)
    if code == 5:
        print("bootstrap: pytest collected no tests; that counts as a failure")
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
