"""``rotation-desk metrics TICKER ... [--start D] [--end D] [--benchmark T] [--rf R] [--common-window]
[--returns daily|monthly]`` and ``rotation-desk correlation TICKER ... [--returns daily|monthly] [--start D] [--end D]``.
"""

from __future__ import annotations

import argparse
import sys

from rotation_desk.cli.args import add_format, add_in_currency, add_proxy, iso_date, ticker
from rotation_desk.cli.metrics_tables import PROXY_MARK, footnotes, metrics_table, rates_table
from rotation_desk.cli.output import dumps, num, render, table
from rotation_desk.core.comparison import WindowError, metrics_rows, resolve_window
from rotation_desk.core.comparison_charts import comparison_correlations, resolve_mode_window
from rotation_desk.core.correlation import codated_correlation
from rotation_desk.core.instruments import require_prices
from rotation_desk.core.metrics import window_prices
from rotation_desk.core.monthly_metrics import RETURNS, window_month_ends
from rotation_desk.core.proxy import parse_proxies
from rotation_desk.core.rates import rate_summary
from rotation_desk.data.prepared import prepare
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
    "kind",
    "instrument_type",
    "currency",
    "periods_per_year",
    "proxy_ticker",
    "proxy_until",
    "converted_from",
    "fx_pair",
    "level_start",
    "level_end",
    "change_bp",
    "note",
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
    add_proxy(p)
    add_in_currency(p)
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
    add_proxy(c)
    add_in_currency(c)
    add_format(c, choices=("table", "json"))
    c.set_defaults(func=cmd_correlation)


def metrics_records(
    market,
    tickers,
    start=None,
    end=None,
    benchmark=None,
    rf=0.0,
    common=False,
    returns="daily",
    proxies=None,
    in_currency=None,
):
    """Rows with metrics and fund facts (yields: their level summary, core/rates.py), and the window in words.

    Every row says what the ticker is (``kind``, ``instrument_type``, ``currency``, ``label``, ``note``,
    ``periods_per_year``), the proxy that extends it (``proxy``: {ticker, until, ...}) and the conversion of
    its closes (``converted``), so a page can show them next to the figures.
    """
    names = list(dict.fromkeys(tickers))
    wanted = names + ([benchmark] if benchmark and benchmark not in names else [])
    prep = prepare(market, wanted, proxies=proxies, in_currency=in_currency, where="metrics", start=start)
    if benchmark:
        require_prices([prep.instruments[benchmark]], "a benchmark (beta, correlation, capture)")
    priced = [n for n in names if not prep.instruments[n].is_rate]
    closes = prep.closes
    by_name: dict[str, dict] = {}
    window = None
    try:
        if priced:
            window = resolve_window(closes, priced, start, end, common)
            for row in metrics_rows(closes, priced, benchmark, window, rf, returns, prep.instruments):
                by_name[row["ticker"]] = row
        for name in names:
            if name not in by_name:
                by_name[name] = rate_summary(name, closes[name], start, end).as_dict()
    except (WindowError, ValueError) as exc:
        if "not after" in str(exc):
            raise BadInput(f"--end/--start: {exc}") from None
        raise DataUnavailable(str(exc)) from None
    rows = [by_name[n] for n in names]
    for row in rows:
        name = row["ticker"]
        inst = prep.instruments[name]
        fund = market.fund(name)
        row.setdefault("kind", inst.kind)
        row["instrument_type"] = inst.type
        row["currency"] = None if inst.is_rate else (prep.currency if in_currency else inst.currency_code)
        row["label"] = inst.label
        row["note"] = row.get("note") or inst.note
        row["periods_per_year"] = None if inst.is_rate else inst.periods_per_year
        splice = prep.splices.get(name)
        row["proxy"] = splice.as_dict() if splice else None
        if splice is not None:
            row["first_date"] = splice.until  # the fund's own first close; the proxy's span is in "proxy"
        conversion = prep.conversions.get(name)
        row["converted"] = conversion.as_dict() if conversion else None
        row["name"] = row["name"] if inst.is_rate else (fund.name if fund else None)
        row["expense_ratio"] = fund.expense_ratio if fund else None
        row["expense_ratio_as_of"] = fund.expense_ratio_as_of if fund else None
        row["expense_ratio_source"] = fund.source if fund else None
        row["yearly_fee_on_10000"] = fund.yearly_fee(FEE_ON) if fund and fund.expense_ratio is not None else None
    first_priced = next((r for r in rows if r["kind"] == "price"), None)
    text = window.describe(first_priced["start"], first_priced["end"]) if common and first_priced else None
    return rows, text, prep


