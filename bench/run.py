"""The benchmark command: every figure next to a peer measured in the same run.

    python3 bootstrap.py bench [--quick] [--only data,ui] [--json OUT.json]

Ratios are ours ÷ peer: below 1 means faster than the peer.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MODULES = ["data", "ui", "dca", "overview", "compare", "sectors", "scale", "memory", "frozen", "exports"]


def fmt_value(value: float, unit: str = "s") -> str:
    if unit == "MB":
        return f"{value:.0f} MB"
    return fmt_s(value)


def fmt_limit(r: dict) -> str:
    if r.get("limit_kind", "ratio") == "absolute":
        return f"≤ {fmt_value(r['limit'], r.get('unit', 's'))}"
    return f"≤ {r.get('limit', 1.0):.1f}"


def fmt_s(seconds: float) -> str:
    if math.isnan(seconds):
        return "—"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Rotation Desk benchmarks")
    ap.add_argument("--quick", action="store_true", help="fewer repeats (for a quick look)")
    ap.add_argument("--only", help="comma-separated subset of: " + ", ".join(MODULES))
    ap.add_argument("--json", type=Path, help="also write the rows as JSON")
    args = ap.parse_args(argv)
    chosen = args.only.split(",") if args.only else MODULES
    rows = []
    for name in chosen:
        try:
            module = importlib.import_module(f"bench.bench_{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"bench.bench_{name}":
                continue
            raise
        print(f"running bench_{name} …", file=sys.stderr, flush=True)
        rows += module.run(quick=args.quick)
    print(f"Rotation Desk benchmarks · Python {platform.python_version()} · {platform.machine()}")
    print()
    print("| figure | ours | peer | peer | ours ÷ peer | limit | within | note |")
    print("|---|---:|---|---:|---:|---:|:---:|---|")
    for r in rows:
        unit = r.get("unit", "s")
        print(
            f"| {r['figure']} | {fmt_value(r['ours_s'], unit)} | {r['peer']} | {fmt_value(r['peer_s'], unit)} | "
            f"{r['ratio']:.2f} | {fmt_limit(r)} | {'yes' if r.get('within_limit', True) else '**no**'} | {r['note']} |"
        )
    over = [r["figure"] for r in rows if not r.get("within_limit", True)]
    print()
    print(
        f"{len(rows) - len(over)} of {len(rows)} rows within their limit"
        + (f"; over: {'; '.join(over)}" if over else "")
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
