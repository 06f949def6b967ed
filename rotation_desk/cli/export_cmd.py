"""``rotation-desk export-chart VIEW --out FILE.png|FILE.svg``: a tab's chart, rendered headless.

Qt is imported only when this command runs, and with the offscreen platform
unless the caller chose one, so it works over SSH, in CI and in cron jobs.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from rotation_desk.cli.args import add_proxy, iso_date, ticker
from rotation_desk.cli.export_files import native_stderr_to_log, write_outputs
from rotation_desk.core.export_views import VIEWS, canonical_view, views_help
from rotation_desk.core.proxy import parse_proxies
from rotation_desk.core.tickers import is_ticker
from rotation_desk.errors import BadInput


def tickers_or_pairs(text: str) -> list[str]:
    """ "T,T", for the ratios view "NUM/DEN,NUM/DEN" (each side a ticker symbol), for the tilt view
    "T=W,T=W" (a ticker and its percent weight; the view checks the weights)."""
    return [_item(item.strip()) for item in text.split(",") if item.strip()]


def _item(item: str) -> str:
    if "/" in item:
        return "/".join(ticker(side) for side in item.split("/", 1))
    name, sep, weight = item.rpartition("=")
    if sep and name and not is_ticker(item) and weight.strip():
        return f"{ticker(name)}={weight.strip()}"
    return ticker(item)


def add_view_options(p: argparse.ArgumentParser) -> None:
    """--tickers, --start, --end, --width, --height, --scale, --theme (export-chart and export-table)."""
    p.add_argument(
        "--tickers",
        type=tickers_or_pairs,
        default=[],
        metavar="T,T",
        help="tickers instead of the tab's defaults (ratios: pairs such as IWM/SPY,IWD/IWF; tilt: T=W weights)",
    )
    p.add_argument("--start", type=iso_date, metavar="YYYY-MM-DD", help="first date (default: the app's default range)")
    p.add_argument("--end", type=iso_date, metavar="YYYY-MM-DD", help="last date (default: the last cached session)")
    p.add_argument("--width", type=int, default=1600, help="width in pixels (default 1600; a table: its own)")
    p.add_argument("--height", type=int, default=900, help="height in pixels (default 900)")
    p.add_argument("--scale", type=float, default=1.0, choices=(1.0, 2.0), help="2 for a HiDPI PNG (twice the pixels)")
    p.add_argument("--theme", choices=("light", "dark"), default="light", help="colours (default light)")


def register(sub, parents) -> None:
    p = sub.add_parser(
        "export-chart",
        help="render a tab's chart to PNG or SVG without opening a window",
        description="Render the chart a tab shows to a PNG or SVG file, headless. "
        "`export-chart all --out-dir DIR` renders every view in one process (DIR/<view>.png).\n\nviews:\n"
        + views_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=parents,
    )
    p.add_argument("view", metavar="VIEW", help="which chart (listed above), or all")
    add_view_options(p)
    p.add_argument("--out", type=Path, metavar="FILE", help="output file, .png or .svg")
    add_proxy(p)  # compare, drawdown, correlation, tilt: the proxied span shaded, named in the source line
    p.add_argument("--out-dir", type=Path, metavar="DIR", help="with VIEW all: the folder for one file per view")
    p.add_argument("--format", choices=("png", "svg"), default="png", help="with VIEW all: the file type (default png)")
    p.add_argument(
        "--with-table",
        action="store_true",
        help="the chart with the tab's table beneath it, as on screen (PNG or SVG)",
    )
    p.set_defaults(func=cmd_export_chart)
    register_table(sub, parents)


def export_request(args: argparse.Namespace, view: str, out: Path):
    from rotation_desk.ui.app.render import ExportRequest

    return ExportRequest(
        view=view,
        out=out,
        width=args.width,
        height=args.height,
        scale=args.scale,
        tickers=tuple(args.tickers),
        start=args.start,
        end=args.end,
        theme=args.theme,
        proxies=tuple(parse_proxies(getattr(args, "proxy", None)).items()),
    )


def chart_outputs(args: argparse.Namespace) -> tuple[list[str], list[Path]]:
    """The views to render and their files: one view and ``--out``, or ``all`` and ``--out-dir``."""
    view = canonical_view(args.view)
    if view == "all":
        if args.out is not None or args.out_dir is None:
            raise BadInput("export-chart all writes one file per view: give --out-dir DIR (not --out)")
        if args.out_dir.exists() and not args.out_dir.is_dir():
            raise BadInput(f"--out-dir {args.out_dir}: is a file; name a folder")
        return list(VIEWS), [args.out_dir / f"{v}.{args.format}" for v in VIEWS]
    if args.out_dir is not None or args.out is None:
        raise BadInput(f"export-chart {view} writes one file: give --out FILE.png|FILE.svg (--out-dir goes with all)")
    out = Path(args.out)
    if out.is_dir():
        raise BadInput(f"--out {out}: is a folder; name a .png or .svg file")
    return [view], [out]


def cmd_export_chart(args: argparse.Namespace, ctx) -> int:
    """Every chart is rendered to bytes first, then each file is written whole (``export_files``): bad
    input or missing data writes nothing, not even the folders it would have made."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from rotation_desk.ui.app.render import RenderSession, check_request

    views, outputs = chart_outputs(args)
    requests = [export_request(args, v, out) for v, out in zip(views, outputs)]
    for req in requests:
        check_request(req)  # bad input is named before any file or folder is made
    with RenderSession(ctx.market, ctx.paths.settings_file, requests[0], strict=len(views) == 1) as session:
        with native_stderr_to_log():
            blobs = [(out, session.chart_data(v, out.suffix, args.with_table)) for v, out in zip(views, outputs)]
    write_outputs(blobs, "chart")
    return 0


def register_table(sub, parents) -> None:
    p = sub.add_parser(
        "export-table",
        help="render the table a view shows to PNG or SVG, styled as on screen",
        description="Render the table shown with a view (the one beneath its chart in the app) to a PNG "
        "or SVG file, headless, at its natural size: every row, in the tab's order.\n\nviews:\n" + views_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=parents,
    )
    p.add_argument("view", metavar="VIEW", help="which view's table (listed above)")
    add_view_options(p)
    p.set_defaults(width=None)
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="output file, .png or .svg")
    p.set_defaults(func=cmd_export_table)


def cmd_export_table(args: argparse.Namespace, ctx) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from rotation_desk.ui.app.render import RenderSession, check_request

    view = canonical_view(args.view)
    if view == "all":
        raise BadInput("export-table takes one view (all goes with export-chart and report)")
    out = Path(args.out)
    if out.is_dir():
        raise BadInput(f"--out {out}: is a folder; name a .png or .svg file")
    width = args.width
    args.width = width or 1600  # the chart's layout size while the tab computes
    req = export_request(args, view, out)
    check_request(req)
    with RenderSession(ctx.market, ctx.paths.settings_file, req) as session:
        with native_stderr_to_log():
            data = session.table_data(view, out.suffix, width)
    write_outputs([(out, data)], "table")
    return 0
