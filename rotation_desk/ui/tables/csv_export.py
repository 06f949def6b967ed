"""Table cells for CSV files and the clipboard (Qt-free).

CSV export writes numbers as plain numbers, in the unit the header names:
percent columns as percentage points with " (%)" in the header (12.34 means
12.34 %), money with " ($)" and two decimals, dates as YYYY-MM-DD.

Formula injection: a spreadsheet runs a cell that starts with = + - or @
(and some also treat a leading tab or carriage return specially). Text cells
that start with one of these get a single quote in front, so they open as
text. Only text cells are escaped: numbers, negative ones included, are
written as numbers ("-36.8"), which spreadsheets read as numbers and never
as formulas.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_text(text: str) -> str:
    """A text cell made safe to open in a spreadsheet."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_cell(value) -> str:
    """One cell: numbers as numbers, text escaped, missing values empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return ""
        return repr(value) if isinstance(value, float) else str(value)
    return escape_text(str(value))


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([escape_text(str(h)) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buf.getvalue()


def tsv_text(rows: Iterable[Sequence[str]]) -> str:
    """Tab-separated text for the clipboard (tabs and newlines inside cells become spaces)."""
    return "\n".join("\t".join(str(c).replace("\t", " ").replace("\n", " ") for c in row) for row in rows)
