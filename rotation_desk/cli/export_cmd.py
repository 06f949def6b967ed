"""``rotation-desk export-chart VIEW --out FILE.png|FILE.svg``: a tab's chart, rendered headless.

Qt is imported only when this command runs, and with the offscreen platform
unless the caller chose one, so it works over SSH, in CI and in cron jobs.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import tempfile
from pathlib import Path

from rotation_desk.cli.args import iso_date, ticker
from rotation_desk.core.tickers import is_ticker
from rotation_desk.data.atomic import parent_folders
from rotation_desk.errors import BadInput, environment_problem

log = logging.getLogger(__name__)

VIEWS = ("overview", "ratios", "compare", "drawdown", "correlation", "rrg", "tilt", "dca")


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


def register(sub, parents) -> None:
    p = sub.add_parser(
        "export-chart",
        help="render a tab's chart to PNG or SVG without opening a window",
        description="Render the chart a tab shows to a PNG or SVG file, headless. VIEW: " + ", ".join(VIEWS) + ".",
        parents=parents,
    )
    p.add_argument("view", metavar="VIEW", help="which chart: " + ", ".join(VIEWS))
    p.add_argument(
        "--tickers",
        type=tickers_or_pairs,
        default=[],
        metavar="T,T",
        help="tickers instead of the tab's defaults (ratios: pairs such as IWM/SPY,IWD/IWF)",
    )
    p.add_argument("--start", type=iso_date, metavar="YYYY-MM-DD", help="first date (default: the app's default range)")
    p.add_argument("--end", type=iso_date, metavar="YYYY-MM-DD", help="last date (default: the last cached session)")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="output file, .png or .svg")
    p.add_argument("--width", type=int, default=1600, help="width in pixels (default 1600)")
    p.add_argument("--height", type=int, default=900, help="height in pixels (default 900)")
    p.add_argument("--scale", type=float, default=1.0, choices=(1.0, 2.0), help="2 for a HiDPI PNG (twice the pixels)")
    p.add_argument("--theme", choices=("light", "dark"), default="light", help="colours (default light)")
    p.set_defaults(func=cmd_export_chart)


def cmd_export_chart(args: argparse.Namespace, ctx) -> int:
    """The chart is rendered to bytes in memory, then written to a temporary file beside ``--out``,
    fsynced and renamed (``ui.charts.export.write_file``): a failed export writes nothing, not even
    the folders it would have made."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from rotation_desk.ui.app.render import ExportRequest, check_request, render

    req = ExportRequest(
        view=args.view,
        out=args.out,
        width=args.width,
        height=args.height,
        scale=args.scale,
        tickers=tuple(args.tickers),
        start=args.start,
        end=args.end,
        theme=args.theme,
    )
    check_request(req)  # bad input is named before any file or folder is made
    out = Path(args.out)
    if out.is_dir():
        raise BadInput(f"--out {out}: is a folder; name a .png or .svg file")
    try:
        with parent_folders(out), _native_stderr_to_log():
            render(ctx.market, ctx.paths.settings_file, req)
    except OSError as exc:
        raise environment_problem(exc, out, "write the chart") from None
    print(f"wrote {out}", file=sys.stderr)
    return 0


@contextlib.contextmanager
def _native_stderr_to_log():
    """Qt and libpng print their own complaints ("libpng error: Write Error") straight to the
    process's stderr; while rendering, that goes to the log, so the terminal gets one line."""
    try:
        sink = tempfile.TemporaryFile()
        saved = os.dup(2)
    except OSError:
        yield
        return
    with sink:
        sys.stderr.flush()
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            text = sink.read().decode("utf-8", "replace").strip()
            if text:
                log.info("the chart renderer said: %s", " | ".join(text.splitlines()))
