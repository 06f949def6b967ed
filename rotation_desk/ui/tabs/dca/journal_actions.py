"""Entering, changing and undoing the plan's journal from the window: Mark as bought, Add buy…, Edit…, Delete,
Import buys from CSV… (with the column-mapping dialog), Undo, and the journal of a deleted plan.

Every change is one ``data.journal.Journal`` call (one transaction: an import
with a bad line saves nothing, ``journal_csv`` names the line); what it did is
said beside the Holdings page's buttons with Undo (Ctrl+Z), which calls the
journal back (``remove`` for an add or an import, ``restore`` for a delete or
an edit: the rows come back under their own numbers). A refused change (a bad
file, a read-only or full disk) is one warning naming the problem; nothing is
half-written.

The host (the tab) gives the journal (``market.journal``), the plan
(``valid_plan``), the settings, its dialogs (``ask_choice``, ``warn``,
``run_dialog``, ``open_file_name``: replaceable in tests) and
``journal_changed`` (recompute the Holdings page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from rotation_desk.core.dca.buys import Buy
from rotation_desk.core.dca.plan import DcaPlan
from rotation_desk.data.journal_csv import header_signature, read_buys_csv, read_header
from rotation_desk.errors import RotationDeskError
from rotation_desk.ui.kit import clock
from rotation_desk.ui.tabs.dca import holdings_compute as hc
from rotation_desk.ui.tabs.dca.buy_dialog import BuyDialog
from rotation_desk.ui.tabs.dca.holdings_page import HoldingsPage
from rotation_desk.ui.tabs.dca.mapping_dialog import MappingDialog

MAX_UNDO = 20
CSV_FILTERS = "CSV files (*.csv);;All files (*)"


@dataclass(frozen=True)
class Undo:
    what: str  # what the change did: "Imported 12 buys from buys.csv …"
    run: Callable[[], object]


class JournalActions:
    def __init__(self, host, page: HoldingsPage):
        self.host = host
        self.page = page
        self.undo_stack: list[Undo] = []
        page.add_requested.connect(self.add_buy)
        page.import_requested.connect(self.import_dialog)
        page.edit_requested.connect(self.edit_buy)
        page.delete_requested.connect(self.delete_buys)
        page.undo_requested.connect(self.undo)

    @property
    def journal(self):
        return self.host.market.journal

    def _plan(self, action: str) -> tuple[DcaPlan, str] | None:
        """The plan and its journal name, or a warning that the plan must be valid first."""
        plan = self.host.valid_plan()
        if plan is None:
            self.host.warn(action, "Fix the plan's marked fields first: buys are recorded for a valid plan.")
            return None
        try:
            return plan, self.journal.resolve_plan(plan.name)
        except RotationDeskError as exc:
            self._failed(action, exc)
            return None

    def _failed(self, action: str, exc: RotationDeskError) -> None:
        self.page.say(f"{action}: {exc}", error=True)
        self.host.warn(action, str(exc))

    def _done(self, text: str, undo: Undo | None) -> None:
        if undo is not None:
            self.undo_stack = (self.undo_stack + [undo])[-MAX_UNDO:]
        self.page.say(text, undo=bool(self.undo_stack))
        self.host.status_message.emit(text, False)
        self.host.journal_changed()

    # -- one buy -----------------------------------------------------------------------------------
    def _ask_buy(self, title: str, plan_name: str, buy: Buy, hint: str) -> Buy | None:
        dialog = BuyDialog(title, plan_name, buy, hint, self.host.theme, self.host)
        try:
            return dialog.buy() if self.host.run_dialog(dialog) else None
        finally:
            dialog.deleteLater()

    def _add(self, action: str, name: str, buys: list[Buy], source: str, what: str) -> list[int] | None:
        try:
            ids = self.journal.add(name, buys, source=source)
        except RotationDeskError as exc:
            self._failed(action, exc)
            return None
        journal = self.journal
        text = what.replace("{ids}", _ids(ids))
        self._done(text, Undo(text, lambda: journal.remove(ids)))
        return ids

    def mark_bought(self, day, ticker: str, amount: float) -> list[int] | None:
        """A scheduled row as bought: the dialog prefilled with its amount at that session's close."""
        got = self._plan("Mark as bought")
        if got is None:
            return None
        plan, name = got
        closes = self._closes([ticker])
        fill = hc.prefill(plan, day, ticker, amount, closes)
        if fill.price_date is None:
            hint = f"No close for {ticker} on or before {pd.Timestamp(day):%Y-%m-%d}: enter the price you paid."
        else:
            when = "the last close before it" if fill.estimated else "that session's close"
            hint = (
                f"Prefilled with the scheduled {hc.money_text(amount)} at {when} ({fill.price_date:%Y-%m-%d}, "
                f"adjusted close {fill.buy.price:,.4f}). Change them to what your broker filled."
            )
        buy = self._ask_buy("Mark as bought", name, fill.buy, hint)
        if buy is None:
            return None
        return self._add("Mark as bought", name, [buy], "schedule", f"Recorded {buy.describe()} as row {{ids}}")

    def add_buy(self) -> list[int] | None:
        got = self._plan("Add buy")
        if got is None:
            return None
        plan, name = got
        ticker = plan.tickers[0]
        closes = self._closes([ticker])
        fill = hc.prefill(plan, pd.Timestamp(clock.today()), ticker, plan.contribution * plan.weights[ticker],
                          closes)  # fmt: skip
        start = Buy(clock.today(), ticker, 0.0, fill.buy.price, plan.fee, "")
        buy = self._ask_buy("Add buy", name, start, "Enter the buy as your broker reports it.")
        if buy is None:
            return None
        return self._add("Add buy", name, [buy], "manual", f"Added {buy.describe()} as row {{ids}}")

    def edit_buy(self, row_id: int) -> bool:
        try:
            row = self.journal.get(row_id)
        except RotationDeskError as exc:
            self._failed("Edit buy", exc)
            return False
        if row is None:
            return False
        if row.buy is None:
            self.host.warn("Edit buy", f"Row {row.id} is damaged ({row.problem}): delete it and enter the buy again.")
            return False
        buy = self._ask_buy("Edit buy", row.plan or "", row.buy, f"Row {row.id}, added {row.added_at or 'earlier'}.")
        if buy is None or (buy.same_trade(row.buy) and buy.note == row.buy.note):
            return False
        try:
            before = self.journal.update(row_id, buy)
        except RotationDeskError as exc:
            self._failed("Edit buy", exc)
            return False
        journal = self.journal
        text = f"Changed row {row_id} to {buy.describe()}"
        self._done(text, Undo(text, lambda: journal.restore([before])))
        return True

    def delete_buys(self, ids: list[int]) -> bool:
        try:
            rows = self.journal.remove(ids)
        except RotationDeskError as exc:
            self._failed("Delete buys", exc)
            return False
        journal = self.journal
        what = rows[0].describe() if len(rows) == 1 else f"{len(rows)} buys (rows {_ids([r.id for r in rows])})"
        self._done(f"Deleted {what}", Undo(f"Deleted {what}", lambda: journal.restore(rows)))
        return True

    def undo(self) -> bool:
        if not self.undo_stack:
            return False
        step = self.undo_stack.pop()
        try:
            step.run()
        except RotationDeskError as exc:
            self._failed("Undo", exc)
            return False
        self._done(f"Undone: {step.what[0].lower()}{step.what[1:]}", None)
        return True

    # -- a broker's CSV ---------------------------------------------------------------------------
    def import_dialog(self) -> list[int] | None:
        if self._plan("Import buys") is None:
            return None
        chosen = self.host.open_file_name("Import buys from CSV", CSV_FILTERS)
        return self.import_csv(chosen) if chosen else None

    def import_csv(self, path: str | Path) -> list[int] | None:
        """Import a buys file into the plan's journal: all of it, or nothing and the bad lines named."""
        got = self._plan("Import buys")
        if got is None:
            return None
        _plan, name = got
        path = Path(path)
        try:
            header = read_header(path)
            mapping = self._mapping(path, header)
            if mapping is None:
                return None
            lines = read_buys_csv(path, mapping)
            buys = [b for _, b in lines]
            held = self.journal.duplicates(name, buys)
        except RotationDeskError as exc:
            self._failed("Import buys", exc)
            return None
        if held:
            shown = "; ".join(f"line {lines[i][0]}: {buys[i].describe()} is row {r.id}" for i, r in held[:5])
            more = f" (and {len(held) - 5} more)" if len(held) > 5 else ""
            choice = self.host.ask_choice(
                "Import buys",
                f"{len(held)} of the {len(buys)} buys in {path.name} are already in the journal of “{name}”: "
                f"{shown}{more}.",
                [("skip", "Leave them out"), ("add", "Add them again")],
            )
            if choice is None:
                self.page.say(f"Nothing was imported from {path.name}.")
                return None
            if choice == "skip":
                drop = {i for i, _ in held}
                buys = [b for i, b in enumerate(buys) if i not in drop]
            if not buys:
                self.page.say(f"Nothing to import: every buy in {path.name} is already in the journal.")
                return []
        total = hc.money_text(sum(b.cost_cents for b in buys) / 100)
        what = f"Imported {len(buys)} buys from {path.name} ({total}) as rows {{ids}}"
        return self._add("Import buys", name, buys, f"import:{path.name}", what)

    def _mapping(self, path: Path, header: list[str]) -> dict[str, str] | None:
        """The file's column mapping: none needed, the one remembered for its layout, or the dialog's."""
        remembered = self.host.settings.dca.buy_mappings
        key = header_signature(header)
        known = remembered.get(key)
        if known is not None and hc.mapping_applies(header, known):
            return dict(known)
        if not hc.needs_mapping(header):
            return {}
        dialog = MappingDialog(path.name, header, hc.guess_mapping(header, known), self.host.theme, self.host)
        try:
            if not self.host.run_dialog(dialog):
                self.page.say(f"Nothing was imported from {path.name}.")
                return None
            mapping = dialog.mapping()
        finally:
            dialog.deleteLater()
        layouts = dict(remembered)
        layouts[key] = mapping
        self.host.settings.dca.buy_mappings = dict(list(layouts.items())[-100:])
        return mapping

    # -- a plan's journal --------------------------------------------------------------------------
    def buy_count(self, plan_name: str) -> int:
        try:
            return len(self.journal.read(self.journal.resolve_plan(plan_name)).rows)
        except RotationDeskError:
            return 0

    def delete_plan_journal(self, plan_name: str) -> None:
        name = self.journal.resolve_plan(plan_name)
        try:
            rows = self.journal.delete_plan(name)
        except RotationDeskError as exc:
            self._failed("Delete the plan's buys", exc)
            return
        journal = self.journal
        text = f"Deleted the {len(rows)} buys of “{name}”"
        self._done(text, Undo(text, lambda: journal.restore(rows)))

    def plan_renamed(self, old: str, new: str) -> None:
        """The saved plan's name changed: its buys follow (only the journal's plan name changes)."""
        try:
            name = self.journal.resolve_plan(old)
            if name == new or name not in self.journal.plan_names():
                return
            self.journal.rename_plan(name, new)
        except RotationDeskError as exc:
            self._failed("Rename the plan's buys", exc)
            return
        self.page.say(f"The buys of “{name}” now belong to “{new}”.")
        self.host.journal_changed()

    def _closes(self, tickers: list[str]) -> pd.DataFrame:
        known = set(self.host.market.ticker_names())
        names = [t for t in tickers if t in known]
        try:
            return self.host.market.closes(names) if names else pd.DataFrame()
        except RotationDeskError:
            return pd.DataFrame()


def _ids(ids) -> str:
    ids = list(ids)
    if len(ids) == 1:
        return str(ids[0])
    return f"{ids[0]}–{ids[-1]}" if ids == list(range(ids[0], ids[-1] + 1)) else ", ".join(map(str, ids))
