"""The benchmark command: every figure next to a peer measured in the same run.

    python3 bootstrap.py bench [--quick] [--only data,ui] [--json OUT.json]

Ratios are ours ÷ peer: below 1 means faster than the peer.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MODULES = ["data", "ui", "dca", "overview", "compare", "sectors", "frozen"]


def fmt_s(seconds: float) -> str:
    if seconds != seconds:
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
    print("| figure | ours | peer | peer time | ours ÷ peer | note |")
    print("|---|---:|---|---:|---:|---|")
    for r in rows:
        print(
            f"| {r['figure']} | {fmt_s(r['ours_s'])} | {r['peer']} | {fmt_s(r['peer_s'])} | "
            f"{r['ratio']:.2f} | {r['note']} |"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
