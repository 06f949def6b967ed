"""``rotation-desk tilt --weights T=W,... | --preset NAME [... up to 3 portfolios] [--benchmark SPY]
[--rebalance monthly|quarterly|yearly|never] [--bands B [--band-type absolute|relative]] [--cost-bps C]
[--rf R] [--start D] [--end D] [--format table|json]``

One portfolio prints as before (issue 8); two or three are shown side by side
with the benchmark on the sessions they all share (core/tilt_compare.py).
With ``--bands`` and no ``--rebalance`` the bands alone decide (checked at
every close); with both, the bands are checked on the calendar dates.
"""

from __future__ import annotations

import argparse
import sys

from rotation_desk.cli.args import add_format, add_in_currency, add_proxy, iso_date, risk_free, ticker
from rotation_desk.cli.output import day, dumps, num, pct, table
from rotation_desk.core import tilt as tilt_core
from rotation_desk.core.instruments import require_exchange_sessions
from rotation_desk.core.proxy import parse_proxies
from rotation_desk.core.tilt_compare import MAX_PORTFOLIOS, TABLE_ROWS, TiltComparison, compare_tilts
from rotation_desk.core.tilt_rules import BAND_TYPES, Bands
from rotation_desk.data.prepared import prepare
from rotation_desk.errors import BadInput


def register(sub, parents) -> None:
    t = sub.add_parser(
        "tilt",
        help="backtest a core-and-satellite tilt (up to 3 side by side) against a benchmark",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=parents,
    )
    t.add_argument(
        "--weights",
        action="append",
        default=[],
        help="TICKER=PERCENT,… summing to 100, e.g. SPY=70,XLI=10,XLF=10,XLY=10 (repeat for up to 3 portfolios)",
    )
    t.add_argument(
        "--preset", action="append", default=[], help="one of: " + ", ".join(repr(n) for n in tilt_core.PRESETS)
    )
    t.add_argument("--benchmark", type=ticker, default="SPY", help="default: SPY")
    t.add_argument(
        "--rebalance",
        choices=tilt_core.REBALANCE_RULES,
        help="reset to the weights at the close of each period's first session (default: monthly; with --bands: never)",
    )
    t.add_argument("--bands", type=float, metavar="B", help="rebalance only when a holding drifts outside ±B")
    t.add_argument("--band-type", choices=BAND_TYPES, default="absolute", help="B in percentage points or %% of target")
    t.add_argument("--cost-bps", type=float, default=0.0, help="cost per trade in basis points of the traded value")
    t.add_argument(
        "--rf", type=risk_free, default=0.0, help="annual risk-free rate of the Sharpe ratios, a fraction (default 0)"
    )
    t.add_argument("--start", type=iso_date, help="buy at the last common close on or before this date")
    t.add_argument("--end", type=iso_date, help="window end (default: last cached session)")
    add_proxy(t)
    add_in_currency(t)
    add_format(t, choices=("table", "json"))
    t.set_defaults(func=cmd_tilt)


def tilt_weights(weights_text: str | None, preset_name: str | None) -> dict[str, float]:
    if preset_name is not None:
        return tilt_core.preset(preset_name)
    return tilt_core.parse_weights(weights_text or "")


def portfolios_from(args) -> list[dict[str, float]]:
    out = [tilt_core.parse_weights(w) for w in args.weights] + [tilt_core.preset(p) for p in args.preset]
    if not out:
        raise BadInput("give the portfolio with --weights TICKER=PERCENT,… or --preset NAME")
    if len(out) > MAX_PORTFOLIOS:
        raise BadInput(f"--weights/--preset: at most {MAX_PORTFOLIOS} portfolios side by side, not {len(out)}")
    for w in out:
        tilt_core.validate_weights(w)  # the sum first, before the store is asked
    return out


def rule_options(args) -> tuple[str, Bands | None]:
    bands = Bands(args.bands, args.band_type) if args.bands is not None else None
    rebalance = args.rebalance or ("never" if bands is not None else "monthly")
    return rebalance, bands


def prepared_closes(market, names, start=None, proxies=None, in_currency=None):
    """The closes of the holdings and the benchmark: yields refused (a weight needs a price), proxies spliced,
    one currency (data/prepared.py)."""
    prep = prepare(
        market,
        list(dict.fromkeys(names)),
        proxies=proxies,
        in_currency=in_currency,
        prices_only="tilt weights",
        where="a tilt",
        start=start,
    )
    require_exchange_sessions(prep.instruments.values(), "a tilt")
    return prep


