"""``rotation-desk journal import|add|list|remove``: the buys a person really made, per DCA plan.

- ``import FILE.csv --plan NAME [--map date=Trade Date,ticker=Symbol,…]``: every line is checked first
  (``data.journal_csv``); one bad line and nothing is saved, the lines named (exit 2). A buy the plan's
  journal already holds (same date, ticker, shares, price and fee) is refused by line unless
  ``--skip-existing`` leaves such lines out or ``--allow-duplicates`` adds them again. The rows go in
  one transaction: a kill leaves all of them or none.
- ``add --plan NAME --date D --ticker T --shares S --price P [--fee F] [--note TEXT]``: one buy.
- ``list [--plan NAME] [--format table|csv|json]``: every row with its number; a damaged row is listed
  with what is wrong (and a warning on stderr), never left out.
- ``remove ID [ID …]``: delete rows (damaged ones too).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rotation_desk import APP_NAME
from rotation_desk.cli.args import add_format, iso_date, ticker
from rotation_desk.cli.output import render
from rotation_desk.core.dca.buys import Buy
from rotation_desk.data.journal_csv import parse_amount, parse_mapping, read_buys_csv
from rotation_desk.errors import BadInput

LIST_FIELDS = ("id", "plan", "date", "ticker", "shares", "price", "fee", "cost", "note", "problem")


def register(sub, parents) -> None:
    journal = sub.add_parser("journal", help="the buys you made for a DCA plan: import, add, list, remove",
                             parents=parents)  # fmt: skip
    jsub = journal.add_subparsers(dest="journal_command", metavar="ACTION", required=True)

    p = jsub.add_parser(
        "import",
        help="import executed buys from a CSV (columns: date,ticker,shares,price[,fee])",
        description="Import buys from a broker CSV: a header with date, ticker, shares, price and optionally fee "
        "and note (other names with --map). Dates YYYY-MM-DD, numbers plain decimals. A file with a bad line is "
        "refused, naming the line, and nothing is saved.",
        parents=parents,
    )
    p.add_argument("file", type=Path, metavar="FILE.csv")
    p.add_argument("--plan", required=True, metavar="NAME", help="the plan the buys belong to (its name)")
    p.add_argument("--map", default="", metavar="FIELD=COLUMN,…",
                   help="the file's column for each field, e.g. date=Trade Date,ticker=Symbol,shares=Quantity")  # fmt: skip
    same = p.add_mutually_exclusive_group()
    same.add_argument("--skip-existing", action="store_true", help="leave out buys the journal already holds")
    same.add_argument("--allow-duplicates", action="store_true", help="add buys the journal already holds again")
    p.set_defaults(func=cmd_import)

    p = jsub.add_parser("add", help="record one buy", parents=parents)
    p.add_argument("--plan", required=True, metavar="NAME")
    p.add_argument("--date", required=True, type=iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--ticker", required=True, type=ticker)
    p.add_argument("--shares", required=True, metavar="S")
    p.add_argument("--price", required=True, metavar="P", help="the price per share paid")
    p.add_argument("--fee", default="0", metavar="F", help="the broker's fee for the order (default 0)")
    p.add_argument("--note", default="", metavar="TEXT")
    p.set_defaults(func=cmd_add)

    p = jsub.add_parser("list", help="the recorded buys, with their row numbers", parents=parents)
    p.add_argument("--plan", metavar="NAME", help="only this plan's buys")
    add_format(p)
    p.set_defaults(func=cmd_list)

    p = jsub.add_parser("remove", help="delete recorded buys by row number", parents=parents)
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.set_defaults(func=cmd_remove)


def _total(buys) -> str:
    return f"{sum(b.cost_cents for b in buys) / 100:,.2f}"


def cmd_import(args: argparse.Namespace, ctx) -> int:
    lines = read_buys_csv(args.file, parse_mapping(args.map))  # BadInput before anything is written
    journal = ctx.journal
    plan = journal.resolve_plan(args.plan)
    buys = [b for _, b in lines]
    skipped = 0
    if not args.allow_duplicates:
        held = journal.duplicates(plan, buys)
        if held and not args.skip_existing:
            shown = "; ".join(
                f"line {lines[i][0]}: {buys[i].describe()} is already row {row.id}" for i, row in held[:5]
            )
            more = f" (and {len(held) - 5} more)" if len(held) > 5 else ""
            raise BadInput(
                f"{args.file}: {shown}{more}; nothing was imported (--skip-existing leaves those lines out, "
                "--allow-duplicates adds them again)"
            )
        drop = {i for i, _ in held}
        skipped = len(drop)
        buys = [b for i, b in enumerate(buys) if i not in drop]
    ids = journal.add(plan, buys, source=f"import:{args.file.name}") if buys else []
    skip = f"; {skipped} already in the journal left out" if skipped else ""
    if not ids:
        print(f"nothing to import: every buy in {args.file} is already in the journal of “{plan}”")
        return 0
    first, last = min(b.date for b in buys), max(b.date for b in buys)
    print(
        f"imported {len(ids)} buys into the journal of “{plan}” (rows {ids[0]}–{ids[-1]}), "
        f"{first} to {last}, {_total(buys)} in all{skip}"
    )
    return 0


def _number(text: str, what: str, zero_ok: bool = False) -> float:
    value, problem = parse_amount(text.strip(), what, zero_ok)
    if problem:
        raise BadInput(f"--{problem}")
    return value


def cmd_add(args: argparse.Namespace, ctx) -> int:
    buy = Buy(
        args.date.date(),
        args.ticker,
        _number(args.shares, "shares"),
        _number(args.price, "price"),
        _number(args.fee, "fee", zero_ok=True),
        args.note.strip(),
    )
    journal = ctx.journal
    plan = journal.resolve_plan(args.plan)
    [row_id] = journal.add(plan, [buy])
    print(f"added row {row_id} to the journal of “{plan}”: {buy.describe()}, cost {buy.cost:,.2f}")
    return 0


def _record(row) -> dict:
    if row.buy is None:
        keys = ("id", "plan", "date", "ticker", "shares", "price", "fee", "note")
        stored = dict(zip(keys, row.stored)) if row.stored else {"id": row.id}
        stored.update(plan=row.plan, cost=None, problem=row.problem)
        return stored
    b = row.buy
    return {"id": row.id, "plan": row.plan, "date": b.date, "ticker": b.ticker, "shares": b.shares, "price": b.price,
            "fee": b.fee, "cost": b.cost, "note": b.note, "problem": None}  # fmt: skip


def _cells(r: dict) -> list[str]:
    if r["problem"]:
        return [
            str(r["id"]),
            str(r["plan"]),
            str(r["date"]),
            str(r["ticker"]),
            "",
            "",
            "",
            "",
            f"DAMAGED: {r['problem']}",
        ]
    return [str(r["id"]), r["plan"], f"{r['date']:%Y-%m-%d}", r["ticker"], f"{r['shares']:g}", f"{r['price']:,.4f}",
            f"{r['fee']:,.2f}", f"{r['cost']:,.2f}", r["note"]]  # fmt: skip


def cmd_list(args: argparse.Namespace, ctx) -> int:
    journal = ctx.journal
    read = journal.read(journal.resolve_plan(args.plan) if args.plan else None)
    records = [_record(r) for r in read.rows]
    header = ["ID", "Plan", "Date", "Ticker", "Shares", "Price", "Fee", "Cost", "Note"]
    print(render(records, args.format, LIST_FIELDS, _cells, header))
    for row in read.damaged:
        print(f"{APP_NAME}: journal row {row.id} is damaged ({row.problem}); it counts in no figure until it is "
              f"removed (rotation-desk journal remove {row.id}) and entered again", file=sys.stderr)  # fmt: skip
    return 0


def cmd_remove(args: argparse.Namespace, ctx) -> int:
    removed = ctx.journal.remove(args.ids)
    for row in removed:
        print(f"removed {row.describe()}" + (f" from “{row.plan}”" if row.plan else ""))
    return 0
