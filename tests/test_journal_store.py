"""The DCA journal in the price database (issue 15): schema migration, writes, damaged rows, the copy, rebuilds."""

import datetime as dt
import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from rotation_desk.core.dca.buys import Buy
from rotation_desk.data.journal import Journal
from rotation_desk.data.journal_copy import BACKUP_NAME
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import resolve_paths
from rotation_desk.data.schema import MIGRATIONS, SCHEMA_VERSION
from rotation_desk.data.store import PriceStore
from rotation_desk.data.store_frames import split_sql
from rotation_desk.errors import BadInput, EnvironmentProblem

D = dt.date
BUYS = [
    Buy(D(2026, 1, 2), "VBR", 2, 201.37, 1.0, "first"),
    Buy(D(2026, 1, 2), "DFAT", 3.5, 55.1),
    Buy(D(2026, 2, 2), "EEMV", 1, 64.5),
]


def db_of(data_dir: Path) -> Path:
    return data_dir / "cache" / "prices.sqlite3"


def open_market(data_dir: Path) -> MarketData:
    return MarketData(resolve_paths(data_dir), offline=True)


def test_every_earlier_schema_version_migrates_with_a_backup(tmp_path):
    assert SCHEMA_VERSION == 3
    for version in range(SCHEMA_VERSION):
        db = tmp_path / f"v{version}" / "prices.sqlite3"
        db.parent.mkdir()
        conn = sqlite3.connect(db)
        for step in range(version):
            for statement in split_sql(MIGRATIONS[step]):
                conn.execute(statement)
        if version:
            conn.execute("INSERT INTO tickers(ticker, source, rows) VALUES ('MINE', 'import:mine.csv', 0)")
        conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()
        conn.close()
        store = PriceStore(db)
        assert store.schema_version() == SCHEMA_VERSION
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"journal", "journal_plans", "prices", "tickers"} <= tables
        assert Journal(store).add("Core", BUYS) == [1, 2, 3]
        if version:
            assert store.ticker_meta("MINE").source == "import:mine.csv"
            backup = db.with_name(f"prices.sqlite3.bak-v{version}")
            assert backup.exists() and f"backup at {backup.name}" in store.notices[0]
            old = sqlite3.connect(backup)
            assert old.execute("PRAGMA user_version").fetchone()[0] == version
            old.close()
        store.close()
    # the journal's step is idempotent: run again on a database that has it, it changes nothing
    again = sqlite3.connect(tmp_path / "v1" / "prices.sqlite3")
    for statement in split_sql(MIGRATIONS[2]):
        again.execute(statement)
    assert again.execute("SELECT count(*) FROM journal").fetchone()[0] == 3
    again.close()


def test_add_read_update_remove_restore_and_rename(market):
    journal = market.journal
    ids = journal.add("Rotation core", BUYS)
    read = journal.read("Rotation core")
    assert [b.id for b in read.buys] == ids and read.damaged == []
    assert read.buys[0].note == "first" and read.buys[0].cost == 403.74
    assert journal.read("Other").rows == () and journal.plan_names() == ["Rotation core"]
    assert journal.resolve_plan("ROTATION CORE") == "Rotation core"
    before = journal.update(ids[1], Buy(D(2026, 1, 5), "DFAT", 4, 56.0))
    assert before.buy.shares == 3.5 and journal.get(ids[1]).buy.date == D(2026, 1, 5)
    gone = journal.remove([ids[0]])
    assert [r.id for r in gone] == [ids[0]] and len(journal.read().rows) == 2
    journal.restore(gone)  # an undo: the same row number again
    assert [r.id for r in journal.read().rows] == ids
    journal.rename_plan("Rotation core", "Core, renamed")
    assert journal.plan_names() == ["Core, renamed"] and len(journal.read("Core, renamed").rows) == 3
    with pytest.raises(BadInput, match="no row 99"):
        journal.remove([ids[0], 99])
    assert len(journal.read().rows) == 3  # nothing removed
    with pytest.raises(BadInput, match=r"buy 2 \(.*shares: must be greater than 0.*nothing was saved"):
        journal.add("Core, renamed", [BUYS[0], Buy(D(2026, 3, 2), "VBR", 0, 10.0)])
    assert len(journal.read().rows) == 3
    removed = journal.delete_plan("Core, renamed")
    assert len(removed) == 3 and journal.read().rows == () and journal.plan_names() == []


