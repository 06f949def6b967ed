"""Validate a user's price CSV (columns: date, adj_close or close) before anything is written.

What a price file may hold (anything else is refused with exit 2 and the line it is on):

- UTF-8 text (a byte-order mark is fine), any line ending (LF, CRLF, CR alone),
  at most ``MAX_BYTES`` bytes and ``MAX_ROWS`` rows — checked before parsing.
- A header naming ``date`` and ``adj_close`` (or ``close``); other columns are
  ignored, except ``ticker``, which must match ``--ticker`` where given.
  Every line has as many fields as the header.
- Dates as YYYY-MM-DD in ASCII digits, 1900-01-01 to 2100-12-31
  (``rotation_desk.core.dates``), each date once.
- Prices as plain decimals: ASCII digits with an optional decimal point
  (``12.5``, ``0.0000001``, ``.5``); no sign, no exponent, no thousands
  separators, no ``_``, ``inf``, ``nan`` or hex. Exponents are refused on
  purpose: a spreadsheet that writes ``1.23457E+11`` has already rounded the
  number. A price must be above 0 and at most ``MAX_PRICE``, and
  representable: the 64-bit float that is stored, written back in its
  shortest form, is the same number as the one in the file (so
  ``0.1234567890123456789``, which a float cannot hold, is refused rather
  than silently rounded). ``data export`` writes exactly that shortest form,
  so an export imports back to the same floats.
- Dialects: commas between fields and a dot for decimals; with ``--decimal ,``
  semicolons between fields and a comma for decimals (``2020-01-02;12,50``).
  An unquoted decimal comma (``2020-01-02,12,50``) is one field too many and
  is named as a decimal comma, never read as 12.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd

from rotation_desk.core.dates import MAX_DAYS, parse_day
from rotation_desk.data.csv_export import plain_decimal
from rotation_desk.errors import BadInput, environment_problem

MAX_PROBLEMS_SHOWN = 5
MAX_ROWS = MAX_DAYS  # one row per calendar day from 1900 to 2100; more rows must repeat a date
MAX_BYTES = 32 * 1024 * 1024  # a full export of one ticker with every column is ~12 MB
MAX_PRICE = 1e12
MAX_NUMBER_CHARS = 40
DECIMALS = {".": ",", ",": ";"}  # decimal mark -> field delimiter

_PLAIN = {
    ".": re.compile(r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)", re.ASCII),
    ",": re.compile(r"(?:[0-9]+(?:,[0-9]+)?|,[0-9]+)", re.ASCII),
}
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_EXPONENT = re.compile(r"[+]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)[eE][+-]?[0-9]+", re.ASCII)
_THOUSANDS = {
    ".": re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?", re.ASCII),
    ",": re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]*)?", re.ASCII),
}


@dataclass(frozen=True)
class Imported:
    """What an import wrote: the rows, their first and last date, what they replaced."""

    ticker: str
    rows: int
    first: str
    last: str
    replaced_rows: int = 0
    replaced_source: str | None = None

    def describe(self) -> str:
        """ "imported 1234 rows of MYFD, 2020-01-02 to 2024-12-31 (replaced 8434 rows from snapshot)"."""
        replaced = f" (replaced {self.replaced_rows} rows from {self.replaced_source})" if self.replaced_rows else ""
        return f"imported {self.rows} rows of {self.ticker}, {self.first} to {self.last}{replaced}"


def import_price_file(store, path: Path, ticker: str, decimal: str = ".", currency: str | None = None) -> Imported:
    """Check the whole file (``read_price_csv``: BadInput naming the bad lines, before anything is
    written), then replace ``ticker``'s history in ``store`` in one transaction. The command line's
    ``data import`` and the window's File → Import prices from CSV… both run this."""
    path = Path(path)
    frame = read_price_csv(path, ticker, decimal=decimal)
    before = store.ticker_meta(ticker)
    n = store.replace_history(ticker, frame, source=f"import:{path.name}")
    if currency is not None:  # the listing's currency, said by the user (data import --currency)
        from rotation_desk.data.store import Listing

        store.set_listing(ticker, Listing(currency=currency))
    return Imported(
        ticker,
        n,
        frame.index[0].strftime("%Y-%m-%d"),
        frame.index[-1].strftime("%Y-%m-%d"),
        before.rows if before else 0,
        before.source if before else None,
    )


