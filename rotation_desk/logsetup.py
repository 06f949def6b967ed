"""Logging to a rotated file in the platformdirs log dir; the terminal only gets short messages."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(log_file: Path, level: int = logging.INFO) -> Path:
    """Send all log records (tracebacks included) to ``log_file``, rotated at 1 MB × 5."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_rotation_desk", False):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler._rotation_desk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    # yfinance logs per-ticker errors itself; we report them in our own words.
    logging.getLogger("yfinance").setLevel(logging.CRITICAL)
    return log_file
