"""``rotation-desk data list|refresh|import|export``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rotation_desk.cli import check_cmd
from rotation_desk.cli.args import add_format, ticker
from rotation_desk.cli.output import dumps, render, table
from rotation_desk.data import proxies
from rotation_desk.data.csv_export import export_prices
from rotation_desk.data.csv_import import import_price_file
from rotation_desk.data.health import remove_tickers
from rotation_desk.data.prepared import parse_currency
from rotation_desk.errors import BadInput, DataUnavailable

LIST_FIELDS = ("ticker", "first", "last", "rows", "source")


def register(sub, parents) -> None:
    data = sub.add_parser("data", help="list, refresh, import or export cached prices", parents=parents)
    dsub = data.add_subparsers(dest="data_command", metavar="ACTION", required=True)

    p = dsub.add_parser("list", help="tickers in the store with their first/last date and source", parents=parents)
    add_format(p)
    p.set_defaults(func=cmd_list)

    p = dsub.add_parser("refresh", help="update prices from Yahoo Finance", parents=parents)
    p.add_argument("tickers", nargs="*", type=ticker, metavar="TICKER", help="default: every cached ticker")
    p.add_argument("--full", action="store_true", help="re-download the whole history")
    p.set_defaults(func=cmd_refresh)

    p = dsub.add_parser(
        "import",
        help="import a CSV (columns: date, adj_close or close)",
        description="Import one ticker's daily prices from a CSV: a header with date and adj_close (or close); "
        "dates YYYY-MM-DD (1900-2100), prices plain decimals such as 12.50. A file with anything else is "
        "refused, naming the line, and nothing is imported.",
        parents=parents,
    )
    p.add_argument("file", type=Path, metavar="FILE.csv")
    p.add_argument("--ticker", type=ticker, required=True, help="the ticker the file holds")
    p.add_argument(
        "--currency",
        metavar="CUR",
        help="the prices' currency, e.g. GBP (default: USD for a US symbol; a foreign listing's stays unknown "
        "until given or refreshed)",
    )
    p.add_argument(
        "--decimal",
        choices=(".", ","),
        default=".",
        help="decimal mark: '.' (default, fields separated by ',') or ',' (fields separated by ';')",
    )
    p.set_defaults(func=cmd_import)

    p = dsub.add_parser(
        "check",
        help="data health: gaps, suspicious jumps, staleness, last refresh results",
        description=check_cmd.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=parents,
    )
    check_cmd.register(p)

    p = dsub.add_parser(
        "proxies",
        help="the suggested proxies for short-history funds, with their measured fit",
        description=proxies.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=parents,
    )
    p.add_argument("tickers", nargs="*", type=ticker, metavar="TICKER", help="default: every fund with suggestions")
    add_format(p, choices=("table", "json"))
    p.set_defaults(func=cmd_proxies)

    p = dsub.add_parser(
        "remove",
        help="delete tickers from the store (rows and metadata; refresh or import brings them back)",
        parents=parents,
    )
    p.add_argument("tickers", nargs="+", type=ticker, metavar="TICKER")
    p.set_defaults(func=cmd_remove)

    p = dsub.add_parser("export", help="write cached prices to a CSV", parents=parents)
    p.add_argument("tickers", nargs="+", type=ticker, metavar="TICKER")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    p.set_defaults(func=cmd_export)


def cmd_list(args: argparse.Namespace, ctx) -> int:
    """The stable list (ticker, first, last, rows, source); the table adds what each ticker is and its
    currency as soon as one is not a US-dollar ETF (``data check --format json`` has them for scripts)."""
    metas = ctx.market.tickers()
    records = [
        {"ticker": m.ticker, "first": m.first, "last": m.last, "rows": m.rows, "source": m.source} for m in metas
    ]
    kinds = {m.ticker: m.instrument for m in metas}
    plain = all(i.type == "ETF" and i.currency_code == "USD" for i in kinds.values())
    header = ["Ticker", "First", "Last", "Rows", "Source"] + ([] if plain else ["Type", "Currency"])

    def row(r):
        cells = [r["ticker"], r["first"], r["last"], str(r["rows"]), r["source"]]
        if not plain:
            inst = kinds[r["ticker"]]
            cells += [inst.type_words, "—" if inst.is_rate else inst.currency_code or "unknown"]
        return cells

    if args.format == "table" and not plain:  # type and currency read best left-aligned
        print(table([row(r) for r in records], header, right={3}))
        return 0
    print(render(records, args.format, LIST_FIELDS, row, header))
    return 0


def cmd_refresh(args: argparse.Namespace, ctx) -> int:
    """One line per ticker, then the summary; exit 3 when nothing could be refreshed (offline, unknown tickers)."""
    market = ctx.market
    names = args.tickers or market.ticker_names()
    interactive = sys.stderr.isatty()

    def progress(done: int, total: int, name: str) -> None:
        if interactive:
            print(f"\r  {done}/{total} {name:<8}", end="", file=sys.stderr, flush=True)

    report = market.refresh(names, full=args.full, progress=progress)
    if interactive:
        print("\r" + " " * 30 + "\r", end="", file=sys.stderr)
    labels = {"ok": "ok", "no_data": "no data", "error": "failed", "cancelled": "cancelled", "skipped": "skipped"}
    for outcome in report.outcomes:
        print(f"{outcome.ticker:<8} {labels.get(outcome.status, outcome.status):<9} {outcome.message}")
    print(report.summary())
    if report.offline:
        raise DataUnavailable("Yahoo Finance could not be reached (offline?); cached data kept")
    failed = [o for o in report.outcomes if o.status != "ok"]
    if failed and len(failed) == len(report.outcomes):
        reasons = "; ".join(f"{o.ticker}: {o.reason}" for o in failed[:5])
        raise DataUnavailable(f"no ticker could be refreshed ({reasons})")
    return 0


def cmd_import(args: argparse.Namespace, ctx) -> int:
    currency = parse_currency(args.currency)
    store = ctx.market.store
    # every line checked before anything is written (BadInput: nothing written); the same as File → Import
    imported = import_price_file(store, args.file, args.ticker, args.decimal, currency=currency)
    print(imported.describe())
    inst = store.ticker_meta(args.ticker).instrument
    if not inst.is_rate:
        code = inst.currency_code
        if code is None:
            print(f"{args.ticker}: currency unknown; give it with --currency (or refresh it from Yahoo)")
        elif currency is None and inst.currency is None:
            print(f"{args.ticker}: prices taken to be in {code} (pass --currency to say otherwise)")
    return 0


def cmd_export(args: argparse.Namespace, ctx) -> int:
    """Everything is read and formatted first; the file is then written whole or not at all."""
    out: Path = args.out
    if out.suffix.lower() != ".csv":
        raise BadInput(f"--out {out}: the file name must end in .csv")
    if out.is_dir():
        raise BadInput(f"--out {out}: is a folder; name a .csv file")
    names, rows = export_prices(ctx.market, args.tickers, out)
    print(f"wrote {rows} rows of {', '.join(names)} to {out}")
    return 0


def cmd_proxies(args: argparse.Namespace, ctx) -> int:
    found = proxies.suggestions()
    names = args.tickers or list(found)
    missing = [n for n in names if n not in found]
    if missing:
        raise DataUnavailable(f"no suggested proxy for {', '.join(missing)} (any longer fund of its segment will do)")
    items = [s for n in names for s in found[n]]
    if args.format == "json":
        print(dumps([s.as_dict() for s in items]))
        return 0
    rows = [
        [
            s.ticker if s.rank == 1 else "",
            s.proxy,
            str(s.rank),
            f"{s.correlation:.2f}",
            f"{s.tracking_difference * 100:+.1f} %",
            f"{s.tracking_error * 100:.1f} %",
            f"{s.overlap_start:%Y-%m-%d} – {s.overlap_end:%Y-%m-%d}",
            s.segment,
        ]
        for s in items
    ]
    header = ["Fund", "Proxy", "Rank", "Corr.", "Track. diff.", "Track. err.", "Overlap", "Segment"]
    print(table(rows, header, right={2, 3, 4, 5}))
    print(
        "Use one with --proxy FUND=PROXY (metrics, tilt, correlation, factors, dca --backtest, export-chart); rank 1 is the suggestion."
    )
    return 0


def cmd_remove(args: argparse.Namespace, ctx) -> int:
    """Checked first (every ticker must be cached), then each removed in its own transaction."""
    for name, rows in remove_tickers(ctx.market, args.tickers):
        print(f"removed {name} ({rows} rows)")
    return 0
