"""Writing rendered files (charts, tables) whole or not at all, with one clear line when the disk or
the folder refuses: shared by ``export-chart`` and ``export-table``.

Every file is rendered to bytes in memory first, then written through ``data.atomic`` (temporary file
beside the target, fsync, rename). Several outputs (``export-chart all``) are all rendered before the
first is written.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
from pathlib import Path

from rotation_desk.errors import EnvironmentProblem, RotationDeskError

log = logging.getLogger(__name__)


def write_outputs(blobs: list[tuple[Path, bytes]], what: str) -> None:
    """Write each rendered file whole (``ui.charts.export.write_file``: temporary file, fsync, rename).
    Everything was rendered before the first write, so bad input or missing data writes nothing; if the
    disk refuses one file, the files this command created before it are removed again."""
    from rotation_desk.ui.charts.export import write_file

    created: list[Path] = []
    try:
        for out, data in blobs:
            existed = out.exists()
            write_file(out, data)
            if not existed:
                created.append(out)
    except RotationDeskError as exc:
        for path in created:
            with contextlib.suppress(OSError):
                path.unlink()
        for path in created:  # and the folders the command made for them, when left empty
            with contextlib.suppress(OSError):
                path.parent.rmdir()
        raise EnvironmentProblem(str(exc).replace("write the chart", f"write the {what}")) from None
    for out, _data in blobs:
        print(f"wrote {out}", file=sys.stderr)


@contextlib.contextmanager
def native_stderr_to_log():
    """Qt and libpng print their own complaints ("libpng error: Write Error") straight to the
    process's stderr; while rendering, that goes to the log, so the terminal gets one line."""
    try:
        sink = tempfile.TemporaryFile()
        saved = os.dup(2)
    except OSError:
        yield
        return
    with sink:
        sys.stderr.flush()
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            text = sink.read().decode("utf-8", "replace").strip()
            if text:
                log.info("the chart renderer said: %s", " | ".join(text.splitlines()))
