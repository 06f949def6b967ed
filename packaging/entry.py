"""PyInstaller entry point: the same ``main`` as the ``rotation-desk`` console script."""

import multiprocessing
import sys

from rotation_desk.cli.main import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a no-op unless a worker process is ever spawned
    sys.exit(main())
