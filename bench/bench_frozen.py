"""Issue 4 figures: the PyInstaller bundle's size and start-up time, next to the same commands from the venv.

Needs a bundle in dist/ (``bash packaging/linux/build_deb.sh``, or PyInstaller
with packaging/rotation-desk.spec); without one it reports nothing and says so.
Both sides run as fresh processes on the same pre-seeded data dir, offline.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.timing import best_of_turns, row

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "rotation-desk"


def _frozen_exe() -> Path | None:
    for name in ("rotation-desk-cli.exe", "rotation-desk.exe", "rotation-desk"):
        exe = BUNDLE / name
        if exe.is_file() and os.access(exe, os.X_OK):
            return exe
    return None


def _venv_cmd() -> list[str]:
    script = Path(sys.executable).with_name("rotation-desk.exe" if os.name == "nt" else "rotation-desk")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "rotation_desk"]


def _size_mb(path: Path) -> float:
    total = sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 1024**2


def _run(cmd: list[str], env: dict) -> None:
    # No timeout: with one, subprocess waits by polling at growing intervals (up to 50 ms), and every time
    # came out rounded up to the next poll (32.0 ms for both sides of --version, 415 ms for data list).
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run(quick: bool = False) -> list[dict]:
    exe = _frozen_exe()
    if exe is None:
        print(
            f"bench_frozen: no bundle in {BUNDLE} (build one: bash packaging/linux/build_deb.sh); skipped",
            file=sys.stderr,
        )
        return []
    # Process starts spread widely on a busy machine (0.32 to 0.49 s for the same data list): enough turns for
    # the best of each to be its floor.
    repeat = 3 if quick else 15
    first_runs = 1 if quick else 5
    frozen, venv = [str(exe)], _venv_cmd()
    env = {k: v for k, v in os.environ.items() if k not in ("ROTATION_DESK_DATA_DIR", "PYTHONDONTWRITEBYTECODE")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    version = subprocess.run(frozen + ["--version"], capture_output=True, text=True, env=env).stdout.strip()
    debs = sorted((ROOT / "dist").glob("rotation-desk_*.deb"))
    frozen_py = sorted({p.name.split(".so")[0].removeprefix("lib") for p in (BUNDLE / "_internal").glob("*python3*")})
    size_note = f"bundle {_size_mb(BUNDLE):.0f} MB ({version}, frozen {'/'.join(frozen_py) or 'Python'}"
    size_note += f", venv Python {sys.version.split()[0]})"
    if debs:
        size_note += f", {debs[-1].name} {debs[-1].stat().st_size / 1024**2:.1f} MB"

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        # The venv as installed: pip compiles the bytecode, as the frozen build does. An editable checkout
        # under PYTHONDONTWRITEBYTECODE would compile every app module on every start, so the untimed first
        # start writes ours to a private cache and the timed runs use it (as bench_ui's start-up row does).
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        data = ["--offline", "--data-dir", str(Path(tmp) / "seeded")]
        # First run on an empty data dir: seeds the store from the bundled snapshot. Both programs are
        # started once first (untimed: the bundle's files read into the OS cache, as the venv's are), then
        # each seeds a fresh data dir, best of a few, the two taking turns.
        for label, cmd in (("frozen", frozen), ("venv", venv)):
            _run(cmd + ["--offline", "--data-dir", str(Path(tmp) / f"warm-{label}"), "data", "list"], env)
        fresh = itertools.count()

        def first_run(cmd: list[str]) -> None:  # a new data dir each time (left for the temporary dir to remove)
            _run(cmd + ["--offline", "--data-dir", str(Path(tmp) / f"fresh-{next(fresh)}"), "data", "list"], env)

        first_frozen, first_venv = best_of_turns(lambda: first_run(frozen), lambda: first_run(venv), first_runs)
        _run(venv + data + ["data", "list"], env)  # seed the shared dir once, untimed

        t_frozen, t_venv = best_of_turns(
            lambda: _run(frozen + ["--version"], env), lambda: _run(venv + ["--version"], env), repeat
        )
        rows.append(
            row(
                "start-up: `rotation-desk --version`, frozen", t_frozen, "same command from the venv", t_venv, size_note
            )
        )
        t_frozen, t_venv = best_of_turns(
            lambda: _run(frozen + data + ["data", "list"], env),
            lambda: _run(venv + data + ["data", "list"], env),
            repeat,
        )
        rows.append(
            row(
                "start-up: `rotation-desk --offline data list` (88 tickers), frozen",
                t_frozen,
                "same command from the venv",
                t_venv,
                "store already seeded",
            )
        )
        rows.append(
            row(
                "first run: `--offline data list` on an empty data dir, frozen",
                first_frozen,
                "same command from the venv",
                first_venv,
                f"seeds the store from the snapshot; best of {first_runs}, taking turns, after one untimed first run of each",
            )
        )
    return rows
