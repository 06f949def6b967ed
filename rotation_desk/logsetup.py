"""Logging to a rotated file in the platformdirs log dir; the terminal only gets short messages.

A log file that cannot be written never disturbs a command: if the log folder
cannot be created or the file opened (a read-only folder), records go to a
file in the system's temporary folder instead; if a write fails later (a full
disk), file logging stops quietly. Python's "--- Logging error ---" report is
never printed. ``log_location()`` says where the records went, or why nowhere.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import tempfile
from pathlib import Path

from rotation_desk.errors import why

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
FALLBACK_DIR_NAME = "rotation-desk-logs"


class _QuietFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler that stops (and remembers why) instead of printing its own failures."""

    failure: str | None = None
    _rotation_desk = True

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's API
        exc = sys.exc_info()[1]
        reason = why(exc) if isinstance(exc, OSError) else f"{type(exc).__name__}: {exc}"
        self.failure = f"{self.baseFilename}: {reason}"
        self.setLevel(logging.CRITICAL + 1)  # nothing more goes to a file that cannot be written
        if self.stream is not None:
            try:
                self.stream.close()
            except OSError:
                pass
            self.stream = None


_state: dict[str, object] = {"handler": None, "problem": None}


def _open_handler(log_file: Path) -> _QuietFileHandler:
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = _QuietFileHandler(log_file, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter(_FORMAT))
    return handler


def _fallback_file() -> Path:
    user = os.environ.get("USER") or os.environ.get("USERNAME") or str(getattr(os, "getuid", lambda: "")())
    return Path(tempfile.gettempdir()) / f"{FALLBACK_DIR_NAME}-{user}" / "rotation-desk.log"


def setup_logging(log_file: Path, level: int = logging.INFO) -> Path | None:
    """Send all log records (tracebacks included) to ``log_file``, rotated at 1 MB × 5.

    Returns the file actually used: ``log_file``, the temporary-folder fallback, or None.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_rotation_desk", False):
            root.removeHandler(handler)
            handler.close()
    _state["handler"] = None
    _state["problem"] = None
    used: Path | None = None
    for candidate in (Path(log_file), _fallback_file()):
        try:
            handler = _open_handler(candidate)
        except OSError as exc:
            if _state["problem"] is None:
                _state["problem"] = f"{candidate}: {why(exc)}"
            continue
        root.addHandler(handler)
        _state["handler"] = handler
        used = candidate
        break
    root.setLevel(level)
    # yfinance logs per-ticker errors itself; we report them in our own words.
    logging.getLogger("yfinance").setLevel(logging.CRITICAL)
    return used


def log_location() -> tuple[Path | None, str | None]:
    """(the file that holds this run's records, or None; why the log could not go where it should, or None)."""
    handler = _state["handler"]
    if isinstance(handler, _QuietFileHandler):
        if handler.failure:
            return None, handler.failure
        return Path(handler.baseFilename), _state["problem"]  # type: ignore[return-value]
    return None, _state["problem"]  # type: ignore[return-value]
