"""``rotation-desk dca PLAN.json [--schedule OUT.csv] [--ics OUT.ics] [--backtest OUT.json] [--ledger OUT.csv]
[--from D] [--to D]``.

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

from rotation_desk.cli.args import iso_date
from rotation_desk.cli.output import jsonable, pct
from rotation_desk.core.dca.backtest import DEFAULT_BENCHMARK, run_backtest
from rotation_desk.core.dca.exports import ledger_to_csv, schedule_to_csv, schedule_to_ics
from rotation_desk.core.dca.plan import PlanError
from rotation_desk.core.dca.schedule import schedule_frame, schedule_issues, schedule_summary
from rotation_desk.data.file_group import write_all
from rotation_desk.data.plan_files import load_plan
from rotation_desk.errors import BadInput

BENCHMARK = DEFAULT_BENCHMARK
OUTPUTS = ("schedule", "ics", "backtest", "ledger")


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


def _check_outputs(args: argparse.Namespace) -> None:
    if args.ledger and not args.backtest:
        raise BadInput("--ledger goes with --backtest")
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
    wanted = list(plan.tickers) + ([BENCHMARK] if args.backtest and BENCHMARK not in plan.tickers else [])
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
        outputs.append((args.ics, schedule_to_ics(plan, frame)))
        lines.append(f"calendar: {summary.buys} events → {args.ics}")
    if args.backtest:
        result = run_backtest(plan, closes, args.start, args.end, benchmark=BENCHMARK)
        report = json.dumps(jsonable(result.to_json_dict()), indent=2) + "\n"
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
            f"backtest → {args.backtest}",
        ]
    write_all(outputs)
    print("\n".join(lines))
    return 0
