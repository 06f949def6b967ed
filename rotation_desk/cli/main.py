"""Entry point of ``rotation-desk`` (the console script, ``python -m rotation_desk`` and the frozen build).

A bare ``--version`` is answered here, before argparse, logging, the data paths (platformdirs, dataclasses and
with them inspect) and the commands (pandas, the store) are imported; every other command line goes to
``rotation_desk.cli.run``, which parses it, runs the command and maps errors to the exit codes.
"""

from __future__ import annotations

import sys

from rotation_desk import APP_NAME, __version__


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv == ["--version"]:
        print(f"{APP_NAME} {__version__}")
        return 0
    from rotation_desk.cli.run import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
