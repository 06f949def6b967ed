"""Build the bundled offline snapshot from ../shared/data.

    python tools/build_snapshot.py [--source ../shared/data]

Writes resources/snapshot.csv.xz (long format: ticker,date,adj_close, the
prices copied as text, byte for byte, from the source CSVs) and copies the
ETF facts table to resources/etf_facts.csv, and the Fama/French factor files
(factors/*.csv) as resources/<name>.xz, byte for byte. Checks every source row on the
way: a date that does not parse, a duplicate date or a price that is not a
positive finite number stops the build with the file and line.
"""

from __future__ import annotations

import argparse
import csv
import io
import lzma
import math
import shutil
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(source: Path, out_dir: Path) -> tuple[int, int]:
    prices_dir = source / "prices"
    files = sorted(prices_dir.glob("*.csv"))
    if not files:
        raise SystemExit(f"no price CSVs in {prices_dir}")
    buf = io.StringIO()
    buf.write("ticker,date,adj_close\n")
    rows = 0
    for path in files:
        ticker = path.stem.upper()
        seen: set[str] = set()
        last = None
        with path.open(newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            if [h.strip().lower() for h in header] != ["date", "adj_close"]:
                raise SystemExit(f"{path}: unexpected header {header}")
            for lineno, rec in enumerate(reader, start=2):
                d, px = rec[0].strip(), rec[1].strip()
                date.fromisoformat(d)
                value = float(px)
                if not (math.isfinite(value) and value > 0):
                    raise SystemExit(f"{path}:{lineno}: bad price {px!r}")
                if d in seen or (last is not None and d <= last):
                    raise SystemExit(f"{path}:{lineno}: date {d} out of order or repeated")
                seen.add(d)
                last = d
                buf.write(f"{ticker},{d},{px}\n")
                rows += 1
    data = lzma.compress(buf.getvalue().encode("ascii"), preset=9 | lzma.PRESET_EXTREME)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "snapshot.csv.xz").write_bytes(data)
    shutil.copyfile(source / "etf_facts.csv", out_dir / "etf_facts.csv")
    build_factors(source, out_dir)
    return len(files), rows


FACTOR_FILES = ("F-F_Research_Data_5_Factors_2x3.csv", "F-F_Research_Data_5_Factors_2x3_daily.CSV")


def build_factors(source: Path, out_dir: Path) -> None:
    """The Fama/French files, byte for byte, xz-compressed (read by rotation_desk/data/factors.py)."""
    for name in FACTOR_FILES:
        raw = (source / "factors" / name).read_bytes()
        (out_dir / f"{name}.xz").write_bytes(lzma.compress(raw, preset=9 | lzma.PRESET_EXTREME))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "resources")
    args = ap.parse_args(argv)
    n, rows = build(args.source, args.out)
    size = (args.out / "snapshot.csv.xz").stat().st_size
    print(f"snapshot: {n} tickers, {rows} rows, {size / 1e6:.1f} MB -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
