"""``rotation-desk factors TICKER ... [--model capm|ff3|ff5] [--frequency monthly|daily] [--start D] [--end D]
[--rolling N] [--format table|json]``, ``rotation-desk factors update`` and ``rotation-desk factors`` (the data in use).

``update`` (alone, lower case) downloads the Data Library's current files; a
fund whose ticker is literally UPDATE can be asked for in capitals.
"""

from __future__ import annotations

import argparse
import sys

from rotation_desk import APP_NAME
from rotation_desk.cli.args import add_format, add_in_currency, add_proxy, iso_date
from rotation_desk.cli.output import day, dumps, num, pct, table
from rotation_desk.core import factor_model as fm
from rotation_desk.core.proxy import parse_proxies
from rotation_desk.core.tickers import parse_ticker
from rotation_desk.data.prepared import prepare
from rotation_desk.errors import BadInput

UPDATE_WORD = "update"


def register(sub, parents) -> None:
    p = sub.add_parser(
        "factors",
        help="Fama/French factor exposure (CAPM, 3- or 5-factor OLS) of funds; 'factors update' downloads new factors",
        description=fm.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=parents,
    )
    p.add_argument(
        "tickers",
        nargs="*",
        metavar="TICKER",
        help="funds to regress; 'update' alone downloads the current factor files; none: show the factor data",
    )
    p.add_argument("--model", default="ff5", help="capm | ff3 | ff5 (default: ff5)")
    p.add_argument("--frequency", default="monthly", help="monthly | daily returns (default: monthly)")
    p.add_argument("--start", type=iso_date, help="window start (monthly: the months whose last session is inside)")
    p.add_argument("--end", type=iso_date, help="window end (default and at most: the factors' last date)")
    p.add_argument("--rolling", type=int, metavar="N", help="also the betas over the last N months/sessions")
    add_proxy(p)
    add_in_currency(p)
    add_format(p, choices=("table", "json"))
    p.set_defaults(func=cmd_factors)


def factor_source(ctx, frequency: str) -> fm.FactorSeries:
    from rotation_desk.data.factors import load_factors

    notices: list[str] = []
    series = load_factors(frequency, ctx.paths, notices)
    for notice in notices:
        print(f"{APP_NAME}: {notice}", file=sys.stderr)
    return series


def exposures(
    ctx, tickers, model="ff5", frequency="monthly", start=None, end=None, rolling=None, proxies=None, in_currency=None
):
    """One FactorExposure per ticker (and its rolling frame when asked), validated before any data is read.

    The factors are US dollar returns: a fund in another currency needs ``in_currency="USD"``; yields are
    refused; ``proxies`` extend a fund before its first close (core/proxy.py), as ``prepare`` says.
    """
    fm.check_model(model, frequency)
    if rolling is not None and rolling < len(fm.MODELS[model]) + 2:
        raise BadInput(f"--rolling {rolling}: the {model} model needs a window of at least {len(fm.MODELS[model]) + 2}")
    prep = prepare(
        ctx.market,
        tickers,
        proxies=proxies,
        in_currency=in_currency,
        prices_only="a factor regression",
        where="a factor regression",
        start=start,
    )
    if prep.currency not in (None, "USD"):
        raise BadInput(
            f"{', '.join(prep.tickers)} in {prep.currency}: the Fama/French factors are US dollar returns; "
            "add --in USD to convert"
        )
    names = prep.tickers
    factors = factor_source(ctx, frequency)
    closes = prep.closes
    for splice in prep.splices.values():
        print(f"{splice.label()}", file=sys.stderr)
    for conversion in prep.conversions.values():
        print(conversion.describe(), file=sys.stderr)
    out = []
    for name in names:
        exposure = fm.factor_exposure(closes[name].rename(name), factors, model, start, end)
        roll = fm.rolling_exposure(exposure, rolling) if rolling is not None else None
        out.append((exposure, roll))
    return out, prep


def rolling_records(frame) -> list[dict]:
    return [{"date": date, **{k: float(v) for k, v in row.items()}} for date, row in frame.iterrows()]


