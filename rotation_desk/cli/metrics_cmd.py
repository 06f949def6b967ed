"""``rotation-desk metrics TICKER ... [--start D] [--end D] [--benchmark T] [--rf R] [--common-window]``."""

from __future__ import annotations

import argparse
import sys

from rotation_desk.cli.args import add_format, iso_date, ticker
from rotation_desk.cli.output import day, num, pct, render
from rotation_desk.core.comparison import WindowError, metrics_rows, resolve_window
from rotation_desk.errors import BadInput, DataUnavailable

FEE_ON = 10_000.0

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
    "up_capture",
    "down_capture",
    "max_drawdown_peak",
    "max_drawdown_trough",
    "max_drawdown_recovery",
    "best_year",
    "best_year_return",
    "worst_year",
    "worst_year_return",
    "first_date",
    "name",
    "expense_ratio",
    "expense_ratio_as_of",
    "expense_ratio_source",
    "yearly_fee_on_10000",
)


def register(sub, parents) -> None:
    p = sub.add_parser("metrics", help="return and risk metrics for tickers over a window", parents=parents)
    p.add_argument("tickers", nargs="+", type=ticker, metavar="TICKER")
    p.add_argument("--start", type=iso_date, help="window start (the last close on or before it is the base)")
    p.add_argument("--end", type=iso_date, help="window end (default: last cached session)")
    p.add_argument("--benchmark", type=ticker, help="ticker for beta, correlation and capture ratios")
    p.add_argument("--rf", type=float, default=0.0, help="annual risk-free rate as a fraction (0.04 = 4 %%)")
    p.add_argument("--common-window", action="store_true", help="use the dates all tickers have (stated on stderr)")
    add_format(p)
    p.set_defaults(func=cmd_metrics)


def metrics_records(market, tickers, start=None, end=None, benchmark=None, rf=0.0, common=False):
    """Rows with metrics and fund facts, and the window in words."""
    names = list(dict.fromkeys(tickers))
    wanted = names + ([benchmark] if benchmark and benchmark not in names else [])
    closes = market.closes(wanted)
    try:
        window = resolve_window(closes, names, start, end, common)
        rows = metrics_rows(closes, names, benchmark, window, rf)
    except WindowError as exc:
        if "not after" in str(exc):
            raise BadInput(f"--end/--start: {exc}") from None
        raise DataUnavailable(str(exc)) from None
    for row in rows:
        fund = market.fund(row["ticker"])
        row["name"] = fund.name if fund else None
        row["expense_ratio"] = fund.expense_ratio if fund else None
        row["expense_ratio_as_of"] = fund.expense_ratio_as_of if fund else None
        row["expense_ratio_source"] = fund.source if fund else None
        row["yearly_fee_on_10000"] = fund.yearly_fee(FEE_ON) if fund and fund.expense_ratio is not None else None
    text = window.describe(rows[0]["start"], rows[0]["end"]) if common else None
    return rows, text


def cmd_metrics(args: argparse.Namespace, ctx) -> int:
    if not -0.5 < args.rf < 1.0:
        raise BadInput(f"--rf {args.rf}: give the annual rate as a fraction, e.g. 0.04 for 4 %")
    records, window_text = metrics_records(
        ctx.market, args.tickers, args.start, args.end, args.benchmark, args.rf, args.common_window
    )
    if window_text and args.format == "table":
        print(window_text[0].upper() + window_text[1:], file=sys.stderr)
    header = ["Ticker", "Start", "End", "Total", "CAGR", "Vol", "Sharpe", "Sortino", "Max DD", "Calmar"]
    if args.benchmark:
        header += [f"Beta {args.benchmark}", f"Corr {args.benchmark}", "Up cap", "Down cap"]
    header += ["Exp. ratio"]

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
            cells += [
                num(r["beta"]),
                num(r["correlation"]),
                pct(r["up_capture"], 0, False),
                pct(r["down_capture"], 0, False),
            ]
        cells.append(pct(r["expense_ratio"], 2, False))
        return cells

    print(render(records, args.format, FIELDS, row, header))
    return 0
