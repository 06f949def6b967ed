"""Exports (issue 17): ``export-chart all`` in one process against the eight ``export-chart VIEW``
processes it replaces, on the same seeded data dir in the same run (limit: at least 3× faster, ratio ≤ 0.33).

The 1920×1080 ten-series PNG against matplotlib's savefig is the ``PNG export 1920×1080`` row of
``bench_ui`` (limit 1.0).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.timing import row
from rotation_desk.core.export_views import VIEWS


def _cli(*args: str) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "rotation_desk", *args], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"rotation-desk {' '.join(args)}: {proc.stderr.strip()}")


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run(quick: bool = False) -> list[dict]:
    repeat = 1 if quick else 2
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "rd"
        common = ["--offline", "--data-dir", str(data)]
        _cli(*common, "data", "list", "--format", "json")  # seed the store once, outside the timing
        size = ["--width", "1600", "--height", "900"]

        def one_process():
            _cli(*common, "export-chart", "all", "--out-dir", str(Path(tmp) / "all"), *size)

        def eight_processes():
            for view in VIEWS:
                _cli(*common, "export-chart", view, "--out", str(Path(tmp) / "one" / f"{view}.png"), *size)

        ours = min(_timed(one_process) for _ in range(repeat))
        peer = min(_timed(eight_processes) for _ in range(repeat))
    return [
        row(
            f"export-chart all: {len(VIEWS)} views 1600×900 in one process",
            ours,
            f"{len(VIEWS)} export-chart processes",
            peer,
            "one tab per tab class, computed once (compare, drawdown, correlation share one)",
            limit=1 / 3,
        )
    ]
