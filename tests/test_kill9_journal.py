"""kill -9 during a journal import (issue 15): the journal holds all of the file's buys or none of them.

The real command runs in its own process and is killed while it writes (the WAL growing); afterwards the
store opens without repair, passes SQLite's integrity check, and the plan's journal has 0 or every row.
"""

from __future__ import annotations

from datetime import date, timedelta

from test_kill9 import DELAYS, _assert_store_whole, _kill_when, _start

from rotation_desk.data.journal import Journal

ROWS = 40_000


def test_kill_9_during_a_journal_import_leaves_all_or_none(data_dir, tmp_path):
    db = data_dir / "cache" / "prices.sqlite3"
    wal = db.with_name(db.name + "-wal")
    src = tmp_path / "buys.csv"
    start = date(1990, 1, 1)
    src.write_text("date,ticker,shares,price,fee\n" + "".join(
        f"{start + timedelta(days=i // 4)},VBR,{1 + i % 7},{100 + i / 100:.2f},1\n" for i in range(ROWS)
    ))  # fmt: skip
    outcomes = []
    for n, delay in enumerate(DELAYS):
        plan = f"Plan {n}"
        proc = _start("-m", "rotation_desk", "--offline", "--data-dir", str(data_dir), "journal", "import", str(src),
                      "--plan", plan)  # fmt: skip
        killed = _kill_when(proc, lambda: wal.exists() and wal.stat().st_size > 0, delay)
        store = _assert_store_whole(db)
        journal = Journal(store)
        read = journal.read(plan)
        assert read.damaged == []
        assert len(read.rows) in (0, ROWS), len(read.rows)
        outcomes.append((killed, len(read.rows)))
        store.close()
    assert any(killed for killed, _ in outcomes), outcomes  # at least one kill landed inside the write
    done = _start("-m", "rotation_desk", "--offline", "--data-dir", str(data_dir), "journal", "import", str(src),
                  "--plan", "Whole")  # fmt: skip
    assert done.wait(timeout=300) == 0, done.stderr.read()
    store = _assert_store_whole(db)
    assert len(Journal(store).read("Whole").rows) == ROWS
    store.close()
