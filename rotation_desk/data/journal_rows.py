"""Rows of the DCA journal as stored, read back and checked: ``JournalRow`` (sound or damaged), ``JournalRead``.

A stored row is checked exactly like a new buy (``core.dca.buys.buy_problems``);
a damaged one keeps its values as stored and says what is wrong, so it is
named to the user (and can be removed), never used and never dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from rotation_desk.core.dca.buys import Buy, buy_problems
from rotation_desk.errors import EnvironmentProblem

MAX_NAMED = 5
KEYS = ("id", "plan", "date", "ticker", "shares", "price", "fee", "note", "source", "added_at")

SELECT = (
    "SELECT j.id, p.name, j.date, j.ticker, j.shares, j.price, j.fee, j.note, j.source, j.added_at "
    "FROM journal j LEFT JOIN journal_plans p ON p.id = j.plan_id"
)


@dataclass(frozen=True)
class JournalRow:
    """One stored row: its plan and buy, or (damaged) what is wrong with it and the values as stored."""

    id: int
    plan: str | None
    buy: Buy | None
    problem: str | None = None
    stored: tuple = ()
    added_at: str | None = None

    def describe(self) -> str:
        if self.buy is not None:
            return f"row {self.id}: {self.buy.describe()}"
        return f"row {self.id} ({self.problem})"


@dataclass(frozen=True)
class JournalRead:
    rows: tuple[JournalRow, ...]

    @property
    def buys(self) -> list[Buy]:
        return [r.buy for r in self.rows if r.buy is not None]

    @property
    def damaged(self) -> list[JournalRow]:
        return [r for r in self.rows if r.buy is None]

    def require_sound(self, what: str) -> list[Buy]:
        """The buys, or EnvironmentProblem naming the damaged rows (a figure of part of the journal is wrong)."""
        bad = self.damaged
        if bad:
            named = "; ".join(r.describe() for r in bad[:MAX_NAMED])
            more = f" and {len(bad) - MAX_NAMED} more" if len(bad) > MAX_NAMED else ""
            ids = " ".join(str(r.id) for r in bad[:MAX_NAMED])
            raise EnvironmentProblem(
                f"the DCA journal has {len(bad)} damaged row{'s' if len(bad) != 1 else ''} ({named}{more}); "
                f"{what} would leave {'them' if len(bad) != 1 else 'it'} out, so it was not computed. "
                f"Remove {'them' if len(bad) != 1 else 'it'} (rotation-desk journal remove {ids}) and enter the buy again"
            )
        return self.buys


def row_from_stored(stored: Sequence) -> JournalRow:
    """A stored row (``SELECT``'s columns) checked like a new buy; a damaged one says what is wrong."""
    row_id, plan, date, ticker, shares, price, fee, note, source, added_at = stored
    problems: list[str] = []
    day = None
    if not isinstance(plan, str) or not plan:
        problems.append("its plan is missing")
    try:
        day = dt.date.fromisoformat(date) if isinstance(date, str) and len(date) == 10 else None
    except ValueError:
        day = None
    if day is None:
        problems.append(f"date: {date!r:.40} is not a date")
    if day is not None:
        buy = Buy(day, ticker, shares, price, fee, note, row_id, str(source))
        problems += buy_problems(buy)
    if problems:
        return JournalRow(
            int(row_id), plan if isinstance(plan, str) else None, None, "; ".join(problems), tuple(stored)
        )
    return JournalRow(int(row_id), plan, buy, None, tuple(stored), added_at)


def stored_values(buy: Buy) -> tuple:
    return (buy.date.isoformat(), buy.ticker, float(buy.shares), float(buy.price), float(buy.fee), buy.note)
