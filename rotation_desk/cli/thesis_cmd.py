"""``rotation-desk thesis [--format table|json]``: the article's claims checked against the data."""

from __future__ import annotations

import argparse
import textwrap

from rotation_desk.cli.args import add_format
from rotation_desk.cli.output import dumps
from rotation_desk.core.thesis import OPTIONAL_TICKERS, THESIS_TICKERS, Check, claim_dict, figure_text, thesis_scorecard


def register(sub, parents) -> None:
    p = sub.add_parser("thesis", help="check the rotation article's claims against the data", parents=parents)
    add_format(p, choices=("table", "json"))
    p.set_defaults(func=cmd_thesis)


def scorecard(market):
    cached = set(market.ticker_names())
    closes = market.closes(list(THESIS_TICKERS) + [t for t in OPTIONAL_TICKERS if t in cached])
    return thesis_scorecard(closes, market.facts())


def check_lines(title: str, c: Check) -> list[str]:
    lines = [f"  {title}: {c.verdict.upper()} — window {c.window}"]
    if c.figures:
        lines.append("    " + " · ".join(figure_text(f) for f in c.figures))
    lines += textwrap.wrap(c.note, width=96, initial_indent="    ", subsequent_indent="    ")
    return lines


def cmd_thesis(args: argparse.Namespace, ctx) -> int:
    claims = scorecard(ctx.market)
    if args.format == "json":
        print(dumps([claim_dict(c) for c in claims]))
        return 0
    out = []
    for i, c in enumerate(claims, 1):
        out.append(f"{i}. “{c.claim}”  [proxies: {', '.join(c.proxies)}]")
        out += check_lines("Then", c.check)
        out += check_lines("Today", c.today)
        out.append("")
    print("\n".join(out).rstrip())
    return 0
