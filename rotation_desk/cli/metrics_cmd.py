"""``rotation-desk metrics TICKER ... [--start D] [--end D] [--benchmark T] [--rf R]``."""

from __future__ import annotations

import argparse

from rotation_desk.cli.args import add_format, iso_date, ticker
from rotation_desk.cli.output import day, num, pct, render
from rotation_desk.core.metrics import compute_metrics, window_prices
from rotation_desk.errors import BadInput, DataUnavailable

FIELDS = (
    "ticker",
    "start",
    "end",
    "total_return",
    "cagr",
    "volatility",
    "sharpe",
    "sortino",
    "max_drawdown",
    "calmar",
    "beta",
    "correlation",
    "max_drawdown_peak",
    "max_drawdown_trough",
    "max_drawdown_recovery",
    "best_year",
    "best_year_return",
    "worst_year",
    "worst_year_return",
)


def register(sub, parents) -> None:
    p = sub.add_parser("metrics", help="return and risk metrics for tickers over a window", parents=parents)
    p.add_argument("tickers", nargs="+", type=ticker, metavar="TICKER")
    p.add_argument("--start", type=iso_date, help="window start (the last close on or before it is the base)")
    p.add_argument("--end", type=iso_date, help="window end (default: last cached session)")
    p.add_argument("--benchmark", type=ticker, help="ticker for beta and correlation")
    p.add_argument("--rf", type=float, default=0.0, help="annual risk-free rate as a fraction (0.04 = 4 %%)")
    add_format(p)
    p.set_defaults(func=cmd_metrics)


def metrics_records(market, tickers, start=None, end=None, benchmark=None, rf=0.0) -> list[dict]:
    if start is not None and end is not None and end <= start:
        raise BadInput(f"--end {end:%Y-%m-%d} is not after --start {start:%Y-%m-%d}")
    names = list(dict.fromkeys(tickers))
    wanted = names + ([benchmark] if benchmark and benchmark not in names else [])
    closes = market.closes(wanted, end=end)
    bench = closes[benchmark] if benchmark else None
    records = []
    for name in names:
        series = window_prices(closes[name], start, end)
        if len(series) < 2:
            raise DataUnavailable(f"{name}: fewer than two closes between {day(start)} and {day(end)}")
        m = compute_metrics(name, series, bench, rf)
        records.append(
            {
                "ticker": name,
                "start": m.start,
                "end": m.end,
                "total_return": m.total_return,
                "cagr": m.cagr,
                "volatility": m.volatility,
                "sharpe": m.sharpe,
                "sortino": m.sortino,
                "max_drawdown": m.max_drawdown,
                "calmar": m.calmar,
                "beta": m.beta if benchmark else None,
                "correlation": m.correlation if benchmark else None,
                "max_drawdown_peak": m.drawdown_peak,
                "max_drawdown_trough": m.drawdown_trough,
                "max_drawdown_recovery": m.drawdown_recovery,
                "best_year": m.best_year,
                "best_year_return": m.best_year_return,
                "worst_year": m.worst_year,
                "worst_year_return": m.worst_year_return,
            }
        )
    return records


def cmd_metrics(args: argparse.Namespace, ctx) -> int:
    if not -0.5 < args.rf < 1.0:
        raise BadInput(f"--rf {args.rf}: give the annual rate as a fraction, e.g. 0.04 for 4 %")
    records = metrics_records(ctx.market, args.tickers, args.start, args.end, args.benchmark, args.rf)
    header = ["Ticker", "Start", "End", "Total", "CAGR", "Vol", "Sharpe", "Sortino", "Max DD", "Calmar"]
    if args.benchmark:
        header += [f"Beta {args.benchmark}", f"Corr {args.benchmark}"]

    def row(r):
        cells = [
            r["ticker"],
            day(r["start"]),
            day(r["end"]),
            pct(r["total_return"]),
            pct(r["cagr"]),
            pct(r["volatility"], signed=False),
            num(r["sharpe"]),
            num(r["sortino"]),
            pct(r["max_drawdown"]),
            num(r["calmar"]),
        ]
        if args.benchmark:
            cells += [num(r["beta"]), num(r["correlation"])]
        return cells

    print(render(records, args.format, FIELDS, row, header))
    return 0
