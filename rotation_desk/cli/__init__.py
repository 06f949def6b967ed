"""The ``rotation-desk`` command line (DESIGN.md: stable, scripted by users, tests and benchmarks)."""
