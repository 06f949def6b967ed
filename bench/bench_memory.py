"""Issue 18 memory row: peak resident memory of a ``--smoke`` run that visits every tab and page.

Measured on the child process (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``, the high-water mark of
its resident set), next to the import floor (a process that imports PySide6.QtWidgets, pyqtgraph and
pandas and does nothing else). The limit is absolute: 300 MB.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.timing import row

LIMIT_MB = 300.0


def peak_rss_mb(cmd: list[str], env: dict) -> float:
    """Peak resident memory (MB) of ``cmd`` run in a fresh child process."""
    script = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", script, *cmd], check=True, capture_output=True, text=True, env=env)
    kb = int(out.stdout.strip().splitlines()[-1])
    return kb / 1024.0 if sys.platform != "darwin" else kb / 1024.0 / 1024.0


def run(quick: bool = False) -> list[dict]:
    del quick  # one run each: the peak is a high-water mark, not a time
    assert resource  # Linux and macOS
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        smoke = [sys.executable, "-m", "rotation_desk", "--offline", "--data-dir", str(data), "--smoke"]
        subprocess.run(smoke, check=True, capture_output=True, env=env)  # seed the store, untimed
        ours = peak_rss_mb(smoke, env)
    floor = peak_rss_mb([sys.executable, "-c", "import PySide6.QtWidgets, pyqtgraph, pandas"], env)
    return [
        row(
            "peak resident memory after visiting every tab and page (--smoke)",
            ours,
            "python -c 'import PySide6.QtWidgets, pyqtgraph, pandas'",
            floor,
            f"limit {LIMIT_MB:.0f} MB (absolute); the floor is the imports alone",
            unit="MB",
            limit=LIMIT_MB,
            limit_kind="absolute",
        )
    ]
