"""``data import`` / ``data export`` (issue 12): what a price file may hold, the dialects, the round trip.

Every rejection is exit 2 with one line on stderr naming the file and line, and
leaves the store byte-identical; every acceptance reads back through
``data export`` to the same floats.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date, timedelta
from pathlib import Path

import pytest

from rotation_desk.cli.main import main
from rotation_desk.core.dates import MAX_DAYS
from rotation_desk.data.csv_import import MAX_ROWS, parse_price


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def store_digest(data_dir: Path) -> dict[str, str]:
    """Every file of the price store, by name, with a hash of its bytes. The ``.verified`` stamp is left
    out (as in fault_helpers.files_digest): it records when the file was last checked, not what it holds,
    and the seeded template's stamp was taken while its rows were still in the WAL, so the first open in a
    test re-checks the file and rewrites it (by design: any change to the file means a new check)."""
    cache = Path(data_dir) / "cache"
    files = [p for p in sorted(cache.iterdir()) if p.is_file() and not p.name.endswith(".verified")]
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def export_values(capsys, data_dir, tmp_path, ticker) -> list[tuple[str, float]]:
    out = tmp_path / f"export-{ticker}.csv"
    code, _, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "export", ticker, "--out", out)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    return [(r["date"], float(r["adj_close"])) for r in rows]


ARABIC = "٢٠٢٠-٠١-٠٢"  # 2020-01-02 in Arabic-Indic digits

REJECTED = [
    # the examples
    ("date,adj_close\n2020-01-02,12,50\n", "line 2: decimal comma found ('12,50'): use a dot, or pass --decimal ,"),
    ("date,adj_close\n2300-01-01,12.5\n", "line 2: date '2300-01-01' is outside the supported range"),
    ("date,adj_close\n0001-01-01,12.5\n", "line 2: date '0001-01-01' is outside the supported range"),
    ("date,adj_close\n2020-01-02garbage,12.5\n", "line 2: date '2020-01-02garbage' is not a date (use YYYY-MM-DD)"),
    ("date,adj_close\n20200103,12.5\n", "line 2: date '20200103' is not a date"),
    ("date,adj_close\n2020-W02-1,12.5\n", "line 2: date '2020-W02-1' is not a date"),
    ("date,adj_close\n2020-01-02,1_000\n", "line 2: adj_close '1_000' is not a number"),
    (f"date,adj_close\n{ARABIC},12.5\n", "line 2: date '" + ARABIC + "' is not a date"),
    ("date,adj_close\n2020-01-02,١٢\n", "line 2: adj_close '١٢' is not a number"),
    # dialects and forms of numbers
    (
        'date,adj_close\n2020-01-02,"12,50"\n',
        "line 2: adj_close '12,50': decimal comma found: use a dot, or pass --decimal ,",
    ),
    ('date,adj_close\n2020-01-02,"1,000.50"\n', "line 2: adj_close '1,000.50' has thousands separators"),
    ("date;adj_close\n2020-01-02;12.5\n", "line 1: fields are separated by ';': pass --decimal ,"),
    ("date\tadj_close\n2020-01-02\t12.5\n", "line 1: fields are separated by tabs: use commas"),
    ("date,adj_close\n2020-01-02,inf\n", "line 2: adj_close 'inf' is not a finite number"),
    ("date,adj_close\n2020-01-02,NaN\n", "line 2: adj_close 'NaN' is not a finite number"),
    ("date,adj_close\n2020-01-02,0x1p3\n", "line 2: adj_close '0x1p3' is not a number"),
    ("date,adj_close\n2020-01-02,1e5\n", "line 2: adj_close '1e5' has an exponent"),
    ("date,adj_close\n2020-01-02,1.5E-3\n", "line 2: adj_close '1.5E-3' has an exponent"),
    ("date,adj_close\n2020-01-02,+12\n", "line 2: adj_close '+12' is not a number"),
    ("date,adj_close\n2020-01-02,-1\n", "line 2: adj_close '-1' must be a positive number"),
    ("date,adj_close\n2020-01-02,0\n", "line 2: adj_close '0' must be a positive number"),
    ("date,adj_close\n2020-01-02,0.000\n", "line 2: adj_close '0.000' must be a positive number"),
    ("date,adj_close\n2020-01-02,1 000\n", "line 2: adj_close '1 000' is not a number"),
    ("date,adj_close\n2020-01-02,2000000000000\n", "line 2: adj_close '2000000000000' is too large"),
    ("date,adj_close\n2020-01-02,0.1234567890123456789\n", "more digits than a stored price keeps"),
    ("date,adj_close\n2020-01-02," + "9" * 41 + "\n", "is too long for a price"),
    ("date,adj_close\n2020-01-02,\n", "line 2: adj_close is empty"),
    # dates
    ("date,adj_close\n2020-02-30,12\n", "line 2: date '2020-02-30' is not a date on the calendar"),
    ("date,adj_close\n2020-01-02 00:00:00,12\n", "line 2: date '2020-01-02 00:00:00' is not a date"),
    ("date,adj_close\n1899-12-31,12\n", "outside the supported range 1900-01-01 to 2100-12-31"),
    ("date,adj_close\n2101-01-01,12\n", "outside the supported range"),
    # structure
    ("date,adj_close\n2020-01-02,12.5,7\n", "line 2: 3 fields, the header has 2"),
    ("date,adj_close,volume\n2020-01-02,12\n", "line 2: 2 fields, the header has 3"),
    ("date,date,adj_close\n2020-01-02,2020-01-02,12\n", "line 1: column 'date' appears twice"),
    ("date,adj_close\n2020-01-02,1\x002\n", "line 2: a NUL byte"),
    ("date,adj_close\n2020-01-02," + "1" * 131_073 + "\n", "line 2: field larger than field limit (131072)"),
]


@pytest.mark.parametrize("text, needle", REJECTED)
def test_rejected_file_exits_2_with_one_line_naming_it_and_the_store_is_byte_identical(
    data_dir, tmp_path, capsys, text, needle
):
    src = write(tmp_path, "bad.csv", text)
    before = store_digest(data_dir)
    code, out, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "import", src, "--ticker", "SPY")
    assert code == 2, err
    assert out == ""
    assert err.count("\n") == 1 and str(src) in err and needle in err, err
    assert "nothing was imported" in err or "line 1" in err
    assert store_digest(data_dir) == before


@pytest.mark.parametrize(
    "raw, words",
    [
        (b"date,adj_close\n2020-01-02,12.5\n2020-01-03,\xe9\n", "line 3: not UTF-8 text"),
        ("date,adj_close\n2020-01-02,12.5\n".encode("utf-16"), "UTF-16 text; save it as UTF-8"),
        (b"", "the file is empty"),
    ],
)
def test_not_utf8_text_is_named(data_dir, tmp_path, capsys, raw, words):
    src = write(tmp_path, "enc.csv", raw)
    code, _, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "import", src, "--ticker", "SPY")
    assert code == 2 and words in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "name, text",
    [
        ("lf.csv", "date,adj_close\n2020-01-02,12.5\n2020-01-03,12.25\n"),
        ("crlf.csv", "date,adj_close\r\n2020-01-02,12.5\r\n2020-01-03,12.25\r\n"),
        ("cr.csv", "date,adj_close\r2020-01-02,12.5\r2020-01-03,12.25\r"),  # exit 1 before the fix
        ("mixed.csv", "date,adj_close\r\n2020-01-02,12.5\r2020-01-03,12.25"),
        ("bom.csv", "\ufeffDate,Adj Close\n2020-01-02,12.50\n\n2020-01-03, 12.25 \n"),
        ("ticker.csv", "ticker,date,close,volume\nLINE,2020-01-02,12.5,100\nline,2020-01-03,12.25,\n"),
    ],
)
def test_any_line_ending_and_a_bom_import_the_same_rows(data_dir, tmp_path, capsys, name, text):
    src = write(tmp_path, name, text)
    code, out, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "import", src, "--ticker", "LINE")
    assert code == 0, err
    assert "imported 2 rows of LINE, 2020-01-02 to 2020-01-03" in out
    assert export_values(capsys, data_dir, tmp_path, "LINE") == [("2020-01-02", 12.5), ("2020-01-03", 12.25)]


def test_decimal_comma_option_reads_semicolon_files(data_dir, tmp_path, capsys):
    src = write(tmp_path, "eu.csv", "Date;Adj Close\n2020-01-02;12,50\n2020-01-03;0,0000001\n2020-01-06;1234,5\n")
    code, _, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "import", src, "--ticker", "EU")
    assert code == 2 and "fields are separated by ';': pass --decimal ," in err
    code, out, err = run(
        capsys, "--offline", "--data-dir", data_dir, "data", "import", src, "--ticker", "EU", "--decimal", ","
    )
    assert code == 0, err
    assert export_values(capsys, data_dir, tmp_path, "EU") == [
        ("2020-01-02", 12.5),
        ("2020-01-03", 1e-7),
        ("2020-01-06", 1234.5),
    ]
    for text, words in [
        ("date;adj_close\n2020-01-02;1.234,5\n", "has thousands separators"),
        ("date;adj_close\n2020-01-02;12.5\n", "a decimal dot, but --decimal , expects a comma"),
        ("date,adj_close\n2020-01-02,12.5\n", "fields are separated by ','"),
    ]:
        bad = write(tmp_path, "eu-bad.csv", text)
        code, _, err = run(
            capsys, "--offline", "--data-dir", data_dir, "data", "import", bad, "--ticker", "EU", "--decimal", ","
        )
        assert code == 2 and words in err, err


def test_tiny_price_round_trips_exactly_through_export(data_dir, tmp_path, capsys):
    """0.0000001 was exported as 0.000000, which the import then refused."""
    src = write(tmp_path, "tiny.csv", "date,adj_close\n2020-01-02,0.0000001\n2020-01-03,123.45678901234567\n")
    assert run(capsys, "--offline", "--data-dir", data_dir, "data", "import", src, "--ticker", "TINY")[0] == 0
    out = tmp_path / "tiny-out.csv"
    assert run(capsys, "--offline", "--data-dir", data_dir, "data", "export", "TINY", "--out", out)[0] == 0
    assert out.read_text() == "date,ticker,adj_close\n2020-01-02,TINY,0.0000001\n2020-01-03,TINY,123.45678901234567\n"
    code, _, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "import", out, "--ticker", "TINY")
    assert code == 0, err
    assert export_values(capsys, data_dir, tmp_path, "TINY") == [
        ("2020-01-02", 1e-7),
        ("2020-01-03", 123.45678901234567),
    ]


def test_every_snapshot_close_round_trips(data_dir, tmp_path, capsys, closes):
    """A whole ticker exported and imported back under another name holds the same floats."""
    out = tmp_path / "spy.csv"
    assert run(capsys, "--offline", "--data-dir", data_dir, "data", "export", "SPY", "--out", out)[0] == 0
    text = out.read_text().replace(",SPY,", ",SPYX,")
    copy = write(tmp_path, "spyx.csv", text)
    code, _, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "import", copy, "--ticker", "SPYX")
    assert code == 0, err
    back = export_values(capsys, data_dir, tmp_path, "SPYX")
    spy = closes["SPY"].dropna()
    assert len(back) == len(spy) == 8434
    assert [v for _, v in back] == spy.tolist()  # exact float equality, every row


def test_200k_rows_spanning_1700_to_2247_are_refused_before_parsing(data_dir, tmp_path, capsys):
    start = date(1700, 1, 1)
    lines = ["date,adj_close"] + [f"{start + timedelta(days=i)},{100 + i % 50}.5" for i in range(200_000)]
    assert lines[-1].startswith("2247-")
    src = write(tmp_path, "huge.csv", "\n".join(lines) + "\n")
    before = store_digest(data_dir)
    code, _, err = run(capsys, "--offline", "--data-dir", data_dir, "data", "import", src, "--ticker", "SPY")
    assert code == 2 and "200,000 lines after the header" in err and f"at most {MAX_ROWS:,} rows" in err
    assert store_digest(data_dir) == before
    # metrics still work (before the fix this import broke them with OutOfBoundsDatetime)
    code, out, err = run(capsys, "--offline", "--data-dir", data_dir, "metrics", "SPY", "--start", "2020-01-01")
    assert code == 0, err


def test_limits_are_one_row_per_calendar_day_1900_to_2100():
    assert MAX_ROWS == MAX_DAYS == (date(2100, 12, 31) - date(1900, 1, 1)).days + 1 == 73_414


def test_parse_price_keeps_every_representable_decimal_and_refuses_the_rest():
    assert parse_price("12.5") == (12.5, None)
    assert parse_price(".5") == (0.5, None)
    assert parse_price("0.0000001") == (1e-7, None)
    assert parse_price("0.30000000000000004") == (0.30000000000000004, None)  # repr of 0.1 + 0.2
    assert parse_price("12,5", ",") == (12.5, None)
    value, problem = parse_price("0.1000000000000000055511151231257827")  # the exact value of 0.1
    assert problem and "more digits" in problem


def test_cli_dates_use_the_same_rule(data_dir, capsys):
    for text in ("2020-01-02garbage", "20200103", "0001-01-01", "2300-01-01", ARABIC):
        code, _, err = run(capsys, "--offline", "--data-dir", data_dir, "metrics", "SPY", "--start", text)
        assert code == 2 and "Traceback" not in err, (text, err)