def test_a_damaged_row_is_named_never_dropped(market):
    journal = market.journal
    journal.add("Core", BUYS)
    conn = market.store.conn
    conn.execute("UPDATE journal SET shares = 'abc' WHERE id = 2")  # what a damaged page or another tool leaves
    conn.execute("UPDATE journal SET date = '2026-02-30' WHERE id = 3")
    read = journal.read("Core")
    assert [r.id for r in read.rows] == [1, 2, 3] and [b.id for b in read.buys] == [1]
    assert [(r.id, r.problem) for r in read.damaged] == [
        (2, "shares: 'abc' is not a number"),
        (3, "date: '2026-02-30' is not a date"),
    ]
    with pytest.raises(EnvironmentProblem) as err:
        read.require_sound("the next buy")
    text = str(err.value)
    assert "2 damaged rows" in text and "row 2 (shares: 'abc' is not a number)" in text
    assert "rotation-desk journal remove 2 3" in text
    journal.remove([2, 3])
    assert journal.read().damaged == []


def test_every_change_rewrites_the_copy_and_an_emptied_database_comes_back_from_it(data_dir):
    market = open_market(data_dir)
    ids = market.journal.add("Core", BUYS)
    market.journal.remove([ids[2]])
    market.store.close()
    copy = data_dir / "data" / BACKUP_NAME
    lines = copy.read_text().splitlines()
    header = json.loads(lines[0])
    assert header["rows"] == 2 and header["generation"] == 2
    assert [json.loads(line)["id"] for line in lines[1:]] == ids[:2]
    # the cache folder is emptied (a cleaner, a new machine with the data folder copied over)
    for f in db_of(data_dir).parent.iterdir():
        f.unlink()
    market = open_market(data_dir)
    read = market.journal.read("Core")
    assert [b.id for b in read.buys] == ids[:2] and read.buys[0].note == "first"
    assert any("restored from its copy" in n and "2 buys" in n for n in market.notices)
    market.store.close()


def garbage_at(db: Path, offset: int, size: int, seed: int = 5) -> None:
    data = bytearray(db.read_bytes())
    data[offset : offset + size] = np.random.default_rng(seed).bytes(size)
    db.write_bytes(bytes(data))


def test_a_rebuild_after_damage_keeps_the_journal(data_dir):
    market = open_market(data_dir)
    ids = market.journal.add("Core", BUYS)
    market.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    market.store.close()
    db = db_of(data_dir)
    (data_dir / "data" / BACKUP_NAME).unlink()  # from the damaged file alone
    garbage_at(db, len(db.read_bytes()) // 2, 8192)
    market = open_market(data_dir)
    [notice] = market.notices
    assert "could not be read" in notice and "kept: the DCA journal (3 buys in 1 plan)" in notice
    read = market.journal.read("Core")
    assert [b.id for b in read.buys] == ids and [b.describe() for b in read.buys] == [b.describe() for b in BUYS]
    assert market.store.integrity_ok()
    market.store.close()


def test_damage_on_the_journal_pages_restores_the_rows_from_the_copy(data_dir):
    market = open_market(data_dir)
    ids = market.journal.add("Core", BUYS)
    store = market.store
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = store.conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'journal'").fetchone()[0]
    page = store.conn.execute("PRAGMA page_size").fetchone()[0]
    store.close()
    db = db_of(data_dir)
    garbage_at(db, (root - 1) * page, page)
    market = open_market(data_dir)
    [notice] = market.notices
    assert "kept:" in notice and f"the DCA journal (3 buys in 1 plan, 3 of them from its copy {BACKUP_NAME})" in notice
    assert [b.id for b in market.journal.read("Core").buys] == ids
    market.store.close()


def test_damaged_values_in_the_damaged_file_are_named_as_lost_when_no_copy_has_them(data_dir):
    market = open_market(data_dir)
    market.journal.add("Core", BUYS)
    market.store.conn.execute("UPDATE journal SET price = -1 WHERE id = 2")
    market.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    market.store.close()
    (data_dir / "data" / BACKUP_NAME).unlink()
    db = db_of(data_dir)
    garbage_at(db, len(db.read_bytes()) // 2, 8192)
    market = open_market(data_dir)
    [notice] = market.notices
    assert "the DCA journal (2 buys in 1 plan)" in notice
    assert "lost: 1 damaged journal row: row 2 (price: must be greater than 0, got -1)" in notice
    market.store.close()


def test_a_read_only_store_refuses_journal_writes(market, monkeypatch):
    monkeypatch.setattr(market.store, "read_only", "the folder /x is read-only (permission denied)")
    with pytest.raises(EnvironmentProblem, match="cannot write to the price database: the folder /x is read-only"):
        Journal(market.store).add("Core", BUYS)
