"""``data export``: stored prices to a CSV that ``data import`` reads back to the same floats.

Numbers are written in their shortest plain-decimal form (``repr`` digits,
never an exponent: ``1e-07`` is written ``0.0000001``), so every stored float
survives export -> import exactly. The file is written whole or not at all
(``atomic.py``).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from rotation_desk.data.atomic import atomic_output, parent_folders
from rotation_desk.data.store_frames import COLUMNS
from rotation_desk.errors import environment_problem


def plain_decimal(value: float) -> str:
    """The shortest decimal that reads back as ``value``, without an exponent; '' for NaN."""
    if not math.isfinite(value):
        return ""
    text = repr(float(value))
    if "e" in text or "E" in text:
        text = np.format_float_positional(value, unique=True, trim="-")
    return text


def export_frame(histories: dict[str, pd.DataFrame], columns: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    """Header and rows (date, ticker, the columns that hold any value), ticker by ticker, dates ascending."""
    used = [c for c in columns if any(h[c].notna().any() for h in histories.values() if c in h)]
    header = ["date", "ticker", *used]
    rows: list[list[str]] = []
    for ticker, hist in histories.items():
        days = list(pd.DatetimeIndex(hist.index).strftime("%Y-%m-%d"))
        cols = [[plain_decimal(v) for v in hist[c].to_numpy(dtype="float64").tolist()] for c in used]
        rows.extend([day, ticker, *vals] for day, *vals in zip(days, *cols))
    return header, rows


def write_csv(out: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write the table to ``out`` atomically; an OSError becomes an EnvironmentProblem naming ``out``."""
    out = Path(out)
    try:
        with atomic_output(out, "w", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
    except OSError as exc:
        raise environment_problem(exc, out, "write the file") from None


def export_prices(market, tickers: Sequence[str], out: Path) -> tuple[list[str], int]:
    """``data export`` (and the Data health dialog's Export): the tickers' stored rows to ``out``, whole
    or not at all; the tickers (upper-cased) and the number of rows written. DataUnavailable naming a
    ticker that is not cached; EnvironmentProblem naming the folder or file that cannot be written."""
    out = Path(out)
    names = market.require(tickers)
    header, rows = export_frame({name: market.store.read_history(name) for name in names}, COLUMNS)
    try:
        with parent_folders(out):
            write_csv(out, header, rows)
    except OSError as exc:
        raise environment_problem(exc, out.parent, "create the folder") from None
    return names, len(rows)