def read_price_csv(path: Path, ticker: str, decimal: str = ".") -> pd.DataFrame:
    """Parse and check every line; raise BadInput naming the first bad lines, else a frame with adj_close."""
    if decimal not in DECIMALS:
        raise BadInput(f"--decimal must be '.' or ',' (got {decimal!r})")
    path = Path(path)
    text = read_csv_text(path)
    reader = csv_reader(path, text, DECIMALS[decimal], MAX_ROWS, "a price file", " (one a day from 1900 to 2100)")
    try:
        return _parse(path, reader, ticker, decimal)
    except csv.Error as exc:
        raise BadInput(f"{path}: line {reader.line_num}: {exc}; nothing was imported") from None


def csv_reader(path: Path, text: str, delimiter: str, max_rows: int, what: str, why: str = ""):
    """A csv reader over ``text`` (any line ending), after the checks made before parsing: at most
    ``max_rows`` lines after the header, no NUL byte."""
    lines = text.count("\n") + text.count("\r") - text.count("\r\n")
    if lines - 1 > max_rows:
        raise BadInput(
            f"{path}: {lines - 1:,} lines after the header; {what} holds at most {max_rows:,} rows{why}; "
            "nothing was imported"
        )
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise BadInput(f"{path}: line {line}: a NUL byte (not a text file?); nothing was imported")
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def read_csv_text(path: Path, max_bytes: int = MAX_BYTES, what: str = "a price file") -> str:
    """The text of a CSV file (UTF-8, a byte-order mark dropped), read no further than ``max_bytes`` + 1
    bytes; BadInput naming the file for a missing, unreadable, oversized, UTF-16 or non-UTF-8 file."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise BadInput(f"{path}: file not found") from None
    except IsADirectoryError:
        raise BadInput(f"{path}: is a folder, not a CSV file") from None
    except PermissionError as exc:
        raise environment_problem(exc, path, "read the file") from None
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read ({exc.strerror})") from None
    if len(raw) > max_bytes:
        raise BadInput(f"{path}: larger than {max_bytes // (1024 * 1024)} MB; {what} is smaller; nothing was imported")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadInput(f'{path}: UTF-16 text; save it as UTF-8 ("CSV UTF-8"); nothing was imported')
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BadInput(
            f"{path}: line {line}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8"
        ) from None


def _header(path: Path, header: list[str] | None, decimal: str) -> tuple[list[str], int, int, int | None, str]:
    if not header or all(not h.strip() for h in header):
        raise BadInput(f"{path}: the file is empty" if not header else f"{path}: line 1: the header is empty")
    names = [h.strip(" \t").lower().replace(" ", "_") for h in header]
    if len(names) == 1:
        only = names[0]
        for sep, label in ((";", "';'"), ("\t", "tabs"), (",", "','")):
            if sep in only and sep != DECIMALS[decimal]:
                hint = (
                    "pass --decimal , for files with ';' between fields and decimal commas, or use commas"
                    if sep == ";"
                    else "use commas between fields"
                    if sep == "\t"
                    else "leave out --decimal , for files with ',' between fields and decimal dots"
                )
                raise BadInput(f"{path}: line 1: fields are separated by {label}: {hint}")
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise BadInput(f"{path}: line 1: column {name!r} appears twice")
        seen.add(name)
    if "date" not in names:
        raise BadInput(f"{path}: line 1: no 'date' column (found: {', '.join(h[:40] for h in header)[:200]})")
    price_col = "adj_close" if "adj_close" in names else "close" if "close" in names else None
    if price_col is None:
        raise BadInput(
            f"{path}: line 1: no 'adj_close' or 'close' column (found: {', '.join(h[:40] for h in header)[:200]})"
        )
    i_ticker = names.index("ticker") if "ticker" in names else None
    return names, names.index("date"), names.index(price_col), i_ticker, price_col


def _parse(path: Path, reader, ticker: str, decimal: str) -> pd.DataFrame:
    names, i_date, i_price, i_ticker, price_col = _header(path, next(reader, None), decimal)
    problems: list[str] = []
    seen: dict[date, int] = {}
    dates: list[date] = []
    prices: list[float] = []
    want = ticker.upper()
    for rec in reader:
        lineno = reader.line_num
        if not rec or all(not c.strip() for c in rec):
            continue
        if len(rec) != len(names):
            problems.append(_field_count(lineno, rec, names, i_price, decimal))
            continue
        if i_ticker is not None and rec[i_ticker].strip() and rec[i_ticker].strip().upper() != want:
            problems.append(f"line {lineno}: ticker {_shown(rec[i_ticker].strip())} is not {want}")
            continue
        raw_date, raw_price = rec[i_date].strip(" \t"), rec[i_price].strip(" \t")
        try:
            day = parse_day(raw_date)
        except ValueError as exc:
            problems.append(f"line {lineno}: date {exc}")
            continue
        value, problem = parse_price(raw_price, decimal)
        if problem:
            problems.append(f"line {lineno}: {price_col} {problem}")
            continue
        if day in seen:
            problems.append(f"line {lineno}: date {day} repeats line {seen[day]}")
            continue
        seen[day] = lineno
        dates.append(day)
        prices.append(value)
        if len(problems) > 1000:  # enough to tell the user; stop burning time on a broken file
            break
    if problems:
        shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
        more = f" (and {len(problems) - MAX_PROBLEMS_SHOWN} more)" if len(problems) > MAX_PROBLEMS_SHOWN else ""
        raise BadInput(f"{path}: {shown}{more}; nothing was imported")
    if not dates:
        raise BadInput(f"{path}: no price rows after the header; nothing was imported")
    frame = pd.DataFrame({"adj_close": prices}, index=pd.DatetimeIndex(pd.to_datetime(dates), name="date"))
    return frame.sort_index()


def _field_count(lineno: int, rec: list[str], names: list[str], i_price: int, decimal: str) -> str:
    """Name a decimal comma when that is what made the extra field, else the field count."""
    if decimal == "." and len(rec) == len(names) + 1 and i_price + 1 < len(rec):
        whole, frac = rec[i_price].strip(), rec[i_price + 1].strip()
        if _DIGITS.fullmatch(whole) and _DIGITS.fullmatch(frac):
            return (
                f"line {lineno}: decimal comma found ({_shown(whole + ',' + frac)}): use a dot, "
                "or pass --decimal , (with ';' between fields)"
            )
    return f"line {lineno}: {len(rec)} fields, the header has {len(names)}"


def parse_price(text: str, decimal: str = ".") -> tuple[float, str | None]:
    """(the price, None) or (nan, what is wrong with ``text``)."""
    shown = _shown(text)
    if not text:
        return math.nan, "is empty"
    if len(text) > MAX_NUMBER_CHARS:
        return math.nan, f"{shown} is too long for a price"
    if not _PLAIN[decimal].fullmatch(text):
        other = "," if decimal == "." else "."
        if _THOUSANDS[decimal].fullmatch(text):
            return math.nan, f"{shown} has thousands separators: write the digits alone"
        if other in text and _PLAIN[other].fullmatch(text):
            if decimal == ".":
                return math.nan, f"{shown}: decimal comma found: use a dot, or pass --decimal ,"
            return math.nan, f"{shown}: a decimal dot, but --decimal , expects a comma"
        if text.startswith("-"):
            return math.nan, f"{shown} must be a positive number"
        if _EXPONENT.fullmatch(text):
            return math.nan, f"{shown} has an exponent: write it as a plain decimal (a spreadsheet may have rounded it)"
        if text.strip("+-").lower() in ("inf", "infinity", "nan"):
            return math.nan, f"{shown} is not a finite number"
        return math.nan, f"{shown} is not a number (plain decimals only, e.g. 12{decimal}50)"
    canonical = text.replace(",", ".") if decimal == "," else text
    value = float(canonical)
    if not value > 0:
        return math.nan, f"{shown} must be a positive number"
    if not math.isfinite(value) or value > MAX_PRICE:
        return math.nan, f"{shown} is too large (at most {MAX_PRICE:,.0f})"
    if Decimal(repr(value)) != Decimal(canonical):
        return math.nan, (
            f"{shown} has more digits than a stored price keeps (it would become {plain_decimal(value)}); round it"
        )
    return value, None


def _shown(text: str, limit: int = 40) -> str:
    if len(text) > limit:
        return repr(text[:limit]) + f"… ({len(text):,} characters)"
    return repr(text)
