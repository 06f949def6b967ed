"""The ``rotation-desk`` command line (a stable contract: scripted by users, tests and benchmarks; see docs/architecture.md)."""
