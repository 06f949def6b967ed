"""``rotation-desk report TAB|all --out FILE.pdf|FILE.html``: a tab's (or every tab's) charts, tables and
key figures, with the window, the data source, the number conventions and page numbers (``ui.app.report``).

Qt is imported only when this command runs (offscreen unless the caller chose a platform). The report is
built in memory and written whole (``data.atomic``): a failed report writes nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rotation_desk.cli.args import iso_date
from rotation_desk.cli.export_cmd import tickers_or_pairs
from rotation_desk.data.atomic import parent_folders, write_bytes
from rotation_desk.errors import BadInput, environment_problem

TABS = ("overview", "compare", "sectors", "dca")  # ui.app.report.report_tabs(), without Qt


def register(sub, parents) -> None:
    p = sub.add_parser(
        "report",
        help="write a PDF or HTML report of a tab (or all tabs): charts, tables, key figures",
        description="A report of one tab or of all: each view's chart (vector in the PDF), its table and key "
        "figures, the window, data source and freshness, the number conventions and a not-investment-advice "
        "note; a title page with the date and numbered pages. TAB: " + ", ".join(TABS) + ", or all.",
        parents=parents,
    )
    p.add_argument("tab", metavar="TAB", help="overview, compare, sectors, dca or all")
    p.add_argument(
        "--tickers",
        type=tickers_or_pairs,
        default=[],
        metavar="T,T",
        help="tickers for the views that take a ticker list (the others keep the app's defaults)",
    )
    p.add_argument("--start", type=iso_date, metavar="YYYY-MM-DD", help="first date (default: the app's default range)")
    p.add_argument("--end", type=iso_date, metavar="YYYY-MM-DD", help="last date (default: the last cached session)")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="output file, .pdf or .html")
    p.add_argument("--page", choices=("a4", "letter"), help="paper size (default: by your locale)")
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace, ctx) -> int:
    tab = args.tab.strip().lower()
    if tab not in (*TABS, "all"):
        raise BadInput(f"unknown report tab {args.tab!r}; choose one of: {', '.join(TABS)}, all")
    out = Path(args.out)
    kind = out.suffix.lower()
    if kind not in (".pdf", ".html"):
        raise BadInput(f"{out}: the report file must end in .pdf or .html")
    if out.is_dir():
        raise BadInput(f"--out {out}: is a folder; name a .pdf or .html file")
    if args.start is not None and args.end is not None and args.end <= args.start:
        raise BadInput("--end must be after --start")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    data = build_report(ctx, [tab], kind, args)
    try:
        with parent_folders(out):
            write_bytes(out, data)
    except OSError as exc:
        raise environment_problem(exc, out, "write the report") from None
    print(f"wrote {out}", file=sys.stderr)
    return 0


def build_report(ctx, tabs: list[str], kind: str, args: argparse.Namespace) -> bytes:
    from rotation_desk.ui.app.render import ExportRequest, RenderSession
    from rotation_desk.ui.app.report import collect, default_page, report_pdf
    from rotation_desk.ui.app.report_html import report_html

    base = ExportRequest(
        view="compare", out=Path("report.png"), tickers=tuple(args.tickers), start=args.start, end=args.end
    )
    with RenderSession(ctx.market, ctx.paths.settings_file, base, strict=False) as session:
        page = args.page or default_page()
        content = collect(session, tabs)
        return report_pdf(content, page) if kind == ".pdf" else report_html(content, page)
