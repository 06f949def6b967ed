"""Validate a user's price CSV (columns: date, adj_close or close) before anything is written."""

from __future__ import annotations

import csv
import io
import math
from datetime import date
from pathlib import Path

import pandas as pd

from rotation_desk.errors import BadInput

MAX_PROBLEMS_SHOWN = 5


def read_price_csv(path: Path, ticker: str) -> pd.DataFrame:
    """Parse and check every line; raise BadInput naming the first bad lines, else a frame with adj_close."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise BadInput(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: not a UTF-8 text file ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read ({exc.strerror})") from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise BadInput(f"{path}: the file is empty")
    names = [h.strip().lower().replace(" ", "_") for h in header]
    if "date" not in names:
        raise BadInput(f"{path}: line 1: no 'date' column (found: {', '.join(header)})")
    price_col = "adj_close" if "adj_close" in names else "close" if "close" in names else None
    if price_col is None:
        raise BadInput(f"{path}: line 1: no 'adj_close' or 'close' column (found: {', '.join(header)})")
    i_date, i_price = names.index("date"), names.index(price_col)
    i_ticker = names.index("ticker") if "ticker" in names else None

    problems: list[str] = []
    seen: dict[date, int] = {}
    dates: list[date] = []
    prices: list[float] = []
    for lineno, rec in enumerate(reader, start=2):
        if not rec or all(not c.strip() for c in rec):
            continue
        if len(rec) <= max(i_date, i_price):
            problems.append(f"line {lineno}: expected {len(header)} fields, found {len(rec)}")
            continue
        if i_ticker is not None and rec[i_ticker].strip() and rec[i_ticker].strip().upper() != ticker.upper():
            problems.append(f"line {lineno}: ticker {rec[i_ticker].strip()!r} is not {ticker.upper()}")
            continue
        raw_date, raw_price = rec[i_date].strip(), rec[i_price].strip()
        try:
            day = date.fromisoformat(raw_date[:10])
        except ValueError:
            problems.append(f"line {lineno}: date {raw_date!r} is not a date (use YYYY-MM-DD)")
            continue
        try:
            value = float(raw_price)
        except ValueError:
            problems.append(f"line {lineno}: {price_col} {raw_price!r} is not a number")
            continue
        if not math.isfinite(value) or value <= 0:
            problems.append(f"line {lineno}: {price_col} {raw_price!r} must be a positive number")
            continue
        if day in seen:
            problems.append(f"line {lineno}: date {day} repeats line {seen[day]}")
            continue
        seen[day] = lineno
        dates.append(day)
        prices.append(value)
    if problems:
        shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
        more = f" (and {len(problems) - MAX_PROBLEMS_SHOWN} more)" if len(problems) > MAX_PROBLEMS_SHOWN else ""
        raise BadInput(f"{path}: {shown}{more}; nothing was imported")
    if not dates:
        raise BadInput(f"{path}: no price rows after the header; nothing was imported")
    frame = pd.DataFrame({"adj_close": prices}, index=pd.DatetimeIndex(pd.to_datetime(dates), name="date"))
    return frame.sort_index()
