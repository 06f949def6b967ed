"""Sector Tilts on the command line (issue 8).

``rotation-desk rrg [--benchmark SPY] [--tickers T ...] [--as-of D] [--frequency weekly|daily] [--tail N]``
``rotation-desk tilt --weights T=W,... | --preset NAME [--benchmark SPY] [--rebalance R] [--start D] [--end D]``
"""

from __future__ import annotations

import argparse
import sys

from rotation_desk.cli.args import add_format, iso_date, ticker, ticker_list
from rotation_desk.cli.output import day, dumps, num, pct, table
from rotation_desk.core import rrg as rrg_core
from rotation_desk.core import tilt as tilt_core
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

    t = sub.add_parser("tilt", help="backtest a core-and-satellite tilt against a benchmark", parents=parents)
    source = t.add_mutually_exclusive_group(required=True)
    source.add_argument("--weights", help="TICKER=PERCENT,… summing to 100, e.g. SPY=70,XLI=10,XLF=10,XLY=10")
    source.add_argument("--preset", help="one of: " + ", ".join(repr(n) for n in tilt_core.PRESETS))
    t.add_argument("--benchmark", type=ticker, default="SPY", help="default: SPY")
    t.add_argument(
        "--rebalance",
        choices=tilt_core.REBALANCE_RULES,
        default="monthly",
        help="reset to the weights at the close of each period's first session (default: monthly)",
    )
    t.add_argument("--start", type=iso_date, help="buy at the last common close on or before this date")
    t.add_argument("--end", type=iso_date, help="window end (default: last cached session)")
    add_format(t, choices=("table", "json"))
    t.set_defaults(func=cmd_tilt)


# ---------------------------------------------------------------------------- rrg
def rrg_report(market, tickers=None, benchmark="SPY", as_of=None, frequency="weekly", tail=rrg_core.DEFAULT_TAIL):
    """The rrg command's JSON object (dates as Timestamps) and the notes for stderr."""
    names = list(dict.fromkeys(tickers or rrg_core.SECTORS))
    if benchmark in names:
        raise BadInput(f"{benchmark} is the benchmark; leave it out of --tickers")
    if tail < 1:
        raise BadInput(f"--tail {tail}: give at least 1 point")
    closes = market.closes([*names, benchmark])
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


# ---------------------------------------------------------------------------- tilt
def tilt_weights(weights_text: str | None, preset_name: str | None) -> dict[str, float]:
    if preset_name is not None:
        return tilt_core.preset(preset_name)
    return tilt_core.parse_weights(weights_text or "")


def run_tilt(market, weights: dict[str, float], benchmark="SPY", rebalance="monthly", start=None, end=None):
    """Validate (sum first, then the store), load closes and run the backtest."""
    tilt_core.validate_weights(weights)
    names = market.require([*weights, benchmark])
    closes = market.closes(list(dict.fromkeys(names)))
    return tilt_core.tilt_backtest(closes, weights, benchmark, rebalance, start, end)


def tilt_json(result: tilt_core.TiltResult) -> dict:
    return {
        "benchmark": result.benchmark,
        "rebalance": result.rebalance,
        "start": result.start,
        "end": result.end,
        "limited_by": result.limited_by,
        "initial": result.initial,
        "holdings": [
            {
                "ticker": t,
                "weight": w,
                "end_weight": result.end_weights[t],
                "contribution": result.contributions[t],
                "satellite": t != result.benchmark,
            }
            for t, w in result.weights.items()
        ],
        "portfolio": result.portfolio_stats.as_dict(),
        "benchmark_performance": result.benchmark_stats.as_dict(),
        "active_return": result.active_return,
        "excess_cagr": result.portfolio_stats.cagr - result.benchmark_stats.cagr,
        "tracking_error": result.tracking_error,
        "information_ratio": result.information_ratio,
        "contribution_sum": sum(result.contributions.values()),
        "return_sum": result.return_sum,
        "rebalances": len(result.rebalance_dates),
    }


def cmd_tilt(args: argparse.Namespace, ctx) -> int:
    weights = tilt_weights(args.weights, args.preset)
    result = run_tilt(ctx.market, weights, args.benchmark, args.rebalance, args.start, args.end)
    if result.limited_by and args.start is not None:
        print(f"The window starts {result.start:%Y-%m-%d}, the first close of {result.limited_by}", file=sys.stderr)
    if args.format == "json":
        print(dumps(tilt_json(result)))
        return 0
    mix = " · ".join(f"{t} {w * 100:g} %" for t, w in result.weights.items())
    rebal = "never rebalanced" if result.rebalance == "never" else f"rebalanced {result.rebalance}"
    print(f"Tilt {mix} vs {result.benchmark}, {rebal}, {day(result.start)} – {day(result.end)}")
    p, b = result.portfolio_stats, result.benchmark_stats
    stats = [
        ["Value of 10,000", f"{p.final_value:,.2f}", f"{b.final_value:,.2f}"],
        ["Total return", pct(p.total_return), pct(b.total_return)],
        ["CAGR", pct(p.cagr, 2), pct(b.cagr, 2)],
        ["Volatility", pct(p.volatility, 1, False), pct(b.volatility, 1, False)],
        ["Sharpe", num(p.sharpe), num(b.sharpe)],
        ["Max drawdown", pct(p.max_drawdown), pct(b.max_drawdown)],
    ]
    print(table(stats, ["", "Portfolio", result.benchmark]))
    print()
    print(
        f"Active return (portfolio ÷ {result.benchmark} − 1): {pct(result.active_return, 2)}  ·  "
        f"tracking error {pct(result.tracking_error, 2, False)}  ·  "
        f"information ratio {num(result.information_ratio)}  ·  {len(result.rebalance_dates)} rebalances"
    )
    print()
    holdings = [
        [t, pct(w, 1, False), pct(result.end_weights[t], 1, False), pct(result.contributions[t], 1)]
        for t, w in result.weights.items()
    ]
    holdings.append(["Sum", "", "", pct(sum(result.contributions.values()), 1)])
    print(table(holdings, ["Holding", "Weight", "End weight", "Contribution"]))
    print(
        "Contribution: Σ daily (weight at the previous close × the holding's return); "
        "the sum is the sum of the portfolio's daily returns."
    )
    return 0
