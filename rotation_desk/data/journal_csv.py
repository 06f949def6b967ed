"""A broker's CSV of executed buys, checked whole before anything is saved (``rotation-desk journal import``).

What a buys file may hold (anything else is refused with exit 2 and the lines it is on; nothing is saved):

- the reading rules of ``csv_import`` (UTF-8 with or without a byte-order
  mark, any line ending, at most ``MAX_BYTES`` and ``MAX_ROWS`` rows, checked
  before parsing; every line as many fields as the header);
- a header naming the columns ``date, ticker, shares, price`` and optionally
  ``fee`` and ``note`` (names compared ignoring case, surrounding spaces, and
  spaces against underscores); other columns are ignored. A file with other
  names (``Trade Date``, ``Symbol``, ``Quantity`` …) is read with a mapping
  ``{field: column}`` (``--map date=Trade Date,ticker=Symbol``; the window's
  mapping dialog remembers one per header, ``header_signature``);
- dates YYYY-MM-DD (1900-2100), tickers in the one ticker syntax
  (``core.tickers``), shares and prices as plain decimals above 0
  (``csv_import.parse_price``: no exponents, thousands separators or decimal
  commas), a fee of 0 or more (empty: 0), a note of one line;
- each buy is then checked as every journal row is (``core.dca.buys``).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

from rotation_desk.core.dates import parse_day
from rotation_desk.core.dca.buys import FIELDS, Buy, buy_problems
from rotation_desk.core.tickers import parse_ticker
from rotation_desk.data.csv_import import MAX_PROBLEMS_SHOWN, csv_reader, parse_price, read_csv_text
from rotation_desk.errors import BadInput

MAX_BYTES = 8 * 1024 * 1024
MAX_ROWS = 100_000
REQUIRED = ("date", "ticker", "shares", "price")
_ZERO = re.compile(r"0*(?:\.0*)?", re.ASCII)


def column_key(name: str) -> str:
    """How a header is compared: lower case, surrounding spaces dropped, inner spaces as underscores."""
    return re.sub(r"\s+", "_", name.strip(" \t\ufeff").lower())


def header_signature(header: list[str]) -> str:
    """A short name of a file layout (its column names, compared as ``column_key``), to remember a mapping by."""
    text = "\x1f".join(column_key(h) for h in header)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read_header(path: str | Path) -> list[str]:
    """The column names of a CSV file (for the mapping dialog); BadInput when it has none."""
    path = Path(path)
    reader = csv_reader(path, read_csv_text(path, MAX_BYTES, "a buys file"), ",", MAX_ROWS, "a buys file")
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise BadInput(f"{path}: line 1: {exc}") from None
    if not header or all(not h.strip() for h in header):
        raise BadInput(f"{path}: the file is empty" if not header else f"{path}: line 1: the header is empty")
    return header


def parse_mapping(text: str) -> dict[str, str]:
    """``date=Trade Date,ticker=Symbol`` -> {field: column}; BadInput naming a part that is not one."""
    out: dict[str, str] = {}
    for part in (p for p in text.split(",") if p.strip()):
        field, sep, column = part.partition("=")
        field = field.strip().lower()
        if not sep or not column.strip():
            raise BadInput(f"--map: {part.strip()!r} is not FIELD=COLUMN (e.g. date=Trade Date)")
        if field not in FIELDS:
            raise BadInput(f"--map: {field!r} is not a field ({', '.join(FIELDS)})")
        if field in out:
            raise BadInput(f"--map: {field} is given twice")
        out[field] = column.strip()
    return out


def _positions(path: Path, header: list[str], mapping: Mapping[str, str]) -> dict[str, int]:
    keys = [column_key(h) for h in header]
    if len(keys) == 1:
        for sep, label in ((";", "';'"), ("\t", "tabs")):
            if sep in header[0]:
                raise BadInput(f"{path}: line 1: fields are separated by {label}: use commas")
    seen: set[str] = set()
    for key in keys:
        if key and key in seen:
            raise BadInput(f"{path}: line 1: column {key!r} appears twice")
        seen.add(key)
    found = ", ".join(h[:40] for h in header)[:200]
    out: dict[str, int] = {}
    for field in FIELDS:
        wanted = column_key(mapping.get(field, field))
        if wanted in keys:
            out[field] = keys.index(wanted)
        elif field in mapping:
            raise BadInput(f"{path}: line 1: no column {mapping[field]!r} for {field} (found: {found})")
        elif field in REQUIRED:
            hint = "" if mapping else f" (name the file's column with --map {field}=COLUMN)"
            raise BadInput(f"{path}: line 1: no {field!r} column{hint} (found: {found})")
    return out


def parse_amount(text: str, what: str, zero_ok: bool = False) -> tuple[float, str | None]:
    """A number of shares, a price or (``zero_ok``) a fee as a plain decimal: (value, None) or (nan, "what ...")."""
    if zero_ok and _ZERO.fullmatch(text):
        return 0.0, None
    value, problem = parse_price(text)
    return value, (f"{what} {problem}" if problem else None)


def read_buys_csv(path: str | Path, mapping: Mapping[str, str] | None = None) -> list[tuple[int, Buy]]:
    """(line number, buy) for every row; BadInput naming the first bad lines (nothing is returned then)."""
    path = Path(path)
    mapping = dict(mapping or {})
    reader = csv_reader(path, read_csv_text(path, MAX_BYTES, "a buys file"), ",", MAX_ROWS, "a buys file")
    try:
        header = next(reader, None)
        if not header or all(not h.strip() for h in header):
            raise BadInput(f"{path}: the file is empty" if not header else f"{path}: line 1: the header is empty")
        at = _positions(path, header, mapping)
        out, problems = _rows(reader, at, len(header))
    except csv.Error as exc:
        raise BadInput(f"{path}: line {reader.line_num}: {exc}; nothing was imported") from None
    if problems:
        shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
        more = f" (and {len(problems) - MAX_PROBLEMS_SHOWN} more)" if len(problems) > MAX_PROBLEMS_SHOWN else ""
        raise BadInput(f"{path}: {shown}{more}; nothing was imported")
    if not out:
        raise BadInput(f"{path}: no buys after the header; nothing was imported")
    return out


def _rows(reader, at: dict[str, int], width: int) -> tuple[list[tuple[int, Buy]], list[str]]:
    out: list[tuple[int, Buy]] = []
    problems: list[str] = []
    for rec in reader:
        line = reader.line_num
        if not rec or all(not c.strip() for c in rec):
            continue
        if len(rec) != width:
            problems.append(f"line {line}: {len(rec)} fields, the header has {width}")
            continue
        cell = {f: rec[i].strip(" \t") for f, i in at.items()}
        wrong: list[str] = []
        try:
            day = parse_day(cell["date"])
        except ValueError as exc:
            wrong.append(f"date {exc}")
        try:
            ticker = parse_ticker(cell["ticker"])
        except ValueError as exc:
            wrong.append(f"ticker {exc}")
        shares, bad_shares = parse_amount(cell["shares"], "shares", False)
        price, bad_price = parse_amount(cell["price"], "price", False)
        fee, bad_fee = parse_amount(cell.get("fee", ""), "fee", True)
        wrong += [p for p in (bad_shares, bad_price, bad_fee) if p]
        if not wrong:
            buy = Buy(day, ticker, shares, price, fee, cell.get("note", ""))
            wrong += buy_problems(buy)
        if wrong:
            problems.append(f"line {line}: " + "; ".join(wrong))
        else:
            out.append((line, buy))
        if len(problems) > 1000:
            break
    return out, problems
