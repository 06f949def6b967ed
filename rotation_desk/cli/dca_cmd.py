"""``rotation-desk dca PLAN.json [--schedule OUT.csv] [--ics OUT.ics [--remind-days N|none]] [--backtest OUT.json]
[--ledger OUT.csv] [--from D] [--to D] [--next [--as-of D] [--format table|json]]``.

``--proxy T=P`` (with ``--backtest``): the backtest extends fund T before its first close with P's daily
returns (``data.prepared.load_spliced``, the path of ``metrics --proxy``), so a plan can start before T
existed; the text and the backtest JSON (``proxies``: {T: {ticker, until, from, sessions}}) name each proxy
and the date it is used until. Refused (exit 2): a yield, a fund not in the allocation, a fund that needs
no proxy in the window; a proxy with no cached prices is exit 3.

``--next`` prints the next buy from the plan's journal (``core.dca.next_buy``: the next scheduled date on
or after today, or ``--as-of``, the amounts by the plan's rule given the holdings the journal records,
valued at the last close); JSON: ``date``, ``orders`` [{``ticker``, ``amount``, ``shares``, …}],
``cash_left``. A journal with a damaged row refuses (exit 4), naming it: a next buy computed on part of
the holdings would be wrong. ``--remind-days`` sets the calendar's reminder (default 1 day before at
09:00; ``none`` for none).

Every output is computed first; then all of them are written as one group
(``data.file_group.write_all``), so a command that fails writes no file at all
(a backtest that cannot run leaves no schedule or calendar behind). What was
written is printed only after it is on disk.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import pandas as pd

from rotation_desk.cli.args import add_proxy, iso_date
from rotation_desk.cli.output import jsonable, pct
from rotation_desk.core.dca.backtest import DEFAULT_BENCHMARK, run_backtest
from rotation_desk.core.dca.exports import (
    DEFAULT_REMIND_DAYS,
    MAX_REMIND_DAYS,
    describe_reminder,
    ledger_to_csv,
    schedule_to_csv,
    schedule_to_ics,
)
from rotation_desk.core.dca.holdings import last_closes
from rotation_desk.core.dca.next_buy import NextBuy, next_buy
from rotation_desk.core.dca.plan import PlanError
from rotation_desk.core.dca.schedule import schedule_frame, schedule_issues, schedule_summary
from rotation_desk.core.instruments import require_prices
from rotation_desk.core.proxy import check_names, parse_proxies
from rotation_desk.data.file_group import write_all
from rotation_desk.data.plan_files import load_plan
from rotation_desk.data.prepared import load_spliced
from rotation_desk.errors import BadInput, DataUnavailable

BENCHMARK = DEFAULT_BENCHMARK
OUTPUTS = ("schedule", "ics", "backtest", "ledger")
UNSET = object()  # --remind-days not given (``none`` is None: no reminder)


def register(sub, parents) -> None:
    p = sub.add_parser("dca", help="schedule, export and backtest a DCA plan file", parents=parents)
    p.add_argument("plan", type=Path, metavar="PLAN.json")
    p.add_argument("--schedule", type=Path, metavar="OUT.csv", help="write the forward schedule as CSV")
    p.add_argument("--ics", type=Path, metavar="OUT.ics", help="write the buy dates as an iCalendar file")
    p.add_argument("--backtest", type=Path, metavar="OUT.json", help="backtest the plan and write the results")
    p.add_argument("--ledger", type=Path, metavar="OUT.csv", help="with --backtest: write the transaction ledger")
    p.add_argument("--from", dest="start", type=iso_date, help="backtest window start (default: the plan's)")
    p.add_argument("--to", dest="end", type=iso_date, help="backtest window end")
    p.add_argument(
        "--remind-days",
        type=remind_days,
        default=UNSET,
        metavar="N|none",
        help=f"with --ics: a reminder N days before each buy at 09:00 (default {DEFAULT_REMIND_DAYS}; none: no reminder)",
    )
    add_proxy(p)
    p.add_argument("--next", action="store_true", help="print the next buy, given the buys in the plan's journal")
    p.add_argument("--as-of", type=iso_date, metavar="D", help="with --next: the day to look from (default: today)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="with --next: output format")
    p.set_defaults(func=cmd_dca)


def remind_days(text: str) -> int | None:
    """``none`` -> None, else a whole number of days 0..MAX_REMIND_DAYS."""
    if text.strip().lower() == "none":
        return None
    if not text.strip().isdigit() or not 0 <= int(text) <= MAX_REMIND_DAYS:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of days from 0 to {MAX_REMIND_DAYS}, or none")
    return int(text)


def _check_outputs(args: argparse.Namespace) -> None:
    if args.ledger and not args.backtest:
        raise BadInput("--ledger goes with --backtest")
    if args.proxy and not args.backtest:
        raise BadInput("--proxy goes with --backtest (the schedule uses the funds' own last closes)")
    if args.remind_days is not UNSET and not args.ics:
        raise BadInput("--remind-days goes with --ics")
    if (args.as_of is not None or args.format != "table") and not args.next:
        raise BadInput(f"--{'as-of' if args.as_of is not None else 'format'} goes with --next")
    seen: dict[str, str] = {}
    for flag in OUTPUTS:
        path = getattr(args, flag)
        if path is None:
            continue
        key = os.path.realpath(path)
        if key in seen:
            raise BadInput(f"--{seen[key]} and --{flag} name the same file {path}")
        if key == os.path.realpath(args.plan):
            raise BadInput(f"--{flag} names the plan file itself ({path})")
        if path.is_dir():
            raise BadInput(f"--{flag} {path}: is a folder, not a file")
        seen[key] = flag


def cmd_dca(args: argparse.Namespace, ctx) -> int:
    plan = load_plan(args.plan)
    issues = schedule_issues(plan)
    if issues:
        raise PlanError(issues, str(args.plan))
    _check_outputs(args)
    proxies = parse_proxies(args.proxy)
    check_names(proxies, plan.tickers)  # before the store: a yield or a fund not in the plan
    require_prices(ctx.market.instruments(plan.tickers).values(), "a DCA allocation")
    wanted = list(plan.tickers) + ([BENCHMARK] if args.backtest and BENCHMARK not in plan.tickers else [])
    splices = {}
    if proxies:
        start = args.start if args.start is not None else pd.Timestamp(plan.start)
        closes, _instruments, splices = load_spliced(ctx.market, wanted, proxies, start)
    else:
        closes = ctx.market.closes(wanted)

    latest = {t: float(closes[t].dropna().iloc[-1]) for t in plan.tickers}
    frame = schedule_frame(plan, latest)
    summary = schedule_summary(frame)
    lines = [
        f"Plan “{plan.name}”: {summary.buys} buys, {summary.first:%Y-%m-%d} to {summary.last:%Y-%m-%d}, "
        f"{summary.total_invested:,.2f} in total"
    ]
    for ticker, amount in summary.per_ticker.items():
        lines.append(
            f"  {ticker:<6} {amount:>14,.2f}   (shares estimated at the {closes[ticker].last_valid_index():%Y-%m-%d} close)"
        )
    outputs: list[tuple[Path, bytes]] = []
    if args.schedule:
        outputs.append((args.schedule, schedule_to_csv(frame).encode("utf-8")))
        lines.append(f"schedule: {len(frame)} orders → {args.schedule}")
    if args.ics:
        remind = DEFAULT_REMIND_DAYS if args.remind_days is UNSET else args.remind_days
        outputs.append((args.ics, schedule_to_ics(plan, frame, remind_days=remind)))
        lines.append(f"calendar: {summary.buys} events, {describe_reminder(remind)} → {args.ics}")
    if args.backtest:
        result = run_backtest(plan, closes, args.start, args.end, benchmark=BENCHMARK)
        body = result.to_json_dict()
        if splices:  # a plan without a proxy writes the JSON it always did
            body["proxies"] = {t: s.as_dict() for t, s in splices.items()}
        report = json.dumps(jsonable(body), indent=2) + "\n"
        outputs.append((args.backtest, report.encode("utf-8")))
        if args.ledger:
            outputs.append((args.ledger, ledger_to_csv(result.ledger).encode("utf-8")))
            lines.append(f"ledger: {len(result.ledger)} orders → {args.ledger}")
        lump, bench = result.lump_sum, result.benchmark
        lines += [
            f"backtest {result.start:%Y-%m-%d} – {result.end:%Y-%m-%d}: invested {result.invested:,.2f}, "
            f"value {result.value:,.2f}, gain {result.gain:,.2f}, XIRR {pct(result.xirr)}, TWR {pct(result.twr)}",
            f"  same money as a lump sum: value {lump.value:,.2f} (XIRR {pct(lump.xirr)}); "
            f"same plan into {BENCHMARK}: value {bench.value:,.2f} (XIRR {pct(bench.xirr)})",
        ]
        lines += [f"  * {s.label()} (from {s.proxy_first:%Y-%m-%d})" for s in splices.values()]
        lines.append(f"backtest → {args.backtest}")
    upcoming = _next_buy(plan, ctx, closes, args) if args.next else None
    write_all(outputs)
    if args.next and args.format == "json":
        print(json.dumps(jsonable(upcoming.to_json_dict()), indent=2))
        return 0
    if args.next:
        lines.append(_next_text(upcoming))
    print("\n".join(lines))
    return 0


def _next_buy(plan, ctx, closes, args) -> NextBuy:
    journal = ctx.journal
    buys = journal.read(journal.resolve_plan(plan.name)).require_sound("the next buy")
    as_of = (args.as_of or pd.Timestamp.today()).date()
    upcoming = next_buy(plan, buys, last_closes(closes, plan.tickers), as_of)
    if upcoming is None:
        raise DataUnavailable(f"the plan “{plan.name}” has no buy on or after {as_of}: it has ended")
    return upcoming


def _next_text(n: NextBuy) -> str:
    rule = "split by the allocation" if n.rule == "pro-rata" else "to the holdings below target (buy-only rebalancing)"
    whole = not n.fractional
    out = [
        f"next buy {n.date:%Y-%m-%d}: {n.contribution:,.2f}, {rule}; holdings valued at the "
        f"{n.valued_at:%Y-%m-%d} close" + (f"; fee {n.fee:,.2f} per order" if n.fee else "")
    ]
    for o in n.orders:
        shares = f"{o.shares:.0f}" if whole else f"{o.shares:.4f}"
        out.append(f"  {o.ticker:<8} {o.amount:>12,.2f}   {shares:>10} shares at {o.price:,.2f}")
    out.append(f"  cash left {n.cash_left:,.2f}" + (" (carried to the next buy)" if whole and n.cash_left else ""))
    return "\n".join(out)
