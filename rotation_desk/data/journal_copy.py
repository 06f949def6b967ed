"""The DCA journal's copy in the user's data folder (``journal-backup.json``): JSON lines, rewritten whole.

The first line is a header (format, the journal's generation, when it was
written, the number of rows); then one row per line with the columns of
``journal_rows.KEYS``. It is written atomically (``atomic``) after every
change to the journal, so it is the journal as of its last change; it is read
only when the database has lost rows (``recovery``) or was found empty
(``Journal.check_copy``). A damaged line of the copy is skipped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

from rotation_desk.data.atomic import write_text
from rotation_desk.data.journal_rows import KEYS, JournalRow, row_from_stored

BACKUP_NAME = "journal-backup.json"
BACKUP_FORMAT = "rotation-desk journal backup"


def write_copy(path: Path, rows: Sequence[Sequence], generation: int) -> None:
    """Write the stored ``rows`` (``journal_rows.SELECT``'s columns) as the copy; OSError if it cannot."""
    written = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    header = {"format": BACKUP_FORMAT, "generation": generation, "written_at": written, "rows": len(rows)}
    lines = [json.dumps(header)]
    lines += [json.dumps(dict(zip(KEYS, r)), ensure_ascii=False) for r in rows]
    write_text(path, "\n".join(lines) + "\n")


def copy_header(path: Path) -> dict | None:
    """The copy's header, or None when there is no copy (or it is not one)."""
    with contextlib.suppress(OSError, ValueError), path.open(encoding="utf-8") as handle:
        header = json.loads(handle.readline())
        if isinstance(header, dict) and header.get("format") == BACKUP_FORMAT:
            return header
    return None


def copy_rows(path: Path) -> list[JournalRow]:
    """The sound rows of the copy."""
    out: list[JournalRow] = []
    if copy_header(path) is None:
        return out
    with contextlib.suppress(OSError, UnicodeDecodeError), path.open(encoding="utf-8") as handle:
        next(handle, None)
        for line in handle:
            try:
                data = json.loads(line)
                row = row_from_stored(tuple(data[k] for k in KEYS))
            except (ValueError, KeyError, TypeError):
                continue
            if row.buy is not None:
                out.append(row)
    return out
