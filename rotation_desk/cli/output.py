"""Printing records as an aligned table, CSV or JSON (JSON: snake_case, fractions, ISO dates)."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Sequence
from datetime import date, datetime

import numpy as np
import pandas as pd


def jsonable(value):
    """Plain JSON values: NaN → null, timestamps → YYYY-MM-DD, numpy scalars → Python."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NaT:
        return None
    return value


def dumps(obj) -> str:
    return json.dumps(jsonable(obj), indent=2)


def pct(value, digits: int = 1, signed: bool = True) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    sign = "+" if signed else ""
    return f"{value * 100:{sign}.{digits}f} %"


def num(value, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{value:.{digits}f}"


def day(value) -> str:
    if value is None or value is pd.NaT:
        return "—"
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def table(rows: Sequence[Sequence[str]], header: Sequence[str], right: set[int] | None = None) -> str:
    """Aligned plain-text table; columns in ``right`` are right-aligned (numbers)."""
    right = right if right is not None else set(range(1, len(header)))
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(str(h)) for i, h in enumerate(header)]

    def line(cells):
        return "  ".join(
            str(c).rjust(widths[i]) if i in right else str(c).ljust(widths[i]) for i, c in enumerate(cells)
        ).rstrip()

    out = [line(header), line(["-" * w for w in widths])]
    out.extend(line(r) for r in rows)
    return "\n".join(out)


def csv_text(records: Sequence[dict], fields: Sequence[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(fields), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for rec in records:
        writer.writerow({k: ("" if v is None else v) for k, v in jsonable(rec).items()})
    return buf.getvalue().rstrip("\n")


def render(
    records: Sequence[dict],
    fmt: str,
    fields: Sequence[str],
    table_row: Callable[[dict], Sequence[str]],
    table_header: Sequence[str],
) -> str:
    if fmt == "json":
        return dumps(list(records))
    if fmt == "csv":
        return csv_text(records, fields)
    return table([table_row(r) for r in records], table_header)
