"""Build resources/proxies.csv: suggested proxies for the snapshot's short-history funds, with measured fit.

    python tools/build_proxies.py [--check]

For each fund in ``CANDIDATES`` (a fund with a short history, and the longer
funds of the same segment that could stand in for it) the fit is measured on
the snapshot over the overlap, i.e. every session both have
(rotation_desk/core/proxy_fit.py): the correlation of daily returns, the
tracking difference (the fund's CAGR minus the proxy's, a year) and tracking
error. The candidates are ranked by correlation (rank 1 is the suggestion)
and written with the figures rounded as below. ``--check`` rebuilds in memory
and exits 1 if the committed file differs (tests/test_proxies.py does the same).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "proxies.csv"

# fund -> (segment, candidate proxies of the same segment that start earlier)
CANDIDATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "DFAT": ("US small-cap targeted value", ("VBR", "IJS", "IWN", "SLYV")),
    "AVUV": ("US small-cap value", ("VBR", "IJS", "IWN", "SLYV")),
    "DFSV": ("US small-cap value", ("VBR", "IJS", "IWN", "SLYV")),
    "CALF": ("US small-cap free-cash-flow value", ("IJS", "VBR", "IWN", "IJR")),
    "COWZ": ("US large-cap free-cash-flow value", ("VTV", "IVE", "SPYV", "IWD")),
    "DFIV": ("international developed value", ("EFV", "VEA", "EFA")),
    "AVDV": ("international developed small-cap value", ("EFV", "VEA", "EFA")),
    "EEMV": ("emerging markets minimum volatility", ("EEM", "VWO")),
    "USMV": ("US minimum volatility", ("SPLV", "SPY", "IWD")),
    "SCHD": ("US dividend", ("VYM", "DVY", "VIG")),
    "FNDX": ("US fundamental-weighted large cap", ("IWD", "VTV", "SPY")),
    "VLUE": ("US large-cap value factor", ("IWD", "IVE", "VTV")),
    "MTUM": ("US momentum factor", ("IWF", "SPY")),
    "QUAL": ("US quality factor", ("SPY", "IWB")),
}
FIELDS = (
    "ticker",
    "proxy",
    "rank",
    "segment",
    "overlap_start",
    "overlap_end",
    "overlap_sessions",
    "correlation",
    "tracking_difference",
    "tracking_error",
    "beta",
)


def build_rows(closes) -> list[dict]:
    """The rows of the file from the snapshot's closes (a wide frame)."""
    from rotation_desk.core.proxy_fit import proxy_fit

    rows = []
    for fund, (segment, proxies) in CANDIDATES.items():
        own = closes[fund].dropna()
        fits = []
        for proxy in proxies:
            other = closes[proxy].dropna()
            if other.index[0] >= own.index[0]:
                raise SystemExit(f"{proxy} does not start before {fund}: not a proxy for it")
            fits.append(proxy_fit(own, other, fund, proxy))
        fits.sort(key=lambda f: -f.correlation)
        for rank, fit in enumerate(fits, start=1):
            rows.append(
                {
                    "ticker": fund,
                    "proxy": fit.proxy,
                    "rank": rank,
                    "segment": segment,
                    "overlap_start": f"{fit.start:%Y-%m-%d}",
                    "overlap_end": f"{fit.end:%Y-%m-%d}",
                    "overlap_sessions": fit.sessions,
                    "correlation": f"{fit.correlation:.4f}",
                    "tracking_difference": f"{fit.tracking_difference:.4f}",
                    "tracking_error": f"{fit.tracking_error:.4f}",
                    "beta": f"{fit.beta:.3f}",
                }
            )
    return rows


def render(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def snapshot_closes():
    from rotation_desk.data.snapshot import load_snapshot

    long = load_snapshot()
    return long.pivot(index="date", columns="ticker", values="adj_close").sort_index()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed file instead of writing it")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    text = render(build_rows(snapshot_closes()))
    if args.check:
        same = args.out.read_text() == text
        print(f"{args.out}: {'up to date' if same else 'differs from the snapshot'}")
        return 0 if same else 1
    args.out.write_text(text)
    print(f"{args.out}: {text.count(chr(10)) - 1} suggestions for {len(CANDIDATES)} funds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
