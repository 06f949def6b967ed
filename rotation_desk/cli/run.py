"""Parse the command line, run one command, map errors to exit codes (``rotation_desk.cli.main`` calls
``run`` for every command line but a bare ``--version``).

Exit codes (README, docs/architecture.md), the same for every command:

- 0 ok
- 2 bad input: one line naming the file, field or line and what is wrong
- 3 data unavailable: offline, unknown ticker, no rows in the window
- 4 environment: permission denied, a read-only folder or file, a full disk,
  ``--data-dir`` naming a file, a damaged database that could not be rebuilt
- 1 unexpected (a bug): one short line on stderr, the traceback only in the log file

Every message is one line on stderr; no traceback ever reaches the terminal.
"""

from __future__ import annotations

import argparse
import logging
import re
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rotation_desk import APP_NAME, __version__
from rotation_desk.cli import (
    data_cmd,
    dca_cmd,
    export_cmd,
    factors_cmd,
    journal_cmd,
    metrics_cmd,
    report_cmd,
    sectors_cmd,
    strategy_cmd,
    thesis_cmd,
    tilt_cmd,
)
from rotation_desk.data.paths import ENV_DATA_DIR
from rotation_desk.errors import ENVIRONMENT_ERRNOS, RotationDeskError, environment_problem

if TYPE_CHECKING:
    from rotation_desk.cli.context import Context

log = logging.getLogger(__name__)


# The command groups, in --help order.
COMMAND_MODULES = (
    data_cmd,
    metrics_cmd,
    thesis_cmd,
    dca_cmd,
    journal_cmd,
    export_cmd,
    report_cmd,
    sectors_cmd,
    tilt_cmd,
    factors_cmd,
    strategy_cmd,
)


def _global_options(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help=f"keep the database, plans, settings and logs under DIR (env {ENV_DATA_DIR})",
    )
    parser.add_argument(
        "--offline", action="store_true", default=default, help="never touch the network; use cached data"
    )


def window_size(text: str) -> tuple[int, int]:
    """ "1024x700" -> (1024, 700); from 640x480 to 7680x4320."""
    m = re.fullmatch(r"\s*(\d{3,4})\s*[xX×]\s*(\d{3,4})\s*", text)
    if not m or not (640 <= int(m[1]) <= 7680 and 480 <= int(m[2]) <= 4320):
        raise argparse.ArgumentTypeError(f"{text!r} is not a window size such as 1024x700 (640x480 to 7680x4320)")
    return int(m[1]), int(m[2])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=APP_NAME,
        description="Rotation Desk: is the small-cap / value / international rotation happening? "
        "Run with no command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--smoke", action="store_true", help="open the main window, visit every tab, exit 0")
    parser.add_argument(
        "--screenshot-dir", metavar="DIR", type=Path, help="with --smoke: save a PNG per tab and per page in a tab"
    )
    parser.add_argument(
        "--window-size",
        metavar="WxH",
        type=window_size,
        help="open the window at this size, e.g. 1024x700 (with --smoke the default is 1400x900)",
    )
    parser.add_argument(
        "--theme", choices=("light", "dark", "system"), help="the window's theme for this run (not saved)"
    )
    _global_options(parser, default=None)
    # The same global options are accepted after the command name too.
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, default=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub, [common])
    return parser


def run(argv: list[str]) -> int:
    from rotation_desk.cli.context import Context

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (exit 2) already printed
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    ctx: Context | None = None
    try:
        ctx = Context.from_args(args)
        if args.command is None:
            from rotation_desk.ui.app.start import run_app  # Qt only when the window is wanted

            return run_app(
                ctx.paths,
                offline=bool(args.offline),
                smoke=args.smoke,
                screenshot_dir=args.screenshot_dir,
                window_size=args.window_size,
                theme=args.theme,
            )
        return int(args.func(args, ctx) or 0)
    except RotationDeskError as exc:
        return _fail(exc, exc.exit_code)
    except KeyboardInterrupt:
        print(f"{APP_NAME}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        if exc.errno not in ENVIRONMENT_ERRNOS:
            return _unexpected(exc, args)
        problem = environment_problem(exc)
        return _fail(problem, problem.exit_code, exc)
    except sqlite3.DatabaseError as exc:
        from rotation_desk.data.store_health import environment_error

        problem = environment_error(exc, ctx.paths.database if ctx else Path("prices.sqlite3"))
        if problem is None:
            return _unexpected(exc, args)
        return _fail(problem, problem.exit_code, exc)
    except Exception as exc:  # noqa: BLE001 - the last resort: logged with its traceback
        return _unexpected(exc, args)
    finally:
        if ctx is not None:
            ctx.close()


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _fail(exc: BaseException, code: int, cause: BaseException | None = None) -> int:
    log.info("%s: %s%s", type(exc).__name__, exc, f" ({cause!r})" if cause is not None else "")
    print(f"{APP_NAME}: {_one_line(str(exc))}", file=sys.stderr)
    return code


def _unexpected(exc: BaseException, args) -> int:
    log.error("unexpected error in %s", getattr(args, "command", None) or "the app", exc_info=exc)
    from rotation_desk.logsetup import log_location

    where, problem = log_location()
    details = f"details in {where}" if where else f"the details could not be logged ({problem})"
    print(f"{APP_NAME}: unexpected error: {_one_line(f'{type(exc).__name__}: {exc}')} ({details})", file=sys.stderr)
    return 1
