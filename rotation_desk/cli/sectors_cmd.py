"""Sector Tilts on the command line (issue 8): the RRG (the tilt backtest is in cli/tilt_cmd.py).

``rotation-desk rrg [--benchmark SPY] [--tickers T ...] [--as-of D] [--frequency weekly|daily] [--tail N]``
"""

from __future__ import annotations

import argparse
import sys

from rotation_desk.cli.args import add_format, iso_date, ticker, ticker_list
from rotation_desk.cli.output import day, dumps, num, pct, table
from rotation_desk.core import rrg as rrg_core
from rotation_desk.data.prepared import prepare
from rotation_desk.errors import BadInput, DataUnavailable


def register(sub, parents) -> None:
    p = sub.add_parser(
        "rrg",
        help="relative rotation graph: where tickers (default the SPDR sectors) stand against a benchmark",
        description=rrg_core.formula_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=parents,
    )
    p.add_argument("--benchmark", type=ticker, default=rrg_core.DEFAULT_BENCHMARK, help="default: SPY")
    p.add_argument(
        "--tickers",
        type=ticker_list,
        nargs="+",
        metavar="T",
        help="tickers, space- or comma-separated (default: the 11 SPDR sectors)",
    )
    p.add_argument("--as-of", type=iso_date, help="use only data up to this date (default: last cached session)")
    p.add_argument("--frequency", choices=rrg_core.FREQUENCIES, default="weekly", help="default: weekly")
    p.add_argument(
        "--tail",
        type=int,
        default=rrg_core.DEFAULT_TAIL,
        help=f"points in each ticker's tail (JSON), default {rrg_core.DEFAULT_TAIL}",
    )
    add_format(p, choices=("table", "json"))
    p.set_defaults(func=cmd_rrg)


# ---------------------------------------------------------------------------- rrg
def rrg_report(market, tickers=None, benchmark="SPY", as_of=None, frequency="weekly", tail=rrg_core.DEFAULT_TAIL):
    """The rrg command's JSON object (dates as Timestamps) and the notes for stderr."""
    names = list(dict.fromkeys(tickers or rrg_core.SECTORS))
    if benchmark in names:
        raise BadInput(f"{benchmark} is the benchmark; leave it out of --tickers")
    if tail < 1:
        raise BadInput(f"--tail {tail}: give at least 1 point")
    closes = prepare(market, [*names, benchmark], prices_only="an RRG (relative strength)", where="an RRG").closes
    first = closes[benchmark].first_valid_index()
    if as_of is not None and as_of < first:
        raise DataUnavailable(f"--as-of {as_of:%Y-%m-%d} is before the first {benchmark} close ({first:%Y-%m-%d})")
    params = rrg_core.default_params(frequency)
    _, rows = rrg_core.rrg_at(closes, names, benchmark, as_of, frequency, params, tail)
    unit = "weeks" if frequency == "weekly" else "sessions"
    when = f"{as_of:%Y-%m-%d}" if as_of is not None else "the last session"
    if not rows:
        raise DataUnavailable(
            f"not enough history up to {when} for an RRG point: each ticker needs {params.periods_needed} {unit} "
            f"of closes together with {benchmark}"
        )
    heat = rrg_core.sector_heatmap(closes, names, benchmark, as_of)
    present = {r.ticker for r in rows}
    missing = [n for n in names if n not in present]
    notes = [
        f"{n}: not enough history up to {when} for an RRG point (needs {params.periods_needed} {unit})" for n in missing
    ]
    items = []
    for r in rows:
        d = r.as_dict()
        d["relative_returns"] = {label.lower(): heat.loc[r.ticker, label] for label in heat.columns}
        items.append(d)
    report = {
        "as_of": heat.attrs["as_of"],
        "benchmark": benchmark,
        "frequency": frequency,
        "params": {"smooth": params.smooth, "lookback": params.lookback, "momentum": params.momentum},
        "tickers": items,
        "missing": missing,
    }
    return report, notes


def cmd_rrg(args: argparse.Namespace, ctx) -> int:
    tickers = [t for group in args.tickers for t in group] if args.tickers else None
    report, notes = rrg_report(ctx.market, tickers, args.benchmark, args.as_of, args.frequency, args.tail)
    for note in notes:
        print(note, file=sys.stderr)
    if args.format == "json":
        print(dumps(report))
        return 0
    p = report["params"]
    unit = "weeks" if args.frequency == "weekly" else "sessions"
    periods = [label.lower() for label in rrg_core.HEATMAP_PERIODS]
    header = ["Ticker", "RS-Ratio", "RS-Mom", "Quadrant", unit.capitalize(), "Heading", "Point"]
    header += [f"{label} vs {args.benchmark}" if i == 0 else label for i, label in enumerate(rrg_core.HEATMAP_PERIODS)]
    rows = []
    for item in report["tickers"]:
        rel = item["relative_returns"]
        rows.append(
            [
                item["ticker"],
                num(item["rs_ratio"]),
                num(item["rs_momentum"]),
                item["quadrant"],
                str(item["periods_in_quadrant"]),
                item["heading"] or "—",
                day(item["date"]),
            ]
            + [pct(rel[k]) for k in periods]
        )
    print(
        f"RRG vs {args.benchmark}, {args.frequency}, as of {day(report['as_of'])} "
        f"(RS smoothed over {p['smooth']}, z-scores over {p['lookback']}, momentum over {p['momentum']} {unit})"
    )
    print(table(rows, header, right={1, 2, 4} | set(range(7, len(header)))))
    return 0
