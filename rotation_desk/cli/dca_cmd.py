"""``rotation-desk dca PLAN.json [--schedule OUT.csv] [--ics OUT.ics] [--backtest OUT.json] [--from D] [--to D]``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rotation_desk.cli.args import iso_date
from rotation_desk.cli.output import jsonable, pct
from rotation_desk.core.dca_backtest import run_backtest
from rotation_desk.core.dca_plan import PlanError, load_plan
from rotation_desk.core.dca_schedule import (
    schedule_frame,
    schedule_issues,
    schedule_summary,
    schedule_to_csv,
    schedule_to_ics,
)
from rotation_desk.errors import BadInput

BENCHMARK = "SPY"


def register(sub, parents) -> None:
    p = sub.add_parser("dca", help="schedule, export and backtest a DCA plan file", parents=parents)
    p.add_argument("plan", type=Path, metavar="PLAN.json")
    p.add_argument("--schedule", type=Path, metavar="OUT.csv", help="write the forward schedule as CSV")
    p.add_argument("--ics", type=Path, metavar="OUT.ics", help="write the buy dates as an iCalendar file")
    p.add_argument("--backtest", type=Path, metavar="OUT.json", help="backtest the plan and write the results")
    p.add_argument("--ledger", type=Path, metavar="OUT.csv", help="with --backtest: write the transaction ledger")
    p.add_argument("--from", dest="start", type=iso_date, help="backtest window start (default: the plan's)")
    p.add_argument("--to", dest="end", type=iso_date, help="backtest window end")
    p.set_defaults(func=cmd_dca)


def _write(path: Path, data: bytes | str, what: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    except OSError as exc:
        raise BadInput(f"{what} {path}: cannot write ({exc.strerror})") from None


def cmd_dca(args: argparse.Namespace, ctx) -> int:
    plan = load_plan(args.plan)
    issues = schedule_issues(plan)
    if issues:
        raise PlanError(issues, str(args.plan))
    if args.ledger and not args.backtest:
        raise BadInput("--ledger goes with --backtest")
    market = ctx.market
    wanted = list(plan.tickers) + ([BENCHMARK] if args.backtest and BENCHMARK not in plan.tickers else [])
    closes = market.closes(wanted)

    latest = {t: float(closes[t].dropna().iloc[-1]) for t in plan.tickers}
    frame = schedule_frame(plan, latest)
    summary = schedule_summary(frame)
    print(
        f"Plan “{plan.name}”: {summary.buys} buys, {summary.first:%Y-%m-%d} to {summary.last:%Y-%m-%d}, "
        f"{summary.total_invested:,.2f} in total"
    )
    for ticker, amount in summary.per_ticker.items():
        print(
            f"  {ticker:<6} {amount:>14,.2f}   (shares estimated at the {closes[ticker].last_valid_index():%Y-%m-%d} close)"
        )
    if args.schedule:
        _write(args.schedule, schedule_to_csv(frame), "--schedule")
        print(f"schedule: {len(frame)} orders → {args.schedule}")
    if args.ics:
        _write(args.ics, schedule_to_ics(plan, frame), "--ics")
        print(f"calendar: {summary.buys} events → {args.ics}")
    if args.backtest:
        result = run_backtest(plan, closes, args.start, args.end, benchmark=BENCHMARK)
        _write(args.backtest, json.dumps(jsonable(result.to_json_dict()), indent=2) + "\n", "--backtest")
        if args.ledger:
            _write(args.ledger, result.ledger_csv(), "--ledger")
            print(f"ledger: {len(result.ledger)} orders → {args.ledger}")
        print(
            f"backtest {result.start:%Y-%m-%d} – {result.end:%Y-%m-%d}: invested {result.invested:,.2f}, "
            f"value {result.value:,.2f}, gain {result.gain:,.2f}, XIRR {pct(result.xirr)}, TWR {pct(result.twr)}"
        )
        lump, bench = result.lump_sum, result.benchmark
        print(
            f"  same money as a lump sum: value {lump.value:,.2f} (XIRR {pct(lump.xirr)}); "
            f"same plan into {BENCHMARK}: value {bench.value:,.2f} (XIRR {pct(bench.xirr)})"
        )
        print(f"backtest → {args.backtest}")
    return 0
