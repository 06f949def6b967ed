"""``rotation-desk data check [TICKER ...] [--as-of D] [--strict] [--format table|json]``: data health.

Per ticker: its source (snapshot, Yahoo, imported file), first and last close,
rows, what it is (type, currency, calendar), the last refresh and its result,
the last error, and its problems:

  gap             sessions of its calendar with no close (start, end, the dates)
  off_calendar    closes on days its exchange is closed
  jump            a one-day move far beyond the series' own history, no split recorded
  spike           a price wrong for one day and back the next
  stale           the last close is older than the calendar's last session before today
  refresh_failed  the last refresh from Yahoo failed (the reason; cached prices kept)
  unknown_currency  a listing whose currency is not known (imported without --currency)

Calendars: XNYS for US listings, indices and yields; a foreign listing's own
exchange (VWRL.L: XLON); every day for crypto; Monday to Friday for currency
pairs. How jumps are told from real large moves: core/data_health.py.

Exit code: 0 when the check ran, whatever it found (the problems are the
output); with --strict, 5 when any ticker has a problem, so a script can act
on it. 3 for a ticker that is not cached.
"""

from __future__ import annotations

import argparse

from rotation_desk.cli.args import add_format, iso_date, ticker
from rotation_desk.cli.output import dumps, table
from rotation_desk.data.health import check_store, summary_line

STRICT_EXIT = 5


def register(p: argparse.ArgumentParser) -> None:
    p.add_argument("tickers", nargs="*", type=ticker, metavar="TICKER", help="default: every cached ticker")
    p.add_argument("--as-of", type=iso_date, help="measure staleness as if today were this date (default: today, UTC)")
    p.add_argument("--strict", action="store_true", help=f"exit {STRICT_EXIT} when any problem is found")
    add_format(p, choices=("table", "json"))
    p.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace, ctx) -> int:
    report = check_store(ctx.market, args.tickers or None, args.as_of)
    if args.format == "json":
        print(dumps([h.as_dict() for h in report]))
    else:
        rows = []
        for h in report:
            inst = h.instrument
            rows.append(
                [
                    h.ticker,
                    h.source_words,
                    h.first or "—",
                    h.last or "—",
                    f"{h.rows:,}",
                    inst.type_words,
                    "—" if inst.is_rate else inst.currency_code or "?",
                    h.calendar or "none",
                    h.refresh_words,
                    h.health_words,
                ]
            )
        header = ["Ticker", "Source", "First", "Last", "Rows", "Type", "Cur.", "Calendar", "Last refresh", "Health"]
        print(table(rows, header, right={4}))
        listed = [(h.ticker, p) for h in report for p in h.problems]
        if listed:
            print()
            print(
                table([[t, p.kind, p.when, p.detail] for t, p in listed], ["Ticker", "Problem", "When", "What"], set())
            )
        print()
        print(summary_line(report))
    if args.strict and any(not h.ok for h in report):
        return STRICT_EXIT
    return 0