def run_tilt(
    market,
    weights: dict[str, float],
    benchmark="SPY",
    rebalance="monthly",
    start=None,
    end=None,
    proxies=None,
    in_currency=None,
    **rules,
):
    """Validate (sum first, then the store), load closes and run the backtest; (result, Prepared)."""
    tilt_core.validate_weights(weights)
    prep = prepared_closes(market, [*weights, benchmark], start, proxies, in_currency)
    return tilt_core.tilt_backtest(prep.closes, weights, benchmark, rebalance, start, end, **rules), prep


def run_comparison(
    market,
    portfolios,
    benchmark="SPY",
    rebalance="monthly",
    start=None,
    end=None,
    proxies=None,
    in_currency=None,
    **rules,
):
    prep = prepared_closes(market, [t for w in portfolios for t in w] + [benchmark], start, proxies, in_currency)
    return compare_tilts(prep.closes, portfolios, benchmark, rebalance, start, end, **rules), prep


def print_notes(prep) -> None:
    for splice in prep.splices.values():
        print(f"* {splice.label()}")
    for conversion in prep.conversions.values():
        print(f"† {conversion.describe()}")
    if prep.currency not in (None, "USD"):
        print(f"Values in {prep.currency}")


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
        "bands": None if result.bands is None else {"width": result.bands.width, "type": result.bands.kind},
        "cost_bps": result.cost_bps,
        "turnover": result.turnover,
        "turnover_per_year": result.turnover_per_year,
        "costs": result.costs,
    }


def cmd_tilt(args: argparse.Namespace, ctx) -> int:
    portfolios = portfolios_from(args)
    rebalance, bands = rule_options(args)
    rules = {"bands": bands, "cost_bps": args.cost_bps, "rf": args.rf}
    data = {"proxies": parse_proxies(args.proxy), "in_currency": args.in_currency}
    if len(portfolios) > 1:
        comparison, prep = run_comparison(
            ctx.market, portfolios, args.benchmark, rebalance, args.start, args.end, **data, **rules
        )
        return show_comparison(comparison, args, prep)
    result, prep = run_tilt(ctx.market, portfolios[0], args.benchmark, rebalance, args.start, args.end, **data, **rules)
    if result.limited_by and args.start is not None:
        print(f"The window starts {result.start:%Y-%m-%d}, the first close of {result.limited_by}", file=sys.stderr)
    if args.format == "json":
        print(dumps(tilt_json(result) | prep.as_dict()))
        return 0
    mix = " · ".join(f"{t} {w * 100:g} %" for t, w in result.weights.items())
    print(f"Tilt {mix} vs {result.benchmark}, {result.rule}, {day(result.start)} – {day(result.end)}")
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
    if result.bands is not None or result.cost_bps:
        print(
            f"Turnover {pct(result.turnover, 0, False)} ({pct(result.turnover_per_year, 0, False)} a year, one-way)  ·  "
            f"costs {result.costs:,.2f} at {result.cost_bps:g} bp of traded value (initial purchase included)"
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
    print_notes(prep)
    return 0


def show_comparison(c: TiltComparison, args, prep) -> int:
    if c.limited_by and args.start is not None:
        print(f"The window starts {c.start:%Y-%m-%d}, the first close of {c.limited_by}", file=sys.stderr)
    if args.format == "json":
        print(
            dumps(
                {
                    "benchmark": c.benchmark,
                    "start": c.start,
                    "end": c.end,
                    "limited_by": c.limited_by,
                    "portfolios": [{"label": label, **tilt_json(r)} for label, r in zip(c.labels, c.results)],
                }
                | prep.as_dict()
            )
        )
        return 0
    print(f"{len(c.results)} tilts vs {c.benchmark}, {c.results[0].rule}, {day(c.start)} – {day(c.end)}")
    for i, label in enumerate(c.labels, start=1):
        print(f"  {i}. {label}")
    words = dict(TABLE_ROWS) | {"active_return": "Active return", "tracking_error": "Tracking error"}
    words |= {"turnover": "Turnover", "costs": "Costs"}
    columns = list(c.table.columns)
    rows = []
    for key in c.table.index:
        cells = []
        for col in columns:
            v = c.table.loc[key, col]
            if key in ("final_value", "costs"):
                cells.append(f"{v:,.2f}")
            elif key == "sharpe":
                cells.append(num(v))
            else:
                cells.append(
                    pct(
                        v,
                        2 if key in ("cagr", "tracking_error") else 1,
                        key not in ("volatility", "tracking_error", "turnover"),
                    )
                )
        rows.append([words[key], *cells])
    header = ["", *(f"{i}" for i in range(1, len(c.results) + 1)), c.benchmark]
    print(table(rows, header))
    print_notes(prep)
    return 0
