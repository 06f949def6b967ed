"""Qt-free input/output: the SQLite price store, the bundled snapshot, ETF facts, Yahoo."""
