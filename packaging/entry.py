"""PyInstaller entry point: the same ``main`` as the ``rotation-desk`` console script."""

import sys

from rotation_desk.cli.main import main

if __name__ == "__main__":
    # A process that multiprocessing started from this executable (a worker, its resource tracker or fork
    # server) says so on its command line; only then is multiprocessing imported and its freeze_support run
    # (PyInstaller's, once its deferred run-time hook has patched it). The app itself starts none, and every
    # other start is spared the import.
    if sys.argv[1:2] == ["--multiprocessing-fork"] or "-c" in sys.argv[1:]:
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
