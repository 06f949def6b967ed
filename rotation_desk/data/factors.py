"""The Fama/French 5-factor files (2x3), daily and monthly, from the bundle or the user's data folder.

The files are the Kenneth R. French Data Library's CSVs exactly as published:
a text preamble ("This file was created … using the 202408 CRSP database."),
the header ``,Mkt-RF,SMB,HML,RMW,CMA,RF``, then one row per ``YYYYMMDD``
(daily) or ``YYYYMM`` (monthly) in percent. The monthly file then has a blank
line and an annual block ("Annual Factors: January-December"), which is
skipped; a trailing copyright line is skipped too.

The app ships the files of the 202408 database (to 2024-08-30) in resources/
(xz-compressed, byte for byte). ``rotation-desk factors update`` stores newer
ones in ``AppPaths.factors_dir``; for each frequency the file that reaches the
later date is used, and a damaged downloaded file is ignored with a notice.
"""

from __future__ import annotations

import logging
import lzma
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from rotation_desk.core.factor_model import FACTORS, FREQUENCIES, FactorSeries
from rotation_desk.data.paths import AppPaths
from rotation_desk.data.resources import read_bytes

log = logging.getLogger(__name__)

FILE_NAMES = {
    "monthly": "F-F_Research_Data_5_Factors_2x3.csv",
    "daily": "F-F_Research_Data_5_Factors_2x3_daily.CSV",
}
HEADER = ("Mkt-RF", "SMB", "HML", "RMW", "CMA", "RF")
COLUMNS = (*FACTORS, "rf")
LIBRARY = "Kenneth R. French Data Library"
BUNDLED = f"bundled copy of the {LIBRARY} file"
MIN_ROWS = {"monthly": 12, "daily": 250}
END_WORDS = ("annual", "copyright")
_DATABASE = re.compile(r"using the (\d{6}) CRSP database")


class FactorFileError(ValueError):
    """A factor file that is not the Data Library's format; the message names the line."""


@dataclass(frozen=True)
class ParsedFactors:
    table: pd.DataFrame  # fractions; PeriodIndex (monthly) or DatetimeIndex (daily)
    last_date: pd.Timestamp
    database: str | None


def parse_factor_text(text: str, frequency: str, where: str = "factor file") -> ParsedFactors:
    """Parse one file's text; FactorFileError (with the line number) when it is not a factor file."""
    if frequency not in FREQUENCIES:
        raise ValueError(frequency)
    lines = text.splitlines()
    header = None
    for i, line in enumerate(lines):
        cells = [c.strip() for c in line.split(",")]
        if len(cells) == len(HEADER) + 1 and cells[0] == "" and tuple(cells[1:]) == HEADER:
            header = i
            break
    if header is None:
        raise FactorFileError(f"{where}: no header row ',{','.join(HEADER)}' (not a Fama/French 5-factor file)")
    width = 6 if frequency == "monthly" else 8
    keys, rows = [], []
    for i in range(header + 1, len(lines)):
        cells = [c.strip() for c in lines[i].split(",")]
        if not any(cells) or cells[0].lower().startswith(END_WORDS):  # the annual block or the copyright line
            break
        if len(cells[0]) != width or not cells[0].isdigit():
            what = "YYYYMM" if frequency == "monthly" else "YYYYMMDD"
            raise FactorFileError(f"{where}, line {i + 1}: {cells[0]!r} is not a {what} date")
        if len(cells) != len(HEADER) + 1:
            raise FactorFileError(f"{where}, line {i + 1}: {len(cells) - 1} values, expected {len(HEADER)}")
        try:
            values = [float(c) for c in cells[1:]]
        except ValueError:
            raise FactorFileError(f"{where}, line {i + 1}: a value is not a number") from None
        if not all(np.isfinite(values)) or any(v <= -99.99 for v in values):
            raise FactorFileError(f"{where}, line {i + 1}: missing or impossible value (-99.99 / -999 marker)")
        keys.append(cells[0])
        rows.append(values)
    if len(rows) < MIN_ROWS[frequency]:
        raise FactorFileError(f"{where}: only {len(rows)} {frequency} rows after the header")
    try:
        if frequency == "monthly":
            index = pd.PeriodIndex([f"{k[:4]}-{k[4:]}" for k in keys], freq="M")
        else:
            index = pd.DatetimeIndex(pd.to_datetime(keys, format="%Y%m%d"))
    except (ValueError, TypeError):
        raise FactorFileError(f"{where}: a row's date is not a calendar date") from None
    ordinal = index.asi8
    if frequency == "monthly" and not (np.diff(ordinal) == 1).all():
        raise FactorFileError(f"{where}: the months are not consecutive")
    if frequency == "daily" and not (np.diff(ordinal) > 0).all():
        raise FactorFileError(f"{where}: the dates are not strictly increasing")
    table = pd.DataFrame(np.asarray(rows) / 100.0, index=index, columns=list(COLUMNS))
    if frequency == "monthly":  # the month's last weekday: on or after its last session, so the month counts
        last_date = index[-1].to_timestamp(how="start") + pd.offsets.BMonthEnd(0)
    else:
        last_date = index[-1]
    found = _DATABASE.search("\n".join(lines[:header]))
    return ParsedFactors(table, pd.Timestamp(last_date), found.group(1) if found else None)


def decode_text(raw: bytes, where: str) -> str:
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError:
        try:
            return raw.decode("latin-1")
        except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes any byte
            raise FactorFileError(f"{where}: not a text file") from None


@lru_cache(maxsize=2)
def bundled_factors(frequency: str) -> ParsedFactors:
    name = FILE_NAMES[frequency]
    raw = lzma.decompress(read_bytes(name + ".xz"))
    return parse_factor_text(decode_text(raw, name), frequency, name)


def user_factor_file(paths: AppPaths, frequency: str) -> Path:
    return paths.factors_dir / FILE_NAMES[frequency]


def read_factor_file(path: Path, frequency: str) -> ParsedFactors:
    return parse_factor_text(decode_text(path.read_bytes(), path.name), frequency, str(path))


def load_factors(frequency: str, paths: AppPaths | None = None, notices: list[str] | None = None) -> FactorSeries:
    """The factors of one frequency: the user's downloaded file when it reaches later than the bundled one."""
    if frequency not in FREQUENCIES:
        raise ValueError(f"frequency must be one of {', '.join(FREQUENCIES)}, not {frequency!r}")
    chosen, source = bundled_factors(frequency), BUNDLED
    if paths is not None:
        path = user_factor_file(paths, frequency)
        if path.is_file():
            try:
                user = read_factor_file(path, frequency)
            except (FactorFileError, OSError) as exc:
                log.warning("ignoring %s: %s", path, exc)
                if notices is not None:
                    notices.append(f"ignoring the downloaded factor file ({exc}); using the bundled one")
            else:
                if user.last_date > chosen.last_date:
                    chosen, source = user, f"downloaded from the {LIBRARY} ({path})"
    return FactorSeries(frequency, chosen.table, chosen.last_date, source, chosen.database)