def cmd_metrics(args: argparse.Namespace, ctx) -> int:
    if not -0.5 < args.rf < 1.0:
        raise BadInput(f"--rf {args.rf}: give the annual rate as a fraction, e.g. 0.04 for 4 %")
    records, window_text, prep = metrics_records(
        ctx.market,
        args.tickers,
        args.start,
        args.end,
        args.benchmark,
        args.rf,
        args.common_window,
        args.returns,
        parse_proxies(args.proxy),
        args.in_currency,
    )
    if args.format == "csv":  # CSV is flat: the proxy and the conversion as their own columns
        for r in records:
            r["proxy_ticker"] = (r["proxy"] or {}).get("ticker")
            r["proxy_until"] = (r["proxy"] or {}).get("until")
            r["converted_from"] = (r["converted"] or {}).get("from")
            r["fx_pair"] = (r["converted"] or {}).get("pair")
    if args.format != "table":
        print(render(records, args.format, FIELDS, lambda r: [], []))
        return 0
    if args.returns == "monthly":
        print(
            "Month-end statistics: monthly returns ×12 / √12; CAGR and drawdowns from month-end closes", file=sys.stderr
        )
    if window_text:
        print(window_text[0].upper() + window_text[1:], file=sys.stderr)
    prices = [r for r in records if r["kind"] == "price"]
    rates = [r for r in records if r["kind"] == "rate"]
    if prices:
        print(metrics_table(prices, args.benchmark))
        for line in footnotes(prices, prep):
            print(line)
    if rates:
        if prices:
            print()
        print(rates_table(rates))
    return 0


def correlation_report(market, tickers, returns="daily", start=None, end=None, proxies=None, in_currency=None) -> dict:
    """The heat map's matrix (core/comparison_charts.py: the common window, or the range cut to it).

    Yields are correlated on the changes of their level; tickers on different calendars (crypto, a foreign
    listing) between the dates all of them have a close (core/correlation.py ``codated_correlation``).
    """
    names = list(dict.fromkeys(tickers))
    if len(names) < 2:
        raise BadInput("give at least two tickers for a correlation matrix")
    prep = prepare(market, names, proxies=proxies, in_currency=in_currency, where="correlation", start=start)
    closes = prep.closes
    rates = [n for n in names if prep.instruments[n].is_rate]
    mode = "range" if start is not None or end is not None else "common"
    try:
        window = resolve_mode_window(closes, names, mode, start, end)
    except WindowError as exc:
        if "not after" in str(exc):
            raise BadInput(f"--end/--start: {exc}") from None
        raise DataUnavailable(str(exc)) from None
    series = {n: window_prices(closes[n], window.start, window.end) for n in names}
    codated = bool(rates) or prep.mixed_calendars
    if codated:
        corr = codated_correlation(series, rates, returns, window.start, window.end)
    else:
        corr = comparison_correlations(closes, series, window, mode, returns)
    count = int(corr.days.to_numpy().min())
    if count < 2:
        raise DataUnavailable(f"{', '.join(names)}: fewer than two common {returns} returns in the window")
    if returns == "monthly":  # the month-end closes the returns run between
        series = window_month_ends(closes, names, window.start, window.end, common=True)
    first = max(s.index[0] for s in series.values())
    last = min(s.index[-1] for s in series.values())
    notes = prep.notes()
    if rates:
        notes.append(f"{', '.join(rates)}: yields, correlated on the changes of their level")
    if prep.mixed_calendars:
        notes.append("different trading calendars: returns measured between the dates all tickers have a close")
    return {
        "tickers": names,
        "returns": returns,
        "start": first,
        "end": last,
        "window": window.describe(first, last),
        "observations": count,
        "matrix": {a: {b: float(corr.matrix.loc[a, b]) for b in names} for a in names},
        "rates": rates,
        "codated": codated,
        **prep.as_dict(),
        "notes": notes,
    }


def cmd_correlation(args: argparse.Namespace, ctx) -> int:
    report = correlation_report(
        ctx.market, args.tickers, args.returns, args.start, args.end, parse_proxies(args.proxy), args.in_currency
    )
    if args.format == "json":
        print(dumps(report))
        return 0
    names = report["tickers"]
    print(
        f"Correlation of {args.returns} returns (Pearson), {report['window']}, "
        f"on the {report['observations']:,} {args.returns} returns all share"
    )
    marks = {t: PROXY_MARK for t in report["proxies"]}
    rows = [[a + marks.get(a, "")] + [num(report["matrix"][a][b]) for b in names] for a in names]
    print(table(rows, ["", *(n + marks.get(n, "") for n in names)]))
    for line in report["notes"]:
        proxied = any(line.startswith(f"{t} before ") for t in report["proxies"])
        print(f"{PROXY_MARK} {line}" if proxied else line)
    if report["currency"] not in (None, "USD"):
        print(f"Returns in {report['currency']}")
    return 0
