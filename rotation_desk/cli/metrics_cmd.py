"""``rotation-desk metrics TICKER ... [--start D] [--end D] [--benchmark T] [--rf R] [--common-window]
[--returns daily|monthly]`` and ``rotation-desk correlation TICKER ... [--returns daily|monthly] [--start D] [--end D]``.
"""

from __future__ import annotations

import argparse
import sys

from rotation_desk.cli.args import add_format, iso_date, ticker
from rotation_desk.cli.output import day, dumps, num, pct, render, table
from rotation_desk.core.comparison import WindowError, metrics_rows, resolve_window
from rotation_desk.core.comparison_charts import comparison_correlations, resolve_mode_window
from rotation_desk.core.metrics import window_prices
from rotation_desk.core.monthly_metrics import RETURNS, window_month_ends
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
    p.add_argument(
        "--returns",
        choices=RETURNS,
        default="daily",
        help="daily (×252, √252) or month-end statistics (×12, √12; CAGR and drawdowns from month-end closes)",
    )
    add_format(p)
    p.set_defaults(func=cmd_metrics)

    c = sub.add_parser(
        "correlation",
        help="correlation matrix of daily or monthly returns (the ETF Comparison heat map)",
        parents=parents,
    )
    c.add_argument("tickers", nargs="+", type=ticker, metavar="TICKER")
    c.add_argument("--returns", choices=RETURNS, default="daily", help="daily (default) or month-end returns")
    c.add_argument("--start", type=iso_date, help="window start (default: the first date all tickers have)")
    c.add_argument("--end", type=iso_date, help="window end (default: last cached session)")
    add_format(c, choices=("table", "json"))
    c.set_defaults(func=cmd_correlation)


def metrics_records(market, tickers, start=None, end=None, benchmark=None, rf=0.0, common=False, returns="daily"):
    """Rows with metrics and fund facts, and the window in words."""
    names = list(dict.fromkeys(tickers))
    wanted = names + ([benchmark] if benchmark and benchmark not in names else [])
    closes = market.closes(wanted)
    try:
        window = resolve_window(closes, names, start, end, common)
        rows = metrics_rows(closes, names, benchmark, window, rf, returns)
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
        ctx.market, args.tickers, args.start, args.end, args.benchmark, args.rf, args.common_window, args.returns
    )
    if args.returns == "monthly" and args.format == "table":
        print(
            "Month-end statistics: monthly returns ×12 / √12; CAGR and drawdowns from month-end closes", file=sys.stderr
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


def correlation_report(market, tickers, returns="daily", start=None, end=None) -> dict:
    """The heat map's matrix (core/comparison_charts.py: the common window, or the range cut to it)."""
    names = list(dict.fromkeys(tickers))
    if len(names) < 2:
        raise BadInput("give at least two tickers for a correlation matrix")
    closes = market.closes(names)
    mode = "range" if start is not None or end is not None else "common"
    try:
        window = resolve_mode_window(closes, names, mode, start, end)
    except WindowError as exc:
        if "not after" in str(exc):
            raise BadInput(f"--end/--start: {exc}") from None
        raise DataUnavailable(str(exc)) from None
    series = {n: window_prices(closes[n], window.start, window.end) for n in names}
    corr = comparison_correlations(closes, series, window, mode, returns)
    count = int(corr.days.to_numpy().min())
    if count < 2:
        raise DataUnavailable(f"{', '.join(names)}: fewer than two common {returns} returns in the window")
    if returns == "monthly":  # the month-end closes the returns run between
        series = window_month_ends(closes, names, window.start, window.end, common=True)
    first = max(s.index[0] for s in series.values())
    last = min(s.index[-1] for s in series.values())
    return {
        "tickers": names,
        "returns": returns,
        "start": first,
        "end": last,
        "window": window.describe(first, last),
        "observations": count,
        "matrix": {a: {b: float(corr.matrix.loc[a, b]) for b in names} for a in names},
    }


def cmd_correlation(args: argparse.Namespace, ctx) -> int:
    report = correlation_report(ctx.market, args.tickers, args.returns, args.start, args.end)
    if args.format == "json":
        print(dumps(report))
        return 0
    names = report["tickers"]
    print(
        f"Correlation of {args.returns} returns (Pearson), {report['window']}, "
        f"on the {report['observations']:,} {args.returns} returns all share"
    )
    rows = [[a] + [num(report["matrix"][a][b]) for b in names] for a in names]
    print(table(rows, ["", *names]))
    return 0
