"""Fuzzing ``data import`` (issue 12) with hypothesis: seeded, bounded (a few hundred files, ~20 s).

The rules every generated file must obey:
- the exit code is 0 or 2 (never 1: no file makes the app crash);
- a rejection prints exactly one line on stderr and leaves the store byte-identical;
- an acceptance round-trips: ``data export`` gives back the generated rows exactly
  (same dates, same floats), and importing that export again gives the same export.

Structured files know which of their rows are valid, so the oracle is independent
of the validator: a file is accepted exactly when every row is valid, and the
rejection names the first bad line. Mutated files (random bytes inserted,
deleted or replaced in a valid file) check the first three rules.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from rotation_desk.cli.main import main
from rotation_desk.data.paths import resolve_paths
from rotation_desk.data.store import PriceStore

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,  # no .hypothesis folder; the seed makes every run the same
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

BAD_DATES = [
    "2020-01-02garbage",
    "20200103",
    "2020-W02-1",
    "2300-01-01",
    "0001-01-01",
    "1899-12-31",
    "2020-13-01",
    "2020-02-30",
    "٢٠٢٠-٠١-٠٢",
    "2020/01/02",
    "2020-1-2",
    "2020-01-02T00:00",
    "",
]
BAD_PRICES = ["1_000", "1e5", "1E-7", "inf", "nan", "-1", "0", "0.0", "0x10", "١٢", "12a", "1 000", "+5", "--1", "."]


@pytest.fixture(scope="module")
def small_dir(tmp_path_factory) -> Path:
    """A data dir whose store holds one ticker (so it is not seeded): each import opens it in ~ms."""
    root = tmp_path_factory.mktemp("fuzz")
    paths = resolve_paths(root).ensure()
    store = PriceStore(paths.database)
    store.replace_history(
        "BASE", pd.DataFrame({"adj_close": [1.0, 2.0]}, index=pd.to_datetime(["2020-01-02", "2020-01-03"])), "test"
    )
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return root


def digest(root: Path) -> dict[str, str]:
    cache = root / "cache"
    files = [
        p for p in sorted(cache.iterdir()) if p.is_file() and not p.name.endswith(".verified")
    ]  # the check's stamp
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def exported(capsys, root: Path, ticker: str) -> list[tuple[str, float]]:
    out = root / f"export-{ticker}.csv"
    code, _, err = cli(capsys, "--offline", "--data-dir", root, "data", "export", ticker, "--out", out)
    assert code == 0, err
    return [(r["date"], float(r["adj_close"])) for r in csv.DictReader(io.StringIO(out.read_text()))]


def check_import(capsys, root: Path, payload: bytes) -> tuple[int, str]:
    """The three rules for any file; returns (exit code, stderr)."""
    src = root / "in.csv"
    src.write_bytes(payload)
    before = digest(root)
    code, out, err = cli(capsys, "--offline", "--data-dir", root, "data", "import", src, "--ticker", "FUZZ", *EXTRA)
    assert code in (0, 2), err
    if code == 2:
        assert out == "" and err.count("\n") == 1 and str(src) in err, err
        assert digest(root) == before
    else:
        assert err == "" and "imported" in out
        first = exported(capsys, root, "FUZZ")
        again = root / "export-FUZZ.csv"
        code2, _, err2 = cli(capsys, "--offline", "--data-dir", root, "data", "import", again, "--ticker", "FUZZ")
        assert code2 == 0, err2
        assert exported(capsys, root, "FUZZ") == first
    return code, err


EXTRA: list[str] = []


# -- structured files ---------------------------------------------------------------------------
@st.composite
def price_token(draw, decimal: str, bad: bool):
    """(text, float or None if invalid)."""
    if bad:
        return draw(st.sampled_from(BAD_PRICES)), None
    whole = draw(st.integers(0, 10**12))
    digits = 15 - len(str(whole)) if whole else 15
    frac = draw(st.text("0123456789", min_size=0, max_size=max(0, digits)))
    text = str(whole) + (decimal + frac if frac else "")
    value = Decimal(text.replace(",", "."))
    ok = Decimal(0) < value <= Decimal(10**12)
    return text, (float(value) if ok else None)


@st.composite
def date_token(draw, bad: bool):
    if bad:
        return draw(st.sampled_from(BAD_DATES)), None
    day = draw(st.dates(date(1900, 1, 1), date(2100, 12, 31)))
    return day.isoformat(), day


@st.composite
def structured_file(draw):
    decimal = draw(st.sampled_from([".", ","]))
    sep = "," if decimal == "." else ";"
    layout = draw(st.sampled_from(["date,adj_close", "Date,Close", "ticker,date,adj_close", "date,adj_close,volume"]))
    columns = layout.split(",")
    n = draw(st.integers(1, 12))
    clean = draw(st.booleans())  # half the files have only valid rows (some still hold a zero price)
    bad_dates = set() if clean else set(draw(st.lists(st.integers(0, n - 1), max_size=2)))
    bad_prices = set() if clean else set(draw(st.lists(st.integers(0, n - 1), max_size=2)))
    rows = [(draw(date_token(i in bad_dates)), draw(price_token(decimal, i in bad_prices))) for i in range(n)]
    if not clean and draw(st.booleans()):
        rows.insert(draw(st.integers(1, n)), (rows[0][0], rows[-1][1]))  # a repeated date
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    quote = draw(st.booleans())
    lines = [sep.join(columns)]
    expected: dict[date, float] = {}
    first_bad = None
    for i, ((dtext, day), (ptext, value)) in enumerate(rows, start=2):
        if decimal == "." and "," in ptext and not quote:
            pass  # an unquoted comma adds a field; still a bad row below
        cells = {"date": dtext, "adj_close": ptext, "close": ptext, "ticker": "fuzz", "volume": "100"}
        fields = [cells[c.lower()] for c in columns]
        if quote:
            fields = ['"' + f + '"' for f in fields]
        lines.append(sep.join(fields))
        valid = day is not None and value is not None and day not in expected
        if valid:
            expected[day] = value
        elif first_bad is None:
            first_bad = i
    text = eol.join(lines) + (eol if draw(st.booleans()) else "")
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text.encode("utf-8"), decimal, first_bad, sorted(expected.items())


@seed(20261201)
@FUZZ
@given(structured_file())
def test_structured_files_are_accepted_exactly_when_every_row_is_valid(small_dir, capsys, case):
    payload, decimal, first_bad, expected = case
    EXTRA[:] = ["--decimal", ","] if decimal == "," else []
    try:
        code, err = check_import(capsys, small_dir, payload)
    finally:
        EXTRA[:] = []
    if first_bad is None:
        assert code == 0, err
        assert exported(capsys, small_dir, "FUZZ") == [(d.isoformat(), v) for d, v in expected]
    else:
        assert code == 2
        assert f"line {first_bad}:" in err, err


# -- mutated files ---------------------------------------------------------------------------------
VALID = (
    b"date,ticker,adj_close,volume\n"
    b"2020-01-02,FUZZ,12.5,100\n"
    b"2020-01-03,FUZZ,0.0000001,\n"
    b"2020-01-06,FUZZ,123.45678901234567,7\n"
    b"2020-01-07,FUZZ,99,0\n"
)
NASTY = b"\r\n,;\"'\x00\xff\xfe.-+e_ 0123456789\t\xe2\x80\xaf\xd9\xa2"


@st.composite
def mutated(draw):
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "duplicate", "line ending", "blank line"]))
        at = draw(st.integers(0, len(data)))
        if op == "line ending":
            data = bytearray(bytes(data).replace(b"\n", draw(st.sampled_from([b"\r", b"\r\n", b"\n\n"]))))
        elif op == "blank line":
            data[at:at] = b"\n"
        elif op == "insert" or not data:
            chunk = draw(st.binary(min_size=1, max_size=4) | st.sampled_from([bytes([b]) for b in NASTY]))
            data[at:at] = chunk
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 5))]
        elif op == "replace":
            data[min(at, len(data) - 1)] = draw(st.sampled_from(list(NASTY)))
        else:
            line_start = data.rfind(b"\n", 0, at) + 1
            line_end = data.find(b"\n", at)
            line_end = len(data) if line_end < 0 else line_end + 1
            data[line_end:line_end] = data[line_start:line_end]
    return bytes(data)


@seed(12)
@FUZZ
@given(mutated())
def test_mutated_files_exit_0_or_2_and_never_damage_the_store(small_dir, capsys, payload):
    code, _ = check_import(capsys, small_dir, payload)
    if code == 0:
        rows = exported(capsys, small_dir, "FUZZ")
        assert all("1900-01-01" <= d <= "2100-12-31" for d, _ in rows)
        assert all(0 < v <= 1e12 for _, v in rows)