def cmd_factors(args: argparse.Namespace, ctx) -> int:
    if args.tickers == [UPDATE_WORD]:
        return cmd_update(args, ctx)
    if not args.tickers:
        return cmd_info(args, ctx)
    try:
        tickers = [parse_ticker(t) for t in args.tickers]
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    results, prep = exposures(
        ctx,
        tickers,
        args.model,
        args.frequency,
        args.start,
        args.end,
        args.rolling,
        parse_proxies(args.proxy),
        args.in_currency,
    )
    for exposure, _ in results:
        for note in exposure.notes:
            print(f"{exposure.ticker}: {note}", file=sys.stderr)
    if args.format == "json":
        items = []
        for exposure, roll in results:
            item = exposure.as_dict()
            splice = prep.splices.get(exposure.ticker)
            item["proxy"] = splice.as_dict() if splice else None
            conversion = prep.conversions.get(exposure.ticker)
            item["converted"] = conversion.as_dict() if conversion else None
            if roll is not None:
                item["rolling"] = {"window": args.rolling, "points": rolling_records(roll)}
            items.append(item)
        print(dumps(items))
        return 0
    names = fm.MODELS[args.model]
    first = results[0][0]
    print(f"{fm.MODEL_NAMES[args.model]} regression on {args.frequency} excess returns (fund − RF)")
    print(f"Factors: {first.factors}")
    header = ["Ticker", "Window", "Obs", "Alpha ann."] + [fm.FACTOR_LABELS[f].split(" ")[-1].strip("()") for f in names]
    header += ["R²", "Adj. R²"]
    rows = []
    for e, _ in results:
        rows.append(
            [e.ticker, f"{day(e.start)} – {day(e.end)}", str(e.observations), pct(e.alpha, 2)]
            + [num(e.betas[f]) for f in names]
            + [pct(e.r_squared, 1, False), pct(e.adj_r_squared, 1, False)]
        )
        rows.append(["", "t-stat", "", num(e.alpha_t_stat)] + [num(e.t_stats[f]) for f in names] + ["", ""])
        rows.append(["", "std. error", "", pct(e.alpha_std_error, 2, False)] + [num(e.std_errors[f], 3) for f in names])
        rows[-1] += ["", ""]
    print(table(rows, header, right=set(range(2, len(header)))))
    print()
    for e, _ in results:
        print(f"{e.ticker}: {e.reading}.")
    for e, roll in results:
        if roll is None:
            continue
        unit = "months" if args.frequency == "monthly" else "sessions"
        print()
        print(f"{e.ticker}: rolling {args.rolling}-{unit[:-1]} betas (each row: the {args.rolling} {unit} up to it)")
        body = [
            [day(d), pct(r["alpha"], 2)] + [num(r[f]) for f in names] + [pct(r["r_squared"], 1, False)]
            for d, r in roll.iterrows()
        ]
        print(table(body, ["End", "Alpha ann.", *header[4 : 4 + len(names)], "R²"]))
    return 0


def cmd_info(args: argparse.Namespace, ctx) -> int:
    records = []
    for frequency in fm.FREQUENCIES:
        f = factor_source(ctx, frequency)
        records.append(
            {
                "frequency": frequency,
                "first": f.first_date,
                "last": f.last_date,
                "rows": len(f.table),
                "database": f.database,
                "source": f.source,
            }
        )
    if args.format == "json":
        print(dumps(records))
        return 0
    rows = [
        [r["frequency"], day(r["first"]), day(r["last"]), f"{r['rows']:,}", r["database"] or "—", r["source"]]
        for r in records
    ]
    print(table(rows, ["Frequency", "First", "Last", "Rows", "CRSP", "Source"], right={3}))
    print("Update from the Kenneth R. French Data Library with: rotation-desk factors update")
    return 0


def cmd_update(args: argparse.Namespace, ctx) -> int:
    from rotation_desk.data.factor_update import update_factors

    done = update_factors(ctx.paths, offline=ctx.offline)
    if args.format == "json":
        print(
            dumps(
                [
                    {
                        "frequency": u.frequency,
                        "url": u.url,
                        "path": str(u.path),
                        "before": u.before,
                        "last": u.after,
                        "database": u.database,
                    }
                    for u in done
                ]
            )
        )
        return 0
    for u in done:
        change = "newer than" if u.after > u.before else "same last date as"
        print(
            f"{u.frequency}: factors to {day(u.after)} (CRSP {u.database or '?'}), {change} the ones in use "
            f"({day(u.before)}); saved to {u.path}"
        )
    return 0
