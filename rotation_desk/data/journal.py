"""The DCA journal: the buys a person really made, per plan, in the price store's database.

- Tables ``journal_plans`` (id, name) and ``journal`` (schema 2, ``schema``).
  A buy belongs to a plan by the plan's name; renaming a plan changes only its
  ``journal_plans`` row, so its buys follow without being touched.
- Every write is one transaction (``PriceStore._write``): an import of 10,000
  rows killed with kill -9 leaves all of them or none. Writes refuse a buy with
  problems (``core.dca.buys.buy_problems``) before anything is written.
- Reading checks every row the same way: a damaged row (a text where a number
  belongs, a missing plan, a date out of range) comes back as a ``JournalRow``
  with its ``problem``, never dropped; ``JournalRead.require_sound`` turns
  damaged rows into one message naming them (exit 4) for the computations
  that must not run on part of the journal.
- Damage met by any call rebuilds the database (``store_health.guarded``);
  ``recovery.salvage_journal`` re-applies the journal, row numbers kept.
- A copy of the whole journal (``journal_backup``, JSON lines) is rewritten
  after every change, in the user's data folder (the database lives in the
  cache folder, which system cleaners may empty). A rebuild restores the rows
  it cannot read from it, and a journal found empty while the copy holds buys
  (the database was deleted or rebuilt) is restored from it, with a notice.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from rotation_desk.core.dca import plan_fields
from rotation_desk.core.dca.buys import Buy, buy_problems
from rotation_desk.data.journal_copy import copy_header, copy_rows, write_copy
from rotation_desk.data.journal_rows import SELECT, JournalRead, JournalRow, row_from_stored, stored_values
from rotation_desk.data.store_health import guarded
from rotation_desk.errors import BadInput

log = logging.getLogger(__name__)

GENERATION_KEY = "journal_generation"


def _check(buys: Iterable[Buy]) -> list[Buy]:
    out = list(buys)
    for i, buy in enumerate(out):
        problems = buy_problems(buy)
        if problems:
            where = f"buy {i + 1} ({buy.describe()})" if len(out) > 1 else "the buy"
            raise BadInput(f"{where}: {'; '.join(problems)}; nothing was saved")
    return out


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class Journal:
    """The journal of one price store. ``backup``: the copy kept in the data folder (None: no copy)."""

    def __init__(self, store, backup: Path | None = None):
        self.store = store
        self.backup = Path(backup) if backup is not None else None

    # what ``guarded`` needs: damage met by a journal call rebuilds the store's database
    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def read_only(self) -> str | None:
        return self.store.read_only

    @property
    def _generation(self) -> int:
        return self.store._generation

    @property
    def _local(self):
        return self.store._local

    def recover(self, reason: str, seen: int | None = None) -> None:
        self.store.recover(reason, seen=seen)

    # -- reading --------------------------------------------------------------------------
    @guarded
    def read(self, plan: str | None = None) -> JournalRead:
        """Every row (of one plan: its name, matched exactly), by date then row number."""
        sql, params = SELECT, ()
        if plan is not None:
            sql += " WHERE p.name = ?"
            params = (plan,)
        rows = self.store.conn.execute(sql + " ORDER BY j.date, j.id", params).fetchall()
        return JournalRead(tuple(row_from_stored(r) for r in rows))

    @guarded
    def plan_names(self) -> list[str]:
        """The plans that have buys, by name."""
        rows = self.store.conn.execute(
            "SELECT DISTINCT p.name FROM journal_plans p JOIN journal j ON j.plan_id = p.id ORDER BY p.name"
        ).fetchall()
        return [r[0] for r in rows]

    def resolve_plan(self, name: str) -> str:
        """The stored plan name for ``name``: itself, or the one name that matches it ignoring case."""
        names = self.plan_names()
        if name in names:
            return name
        matches = [n for n in names if n.casefold() == name.casefold()]
        return matches[0] if len(matches) == 1 else name

    @guarded
    def count(self) -> int:
        return int(self.store.conn.execute("SELECT count(*) FROM journal").fetchone()[0])

    @guarded
    def get(self, row_id: int) -> JournalRow | None:
        row = self.store.conn.execute(SELECT + " WHERE j.id = ?", (int(row_id),)).fetchone()
        return None if row is None else row_from_stored(row)

    def duplicates(self, plan: str, buys: Sequence[Buy]) -> list[tuple[int, JournalRow]]:
        """(index in ``buys``, the stored row) for each buy the plan's journal already holds."""
        stored = [r for r in self.read(plan).rows if r.buy is not None]
        out = []
        for i, buy in enumerate(buys):
            same = next((r for r in stored if r.buy.same_trade(buy)), None)
            if same is not None:
                out.append((i, same))
        return out

    # -- writing (one transaction each) -------------------------------------------------
    @staticmethod
    def _plan_id(c: sqlite3.Connection, plan: str) -> int:
        row = c.execute("SELECT id FROM journal_plans WHERE name = ?", (plan,)).fetchone()
        if row is not None:
            return int(row[0])
        return int(c.execute("INSERT INTO journal_plans(name) VALUES (?)", (plan,)).lastrowid)

    @staticmethod
    def _bump(c: sqlite3.Connection) -> None:
        c.execute(
            "INSERT INTO meta(key, value) VALUES (?, '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            (GENERATION_KEY,),
        )

    @guarded
    def add(self, plan: str, buys: Iterable[Buy], source: str = "manual") -> list[int]:
        """Store ``buys`` under ``plan`` in one transaction; returns their row numbers."""
        plan = _plan_name(plan)
        items = _check(buys)
        now = _now()
        ids: list[int] = []
        with self.store._write() as c:
            plan_id = self._plan_id(c, plan)
            for buy in items:
                cur = c.execute(
                    "INSERT INTO journal(plan_id, date, ticker, shares, price, fee, note, source, added_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (plan_id, *stored_values(buy), buy.source if source is None else source, now),
                )
                ids.append(int(cur.lastrowid))
            self._bump(c)
        self._write_backup()
        return ids

    @guarded
    def update(self, row_id: int, buy: Buy) -> JournalRow:
        """Replace row ``row_id``'s buy (its plan and number stay); returns the row as it was."""
        _check([buy])
        before = self.get(row_id)
        if before is None:
            raise BadInput(f"the journal has no row {row_id}")
        with self.store._write() as c:
            c.execute(
                "UPDATE journal SET date = ?, ticker = ?, shares = ?, price = ?, fee = ?, note = ? WHERE id = ?",
                (*stored_values(buy), int(row_id)),
            )
            self._bump(c)
        self._write_backup()
        return before

    @guarded
    def remove(self, row_ids: Iterable[int]) -> list[JournalRow]:
        """Delete rows (damaged ones too); returns them as they were, for an undo. Unknown numbers: BadInput."""
        ids = list(dict.fromkeys(int(i) for i in row_ids))
        rows = [self.get(i) for i in ids]
        missing = [i for i, r in zip(ids, rows) if r is None]
        if missing:
            raise BadInput(f"the journal has no row {', '.join(map(str, missing))}; nothing was removed")
        with self.store._write() as c:
            c.executemany("DELETE FROM journal WHERE id = ?", [(i,) for i in ids])
            self._bump(c)
        self._write_backup()
        return rows

    @guarded
    def restore(self, rows: Iterable[JournalRow]) -> int:
        """Put rows back under their own numbers (an undo, a salvage); sound rows only. Returns how many."""
        items = [r for r in rows if r.buy is not None and r.plan]
        with self.store._write() as c:
            for r in items:
                plan_id = self._plan_id(c, r.plan)
                c.execute(
                    "INSERT OR REPLACE INTO journal(id, plan_id, date, ticker, shares, price, fee, note, source, "
                    "added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (r.id, plan_id, *stored_values(r.buy), r.buy.source, r.added_at or _now()),
                )
            self._bump(c)
        self._write_backup()
        return len(items)

    @guarded
    def rename_plan(self, old: str, new: str) -> None:
        """The buys of plan ``old`` now belong to ``new`` (only the plan's row changes). Merges into ``new``
        when it has buys of its own already."""
        new = _plan_name(new)
        if old == new:
            return
        with self.store._write() as c:
            row = c.execute("SELECT id FROM journal_plans WHERE name = ?", (old,)).fetchone()
            if row is None:
                return
            target = c.execute("SELECT id FROM journal_plans WHERE name = ?", (new,)).fetchone()
            if target is None:
                c.execute("UPDATE journal_plans SET name = ? WHERE id = ?", (new, row[0]))
            else:
                c.execute("UPDATE journal SET plan_id = ? WHERE plan_id = ?", (target[0], row[0]))
                c.execute("DELETE FROM journal_plans WHERE id = ?", (row[0],))
            self._bump(c)
        self._write_backup()

    @guarded
    def delete_plan(self, plan: str) -> list[JournalRow]:
        """Delete every buy of ``plan``; returns them (for an undo)."""
        rows = list(self.read(plan).rows)
        with self.store._write() as c:
            c.execute("DELETE FROM journal WHERE plan_id IN (SELECT id FROM journal_plans WHERE name = ?)", (plan,))
            c.execute("DELETE FROM journal_plans WHERE name = ?", (plan,))
            self._bump(c)
        self._write_backup()
        return rows

    # -- the copy in the data folder (``journal_copy``) -----------------------------------
    def generation(self) -> int:
        value = self.store.get_meta(GENERATION_KEY)
        try:
            return int(value) if value is not None else 0
        except ValueError:
            return -1

    def _write_backup(self) -> None:
        """Rewrite the copy (best effort: a copy that cannot be written is logged, the database has the change)."""
        if self.backup is None:
            return
        try:
            rows = self.store.conn.execute(SELECT + " ORDER BY j.id").fetchall()
            write_copy(self.backup, rows, self.generation())
        except (OSError, sqlite3.Error, ValueError) as exc:
            log.warning("the journal's copy %s could not be written: %s", self.backup, exc)

    def backup_header(self) -> dict | None:
        return None if self.backup is None else copy_header(self.backup)

    def backup_rows(self) -> list[JournalRow]:
        return [] if self.backup is None else copy_rows(self.backup)

    def check_copy(self, notices: list[str]) -> None:
        """On opening: an empty journal whose copy holds buys is restored from it (with a notice); a copy
        behind the database (a crash between the two writes) is rewritten."""
        if self.backup is None or self.read_only:
            return
        header = self.backup_header()
        if header is None:
            if self.count():
                self._write_backup()
            return
        if self.count() == 0 and header.get("rows"):
            rows = self.backup_rows()
            if rows:
                self.restore(rows)
                notices.append(
                    f"The DCA journal in the price database was empty; {len(rows)} buys were restored from its copy "
                    f"{self.backup} (written {header.get('written_at', 'earlier')})."
                )
            return
        if header.get("generation") != self.generation():
            self._write_backup()


def _plan_name(plan: str) -> str:
    """A plan name as a plan file may hold it (``plan_fields.name``), else BadInput."""
    issues: list = []
    name = plan_fields.name({"name": plan}, issues)
    if issues:
        raise BadInput(f"plan {issues[0].message}; nothing was saved")
    return name
